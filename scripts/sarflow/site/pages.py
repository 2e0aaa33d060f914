"""The generated pages, as Markdown files for the staging folder.

Each page is a little Markdown (its title, and headings of fixed wording, for the table
of contents) around HTML blocks that hold every value from the files, escaped. Page titles go in
the front matter, reduced to plain characters (see html.plain_title); the visible
heading is an escaped <h1>. Links are relative directory URLs, so the site works
from any web server path. Only status-tier fields are read: see figures.py.
"""

from __future__ import annotations

import json
from collections import Counter

from sarflow.dates import uk, uk_long
from sarflow.model import RAG, listed
from sarflow.site.charts import stacked_bars
from sarflow.site.figures import ActionRow, AgencyFigures, Figures, ImrRow, ReviewFigures, Stage
from sarflow.site.html import (
    Column,
    badge,
    block,
    date_td,
    definition_list,
    esc,
    link,
    markdown_text,
    plain_title,
    slug,
    table,
    td,
)

HOME, REVIEWS, ACTIONS, AGENCIES = "", "reviews/", "actions/", "agencies/"
Page = tuple[str, str]  # (path in the staging folder, Markdown text)


def review_url(review: ReviewFigures) -> str:
    return f"{REVIEWS}{slug(review.review.id)}/"


def agency_url(agency_id: str) -> str:
    return f"{AGENCIES}{slug(agency_id)}/"


def review_name(review: ReviewFigures) -> str:
    r = review.review
    subject = r.subject.name if r.subject and r.subject.name else None
    reference = r.reference or r.id
    return f"{reference}: {subject}" if subject else reference


def pages(fig: Figures) -> list[Page]:
    """Every generated page: the four index pages, then one per review and one per agency."""
    return [
        ("index.md", home(fig)),
        ("reviews/index.md", reviews_index(fig)),
        ("actions.md", actions_page(fig)),
        ("agencies/index.md", agencies_index(fig)),
        *((f"{review_url(r)}index.md", review_page(fig, r)) for r in fig.reviews),
        *((f"{agency_url(a.id)}index.md", agency_page(fig, a)) for a in fig.agencies),
    ]


def front(title: str, heading: str) -> str:
    """Front matter (a JSON string is valid YAML) and the page's visible heading.

    The heading is a Markdown one (its text escaped for Markdown and HTML), so that it
    opens the page's table of contents and the theme's "Skip to content" link leads
    to it. The tabs are the navigation; both sidebars are hidden to give the wide
    tables room.
    """
    lines = ["---", f"title: {json.dumps(plain_title(title), ensure_ascii=False)}", "hide: [navigation, toc]"]
    return "\n".join(lines) + "\n---\n\n# " + markdown_text(heading) + "\n"


def plural(n: int, word: str) -> str:
    return f"{n} {word if n == 1 else word + 's'}"


# Home and index pages ---------------------------------------------------------------


def home(fig: Figures) -> str:
    overdue = [a for a in fig.actions if a.overdue]
    late = [i for r in fig.reviews for i in r.late]
    stale = [a for a in fig.actions if a.stale]
    lede = (
        f"Where every review stands on {esc(uk_long(fig.today))}: "
        f"{plural(len(fig.reviews), 'review')}, {plural(len(late), 'late IMR')}, "
        f"{plural(len(overdue), 'overdue action')} and "
        f"{plural(len(stale), 'action')} without an update for more than {fig.stale_days} days."
    )
    return (
        front("Reviews at a glance", f"{fig.board_name}: reviews at a glance")
        + block(f'<p class="sar-lede">{lede}</p>')
        + "## Overdue actions\n"
        + block(actions_table(fig, HOME, overdue, "Overdue actions, most overdue first", brief=True,
                              empty="no action is past its target date"))
        + "## Reviews\n"
        + block(reviews_table(fig, HOME))
        + "## Actions by status\n"
        + block(status_chart(fig, "by-review", "Actions by status, per review",
                             "Review", [(review_name(r), r.by_status) for r in fig.reviews]))
        + block(status_chart(fig, "by-agency", "Actions by status, per agency",
                             "Agency", [(a.name, a.by_status) for a in fig.agencies]))
    )


def reviews_index(fig: Figures) -> str:
    described = [(s.label, esc(s.description)) for s in fig.stages if s.description]
    return (
        front("Reviews", "Reviews")
        + block(f'<p class="sar-lede">Every Safeguarding Adults Review of the board, on {esc(uk_long(fig.today))}. '
                "Open a review for its terms of reference, each agency's IMR and its action plan.</p>")
        + block(reviews_table(fig, REVIEWS))
        + ("## What the stages mean\n" + block(definition_list(described)) if described else "")
    )


