"""The Action Plan workbook, faithful to the template's "Actions" sheet.

Sheets, in order:
- the template's action sheet ("Actions"): "Todays date" in A1 with a live =TODAY() in
  B1 and the RAG key beside it, the template's column titles in row 3 in the template's
  order, then a column for each of sarflow's own fields that fits a cell (Lesson), so that
  an action added in Excel can name its lesson, then the board's RAG rating of each action
  on the day the workbook was made (`sarflow.rating`, the one rule: the site, the board
  paper and the Word report show the same); one row per action, then a few spare rows
  that already carry the drop-down and the formulas. Every column is written by its kind in the
  template's table of fields (`ActionPlanLayout.fields`), so a column a board adds to
  its template is written with no change here;
- "Summary": the count of actions per status, with no status, overdue, and in all
  (per agency too in the review's workbook), as formulas over the action sheet;
- "Updates": each action's progress updates (No, date, text, agency), which the
  template's columns have no room for;
The review's combined plan (`combined`) is the same but for its first two columns: each
action's reference across the review (the agency's short code and the number, ASC-3:
every agency numbers its actions from 1) and its agency, frozen so that they stay in view
while scrolling sideways; the Agency column moves there from the template's last place.
Its Updates sheet leads with the same two columns.
- the template's status list sheet ("Sheet3"), which feeds the Status drop-down.

The four formula columns recompute in Excel whenever a status or a target date
changes. For a row whose Status cell is S and Target Date cell is T:
- each "Formula - <status>" column (matched to the statuses in template order):
  =IF(S="","Not logged",IF(S="<status>","Yes","No"));
- "Completed - Overall result":
  =IF(S="Completed","Completed",IF(AND(ISNUMBER(T),T<$B$1),"Overdue",IF(S="","Not Logged",S)))
  where $B$1 is the "Todays date" cell: the action's status, or "Overdue" once the
  target date has passed without completion (the same rule as the model's
  `Action.is_overdue`), or the template's "Not Logged" when nothing is set.
A row with no status shows "Not logged" in all three status columns and "Not Logged"
overall, as the template's empty rows do. The Summary counts overdue actions from the
overall column. Conditional formatting colours each row's input cells by the row's RAG
cell (red, amber, green), so that the colour and the word are the board's one rating
and no rule of the workbook's own; the RAG and formula columns stay locked, the formula
columns grey, the sheet protected without a password (see `sarflow.xlsx.printing`,
which also says how an agency sorts it). An action added in Excel has no RAG until
the next build rates it.
The statuses are taken in template order; the template names the one that means
completed, and those other than the first and the completed one are "in progress".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from sarflow.dates import uk
from sarflow.model import Action, Board, listed
from sarflow.rating import AMBER, GREEN, RED, key, rate
from sarflow.template import AGENCY, OVERALL, ActionField, ActionPlanLayout, Template
from sarflow.xlsx import cells, printing
from sarflow.xlsx.layout import (
    DATE_FORMAT,
    FIRST_ROW,
    HEADER_ROW,
    NOTE_ROW,
    OVERDUE,
    REFERENCE_TITLE,
    SPARE_ROWS,
    SUMMARY_SHEET,
    SUMMARY_TITLES,
    TODAY_ROW,
    TOTAL,
    UPDATE_DATE,
    UPDATE_TEXT,
    UPDATES_SHEET,
)
from sarflow.xlsx.looks import styled

# Each rating's colours (Excel's own "light red fill with dark red text", and so on).
LOOKS = {
    RED: (PatternFill("solid", fgColor="FFC7CE", bgColor="FFC7CE"), Font(color="9C0006")),
    AMBER: (PatternFill("solid", fgColor="FFEB9C", bgColor="FFEB9C"), Font(color="9C5700")),
    GREEN: (PatternFill("solid", fgColor="C6EFCE", bgColor="C6EFCE"), Font(color="006100")),
}
RAG_TITLE = "RAG"
# The key sits in row 1 from this column on (A1 and B1 are "Todays date"), above the header,
# where no row of actions is and the import never reads.
KEY_COLUMN = 3


@dataclass(frozen=True)
class PlanRow:
    """One action, the agency it belongs to (the Agency column) and, in the review's combined
    plan, its reference across the review (ASC-3)."""

    agency: str
    action: Action
    reference: str = ""
    submitted: dt.date | None = None  # the day its IMR was submitted, from which an update is awaited


# The combined plan's first column, and every plan's last: not fields of the template, so keyed
# by names no field has.
REFERENCE = ActionField(" reference", REFERENCE_TITLE)
RATING = ActionField(" rag", RAG_TITLE)


class Columns:
    """Column letters of the action sheet, looked up by the keys of the template's fields; the
    combined plan's reference and agency lead (`frozen` is how many columns stay in view)."""

    def __init__(self, plan: ActionPlanLayout, combined: bool = False) -> None:
        fields = plan.workbook_columns
        if combined:
            fields = (REFERENCE, plan.field(AGENCY), *(f for f in fields if f.key != AGENCY))
        self.fields = (*fields, RATING)
        self.frozen = 2 if combined else 1
        self.keys = [c.key for c in self.fields]
        self.titles = [c.title for c in self.fields]

    def of_kind(self, kind: str) -> list[ActionField]:
        return [c for c in self.fields if c.kind == kind]

    def number(self, key: str) -> int:
        return self.keys.index(key) + 1

    def letter(self, key: str) -> str:
        return get_column_letter(self.number(key))


