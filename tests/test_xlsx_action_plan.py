"""The Action Plan workbooks, opened with openpyxl and recalculated by a real formula engine.

Expectations come from the loaded example and the template, never from literals: the
columns, statuses and labels are the template's; the counts are the model's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
import subprocess
import time
import zipfile
from collections import Counter
from pathlib import Path

import formulas
import openpyxl
import pytest

from sarflow.cli import main
from sarflow.dates import today
from sarflow.model import Repository, listed
from sarflow.outputs import imr_dir, review_dir
from sarflow.rating import GREEN, RAG, rate
from sarflow.xlsx.action_plan import RAG_TITLE
from sarflow.xlsx.layout import (
    ACTION_PLAN_FILE,
    FIRST_ROW,
    HEADER_ROW,
    OVERDUE,
    REFERENCE_TITLE,
    SPARE_ROWS,
    SUMMARY_SHEET,
    TOTAL,
    UPDATE_DATE,
    UPDATE_TEXT,
    UPDATES_SHEET,
)
from sarflow.xlsx.printing import NARROWEST

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("xlsx-build")
    assert main(["--root", str(ROOT), "build", "--only", "xlsx", "--out", str(folder)]) == 0
    return folder


def test_a_rebuild_writes_the_same_bytes(out: Path, tmp_path: Path) -> None:
    """No time of building is kept in a workbook (openpyxl stamps one in its properties and on every
    part), so a workbook whose review did not change comes out byte for byte the same."""
    books = sorted(p.relative_to(out) for p in out.rglob("*.xlsx"))
    for book in books:
        with zipfile.ZipFile(out / book) as package:
            assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}, book
            core = package.read("docProps/core.xml").decode()
        assert "dcterms:created" not in core and "dcterms:modified" not in core, book
    time.sleep(2)  # a zip records times to the two seconds
    assert main(["--root", str(ROOT), "build", "--only", "xlsx", "--out", str(tmp_path)]) == 0
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.xlsx")) == books
    assert [book for book in books if (out / book).read_bytes() != (tmp_path / book).read_bytes()] == []


@pytest.fixture(scope="module")
def busiest(example: Repository):
    """The IMR with the most actions (the example's has completed, open and overdue ones)."""
    return max(example.imrs(), key=lambda imr: len(imr.actions))


def agency_name(repo: Repository, imr) -> str:
    agency = repo.review(imr.review_id).agency(imr.agency_id)
    return agency.name if agency and agency.name else imr.agency_id


def letter(repo: Repository, key: str) -> str:
    keys = [c.key for c in repo.template.action_plan.workbook_columns]
    return openpyxl.utils.get_column_letter(keys.index(key) + 1)


def recalculate(path: Path) -> dict[tuple[str, str], object]:
    """Every cell's value as the `formulas` engine computes it: (SHEET, A1) -> value."""
    solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    values = {}
    for ref, result in solution.items():
        sheet, _, cell = ref.rpartition("!")
        if ":" in cell:
            continue
        value = result.value[0][0] if hasattr(result, "value") else result
        values[(sheet.split("]")[-1].strip("'").upper(), cell)] = value.item() if hasattr(value, "item") else value
    return values


def summary_counts(values: dict, sheet: str, labels: list[str]) -> dict[str, float]:
    """The Summary sheet's label -> count, from recalculated values."""
    by_row = {int(re.sub(r"\D", "", cell)): v for (s, cell), v in values.items() if s == sheet and cell.startswith("A")}
    return {label: values[(sheet, f"B{row}")] for row, label in by_row.items() if label in labels}


def expected_counts(repo: Repository, actions) -> dict[str, int]:
    plan = repo.template.action_plan
    statuses = Counter(a.status for a in actions)
    today = dt.date.today()  # what TODAY() gives the engine
    counts = {s: statuses.get(s, 0) for s in plan.statuses}
    counts[plan.not_logged] = statuses.get(None, 0)
    counts[OVERDUE] = sum(a.is_overdue(today, plan.completed) for a in actions)
    counts[TOTAL] = len(actions)
    return counts


def test_sheets_header_and_todays_date(out: Path, example: Repository, busiest) -> None:
    plan = example.template.action_plan
    book = openpyxl.load_workbook(imr_dir(out, busiest.review_id, busiest.agency_id) / ACTION_PLAN_FILE)
    assert book.sheetnames == [plan.sheet, SUMMARY_SHEET, UPDATES_SHEET, plan.status_sheet]
    ws = book[plan.sheet]
    # the template's 15 columns in its order, then sarflow's Lesson column and the board's RAG
    assert [c.value for c in ws[HEADER_ROW]] == [c.title for c in plan.columns] + ["Lesson", RAG_TITLE]
    assert len(plan.columns) == 15
    assert ws["A1"].value == plan.today_label
    assert ws["B1"].value == "=TODAY()" and ws["B1"].data_type == "f"
    assert ws["B1"].number_format == "dd/mm/yyyy"
    status_sheet = book[plan.status_sheet]
    assert [c.value for c in status_sheet["A"]] == list(plan.statuses)


def test_rows_hold_the_actions_with_real_dates(out: Path, example: Repository, busiest) -> None:
    plan = example.template.action_plan
    ws = openpyxl.load_workbook(imr_dir(out, busiest.review_id, busiest.agency_id) / ACTION_PLAN_FILE)[plan.sheet]
    keys = [c.key for c in plan.workbook_columns]
    assert busiest.actions, "the example should have actions"
    for row, action in enumerate(busiest.actions, start=FIRST_ROW):
        cells = {key: ws.cell(row, col) for col, key in enumerate(keys, start=1)}
        assert cells["no"].value == action.no
        for key in ("recommendation", "key_actions", "evidence", "key_outcome", "lead_officer", "status", "comment"):
            assert cells[key].value == getattr(action, key), (row, key)
        for key in ("target_date", "date_completed"):
            value = getattr(action, key)
            assert (cells[key].value.date() if cells[key].value else None) == value, (row, key)
            assert cells[key].number_format == "dd/mm/yyyy"
            if value:
                assert cells[key].is_date
        assert cells["agency"].value == agency_name(example, busiest)
        assert cells["lesson"].value == listed(action.lesson) and cells["lesson"].data_type == "s"
        assert cells["recommendation"].alignment.wrap_text
    spare = FIRST_ROW + len(busiest.actions)
    assert all(ws.cell(spare, keys.index(k) + 1).value is None for k in ("no", "recommendation", "status"))


def test_updates_sheet_lists_every_update(out: Path, example: Repository, busiest) -> None:
    plan = example.template.action_plan
    ws = openpyxl.load_workbook(imr_dir(out, busiest.review_id, busiest.agency_id) / ACTION_PLAN_FILE)[UPDATES_SHEET]
    titles = {c.key: c.title for c in plan.columns}
    assert [c.value for c in ws[1]] == [titles["no"], UPDATE_DATE, UPDATE_TEXT, titles["agency"]]
    rows = [(r[0].value, r[1].value.date(), r[2].value) for r in ws.iter_rows(min_row=2)]
    assert rows == [(a.no, u.date, u.text) for a in busiest.actions for u in a.updates]
    assert ws["B2"].number_format == "dd/mm/yyyy"


def test_formula_columns_are_live_formulas(out: Path, example: Repository, busiest) -> None:
    plan = example.template.action_plan
    ws = openpyxl.load_workbook(imr_dir(out, busiest.review_id, busiest.agency_id) / ACTION_PLAN_FILE)[plan.sheet]
    status = letter(example, "status")
    last = FIRST_ROW + len(busiest.actions) + SPARE_ROWS - 1
    formula_keys = [c.key for c in plan.columns if c.key.startswith("formula_")] + ["overall"]
    for row in range(FIRST_ROW, last + 1):
        for key in formula_keys:
            cell = ws[f"{letter(example, key)}{row}"]
            assert cell.data_type == "f", cell.coordinate
            assert f"${status}{row}" in cell.value
    overall = ws[f"{letter(example, 'overall')}{FIRST_ROW}"].value
    assert f"${letter(example, 'target_date')}{FIRST_ROW}" in overall and "$B$1" in overall


def test_engine_recalculates_rows_and_summary(out: Path, example: Repository, busiest) -> None:
    plan = example.template.action_plan
    path = imr_dir(out, busiest.review_id, busiest.agency_id) / ACTION_PLAN_FILE
    values = recalculate(path)
    sheet = plan.sheet.upper()
    today = dt.date.today()
    formula_keys = [c.key for c in plan.columns if c.key.startswith("formula_")]
    for row, action in enumerate(busiest.actions, start=FIRST_ROW):
        for key, status in zip(formula_keys, plan.statuses, strict=True):
            expected = plan.not_logged if action.status is None else ("Yes" if action.status == status else "No")
            assert values[(sheet, f"{letter(example, key)}{row}")] == expected
        overall = OVERDUE if action.is_overdue(today, plan.completed) else (action.status or plan.overall_not_logged)
        assert values[(sheet, f"{letter(example, 'overall')}{row}")] == overall
    spare = FIRST_ROW + len(busiest.actions)
    assert [values[(sheet, f"{letter(example, k)}{spare}")] for k in formula_keys] == [plan.not_logged] * len(formula_keys)
    assert values[(sheet, f"{letter(example, 'overall')}{spare}")] == plan.overall_not_logged
    expected = expected_counts(example, busiest.actions)
    assert summary_counts(values, SUMMARY_SHEET.upper(), list(expected)) == expected


def test_changing_a_status_in_excel_changes_the_counts(out: Path, example: Repository, busiest, tmp_path: Path) -> None:
    """What someone does in Excel: pick another status, clear one; the formulas follow."""
    plan = example.template.action_plan
    book = openpyxl.load_workbook(imr_dir(out, busiest.review_id, busiest.agency_id) / ACTION_PLAN_FILE)
    ws = book[plan.sheet]
    status, target = letter(example, "status"), letter(example, "target_date")
    first, second = FIRST_ROW, FIRST_ROW + 1
    ws[f"{status}{first}"] = plan.statuses[-1]
    ws[f"{status}{second}"] = None
    ws[f"{target}{second}"] = dt.date.today() + dt.timedelta(days=30)
    path = tmp_path / "changed.xlsx"
    book.save(path)
    values = recalculate(path)
    actions = list(busiest.actions)
    actions[0] = dataclasses.replace(actions[0], status=plan.statuses[-1])
    actions[1] = dataclasses.replace(actions[1], status=None, target_date=dt.date.today() + dt.timedelta(days=30))
    expected = expected_counts(example, actions)
    assert summary_counts(values, SUMMARY_SHEET.upper(), list(expected)) == expected
    assert values[(plan.sheet.upper(), f"{letter(example, 'formula_completed')}{second}")] == plan.not_logged


def test_data_validation_ranges(out: Path, example: Repository, busiest) -> None:
    plan = example.template.action_plan
    ws = openpyxl.load_workbook(imr_dir(out, busiest.review_id, busiest.agency_id) / ACTION_PLAN_FILE)[plan.sheet]
    last = FIRST_ROW + len(busiest.actions) + SPARE_ROWS - 1
    rules = {dv.type: dv for dv in ws.data_validations.dataValidation}
    status = rules["list"]
    assert status.formula1 == f"'{plan.status_sheet}'!$A$1:$A${len(plan.statuses)}"
    assert str(status.sqref) == f"{letter(example, 'status')}{FIRST_ROW}:{letter(example, 'status')}{last}"
    assert status.showErrorMessage
    dates = {str(r) for r in rules["date"].sqref.ranges}
    assert dates == {f"{letter(example, k)}{FIRST_ROW}:{letter(example, k)}{last}" for k in ("target_date", "date_completed")}
    assert str(rules["whole"].sqref) == f"A{FIRST_ROW}:A{last}"


def test_conditional_formatting_rag(out: Path, example: Repository, busiest) -> None:
    """Each row's input cells take the colour of its RAG cell, which holds the board's rating
    (sarflow.rating, on the day of the build); tests/test_xlsx_rag.py tries random actions."""
    plan = example.template.action_plan
    ws = openpyxl.load_workbook(imr_dir(out, busiest.review_id, busiest.agency_id) / ACTION_PLAN_FILE)[plan.sheet]
    last = FIRST_ROW + len(busiest.actions) + SPARE_ROWS - 1
    (entry,) = list(ws.conditional_formatting)
    coloured = {c.column for r in entry.sqref.ranges for row in ws[r.coord] for c in row if c.row == FIRST_ROW}
    rag_column = len(plan.workbook_columns) + 1
    assert coloured == {n for n, f in enumerate(plan.workbook_columns, start=1) if f.kind != "formula"} | {rag_column}
    assert {r.min_row for r in entry.sqref.ranges} == {FIRST_ROW} and {r.max_row for r in entry.sqref.ranges} == {last}
    rules = sorted(entry.rules, key=lambda r: r.priority)
    rag = f"${openpyxl.utils.get_column_letter(rag_column)}{FIRST_ROW}"
    assert [r.formula for r in rules] == [[f'{rag}="{name}"'] for name in RAG]
    assert [r.dxf.fill.bgColor.rgb[-6:] for r in rules] == ["FFC7CE", "FFEB9C", "C6EFCE"]
    assert all(r.stopIfTrue for r in rules)
    on = today()
    for row, action in enumerate(busiest.actions, start=FIRST_ROW):
        rating = rate(action, on, plan.completed, example.board, busiest.submitted)
        assert ws.cell(row, rag_column).value == rating.rag, action.no
    assert {r.rag for r in (rate(a, on, plan.completed, example.board, busiest.submitted) for a in busiest.actions)} > {GREEN}


def test_print_setup_freeze_and_filter(out: Path, example: Repository, busiest) -> None:
    plan = example.template.action_plan
    book = openpyxl.load_workbook(imr_dir(out, busiest.review_id, busiest.agency_id) / ACTION_PLAN_FILE)
    ws = book[plan.sheet]
    last = FIRST_ROW + len(busiest.actions) + SPARE_ROWS - 1
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) in (int(ws.PAPERSIZE_A4), int(ws.PAPERSIZE_A3))
    assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert ws.oddHeader.center.text == example.template.marking
    assert ws.sheet_properties.pageSetUpPr.fitToPage and int(ws.page_setup.fitToWidth) == 1
    assert int(ws.page_setup.fitToHeight) == 0  # as many pages tall as needed, not squeezed onto one
    assert ws.freeze_panes == f"B{FIRST_ROW}"
    assert ws.auto_filter.ref == f"A{HEADER_ROW}:{openpyxl.utils.get_column_letter(len(plan.workbook_columns) + 1)}{last}"
    assert ws.column_dimensions[letter(example, "recommendation")].width >= NARROWEST
    assert ws.column_dimensions["A"].width < ws.column_dimensions[letter(example, "recommendation")].width
    for other in (book[SUMMARY_SHEET], book[UPDATES_SHEET]):
        assert other.page_setup.orientation == "landscape"
        assert other.oddHeader.center.text == example.template.marking


