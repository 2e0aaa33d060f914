"""Which text is shown where: the confidentiality tier of every text field, in one place.

- The status tier is what the status site and every board output show: the review's
  reference, subject (its anonymised name), basis, stage and themes, the terms of reference,
  the agencies' names, where the report was published and why the family took no part, and every text of every action and of its updates (the action
  plan, lead officers and each lesson it answers included); and recommendations.yml
  whole: the findings, the recommendations, the board's responses with their reasons,
  and the board's own actions. A restricted value here is
  an error whatever the board's setting, and the board outputs redact it as a second
  line of defence.
- The section tier is what only the panel reads, in the Word report and the workbooks:
  the Markdown sections, the chronology and the quality-assurance comments. A
  restricted value here is reported as the board chooses (settings.anonymisation).

`check` reads the status tier through `review_status_text` and `imr_status_text`; the
board outputs take `shown(review, clean)`, the review with every status-tier text
cleaned; both walk the same list of fields below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, replace
from enum import StrEnum
from typing import Any, TypeVar

from sarflow.findings import Span
from sarflow.model import (
    Action,
    Agency,
    FamilyInvolvement,
    Imr,
    Publication,
    Question,
    Recommendation,
    Recommendations,
    Record,
    Ref,
    Response,
    Review,
    ReviewFinding,
    Subject,
    TermsOfReference,
    Update,
)


class Tier(StrEnum):
    STATUS = "status"  # also on the status site and in every board output
    SECTION = "section"  # the Word report and the workbooks only (the panel)


# The status-tier text fields of each record; None: every text field (an action's
# columns are all shown, whatever the template calls them, its added ones in `extra` too).
_STATUS_FIELDS: dict[type[Record], tuple[str, ...] | None] = {
    Review: ("reference", "basis", "stage", "themes"),
    Publication: ("where",),
    FamilyInvolvement: ("reason",),
    Subject: ("name",),
    TermsOfReference: ("scope",),
    Question: ("id", "text"),
    Agency: ("name",),
    Action: None,
    Update: None,
    ReviewFinding: ("id", "text"),
    Recommendation: ("id", "finding", "text", "themes", "to"),
    Response: ("decision", "reason"),
}

# What a board output does with a status-tier text: called with where it was written and the text.
Clean = Callable[[Span, str], str]
R = TypeVar("R", bound=Record)


def shown(review: Review, clean: Clean) -> Review:
    """The review as a board output may show it: every status-tier text passed through `clean`."""
    tor = review.terms_of_reference
    return replace(
        _cleaned(review, clean),
        subject=_cleaned(review.subject, clean) if review.subject else None,
        terms_of_reference=replace(_cleaned(tor, clean), questions=[_cleaned(q, clean) for q in tor.questions]),
        agencies=[_cleaned(a, clean) for a in review.agencies],
        imrs={agency_id: imr_shown(imr, clean) for agency_id, imr in review.imrs.items()},
        published=_cleaned(review.published, clean) if review.published else None,
        family_involvement=_cleaned(review.family_involvement, clean) if review.family_involvement else None,
        recommendations=_recommendations_shown(review.recommendations, clean) if review.recommendations else None,
    )


def _recommendations_shown(recommendations: Recommendations, clean: Clean) -> Recommendations:
    return replace(
        recommendations,
        findings=[_cleaned(f, clean) for f in recommendations.findings],
        recommendations=[
            replace(_cleaned(r, clean), response=_cleaned(r.response, clean) if r.response else None,
                    board_actions=_actions_shown(r.board_actions, clean))
            for r in recommendations.recommendations
        ],
    )


def _actions_shown(actions: list[Action], clean: Clean) -> list[Action]:
    return [replace(_cleaned(a, clean), updates=[_cleaned(u, clean) for u in a.updates]) for a in actions]


def imr_shown(imr: Imr, clean: Clean) -> Imr:
    """The IMR with its action plan's text passed through `clean`."""
    return replace(imr, actions=_actions_shown(imr.actions, clean))


def review_status_text(review: Review) -> list[tuple[Span, str]]:
    """review.yml's and recommendations.yml's status-tier texts, each with where it was written."""
    return _seen(lambda clean: shown(replace(review, imrs={}), clean))


def imr_status_text(imr: Imr) -> list[tuple[Span, str]]:
    """The IMR's status-tier texts (its action plan), each with where it was written."""
    return _seen(lambda clean: imr_shown(imr, clean))


def _seen(walk: Callable[[Clean], object]) -> list[tuple[Span, str]]:
    seen: list[tuple[Span, str]] = []

    def note(at: Span, text: str) -> str:
        seen.append((at, text))
        return text

    walk(note)
    return seen


def _cleaned(record: R, clean: Clean) -> R:
    """The record with each of its status-tier texts cleaned: a text field, and each id of a list (the lessons)."""
    names = _STATUS_FIELDS[type(record)]
    if names is None:
        names = tuple(f.name for f in fields(record) if f.name not in ("at", "spans"))
    changes: dict[str, Any] = {n: _value(v, record.span(n), clean) for n in names if _has_text(v := getattr(record, n))}
    extra = getattr(record, "extra", None)
    if isinstance(extra, dict) and any(_has_text(v) for v in extra.values()):
        changes["extra"] = {k: _value(v, record.span(k), clean) if _has_text(v) else v for k, v in extra.items()}
    return replace(record, **changes) if changes else record


def _has_text(value: object) -> bool:
    return (isinstance(value, str) and bool(value)) or (isinstance(value, tuple) and any(isinstance(v, Ref) for v in value))


def _value(value: object, at: Span, clean: Clean) -> object:
    if isinstance(value, tuple):
        return tuple(replace(v, text=clean(v.at, v.text)) if isinstance(v, Ref) else v for v in value)
    assert isinstance(value, str)
    return clean(at, value)
