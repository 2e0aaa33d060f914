"""Files changed outside reviews/: they change how the documents and the site are built.

A pull request that edits mkdocs.yml, site/, the template, the tool or a workflow can
change what every report and page shows, or run code in CI, while the review files
look untouched. The panel's summary lists such files first, under a warning, so that
nobody approves them as "no changes to the review files".
"""

from __future__ import annotations

from pathlib import Path

from sarflow.changes.model import FileChange, State
from sarflow.changes.revisions import Revision, RevisionError, git

_STATES: dict[str, State] = {"A": "added", "D": "removed"}  # everything else (M, T, ...) is "changed"
_OUTSIDE = ("--", ".", ":(exclude)reviews")


def outside_reviews(root: Path, base: Revision, head: Revision) -> list[FileChange]:
    """Every file under `root` but outside reviews/ that differs between `base` and `head`
    (for the working tree: tracked files changed, and new files git does not ignore)."""
    assert base.commit is not None, "the base is always a commit"
    revisions = [base.commit, *([head.commit] if head.commit else [])]
    done = git(root, "diff", "--name-status", "-z", "--no-renames", "--relative", *revisions, *_OUTSIDE)
    if done.returncode != 0:
        raise RevisionError(f"git could not list the files changed outside reviews/: {done.stderr.decode().strip()}")
    fields = done.stdout.decode("utf-8", "replace").split("\0")
    found = {path: _STATES.get(status[:1], "changed") for status, path in zip(fields[::2], fields[1::2], strict=False) if path}
    if head.commit is None:
        new = git(root, "ls-files", "-z", "--others", "--exclude-standard", *_OUTSIDE)
        found |= {path: "added" for path in new.stdout.decode("utf-8", "replace").split("\0") if path}
    return [FileChange(path, state) for path, state in sorted(found.items())]
