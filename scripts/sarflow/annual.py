"""The Safeguarding Adults Reviews part of the board's annual report, for one financial year.

The Care Act 2014 (Schedule 2, paragraph 4) asks the annual report to state the findings of the
reviews concluded in the year, the reviews still going on at its end, what the board and each
member did to implement the findings, and the reasons for any decision not to implement one.
This writes those four parts, with the figures in tables, as Markdown; `sarflow annual-report`
turns it into a Word document with the house reference document too.

It shows only status-tier text (sarflow.restricted.tiers), read redacted by the guard the site
uses, so that a restricted value an author typed by mistake never reaches a published report.
A review is concluded in the year when its `completed` date falls in it, and ongoing at the end
when the board had decided to hold it (or, without that date, had its referral) by then and it was
not completed. An action counts as done in the year when its `date_completed` falls in it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sarflow.dates import uk, uk_long
from sarflow.errors import UsageError
from sarflow.model import BOARD, FULLY_ACCEPTED, RESPONSES, Action, Recommendation, Repository, Review, Update, basis_text
from sarflow.restricted import Restricted
from sarflow.restricted.tiers import shown
from sarflow.status.figures import stage_label

_YEAR = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Year:
    """A financial year, 1 April to 31 March: 2025-26."""

    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        return f"{self.start.year}-{self.end.year % 100:02d}"

    def holds(self, day: dt.date | None) -> bool:
        return day is not None and self.start <= day <= self.end


def financial_year(text: str) -> Year:
    """`2025-26` as the year from 1 April 2025 to 31 March 2026; anything else is a usage error that says how to write it."""
    match = _YEAR.match(text.strip())
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise UsageError(f"{text!r} is not a financial year: write the year it starts and the last two digits of the next, "
                         "e.g. 2025-26 for 1 April 2025 to 31 March 2026")
    first = int(match.group(1))
    return Year(dt.date(first, 4, 1), dt.date(first + 1, 3, 31))


@dataclass(frozen=True)
class Done:
    """An action completed in the year, with who took it and the recommendation it carries out (if any)."""

    review: Review
    reference: str
    who: str
    action: Action
    recommendations: list[Recommendation]
    updates: list[Update]  # those reported in the year, oldest first


def report(repo: Repository, year: Year) -> str:
    """The report as Markdown: status-tier text only, each restricted value redacted."""
    redact = Restricted.of_repository(repo).redact
    reviews = [shown(r, lambda _at, text: redact(text)) for r in repo.reviews]
    board = (repo.board.name if repo.board else None) or "the Safeguarding Adults Board"
    short = (repo.board.short_name if repo.board else None) or "Board"
    completed = repo.template.action_plan.completed
    concluded = [r for r in reviews if year.holds(r.completed)]
    ongoing = [r for r in reviews if (s := r.started) and s <= year.end and not (r.completed and r.completed <= year.end)]
    done = _done(reviews, year, completed, board, short)
    responded = [(r, rec) for r in reviews for rec in _recommendations(r) if rec.response and year.holds(rec.response.date)]
    declined = [(r, rec) for r, rec in responded if rec.response and rec.response.decision and rec.response.decision != FULLY_ACCEPTED]
    parts = [
        f"# Safeguarding Adults Reviews {year.label}\n",
        f"This part of the annual report of {text(board)} covers the year from {uk_long(year.start)} to {uk_long(year.end)}, "
        "as the Care Act 2014 (Schedule 2, paragraph 4) asks: the findings of the Safeguarding Adults Reviews concluded in "
        "the year, the reviews still going on at its end, what was done to implement the findings, and the reasons for any "
        "decision not to implement one.\n",
        "## The year in figures\n",
        grid(["Figure", "Number"], [
            ["Reviews concluded in the year", str(len(concluded))],
            [f"Reviews ongoing at {uk(year.end)}", str(len(ongoing))],
            ["Recommendations the board responded to in the year", str(len(responded))],
            *([f"of which {decision}", str(sum(rec.response is not None and rec.response.decision == decision for _, rec in responded))]
              for decision in RESPONSES),
            ["Actions completed in the year", str(len(done))],
        ]),
        "## Reviews concluded in the year\n",
        *(_concluded(r, board) for r in concluded),
        *([] if concluded else ["No review was concluded in the year.\n"]),
        f"## Reviews ongoing at {uk_long(year.end)}\n",
        grid(["Review", "Basis", "Decided on (or referred)", "Stage now", "Days from then to the year's end"],
             [[_name(r), text(basis_text(r.basis)), uk(r.started), text(stage_label(r.stage)),
               str((year.end - s).days) if (s := r.started) else ""] for r in ongoing])
        if ongoing else "No review was ongoing at the end of the year.\n",
        "## What was done to implement the findings\n",
        "### By agency\n",
        *(_by_agency(done) if done else ["No action was completed in the year.\n"]),
        "### By recommendation\n",
        _by_recommendation(done),
        "## Recommendations not implemented in full, and why\n",
        grid(["Review", "Recommendation", "Decision", "Date", "Reason"],
             [[_name(r), f"{rec.id}: {text(rec.text or '')}", text(rec.response.decision or ""), uk(rec.response.date),
               text(rec.response.reason or "none given")] for r, rec in declined if rec.response])
        if declined else "The board accepted in full every recommendation it responded to in the year.\n",
    ]
    return "\n".join(parts)


def _recommendations(review: Review) -> list[Recommendation]:
    return review.recommendations.recommendations if review.recommendations else []


def _concluded(review: Review, board: str) -> str:
    facts = [
        ["Basis", text(basis_text(review.basis))],
        ["Review decided on", uk(review.decision_date) or "not given"],
        ["Completed", uk(review.completed)],
        ["Time taken", f"{(review.completed - review.decision_date).days} days" if review.completed and review.decision_date else "not known"],
        ["Published", f"{uk(review.published.date)}, {text(review.published.where or '')}" if review.published else "not yet"],
        ["Family involvement", _family(review)],
    ]
    findings = review.recommendations.findings if review.recommendations else []
    recommendations = [[text(rec.id or ""), text(rec.text or ""), text(", ".join(_to(review, t.text, board) for t in rec.to)),
                        text(rec.response.decision if rec.response and rec.response.decision else "not yet decided")]
                       for rec in _recommendations(review)]
    return "\n".join([
        f"### {_name(review)}\n",
        grid(["", "Detail"], facts),
        "Findings:\n",
        "\n".join(f"- {text(f.id or '')}: {text(f.text or '')}" for f in findings) + "\n" if findings else "No findings recorded.\n",
        grid(["No", "Recommendation", "Made to", "The board's response"], recommendations) if recommendations
        else "No recommendations recorded.\n",
    ])


def _family(review: Review) -> str:
    family = review.family_involvement
    if family is None:
        return "not recorded"
    said = [("invited" if family.invited else "not invited"), ("took part" if family.took_part else "did not take part"),
            ("advocacy offered" if family.advocacy else "no advocacy offered")]
    return text("; ".join(said) + (f" ({family.reason})" if family.reason else ""))


def _to(review: Review, who: str, board: str) -> str:
    return board if who == BOARD else review.agency_name(who)


def _done(reviews: Sequence[Review], year: Year, completed: str, board: str, short: str) -> list[Done]:
    found = []
    for review in reviews:
        recommendations = _recommendations(review)
        for imr in review.imrs.values():
            for action in imr.actions:
                if action.status == completed and year.holds(action.date_completed):
                    carried = [rec for rec in recommendations if any(link.agency == imr.agency_id and link.no == action.no
                                                                     for link in rec.links)]
                    found.append(Done(review, review.action_reference(imr.agency_id, action.no), review.agency_name(imr.agency_id),
                                      action, carried, _in_year(action.updates, year)))
        for rec in recommendations:
            found += [Done(review, f"{short}-{a.no}", board, a, [rec], _in_year(a.updates, year))
                      for a in rec.board_actions if a.status == completed and year.holds(a.date_completed)]
    return found


def _in_year(updates: Iterable[Update], year: Year) -> list[Update]:
    return sorted((u for u in updates if year.holds(u.date)), key=lambda u: u.date or year.start)


def _by_agency(done: list[Done]) -> list[str]:
    agencies = list(dict.fromkeys(d.who for d in done))
    parts = [grid(["Agency", "Actions completed in the year"], [[text(a), str(sum(d.who == a for d in done))] for a in agencies])]
    for agency in agencies:
        rows = [[_name(d.review), text(d.reference), text(d.action.recommendation or ""), uk(d.action.date_completed),
                 "; ".join(f"{uk(u.date)}: {text(u.text or '')}" for u in d.updates) or "none in the year"]
                for d in done if d.who == agency]
        parts += [f"#### {text(agency)}\n", grid(["Review", "Action", "What was done", "Completed", "Updates in the year"], rows)]
    return parts


def _by_recommendation(done: list[Done]) -> str:
    rows = [[_name(d.review), f"{rec.id}: {text(rec.text or '')}", text(d.reference), text(d.who), uk(d.action.date_completed)]
            for d in done for rec in d.recommendations]
    if not rows:
        return "No action completed in the year carries out a review's recommendation.\n"
    return grid(["Review", "Recommendation", "Action", "By", "Completed"], rows)


def _name(review: Review) -> str:
    subject = review.subject.name if review.subject and review.subject.name else None
    return text(f"{review.reference or review.id}: {subject}" if subject else review.reference or review.id)


def grid(head: list[str], rows: list[list[str]]) -> str:
    """A pipe table with its header row; every cell is already escaped (`text`)."""
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


_PUNCTUATION = re.compile(r"([\\`*_{}\[\]<>#|~^$@&!])")


def text(value: str) -> str:
    """Text from the files as literal Markdown: on one line, every punctuation mark escaped (a table's `|` too)."""
    return _PUNCTUATION.sub(r"\\\1", " ".join(value.split()))
