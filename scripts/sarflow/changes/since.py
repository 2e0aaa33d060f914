"""`sarflow check --since REV`: every line changed since REV in an IMR that was submitted or
approved at REV, reported on the line, because its sign-off no longer covers those words.

The pull request's check runs it with the point where the branch left main, so the panel
sees the warning on the changed lines of "Files changed", beside the other annotations. A
warning by default; an error for an IMR that was approved when the board freezes approved
IMRs (`settings: approved_frozen: true` in reviews/board.yml), so that such a change cannot
be merged until the IMR has been reopened. The status at REV is read from that revision's
imr.yml; the lines from `git diff` between REV and the working tree.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml

from sarflow.changes.revisions import Revision, git, require_repository, resolve
from sarflow.dates import uk
from sarflow.findings import Finding, Severity, Span
from sarflow.model import Repository, is_sent

CODE = "signed-off-changed"
_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


def signed_off_changes(repo: Repository, since: str) -> list[Finding]:
    """A finding for each run of lines changed since `since` in the files of an IMR submitted or approved then."""
    require_repository(repo.root)
    revision = resolve(repo.root, since)
    frozen = bool(repo.board and repo.board.approved_frozen)
    found: list[Finding] = []
    for imr in repo.imrs():
        folder = imr.folder.relative_to(repo.root).as_posix()
        status, approved = _status_at(repo.root, revision, f"{folder}/imr.yml")
        if not is_sent(status):
            continue
        error = frozen and status == "approved"
        on = f" (signed off on {uk(approved)})" if approved and status == "approved" else ""
        when = f"since {revision.short}, when this IMR was {status}{on}"
        hint = (f"the board freezes approved IMRs (approved_frozen in {repo.board.at.path if repo.board else 'reviews/board.yml'}): "
                "undo this change, or ask the panel to reopen the IMR first" if error else
                "the panel must have the change read and signed off again: ask the IMR's approver, or undo the change")
        for path, line, count in _changed_lines(repo.root, revision, folder):
            lines = f"line {line}" if count == 1 else f"lines {line}-{line + count - 1}"
            message = (f"{lines} changed {when}: its sign-off no longer covers these words" if count else
                       f"lines removed here {when}: its sign-off covered them")
            found.append(Finding(Severity.ERROR if error else Severity.WARNING, CODE, message, Span(path, max(line, 1), 1), hint))
    return found


def _status_at(root: Path, revision: Revision, path: str) -> tuple[str | None, dt.date | None]:
    """The IMR's status and approval date in `path` at `revision` (None when it had no readable imr.yml)."""
    done = git(root, "show", f"{revision.commit}:./{path}")
    if done.returncode != 0:
        return None, None
    try:
        data = yaml.safe_load(done.stdout)
    except yaml.YAMLError:
        return None, None
    if not isinstance(data, dict):
        return None, None
    status = data.get("status")
    approver = data.get("approved_by")
    approved = approver.get("date") if isinstance(approver, dict) else None
    return (status if isinstance(status, str) else None), (approved if isinstance(approved, dt.date) else None)


def _changed_lines(root: Path, revision: Revision, folder: str) -> list[tuple[str, int, int]]:
    """(file, first line, how many lines) of each run of lines added or changed in `folder`
    since `revision`; a run only removed is told at the line after it, with 0 lines."""
    done = git(root, "diff", "--no-color", "--no-ext-diff", "--unified=0", "--no-renames", "--relative", revision.commit or "HEAD", "--", folder)
    found: list[tuple[str, int, int]] = []
    path = ""
    for text in done.stdout.decode("utf-8", "replace").split("\n"):
        if text.startswith("+++ "):
            path = text[6:] if text.startswith("+++ b/") else ""
        elif path and (match := _HUNK.match(text)):
            start, count = int(match.group(1)), int(match.group(2) if match.group(2) is not None else 1)
            found.append((path, start + (1 if count == 0 else 0), count))
    return found

