"""Reading an Action Plan workbook that an agency returns, whatever its exact layout.

The header row is found by the template's column titles (not by position), so the
template's own layout (a "Todays date" row, then the titles) and sarflow's are both
read, and a column moved or a row inserted above does not matter. Every row is
validated; each problem names the workbook, the sheet and the cell, and the import
writes nothing while any problem remains. The formula columns are never read: they
are worked out from Status. The Updates sheet, when present, adds progress updates.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter

from sarflow.dates import today
from sarflow.findings import Severity
from sarflow.imports.sheets import Cell, Sheet
from sarflow.printed import line
from sarflow.template import OVERALL, ActionPlanLayout
from sarflow.words import nearest
from sarflow.xlsx.layout import OVERDUE, UPDATE_DATE, UPDATE_TEXT, UPDATES_SHEET

# The kinds of column whose values the import reads back (the template's table, template.py,
# says which field is of which kind); formula columns are worked out, the agency column names the row's agency.
READ_KINDS = ("number", "text", "date", "status", "list")
HEADER_SEARCH_ROWS = 30
EXCEL_FIRST_DATE = dt.date(1900, 1, 1)  # a date cell's 1; below it Excel has no dates


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the workbook, where it is, and how to put it right.

    `code` is set when the problem is a finding of `sarflow check` (or a code of the
    import's own, in check/registry.py); a warning does not stop the import.
    """

    where: str
    message: str
    hint: str | None = None
    code: str | None = None
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        kind = f"{self.severity.value}[{self.code}]" if self.code else self.severity.value
        text = line(f"{self.where}: {kind}: {self.message}")
        return f"{text}\n{line(f'    hint: {self.hint}')}" if self.hint else text


@dataclass
class ReturnedAction:
    """One filled row: the values of the columns the workbook has, and where it is."""

    no: int
    values: dict[str, Any]
    where: str
    sheet: str = ""
    row: int = 0
    columns: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (column letter, title)

    def cell(self, key: str) -> str | None:
        return cell_name(self.sheet, self.row, self.columns, key)


@dataclass
class ReturnedUpdate:
    no: int
    date: dt.date
    text: str
    where: str


@dataclass
class ReturnedPlan:
    actions: list[ReturnedAction] = field(default_factory=list)
    updates: list[ReturnedUpdate] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)  # the keys of the carried columns present
    other_agencies: int = 0
    numbers: set[int] = field(default_factory=set)  # every action number seen, even on a faulty row
    updates_read: bool = False  # the workbook has an Updates sheet, so a missing update can be reported
    problems: list[Problem] = field(default_factory=list)