def workbook(template: Template, rows: Sequence[PlanRow], title: str, on: dt.date, board: Board | None,
             agencies: Sequence[str] = ()) -> Workbook:
    """The workbook for `rows`, each rated as the board rates it on `on`; `agencies` (in order)
    makes it the review's combined plan, with each action's reference and a per-agency summary."""
    plan = template.action_plan
    book = Workbook()
    actions = book.active
    actions.title = plan.sheet
    last_row = FIRST_ROW + len(rows) + SPARE_ROWS - 1
    columns = Columns(plan, combined=bool(agencies))
    ratings = [rate(item.action, on, plan.completed, board, item.submitted).rag for item in rows]
    _actions_sheet(actions, template, columns, rows, last_row, title, ratings, rag_key(on, board))
    _summary_sheet(book.create_sheet(SUMMARY_SHEET), template, columns, last_row, title, agencies)
    _updates_sheet(book.create_sheet(UPDATES_SHEET), template, rows, title, combined=bool(agencies))
    statuses = book.create_sheet(plan.status_sheet)
    for i, status in enumerate(plan.statuses, start=1):
        cells.label(statuses.cell(i, 1), status)
    statuses.column_dimensions["A"].width = max(len(s) for s in plan.statuses) + 4
    cells.print_setup(statuses, template.marking, title, None)
    book.active = 0
    return book


