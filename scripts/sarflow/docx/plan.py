"""Section 8: the single-agency action plan, as the board follows it, and its progress updates.

Each action is a row of the template's columns (those an author writes, in the
template's order, see `sarflow.docx.tables.action_plan_columns`), with the lesson under
the recommendation, the board's RAG rating and the days overdue under the status
(`sarflow.rating`, the rule the status site and the board paper use), and the latest progress update under
the comment (a column of its own would leave the template's columns too
narrow for their words). The key to the ratings follows the table, then every update in a
table of its own, oldest first for each action.

The columns are sized to their content: each is at least as wide as its longest word
(the bold heading's included), so that no word breaks inside itself, and the rest of
the page's width goes to the columns with the most text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from sarflow.dates import today, uk
from sarflow.docx.tables import action_plan_columns, cell
from sarflow.model import Action, Board, Imr, Update, listed
from sarflow.rating import RED, Rating, key, rate
from sarflow.template import ActionField, Template
from sarflow.word.nodes import Node, header, para, strong, table, text
from sarflow.word.reference import MARGIN, PAGE_HEIGHT

LATEST_UPDATE = "Latest update"  # before the update's date and text
# The column the latest update goes under: the template's Comment (else the last column).
COMMENT = "comment"
UPDATE_HEAD = ("Date", "Update")
# The width inside the margins of a landscape page, in twentieths of a point.
LANDSCAPE_WIDTH = PAGE_HEIGHT - 2 * MARGIN
# Table text is 10 point Arial (the reference's table style; LibreOffice's Liberation Sans
# has the same metrics): each character's advance width in thousandths of the size, from
# the Helvetica font metrics, regular and bold; a character not listed counts as an "m".
POINTS, TWIPS_PER_POINT = 10, 20
_REGULAR = {
    **dict.fromkeys("ijl'", 222), **dict.fromkeys("ftI.,:;/ ", 278), **dict.fromkeys("r()-", 333), '"': 355,
    **dict.fromkeys("cksvxyzJ", 500), **dict.fromkeys("abdeghnopqu0123456789?$#_", 556),
    **dict.fromkeys("ABEKPSVXY&", 667), **dict.fromkeys("w", 722), **dict.fromkeys("CDHNRUGOQ", 722),
    **dict.fromkeys("FTZL", 611), "M": 833, "m": 833, "W": 944, "%": 889, "@": 1015,
}
_BOLD = {
    **dict.fromkeys("ijl'", 278), **dict.fromkeys("ftI.,:;/ ", 333), **dict.fromkeys("r()-", 389), '"': 474,
    **dict.fromkeys("cksvxyzJ", 556), **dict.fromkeys("aeg0123456789?$#_", 556),
    **dict.fromkeys("bdhnopqu", 611), **dict.fromkeys("ABEKPSVXY&", 667), "w": 778,
    **dict.fromkeys("CDHNRUGOQ", 722), **dict.fromkeys("FTZL", 611), "M": 833, "m": 889, "W": 944, "%": 889, "@": 975,
}
# The cell's margins (85 twips a side) and room for rounding and for fonts that differ a little.
CELL_ROOM = 2 * 85 + 40
SAFETY = 1.03


def action_plan(imr: Imr, template: Template, board: Board | None = None) -> list[Node]:
    """The action plan table, then the progress updates; nothing when there is no action."""
    if not imr.actions:
        return []
    plan = template.action_plan
    columns = action_plan_columns(template)
    on = today()
    head = [c.title for c in columns]
    rows = [[_cell(action, c, rate(action, on, plan.completed, board, imr.submitted)) for c in columns]
            for action in imr.actions]
    keys = [c.key for c in columns]
    under = keys.index(COMMENT) if COMMENT in keys else len(keys) - 1
    for row, action in zip(rows, imr.actions, strict=True):
        if latest := latest_update(action.latest_update()):
            row[under] = f"{row[under]}\n{latest}" if row[under] else latest
    return [table(head, rows, fitted_widths(head, rows, LANDSCAPE_WIDTH)), rag_key(on, board),
            *progress_updates(imr, template)]


def rag_key(on: dt.date, board: Board | None) -> Node:
    """The key under the table: what each rating beside a status means, in the board's words, and its day."""
    meanings = "; ".join(f"{name}: {meaning}" for name, meaning in key(board))
    return para(strong("RAG"), text(f" (as the board rates each action on {uk(on)}): {meanings}."))


def progress_updates(imr: Imr, template: Template) -> list[Node]:
    """Every action's updates (No, date, text), oldest first, under the template's heading for them."""
    plan = template.action_plan
    rows = [
        [cell(action.no), uk(update.date), cell(update.text)]
        for action in imr.actions
        for update in sorted(action.updates, key=lambda u: (u.date is None, u.date or today()))
    ]
    if not rows:
        return []
    head = [plan.title("no"), *UPDATE_HEAD]
    return [header(2, plan.title("updates")), table(head, rows, fitted_widths(head, rows, LANDSCAPE_WIDTH))]


def overdue_note(rating: Rating) -> str:
    """"Red: 26 days overdue", "Amber" or "Green": the board's rating of the action (sarflow.rating)."""
    days = rating.days_overdue
    if rating.rag == RED and days:
        return f"{rating.rag}: {days} day{'s' if days != 1 else ''} overdue"
    return rating.rag


def _cell(action: Action, column: ActionField, rating: Rating) -> str:
    """A cell as the report prints it: a value that could not be read as its kind as typed."""
    found = action.value(column.key)
    value = cell(found) if found is not None else action.as_written(column.key)
    if column.key == "recommendation" and action.lesson:
        lessons = f"({'Lesson' if len(action.lesson) == 1 else 'Lessons'} {listed(action.lesson)})"
        return f"{value}\n{lessons}" if value else lessons
    if column.kind == "status":
        return f"{value}\n{overdue_note(rating)}" if value else overdue_note(rating)
    return value


def latest_update(update: Update | None) -> str:
    """"Latest update, 02/10/2026: ..." for the comment cell; nothing when there is none."""
    if update is None or not update.text:
        return ""
    when = f", {uk(update.date)}" if update.date else ""
    return f"{LATEST_UPDATE}{when}: {cell(update.text)}"


def fitted_widths(head: Sequence[str], rows: Sequence[Sequence[str]], width: float) -> list[float]:
    """Each column's width (twips): its longest word, then a share of what is left by how much text it holds."""
    least = [
        max([_widest(h, _BOLD)] + [_widest(row[n], _REGULAR) for row in rows]) + CELL_ROOM
        for n, h in enumerate(head)
    ]
    spare = width - sum(least)
    if spare <= 0:  # more than a page holds: the words must break somewhere, in proportion
        return least
    text = [sum(len(row[n]) for row in rows) for n in range(len(head))]
    total = sum(text) or 1
    return [w + spare * t / total for w, t in zip(least, text, strict=True)]


def _widest(value: str, widths: dict[str, int]) -> float:
    """The width (twips) of the widest word of `value`; a line may break after a hyphen."""
    words = [part for word in value.split() for part in re.split(r"(?<=-)", word) if part]
    return max((sum(widths.get(c, 833) for c in word) for word in words), default=0) * POINTS * TWIPS_PER_POINT / 1000 * SAFETY
