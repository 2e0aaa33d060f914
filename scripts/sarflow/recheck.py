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
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sarflow.cache import Cache
from sarflow.findings import Finding, Severity, Span, ordered
from sarflow.links import Tree, walk
from sarflow.outputs import OutputFolderError, output_folder
from sarflow.scope import Scope, review_folders, split

if TYPE_CHECKING:
    from sarflow.model import Repository
    from sarflow.restricted import People

REVIEW = "check/review/"  # and the review's id: the entry of its findings
REPOSITORY = "check/repository"
PEOPLE = "check/people/"  # and the review's id: what its IMRs say about people


def check_kept(root: Path, places: Sequence[Path] | None, today: dt.date, jobs: int = 1,
               repo: Repository | None = None) -> list[Finding]:
    """`check(load(root), places)`, with each review's findings kept under build/.cache while its files are unchanged.

    The reviews checked afresh are checked `jobs` at a time (sarflow.check.shares); with `repo`, the repository
    already loaded whole (`load(root)`, as a build has it), nothing is loaded again.
    """
    scope = Scope(root, places)
    out = _cache_folder(root)
    if out is None:  # build/ is not a real folder of outputs: check as if there were no cache
        return _checked(root, [folder.name for folder in review_folders(root) if scope.touches(folder)], places, repo)
    cache = Cache(out, root)
    trees = {folder: walk(folder) for folder in review_folders(root)}  # each review's folder walked once a run
    shared = [today.isoformat(), cache.fingerprint(root / "reviews" / "board.yml"), cache.folder_fingerprint(root / "schema"),
              [_people_files(cache, root, folder, tree) for folder, tree in trees.items()]]
    units: dict[str, tuple[list[Path], str]] = {}
    for folder, tree in trees.items():
        if scope.touches(folder):
            units[REVIEW + folder.name] = ([folder], cache.key("check", shared, cache.folder_fingerprint(folder, tree=tree)))
    outside = _outside_reviews(root, trees.keys())
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
        fresh = _afresh(cache, root, [name.removeprefix(REVIEW) for name in missed if name.startswith(REVIEW)],
                        outside if REPOSITORY in missed else [], trees, jobs, repo)
        for name, mine in split(root, {name: units[name][0] for name in missed}, fresh).items():
            cache.record(name, units[name][1], [], data=[_written(f) for f in mine])
            found += mine
    cache.save()
    return ordered([f for f in found if scope.keeps(f)])


def _checked(root: Path, reviews: list[str], places: Sequence[Path] | None, repo: Repository | None) -> list[Finding]:
    """The check itself, of those reviews loaded whole (the rules and the loader are imported only when one is needed)."""
    from sarflow.check import check
    from sarflow.load import load

    return check(repo or load(root, reviews), places)


def _afresh(cache: Cache, root: Path, reviews: list[str], outside: list[Path], trees: Mapping[Path, Tree], jobs: int,
            repo: Repository | None) -> list[Finding]:
    """Those reviews loaded whole (unless `repo` is given) and checked, with the places `outside` them; who is
    restricted in every other review is what was kept of it (`_kept_people`), so that its imr.yml files are read
    again only when one has changed."""
    from sarflow.check.shares import checked

    def everyone(named: Mapping[str, list[People]]) -> list[People]:  # only the reviews' rules ask what is restricted
        folders = trees.items() if reviews else []
        return [p for folder, tree in folders
                for p in (named[folder.name] if folder.name in named else _kept_people(cache, root, folder, tree))]

    return checked(root, reviews, outside, everyone, jobs, repo)


def _kept_people(cache: Cache, root: Path, folder: Path, tree: Tree) -> list[People]:
    """What the IMRs of the review in `folder` say about people (sarflow.restricted.People), kept while its
    review.yml (the order of its agencies) and its imr.yml files are unchanged."""
    from sarflow.load import board_template, load_review
    from sarflow.restricted import People

    name, key = PEOPLE + folder.name, cache.key("people", _people_files(cache, root, folder, tree))
    entry = cache.hit(name, key)
    kept = _read_people(entry.get("data")) if entry is not None else None
    if kept is None:
        review = load_review(root, folder, board_template(root), [], whole=False)
        kept = [People.of(imr) for imr in review.imrs.values()]
        cache.record(name, key, [], data=[_written_people(p) for p in kept])
    return kept


def _outside_reviews(root: Path, folders: Collection[Path]) -> list[Path]:
    """Every place whose findings are in none of the review `folders`: reviews/board.yml and whatever else lies in
    reviews/, the site's files."""
    return [*(entry for entry in sorted((root / "reviews").iterdir()) if entry not in folders),
            root / "mkdocs.yml", root / "site"]


def _fingerprint(cache: Cache, place: Path) -> list[Any]:
    """A place of `_outside_reviews` as the key sees it: its name, what it is, and its content."""
    if place.is_symlink():
        return [place.name, "link"]
    if place.is_dir():
        return [place.name, "folder", cache.folder_fingerprint(place)]
    return [place.name, "file", cache.fingerprint(place)]


def _people_files(cache: Cache, root: Path, folder: Path, tree: Tree) -> list[Any]:
    """One review's files that say who is restricted (what is restricted everywhere is read from every review's): its
    review.yml (the order of its agencies) and its IMRs' imr.yml, with any link among them; `tree` is its folder walked."""
    return [folder.name, cache.fingerprint(folder / "review.yml"),
            *([path.relative_to(root).as_posix(), cache.fingerprint(path)] for path in tree.files if path.name == "imr.yml"),
            *([link.relative_to(root).as_posix(), "link"] for link in tree.links)]


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


def _written_people(people: People) -> dict[str, Any]:
    return {"where": people.where, "staff": [list(s) for s in people.staff], "signatories": [list(s) for s in people.signatories],
            "family": [[name, born.isoformat() if born else None, address] for name, born, address in people.family]}


def _read_people(data: Any) -> list[People] | None:
    """What an entry kept about people, or None when it is not all in the shape `_written_people` gives it."""
    from sarflow.restricted import People

    def rows(value: Any, size: int) -> list[list[str | None]] | None:
        good = isinstance(value, list) and all(
            isinstance(row, list) and len(row) == size and all(v is None or isinstance(v, str) for v in row) for row in value)
        return value if good else None

    if not isinstance(data, list):
        return None
    kept = []
    for item in data:
        if not isinstance(item, dict) or set(item) != {"where", "staff", "signatories", "family"} or not isinstance(item["where"], str):
            return None
        staff, signed, family = rows(item["staff"], 2), rows(item["signatories"], 2), rows(item["family"], 3)
        if staff is None or signed is None or family is None or any(role is None for role, _ in signed):
            return None
        try:
            members = tuple((name, dt.date.fromisoformat(born) if born else None, address) for name, born, address in family)
        except ValueError:
            return None
        kept.append(People(item["where"], tuple((a, b) for a, b in staff), tuple((str(a), b) for a, b in signed), members))
    return kept