def _actions_sheet(ws: Worksheet, template: Template, columns: Columns, rows: Sequence[PlanRow], last_row: int, title: str,
                   ratings: Sequence[str], shown_key: str) -> None:
    """The Actions sheet: the template's columns, each action's RAG last (before the sheet is
    fitted to its paper, so that the fit counts the RAG column too)."""
    plan = template.action_plan
    cells.label(ws.cell(TODAY_ROW, 1), plan.today_label)
    ws.cell(TODAY_ROW, 1).font = cells.HEADER_FONT
    cells.formula(ws.cell(TODAY_ROW, 2), "=TODAY()")
    ws.cell(TODAY_ROW, 2).number_format = DATE_FORMAT
    cells.header_row(ws, HEADER_ROW, columns.titles)
    for row, item in enumerate(rows, start=FIRST_ROW):
        _action_row(ws, columns, row, item)
    for row in range(FIRST_ROW, last_row + 1):
        _formulas(ws, plan, columns, row)
    dates = [columns.number(column.key) for column in columns.of_kind("date")]
    styled((ws.cell(row, col) for row in range(FIRST_ROW, last_row + 1) for col in dates), number_format=DATE_FORMAT)
    last_col = get_column_letter(len(columns.keys))
    cells.frame(ws, FIRST_ROW, last_row, len(columns.keys))
    cells.widths(ws, columns.titles, FIRST_ROW, last_row)
    _fit_today(ws, plan)
    _validation(ws, template, columns, last_row)
    ws.freeze_panes = f"{get_column_letter(columns.frozen + 1)}{FIRST_ROW}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_col}{last_row}"
    cells.label(ws.cell(NOTE_ROW, 1), printing.SORTING_NOTE)
    _ratings(ws, columns, ratings, last_row, shown_key)
    cells.print_setup(ws, template.marking, title, f"{HEADER_ROW}:{HEADER_ROW}")
    printing.protect(ws, inputs=(FIRST_ROW, last_row, columns.number(RATING.key) - 1))  # the RAG, last, is sarflow's


def _fit_today(ws: Worksheet, plan: ActionPlanLayout) -> None:
    """Column A as wide as the "Todays date" label, and B as its date, so that neither is cut."""
    for letter, needed in (("A", len(plan.today_label)), ("B", len(DATE_FORMAT))):
        ws.column_dimensions[letter].width = max(ws.column_dimensions[letter].width, needed + 3)


def _input_ranges(columns: Columns, last_row: int) -> str:
    """The cells an agency types in (every column but the formulas), and the RAG, as runs of columns."""
    runs: list[list[int]] = []
    for number, field in enumerate(columns.fields, start=1):
        if field.kind == "formula":
            continue
        if runs and runs[-1][-1] == number - 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return " ".join(f"{get_column_letter(r[0])}{FIRST_ROW}:{get_column_letter(r[-1])}{last_row}" for r in runs)


def _action_row(ws: Worksheet, columns: Columns, row: int, item: PlanRow) -> None:
    """One action, each column written by its kind; the formula columns are filled for every row."""
    action = item.action
    where = f"action {action.no if action.no is not None else '(no number)'}"
    for col, column in enumerate(columns.fields, start=1):
        cell, value = ws.cell(row, col), action.value(column.key)
        if column is RATING:
            continue  # written by `_ratings`
        if column is REFERENCE:
            cells.text(cell, item.reference, f"the reference of {where}")
        elif column.kind == "agency":
            cells.text(cell, item.agency, "the agency's name")
        elif value is None and column.kind != "formula":  # not read as its kind: shown as typed
            cells.text(cell, action.as_written(column.key) or None, f"the {column.title} of {where}", action.span(column.key))
        elif column.kind == "date":
            cells.date(cell, value)
        elif column.kind == "number":
            if value is not None:
                cell.value = value
        elif column.kind in ("text", "status", "list"):
            shown = (listed(value) or None) if isinstance(value, tuple) else value  # a list of ids: `L1, L3`
            cells.text(cell, shown, f"the {column.title} of {where}", action.span(column.key))


def _formulas(ws: Worksheet, plan: ActionPlanLayout, columns: Columns, row: int) -> None:
    status = f"${columns.letter('status')}{row}"
    target = f"${columns.letter('target_date')}{row}"
    today = f"$B${TODAY_ROW}"
    not_logged = cells.excel_string(plan.not_logged)
    for column, value in plan.status_formulas:
        cells.formula(
            ws.cell(row, columns.number(column.key)),
            f'=IF({status}="",{not_logged},IF({status}={cells.excel_string(value)},"Yes","No"))',
        )
    completed = cells.excel_string(plan.completed)
    cells.formula(
        ws.cell(row, columns.number(OVERALL)),
        f"=IF({status}={completed},{completed},IF(AND(ISNUMBER({target}),{target}<{today}),"
        f'{cells.excel_string(OVERDUE)},IF({status}="",{cells.excel_string(plan.overall_not_logged)},{status})))',
    )


