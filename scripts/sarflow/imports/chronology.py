"""Reading an agency's chronology workbook: sarflow's own Chronology.xlsx, or any sheet shaped like it.

The header row is found by the template's chronology columns (`chronology_columns`),
its words matched tolerantly: case, spacing and punctuation do not matter, and a
column may be headed by its title ("Source of information"), its first word
("Source") or its key ("by"), in any order. The first sheet that has such a row is
read; a column the template does not know, holding values, is refused (its values
would be lost), and so is a merged chronology's row for another agency (skipped, as
the Action Plan import skips them). Dates are real Excel dates or ISO text
(2024-03-14, 2024-03 or 2024 for a month or a year, "(approx.)" after it when the
day is not certain); day and month are never guessed, so 03/04/2025 typed as text
is refused with the cell and the form to type instead.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter

from sarflow import clock
from sarflow.dates import APPROXIMATE
from sarflow.imports.sheets import Cell, Sheet
from sarflow.imports.workbook import (
    EXCEL_FIRST_DATE,
    HEADER_SEARCH_ROWS,
    Owners,
    Problem,
    cell_name,
    cell_place,
    cell_text,
    plain_text,
)
from sarflow.template import Template

NEEDED = ("date", "source", "event")  # an entry cannot be read without them
_WORDS = re.compile(r"[^\w]+")
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_SLASHED = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})$")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")


@dataclass
class ReturnedEntry:
    """One filled row: the entry's values as chronology.yml holds them, and its row."""

    values: dict[str, Any]
    sheet: str
    row: int
    columns: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (column letter, title)

    def cell(self, key: str) -> str | None:
        return cell_name(self.sheet, self.row, self.columns, key)


@dataclass
class ReturnedChronology:
    entries: list[ReturnedEntry] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)  # the keys of the template's columns the sheet has
    other_agencies: int = 0
    problems: list[Problem] = field(default_factory=list)


def words(text: object) -> str:
    """A heading as compared: lower case, punctuation and runs of spaces made single spaces."""
    return " ".join(_WORDS.sub(" ", str(text or "")).casefold().split())


def heading_names(template: Template) -> dict[str, str]:
    """Every way a column may be headed (its title, the title's first word, its key) -> its key."""
    names: dict[str, str] = {}
    for column in template.chronology_columns:
        for name in (column.title, column.title.split()[0], column.key.replace("_", " ")):
            names.setdefault(words(name), column.key)
    return names


def read_chronology(book: Sequence[Sheet], shown: str, template: Template, agency: tuple[str, ...],
                    review_agencies: Sequence[tuple[str, ...]]) -> ReturnedChronology:
    """The rows of the first sheet with a chronology header that belong to `agency` (its id and name)."""
    result = ReturnedChronology()
    names = heading_names(template)
    agency_title = template.action_plan.title("agency")
    found = _find_header(book, names)
    titles = {c.key: c.title for c in template.chronology_columns}
    if found is None:
        sheets = ", ".join(sheet.title for sheet in book) or "none"
        result.problems.append(Problem(
            shown,
            f"no sheet has a chronology's header row: none of the first {HEADER_SEARCH_ROWS} rows of any sheet "
            f"({sheets}) names the columns " + ", ".join(repr(titles[k]) for k in NEEDED),
            "keep the chronology's title row (" + ", ".join(titles.values()) + ") above the entries, "
            "or copy the entries into the Chronology sheet of the workbook that `sarflow build` makes",
        ))
        return result
    ws, header, columns = found
    place = f"{shown}, sheet {ws.title}"
    agency_column = next((c.column for c in ws.row(header) if words(c.value) == words(agency_title)), None)
    for cell in ws.row(header):
        if cell.column in columns.values() or cell.column == agency_column or plain_text(cell.value) is None:
            continue
        if any(ws.cell(r, cell.column).value is not None for r in ws.numbers(below=header)):
            result.problems.append(Problem(
                f"{place}, cell {cell.coordinate}",
                f"the column {plain_text(cell.value)!r} is not one of the chronology's, so its values would be lost",
                "rename it to one of " + ", ".join(map(repr, titles.values())) + ", or move its text into "
                "one of those columns and delete it",
            ))
    result.columns = [k for k in titles if k in columns]
    owners = Owners(agency, review_agencies, agency_title)
    rows = ws.numbers(below=header)
    if agency_column is not None:
        owners.note_shared(ws.cell(r, agency_column).value for r in rows)
    for row in rows:
        cells = {k: ws.cell(row, c) for k, c in columns.items()}
        if all(plain_text(c.value) is None for c in cells.values()):
            continue
        if agency_column is not None:
            ours = owners.ours(ws.cell(row, agency_column), place, result.problems)
            if ours is False:
                result.other_agencies += 1
            if not ours:
                continue
        entry = _entry(cells, place, titles, result.problems)
        if entry is not None:
            letters = {k: (get_column_letter(c), titles[k]) for k, c in columns.items()}
            result.entries.append(ReturnedEntry(entry, ws.title, row, letters))
    return result


def _find_header(book: Sequence[Sheet], names: dict[str, str]) -> tuple[Sheet, int, dict[str, int]] | None:
    """The first sheet and row whose cells name at least the date, source and event columns."""
    for ws in book:
        for row in range(1, HEADER_SEARCH_ROWS + 1):
            columns: dict[str, int] = {}
            for cell in ws.row(row):
                key = names.get(words(cell.value))
                if key is not None:
                    columns.setdefault(key, cell.column)
            if all(k in columns for k in NEEDED):
                return ws, row, columns
    return None


