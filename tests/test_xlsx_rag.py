"""The workbooks' RAG is the board's one rule (sarflow.rating), whatever the actions.

Random actions (any status of the template or none, target dates before and after the
day, progress updates dated or not, an IMR submitted or not) and random board settings
(`amber_days`, `stale_update_days`) go into the Action Plan workbook, the agency's and
the review's combined one, as `sarflow build` makes them. Read back with openpyxl, each
action's RAG cell holds what `sarflow.rating.rate` says, its row's cells take that
rating's colour from the conditional formatting, and every sheet that shows a RAG shows
the key too, in the board's words, with the day of the rating.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sarflow.dates import uk
from sarflow.findings import Span
from sarflow.model import Action, Board, Repository, Update
from sarflow.rating import key, rate
from sarflow.xlsx.action_plan import RAG_TITLE, PlanRow, workbook
from sarflow.xlsx.layout import FIRST_ROW, HEADER_ROW
from sarflow.xlsx.package import package

ON = dt.date(2026, 6, 15)
HERE = Span("reviews/x/y/actions.yml")
# Excel's own light fills for bad, neutral and good: what a board member sees in each row.
FILLS = {"Red": "FFC7CE", "Amber": "FFEB9C", "Green": "C6EFCE"}
AGENCIES = ("Northbridge Homes", "Riverside Medical Practice")

days = st.integers(min_value=-400, max_value=400).map(lambda n: ON + dt.timedelta(days=n))
updates = st.lists(st.builds(lambda d, t: Update(HERE, date=d, text=t), st.none() | days, st.sampled_from(["Audit done.", ""])),
                   max_size=3)


@st.composite
def plan_rows(draw: st.DrawFn, statuses: tuple[str, ...]) -> list[PlanRow]:
    rows = []
    for no in range(1, draw(st.integers(min_value=1, max_value=8)) + 1):
        status = draw(st.none() | st.sampled_from(statuses))
        action = Action(HERE, no=no, recommendation="Audit triage decisions", lesson=(), key_actions=None, evidence=None,
                        key_outcome=None, lead_officer="Head of Service", target_date=draw(st.none() | days),
                        status=status, date_completed=None, comment=None, updates=draw(updates))
        submitted = draw(st.none() | st.integers(min_value=0, max_value=500).map(lambda n: ON - dt.timedelta(days=n)))
        rows.append(PlanRow(draw(st.sampled_from(AGENCIES)), action, f"NH-{no}", submitted))
    return rows


def colour(ws: Worksheet, row: int, column: int) -> str | None:
    """The fill the conditional formatting gives a cell: the first rule, by priority, whose
    `$X4="..."` test holds for the cell's row (the rules are written for the range's first row)."""
    rules = []
    for entry in ws.conditional_formatting:
        if any(r.min_row <= row <= r.max_row and r.min_col <= column <= r.max_col for r in entry.sqref.ranges):
            rules.extend(entry.rules)
    for rule in sorted(rules, key=lambda r: r.priority):
        test = re.fullmatch(r'\$([A-Z]+)(\d+)="(.*)"', rule.formula[0])
        assert test, f"a rule the test cannot read: {rule.formula}"
        letters, first, wanted = test.groups()
        assert int(first) == FIRST_ROW
        if ws.cell(row, column_index_from_string(letters)).value == wanted:
            return rule.dxf.fill.bgColor.rgb[-6:]
    return None


@settings(max_examples=60, deadline=None)
@given(data=st.data(), amber=st.integers(min_value=0, max_value=90), stale=st.integers(min_value=1, max_value=200),
       combined=st.booleans())
def test_the_workbooks_rag_is_the_boards_rating(example: Repository, data: st.DataObject, amber: int, stale: int,
                                                combined: bool) -> None:
    assert example.board is not None
    board: Board = dataclasses.replace(example.board, amber_days=amber, stale_update_days=stale)
    plan = example.template.action_plan
    rows = data.draw(plan_rows(plan.statuses))
    book = workbook(example.template, rows, "SAR12 Action Plan", ON, board, agencies=AGENCIES if combined else ())
    read = openpyxl.load_workbook(io.BytesIO(package(book)))

    ws = read[plan.sheet]
    titles = [c.value for c in ws[HEADER_ROW]]
    rag_column = titles.index(RAG_TITLE) + 1
    no_column, status_column = titles.index(plan.title("no")) + 1, titles.index(plan.title("status")) + 1
    for row, item in enumerate(rows, start=FIRST_ROW):
        expected = rate(item.action, ON, plan.completed, board, item.submitted).rag
        assert ws.cell(row, rag_column).value == expected, (item, get_column_letter(rag_column))
        for column in (no_column, status_column, rag_column):
            assert colour(ws, row, column) == FILLS[expected], (row, column)
    assert ws.cell(FIRST_ROW + len(rows), rag_column).value is None  # a spare row is rated at the next build

    for sheet in read.worksheets:  # the key wherever a RAG is shown
        shown = [c.value for r in sheet.iter_rows(max_row=HEADER_ROW) for c in r if isinstance(c.value, str)]
        if RAG_TITLE in shown:
            words = " ".join(shown)
            assert uk(ON) in words, sheet.title
            assert all(f"{rag}: {meaning}" in words for rag, meaning in key(board)), (sheet.title, words)
            assert f"{amber} days" in words and f"{stale} days" in words
    assert [s.title for s in read.worksheets if RAG_TITLE in [c.value for c in s[HEADER_ROW]]] == [plan.sheet]
