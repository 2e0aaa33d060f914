"""Which files a command was asked about: `sarflow check PATH ...` and `sarflow build PATH ...`.

A path names a review folder, an IMR folder or single files under reviews/; one rule
says what lies in scope, so that check and build agree on it. A folder above an IMR
(reviews/, or the repository) holds it, and so does a file inside it. What a change to
a path can change is wider than the path (`affected`): `sarflow check PATH` reports on that.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

from sarflow.findings import Finding

K = TypeVar("K")

# What may lie in any folder under reviews/ without being read as part of the content.
ALLOWED_ANYWHERE = frozenset({"README.md"})


def review_folders(root: Path) -> list[Path]:
    """The folders of reviews/ that are reviews, in the order the loader reads them (a link or a hidden folder is none)."""
    return [entry for entry in sorted((root / "reviews").iterdir()) if entry.is_dir() and not entry.is_symlink()
            and not entry.name.startswith(".") and entry.name not in ALLOWED_ANYWHERE]


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


def affected(root: Path, paths: Sequence[Path]) -> list[Path] | None:
    """The places whose findings a change to `paths` can change: each path's whole review (all of reviews/ when None).

    Within a review one file decides what is wrong in another: a question renamed in
    review.yml leaves an analysis heading answering nothing, an abbreviation taken out of
    imr.yml's glossary leaves it unexplained in the sections, a staff id renamed leaves
    another agency's chronology naming nobody, and the review's recommendations name the
    agencies' actions. So a path stands for the review it is in. reviews/board.yml (the
    board's settings, glossary and themes) and reviews/ itself stand for every review.
    Across reviews only what is restricted is shared (check gathers it from every IMR
    whatever the paths): a member of staff added in one review and named in another
    review's text is reported when that other review is checked.
    """
    reviews = (root / "reviews").resolve()
    places: list[Path] = []
    for path in paths:
        where = path.parent.resolve() / path.name if path.is_symlink() else path.resolve()  # a link is in its own review
        if not where.is_relative_to(reviews) or where == reviews or where == reviews / "board.yml":
            return None
        inside = where.relative_to(reviews).parts
        places.append(reviews / inside[0] if (reviews / inside[0]).is_dir() else where)
    return list(dict.fromkeys(places))


class Scope:
    """The places under `paths` (everything when `paths` is empty or None).

    The paths are kept as text, each ending in a separator, so that asking whether a place or a
    finding is under one is a comparison of strings (a check asks it of every finding).
    """

    def __init__(self, root: Path, paths: Sequence[Path] | None) -> None:
        self._root = str(root.resolve())
        self._under = tuple(_folder(str(_place(p))) for p in paths) if paths else None

    def touches(self, place: Path) -> bool:
        """True when `place` (a folder or file) holds, or is inside, one of the paths."""
        if self._under is None:
            return True
        where = _folder(str(place.resolve()))
        return any(where.startswith(p) or p.startswith(where) for p in self._under)

    def keeps(self, finding: Finding) -> bool:
        """True when the finding is in a file under one of the paths."""
        if self._under is None:
            return True
        return _where(self._root, finding).startswith(self._under)


def split(root: Path, parts: Mapping[K, Sequence[Path]], findings: Iterable[Finding]) -> dict[K, list[Finding]]:
    """The findings each part keeps (`Scope(root, paths).keeps`), in the order given: one pass over the findings,
    which looks up each folder a finding is in, rather than asking every part of every finding."""
    named: dict[str, list[K]] = {}
    for name, paths in parts.items():
        # a part of no paths is everything, as a scope of none is: the top folder holds every finding
        for path in dict.fromkeys(_folder(str(_place(p))) for p in paths) if paths else [os.sep]:
            named.setdefault(path, []).append(name)
    kept: dict[K, list[Finding]] = {name: [] for name in parts}
    top = str(root.resolve())
    for finding in findings:
        where = _where(top, finding)
        owners: dict[K, None] = {}
        end = len(where)
        while end > 0:  # the finding's folder, then each folder above it
            owners.update(dict.fromkeys(named.get(where[:end], ())))
            end = where.rfind(os.sep, 0, end - 1) + 1
        for name in owners:
            kept[name].append(finding)
    return kept


def _place(path: Path) -> Path:
    """A path as a scope reads it: resolved, but a path that is a link stands for the link itself, never for what
    it points to."""
    return path.parent.resolve() / path.name if path.is_symlink() else path.resolve()


def _where(root: str, finding: Finding) -> str:
    """Where the finding is, as `_folder` gives it, without following a link there: a link is what such a finding is about."""
    return _folder(os.path.normpath(os.path.join(root, finding.span.path)))


def _folder(path: str) -> str:
    """An absolute path as text ending in one separator: one is under another when it starts with it."""
    return path if path.endswith(os.sep) else path + os.sep
