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
from collections.abc import Callable

from sarflow.dates import uk, uk_long
from sarflow.model import basis_text, listed
from sarflow.rating import RAG, key
from sarflow.site.charts import grouped_bars, stacked_bars
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
from sarflow.status import dashboard
from sarflow.status.figures import ActionRow, AgencyFigures, Figures, ImrRow, ReviewFigures, Stage

HOME, REVIEWS, ACTIONS, AGENCIES = "", "reviews/", "actions/", "agencies/"
RECOMMENDATIONS, LEARNING = "recommendations/", "learning/"  # their pages are sarflow.site.outcomes'
Page = tuple[str, str]  # (path in the staging folder, Markdown text)


def review_url(review: ReviewFigures) -> str:
    return f"{REVIEWS}{slug(review.review.id)}/"


def recommendations_url(review: ReviewFigures) -> str:
    """The review's Recommendations page (made only for a review with a recommendations.yml)."""
    return f"{RECOMMENDATIONS}{slug(review.review.id)}/"


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
    """The board's dashboard: the headline figures, what changed, what to decide, then the lists behind them."""
    overdue = dashboard.overdue_actions(fig)
    late = dashboard.late_imrs(fig)
    completed = dashboard.completed_this_year(fig)
    return (
        front("Dashboard", f"{fig.board_name}: dashboard")
        + block(f'<p class="sar-lede">Where every review stands on {esc(uk_long(fig.today))}, with '
                f"{plural(sum(a.stale for a in fig.actions), 'action')} without an update for more than "
                f"{fig.stale_days} days.</p>")
        + block(tiles(fig, overdue, late, completed))
        + "## For the board's decision\n"
        + block(decisions_html(fig))
        + "## Since the last board meeting\n"
        + block(since_html(fig))
        + "## Overdue actions\n"
        + block(actions_table(fig, HOME, overdue, "Overdue actions, most overdue first", brief=True,
                              empty="no action is past its target date"))
        + block(rag_key(fig))
        + "## Late IMRs\n"
        + block(late_imrs_table(fig, late))
        + "## Actions completed this year\n"
        + block(actions_table(fig, HOME, completed, f"Actions completed in {fig.today.year}", brief=True,
                              empty=f"no action has been completed in {fig.today.year} yet"))
        + "## Trends\n"
        + block(trends_html(fig))
        + "## Reviews\n"
        + block(reviews_table(fig, HOME))
        + block(rag_key(fig))
        + "## Actions by status\n"
        + block(status_chart(fig, "Actions by status, per review",
                             "Review", [(review_name(r), r.by_status) for r in fig.reviews]))
        + block(status_chart(fig, "Actions by status, per agency",
                             "Agency", [(a.name, a.by_status) for a in fig.agencies]))
    )


def tiles(fig: Figures, overdue: list[ActionRow], late: list[ImrRow], completed: list[ActionRow]) -> str:
    """The four headline figures, each a link to the list behind it."""
    year = fig.today.year
    shown = [
        (len(dashboard.open_reviews(fig)), ("open review", "open reviews"), REVIEWS),
        (len(late), ("late IMR", "late IMRs"), "#late-imrs"),
        (len(overdue), ("overdue action", "overdue actions"), "#overdue-actions"),
        (len(completed), (f"action completed in {year}", f"actions completed in {year}"), "#actions-completed-this-year"),
    ]
    items = "".join(
        "<li>" + (link(HOME, target, "{}") if not target.startswith("#") else f'<a href="{target}">{{}}</a>').format(
            f'<span class="sar-tile__figure">{n}</span> <span class="sar-tile__label">{esc(words[n != 1])}</span>')
        + "</li>"
        for n, words, target in shown
    )
    return f'<ul class="sar-tiles">{items}</ul>'


