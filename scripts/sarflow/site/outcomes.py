"""What the reviews led to: the Recommendations pages (the board's response and the progress of the actions
that carry each recommendation out) and the Learning page (the board's themes across reviews).

The figures are made from the board's (sarflow.status.figures): a linked agency action is the
site's row of it, with the RAG rating the site gives it everywhere else; a board action is rated
by the same rule (sarflow.rating). Reviews and their recommendations come
redacted from those figures, so only status-tier text is shown. A recommendation is flagged
"recurring" when it shares a theme with an earlier review whose actions were all completed: the
board did what it said, and the same learning came back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sarflow.dates import uk, uk_long
from sarflow.model import BOARD, Action, Board, Recommendation, Ref, Review
from sarflow.rating import RAG, rate
from sarflow.site.html import Column, badge, block, definition_list, esc, link, table, td
from sarflow.site.pages import (
    LEARNING,
    RECOMMENDATIONS,
    Page,
    front,
    plural,
    rag_key,
    recommendations_url,
    review_name,
    review_url,
    theme_name,
)
from sarflow.status.figures import Figures, ReviewFigures


@dataclass(frozen=True)
class CarriedBy:
    """One action that carries a recommendation out: an agency's (linked) or the board's own."""

    reference: str  # ASC-3, or the board's short name and number (NSAB-1); the link as written when it leads nowhere
    who: str
    action: Action | None  # None: the link leads to no action (check reports it)
    rag: str | None
    days_overdue: int
    done: bool  # its status is the template's completed one


@dataclass(frozen=True)
class RecommendationRow:
    review: ReviewFigures
    recommendation: Recommendation
    finding: str | None
    actions: list[CarriedBy]
    recurring: list[Review]  # earlier reviews with a theme of this one, all of whose actions were completed

    @property
    def completed(self) -> int:
        return sum(a.done for a in self.actions)

    @property
    def rag(self) -> str | None:
        """The worst rating of its actions (None while none carries it out)."""
        rated = [a.rag for a in self.actions if a.rag]
        return next((r for r in RAG if r in rated), None)


@dataclass(frozen=True)
class ThemeRow:
    id: str
    name: str
    reviews: list[ReviewFigures]
    recommendations: list[RecommendationRow]


@dataclass(frozen=True)
class Outcomes:
    fig: Figures
    rows: list[RecommendationRow]
    themes: list[ThemeRow]

    def of(self, review: ReviewFigures) -> list[RecommendationRow]:
        return [r for r in self.rows if r.review is review]


def outcomes(fig: Figures, board: Board | None) -> Outcomes:
    """The recommendations of every review with the actions that carry them out, and the board's themes."""
    completed = fig.template.action_plan.completed
    short = (board.short_name if board else None) or "Board"
    rows: list[RecommendationRow] = []
    for r in fig.reviews:
        recommendations = r.review.recommendations
        for recommendation in recommendations.recommendations if recommendations else []:
            found = recommendations.finding(recommendation.finding) if recommendations and recommendation.finding else None
            actions = [*_linked(r, recommendation, completed), *(_rated(f"{short}-{a.no}", fig, a)
                                                       for a in recommendation.board_actions)]
            rows.append(RecommendationRow(r, recommendation, found.text if found else None, actions,
                                          _recurring(fig, r, recommendation, completed)))
    themes = [ThemeRow(t.id, t.name or t.id, [r for r in fig.reviews if t.id in _themes(r.review)],
                       [row for row in rows if t.id in _ids(row.recommendation.themes)])
              for t in (board.themes if board else ()) if t.id]
    return Outcomes(fig, rows, themes)


def _linked(r: ReviewFigures, recommendation: Recommendation, completed: str) -> Iterable[CarriedBy]:
    """Each linked agency action as the site rates it (its row on the Actions page)."""
    for link_ in recommendation.links:
        row = next((a for a in r.actions if a.agency_id == link_.agency and a.action.no == link_.no), None)
        if row is None:
            yield CarriedBy(link_.text, r.review.agency_name(link_.agency), None, None, 0, False)
        else:
            yield CarriedBy(r.review.action_reference(row.agency_id, row.action.no), row.agency_name, row.action, row.rag,
                            row.days_overdue, row.action.status == completed)