def _validation(ws: Worksheet, template: Template, columns: Columns, last_row: int) -> None:
    plan = template.action_plan
    choices = ", ".join(plan.statuses)
    status = DataValidation(
        type="list",
        formula1=f"{cells.sheet_ref(plan.status_sheet)}!$A$1:$A${len(plan.statuses)}",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Status",
        error=f"Choose one of: {choices}.",
        showInputMessage=True,
        promptTitle="Status",
        prompt=f"Choose one of: {choices}.",
    )
    status.add(f"{columns.letter('status')}{FIRST_ROW}:{columns.letter('status')}{last_row}")
    dates = DataValidation(
        type="date",
        operator="greaterThan",
        formula1="1",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Date",
        error="Enter a date as day/month/year, e.g. 30/06/2026.",
    )
    for column in columns.of_kind("date"):
        dates.add(f"{columns.letter(column.key)}{FIRST_ROW}:{columns.letter(column.key)}{last_row}")
    rules = [status, dates]
    for column in columns.of_kind("number"):
        number = DataValidation(
            type="whole",
            operator="greaterThanOrEqual",
            formula1="1",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=column.title,
            error="Enter the action's number, a whole number such as 7." if column.key == "no"
            else "Enter a whole number such as 7.",
        )
        number.add(f"{columns.letter(column.key)}{FIRST_ROW}:{columns.letter(column.key)}{last_row}")
        rules.append(number)
    for rule in rules:
        ws.add_data_validation(rule)


def rag_key(on: dt.date, board: Board | None) -> str:
    """The key shown above the RAG column: the day of the rating and the rule in the board's words."""
    rule = "; ".join(f"{rag}: {meaning}" for rag, meaning in key(board))
    return f"{RAG_TITLE}, as the board rates each action on {uk(on)}, when this workbook was made. {rule}."


def _ratings(ws: Worksheet, columns: Columns, ratings: Sequence[str], last_row: int, shown_key: str) -> None:
    """Each action's RAG in its column, the key above, and each row's input cells coloured by its RAG cell."""
    col = columns.number(RATING.key)
    for row, rag in enumerate(ratings, start=FIRST_ROW):
        cells.label(ws.cell(row, col), rag)
    cells.label(ws.cell(TODAY_ROW, KEY_COLUMN), shown_key)
    ws.cell(TODAY_ROW, KEY_COLUMN).font = cells.HEADER_FONT
    ws.column_dimensions[get_column_letter(col)].width = max(len(RAG_TITLE), *(len(r) for r in LOOKS)) + 4
    rag = f"${get_column_letter(col)}{FIRST_ROW}"
    for name, (fill, font) in LOOKS.items():
        rule = FormulaRule(formula=[f"{rag}={cells.excel_string(name)}"], fill=fill, font=font, stopIfTrue=True)
        ws.conditional_formatting.add(_input_ranges(columns, last_row), rule)


def _summary_sheet(
    ws: Worksheet, template: Template, columns: Columns, last_row: int, title: str, agencies: Sequence[str]
) -> None:
    """Counts per status, with no status, overdue and in all: formulas over the action sheet."""
    plan = template.action_plan
    sheet = cells.sheet_ref(plan.sheet)

    def column_range(key: str) -> str:
        letter = columns.letter(key)
        return f"{sheet}!${letter}${FIRST_ROW}:${letter}${last_row}"

    numbered = f'({column_range("no")}<>"")'
    labels = [*plan.statuses, plan.not_logged, OVERDUE, TOTAL]
    cells.header_row(ws, 1, list(SUMMARY_TITLES))
    for row, name in enumerate(labels, start=2):
        cells.label(ws.cell(row, 1), name)
    for row, _ in enumerate(plan.statuses, start=2):
        cells.formula(ws.cell(row, 2), f"=COUNTIF({column_range('status')},A{row})")
    row = 2 + len(plan.statuses)
    cells.formula(ws.cell(row, 2), f'=SUMPRODUCT({numbered}*({column_range("status")}=""))')
    cells.formula(ws.cell(row + 1, 2), f"=COUNTIF({column_range(OVERALL)},A{row + 1})")
    cells.formula(ws.cell(row + 2, 2), f"=COUNT({column_range('no')})")
    last = row + 2
    cells.frame(ws, 2, last, 2)
    if agencies:
        last = _per_agency(ws, plan, column_range, numbered, agencies, first=last + 2)
    ws.column_dimensions["A"].width = min(cells.MAX_WIDTH, max(len(x) for x in [*labels, *agencies]) + 2)
    for col in range(2, len(labels) + 2):
        ws.column_dimensions[get_column_letter(col)].width = max(len(x) for x in labels) + 2
    ws.freeze_panes = "A2"
    cells.print_setup(ws, template.marking, title, "1:1")
    printing.protect(ws)