def decisions_html(fig: Figures) -> str:
    found = dashboard.for_decision(fig)
    board = fig.board
    rules = (f"By the board's rules: an action overdue by more than {board.escalate_overdue_days} days, "
             f"an open action with no update for more than {board.escalate_no_update_days} days or overdue with none "
             f"at all, and a review past its expected completion ({board.expected_months} months after the "
             "decision to hold it, unless the board agreed an extension).")
    columns = [Column("Review"), Column("Agency"), Column("Action"), Column("Why", None)]
    rows = []
    for d in found:
        a = d.action
        rows.append([
            td(link(HOME, review_url(d.review), esc(review_name(d.review)))),
            td(link(HOME, agency_url(a.agency_id), esc(a.agency_name)) if a else "The whole review"),
            td(esc(f"{a.action.no}: {a.action.recommendation or 'not written yet'}") if a else "", width="wide"),
            td(esc(d.why[:1].upper() + d.why[1:]), width="medium"),
        ])
    return (f'<p class="sar-note">{esc(rules)}</p>'
            + table("For the board's decision", columns, rows, empty="nothing meets the board's rules for a decision"))


def since_html(fig: Figures) -> str:
    changed = dashboard.since_last_meeting(fig)
    if changed is None:
        return ('<p class="sar-empty">No board meeting before today is listed: add the dates of the board\'s '
                "meetings to the board's settings (meetings) to see what changed since the last one.</p>")
    when = esc(uk_long(changed.meeting))
    stages = "".join(f"<li>{link(HOME, review_url(r), esc(review_name(r)))} reached {esc(stage.label)} "
                     f"on {esc(uk_long(day))}</li>" for r, stage, day in changed.stage_changes)
    returned = "".join(f"<li>{esc(i.agency_name)} ({esc(_review_label(i))}), submitted on "
                       f"{esc(uk_long(i.imr.submitted if i.imr else None))}</li>" for i in changed.imrs_returned)

    def actions(rows: list[ActionRow], what: Callable[[ActionRow], str]) -> str:
        return "".join(f"<li>{esc(a.agency_name)} action {esc(a.action.no)} ({esc(_review_label(a))}): {what(a)}</li>"
                       for a in rows)

    completed = actions(changed.completed, lambda a: esc(f"completed on {uk_long(a.completed_on)}"))
    overdue = actions(changed.newly_overdue, lambda a: esc(f"due on {uk_long(a.action.target_date)}, "
                                                           f"{plural(a.days_overdue, 'day')} overdue"))
    updates = "".join(f"<li>{esc(a.agency_name)} action {esc(a.action.no)} ({esc(_review_label(a))}), "
                      f"{esc(uk_long(u.date))}: {esc(u.text)}</li>" for a, u in changed.updates)
    parts = [
        ("Reviews that moved to a new stage", stages),
        ("IMRs returned", returned),
        ("Actions completed", completed),
        ("Actions newly overdue", overdue),
        ("New progress updates", updates),
    ]
    listed = "".join(
        f"<dt>{esc(title)}: {text.count('<li>')}</dt><dd>"
        + (f'<ul class="sar-list">{text}</ul>' if text else '<span class="sar-note">None</span>') + "</dd>"
        for title, text in parts
    )
    return (f'<p>Since the board met on {when}, up to {esc(uk_long(fig.today))}:</p>'
            f'<dl class="sar-since">{listed}</dl>')


def trends_html(fig: Figures) -> str:
    months = dashboard.trends(fig)
    series = ["Open", "Overdue", "Completed"]
    rows = [(m.label, _counter(Open=m.open, Overdue=m.overdue, Completed=m.completed)) for m in months]
    title = f"Actions at the end of each month, {months[0].label} to {months[-1].label}"
    columns = [Column("Month"), *(Column(s, "number") for s in series)]
    data = [[td(esc(label)), *(td(str(counts[s])) for s in series)] for label, counts in rows]
    return (
        f'<figure class="sar-figure">{grouped_bars(title, rows, series)}'
        f"<figcaption>{esc(title)}. Open and overdue at each month's end (the current month: today); "
        "completed: all completed by then.</figcaption></figure>\n"
        + table(f"{title} (the figures of the chart)", columns, data, empty="no actions yet")
    )


