"""Which files a command was asked about: `sarflow check PATH ...` and `sarflow build PATH ...`.

A path names a review folder, an IMR folder or single files under reviews/; one rule
says what lies in scope, so that check and build agree on it. A folder above an IMR
(reviews/, or the repository) holds it, and so does a file inside it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from sarflow.findings import Finding


def outside(root: Path, paths: Sequence[Path]) -> str | None:
    """Why one of `paths` cannot be a scope (it does not exist, or is not under reviews/), or None."""
    reviews = (root / "reviews").resolve()
    for path in paths:
        if not path.exists():
            return f"{path} does not exist"
        where = path.resolve()
        if not (where.is_relative_to(reviews) or reviews.is_relative_to(where)):
            return f"{path} is not inside {reviews}; give a review folder, an IMR folder or a file in it"
    return None


class Scope:
    """The places under `paths` (everything when `paths` is empty or None)."""

    def __init__(self, root: Path, paths: Sequence[Path] | None) -> None:
        self.root = root.resolve()
        self.paths = [p.resolve() for p in paths] if paths else None

    def touches(self, place: Path) -> bool:
        """True when `place` (a folder or file) holds, or is inside, one of the paths."""
        if self.paths is None:
            return True
        where = place.resolve()
        return any(where.is_relative_to(p) or p.is_relative_to(where) for p in self.paths)

    def keeps(self, finding: Finding) -> bool:
        """True when the finding is in a file under one of the paths."""
        if self.paths is None:
            return True
        # where the finding is, without following a link there: a link is what such a finding is about
        where = Path(os.path.normpath(self.root / finding.span.path))
        return any(where.is_relative_to(p) for p in self.paths)
