"""Review-level facts every IMR depends on: unique agencies with short codes of their own, and a
period that runs forwards, for more than a day; and, by the stage the review has reached, what the
Second National Analysis of SARs found reports often leave out (when the board decided to hold the
review, when it was completed and published, how the family took part, its themes). Which stage is
which comes from the template's stages and their flags, never from a stage id written here."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

from sarflow.check.context import Context
from sarflow.check.recommendations import unknown_themes
from sarflow.dates import uk
from sarflow.model import Review
from sarflow.template import Stage, Template
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
    _dates_in_order(ctx)
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


Stages = Callable[[Template], "Stage | None"]


@dataclass(frozen=True)
class Detail:
    """What review.yml says of a review, by the stages of the template (their flags in the template
    file: `writes_report`, `completes`, `publishes`): `key`, what it is and an example; the stage it is
    `due` from, at which and after which review.yml must give it; and, for a detail that cannot be
    true sooner, the `earliest` stage at which it may be given (a review is not completed before its
    report is written, nor published before the stage that publishes it)."""

    key: str
    what: str
    example: str
    due: Stages
    earliest: Stages | None = None


def _report(template: Template) -> Stage | None:
    return template.report_stage


DETAILS = (
    Detail("decision_date", "the date the board decided to hold the review", "decision_date: 2025-12-15", _report),
    Detail("family_involvement", "how the family took part in the review",
           "family_involvement: {invited: true, took_part: true, advocacy: true}", _report),
    Detail("themes", "the review's learning themes", "themes: [self-neglect]", _report),
    Detail("completed", "the date the review was completed", "completed: 2026-08-01",
           lambda t: t.completing_stage, earliest=_report),
    Detail("published", "when and where the report was published", "published: {date: 2026-09-01, where: The board's website}",
           lambda t: t.publication_stage, earliest=lambda t: t.publication_stage),
)


def _details(ctx: Context) -> None:
    """Each detail of the review due at its stage or later; a completion or publication given before
    a review can have it; and the family's reason where it took no part."""
    review, template = ctx.review, ctx.repo.template
    if review.stage not in {s.id for s in template.stages}:
        return  # the schema reports a stage the template does not list
    for detail in DETAILS:
        given = detail.key in review.spans
        due = detail.due(template)
        earliest = detail.earliest(template) if detail.earliest else None
        if not given and due is not None and template.reached(review.stage, due):
            ctx.report("review-detail-missing", f"review.yml does not give {detail.what}, which a review at the "
                       f"{review.stage} stage states", review.span("stage"), f"add `{detail.example}` to review.yml")
        elif given and earliest is not None and not template.reached(review.stage, earliest):
            ctx.report("review-detail-early", f"review.yml gives {detail.what}, but its stage is {review.stage}: a "
                       f"review has it only from the {earliest.id} stage on", review.span(detail.key),
                       f"if it is right, move the review on to `stage: {earliest.id}` or later (with the day in "
                       f"stage_dates); if not, take out `{detail.key}:` until it is")
    family = review.family_involvement
    if family is not None and (family.invited is False or family.took_part is False) and not family.reason:
        ctx.report("review-detail-missing", "the family " + ("was not invited to take part" if family.invited is False
                   else "did not take part") + ", but review.yml does not say why", family.at,
                   "add `reason:` under family_involvement, e.g. reason: The family declined through the advocate.")


def _dates_in_order(ctx: Context) -> None:
    """A review is decided on, then completed, then its report published: a date before the one it follows is a
    slip of the keyboard, and would make the time the review took, which the annual report gives, wrong."""
    review = ctx.review
    published = review.published
    steps = [
        ("the board decided to hold it", review.decision_date, review.span("decision_date")),
        ("it was completed", review.completed, review.span("completed")),
        ("its report was published", published.date if published else None, published.span("date") if published else review.at),
    ]
    given = [(what, day, at) for what, day, at in steps if day is not None]
    for (before, earlier, _), (what, day, at) in itertools.pairwise(given):
        if day is not None and earlier is not None and day < earlier:
            ctx.report("review-dates-order", f"review.yml says {what} on {uk(day)}, before {before} ({uk(earlier)})", at,
                       "check the dates: a review is decided on, then completed, then published")
