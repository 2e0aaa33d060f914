"""The Excel outputs: the Action Plan and the Chronology, per IMR and per review.

    build/reviews/<review>/<agency>/Action Plan.xlsx   the template's Actions sheet, faithful
    build/reviews/<review>/<agency>/Chronology.xlsx
    build/reviews/<review>/Action Plan.xlsx            every agency, each action's reference (ASC-3) and agency first
    build/reviews/<review>/Chronology.xlsx             merged, in date and time order, the agency first

A review's workbooks hold every readable IMR of the review, even when the build was
asked for only some of its IMRs, so that they never silently leave an agency out.
Every workbook is written atomically; one that fails becomes an error finding
naming the IMR or review, and the others are still written. This module decides what
to make (and what is up to date); `sarflow.xlsx.books` makes them, and is imported
(with openpyxl, a second or so) only when there is a workbook to make.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from sarflow import forked, rating
from sarflow.cache import Cache
from sarflow.dates import today
from sarflow.findings import Finding
from sarflow.forked import Workers
from sarflow.load import BOARD_FILE, IMR_DATA
from sarflow.model import Board, Imr, Repository, Review
from sarflow.outputs import FileErrors, imr_dir, review_dir
from sarflow.progress import Progress
from sarflow.xlsx.layout import ACTION_PLAN_FILE, CHRONOLOGY_FILE

WORKBOOKS = 2  # an IMR's or a review's: the Action Plan and the Chronology


def build(repo: Repository, imrs: list[Imr], out: Path, flagged: FileErrors | None = None, cache: Cache | None = None,
          workers: Workers | None = None) -> list[Finding]:
    """Write each IMR's workbooks, then each review's; one made from files with errors (`flagged`) is marked.

    Given the build's `workers` (`sarflow.forked`: copies of the build's process, which have
    the loaded repository already; openpyxl is Python through and through, so threads would
    take turns), the workbooks are made in those, beside the Word reports, each sent only
    which workbook to make. The findings come in the same order either way. With a `cache`,
    the workbooks of an IMR or a review are left as they are while what they are made from
    is as it was (`entry`) and the files on disk are the ones the cache recorded.
    """
    flagged = flagged or FileErrors(repo.root, BOARD_FILE)
    reviews = {imr.review_id: review for imr in imrs if (review := repo.review(imr.review_id)) is not None}
    work: list[Imr | Review] = [*(imr for imr in imrs if imr.review_id in reviews), *reviews.values()]
    entries = {id(item): entry(cache, item, out, flagged, repo.board) for item in work} if cache else {}
    if cache:
        work = [item for item in work if not cache.hit(*entries[id(item)][:2])]
        for item in work:
            cache.forget(entries[id(item)][0])
    found: list[list[Finding]] = []
    with Progress("workbooks", WORKBOOKS * len(work)) as progress:
        for problems in _made(repo, work, out, flagged, workers):
            found.append(problems)
            progress.made(WORKBOOKS)
    for item, problems in zip(work, found, strict=True):
        if cache and not problems:
            cache.record(*entries[id(item)])
    return [f for problems in found for f in problems]


def entry(cache: Cache, item: Imr | Review, out: Path, flagged: FileErrors, board: Board | None
          ) -> tuple[str, str, list[Path]]:
    """The cache's entry for the workbooks of one IMR or review: its name, the key of what they are made
    from and the files.

    An IMR's workbooks are made from its data files (the actions and chronology, with imr.yml
    beside them), its review's review.yml (the agency's name and short code, the reference)
    and the errors check found in the IMR's files and those two, which they list; a
    review's from review.yml, the data files of each IMR that can be read, and the errors in
    any file of the review. The Action Plan's RAG column is the board's rating on the day of
    the build, so the day and the board's RAG settings (the key above it) are in the key too;
    neither workbook shows the board's name or the IMRs' sections.
    """
    data: object
    if isinstance(item, Review):
        folder, name, review_file = review_dir(out, item.id), f"xlsx/{item.id}", item.folder / "review.yml"
        data, behind = [[imr.agency_id, _data(cache, imr)] for imr in members(item)], flagged.of_review(item)
    else:
        folder, name = imr_dir(out, item.review_id, item.agency_id), f"xlsx/{item.review_id}/{item.agency_id}"
        data, behind, review_file = _data(cache, item), flagged.of_imr(item), item.folder.parent / "review.yml"
    key = cache.key("xlsx", cache.fingerprint(review_file), data, [repr(f) for f in behind], today().isoformat(),
                    rating.key(board))
    return name, key, [folder / ACTION_PLAN_FILE, folder / CHRONOLOGY_FILE]


def _data(cache: Cache, imr: Imr) -> list[str | None]:
    return [cache.fingerprint(imr.folder / name) for name in IMR_DATA]


def members(review: Review) -> list[Imr]:
    """The IMRs a review's workbooks hold: every one whose files can be read."""
    return [imr for imr in review.imrs.values() if imr.readable]


def _made(repo: Repository, work: list[Imr | Review], out: Path, flagged: FileErrors, workers: Workers | None
          ) -> Iterator[list[Finding]]:
    """The findings of making each item's workbooks, in the order of `work`, as each is made: here, or in the
    build's `workers`, each sent which item it is and the errors of its files."""
    if not work:
        return iter(())
    if workers is None:
        from sarflow.xlsx.books import workbooks

        return (workbooks(repo, item, out, flagged) for item in work)

    def sent(item: Imr | Review) -> tuple[str, str | None, Path, FileErrors]:
        behind = flagged.of_review(item) if isinstance(item, Review) else flagged.of_imr(item)
        files = FileErrors(flagged.root, flagged.board_file, tuple(behind))
        return (item.id, None, out, files) if isinstance(item, Review) else (item.review_id, item.agency_id, out, files)

    return workers.map(_made_there, [sent(item) for item in work])


def _made_there(review_id: str, agency_id: str | None, out: Path, flagged: FileErrors) -> list[Finding]:
    """The workbooks of one review (`agency_id` None) or one of its IMRs, of the model the build loaded."""
    from sarflow.xlsx.books import workbooks

    review = forked.review(review_id)
    return workbooks(forked.repository(), review if agency_id is None else review.imrs[agency_id], out, flagged)
