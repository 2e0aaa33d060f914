"""A workbook built from files with errors says so wherever it is looked at.

`sarflow build` still writes the workbooks of an IMR whose files have errors (the
panel works from drafts), but such a workbook opens on a first sheet of its own,
"Errors", that says so in red and lists the errors with their file and line; every
sheet's tab is red, and every printed page says so in its header. The template's
sheets are not changed, so the workbook can still be filled in and imported.
"""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from sarflow.findings import Finding
from sarflow.outputs import ERRORS_MARK
from sarflow.xlsx import cells

ERRORS_SHEET = "Errors"
RED = "9C0006"
LISTED = 500  # errors listed on the sheet; a last line says how many more there are
FIRST_LISTED = 5


def mark(book: Workbook, errors: Sequence[Finding]) -> None:
    """Mark `book` as built from files with errors, when there are any (nothing happens otherwise)."""
    if not errors:
        return
    ws = book.create_sheet(ERRORS_SHEET, 0)
    for sheet in book.worksheets:
        sheet.sheet_properties.tabColor = RED
        sheet.sheet_view.tabSelected = sheet is ws
        for header in (sheet.oddHeader, sheet.evenHeader, sheet.firstHeader):
            header.right.text = cells.header_footer_text(ERRORS_MARK)
            header.right.font = "-,Bold"
            header.right.color = RED
    cells.label(ws.cell(1, 1), ERRORS_MARK)
    ws.cell(1, 1).font = Font(bold=True, size=16, color=RED)
    count = f"{len(errors)} error{'' if len(errors) == 1 else 's'}"
    cells.label(
        ws.cell(2, 1),
        f"sarflow check found {count} in the files this workbook is made from, so it may be incomplete or wrong. "
        "A value that could not be read is shown as it was typed. Correct the files and build it again before "
        "anyone relies on it.",
    )
    ws.cell(2, 1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=2)
    ws.row_dimensions[2].height = 45
    cells.header_row(ws, FIRST_LISTED - 1, ["Where", "Error"])
    for row, finding in enumerate(errors[:LISTED], start=FIRST_LISTED):
        cells.text(ws.cell(row, 1), str(finding.span), "where an error is")
        cells.text(ws.cell(row, 2), finding.message, "an error's message")
    if len(errors) > LISTED:
        cells.label(ws.cell(FIRST_LISTED + LISTED, 1), f"and {len(errors) - LISTED} more: run sarflow check to see them all")
    cells.frame(ws, FIRST_LISTED, FIRST_LISTED + min(len(errors), LISTED) - 1, 2)
    ws.column_dimensions["A"].width = min(cells.MAX_WIDTH, max(len(str(f.span)) for f in errors[:LISTED]) + 2)
    ws.column_dimensions["B"].width = 100
    book.active = 0
