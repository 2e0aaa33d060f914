"""Workbooks that print legibly and are safe to edit.

Print: a sheet prints one page wide, landscape, at no less than `MIN_SCALE` per cent:
its columns are measured as Excel lays them out and its widest narrowed until it fits
at `DESIGN_SCALE` per cent, on A4 when it can without narrowing any column below
`NARROWEST` characters, and on A3 otherwise (the action sheet's columns, the RAG last among them).
The rows are then made as tall as their wrapped text needs (openpyxl writes no row
heights of its own, and Excel does not work them out on opening, so wrapped text
overprinted the row below). Every page repeats the sheet's title row, and carries the
template's marking and "Page X of Y".

Edit: the formula columns are shaded and locked, and the sheet protected without a
password, every input cell unlocked and filtering allowed, so a typing slip cannot
overwrite a formula. Excel cannot sort a protected sheet whose range holds locked
cells; the sheet says so in its second row: Review > Unprotect Sheet (no password),
sort, then Review > Protect Sheet. The formulas refer to their own row, so they sort
with it.
"""

from __future__ import annotations

import math

from openpyxl.cell.cell import Cell
from openpyxl.styles import PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sarflow.xlsx.looks import region, styled

MIN_SCALE = 60
# The scale the layout aims at, as Excel measures Calibri: LibreOffice without Calibri's
# metric twin (Carlito) lays the same columns out about a third wider, which still keeps
# them above MIN_SCALE.
DESIGN_SCALE = 80
# Landscape page widths (points) and the left and right margins (inches) sarflow sets.
PAPERS = {"A4": (9, 841.9), "A3": (8, 1190.6)}  # openpyxl's paperSize codes, in order of preference
SIDE_MARGIN = 0.4
# A column is never narrowed below this many characters to make a sheet fit.
NARROWEST = 18
DEFAULT_WIDTH = 8.43  # Excel's, for a column given no width
# Calibri 11: a line of text is 15 points tall; a character of running text is about
# 0.9 of the width Excel counts a column in (the width of a digit), bold text about 1.
LINE_POINTS = 15.0
PADDING_POINTS = 3.0
TALLEST_ROW = 409.0  # Excel's limit
TEXT_PER_WIDTH, BOLD_PER_WIDTH = 1.1, 1.0
FORMULA_FILL = PatternFill("solid", fgColor="EDEDED")
SORTING_NOTE = (
    "Grey columns are worked out by formulas and locked. To sort the plan: Review > Unprotect Sheet "
    "(there is no password), sort, then Review > Protect Sheet."
)


def column_points(width: float) -> float:
    """A column's printed width in points, as Excel lays out `width` characters of Calibri 11."""
    return (math.floor(width * 7 + 5)) * 0.75


def printable_points(paper: str) -> float:
    return PAPERS[paper][1] - 2 * SIDE_MARGIN * 72


def fit_to_print(ws: Worksheet, columns: int) -> str:
    """Choose the paper for the sheet's first `columns` columns, and narrow the widest of them
    if need be, so that it prints one page wide at DESIGN_SCALE or more: A4 when that is
    possible without narrowing a column below NARROWEST, else A3. Returns the paper's name."""
    wanted = [ws.column_dimensions[get_column_letter(c)].width or DEFAULT_WIDTH for c in range(1, columns + 1)]
    for paper in PAPERS:
        widths = _narrowed(wanted, printable_points(paper) * 100 / DESIGN_SCALE)
        if sum(column_points(w) for w in widths) * DESIGN_SCALE <= printable_points(paper) * 100:
            break
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.page_setup.paperSize = PAPERS[paper][0]
    return paper


def _narrowed(widths: list[float], room: float) -> list[float]:
    """`widths` with the widest narrowed, one character at a time, until they take `room`
    points or every column is NARROWEST or narrower."""
    widths = list(widths)
    points = [column_points(w) for w in widths]
    total = sum(points)  # exact: every column's points are a whole number of quarter points
    while total > room and max(widths) > NARROWEST:
        widest = widths.index(max(widths))
        widths[widest] = max(NARROWEST, widths[widest] - 1)
        total -= points[widest]
        points[widest] = column_points(widths[widest])
        total += points[widest]
    return widths


def row_heights(ws: Worksheet, first_row: int, last_row: int, columns: int) -> None:
    """Each row as tall as the most lines any of its wrapped cells needs.

    A cell's alignment and font are looked up by their places in the workbook's lists
    (see `sarflow.xlsx.looks`), each list read once, rather than cell by cell."""
    widths = [ws.column_dimensions[get_column_letter(c)].width or DEFAULT_WIDTH for c in range(1, columns + 1)]
    book = ws.parent
    wrapping = {place for place, alignment in enumerate(book._alignments) if alignment.wrap_text}
    bold = {place for place, font in enumerate(book._fonts) if font.b}
    lines = dict.fromkeys(range(first_row, last_row + 1), 1)
    for (row, col), cell in ws._cells.items():
        style = cell._style
        if style is not None and row in lines and col <= columns and style.alignmentId in wrapping and not is_formula(cell):
            lines[row] = max(lines[row], _lines(cell._value, widths[col - 1], style.fontId in bold))
    for row, most in lines.items():
        ws.row_dimensions[row].height = min(TALLEST_ROW, most * LINE_POINTS + PADDING_POINTS)


def _lines(value: object, width: float, bold: bool) -> int:
    """How many lines `value` wraps to in a column `width` characters wide (greedy, by words)."""
    if not isinstance(value, str):
        return 1
    capacity = max(1, int(width * (BOLD_PER_WIDTH if bold else TEXT_PER_WIDTH)) - 1)
    if len(value) <= capacity and "\n" not in value:
        return 1  # its words, one space apart, take no more than the whole text
    count = 0
    for paragraph in value.split("\n"):
        used, lines = 0, 1
        for word in paragraph.split():
            needed = len(word) if used == 0 else used + 1 + len(word)
            if needed <= capacity:
                used = needed
                continue
            lines += 1 if used else 0
            while len(word) > capacity:  # a word longer than the column breaks inside itself
                word = word[capacity:]
                lines += 1
            used = len(word)
        count += lines
    return max(1, count)


def is_formula(cell: Cell) -> bool:
    """A cell that holds a formula: one of sarflow's own (`cells.formula`); author text that begins
    with "=" is a text cell (`cells.text`), which the agency may edit, so it is neither shaded nor locked."""
    return cell.data_type == "f"


def protect(ws: Worksheet, inputs: tuple[int, int, int] | None = None) -> None:
    """Shade every formula cell, unlock the cells of `inputs` (first row, last row, columns)
    that hold no formula, and protect the sheet without a password (see `lock_sheet`)."""
    styled((cell for cell in list(ws._cells.values()) if is_formula(cell)), fill=FORMULA_FILL)
    if inputs is not None:
        first_row, last_row, columns = inputs
        styled((cell for cell in region(ws, first_row, last_row, columns) if not is_formula(cell)),
               protection=Protection(locked=False))
    lock_sheet(ws)


def lock_sheet(ws: Worksheet) -> None:
    """Sheet protection with no password: filtering, and resizing columns and rows, stay allowed."""
    ws.protection.sheet = True
    ws.protection.autoFilter = False
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