def _counter(**counts: int) -> Counter[str]:
    return Counter(counts)


def late_imrs_table(fig: Figures, late: list[ImrRow]) -> str:
    columns = [Column("Review"), Column("Agency"), Column("Due", "date"), Column("Returned"), Column("Days late", None)]
    rows = [[
        td(link(HOME, review_url_of(i), esc(_review_label(i)))),
        td(link(HOME, agency_url(i.agency_id), esc(i.agency_name))),
        date_td(i.due, "not set"),
        td(esc(f"Yes, on {uk(i.imr.submitted)}") if i.returned and i.imr and i.imr.submitted else "Not yet"),
        td(esc(plural(i.days_late, "day"))),
    ] for i in late]
    return table("Late IMRs", columns, rows, empty="no IMR is late")


def reviews_index(fig: Figures) -> str:
    described = [(s.label, esc(s.description)) for s in fig.stages if s.description]
    return (
        front("Reviews", "Reviews")
        + block(f'<p class="sar-lede">Every Safeguarding Adults Review of the board, on {esc(uk_long(fig.today))}. '
                "Open a review for its terms of reference, each agency's IMR and its action plan.</p>")
        + block(reviews_table(fig, REVIEWS))
        + block(rag_key(fig))
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
               Column("Expected completion", "date"), Column("Actions by status", None), Column("RAG", None)]
    rows = []
    for r in fig.reviews:
        scale = r.timescale
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
            td((esc(uk(scale.due)) if scale.due else "not set")
               + (" " + badge(f"{plural(scale.days_past, 'day')} past it", "red") if scale.days_past else ""),
               sort=scale.due.isoformat() if scale.due else ""),
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


def rag_key(fig: Figures) -> str:
    """What Red, Amber and Green mean, beside every table or list that shows them."""
    items = "".join(f"<li>{badge(name, name)} {esc(meaning)}</li>" for name, meaning in key(fig.board))
    return f'<div class="sar-key"><p>RAG rating of an action:</p><ul>{items}</ul></div>'


def status_chart(fig: Figures, title: str, first: str, rows: list[tuple[str, Counter[str]]]) -> str:
    """The chart and, below it, the same figures as a table."""
    statuses = fig.statuses
    columns = [Column(first), *(Column(s, "number") for s in statuses), Column("Total", "number")]
    data = [[td(esc(label)), *(td(str(counts[s])) for s in statuses), td(str(sum(counts[s] for s in statuses)))]
            for label, counts in rows]
    return (
        f'<figure class="sar-figure">{stacked_bars(title, rows, statuses, "no actions")}'
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
        ("Basis", esc(basis_text(review.basis))),
        ("Referral received", esc(f"{uk_long(referral)} ({plural(r.days_since_referral or 0, 'day')} ago)")
         if referral else "not set"),
        ("Period under review", esc(f"{uk_long(review.period.start)} to {uk_long(review.period.end)}")
         if review.period and review.period.start and review.period.end else "not set"),
        ("IMRs returned", esc(f"{r.returned} of {len(r.imrs)} requested")
         + (f" ({plural(len(r.late), 'late IMR')})" if r.late else "")),
        ("Actions", by_status_text(fig, r.by_status) + (" " + rag_text(r.by_rag) if r.actions else "")),
        *timescale_facts(fig, r),
        *outcome_facts(fig, r),
    ]
    questions = "".join(f"<dt>{esc(q.id)}</dt><dd>{esc(q.text)}</dd>" for q in tor.questions)
    return (
        front(review_name(r), review_name(r))
        + block(definition_list(facts))
        + (block(rag_key(fig)) if r.actions else "")
        + "## Terms of reference\n"
        + block(f'<p class="sar-scope">{esc(tor.scope)}</p>' if tor.scope else '<p class="sar-empty">No scope written yet.</p>')
        + block(f'<dl class="sar-questions">{questions}</dl>' if questions
                else '<p class="sar-empty">No questions set yet.</p>')
        + "## IMRs\n"
        + block(imrs_table(here, r.imrs, by_review=False))
        + "## Action plan\n"
        + block(actions_table(fig, here, r.actions, "The review's action plan, all agencies", brief=False,
                              show_review=False, empty="no agency has set out actions yet"))
        + (block(rag_key(fig)) if r.actions else "")
    )


