"""The status site's calendar feed, deadlines.ics (RFC 5545): the dates board members and authors subscribe to.

One all-day event for each IMR's due date, each open action's target date (an agency's, and the
board's own in recommendations.yml) and each board meeting (reviews/board.yml). It is made from
the site's figures, so its text is status-tier and redacted like every page. Each event keeps its
UID from build to build (the review, the agency and the action's number), so that a calendar that
subscribes updates the event rather than adding another; DTSTAMP is the day of the build.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sarflow.model import Action, Board
from sarflow.status.figures import Figures

if TYPE_CHECKING:
    from icalendar import Event

FILE = "deadlines.ics"
_DOMAIN = "sarflow"


def feed(fig: Figures, board: Board | None) -> str:
    """The calendar as text (CRLF line endings, as RFC 5545 has them)."""
    # icalendar is imported here, not with the module: only the site is made with it, and `sarflow build`
    # makes the site after its workers are forked, which then have 36 ms less to wait for.
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", "-//sarflow//Safeguarding Adults Reviews deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{fig.board_name}: review deadlines")
    completed = fig.template.action_plan.completed
    short = (board.short_name if board else None) or "Board"
    for r in fig.reviews:
        review = r.review
        name = review.reference or review.id
        for agency in review.agencies:
            if agency.id and agency.imr_due:
                calendar.add_component(_event(f"imr-{review.id}-{agency.id}", agency.imr_due, fig.today,
                                              f"IMR due: {agency.name or agency.id} ({name})",
                                              f"The IMR of {agency.name or agency.id} for review {name} is due."))
        for row in r.actions:
            if row.action.status != completed and row.action.target_date:
                reference = review.action_reference(row.agency_id, row.action.no)
                calendar.add_component(_action(f"action-{review.id}-{row.agency_id}-{row.action.no}", row.action, fig.today,
                                               f"{reference} ({name})", row.agency_name))
        for recommendation in review.recommendations.recommendations if review.recommendations else []:
            for action in recommendation.board_actions:
                if action.status != completed and action.target_date:
                    calendar.add_component(_action(f"board-action-{review.id}-{action.no}", action, fig.today,
                                                   f"{short}-{action.no} ({name})", fig.board_name))
    for meeting in board.meetings if board else ():
        calendar.add_component(_event(f"meeting-{meeting.isoformat()}", meeting, fig.today, f"{fig.board_name} meeting",
                                      "A meeting of the board."))
    return calendar.to_ical().decode("utf-8")


def _action(uid: str, action: Action, today: dt.date, reference: str, who: str) -> Event:
    assert action.target_date is not None
    what = " ".join((action.recommendation or "").split())
    return _event(uid, action.target_date, today, f"Action due: {reference}",
                  f"{who}: {what}" + (f" (status: {action.status})" if action.status else ""))


def _event(uid: str, day: dt.date, today: dt.date, summary: str, description: str) -> Event:
    from icalendar import Event  # see feed

    event = Event()
    event.add("uid", f"{uid}@{_DOMAIN}")
    event.add("dtstamp", dt.datetime.combine(today, dt.time(), dt.UTC))
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")
    return event