def agencies_index(fig: Figures) -> str:
    columns = [Column("Agency"), Column("Reviews", "number"), Column("IMRs returned", "number"),
               Column("Late IMRs", "number"), Column("Actions by status", None), Column("Overdue actions", "number")]
    rows = []
    for agency in fig.agencies:
        returned = sum(i.returned for i in agency.imrs)
        late = sum(i.late for i in agency.imrs)
        overdue = sum(a.overdue for a in agency.actions)
        rows.append([
            td(link(AGENCIES, agency_url(agency.id), esc(agency.name)), sort=agency.name.lower()),
            td(str(len({i.review.id for i in agency.imrs})), sort=len({i.review.id for i in agency.imrs})),
            td(esc(f"{returned} of {len(agency.imrs)}"), sort=returned),
            td(str(late), sort=late),
            td(by_status_text(fig, agency.by_status)),
            td(str(overdue), sort=overdue),
        ])
    return (
        front("Agencies", "Agencies")
        + block('<p class="sar-lede">Every agency asked for an IMR, with its IMRs and actions across all reviews.</p>')
        + block(table("Agencies", columns, rows, name="agencies", empty="no agency has been asked for an IMR yet"))
    )


def reviews_table(fig: Figures, here: str) -> str:
    columns = [Column("Review"), Column("Stage"), Column("Period under review", "date"),
               Column("Days since referral", "number"), Column("IMRs returned", "number"), Column("Late IMRs", None),
               Column("Actions by status", None), Column("RAG", None)]
    rows = []
    for r in fig.reviews:
        period = r.review.period
        period_text = f"{uk(period.start)} to {uk(period.end)}" if period and period.start and period.end else "not set"
        late = "".join(
            f"<li>{esc(i.agency_name)}: {plural(i.days_late, 'day')} late"
            f"{'' if i.returned else ', not yet returned'}</li>" for i in r.late
        )
        rows.append([
            td(link(here, review_url(r), esc(review_name(r))), sort=review_name(r).lower()),
            td(esc(r.stage.label), sort=_stage_position(fig, r.stage)),
            td(esc(period_text), sort=period.start.isoformat() if period and period.start else ""),
            td(esc(r.days_since_referral if r.days_since_referral is not None else "not set"),
               sort=r.days_since_referral if r.days_since_referral is not None else ""),
            td(esc(f"{r.returned} of {len(r.imrs)}"), sort=r.returned),
            td(f'<ul class="sar-list">{late}</ul>' if late else "None"),
            td(by_status_text(fig, r.by_status)),
            td(rag_text(r.by_rag)),
        ])
    return table("Reviews", columns, rows, name="reviews", empty="there are no reviews yet")


def _stage_position(fig: Figures, stage: Stage) -> int:
    order = [s.id for s in fig.stages]
    return order.index(stage.id) if stage.id in order else len(order)


def by_status_text(fig: Figures, counts: Counter[str]) -> str:
    found = [f"{counts[s]} {esc(s)}" for s in fig.statuses if counts[s]]
    return ", ".join(found) if found else "No actions"


def rag_text(counts: Counter[str]) -> str:
    shown = [badge(f"{name} {counts[name]}", name) for name in RAG if counts[name]]
    return " ".join(shown) if shown else "No actions"


def status_chart(fig: Figures, chart_id: str, title: str, first: str, rows: list[tuple[str, Counter[str]]]) -> str:
    """The SVG chart and, below it, the same figures as a table."""
    statuses = fig.statuses
    columns = [Column(first), *(Column(s, "number") for s in statuses), Column("Total", "number")]
    data = [[td(esc(label)), *(td(str(counts[s])) for s in statuses), td(str(sum(counts[s] for s in statuses)))]
            for label, counts in rows]
    return (
        f'<figure class="sar-figure">{stacked_bars(chart_id, title, rows, statuses)}'
        f"<figcaption>{esc(title)}</figcaption></figure>\n"
        '<details class="sar-plain"><summary>The figures of the chart, as a table</summary>\n'
        + table(f"{title} (the figures of the chart)", columns, data, empty="no actions yet")
        + "</details>"
    )


# One review ---------------------------------------------------------------------------


