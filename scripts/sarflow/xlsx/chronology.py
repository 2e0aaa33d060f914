"""The Chronology workbook: one agency's, or every agency's merged in date and time order.

Columns are the template's chronology columns in its order; the merged chronology
leads with the Agency column, frozen with the date so that both stay in view while
scrolling sideways (as the review's combined action plan keeps its reference and agency). Dates are real Excel
dates, so they sort and filter; where the author gave only a month or a year, or
marked the day approximate, the cell's number format shows what is known and says
"(approx.)" (e.g. 03/2024 (approx.)), as the Word report does. A time is a real time (hh:mm);
a range ("14:00-15:30") is text, as it is written, and so is a time that could not be read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter

from sarflow.dates import APPROXIMATE
from sarflow.model import ChronologyEntry, listed
from sarflow.template import AGENCY, Template
from sarflow.xlsx import cells
from sarflow.xlsx.layout import CHRONOLOGY_SHEET, DATE_FORMAT, TIME_FORMAT


@dataclass(frozen=True)
class ChronologyRow:
    """One entry and the agency whose record it is."""

    agency: str
    entry: ChronologyEntry


def date_format(entry: ChronologyEntry) -> str:
    """dd/mm/yyyy, or only the month or year known, marked approximate."""
    marked = f' "{APPROXIMATE}"'
    if entry.precision == "year":
        return f"yyyy{marked}"
    if entry.precision == "month":
        return f"mm/yyyy{marked}"
    return f"{DATE_FORMAT}{marked}" if entry.approximate else DATE_FORMAT


def merged_order(rows: Sequence[ChronologyRow], agencies: Sequence[str]) -> list[ChronologyRow]:
    """Date, then time (an entry without a time first, a range by its start), then the review's agency order."""
    rank = {name: i for i, name in enumerate(agencies)}

    def key(item: tuple[int, ChronologyRow]) -> tuple[dt.date, bool, dt.time, int, int]:
        index, row = item
        when, time = row.entry.date or dt.date.max, row.entry.time
        return (when, time is not None, time.start if time else dt.time(), rank.get(row.agency, len(rank)), index)

    return [row for _, row in sorted(enumerate(rows), key=key)]


def workbook(template: Template, rows: Sequence[ChronologyRow], title: str, with_agency: bool) -> Workbook:
    book = Workbook()
    ws = book.active
    ws.title = CHRONOLOGY_SHEET
    keys = [c.key for c in template.chronology_columns]
    titles = [c.title for c in template.chronology_columns]
    first = 2 if with_agency else 1  # the column of the template's first
    if with_agency:
        titles.insert(0, template.action_plan.title(AGENCY))
    cells.header_row(ws, 1, titles)
    for row, item in enumerate(rows, start=2):
        entry = item.entry
        for col, key in enumerate(keys, start=first):
            cell = ws.cell(row, col)
            value = getattr(entry, key, None)
            if isinstance(value, tuple):  # the staff of `by`
                value = listed(value) or None
            if value is None:  # not given, or not read as its kind: shown as typed
                cells.text(cell, entry.as_written(key) or None, f"the {key} of a chronology entry", entry.span(key))
            elif key == "date":
                cells.date(cell, entry.date, date_format(entry))
            elif key == "time":
                _time(cell, entry)
            else:
                cells.text(cell, value, f"the {key} of a chronology entry", entry.span(key))
        if with_agency:
            cells.text(ws.cell(row, 1), item.agency, "the agency's name")
    last_row = max(len(rows) + 1, 2)
    cells.frame(ws, 2, last_row, len(titles))
    cells.widths(ws, titles, 2, last_row)
    date_column = get_column_letter(keys.index("date") + first)
    ws.column_dimensions[date_column].width = len(f"{DATE_FORMAT} {APPROXIMATE}") + 2
    # the merged chronology keeps its agency and everything up to the date in view
    ws.freeze_panes = f"{get_column_letter(keys.index('date') + first + 1)}2" if with_agency else "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(titles))}{last_row}"
    cells.print_setup(ws, template.marking, title, "1:1")
    return book


def _time(cell: Cell, entry: ChronologyEntry) -> None:
    time = entry.time
    if time is None:
        return
    if time.end is None:
        cell.value = time.start
        cell.number_format = TIME_FORMAT
    else:
        cells.text(cell, str(time), "the time of a chronology entry", entry.span("time"))
