"""How the board rates an action (Red, Amber, Green) and whether it has gone quiet: the one rule.

The status site, the board paper and the Word action plan all read `rate`, so that an
action has the same rating wherever a board member meets it. As a board reads it:

- Red: past its target date and not completed;
- Amber: due within the board's `amber_days`, or without an update for longer than its
  `stale_update_days` (an action that has gone quiet, however far off its target);
- Green: completed, or on track (not due soon, and reported on recently).

"Without an update" counts from the action's latest dated update or, before its first
one, from the day its IMR was submitted. An overdue action with no update at all is
flagged as quiet too, whatever its IMR's dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sarflow.model import Action, Board, Update

RED, AMBER, GREEN = "Red", "Amber", "Green"
RAG = (RED, AMBER, GREEN)  # worst first


@dataclass(frozen=True)
class Rating:
    """An action's rating on one day, with the figures behind it."""

    rag: str
    days_overdue: int  # 0 unless overdue
    latest: Update | None
    days_without_update: int | None  # None when there is nothing to count from
    stale: bool  # open, and no update for longer than the board's setting (or overdue with none at all)

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0


def rate(action: Action, on: dt.date, completed: str, board: Board | None, submitted: dt.date | None) -> Rating:
    """The board's rating of `action` on `on`; `submitted` is the day its IMR was submitted, if it was."""
    settings = board or Board.defaults()
    latest = action.latest_update()
    since = latest.date if latest and latest.date else submitted
    quiet = (on - since).days if since else None
    done = action.status == completed
    overdue = action.days_overdue(on, completed)
    stale = not done and ((quiet is not None and quiet > settings.stale_update_days) or (overdue > 0 and latest is None))
    if done:
        rag = GREEN
    elif overdue:
        rag = RED
    elif stale or (action.target_date is not None and (action.target_date - on).days <= settings.amber_days):
        rag = AMBER
    else:
        rag = GREEN
    return Rating(rag, overdue, latest, quiet, stale)


# What the key beside every rating says: the rule above in the board's words.
def key(board: Board | None) -> list[tuple[str, str]]:
    settings = board or Board.defaults()
    return [
        (RED, "past its target date and not completed"),
        (AMBER, f"due within {settings.amber_days} days, or no update for more than {settings.stale_update_days} days"),
        (GREEN, "completed, or on track"),
    ]