def review_page(fig: Figures, r: ReviewFigures) -> str:
    here = review_url(r)
    review = r.review
    tor = review.terms_of_reference
    stage = esc(r.stage.label) + (f'<br><span class="sar-note">{esc(r.stage.description)}</span>' if r.stage.description else "")
    referral = review.referral.date if review.referral else None
    facts = [
        ("Stage", stage),
        ("Basis", esc(_basis(review.basis))),
        ("Referral received", esc(f"{uk_long(referral)} ({plural(r.days_since_referral or 0, 'day')} ago)")
         if referral else "not set"),
        ("Period under review", esc(f"{uk_long(review.period.start)} to {uk_long(review.period.end)}")
         if review.period and review.period.start and review.period.end else "not set"),
        ("IMRs returned", esc(f"{r.returned} of {len(r.imrs)} requested")
         + (f" ({plural(len(r.late), 'late IMR')})" if r.late else "")),
        ("Actions", by_status_text(fig, r.by_status) + (" " + rag_text(r.by_rag) if r.actions else "")),
    ]
    questions = "".join(f"<dt>{esc(q.id)}</dt><dd>{esc(q.text)}</dd>" for q in tor.questions)
    return (
        front(review_name(r), review_name(r))
        + block(definition_list(facts))
        + "## Terms of reference\n"
        + block(f'<p class="sar-scope">{esc(tor.scope)}</p>' if tor.scope else '<p class="sar-empty">No scope written yet.</p>')
        + block(f'<dl class="sar-questions">{questions}</dl>' if questions
                else '<p class="sar-empty">No questions set yet.</p>')
        + "## IMRs\n"
        + block(imrs_table(here, r.imrs, by_review=False))
        + "## Action plan\n"
        + block(actions_table(fig, here, r.actions, "The review's action plan, all agencies", brief=False,
                              show_review=False, empty="no agency has set out actions yet"))
    )


def _basis(basis: str | None) -> str:
    return {"mandatory": "Mandatory review, section 44(1) of the Care Act 2014",
            "discretionary": "Discretionary review, section 44(4) of the Care Act 2014"}.get(basis or "", basis or "not set")


def imrs_table(here: str, rows: list[ImrRow], by_review: bool) -> str:
    first = Column("Review") if by_review else Column("Agency")
    columns = [first, Column("Due", "date"), Column("Status"), Column("Returned"), Column("Progress", "number"),
               Column("Last updated", "date")]
    body = []
    for row in rows:
        who = (link(here, review_url_of(row), esc(_review_label(row))) if by_review
               else link(here, agency_url(row.agency_id), esc(row.agency_name)))
        body.append([
            td(who),
            date_td(row.due, "not set"),
            td(esc(row.status.capitalize())),
            td(_returned(row)),
            td(progress_html(row), sort=row.progress.percent if row.progress else -1, width="medium"),
            date_td(row.last_updated, "not committed yet"),
        ])
    return table("IMRs", columns, body, name="imrs", empty="no IMR has been requested yet")


def review_url_of(row: ImrRow | ActionRow) -> str:
    return f"{REVIEWS}{slug(row.review.id)}/"


def _review_label(row: ImrRow | ActionRow) -> str:
    r = row.review
    return r.reference or r.id


def _returned(row: ImrRow) -> str:
    if row.returned:
        when = f"on {uk(row.imr.submitted)}" if row.imr and row.imr.submitted else "date not given"
        return esc(f"Yes, {when}") + (" " + badge(f"{plural(row.days_late, 'day')} late", "late") if row.late else "")
    return "Not yet" + (" " + badge(f"{plural(row.days_late, 'day')} late", "late") if row.late else "")


def progress_html(row: ImrRow) -> str:
    p = row.progress
    if p is None:
        return esc("No progress to show: " + row.status)
    label = esc(f"Progress of the {row.agency_name} IMR")
    return (
        f'<div class="sar-progress"><progress max="100" value="{p.percent}" aria-label="{label}">{p.percent}%</progress>'
        f' <strong>{p.percent}%</strong></div><span class="sar-note">{esc(p.text)}</span>'
    )


# Actions ------------------------------------------------------------------------------


def actions_page(fig: Figures) -> str:
    return (
        front("Actions", "Actions")
        + block(
            f'<p class="sar-lede">Every action of every review on {esc(uk_long(fig.today))}, overdue first. '
            f"An open action is flagged when no update has come for more than {fig.stale_days} days "
            "(the board's setting). The last column shows when the status moved, from the history of the "
            "review files.</p>"
        )
        + block(actions_table(fig, ACTIONS, fig.actions, "All actions", brief=False, history=True, name="actions",
                              empty="no agency has set out actions yet"))
    )