def read_action_plan(
    book: Sequence[Sheet], shown: str, plan: ActionPlanLayout, agency: tuple[str, ...], review_agencies: Sequence[tuple[str, ...]]
) -> ReturnedPlan:
    """The rows of the action sheet (and Updates sheet) that belong to `agency` (its id and name).

    `review_agencies` holds the id and name of each agency of the review: a row naming
    one of the others is skipped, a row naming none of them is a problem (a mistyped
    name must not make an action vanish), and in a workbook that holds several
    agencies' rows a row without an agency is a problem too (it would otherwise go to
    whichever agency is imported, and to the next one as well).
    """
    result = ReturnedPlan()
    titles = {c.key: c.title for c in plan.workbook_columns}
    kinds = {c.key: c.kind for c in plan.workbook_columns}
    read = carried(plan)
    agency_key = next(c.key for c in plan.workbook_columns if c.kind == "agency")
    found = _find_header(book, plan.sheet, [titles["no"], titles["recommendation"]])
    if found is None:
        names = [sheet.title for sheet in book]
        sheets = ", ".join(names)
        result.problems.append(
            Problem(
                f"{shown}, sheet {plan.sheet if plan.sheet in names or not names else names[0]}",
                f"no header row: no row in the first {HEADER_SEARCH_ROWS} rows of any sheet ({sheets}) "
                f"holds the column titles {titles['no']!r} and {titles['recommendation']!r}",
                "keep the template's title row (" + ", ".join(c.title for c in plan.workbook_columns) + ") above the actions",
            )
        )
        return result
    ws, header = found
    columns = _header_columns(ws, header, {k: titles[k] for k in (*read, agency_key)})
    formulas = {  # a column of formulas, where a typed value is an edit (not a workbook saved as values)
        k: c for k, c in _header_columns(ws, header, {f.key: f.title for f in plan.of_kind("formula")}).items()
        if any(ws.cell(r, c).formula for r in ws.numbers(below=header))
    }
    result.columns = [k for k in read if k in columns]
    place = f"{shown}, sheet {ws.title}"
    owners = Owners(agency, review_agencies, titles[agency_key])
    rows = ws.numbers(below=header)
    if agency_key in columns:
        owners.note_shared(ws.cell(row, columns[agency_key]).value for row in rows)
    first_seen: dict[int, str] = {}
    for row in rows:
        cells = {k: ws.cell(row, c) for k, c in columns.items() if k in read}
        if all(plain_text(cell.value) is None for k, cell in cells.items() if k != "no"):
            continue  # an empty row, or a template row holding only its number
        ours = owners.ours(ws.cell(row, columns[agency_key]), place, result.problems) if agency_key in columns else True
        if ours is False:
            result.other_agencies += 1
            continue
        if ours is None:
            if isinstance(number := cells["no"].value, int):
                result.numbers.add(number)
            continue
        returned = _action_row(cells, kinds, place, plan, result.problems, result.numbers)
        if returned is None:
            continue
        returned.sheet, returned.row = ws.title, row
        returned.columns = {k: (get_column_letter(c), titles[k]) for k, c in columns.items()}
        result.problems += _typed_over(ws, row, place, plan, formulas, returned.values)
        if returned.no in first_seen:
            result.problems.append(
                Problem(
                    returned.where,
                    f"the action number {returned.no} appears twice (first in cell {first_seen[returned.no]})",
                    "give each action its own number, or delete the repeated row",
                )
            )
            continue
        first_seen[returned.no] = cells["no"].coordinate
        result.actions.append(returned)
    updates = next((sheet for sheet in book if sheet.title == UPDATES_SHEET), None)
    if updates is not None:
        _read_updates(updates, shown, titles["no"], titles[agency_key], owners, result)
    return result


class Owners:
    """Which rows are this agency's, in a workbook that may hold every agency of the review."""

    def __init__(self, agency: tuple[str, ...], review_agencies: Sequence[tuple[str, ...]], title: str) -> None:
        self.mine = {a.casefold() for a in agency}
        self.others = {a.casefold() for names in review_agencies for a in names} - self.mine
        self.known = [names[-1] for names in review_agencies]
        self.title = title
        self.shared = False

    def note_shared(self, values: Iterable[object]) -> None:
        """The workbook holds several agencies' rows if any row names another agency."""
        self.shared = self.shared or any((plain_text(v) or "").casefold() in self.others for v in values)

    def ours(self, cell: Cell, place: str, problems: list[Problem]) -> bool | None:
        """True for this agency's row, False for another agency's, None (a problem) if it cannot be told."""
        owner = plain_text(cell.value)
        if owner is None:
            if not self.shared:
                return True
            problems.append(
                Problem(
                    cell_place(place, cell),
                    f"the row has no {self.title}, and this workbook holds the rows of several agencies",
                    f"write in the {self.title} column whose action it is: " + ", ".join(map(repr, self.known)),
                )
            )
        elif owner.casefold() in self.mine or owner.casefold() in self.others:
            return owner.casefold() in self.mine
        else:
            problems.append(
                Problem(
                    cell_place(place, cell),
                    f"{owner!r} is not one of this review's agencies (" + ", ".join(map(repr, self.known)) + ")",
                    f"write the agency's name in the {self.title} column as review.yml spells it, or its id",
                )
            )
        return None


def _find_header(book: Sequence[Sheet], preferred: str, needed: list[str]) -> tuple[Sheet, int] | None:
    """The sheet and row holding all `needed` titles; the template's sheet is searched first."""
    order = sorted(book, key=lambda ws: ws.title != preferred)
    for ws in order:
        for row in range(1, HEADER_SEARCH_ROWS + 1):
            present = {_title(c.value) for c in ws.row(row)}
            if all(_title(t) in present for t in needed):
                return ws, row
    return None