def timescale_facts(fig: Figures, r: ReviewFigures) -> list[tuple[str, str]]:
    """The decision to hold the review, when it is expected to be completed (flagged when past), and its stages."""
    scale = r.timescale
    if scale.decision is None:
        expected = "not known until the decision to hold the review is recorded (decision_date)"
    else:
        expected = esc(f"{uk_long(scale.expected)} ({fig.board.expected_months} months after the decision)")
        if scale.extended_to:
            expected += esc(f"; extended to {uk_long(scale.extended_to)}: {scale.reason or 'no reason given'}")
        if scale.days_past:
            expected += " " + badge(f"{plural(scale.days_past, 'day')} past it", "red")
        elif scale.completed:
            expected += " " + badge("Completed", "green")
    stages = "".join(f"<li>{esc(stage.label)}: {esc(uk_long(day))}</li>" for stage, day in r.stage_changes)
    return [
        ("Decision to hold the review", esc(uk_long(scale.decision)) if scale.decision else "not recorded"),
        ("Expected completion", expected),
        ("Stages reached", f'<ul class="sar-list">{stages}</ul>' if stages else "no stage dates recorded"),
    ]


def outcome_facts(fig: Figures, r: ReviewFigures) -> list[tuple[str, str]]:
    """What the review led to: a link to its Recommendations page, and its themes with a link to the Learning page."""
    here, review = review_url(r), r.review
    if review.recommendations is None:
        recommendations = "none recorded yet (recommendations.yml)"
    else:
        count = plural(len(review.recommendations.recommendations), "recommendation")
        recommendations = link(here, recommendations_url(r), esc(f"{count}, with the board's response and progress"))
    names = [theme_name(fig, t.text) for t in review.themes]
    themes = link(here, LEARNING, esc(", ".join(names))) if names else "none recorded yet"
    return [("Recommendations", recommendations), ("Learning themes", themes)]


def theme_name(fig: Figures, theme_id: str) -> str:
    """One of the board's themes by its name in board.yml (its id where it has none)."""
    theme = fig.board.theme(theme_id)
    return (theme.name if theme else None) or theme_id


def imrs_table(here: str, rows: list[ImrRow], by_review: bool) -> str:
    first = Column("Review") if by_review else Column("Agency")
    columns = [first, Column("Due", "date"), Column("Status"), Column("Returned"), Column("Progress", "number"),
               Column("Last update", "date")]
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
            last_update_td(row),
        ])
    return table("IMRs", columns, body, name="imrs", empty="no IMR has been requested yet")


def last_update_td(row: ImrRow) -> str:
    """The newest date the IMR's data gives; else the day its files were recorded, labelled so."""
    if row.last_update:
        return date_td(row.last_update)
    if row.recorded:
        return td(f'{esc(uk(row.recorded))} <span class="sar-note">(date recorded)</span>', sort=row.recorded.isoformat())
    return td("None yet", sort="")


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
            "(the board's setting). The last column shows when the status moved: on the date of the update "
            "or completion that reported it, or else on the date the change was recorded.</p>"
        )
        + block(rag_key(fig))
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
        Column("Days overdue", "number", filter=filterable), Column("Latest update", "date"),
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
            td(esc(plural(a.days_overdue, "day")) if a.overdue else "Not overdue", sort=a.days_overdue,
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
        quiet = (f"No update for {a.days_without_update} days" if a.latest and a.days_without_update is not None
                 else "Overdue with no update")
        text += " " + badge(quiet, "stale")
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
        recorded = "" if change.reported else ' <span class="sar-note">(date recorded)</span>'
        items.append(f'<li><span class="sar-date">{esc(uk(change.when))}</span> {moved}{recorded}</li>')
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
        + (block(rag_key(fig)) if agency.actions else "")
    )