def _entry(cells: dict[str, Cell], place: str, titles: dict[str, str], problems: list[Problem]) -> dict[str, Any] | None:
    """One row's values, or None (with its problems added) when a cell cannot be read."""
    before = len(problems)
    values: dict[str, Any] = {}
    for key, cell in cells.items():
        if cell.formula:
            problems.append(Problem(cell_place(place, cell), f"the cell holds a formula ({cell.value}), not a value",
                                    "type the value itself; for text that begins with =, type an apostrophe first ('=...)"))
        elif key == "date":
            values.update(_date(cell, place, problems))
        elif key == "time":
            values["time"] = _time(cell, place, problems)
        elif key == "by":
            items = [item.strip() for item in (cell_text(cell) or "").split(",") if item.strip()]
            values["by"] = items[0] if len(items) == 1 else items or None
        else:
            values[key] = cell_text(cell)
    for key in NEEDED:
        if key in values and values[key] is None and plain_text(cells[key].value) is None:
            problems.append(Problem(cell_place(place, cells[key]), f"the entry has no {titles[key]}",
                                    f"fill in the {titles[key]}, or delete the row"))
    return values if len(problems) == before else None


def _date(cell: Cell, place: str, problems: list[Problem]) -> dict[str, Any]:
    """The date, how much of it is known (day, month or year) and whether it is approximate."""
    value = cell.value
    approximate = APPROXIMATE in cell.number_format
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date) and value >= EXCEL_FIRST_DATE:
        shows = re.sub(r'"[^"]*"', "", cell.number_format).lower()  # the format without its quoted text
        precision = "month" if "m" in shows and "d" not in shows else "year" if shows.strip() == "yyyy" else "day"
        return {"date": _partial(value, precision), "approximate": approximate or precision != "day"}
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return {"date": value, "approximate": True}  # a year alone, typed as a number
    text = plain_text(value if isinstance(value, str) else None)
    if isinstance(value, str) and text is not None:
        approximate = text.endswith(APPROXIMATE)
        written = text.removesuffix(APPROXIMATE).strip()
        if (match := _ISO.match(written)) and _valid(match):
            precision = "year" if match.group(2) is None else "month" if match.group(3) is None else "day"
            return {"date": _iso(match), "approximate": approximate or precision != "day"}
        problems.append(Problem(cell_place(place, cell), f"the date {text!r} is typed as text that sarflow cannot read "
                                "without guessing", _date_hint(written)))
        return {"date": None}
    if value is None:
        return {"date": None}
    problems.append(Problem(cell_place(place, cell), f"the date cell holds {str(value)!r}, which is not a date",
                            "type the date so that Excel recognises it (the cell shows it as dd/mm/yyyy), "
                            "or as text in the form 2025-04-03"))
    return {"date": None}


def _partial(value: dt.date, precision: str) -> dt.date | str | int:
    """A date as chronology.yml writes it: 2024-03-14, "2024-03" (a month) or 2024 (a year)."""
    return value if precision == "day" else f"{value:%Y-%m}" if precision == "month" else value.year


def _valid(match: re.Match[str]) -> bool:
    year, month, day = (int(g) if g else 1 for g in match.groups())
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _iso(match: re.Match[str]) -> dt.date | str | int:
    year, month, day = match.groups()
    if day:
        return dt.date(int(year), int(month), int(day))
    return f"{year}-{month}" if month else int(year)


def _date_hint(text: str) -> str:
    """How to type the date instead; for a date in words, the ISO form it means."""
    if match := _SLASHED.match(text):
        first, second, year = match.groups()
        if len(year) == 2:
            return "write the year in full, and type the date so that Excel recognises it as a date, or as text in the form 2025-04-03"
        options = [f"{year}-{int(m):02d}-{int(d):02d}" for d, m in ((first, second), (second, first)) if _real(year, m, d)]
        return ("type the date so that Excel recognises it as a date (the cell then shows it as dd/mm/yyyy), or as "
                "text in the form year-month-day: " + " or ".join(dict.fromkeys(options) or ["2025-04-03"]))
    said = words(text).split()
    day = next((int(w.rstrip("stndrh")) for w in said if w.rstrip("stndrh").isdigit() and int(w.rstrip("stndrh")) <= 31), None)
    month = next((i + 1 for i, name in enumerate(_MONTHS) for w in said if len(w) >= 3 and name.startswith(w)), None)
    year = next((int(w) for w in said if w.isdigit() and len(w) == 4), None)
    if day and month and year and _real(str(year), str(month), str(day)):
        return f"type it as {year}-{month:02d}-{day:02d} (text) or as a date Excel recognises"
    return "type the date so that Excel recognises it (the cell shows it as dd/mm/yyyy), or as text in the form 2025-04-03"


def _real(year: str, month: str, day: str) -> bool:
    try:
        dt.date(int(year), int(month), int(day))
    except ValueError:
        return False
    return True


def _time(cell: Cell, place: str, problems: list[Problem]) -> str | None:
    """"HH:MM", or a range "HH:MM-HH:MM" (sarflow.clock), from a time cell or its text."""
    value = cell.value
    if isinstance(value, dt.datetime):
        value = value.time()
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    text = cell_text(cell)
    if text is None:
        return None
    if (read := clock.read(text)) is not None:
        return str(read)
    message, hint = clock.explain(text)
    problems.append(Problem(cell_place(place, cell), message.replace("`", "'"), hint.replace("write time: ", "type ")))
    return None
