"""The Excel outputs: the Action Plan and the Chronology, per IMR and per review.

    build/reviews/<review>/<agency>/Action Plan.xlsx   the template's Actions sheet, faithful
    build/reviews/<review>/<agency>/Chronology.xlsx
    build/reviews/<review>/Action Plan.xlsx            every agency, each action's reference (ASC-3) and agency first
    build/reviews/<review>/Chronology.xlsx             merged, in date and time order, the agency first

A review's workbooks hold every readable IMR of the review, even when the build was
asked for only some of its IMRs, so that they never silently leave an agency out.
Every workbook is written atomically; one that fails becomes an error finding
naming the IMR or review, and the others are still written.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from openpyxl import Workbook

from sarflow.dates import today
from sarflow.findings import Finding, Span, error
from sarflow.load import BOARD_FILE
from sarflow.model import Imr, Repository, Review
from sarflow.outputs import FileErrors, OutputError, atomic_write, imr_dir, review_dir
from sarflow.xlsx import action_plan, chronology, marked
from sarflow.xlsx.layout import ACTION_PLAN_FILE, CHRONOLOGY_FILE
from sarflow.xlsx.package import package


def build(repo: Repository, imrs: list[Imr], out: Path, flagged: FileErrors | None = None, jobs: int = 1) -> list[Finding]:
    """Write each IMR's workbooks, then each review's; one made from files with errors (`flagged`) is marked.

    With `jobs` above 1 the workbooks are made in that many processes at once (openpyxl is
    Python through and through, so threads would take turns): each is a fork of this one,
    so it has the loaded repository already and is sent only which workbook to make. The
    findings come in the same order either way.
    """
    flagged = flagged or FileErrors(repo.root, BOARD_FILE)
    reviews = {imr.review_id: review for imr in imrs if (review := repo.review(imr.review_id)) is not None}
    work: list[Imr | Review] = [*(imr for imr in imrs if imr.review_id in reviews), *reviews.values()]
    if jobs <= 1 or len(work) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [f for item in work for f in _workbooks(repo, item, out, flagged)]
    global _FORKED
    _FORKED = (repo, work, out, flagged)
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            return [f for found in pool.map(_forked, range(len(work))) for f in found]
    finally:
        _FORKED = None


# What the forked processes of one build read (set just before they are made).
_FORKED: tuple[Repository, list[Imr | Review], Path, FileErrors] | None = None


def _forked(n: int) -> list[Finding]:
    assert _FORKED is not None, "set by build before forking"
    repo, work, out, flagged = _FORKED
    return _workbooks(repo, work[n], out, flagged)


def _workbooks(repo: Repository, item: Imr | Review, out: Path, flagged: FileErrors) -> list[Finding]:
    """The workbooks of one IMR or one review, or the error that stopped them (the others still go on)."""
    if isinstance(item, Review):
        try:
            _review_workbooks(repo, item, review_dir(out, item.id), flagged.of_review(item))
        except Exception as exc:  # noqa: BLE001 - one review must not stop the others
            return [_failed(f"the workbooks of review {item.id}", exc, item.at)]
        return []
    review = repo.review(item.review_id)
    assert review is not None, "build only passes IMRs of a review"
    try:
        _imr_workbooks(repo, review, item, imr_dir(out, review.id, item.agency_id), flagged.of_imr(item))
    except Exception as exc:  # noqa: BLE001 - one IMR must not stop the others
        return [_failed(f"the workbooks of {review.id}/{item.agency_id}", exc, item.at)]
    return []


def _imr_workbooks(repo: Repository, review: Review, imr: Imr, folder: Path, behind: list[Finding]) -> None:
    name = review.agency_name(imr.agency_id)
    reference = review.reference or review.id
    plan = [action_plan.PlanRow(name, action, submitted=imr.submitted) for action in imr.actions]
    entries = [chronology.ChronologyRow(name, entry) for entry in imr.chronology]
    book = action_plan.workbook(repo.template, plan, f"{reference} Action Plan: {name}", today(), repo.board)
    _save(folder / ACTION_PLAN_FILE, book, behind)
    _save(
        folder / CHRONOLOGY_FILE,
        chronology.workbook(repo.template, entries, f"{reference} Chronology: {name}", with_agency=False),
        behind,
    )


def _review_workbooks(repo: Repository, review: Review, folder: Path, behind: list[Finding]) -> None:
    members = [imr for imr in review.imrs.values() if imr.readable]
    names = [review.agency_name(imr.agency_id) for imr in members]
    reference = review.reference or review.id
    plan = [
        action_plan.PlanRow(name, a, review.action_reference(imr.agency_id, a.no), imr.submitted)
        for name, imr in zip(names, members, strict=True)
        for a in imr.actions
    ]
    entries = [chronology.ChronologyRow(name, e) for name, imr in zip(names, members, strict=True) for e in imr.chronology]
    _save(
        folder / ACTION_PLAN_FILE,
        action_plan.workbook(repo.template, plan, f"{reference} Action Plan: all agencies", today(), repo.board,
                             agencies=names),
        behind,
    )
    merged = chronology.merged_order(entries, names)
    _save(
        folder / CHRONOLOGY_FILE,
        chronology.workbook(repo.template, merged, f"{reference} Chronology: all agencies", with_agency=True),
        behind,
    )


def _save(path: Path, book: Workbook, behind: list[Finding]) -> None:
    marked.mark(book, behind)
    content = package(book)
    atomic_write(path, lambda temporary: temporary.write_bytes(content))


def _failed(what: str, exc: Exception, span: Span) -> Finding:
    reason = str(exc) if isinstance(exc, OutputError) else f"{type(exc).__name__}: {exc}"
    return error(
        "xlsx-failed",
        f"could not build {what}: {reason}",
        getattr(exc, "span", None) or span,
        "shorten or correct the value named here and build again; the other workbooks were written",
    )
