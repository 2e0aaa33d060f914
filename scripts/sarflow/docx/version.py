"""Which version of the inputs a document was built from, as git knows it.

The footer and title page say the short hash and date of the last commit that touched
the IMR's inputs, "uncommitted changes" when the working tree differs from it, or "not
under version control" outside git. Git is asked without taking any lock, so a build
never gets in the way of someone committing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sarflow import git
from sarflow.dates import uk


@dataclass(frozen=True)
class Version:
    tracked: bool
    commit: str | None = None
    date: dt.date | None = None
    changed: bool = False

    def __str__(self) -> str:
        if not self.tracked:
            return "not under version control"
        committed = f"commit {self.commit}, {uk(self.date)}" if self.commit else ""
        if self.changed:
            return f"uncommitted changes (last {committed})" if committed else "uncommitted changes"
        return committed


def version_of(root: Path, inputs: list[Path]) -> Version:
    """The version of `inputs` (files or folders under `root`)."""
    paths = [str(p.resolve().relative_to(root.resolve())) for p in inputs]
    if _git(root, "rev-parse", "--is-inside-work-tree") != "true":
        return Version(tracked=False)
    last = _git(root, "log", "-1", "--format=%h %cs", "--", *paths)
    status = _git(root, "status", "--porcelain", "--untracked-files=all", "--", *paths)
    commit, _, day = (last or "").partition(" ")
    return Version(
        tracked=True,
        commit=commit or None,
        date=dt.date.fromisoformat(day) if day else None,
        changed=bool(status),
    )


def _git(root: Path, *args: str) -> str | None:
    """git's output as text, or None when git is missing or the folder is not in a repository."""
    out = git.output(root, *args, timeout=60)
    return None if out is None else out.decode("utf-8", "replace").strip()