def test_review_workbook_has_every_agency(out: Path, example: Repository) -> None:
    plan = example.template.action_plan
    for review in example.reviews:
        path = review_dir(out, review.id) / ACTION_PLAN_FILE
        ws = openpyxl.load_workbook(path)[plan.sheet]
        listed = [a.id for a in review.agencies]
        readable = [i for i in review.imrs.values() if not any(f.severity.value == "error" for f in i.findings)]
        imrs = sorted(readable, key=lambda i: listed.index(i.agency_id) if i.agency_id in listed else len(listed))
        codes = {a.id: a.short_code for a in review.agencies}
        expected = [(f"{codes[imr.agency_id]}-{a.no}", agency_name(example, imr), a.no, a.recommendation)
                    for imr in imrs for a in imr.actions]
        # the reference (short code and number) and the agency lead, then the template's columns in order
        titles = [c.value for c in ws[HEADER_ROW]]
        template_titles = [c.title for c in plan.workbook_columns if c.key != "agency"]
        assert titles == [REFERENCE_TITLE, plan.title("agency"), *template_titles, RAG_TITLE]
        column = {t: openpyxl.utils.get_column_letter(n) for n, t in enumerate(titles, start=1)}
        shown = [column[t] for t in (REFERENCE_TITLE, plan.title("agency"), plan.title("no"), plan.title("recommendation"))]
        rows = [tuple(ws[f"{c}{r}"].value for c in shown) for r in range(FIRST_ROW, FIRST_ROW + len(expected))]
        assert rows == expected
        assert len({r[0] for r in rows}) == len(rows) > len({r[2] for r in rows})  # unique where the numbers are not
        assert ws.freeze_panes == f"C{FIRST_ROW}"  # reference and agency stay in view while scrolling sideways
        updates = openpyxl.load_workbook(path)[UPDATES_SHEET]
        assert [c.value for c in updates[1]][:3] == [REFERENCE_TITLE, plan.title("agency"), plan.title("no")]
        assert updates.freeze_panes == "C2"
        logged = [(r[0], r[1]) for r in updates.iter_rows(min_row=2, values_only=True)]
        assert logged == [(f"{codes[imr.agency_id]}-{a.no}", agency_name(example, imr))
                          for imr in imrs for a in imr.actions for _ in a.updates]
        values = recalculate(path)
        summary = SUMMARY_SHEET.upper()
        everything = [a for imr in imrs for a in imr.actions]
        counts = expected_counts(example, everything)
        assert summary_counts(values, summary, list(counts)) == counts
        # the per-agency table: one row per agency, the same counts as formulas
        book = openpyxl.load_workbook(path)
        table = book[SUMMARY_SHEET]
        heads = next(r for r in range(1, table.max_row + 1) if table.cell(r, 1).value == plan.title("agency"))
        titles = [c.value for c in table[heads]][1:]
        for offset, imr in enumerate(imrs, start=1):
            row = heads + offset
            assert table.cell(row, 1).value == agency_name(example, imr)
            got = {t: values[(summary, f"{openpyxl.utils.get_column_letter(i)}{row}")] for i, t in enumerate(titles, start=2)}
            assert got == expected_counts(example, imr.actions)


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice headless is not installed (make test installs it)")
def test_libreoffice_recalculates_the_same_counts(out: Path, example: Repository, tmp_path: Path) -> None:
    review = example.reviews[0]
    source = review_dir(out, review.id) / ACTION_PLAN_FILE
    profile = tmp_path / "profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "xlsx",
         "--outdir", str(tmp_path / "lo"), str(source)],
        check=True, capture_output=True, timeout=180,
    )
    book = openpyxl.load_workbook(tmp_path / "lo" / ACTION_PLAN_FILE, data_only=True)
    summary = book[SUMMARY_SHEET]
    got = {summary.cell(r, 1).value: summary.cell(r, 2).value for r in range(2, summary.max_row + 1)}
    expected = expected_counts(example, [a for imr in review.imrs.values() for a in imr.actions])
    assert {k: got[k] for k in expected} == expected


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice headless is not installed (make test installs it)")
def test_libreoffice_follows_a_changed_status_and_keeps_the_layout(out: Path, example: Repository, busiest, tmp_path: Path) -> None:
    """Statuses changed and an action added in a spare row, then saved by LibreOffice Calc:
    its own recalculation gives the model's answers, and validation, RAG and printing survive."""
    plan = example.template.action_plan
    source = tmp_path / "source" / ACTION_PLAN_FILE
    source.parent.mkdir()
    book = openpyxl.load_workbook(imr_dir(out, busiest.review_id, busiest.agency_id) / ACTION_PLAN_FILE)
    ws = book[plan.sheet]
    today = dt.date.today()
    past = today - dt.timedelta(days=3)
    actions = list(busiest.actions)
    actions[0] = dataclasses.replace(actions[0], status=plan.statuses[-1])
    actions[1] = dataclasses.replace(actions[1], status=None, target_date=past)
    added = dataclasses.replace(actions[1], no=max(a.no for a in actions) + 1, status=plan.statuses[1])
    actions.append(added)
    for row, action in ((FIRST_ROW, actions[0]), (FIRST_ROW + 1, actions[1]), (FIRST_ROW + len(busiest.actions), added)):
        ws[f"{letter(example, 'no')}{row}"] = action.no
        ws[f"{letter(example, 'recommendation')}{row}"] = action.recommendation
        ws[f"{letter(example, 'status')}{row}"] = action.status
        ws[f"{letter(example, 'target_date')}{row}"] = action.target_date
    book.save(source)
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to", "xlsx",
         "--outdir", str(tmp_path / "lo"), str(source)],
        check=True, capture_output=True, timeout=180,
    )
    saved = tmp_path / "lo" / ACTION_PLAN_FILE
    values = openpyxl.load_workbook(saved, data_only=True)
    sheet = values[plan.sheet]
    formula_keys = [c.key for c in plan.columns if c.key.startswith("formula_")]
    for row, action in enumerate(actions, start=FIRST_ROW):
        for key, status in zip(formula_keys, plan.statuses, strict=True):
            expected = plan.not_logged if action.status is None else ("Yes" if action.status == status else "No")
            assert sheet[f"{letter(example, key)}{row}"].value == expected, (row, key)
        overall = OVERDUE if action.is_overdue(today, plan.completed) else (action.status or plan.overall_not_logged)
        assert sheet[f"{letter(example, 'overall')}{row}"].value == overall, row
    spare = FIRST_ROW + len(actions)
    assert sheet[f"{letter(example, 'overall')}{spare}"].value == plan.overall_not_logged
    summary = values[SUMMARY_SHEET]
    got = {summary.cell(r, 1).value: summary.cell(r, 2).value for r in range(2, summary.max_row + 1)}
    expected = expected_counts(example, actions)
    assert {k: got[k] for k in expected} == expected
    ws = openpyxl.load_workbook(saved)[plan.sheet]
    last = FIRST_ROW + len(busiest.actions) + SPARE_ROWS - 1
    status = next(dv for dv in ws.data_validations.dataValidation if dv.type == "list")
    assert status.formula1.replace("'", "") == f"{plan.status_sheet}!$A$1:$A${len(plan.statuses)}"
    assert str(status.sqref) == f"{letter(example, 'status')}{FIRST_ROW}:{letter(example, 'status')}{last}"
    original = openpyxl.load_workbook(imr_dir(out, busiest.review_id, busiest.agency_id) / ACTION_PLAN_FILE)[plan.sheet]
    (entry,) = list(ws.conditional_formatting)
    (before,) = list(original.conditional_formatting)
    assert {str(r) for r in entry.sqref.ranges} == {str(r) for r in before.sqref.ranges}
    assert len(entry.rules) == 3
    assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert ws.oddHeader.center.text == example.template.marking
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == int(original.page_setup.paperSize)
    assert ws.protection.sheet and ws[f"{letter(example, 'recommendation')}{FIRST_ROW}"].protection.locked is False
    assert ws[f"{letter(example, 'target_date')}{FIRST_ROW}"].number_format.lower() == "dd/mm/yyyy"
    assert ws[f"{letter(example, 'target_date')}{FIRST_ROW}"].is_date
