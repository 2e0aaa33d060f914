"""A sheet's rows (its sheetData part) written as text, byte for byte as openpyxl's writer
writes them, in a fraction of the time.

openpyxl's writer makes a dict of attributes and an lxml element for every cell, to write a
few dozen bytes; a board's workbooks hold some 200,000 cells, and that was a fifth of the
time their Python took. Only the kinds of cell sarflow writes are written here: text,
numbers, booleans, dates and sarflow's own formulas, styled or not. A sheet that holds any
other (a comment, a hyperlink, rich text, an array formula, a character the file format
cannot hold) is left to openpyxl, which then writes it, or refuses it, as it always has.
tests/test_xlsx_rows.py holds the two writers to the same bytes for sheets of every kind.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.compat import safe_string
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.worksheet import Worksheet

# What lxml would refuse to write (or could write only as openpyxl decides): such a sheet is openpyxl's.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_PLAIN_TYPES = {"n", "b", "e"}  # a value written as it is shown, in <v>


def sheet_data(ws: Worksheet) -> bytes | None:
    """`<sheetData>...</sheetData>` of `ws` as openpyxl writes it, or None when it holds a cell of a
    kind this does not write. Registers each cell's style in the workbook, as openpyxl's writer does
    (the stylesheet, written after the sheets, lists those)."""
    rows: defaultdict[int, list[Cell]] = defaultdict(list)
    for (row, _col), cell in sorted(ws._cells.items()):
        rows[row].append(cell)
    dimensions = ws.row_dimensions
    for row in dimensions.keys() - rows.keys():
        rows[row] = []
    styles = ws.parent._cell_styles
    epoch, iso_dates = ws.parent.epoch, ws.parent.iso_dates
    out = ["<sheetData>"]
    for number, cells in sorted(rows.items()):
        attributes = "".join(f' {key}="{_attribute(value)}"' for key, value in dimensions.get(number, {}))
        out.append(f'<row r="{number}"{attributes}>')
        for cell in cells:
            written = _cell(cell, number, styles, epoch, iso_dates)
            if written is None:
                return None
            out.append(written)
        out.append("</row>")
    out.append("</sheetData>")
    return "".join(out).encode("ascii", "xmlcharrefreplace")  # as openpyxl's stream: ASCII, "£" as "&#163;"


def _cell(cell: Cell, row: int, styles: Any, epoch: Any, iso_dates: bool) -> str | None:
    """One cell as openpyxl's `lxml_write_cell` writes it ("" for one it leaves out), or None."""
    if cell._comment is not None or cell.hyperlink is not None:
        return None
    style = cell._style
    styled = style is not None and any(style)
    value, kind = cell._value, cell.data_type
    if value is None and not styled:
        return ""
    head = f'<c r="{get_column_letter(cell.column)}{row}"'
    if styled:
        head += f' s="{styles.add(style)}"'
    if kind == "s":
        if not isinstance(value, str) and value is not None:
            return None  # rich text
        head += ' t="inlineStr"'
    elif kind == "d":
        if iso_dates or getattr(value, "tzinfo", None) is not None:
            return None
        head += ' t="n"'
        value = None if value is None else to_excel(value, epoch)
    elif kind in _PLAIN_TYPES:
        head += f' t="{kind}"'
    elif kind != "f":
        return None
    if value is None or value == "":
        return f"{head}></c>"
    if kind == "f":
        if not isinstance(value, str) or not value.startswith("=") or _UNWRITABLE.search(value):
            return None  # an array or data table formula
        return f"{head}><f>{_text(value[1:])}</f><v></v></c>"
    if kind == "s":
        if _UNWRITABLE.search(value):
            return None
        space = ' xml:space="preserve"' if value != value.strip() else ""
        return f"{head}><is><t{space}>{_text(value)}</t></is></c>"
    shown = safe_string(value)
    if _UNWRITABLE.search(shown):
        return None
    return f"{head}><v>{_text(shown)}</v></c>"


def _text(value: str) -> str:
    """Text escaped as lxml escapes an element's text."""
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    if "\r" in value:
        value = value.replace("\r", "&#13;")
    return value


def _attribute(value: str) -> str:
    """An attribute's value escaped as lxml escapes it."""
    return (_text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;"))