def _rated(reference: str, fig: Figures, action: Action) -> CarriedBy:
    """A board action, rated by the rule every action is (it has no IMR, so no submission to count from)."""
    completed = fig.template.action_plan.completed
    rating = rate(action, fig.today, completed, fig.board, None)
    return CarriedBy(reference, fig.board_name, action, rating.rag, rating.days_overdue, action.status == completed)


def _themes(review: Review) -> set[str]:
    """The themes a review names, itself or through its recommendations."""
    named = _ids(review.themes)
    for recommendation in review.recommendations.recommendations if review.recommendations else []:
        named |= _ids(recommendation.themes)
    return named


def _ids(refs: tuple[Ref, ...]) -> set[str]:
    return {ref.text for ref in refs}


def _recurring(fig: Figures, r: ReviewFigures, recommendation: Recommendation, completed: str) -> list[Review]:
    """Earlier reviews that share a theme with the recommendation and whose actions (agencies' and the board's) are all completed."""
    begun = r.review.started
    themes = _ids(recommendation.themes)
    if begun is None or not themes:
        return []
    found = []
    for other in fig.reviews:
        before = other.review.started
        if other is r or before is None or before >= begun or not themes & _themes(other.review):
            continue
        board_actions = [a for rec in (other.review.recommendations.recommendations if other.review.recommendations else [])
                         for a in rec.board_actions]
        statuses = [a.action.status for a in other.actions] + [a.status for a in board_actions]
        if statuses and all(s == completed for s in statuses):
            found.append(other.review)
    return found


# Pages ------------------------------------------------------------------------------------


def pages(out: Outcomes) -> list[Page]:
    with_recommendations = [r for r in out.fig.reviews if r.review.recommendations is not None]
    return [
        (f"{RECOMMENDATIONS}index.md", recommendations_index(out)),
        *((f"{recommendations_url(r)}index.md", review_recommendations(out, r)) for r in with_recommendations),
        (f"{LEARNING}index.md", learning_page(out)),
    ]


def recommendations_index(out: Outcomes) -> str:
    lede = (f"Every review's recommendations on {esc(uk_long(out.fig.today))}, with the board's response and the progress "
            "of the actions that carry each one out. Open a review for its findings and every action.")
    return (
        front("Recommendations", "Recommendations")
        + block(f'<p class="sar-lede">{lede}</p>')
        + block(recommendations_table(out, RECOMMENDATIONS, out.rows, "Recommendations of every review", with_review=True))
        + block(rag_key(out.fig))
    )


def recommendations_table(out: Outcomes, here: str, rows: list[RecommendationRow], caption: str, with_review: bool) -> str:
    columns = [*([Column("Review")] if with_review else []), Column("No"), Column("Recommendation", None), Column("To", None),
               Column("Themes", None), Column("Response", None), Column("Progress", "number"), Column("RAG", None)]
    body = []
    for row in rows:
        rec = row.recommendation
        text = esc(rec.text or "not written yet")
        if row.recurring:
            text += " " + badge("Recurring", "stale") + (
                f'<br><span class="sar-note">Shares a theme with {esc(_names(row.recurring))}, whose actions were all completed</span>')
        body.append([
            *([td(link(here, recommendations_url(row.review), esc(review_name(row.review))), value=review_name(row.review))]
              if with_review else []),
            td(esc(rec.id or "")),
            td(text, width="wide"),
            td(esc(", ".join(_recipient(row.review.review, t.text, out.fig.board_name) for t in rec.to))),
            td(esc(", ".join(theme_name(out.fig, t.text) for t in rec.themes) or "None")),
            td(response_html(rec)),
            td(esc(f"{row.completed} of {plural(len(row.actions), 'action')} completed"), sort=row.completed),
            td(badge(row.rag, row.rag) if row.rag else "No actions"),
        ])
    return table(caption, columns, body, empty="no review has recommendations yet")


def response_html(rec: Recommendation) -> str:
    response = rec.response
    if response is None or not response.decision:
        return "Not yet decided"
    text = esc(response.decision.capitalize()) + (f' <span class="sar-date">{esc(uk(response.date))}</span>' if response.date else "")
    return text + (f'<br><span class="sar-note">{esc(response.reason)}</span>' if response.reason else "")


