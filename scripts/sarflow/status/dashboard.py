"""What a board asks of its figures: the headline counts, what changed since its last meeting,
whether things are getting better, and what it must decide.

Computed from `Figures` only, so that the site's home page and the board paper say the
same; the thresholds are the board's settings in reviews/board.yml (model.Board).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sarflow.dates import uk_long
from sarflow.model import Update
from sarflow.status.figures import ActionRow, Figures, ImrRow, ReviewFigures, Stage

MONTHS = 12  # the trends' span


def open_reviews(fig: Figures) -> list[ReviewFigures]:
    """Reviews not yet completed (before the template's completing stage)."""
    return [r for r in fig.reviews if not r.timescale.completed]


def late_imrs(fig: Figures) -> list[ImrRow]:
    return [i for r in fig.reviews for i in r.late]


def overdue_actions(fig: Figures) -> list[ActionRow]:
    return [a for a in fig.actions if a.overdue]


def completed_this_year(fig: Figures) -> list[ActionRow]:
    """Actions completed in the calendar year of the day the figures are for."""
    return [a for a in fig.actions if a.completed_on and a.completed_on.year == fig.today.year]


@dataclass(frozen=True)
class SinceMeeting:
    """What changed after the board's last meeting, up to the day of the figures."""

    meeting: dt.date
    stage_changes: list[tuple[ReviewFigures, Stage, dt.date]]
    imrs_returned: list[ImrRow]
    completed: list[ActionRow]
    newly_overdue: list[ActionRow]
    updates: list[tuple[ActionRow, Update]]


def since_last_meeting(fig: Figures, before: dt.date | None = None) -> SinceMeeting | None:
    """What changed after the board's last meeting before `before` (the paper's meeting; the day of
    the figures when not given); None when board.yml lists no such meeting."""
    meeting = fig.board.last_meeting(before or fig.today)
    if meeting is None:
        return None

    def after(day: dt.date | None) -> bool:
        return day is not None and meeting < day <= fig.today

    return SinceMeeting(
        meeting=meeting,
        stage_changes=[(r, stage, day) for r in fig.reviews for stage, day in r.stage_changes if after(day)],
        imrs_returned=[i for r in fig.reviews for i in r.imrs if i.returned and i.imr and after(i.imr.submitted)],
        completed=[a for a in fig.actions if after(a.completed_on)],
        # Overdue now, and its target date fell after the meeting: the board has not seen it overdue.
        newly_overdue=[a for a in fig.actions if a.overdue and after(a.action.target_date)],
        updates=sorted(((a, u) for a in fig.actions for u in a.action.updates if after(u.date)),
                       key=lambda pair: pair[1].date or fig.today, reverse=True),
    )


@dataclass(frozen=True)
class Month:
    """The action plans at the end of one month (today, for the current month)."""

    end: dt.date
    open: int
    overdue: int
    completed: int

    @property
    def label(self) -> str:
        return f"{self.end:%B %Y}"


def trends(fig: Figures, months: int = MONTHS) -> list[Month]:
    """Open, overdue and completed actions at the end of each of the last `months` months, oldest first.

    An action counts from the day it came into the plan (`ActionRow.added`) and as
    completed from its completion date; overdue at a month's end means past its target
    date then and not yet completed.
    """
    ends = []
    year, month = fig.today.year, fig.today.month
    for _ in range(months):
        first_of_next = dt.date(year + (month == 12), month % 12 + 1, 1)
        ends.append(min(first_of_next - dt.timedelta(days=1), fig.today))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    found = []
    for end in reversed(ends):
        present = [a for a in fig.actions if a.added <= end]
        done = [a for a in present if a.completed_on and a.completed_on <= end]
        still_open = [a for a in present if not (a.completed_on and a.completed_on <= end)]
        late = [a for a in still_open if a.action.target_date and a.action.target_date < end]
        found.append(Month(end, len(still_open), len(late), len(done)))
    return found


@dataclass(frozen=True)
class Decision:
    """Something the board's own rules put before it: a review or an action, and why."""

    review: ReviewFigures
    action: ActionRow | None
    why: str


def for_decision(fig: Figures) -> list[Decision]:
    """By the board's rules: actions overdue or silent too long, and reviews past their expected completion."""
    board = fig.board
    found = []
    for r in fig.reviews:
        scale = r.timescale
        if scale.days_past and scale.due:
            agreed = f"the extension agreed to {uk_long(scale.extended_to)}" if scale.extended_to else (
                f"{board.expected_months} months after the decision to hold it")
            found.append(Decision(r, None, f"{_days(scale.days_past)} past its expected completion on "
                                           f"{uk_long(scale.due)} ({agreed})"))
    for a in fig.actions:
        reasons = []
        if a.days_overdue > board.escalate_overdue_days:
            reasons.append(f"overdue by {_days(a.days_overdue)} (the board's limit is {board.escalate_overdue_days})")
        if not a.completed and a.latest is None and a.overdue:
            reasons.append("overdue with no update at all")
        elif not a.completed and a.days_without_update is not None and a.days_without_update > board.escalate_no_update_days:
            reasons.append(f"no update for {_days(a.days_without_update)} "
                           f"(the board's limit is {board.escalate_no_update_days})")
        if reasons:
            review = next(r for r in fig.reviews if r.review is a.review)
            found.append(Decision(review, a, "; ".join(reasons)))
    return found


def _days(n: int) -> str:
    return f"{n} day{'' if n == 1 else 's'}"
