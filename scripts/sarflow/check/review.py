"""Review-level facts every IMR depends on: unique agencies and a period that runs forwards, for more than a day."""

from __future__ import annotations

from sarflow.check.context import Context
from sarflow.dates import uk


def check_review(ctx: Context) -> None:
    review = ctx.review
    seen: dict[str, int] = {}
    for agency in review.agencies:
        if not agency.id:
            continue
        if agency.id in seen:
            ctx.report("duplicate-agency", f"the agency {agency.id} is listed twice; the first is on line {seen[agency.id]}",
                       agency.span("id"), "list each agency once under agencies in review.yml")
        else:
            seen[agency.id] = agency.span("id").line
    period = review.period
    if period and period.start and period.end and period.end < period.start:
        ctx.report("period-reversed", f"the period under review ends ({uk(period.end)}) before it starts ({uk(period.start)})",
                   period.span("to"), "check the dates: `from` is the first day of the period and `to` the last")
    elif period and period.start and period.start == period.end:
        ctx.report("period-empty", f"the period under review starts and ends on the same day ({uk(period.start)})",
                   period.span("from"), "write the first day of the period under `from` and the last under `to`")
