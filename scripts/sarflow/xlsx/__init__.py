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

from pathlib import Path

from openpyxl import Workbook

from sarflow.findings import Finding, Span, error
from sarflow.load import BOARD_FILE
from sarflow.model import Imr, Repository, Review
from sarflow.outputs import FileErrors, OutputError, atomic_write, imr_dir, review_dir
from sarflow.xlsx import action_plan, chronology, marked
from sarflow.xlsx.layout import ACTION_PLAN_FILE, CHRONOLOGY_FILE
from sarflow.xlsx.package import package


def build(repo: Repository, imrs: list[Imr], out: Path, flagged: FileErrors | None = None) -> list[Finding]:
    """Write each IMR's workbooks, then each review's; one made from files with errors (`flagged`) is marked."""
    flagged = flagged or FileErrors(repo.root, BOARD_FILE)
    findings: list[Finding] = []
    touched: dict[str, Review] = {}
    for imr in imrs:
        review = repo.review(imr.review_id)
        if review is None:
            continue
        touched.setdefault(review.id, review)
        try:
            _imr_workbooks(repo, review, imr, imr_dir(out, review.id, imr.agency_id), flagged.of_imr(imr))
        except Exception as exc:  # noqa: BLE001 - one IMR must not stop the others
            findings.append(_failed(f"the workbooks of {review.id}/{imr.agency_id}", exc, imr.at))
    for review in touched.values():
        try:
            _review_workbooks(repo, review, review_dir(out, review.id), flagged.of_review(review))
        except Exception as exc:  # noqa: BLE001 - one review must not stop the others
            findings.append(_failed(f"the workbooks of review {review.id}", exc, review.at))
    return findings


def _imr_workbooks(repo: Repository, review: Review, imr: Imr, folder: Path, behind: list[Finding]) -> None:
    name = review.agency_name(imr.agency_id)
    reference = review.reference or review.id
    plan = [action_plan.PlanRow(name, action) for action in imr.actions]
    entries = [chronology.ChronologyRow(name, entry) for entry in imr.chronology]
    _save(folder / ACTION_PLAN_FILE, action_plan.workbook(repo.template, plan, f"{reference} Action Plan: {name}"), behind)
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
        action_plan.PlanRow(name, a, review.action_reference(imr.agency_id, a.no))
        for name, imr in zip(names, members, strict=True)
        for a in imr.actions
    ]
    entries = [chronology.ChronologyRow(name, e) for name, imr in zip(names, members, strict=True) for e in imr.chronology]
    _save(
        folder / ACTION_PLAN_FILE,
        action_plan.workbook(repo.template, plan, f"{reference} Action Plan: all agencies", agencies=names),
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