def _header_columns(ws: Sheet, row: int, titles: dict[str, str]) -> dict[str, int]:
    """Key -> column number, for each title found in the header row."""
    by_title = {_title(t): k for k, t in titles.items()}
    found: dict[str, int] = {}
    for cell in ws.row(row):
        key = by_title.get(_title(cell.value))
        if key and key not in found:
            found[key] = cell.column
    return found


def cell_name(sheet: str, row: int, columns: dict[str, tuple[str, str]], key: str) -> str | None:
    """A returned row's cell of the field `key`, as Excel names it (`Actions!G5 (Target Date)`,
    `'Police chronology'!A5 (Date)`), from its columns (key -> column letter and title); None
    when the workbook has no column for it."""
    if key not in columns:
        return None
    letter, title = columns[key]
    return f"{_sheet_ref(sheet)}!{letter}{row} ({title})"


def _sheet_ref(sheet: str) -> str:
    """A sheet's name as Excel writes it before a cell: quoted when it holds more than letters and digits."""
    return sheet if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", sheet) else "'" + sheet.replace("'", "''") + "'"


def _title(value: object) -> str:
    return " ".join(str(value).split()).casefold() if value is not None else ""


def plain_text(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).replace("\r\n", "\n").strip()
    return text or None


def cell_place(place: str, cell: Cell) -> str:
    return f"{place}, cell {cell.coordinate}"


def _action_row(
    cells: dict[str, Cell], kinds: Mapping[str, str], place: str, plan: ActionPlanLayout, problems: list[Problem], seen: set[int]
) -> ReturnedAction | None:
    """The values of a filled row, each read by its column's kind, or None (with its problems added) if any cell is wrong."""
    before = len(problems)
    values: dict[str, Any] = {}
    for key, cell in cells.items():
        if cell.formula:
            problems.append(
                Problem(
                    cell_place(place, cell),
                    f"the cell holds a formula ({cell.value}), not a value",
                    "type the value itself; sarflow reads only values from these columns"
                    + ("; for text that begins with =, type an apostrophe first ('=...)" if kinds[key] == "text" else ""),
                )
            )
        elif kinds[key] == "number":
            values[key] = _number(cell, place, problems)
        elif kinds[key] == "date":
            values[key] = _date(cell, place, problems)
        elif kinds[key] == "status":
            values[key] = _status(cell, place, plan.statuses, problems)
        elif kinds[key] == "list":
            values[key] = _list(cell)
        else:
            values[key] = cell_text(cell)
    if isinstance(values.get("no"), int):
        seen.add(values["no"])
    if len(problems) > before:
        return None
    return ReturnedAction(values.pop("no"), values, cell_place(place, cells["no"]))


def carried(plan: ActionPlanLayout) -> list[str]:
    """The keys of the workbook's columns that the import reads back into actions.yml, in the sheet's order."""
    return [c.key for c in plan.workbook_columns if c.kind in READ_KINDS]


def _typed_over(
    ws: Sheet, row: int, place: str, plan: ActionPlanLayout, formulas: dict[str, int], values: dict[str, Any]
) -> list[Problem]:
    """A value typed over a formula column that differs from what the formula gives: it would be lost."""
    status = next((values.get(f.key) for f in plan.of_kind("status")), None)
    target = values.get("target_date")
    counted = {column.key: value for column, value in plan.status_formulas}
    problems = []
    for key, column in formulas.items():
        cell = ws.cell(row, column)
        if cell.value is None or cell.formula:
            continue
        if key == OVERALL:
            overdue = status != plan.completed and isinstance(target, dt.date) and target < today()
            expected = plan.completed if status == plan.completed else OVERDUE if overdue else status or plan.overall_not_logged
        else:
            expected = plan.not_logged if status is None else "Yes" if status == counted[key] else "No"
        if plain_text(cell.value) != expected:
            problems.append(Problem(
                cell_place(place, cell),
                f"{plain_text(cell.value)!r} was typed over the formula of this column, which works out {expected!r} "
                "from the Status and Target Date: the import does not read it, so the change would be lost",
                "make the change in Status (or Target Date), and copy the formula back from the row above",
                "formula-column-edited",
            ))
    return problems


