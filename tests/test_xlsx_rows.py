"""sarflow.xlsx.rows writes a sheet's rows as text: the sheet must be byte for byte what openpyxl's own
writer makes of it, for sheets of every kind sarflow writes (text with markup characters, line breaks,
spaces at either end and characters beyond ASCII; numbers; booleans; dates; formulas; styled and empty
cells; row heights), and a sheet with anything else (a comment, a link, rich text) is openpyxl's."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.worksheet import Worksheet

from sarflow.xlsx import cells
from sarflow.xlsx.package import _SheetWriter
from sarflow.xlsx.rows import sheet_data

words = st.lists(st.sampled_from(["Adult A", "&", "<b>", ">", '"', "'", " ", "  ", "\n", "\r\n", "\t", "£640", "é",
                                  "😀", "=1+1", "+44", "-", "@", "x"]), max_size=8).map("".join)
values = st.one_of(
    st.none(), words, st.integers(-10**12, 10**12), st.floats(allow_nan=False, allow_infinity=False), st.booleans(),
    st.dates(dt.date(1901, 1, 1), dt.date(2100, 1, 1)), st.datetimes(dt.datetime(1901, 1, 1), dt.datetime(2100, 1, 1)),
    st.sampled_from(["=TODAY()", '=IF(A1="x","&lt;","<")', "=SUM(A1:A3)"]),
)
looks = st.sampled_from([None, "bold", "wrap", "quote"])
cell_specs = st.lists(st.tuples(st.integers(1, 12), st.integers(1, 6), values, looks), max_size=40)
heights = st.dictionaries(st.integers(1, 14), st.sampled_from([None, 15.0, 18, 33.5]), max_size=5)


def sheet(specs: list[tuple[int, int, Any, str | None]], rows: dict[int, float | None]) -> Worksheet:
    ws = Workbook().active
    for row, col, value, look in specs:
        cell = ws.cell(row, col)
        if (isinstance(value, str) and not value.startswith("=")) or value is None:
            cells.text(cell, value, "a value")
        elif isinstance(value, str):
            cells.formula(cell, value)
        else:
            cell.value = value
        if look == "bold":
            cell.font = Font(bold=True)
        elif look == "wrap":
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        elif look == "quote":
            cell.quotePrefix = True
    for row, height in rows.items():
        ws.row_dimensions[row].height = height
    return ws


def ours(ws: Worksheet) -> bytes:
    writer = _SheetWriter(ws, out=io.BytesIO())
    writer.write()
    return writer.sheet()


def openpyxls(ws: Worksheet) -> bytes:
    writer = WorksheetWriter(ws, out=io.BytesIO())
    writer.write()
    return bytes(writer.read())


@settings(max_examples=300, deadline=None)
@given(cell_specs, heights)
def test_a_sheet_is_what_openpyxl_writes(specs: list[tuple[int, int, Any, str | None]], rows: dict[int, float | None]) -> None:
    ws = sheet(specs, rows)
    assert sheet_data(ws) is not None, "every kind of cell sarflow writes is written as text"
    assert ours(ws) == openpyxls(sheet(specs, rows))


def test_the_styles_a_sheet_uses_are_registered_as_openpyxl_registers_them() -> None:
    specs: list[tuple[int, int, Any, str | None]] = [(1, 1, "a", "bold"), (2, 2, 3, "wrap"), (3, 1, None, "quote")]
    first, second = sheet(specs, {}), sheet(specs, {})
    ours(first)
    openpyxls(second)
    assert list(first.parent._cell_styles) == list(second.parent._cell_styles)


def odd_sheet(odd: str) -> Worksheet:
    ws = sheet([(1, 1, "plain", None), (2, 1, "odd", None)], {})
    cell = ws.cell(2, 1)
    if odd == "comment":
        cell.comment = Comment("a note", "an author")
    elif odd == "link":
        cell.hyperlink = "https://example.org/"
    elif odd == "rich":
        cell.value = CellRichText(["plain ", TextBlock(InlineFont(b=True), "bold")])
    return ws


def test_a_sheet_with_a_comment_a_link_or_rich_text_is_left_to_openpyxl() -> None:
    for odd in ("comment", "link", "rich"):
        assert sheet_data(odd_sheet(odd)) is None, odd
        assert ours(odd_sheet(odd)) == openpyxls(odd_sheet(odd)), odd


def test_a_character_no_workbook_can_hold_is_refused_by_openpyxl_as_before() -> None:
    ws = sheet([(1, 1, "plain", None)], {})
    ws.cell(1, 1)._value = "vertical\x0btab"  # past cells.text, which would have made it a space
    assert sheet_data(ws) is None
    with pytest.raises(ValueError):
        ours(ws)