def _recipient(review: Review, who: str, board_name: str) -> str:
    return board_name if who == BOARD else review.agency_name(who)


def _names(reviews: list[Review]) -> str:
    return ", ".join(r.reference or r.id for r in reviews)


def review_recommendations(out: Outcomes, r: ReviewFigures) -> str:
    here = recommendations_url(r)
    recommendations = r.review.recommendations
    findings = "".join(f"<dt>{esc(f.id)}</dt><dd>{esc(f.text)}</dd>" for f in recommendations.findings) if recommendations else ""
    rows = out.of(r)
    facts = [("Review", link(here, review_url(r), esc(review_name(r)))),
             ("Recommendations", esc(f"{len(rows)}, of which {sum(x.recommendation.carried_out for x in rows)} accepted in full or in part"))]
    parts = [front(f"Recommendations of {review_name(r)}", f"Recommendations of {review_name(r)}"), block(definition_list(facts)),
             "## Findings\n",
             block(f'<dl class="sar-questions">{findings}</dl>' if findings else '<p class="sar-empty">No findings written yet.</p>'),
             "## Recommendations\n", block(recommendations_table(out, here, rows, "The review's recommendations", with_review=False)),
             block(rag_key(out.fig)),
             "## What carries each one out\n"]
    parts += [block(actions_table(row)) for row in rows]
    return "".join(parts)


def actions_table(row: RecommendationRow) -> str:
    columns = [Column("Action"), Column("By"), Column("What will be done", None), Column("Target date", "date"),
               Column("Status", None), Column("Latest update", None)]
    body = []
    for carried in row.actions:
        action = carried.action
        if action is None:
            body.append([td(esc(carried.reference)), td(esc(carried.who)), td("No such action"), td(""), td(""), td("")])
            continue
        latest = action.latest_update()
        overdue = f" ({plural(carried.days_overdue, 'day')} overdue)" if carried.days_overdue else ""
        status = esc(f"{action.status or 'not logged'}{overdue}")
        body.append([
            td(esc(carried.reference)), td(esc(carried.who)), td(esc(action.recommendation or "not written yet"), width="wide"),
            td(esc(uk(action.target_date) or "not set")),
            td(f"{status}<br>{badge(carried.rag, carried.rag)}" if carried.rag else status),
            td(f'<span class="sar-date">{esc(uk(latest.date) or "undated")}</span> {esc(latest.text)}' if latest else "No update yet",
               width="medium"),
        ])
    return table(f"{row.recommendation.id or 'Recommendation'}: its actions", columns, body, empty="no action carries it out yet")


def learning_page(out: Outcomes) -> str:
    columns = [Column("Theme"), Column("Reviews", None), Column("Recommendations", "number"), Column("Actions completed", "number"),
               Column("Recurring", None)]
    body = []
    for theme in out.themes:
        actions = [a for row in theme.recommendations for a in row.actions]
        done = sum(row.completed for row in theme.recommendations)
        recurring = [row for row in theme.recommendations if row.recurring]
        body.append([
            td(esc(theme.name)),
            td(", ".join(link(LEARNING, review_url(r), esc(review_name(r))) for r in theme.reviews) or "None"),
            td(str(len(theme.recommendations)), sort=len(theme.recommendations)),
            td(esc(f"{done} of {len(actions)}"), sort=done),
            td(" ".join(link(LEARNING, recommendations_url(row.review),
                             badge(f"Recurring in {row.recommendation.id} of {row.review.review.reference or row.review.review.id}",
                                   "stale"))
                        for row in recurring) if recurring else "No"),
        ])
    lede = ("The board's learning themes across its reviews: which reviews found each one, the recommendations made about it, "
            "and how many of the actions that carry them out are completed. A recommendation is marked recurring when an "
            "earlier review shared its theme and every action of that review was completed.")
    return (front("Learning", "Learning across reviews") + block(f'<p class="sar-lede">{lede}</p>')
            + block(table("Themes across reviews", columns, body, empty="reviews/board.yml lists no themes yet")))
