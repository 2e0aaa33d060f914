"""Review-level facts every IMR depends on: unique agencies with short codes of their own, and a
period that runs forwards, for more than a day."""

from __future__ import annotations

from sarflow.check.context import Context
from sarflow.dates import uk
from sarflow.model import Review
from sarflow.words import short_code


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
    _short_codes(ctx)
    period = review.period
    if period and period.start and period.end and period.end < period.start:
        ctx.report("period-reversed", f"the period under review ends ({uk(period.end)}) before it starts ({uk(period.start)})",
                   period.span("to"), "check the dates: `from` is the first day of the period and `to` the last")
    elif period and period.start and period.start == period.end:
        ctx.report("period-empty", f"the period under review starts and ends on the same day ({uk(period.start)})",
                   period.span("from"), "write the first day of the period under `from` and the last under `to`")


def _short_codes(ctx: Context) -> None:
    """Each agency's short code is its own within the review, and is given wherever the review's
    combined action plan holds the actions of two or more agencies: it refers to each as ASC-3,
    since every agency numbers its actions from 1. (The schema judges the code's form.)"""
    review = ctx.review
    codes: dict[str, int] = {}
    for agency in review.agencies:
        if agency.short_code is None:
            continue
        if agency.short_code in codes:
            ctx.report("short-code-duplicate",
                       f"the short code {agency.short_code} is also the short code of another agency, on line {codes[agency.short_code]}",
                       agency.span("short_code"),
                       f"give each agency a code of its own, e.g. short_code: {short_code(agency.name or agency.id or '', list(codes))}")
        else:
            codes[agency.short_code] = agency.span("short_code").line
    if not _combined(review):
        return
    taken, listed = list(codes), set[str | None]()
    for agency in review.agencies:
        first, listed = agency.id not in listed, listed | {agency.id}  # a second listing is duplicate-agency
        if first and agency.id in review.imrs and agency.short_code is None and "short_code" not in agency.spans:
            proposal = short_code(agency.name or agency.id or "", taken)
            taken.append(proposal)
            ctx.report("short-code-missing",
                       f"the agency {agency.id} has no short code, which the review's combined action plan needs to "
                       "tell its actions from other agencies' actions of the same number",
                       agency.span("id"),
                       f"add `short_code: {proposal}` (2 to 6 capital letters or digits) to its entry under agencies in review.yml")


def _combined(review: Review) -> bool:
    """The review's combined action plan merges the actions of two or more agencies."""
    return sum(1 for agency_id in review.imrs if review.agency(agency_id)) >= 2
