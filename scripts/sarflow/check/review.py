"""Review-level facts every IMR depends on: unique agencies with short codes of their own, and a
period that runs forwards, for more than a day; and, once the report is being written, what the
Second National Analysis of SARs found reports often leave out (when the board decided to hold the
review, when it was completed and published, how the family took part, its themes)."""

from __future__ import annotations

from sarflow.check.context import Context
from sarflow.check.recommendations import unknown_themes
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
    unknown_themes(ctx, review.themes)
    _details(ctx)
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


# The stage from which each of the review's details is due (the template's stage ids): what a
# review has from the time its report is being written, and what it has once that is published.
REPORT, PUBLISHED = "report", "published"
_DETAILS: tuple[tuple[str, str, str, str], ...] = (
    ("decision_date", REPORT, "the date the board decided to hold the review", "decision_date: 2025-12-15"),
    ("family_involvement", REPORT, "how the family took part in the review",
     "family_involvement: {invited: true, took_part: true, advocacy: true}"),
    ("themes", REPORT, "the review's learning themes", "themes: [self-neglect]"),
    ("completed", PUBLISHED, "the date the review was completed", "completed: 2026-08-01"),
    ("published", PUBLISHED, "when and where the report was published", "published: {date: 2026-09-01, where: The board's website}"),
)


def _details(ctx: Context) -> None:
    """Each detail of the review due at its stage or later, and the family's reason where it took no part."""
    review = ctx.review
    stages = [s.id for s in ctx.repo.template.stages]
    if review.stage not in stages:
        return
    reached = stages.index(review.stage)
    for key, due, what, example in _DETAILS:
        if due in stages and reached >= stages.index(due) and key not in review.spans:
            ctx.report("review-detail-missing", f"review.yml does not give {what}, which a review at the {review.stage} "
                       "stage states", review.span("stage"), f"add `{example}` to review.yml")
    family = review.family_involvement
    if family is not None and (family.invited is False or family.took_part is False) and not family.reason:
        ctx.report("review-detail-missing", "the family " + ("was not invited to take part" if family.invited is False
                   else "did not take part") + ", but review.yml does not say why", family.at,
                   "add `reason:` under family_involvement, e.g. reason: The family declined through the advocate.")
