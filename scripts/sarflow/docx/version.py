"""Document control: which version of an IMR a document was built from, as git knows it.

An IMR's version is the last commit that changed its own files (its folder) or its
review's review.yml; its number is how many commits changed them, so that version 3
is the third committed state of the IMR, whatever else the repository's commits did.
The document history lists every version with its date and the IMR's status in it
(from that commit's imr.yml). Only the main line counts (first parents): a pull
request's branch adds versions while it is built on its own, and lands as one.

Nothing about a commit's author is read: the documents never name who committed.
"uncommitted changes" is said when the working tree differs from the last version,
"not under version control" outside git. Git is asked without taking any lock, so a
build never gets in the way of someone committing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

from sarflow import git
from sarflow.dates import uk
from sarflow.yamlloader import LOADER

GIT_TIMEOUT = 60
# An imr.yml larger than this in some commit is not read for its status (the loader
# refuses files of this size too); the history then says the status is not recorded.
MAX_IMR_FILE = 1_000_000


@dataclass(frozen=True)
class Revision:
    """One committed version of an IMR: its number (from 1), commit, date and the IMR's status then."""

    number: int
    commit: str
    date: dt.date
    status: str | None


@dataclass(frozen=True)
class Version:
    """The versions of an IMR, oldest first, and whether the files differ from the last."""

    tracked: bool
    history: tuple[Revision, ...] = ()
    changed: bool = False

    @property
    def latest(self) -> Revision | None:
        return self.history[-1] if self.history else None

    @property
    def date(self) -> dt.date | None:
        return self.latest.date if self.latest else None

    @property
    def commit(self) -> str | None:
        return self.latest.commit if self.latest else None

    def __str__(self) -> str:
        if not self.tracked:
            return "not under version control"
        latest = self.latest
        if latest is None:
            return "not yet committed"
        committed = f"{latest.number} of {uk(latest.date)}"
        return f"{committed}, with uncommitted changes" if self.changed else committed


def inputs(folder: Path) -> list[Path]:
    """The files whose commits are an IMR's versions: its folder and its review's review.yml."""
    return [folder, folder.parent / "review.yml"]


def version_of(root: Path, folder: Path, at: str | None = None) -> Version:
    """The version of the IMR in `folder` (under `root`, as it is now or was at `at`).

    `at` names a commit to read the history up to (the redline's HEAD); without it,
    the history goes up to HEAD and the working tree is compared with it.
    """
    if _git(root, "rev-parse", "--is-inside-work-tree") != b"true":
        return Version(tracked=False)
    paths = [p.resolve().relative_to(root.resolve()).as_posix() for p in inputs(folder)]
    log = _git(root, "log", "--first-parent", "--format=%H %h %cs", at or "HEAD", "--", *paths)
    commits = [line.split(" ") for line in (log or b"").decode("utf-8", "replace").splitlines() if line.count(" ") == 2]
    statuses = _statuses(root, [full for full, _, _ in commits], f"{paths[0]}/imr.yml")
    history = tuple(
        Revision(number, short, dt.date.fromisoformat(day), statuses.get(full))
        for number, (full, short, day) in enumerate(reversed(commits), start=1)
    )
    changed = False
    if at is None:
        changed = bool(_git(root, "status", "--porcelain", "--untracked-files=all", "--", *paths))
    return Version(tracked=True, history=history, changed=changed)


def _statuses(root: Path, commits: list[str], imr_file: str) -> dict[str, str | None]:
    """The `status:` of imr.yml at each commit, read by one `git cat-file --batch`."""
    if not commits:
        return {}
    out = git.output(root, "cat-file", "--batch", stdin="".join(f"{c}:{imr_file}\n" for c in commits).encode(), timeout=GIT_TIMEOUT)
    found: dict[str, str | None] = {}
    position = 0
    for commit in commits:
        if not out or position >= len(out):
            break
        end = out.index(b"\n", position)
        header = out[position:end].split()
        position = end + 1
        if len(header) != 3:  # "<commit>:<path> missing": the IMR had no imr.yml then
            continue
        size = int(header[2])
        data = out[position : position + size]
        position += size + 1
        found[commit] = _status(data) if size <= MAX_IMR_FILE else None
    return found


def _status(data: bytes) -> str | None:
    try:
        parsed = yaml.load(data, Loader=LOADER)
    except yaml.YAMLError:
        return None
    status = parsed.get("status") if isinstance(parsed, dict) else None
    return status.strip() if isinstance(status, str) and status.strip() else None


def _git(root: Path, *args: str) -> bytes | None:
    """git's output, stripped, or None when git is missing or the folder is not in a repository."""
    out = git.output(root, *args, timeout=GIT_TIMEOUT)
    return None if out is None else out.strip()