def actions_table(fig: Figures, here: str, rows: list[ActionRow], caption: str, brief: bool,
                  show_review: bool = True, show_agency: bool = True, history: bool = False, name: str | None = None, empty: str = "None") -> str:
    """Actions as a table; the Actions page's (named) one can be sorted and filtered."""
    filterable = name is not None
    columns = [
        *([Column("Review", filter=filterable)] if show_review else []),
        *([Column("Agency", filter=filterable)] if show_agency else []), Column("No", "number"), Column("Recommendation", None),
        *([] if brief else [Column("Lead officer")]),
        Column("Target date", "date"), Column("Status", filter=filterable),
        Column("Overdue", "number", filter=filterable), Column("Latest update", "date"),
        *([Column("Status changes", None)] if history else []),
    ]
    body = []
    for a in rows:
        action = a.action
        recommendation = esc(action.recommendation or "not written yet")
        if action.lesson:
            word = "Lesson" if len(action.lesson) == 1 else "Lessons"
            recommendation += f'<br><span class="sar-note">{word} {esc(listed(action.lesson))} of the IMR</span>'
        if action.key_actions and not brief:
            recommendation += (f'<details class="sar-plain"><summary>Key actions</summary>'
                               f"<p>{esc(action.key_actions)}</p></details>")
        cells = [
            *([td(link(here, review_url_of(a), esc(_review_label(a))), value=_review_label(a))] if show_review else []),
            *([td(link(here, agency_url(a.agency_id), esc(a.agency_name)), value=a.agency_name, width="narrow")]
              if show_agency else []),
            td(esc(action.no if action.no is not None else ""), sort=action.no if action.no is not None else ""),
            td(recommendation, width="wide"),
            *([] if brief else [td(esc(action.lead_officer or "not named"))]),
            date_td(action.target_date, "not set"),
            td(f"{esc(a.status)}<br>{badge(a.rag, a.rag)}", sort=_status_position(fig, a.status), value=a.status),
            td(esc(plural(a.days_overdue, "day")) if a.overdue else "No", sort=a.days_overdue,
               value="Overdue" if a.overdue else "Not overdue"),
            td(latest_update_html(fig, a), sort=a.latest.date.isoformat() if a.latest and a.latest.date else "",
               width="medium"),
            *([td(history_html(fig, a), width="medium")] if history else []),
        ]
        body.append(cells)
    return table(caption, columns, body, name=name, empty=empty)


def _status_position(fig: Figures, status: str) -> int:
    return fig.statuses.index(status) if status in fig.statuses else len(fig.statuses)


def latest_update_html(fig: Figures, a: ActionRow) -> str:
    text = f'<span class="sar-date">{esc(uk(a.latest.date) or "undated")}</span> {esc(a.latest.text)}' if a.latest else "No update yet"
    if a.stale:
        text += " " + badge(f"No update for {a.days_without_update} days", "stale")
    return text


def history_html(fig: Figures, a: ActionRow) -> str:
    """The moves of the action's status, oldest first; an action can be taken out of the plan and put back."""
    if not a.history:
        return '<span class="sar-note">None recorded</span>'
    not_logged = fig.template.action_plan.not_logged
    items = []
    for i, change in enumerate(a.history):
        if change.new is None:
            moved = "removed from the action plan"
        elif change.old is None:
            back = i > 0 and a.history[i - 1].new is None
            moved = f"{'put back' if back else 'added'} as {esc(change.new or not_logged)}"
        else:
            moved = f"{esc(change.old or not_logged)} to {esc(change.new or not_logged)}"
        items.append(f'<li><span class="sar-date">{esc(uk(change.date))}</span> {moved} '
                     f'<span class="sar-note">commit <code>{esc(change.short_commit)}</code></span></li>')
    return f'<ol class="sar-history">{"".join(items)}</ol>'


# One agency ---------------------------------------------------------------------------


def agency_page(fig: Figures, agency: AgencyFigures) -> str:
    here = agency_url(agency.id)
    returned = sum(i.returned for i in agency.imrs)
    facts = [
        ("IMRs returned", esc(f"{returned} of {len(agency.imrs)} requested")),
        ("Actions", by_status_text(fig, agency.by_status)),
        ("Overdue actions", str(sum(a.overdue for a in agency.actions))),
    ]
    return (
        front(agency.name, agency.name)
        + block(definition_list(facts))
        + "## IMRs\n"
        + block(imrs_table(here, agency.imrs, by_review=True))
        + "## Actions\n"
        + block(actions_table(fig, here, agency.actions, f"Actions of {agency.name}", brief=False,
                              show_agency=False, empty="none set out yet"))
    )
