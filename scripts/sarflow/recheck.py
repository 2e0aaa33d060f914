"""`sarflow check` with each review's findings kept, so that a check with nothing changed parses nothing.

The findings of each review are one entry of sarflow.cache (build/.cache/outputs, named
`check/review/<review-id>`), keyed on everything they follow from:
- every file in the review's folder (its folder fingerprint: names, contents and links);
- what every review shares: reviews/board.yml (the board's settings and glossary), the
  schemas (schema/), and every review.yml and imr.yml of the repository, which say who
  is restricted everywhere (sarflow.restricted) and in what order their IMRs are read;
- today's date (a late IMR, an overdue action), whatever the review holds;
- and, as every entry of the cache, the template files, sarflow's version and code, and
  any limit set.
What lies outside the reviews' folders (reviews/board.yml itself and anything else directly
in reviews/, the site's settings and pages) is one more entry, `check/repository`. An entry
that is missing, stale or damaged is a miss (sarflow.cache), never trusted. What misses is
loaded and checked in one go, as `check(load(root, those reviews), their folders)` would,
and kept for next time; since no rule judges one review by another's files (sarflow.scope),
the parts put together are what one whole check finds, in the same order. Lines changed
since a revision (`--since`) depend on git, not on the files, and are never kept here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sarflow.cache import Cache
from sarflow.findings import Finding, Severity, Span, ordered
from sarflow.links import walk
from sarflow.outputs import OutputFolderError, output_folder
from sarflow.scope import Scope, review_folders

REVIEW = "check/review/"  # and the review's id: the entry of its findings
REPOSITORY = "check/repository"


def check_kept(root: Path, places: Sequence[Path] | None, today: dt.date) -> list[Finding]:
    """`check(load(root), places)`, with each review's findings kept under build/.cache while its files are unchanged."""
    scope = Scope(root, places)
    out = _cache_folder(root)
    if out is None:  # build/ is not a real folder of outputs: check as if there were no cache
        return _checked(root, [folder.name for folder in review_folders(root) if scope.touches(folder)], places)
    cache = Cache(out, root)
    shared = [today.isoformat(), cache.fingerprint(root / "reviews" / "board.yml"), cache.folder_fingerprint(root / "schema"),
              _people(cache, root)]
    units: dict[str, tuple[list[Path], str]] = {}
    for folder in review_folders(root):
        if scope.touches(folder):
            units[REVIEW + folder.name] = ([folder], cache.key("check", shared, cache.folder_fingerprint(folder)))
    outside = _outside_reviews(root)
    if any(scope.touches(place) for place in outside):
        units[REPOSITORY] = (outside, cache.key("check", shared, [_fingerprint(cache, place) for place in outside]))
    found: list[Finding] = []
    missed = []
    for name, (_, key) in units.items():
        entry = cache.hit(name, key)
        kept = _read(entry.get("data")) if entry is not None else None
        if kept is None:
            missed.append(name)
        else:
            found += kept
    if missed:
        folders = [place for name in missed for place in units[name][0]]
        fresh = _checked(root, [name.removeprefix(REVIEW) for name in missed if name.startswith(REVIEW)], folders)
        for name in missed:
            part = Scope(root, units[name][0])
            mine = [f for f in fresh if part.keeps(f)]
            cache.record(name, units[name][1], [], data=[_written(f) for f in mine])
            found += mine
    cache.save()
    return ordered([f for f in found if scope.keeps(f)])


def _checked(root: Path, reviews: list[str], places: Sequence[Path] | None) -> list[Finding]:
    """The check itself, of those reviews loaded whole (the rules and the loader are imported only when one is needed)."""
    from sarflow.check import check
    from sarflow.load import load

    return check(load(root, reviews), places)


def _outside_reviews(root: Path) -> list[Path]:
    """Every place whose findings are in no review: reviews/board.yml and whatever else lies in reviews/, the site's files."""
    folders = set(review_folders(root))
    return [*(entry for entry in sorted((root / "reviews").iterdir()) if entry not in folders),
            root / "mkdocs.yml", root / "site"]


def _fingerprint(cache: Cache, place: Path) -> list[Any]:
    """A place of `_outside_reviews` as the key sees it: its name, what it is, and its content."""
    if place.is_symlink():
        return [place.name, "link"]
    if place.is_dir():
        return [place.name, "folder", cache.folder_fingerprint(place)]
    return [place.name, "file", cache.fingerprint(place)]


def _people(cache: Cache, root: Path) -> list[Any]:
    """What is restricted everywhere is read from these: each review.yml (the order of its agencies) and each imr.yml."""
    people: list[Any] = []
    for folder in review_folders(root):
        people.append([folder.name, cache.fingerprint(folder / "review.yml")])
        tree = walk(folder)
        people += [[path.relative_to(root).as_posix(), cache.fingerprint(path)] for path in tree.files if path.name == "imr.yml"]
        people += [[link.relative_to(root).as_posix(), "link"] for link in tree.links]
    return people


def _cache_folder(root: Path) -> Path | None:
    """build/, when check may keep its findings there: a real folder (or none yet), and its cache neither a link nor tracked by git."""
    build = root / "build"
    if build.is_symlink() or (build.exists() and not build.is_dir()):
        return None
    try:
        output_folder(build / ".cache")
    except OutputFolderError:
        return None
    return build


def _written(finding: Finding) -> dict[str, Any]:
    return {"severity": finding.severity.value, "code": finding.code, "message": finding.message, "hint": finding.hint,
            "path": finding.span.path, "line": finding.span.line, "col": finding.span.col,
            "follows": [_written(f) for f in finding.follows]}


def _read(data: Any) -> list[Finding] | None:
    """The findings an entry kept, or None when they are not all in the shape `_written` gives them."""
    if not isinstance(data, list):
        return None
    found = [_finding(item) for item in data]
    return None if any(f is None for f in found) else [f for f in found if f is not None]


def _finding(item: Any) -> Finding | None:
    if not isinstance(item, dict) or set(item) != {"severity", "code", "message", "hint", "path", "line", "col", "follows"}:
        return None
    texts = all(isinstance(item[k], str) for k in ("code", "message", "path")) and isinstance(item["hint"], str | None)
    numbers = all(type(item[k]) is int for k in ("line", "col"))
    if not texts or not numbers or item["severity"] not in ("error", "warning"):
        return None
    follows = _read(item["follows"])
    if follows is None:
        return None
    return Finding(Severity(item["severity"]), item["code"], item["message"], Span(item["path"], item["line"], item["col"]),
                   item["hint"], tuple(follows))