def _per_agency(
    ws: Worksheet, plan: ActionPlanLayout, column_range: Callable[[str], str], numbered: str, agencies: Sequence[str], first: int
) -> int:
    """The same counts per agency (one row each), for the review's workbook.

    SUMPRODUCT compares the names exactly, where COUNTIFS would read a name beginning
    with `=` or holding `*` or `?` as a pattern.
    """
    labels = [*plan.statuses, plan.not_logged, OVERDUE, TOTAL]
    cells.header_row(ws, first, [plan.title("agency"), *labels])
    status, overall = column_range("status"), column_range(OVERALL)
    for row, agency in enumerate(agencies, start=first + 1):
        cells.text(ws.cell(row, 1), agency, "the agency's name")
        theirs = f'({column_range("agency")}=$A{row})*{numbered}'
        conditions = [f"({status}={cells.excel_string(s)})" for s in plan.statuses]
        conditions += [f'({status}="")', f"({overall}={cells.excel_string(OVERDUE)})"]
        for col, condition in enumerate(conditions, start=2):
            cells.formula(ws.cell(row, col), f"=SUMPRODUCT({theirs}*{condition})")
        cells.formula(ws.cell(row, len(conditions) + 2), f"=SUMPRODUCT({theirs})")
    last = first + len(agencies)
    cells.frame(ws, first + 1, last, len(labels) + 1)
    return last


def _updates_sheet(ws: Worksheet, template: Template, rows: Sequence[PlanRow], title: str, combined: bool) -> None:
    """Every progress update, oldest first per action, for the board to read beside the plan;
    the combined plan's lead with the action's reference and agency, as its action sheet does."""
    plan = template.action_plan
    lead = [REFERENCE_TITLE, plan.title(AGENCY)] if combined else []
    titles = [*lead, plan.title("no"), UPDATE_DATE, UPDATE_TEXT, *([] if combined else [plan.title(AGENCY)])]
    number, date, text = (len(lead) + n for n in (1, 2, 3))
    agency = 2 if combined else 4
    cells.header_row(ws, 1, titles)
    row = 1
    for item in rows:
        for update in item.action.updates:
            row += 1
            if combined:
                cells.text(ws.cell(row, 1), item.reference, f"the reference of action {item.action.no}")
            if item.action.no is not None:
                ws.cell(row, number, item.action.no)
            if update.date is None:
                cells.text(ws.cell(row, date), update.as_written("date") or None, f"the date of an update of action {item.action.no}")
            cells.date(ws.cell(row, date), update.date)
            cells.text(ws.cell(row, text), update.text, f"an update of action {item.action.no}", update.span("text"))
            cells.text(ws.cell(row, agency), item.agency, "the agency's name")
    cells.frame(ws, 2, row, len(titles))
    cells.widths(ws, titles, 2, row)
    ws.freeze_panes = f"{get_column_letter(len(lead) + 1)}2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(titles))}{max(row, 2)}"
    cells.print_setup(ws, template.marking, title, "1:1")
