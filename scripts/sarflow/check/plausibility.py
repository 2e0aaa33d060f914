"""Dates that can be written but are very unlikely to be right.

A family member born in 1847 or next year, a death before a birth, an update or an
approval dated after today, and updates out of date order are almost always a slip of
the keyboard (1974 typed 1847, 2026 typed 2027). Each is a warning while the IMR is a
draft and an error once it is submitted, like a missing answer: the panel should not
have to find it.
"""

from __future__ import annotations

import datetime as dt

from sarflow.check.context import Context
from sarflow.dates import uk
from sarflow.model import Action

OLDEST = dt.date(1900, 1, 1)  # no member of a family in a review in this century was born before


def check(ctx: Context) -> None:
    imr = ctx.the_imr
    on = ctx.today
    for member in imr.family:
        who = member.name or "this family member"
        born = member.date_of_birth
        if born is not None and not OLDEST <= born <= on:
            ctx.report("unlikely-date", f"{who}'s date of birth, {uk(born)}, is "
                       + ("before 1900" if born < OLDEST else "after today"),
                       member.span("date_of_birth"), "check the year: dates are written year-month-day, e.g. 1950-01-31")
        died = member.date_of_death if isinstance(member.date_of_death, dt.date) else None
        if died is not None and (died > on or (born is not None and died < born)):
            ctx.report("unlikely-date", f"{who}'s date of death, {uk(died)}, is "
                       + ("after today" if died > on else f"before their date of birth ({uk(born)})"),
                       member.span("date_of_death"), "check the year and the order of the two dates")
    approver = imr.approved_by
    if approver is not None and approver.date is not None and approver.date > on:
        ctx.report("dated-in-future", f"the approval is dated {uk(approver.date)}, after today ({uk(on)})",
                   approver.span("date"), "write the day the IMR was approved")
    check_updates(ctx, imr.actions)


def check_updates(ctx: Context, actions: list[Action]) -> None:
    """Each action's updates dated no later than today, oldest first (an agency's actions, or the board's own)."""
    on = ctx.today
    for action in actions:
        latest: dt.date | None = None
        for update in action.updates:
            if update.date is None:
                continue
            if update.date > on:
                ctx.report("dated-in-future", f"this update to action {action.no} is dated {uk(update.date)}, after today "
                           f"({uk(on)})", update.span("date"), "write the day the progress was reported")
                continue
            if latest is not None and update.date < latest:
                ctx.report("updates-order", f"this update ({uk(update.date)}) comes after one dated {uk(latest)}",
                           update.span("date"), "list the updates oldest first, adding each new one at the end")
            latest = max(latest, update.date) if latest else update.date
