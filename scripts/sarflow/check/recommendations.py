"""The review's recommendations (recommendations.yml): what they name exists, and what the board accepted is acted on.

Each recommendation follows from a finding of the same file, is made to the board or to
agencies of the review, names themes from the board's list (reviews/board.yml), and is
carried out by agencies' actions (`adult-social-care/2`: action 2 of that agency's
actions.yml) or by the board's own actions, which are actions like any agency's and are
judged by the same rules (check.actions, and the dates of their updates). A
recommendation the board did not accept in full says why; one it accepted, in full or in
part, is carried out by at least one action; once the review is completed (the template's
stage that `completes` it, or later), every recommendation has the board's response. What it says is status-tier text, shown on
the site and in the annual report: a restricted value in it is an error (check.anonymisation
reads it through sarflow.restricted.tiers).
"""

from __future__ import annotations

from collections.abc import Sequence

from sarflow.check.actions import check_plan
from sarflow.check.context import Context
from sarflow.check.plausibility import check_updates
from sarflow.findings import Span
from sarflow.model import BOARD, FULLY_ACCEPTED, ActionLink, Recommendation, Ref
from sarflow.words import listing, nearest


def check_review(ctx: Context) -> None:
    recommendations = ctx.review.recommendations
    document = ctx.review.recommendations_document
    if recommendations is None or document is None or document.data is None:
        return
    _unique(ctx, [(f.id, f.span("id")) for f in recommendations.findings], "finding", "duplicate-finding")
    _unique(ctx, [(r.id, r.span("id")) for r in recommendations.recommendations], "recommendation", "duplicate-recommendation")
    findings = [f.id for f in recommendations.findings if f.id]
    agencies = [a.id for a in ctx.review.agencies if a.id]
    for recommendation in recommendations.recommendations:
        name = recommendation.id or "this recommendation"
        if recommendation.finding and recommendation.finding not in findings:
            near = nearest(recommendation.finding, findings)
            ctx.report("unknown-finding", f"{name} follows from {recommendation.finding}, which is not one of the findings "
                       f"listed in this file ({listing(findings, 'and') or 'none yet'})", recommendation.span("finding"),
                       f"did you mean {near}?" if near else "add the finding under `findings:`, or correct the number")
        for to in recommendation.to:
            if to.text != BOARD and to.text not in agencies:
                near = nearest(to.text, [BOARD, *agencies])
                ctx.report("unknown-recipient", f"{name} is made to `{to.text}`, which is neither the board nor an agency "
                           "listed in review.yml", to.at,
                           f"did you mean {near}?" if near else f"write `{BOARD}` or the id of an agency under agencies in review.yml")
        unknown_themes(ctx, recommendation.themes)
        for link in recommendation.links:
            _link(ctx, name, link)
        _response(ctx, name, recommendation)
    actions = [a for r in recommendations.recommendations for a in r.board_actions]
    check_plan(ctx, actions, _board_actions_written(document.data), "every action the board takes")
    check_updates(ctx, actions)


def unknown_themes(ctx: Context, themes: Sequence[Ref]) -> None:
    """Each theme named (in review.yml or recommendations.yml) is one of the board's, by its id."""
    known = [t.id for t in ctx.repo.board.themes if t.id] if ctx.repo.board else []
    for theme in themes:
        if theme.text not in known:
            near = nearest(theme.text, known)
            ctx.report("unknown-theme", f"`{theme.text}` is not one of the board's themes"
                       + (f" ({listing(known)})" if known else " (reviews/board.yml lists none yet)"), theme.at,
                       f"did you mean {near}?" if near else "use the id of a theme under `themes:` in reviews/board.yml, "
                       "or add the theme there")


def _link(ctx: Context, name: str, link: ActionLink) -> None:
    """`adult-social-care/2` is an action of an agency of this review that has an IMR."""
    review = ctx.review
    if link.no is None:
        return  # not of the form agency/number: the schema says so
    if link.agency not in review.imrs:
        near = nearest(link.agency, list(review.imrs))
        ctx.report("unknown-action", f"{name} is carried out by `{link.text}`, but {link.agency} has no IMR in this review",
                   link.at, f"did you mean {near}/{link.no}?" if near else
                   "write the folder name of an agency of this review, a slash and the number of its action")
        return
    if review.linked_action(link) is None:
        numbers = [a.no for a in review.imrs[link.agency].actions if a.no is not None]
        ctx.report("unknown-action", f"{name} is carried out by `{link.text}`, but {link.agency}'s actions.yml has no "
                   f"action {link.no}" + (f" (its actions are {listing(numbers, 'and')})" if numbers else " (it has none yet)"),
                   link.at, "correct the number, or add the action to the agency's actions.yml")


def _response(ctx: Context, name: str, recommendation: Recommendation) -> None:
    response = recommendation.response
    if response is None:
        template = ctx.repo.template
        completing = template.completing_stage
        if completing is not None and template.reached(ctx.review.stage, completing):
            ctx.report("recommendation-no-response", f"{name} has no response from the board, but the review is at its "
                       f"{ctx.review.stage} stage, past {completing.id}, where the board responds to its recommendations",
                       recommendation.span("id"), "add `response: {decision: accepted, date: YYYY-MM-DD}` (or accepted in "
                       "part, or not accepted, with `reason:`) once the board has decided")
        return
    said_by_schema = "reason" in response.spans and not response.as_written("reason")  # `reason:` or `reason: ""`: empty-value
    if response.decision and response.decision != FULLY_ACCEPTED and not response.reason and not said_by_schema:
        ctx.report("response-without-reason", f"{name} was {response.decision} but the response gives no reason",
                   response.span("decision"), "add `reason:` under response with the board's reason, in a sentence or two: "
                   "the annual report must state it")
    if recommendation.carried_out and not recommendation.links and not recommendation.board_actions:
        ctx.report("recommendation-without-action", f"{name} was {response.decision} but no action carries it out",
                   recommendation.at, "link the agencies' actions under `actions:` (e.g. [adult-social-care/2]), or add the "
                   "board's own under `board_actions:`")


def _unique(ctx: Context, ids: list[tuple[str | None, Span]], what: str, code: str) -> None:
    seen: dict[str, int] = {}
    for id_, at in ids:
        if id_ is None:
            continue
        if id_ in seen:
            ctx.report(code, f"the {what} {id_} appears twice; the first is on line {seen[id_]}", at,
                       f"give each {what} its own number")
        else:
            seen[id_] = at.line


def _board_actions_written(data: object) -> list[object]:
    """Every board action as written, in the order they are loaded (each recommendation's, in turn)."""
    items = data.get("recommendations") if isinstance(data, dict) else None
    written: list[object] = []
    for item in items if isinstance(items, list) else []:
        actions = item.get("board_actions") if isinstance(item, dict) else None
        written += [a for a in (actions if isinstance(actions, list) else []) if isinstance(a, dict)]
    return written
