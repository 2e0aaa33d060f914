"""One look (a border, a fill, a number format) given to many cells at the cost of one.

openpyxl keeps each workbook's looks in lists and a cell holds only its places in them.
Setting a look on a cell finds it in the list by hashing it, again for every cell it is
set on: 4.2 million hash calls for a board's workbooks. `styled` sets each look on the
first cell only and gives the others the place it was given there, which is what openpyxl
itself would have stored, so the workbook written is the same. `region` gives the cells
of a table as openpyxl's `iter_rows` does, without its checks on every cell.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from openpyxl.cell.cell import Cell
from openpyxl.styles.cell_style import StyleArray
from openpyxl.worksheet.worksheet import Worksheet

# Where a cell's style record (openpyxl's StyleArray, an array of places) keeps each look's place.
_PLACES = {
    look: vars(StyleArray)[place].key
    for look, place in {
        "font": "fontId", "fill": "fillId", "border": "borderId", "alignment": "alignmentId",
        "protection": "protectionId", "number_format": "numFmtId",
    }.items()
}


def styled(many: Iterable[Cell], **looks: object) -> None:
    """Give each of `many` cells the same looks (`border=BORDER`, `number_format=...`), keeping its others."""
    places: list[tuple[int, int]] | None = None
    for cell in many:
        if places is None:
            for name, look in looks.items():
                setattr(cell, name, look)
            first = cell._style
            places = [(_PLACES[name], first[_PLACES[name]]) for name in looks]
            continue
        style = cell._style
        if style is None:  # a cell openpyxl has not styled yet (as its own setters do)
            cell._style = style = StyleArray()
        for place, number in places:
            style[place] = number


def region(ws: Worksheet, first_row: int, last_row: int, columns: int) -> Iterator[Cell]:
    """The cells of rows `first_row` to `last_row` and of the first `columns` columns, row by row,
    each made where there is none yet: what `ws.iter_rows` gives for the same bounds."""
    made = ws._cells
    for row in range(first_row, last_row + 1):
        for col in range(1, columns + 1):
            cell = made.get((row, col))
            yield ws._get_cell(row, col) if cell is None else cell
