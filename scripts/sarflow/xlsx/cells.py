"""Writing cells so that author text is always text, and sheets that print well.

openpyxl turns any string that begins with `=` into a formula. Author text goes
through `text()` only, which stores it as a string cell whatever it begins with
(`=HYPERLINK(...)`, `=1+1`, `+44...`, `-`, `@`), and marks such cells with Excel's
quote prefix so that the text stays literal even after someone edits the cell in
Excel. Formulas are written only by `formula()`, from sarflow's own code.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sarflow.findings import Span
from sarflow.outputs import OutputError
from sarflow.xlsx import printing
from sarflow.xlsx.layout import DATE_FORMAT
from sarflow.xlsx.looks import region, styled

EXCEL_MAX_TEXT = 32767
# Characters a spreadsheet would read as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Control characters that the file format cannot hold (tab and line breaks are kept).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_THIN = Side(style="thin", color="808080")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
MAX_WIDTH = 50
MIN_WIDTH = 9


class CellError(OutputError):
    """A value that no workbook can hold, with where the author wrote it."""

    def __init__(self, message: str, span: Span | None) -> None:
        super().__init__(message)
        self.span = span


def text(cell: Cell, value: str | None, what: str, span: Span | None = None) -> None:
    """Author text as a literal string cell; `what` and `span` name it if it cannot be written."""
    if value is None:
        return
    value = _CONTROL.sub(" ", value)
    if len(value) > EXCEL_MAX_TEXT:
        raise CellError(
            f"{what} is {len(value):,} characters long, more than an Excel cell holds ({EXCEL_MAX_TEXT:,})", span
        )
    # What openpyxl's `cell.value = value` stores for text (its check for characters a workbook
    # cannot hold is _CONTROL's, above), and never "f", whatever the text begins with.
    cell._value = value
    cell.data_type = "s"
    if value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True


def label(cell: Cell, value: str) -> None:
    """A title or label taken from the template: literal text like any other."""
    text(cell, value, f"the label {value!r}")


def formula(cell: Cell, expression: str) -> None:
    """A formula of sarflow's own making (never containing author text)."""
    cell.value = expression if expression.startswith("=") else f"={expression}"


def date(cell: Cell, value: dt.date | None, number_format: str = DATE_FORMAT) -> None:
    """A real Excel date, shown dd/mm/yyyy (or as `number_format` says)."""
    if value is not None:
        cell.value = value
    cell.number_format = number_format


def excel_string(value: str) -> str:
    """A string literal inside a formula: "In progress" with any quote doubled."""
    return '"' + value.replace('"', '""') + '"'


def sheet_ref(sheet: str) -> str:
    """A sheet name as a formula refers to it: 'Sheet 3' with any apostrophe doubled."""
    return "'" + sheet.replace("'", "''") + "'"


def header_row(ws: Worksheet, row: int, titles: list[str]) -> None:
    for col, title in enumerate(titles, start=1):
        label(ws.cell(row, col), title)
    styled(region(ws, row, row, len(titles)), font=HEADER_FONT, fill=HEADER_FILL, border=BORDER, alignment=WRAP)


def frame(ws: Worksheet, first_row: int, last_row: int, columns: int) -> None:
    """Borders and wrapped, top-aligned text for the body of a table."""
    styled(region(ws, first_row, last_row, columns), border=BORDER, alignment=WRAP)


def widths(ws: Worksheet, titles: list[str], first_row: int, last_row: int) -> None:
    """Each column as wide as its longest line, within sensible bounds, and its title on no
    more than two lines (titles wrap, at a space: "Formula - Not Started" takes two)."""
    longest = [max([len(word) for word in title.split()] + [math.ceil(len(title) / 2)]) for title in titles]
    for (row, col), cell in ws._cells.items():
        if first_row <= row <= last_row and col <= len(titles):
            value = cell._value
            if isinstance(value, str) and not printing.is_formula(cell):  # author text beginning with "=" counts too
                longest[col - 1] = max(longest[col - 1], *(len(line) for line in value.split("\n")))
            elif isinstance(value, dt.date):
                longest[col - 1] = max(longest[col - 1], len(DATE_FORMAT))
    for col, most in enumerate(longest, start=1):
        ws.column_dimensions[get_column_letter(col)].width = min(MAX_WIDTH, max(MIN_WIDTH, most + 2))


def header_footer_text(value: str) -> str:
    """Text for a page header: `&` starts a code there, so a literal one is doubled."""
    return value.replace("&", "&&")


def print_setup(ws: Worksheet, marking: str, title: str, title_rows: str | None) -> None:
    """Landscape, one page wide at a legible scale on A4 or A3 (`sarflow.xlsx.printing`), rows as
    tall as their text, the title rows on every page, the marking and page numbers on each."""
    printing.fit_to_print(ws, ws.max_column)
    printing.row_heights(ws, 1, ws.max_row, ws.max_column)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows
    ws.print_options.gridLines = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    for header in (ws.oddHeader, ws.evenHeader, ws.firstHeader):
        header.center.text = header_footer_text(marking)
        header.center.font = "-,Bold"
        header.left.text = header_footer_text(title)
    for footer in (ws.oddFooter, ws.evenFooter, ws.firstFooter):
        footer.left.text = "&A"  # the sheet's name
        footer.center.text = header_footer_text(marking)
        footer.right.text = "Page &P of &N"
