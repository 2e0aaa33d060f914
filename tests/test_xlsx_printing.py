"""The workbooks are safe to edit and fit to print: read back with openpyxl.

Formula cells shaded and locked, every input cell unlocked, the sheet protected without
a password with filtering allowed and a note on how to sort; rows as tall as their
wrapped text; no label cut; the marking, sheet name and page numbers on every page.
The legible print scale itself is measured on LibreOffice's PDF in test_documents_print.
"""

from __future__ import annotations

import math
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from sarflow.cli import main
from sarflow.model import Repository
from sarflow.outputs import review_dir
from sarflow.xlsx.action_plan import RAG_TITLE
from sarflow.xlsx.layout import ACTION_PLAN_FILE, CHRONOLOGY_FILE, FIRST_ROW, HEADER_ROW, NOTE_ROW, SPARE_ROWS, TODAY_ROW
from sarflow.xlsx.printing import SORTING_NOTE

ROOT = Path(__file__).resolve().parents[1]
# At most this many characters of running text fit in one line per unit of column width
# (Excel counts widths in digits; letters and spaces are narrower), whatever the font.
MOST_PER_WIDTH = 1.4


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("xlsx-print")
    assert main(["--root", str(ROOT), "build", "--only", "xlsx", "--out", str(folder)]) == 0
    return folder


def workbooks(out: Path) -> list[Path]:
    return sorted((out / "reviews").rglob("*.xlsx"))


def test_formula_cells_are_shaded_and_locked_and_input_cells_free(example: Repository, out: Path) -> None:
    plan = example.template.action_plan
    for path in workbooks(out):
        if path.name != ACTION_PLAN_FILE:
            continue
        ws = openpyxl.load_workbook(path)[plan.sheet]
        assert ws.protection.sheet and not ws.protection.password
        assert ws.protection.autoFilter is False  # filtering stays allowed
        assert ws.cell(NOTE_ROW, 1).value == SORTING_NOTE
        last = max(r for r in range(FIRST_ROW, ws.max_row + 1) if any(c.value is not None for c in ws[r]))
        assert last >= FIRST_ROW + SPARE_ROWS - 1
        by_title = {f.title: f.kind for f in plan.workbook_columns}  # the combined plan's reference is typed, like text
        kinds = {c.column: "rating" if c.value == RAG_TITLE else by_title.get(c.value, "text") for c in ws[HEADER_ROW]}
        for row in ws.iter_rows(min_row=FIRST_ROW, max_row=last, max_col=len(kinds)):
            for cell in row:
                formula = isinstance(cell.value, str) and cell.value.startswith("=")
                assert formula == (kinds[cell.column] == "formula"), (path, cell.coordinate)
                # the RAG is the board's rating, made by sarflow: locked, like the formulas
                assert cell.protection.locked is (formula or kinds[cell.column] == "rating"), (path, cell.coordinate)
                assert (cell.fill.fgColor.rgb[-6:] != "000000" and cell.fill.fill_type == "solid") is formula
        assert ws.cell(TODAY_ROW, 2).protection.locked and ws.cell(TODAY_ROW, 2).fill.fill_type == "solid"
        summary = openpyxl.load_workbook(path)["Summary"]
        assert summary.protection.sheet and all(c.protection.locked for r in summary.iter_rows() for c in r)


def test_rows_are_as_tall_as_their_wrapped_text(out: Path) -> None:
    checked = 0
    for path in workbooks(out):
        for ws in openpyxl.load_workbook(path).worksheets:
            for row in ws.iter_rows():
                wrapped = [c for c in row if c.alignment.wrap_text and isinstance(c.value, str) and not c.value.startswith("=")]
                if not wrapped:
                    continue
                width = {c.column: ws.column_dimensions[get_column_letter(c.column)].width for c in wrapped}
                fewest = max(sum(math.ceil(len(p) / (width[c.column] * MOST_PER_WIDTH)) or 1 for p in c.value.split("\n"))
                             for c in wrapped)
                height = ws.row_dimensions[row[0].row].height
                assert height is not None and height >= fewest * 14, (path.name, ws.title, row[0].row)
                checked += fewest > 1
    assert checked, "the example should have cells whose text wraps"


def test_no_label_is_cut_and_every_page_is_marked(example: Repository, out: Path) -> None:
    plan = example.template.action_plan
    for path in workbooks(out):
        book = openpyxl.load_workbook(path)
        for ws in book.worksheets:
            assert ws.oddHeader.center.text == example.template.marking
            assert ws.oddFooter.left.text == "&A" and ws.oddFooter.right.text == "Page &P of &N"
            assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.fitToWidth) == 1
        if path.name == ACTION_PLAN_FILE:
            ws = book[plan.sheet]
            assert ws.column_dimensions["A"].width > len(plan.today_label)
    review = example.reviews[0]
    chronology = openpyxl.load_workbook(review_dir(out, review.id) / CHRONOLOGY_FILE).worksheets[0]
    assert int(chronology.page_setup.paperSize) == int(chronology.PAPERSIZE_A4)
