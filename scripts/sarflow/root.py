"""Where the review repository is, and what its folders may be called, known without reading it: light enough to
import for a command that may read nothing else (a check with nothing changed, sarflow.recheck)."""

from __future__ import annotations

import re
from pathlib import Path

from sarflow.errors import UsageError

# An id of a review or an agency: its folder's name.
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class RepositoryError(UsageError):
    """The folder is not a sarflow repository: a usage error, not an author's mistake."""


def find_root(start: Path) -> Path:
    """The nearest folder at or above `start` that holds reviews/."""
    for folder in (start.resolve(), *start.resolve().parents):
        if (folder / "reviews").is_dir():
            return folder
    raise RepositoryError(
        f"no reviews/ folder in {start} or above it; run sarflow inside the review repository or pass --root"
    )