def _number(cell: Cell, place: str, problems: list[Problem]) -> int | None:
    value = cell.value
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if value is None or (isinstance(value, str) and not value.strip()):
        problems.append(Problem(cell_place(place, cell), "the row has no action number (No)", "give the action its number, e.g. 7"))
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    problems.append(
        Problem(cell_place(place, cell), f"the action number {value!r} is not a whole number", "write the number alone, e.g. 7")
    )
    return None


def _date(cell: Cell, place: str, problems: list[Problem]) -> dt.date | None:
    value = cell.value
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date) and value >= EXCEL_FIRST_DATE:
        return value
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.date | dt.time):
        # openpyxl turns zero into a time of day and a negative number into a date before 1900;
        # Excel shows either as ##### in a date cell
        problems.append(
            Problem(
                cell_place(place, cell),
                "the date cell holds zero or a negative number, which Excel shows as ##### and is not a date",
                "type the date itself, e.g. 30/06/2026, or clear the cell",
            )
        )
        return None
    kind = "text" if isinstance(value, str) else "a number"
    problems.append(
        Problem(
            cell_place(place, cell),
            f"the date cell holds {kind} ({str(value).strip()!r}), not a date",
            "type the date so that Excel recognises it (e.g. 30/06/2026) and the cell shows it as dd/mm/yyyy",
        )
    )
    return None


def _status(cell: Cell, place: str, statuses: tuple[str, ...], problems: list[Problem]) -> str | None:
    value = plain_text(cell.value)
    if value is None or value in statuses:
        return value
    near = nearest(value, statuses)
    problems.append(
        Problem(
            cell_place(place, cell),
            f"the status {value!r} is not one of the template's: " + ", ".join(statuses),
            f"did you mean {near!r}? choose it from the drop-down" if near
            else "choose the status from the drop-down",
        )
    )
    return None


def _list(cell: Cell) -> str | list[str] | None:
    """A list written in one cell as the workbook writes it, `L1, L3`; one item alone stays a plain value."""
    items = [item.strip() for item in (cell_text(cell) or "").split(",") if item.strip()]
    return items[0] if len(items) == 1 else items or None


def cell_text(cell: Cell) -> str | None:
    value = cell.value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        value = value.strftime("%d/%m/%Y")
    return plain_text(value)


def _read_updates(ws: Sheet, shown: str, no_title: str, agency_title: str, owners: Owners, result: ReturnedPlan) -> None:
    """Progress updates from the Updates sheet: number, date and text, per agency."""
    keys = {"no": no_title, "date": UPDATE_DATE, "text": UPDATE_TEXT, "agency": agency_title}
    header = next(
        (r for r in range(1, HEADER_SEARCH_ROWS + 1)
         if {_title(keys["no"]), _title(UPDATE_DATE), _title(UPDATE_TEXT)} <= {_title(c.value) for c in ws.row(r)}),
        None,
    )
    if header is None:
        return
    result.updates_read = True
    columns = _header_columns(ws, header, keys)
    place = f"{shown}, sheet {ws.title}"
    rows = ws.numbers(below=header)
    if "agency" in columns:
        owners.note_shared(ws.cell(row, columns["agency"]).value for row in rows)
    for row in rows:
        cells = {k: ws.cell(row, c) for k, c in columns.items()}
        if all(plain_text(cells[k].value) is None for k in ("no", "date", "text")):
            continue
        if "agency" in cells and not owners.ours(cells["agency"], place, result.problems):
            continue
        no = _number(cells["no"], place, result.problems)
        when = _date(cells["date"], place, result.problems)
        text = cell_text(cells["text"])
        if plain_text(cells["date"].value) is None:
            result.problems.append(Problem(cell_place(place, cells["date"]), "the update has no date", "fill it in, or delete the row"))
        if text is None:
            result.problems.append(Problem(cell_place(place, cells["text"]), "the update has no text", "fill it in, or delete the row"))
        if no is not None and when is not None and text is not None:
            result.updates.append(ReturnedUpdate(no, when, text, cell_place(place, cells["text"])))
