"""Author text is always literal text in a workbook, never a formula.

A copy of the example gets text that a spreadsheet would take for a formula in every
kind of author field; the built workbooks must hold it as string cells (read back
with openpyxl and checked in the raw sheet XML), and only sarflow's own formula
cells may hold formulas. A value no workbook can hold stops only its own IMR.
"""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import formulas
import openpyxl
import pytest
from ruamel.yaml import YAML

from helpers import column_titled
from sarflow.cli import main
from sarflow.load import load
from sarflow.outputs import imr_dir, review_dir
from sarflow.xlsx import cells, printing
from sarflow.xlsx.layout import (
    ACTION_PLAN_FILE,
    CHRONOLOGY_FILE,
    CHRONOLOGY_SHEET,
    FIRST_ROW,
    HEADER_ROW,
    SPARE_ROWS,
    SUMMARY_SHEET,
    TODAY_ROW,
    UPDATE_TEXT,
    UPDATES_SHEET,
)

ROOT = Path(__file__).resolve().parents[1]
NASTY = [
    '=HYPERLINK("http://example.org","click")',
    "=1+1",
    "+44 20 7946 0000",
    "-1",
    "@SUM(A1)",
    "=cmd|' /C calc'!A0",
]
ACTION_FIELDS = ["recommendation", "key_actions", "evidence", "key_outcome", "lead_officer", "comment"]
AGENCY = "=1+1 & Sons"
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def rewrite(path: Path, change) -> None:
    rt = YAML()
    rt.preserve_quotes = True
    rt.indent(mapping=2, sequence=4, offset=2)
    data = rt.load(path.read_text(encoding="utf-8"))
    change(data)
    with path.open("w", encoding="utf-8") as handle:
        rt.dump(data, handle)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("injection-repo")
    for name in ("reviews", "schema"):
        shutil.copytree(ROOT / name, root / name)
    imr = max(load(root).imrs(), key=lambda i: len(i.actions))

    def actions(data) -> None:
        first = data["actions"][0]
        for key, text in zip(ACTION_FIELDS, NASTY, strict=True):
            first[key] = text
        first.setdefault("updates", [{"date": "2026-01-01", "text": "x"}])[0]["text"] = NASTY[0]

    def chronology(data) -> None:
        entry = data["entries"][0]
        entry["source"], entry["event"], entry["action"] = NASTY[1], NASTY[0], NASTY[4]

    def review(data) -> None:
        next(a for a in data["agencies"] if a["id"] == imr.agency_id)["name"] = AGENCY

    rewrite(imr.folder / "actions.yml", actions)
    rewrite(imr.folder / "chronology.yml", chronology)
    rewrite(imr.folder.parent / "review.yml", review)
    out = root / "out"
    # the telephone number in a status field is an error (restricted): the workbooks are still
    # built, marked as made from files with errors, and the build exits 1
    assert main(["--root", str(root), "build", "--only", "xlsx", "--out", str(out)]) == 1
    repo = load(root)
    return repo, repo.review(imr.review_id).imrs[imr.agency_id], out


def formula_cells(path: Path, sheet_index: int) -> set[str]:
    """The cells whose raw XML holds an <f> element, in the sheet at `sheet_index` (0-based)."""
    with zipfile.ZipFile(path) as archive:
        root = ElementTree.fromstring(archive.read(f"xl/worksheets/sheet{sheet_index + 1}.xml"))
    return {c.get("r") for c in root.iter(f"{MAIN}c") if c.find(f"{MAIN}f") is not None}


