"""Making the workbooks of one IMR or one review (`sarflow.xlsx` decides which are to be made)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from sarflow.dates import today
from sarflow.findings import Finding, Span, error
from sarflow.model import Imr, Repository, Review
from sarflow.outputs import FileErrors, OutputError, atomic_write, imr_dir, review_dir
from sarflow.xlsx import action_plan, chronology, marked, members
from sarflow.xlsx.layout import ACTION_PLAN_FILE, CHRONOLOGY_FILE
from sarflow.xlsx.package import package


def workbooks(repo: Repository, item: Imr | Review, out: Path, flagged: FileErrors) -> list[Finding]:
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
    held = members(review)
    names = [review.agency_name(imr.agency_id) for imr in held]
    reference = review.reference or review.id
    plan = [
        action_plan.PlanRow(name, a, review.action_reference(imr.agency_id, a.no), imr.submitted)
        for name, imr in zip(names, held, strict=True)
        for a in imr.actions
    ]
    entries = [chronology.ChronologyRow(name, e) for name, imr in zip(names, held, strict=True) for e in imr.chronology]
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
    atomic_write(path, content)


def _failed(what: str, exc: Exception, span: Span) -> Finding:
    reason = str(exc) if isinstance(exc, OutputError) else f"{type(exc).__name__}: {exc}"
    return error(
        "xlsx-failed",
        f"could not build {what}: {reason}",
        getattr(exc, "span", None) or span,
        "shorten or correct the value named here and build again; the other workbooks were written",
    )