def test_action_fields_stay_text(built) -> None:
    repo, imr, out = built
    plan = repo.template.action_plan
    for path in (imr_dir(out, imr.review_id, imr.agency_id) / ACTION_PLAN_FILE, review_dir(out, imr.review_id) / ACTION_PLAN_FILE):
        ws = openpyxl.load_workbook(path)[plan.sheet]
        agency = column_titled(ws, plan.title("agency"), HEADER_ROW)
        row = next(r for r in range(FIRST_ROW, ws.max_row + 1) if ws[f"{agency}{r}"].value == AGENCY)
        for key, text in zip(ACTION_FIELDS, NASTY, strict=True):
            cell = ws[f"{column_titled(ws, plan.title(key), HEADER_ROW)}{row}"]
            assert cell.value == text and cell.data_type == "s", (path.name, key)
        updates = openpyxl.load_workbook(path)[UPDATES_SHEET]
        texts = {(c.value, c.data_type) for c in updates[column_titled(updates, UPDATE_TEXT, 1)][1:]}
        assert (NASTY[0], "s") in texts


def test_only_sarflows_own_cells_hold_formulas(built) -> None:
    repo, imr, out = built
    plan = repo.template.action_plan
    path = imr_dir(out, imr.review_id, imr.agency_id) / ACTION_PLAN_FILE
    book = openpyxl.load_workbook(path)
    last = FIRST_ROW + len(imr.actions) + SPARE_ROWS - 1
    own = [openpyxl.utils.get_column_letter(i) for i, c in enumerate(plan.columns, start=1)
           if c.key.startswith("formula_") or c.key == "overall"]
    expected = {f"B{TODAY_ROW}"} | {f"{col}{row}" for col in own for row in range(FIRST_ROW, last + 1)}
    assert formula_cells(path, book.sheetnames.index(plan.sheet)) == expected
    assert formula_cells(path, book.sheetnames.index(UPDATES_SHEET)) == set()
    assert all(not c.startswith("A") for c in formula_cells(path, book.sheetnames.index(SUMMARY_SHEET)))
    chronology = imr_dir(out, imr.review_id, imr.agency_id) / CHRONOLOGY_FILE
    for path in (chronology, review_dir(out, imr.review_id) / CHRONOLOGY_FILE):
        assert formula_cells(path, openpyxl.load_workbook(path).sheetnames.index(CHRONOLOGY_SHEET)) == set()


def test_chronology_and_agency_names_stay_text(built) -> None:
    repo, imr, out = built
    ws = openpyxl.load_workbook(review_dir(out, imr.review_id) / CHRONOLOGY_FILE)[CHRONOLOGY_SHEET]
    keys = ["agency"] + [c.key for c in repo.template.chronology_columns]  # the merged chronology leads with the agency
    ours = [r for r in ws.iter_rows(min_row=2) if r[0].value == AGENCY]
    assert ours and all(r[0].data_type == "s" for r in ours)
    first = next(r for r in ours if r[keys.index("event")].value == NASTY[0])
    assert first[keys.index("source")].value == NASTY[1] and first[keys.index("source")].data_type == "s"
    assert first[keys.index("action")].value == NASTY[4] and first[keys.index("action")].data_type == "s"
    summary = openpyxl.load_workbook(review_dir(out, imr.review_id) / ACTION_PLAN_FILE)[SUMMARY_SHEET]
    assert any(c.value == AGENCY and c.data_type == "s" for c in summary["A"])


def test_text_beginning_like_a_formula_keeps_excels_quote_prefix(built) -> None:
    repo, imr, out = built
    ws = openpyxl.load_workbook(imr_dir(out, imr.review_id, imr.agency_id) / ACTION_PLAN_FILE)[repo.template.action_plan.sheet]
    keys = [c.key for c in repo.template.action_plan.columns]
    assert all(ws.cell(FIRST_ROW, keys.index(k) + 1).quotePrefix for k in ACTION_FIELDS)


def test_ampersand_in_page_header_is_escaped(built) -> None:
    repo, imr, out = built
    ws = openpyxl.load_workbook(imr_dir(out, imr.review_id, imr.agency_id) / ACTION_PLAN_FILE)[repo.template.action_plan.sheet]
    assert AGENCY.replace("&", "&&") in ws.oddHeader.left.text


def test_a_value_no_workbook_holds_stops_only_its_imr(tmp_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = load(tmp_repo)
    imr = max(repo.imrs(), key=lambda i: len(i.actions))
    others = [i for i in repo.imrs() if i is not imr]
    rewrite(imr.folder / "actions.yml", lambda data: data["actions"][0].__setitem__("comment", "x" * 40000))
    out = tmp_repo / "out"
    assert main(["--root", str(tmp_repo), "build", "--only", "xlsx", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    at = load(tmp_repo).review(imr.review_id).imrs[imr.agency_id].actions[0].span("comment")
    assert f"{at}: error[xlsx-failed]: could not build the workbooks of {imr.review_id}/{imr.agency_id}" in err
    assert "more than an Excel cell holds" in err
    assert not (imr_dir(out, imr.review_id, imr.agency_id) / ACTION_PLAN_FILE).exists()
    assert others and all((imr_dir(out, i.review_id, i.agency_id) / ACTION_PLAN_FILE).is_file() for i in others)


def test_per_agency_counts_match_a_name_that_looks_like_a_formula(built) -> None:
    """The review's summary compares names exactly, so "=1+1 & Sons" still counts its actions."""
    repo, imr, out = built
    plan = repo.template.action_plan
    path = review_dir(out, imr.review_id) / ACTION_PLAN_FILE
    summary = openpyxl.load_workbook(path)[SUMMARY_SHEET]
    row = next(c.row for c in summary["A"] if c.value == AGENCY)
    solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    got = []
    for col in range(2, summary.max_column + 1):
        ref = f"{SUMMARY_SHEET.upper()}'!{openpyxl.utils.get_column_letter(col)}{row}"
        got.append(float(next(v for k, v in solution.items() if k.upper().endswith(ref)).value[0][0]))
    today = dt.date.today()
    expected = [sum(a.status == s for a in imr.actions) for s in plan.statuses]
    expected += [sum(a.status is None for a in imr.actions), sum(a.is_overdue(today, plan.completed) for a in imr.actions), len(imr.actions)]
    assert got == expected


def test_author_text_beginning_like_a_formula_is_an_input_like_any_other(built) -> None:
    """An agency edits its own text in the returned Action Plan whatever it begins with: such a cell
    is neither shaded nor locked as a formula is, while sarflow's own formulas on the row are both."""
    repo, imr, out = built
    plan = repo.template.action_plan
    ws = openpyxl.load_workbook(imr_dir(out, imr.review_id, imr.agency_id) / ACTION_PLAN_FILE)[plan.sheet]
    shaded = printing.FORMULA_FILL.fgColor.rgb
    for key, text in zip(ACTION_FIELDS, NASTY, strict=True):
        cell = ws[f"{column_titled(ws, plan.title(key), HEADER_ROW)}{FIRST_ROW}"]
        assert cell.value == text and cell.data_type == "s"
        assert cell.fill.fgColor.rgb != shaded and cell.protection.locked is False, key
    own = [c for c in ws[FIRST_ROW] if c.data_type == "f"]
    assert own and all(c.fill.fgColor.rgb == shaded and c.protection.locked is not False for c in own)


@pytest.mark.parametrize("value", NASTY)
def test_a_column_is_as_wide_as_author_text_whatever_it_begins_with(value: str) -> None:
    """Author text that begins like a formula is text: its column is made wide enough for it, as for any text."""
    ws = openpyxl.Workbook().active
    cells.text(ws.cell(2, 1), value, "a value")
    cells.formula(ws.cell(3, 2), "=" + "A2&" * 30 + "A2")  # sarflow's own formula: its text does not count
    cells.widths(ws, ["No", "Sum"], 2, 3)
    assert ws.column_dimensions["A"].width == min(cells.MAX_WIDTH, max(cells.MIN_WIDTH, len(value) + 2))
    assert ws.column_dimensions["B"].width == cells.MIN_WIDTH
