"""The typed model of a board's reviews, named in the words its users use.

Every record knows where it was written (`at`) and where each of its fields was
written (`span(field)`), so a check or an output can point an author at the exact
line. Values that are missing or of the wrong type are None here; the schema check
reports why. Nothing in this module reads files.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sarflow.findings import Finding, Span, errors

if TYPE_CHECKING:
    from sarflow.load.yamlfile import YamlDocument
    from sarflow.template import ActionPlanLayout, Template

# An IMR's status, in the order it moves through them; those that count as sent to the
# panel (deadlines are met, sign-off and completeness are due, the site counts it returned).
ImrStatus = Literal["draft", "submitted", "approved"]
IMR_STATUSES: tuple[ImrStatus, ...] = ("draft", "submitted", "approved")
SENT: tuple[ImrStatus, ...] = ("submitted", "approved")


BOARD_FILE = "reviews/board.yml"
DEFAULT_TEMPLATE = "SAR9 V3"  # the template a board.yml without `template:` uses


def is_sent(status: str | None) -> bool:
    """True for a status that counts as sent to the panel (submitted or approved)."""
    return status in SENT


@dataclass
class Record:
    """Anything read from a YAML mapping: its own position and its fields' positions."""

    at: Span
    spans: dict[str, Span] = field(default_factory=dict, repr=False, compare=False, kw_only=True)
    written: dict[str, str] = field(default_factory=dict, repr=False, compare=False, kw_only=True)

    def span(self, name: str) -> Span:
        return self.spans.get(name, self.at)

    def as_written(self, name: str) -> str:
        """The author's text for `name` exactly as typed (empty when none): what an output prints where
        the value could not be read as its kind (`2025-02-30`, which is no date), never a blank."""
        return self.written.get(name, "")


@dataclass(frozen=True)
class Ref:
    """One id written in a field that takes one id or a list of them (the lessons an action
    answers, L1; the staff of a chronology entry, DN1), with where it was written: a finding
    about one id of a list points at that id."""

    text: str
    at: Span = field(compare=False)

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class StaffRef(Ref):
    """A member of staff in a chronology entry's `by`: `DN1` of the IMR's own personnel, or
    `acute-trust/ED1`, ED1 of another agency's IMR in the same review."""

    @property
    def agency(self) -> str | None:
        """The other agency's id, or None for the IMR's own staff."""
        return self.text.split("/", 1)[0] if "/" in self.text else None

    @property
    def id(self) -> str:
        return self.text.split("/", 1)[1] if "/" in self.text else self.text


def listed(refs: tuple[Ref, ...]) -> str:
    """Ids as a table cell shows them: `L1, L3`."""
    return ", ".join(ref.text for ref in refs)


@dataclass
class Board(Record):
    """reviews/board.yml: the board, its meetings, and the settings it tunes.

    The defaults here are the only ones: the loader, every output and board.schema.json
    (through `sarflow schemas`) read them from this class.
    """

    name: str | None
    short_name: str | None
    template_id: str
    anonymisation: Literal["warning", "error"] = "warning"
    stale_update_days: int = 90  # an open action with no update for longer is flagged, and rated Amber
    amber_days: int = 30  # an open action due within this many days is rated Amber
    expected_months: int = 6  # a review is expected to be completed this long after the decision to hold it
    escalate_overdue_days: int = 60  # an action overdue by more than this goes to the board for decision
    escalate_no_update_days: int = 120  # so does an open action with no update for longer than this
    # An approved IMR's lines changed since the base of a change (`sarflow check --since`): an error, not a warning.
    approved_frozen: bool = False
    common_abbreviations: frozenset[str] = frozenset()  # the board's readers know them: no glossary entry needed
    themes: tuple[Theme, ...] = ()  # the board's learning themes, which reviews and recommendations name by id
    meetings: tuple[dt.date, ...] = ()  # the board's meeting dates, oldest first
    engine: Literal["material", "zensical"] = "material"  # what builds the status site (`site: {engine}`)

    @classmethod
    def defaults(cls) -> Board:
        """The board's settings where reviews/board.yml cannot be read: every default."""
        return cls(Span(BOARD_FILE), name=None, short_name=None, template_id=DEFAULT_TEMPLATE)

    def last_meeting(self, before: dt.date) -> dt.date | None:
        """The latest board meeting before `before` (the day a page or paper is made)."""
        return max((m for m in self.meetings if m < before), default=None)

    def theme(self, theme_id: str) -> Theme | None:
        return next((t for t in self.themes if t.id == theme_id), None)


@dataclass
class Theme(Record):
    """One of the board's learning themes (`themes:` in board.yml), e.g. self-neglect: Self-neglect and hoarding."""

    id: str | None
    name: str | None


@dataclass
class Subject(Record):
    name: str | None
    deceased: bool
    date_of_death: dt.date | None


@dataclass
class Referral(Record):
    date: dt.date | None
    source: str | None
    summary: str | None


@dataclass
class Period(Record):
    """The period under review; `from` and `to` in review.yml."""

    start: dt.date | None
    end: dt.date | None


@dataclass
class Question(Record):
    """A terms-of-reference question (Q1, Q2, ...) that every IMR answers in analysis.md."""

    id: str | None
    text: str | None


@dataclass
class TermsOfReference(Record):
    scope: str | None
    questions: list[Question]


# An agency's short code in review.yml (ASC): 2 to 6 capitals or digits, a letter first. The
# schema's pattern is generated from it (sarflow.schemas); `sarflow new imr` checks --code with it.
SHORT_CODE = re.compile(r"^[A-Z][A-Z0-9]{1,5}$")


@dataclass
class Publication(Record):
    """When and where the overview report was published (`published:` in review.yml)."""

    date: dt.date | None
    where: str | None


@dataclass
class FamilyInvolvement(Record):
    """The family's part in the review (`family_involvement:` in review.yml); None: not said."""

    invited: bool | None
    took_part: bool | None
    advocacy: bool | None
    reason: str | None


@dataclass
class Extension(Record):
    """A later date agreed for completing a review (`extension: {to, reason}` in review.yml)."""

    to: dt.date | None
    reason: str | None


@dataclass
class Agency(Record):
    """An agency from whom the review requested an IMR."""

    id: str | None
    name: str | None
    imr_due: dt.date | None
    short_code: str | None = None  # e.g. ASC: the review's combined plan refers to its actions as ASC-3


@dataclass
class Signatory(Record):
    name: str | None
    job_title: str | None
    date: dt.date | None = None


@dataclass
class FamilyMember(Record):
    name: str | None
    relationship: str | None
    date_of_birth: dt.date | None
    date_of_death: dt.date | str | None  # a date, or "n/a" for a living person
    address: str | None
    ethnicity: str | None


@dataclass
class Person(Record):
    """A member of staff, named in the text only by `id` (e.g. DN1); `name` is restricted."""

    id: str | None
    name: str | None  # None too when the agency does not know it (written as the template's `not_known`)
    role: str | None


@dataclass
class QualityAnswer(Record):
    criterion: str
    answer: Literal["yes", "no"] | None
    comment: str | None


@dataclass
class QualityAssurance(Record):
    """Section 9: answers keyed by the template's criterion ids."""

    answers: dict[str, QualityAnswer]


@dataclass(frozen=True)
class TimeOfDay:
    """A time on the 24-hour clock ("14:30"), or a range of them ("14:00-15:30": `end` is then set).

    A range is kept as written even when it ends before it starts, so that check can say so.
    """

    start: dt.time
    end: dt.time | None = None

    def __str__(self) -> str:
        return f"{self.start:%H:%M}" + (f"-{self.end:%H:%M}" if self.end else "")

    @property
    def reversed(self) -> bool:
        """A range that does not end after it starts."""
        return self.end is not None and self.end <= self.start


@dataclass
class ChronologyEntry(Record):
    """One dated contact. `date` is the first day of the month or year when approximate."""

    date: dt.date | None
    precision: Literal["day", "month", "year"]
    approximate: bool
    time: TimeOfDay | None  # None when not given or not written as a time (the author's text: `as_written`)
    source: str | None
    event: str | None
    action: str | None
    outcome: str | None
    by: tuple[StaffRef, ...]  # empty when not given


@dataclass
class Update(Record):
    """Progress on an action reported to the board."""

    date: dt.date | None
    text: str | None


@dataclass
class Action(Record):
    """A row of the single-agency action plan (section 8).

    The fields are the template's (see `ActionPlanLayout.fields`): those sarflow's own
    code reasons about are attributes; any other field a board's template adds is kept
    in `extra` under its key, and `value(key)` reads either, so that the workbook, the
    Word table, the checks and the panel's summary need no change for a new column.
    """

    no: int | None
    recommendation: str | None
    lesson: tuple[Ref, ...]  # the lessons it answers (L1, or several); empty when not given
    key_actions: str | None
    evidence: str | None
    key_outcome: str | None
    lead_officer: str | None
    target_date: dt.date | None
    status: str | None
    date_completed: dt.date | None
    comment: str | None
    updates: list[Update]
    extra: dict[str, Any] = field(default_factory=dict, kw_only=True)

    def value(self, key: str) -> Any:
        """The value of the field `key`, whether the model names it or the template adds it."""
        return getattr(self, key) if key in ACTION_ATTRIBUTES else self.extra.get(key)

    def is_overdue(self, today: dt.date, completed: str) -> bool:
        """Past its target date and not `completed` (the template's last status)."""
        return self.status != completed and self.target_date is not None and self.target_date < today

    def days_overdue(self, today: dt.date, completed: str) -> int:
        """How many days past its target date an action not `completed` is (0 when it is not late)."""
        return (today - self.target_date).days if self.is_overdue(today, completed) and self.target_date else 0

    def latest_update(self) -> Update | None:
        """The newest dated progress update, or the last one written when none is dated."""
        dated = [u for u in self.updates if u.date]
        return max(dated, key=lambda u: u.date or dt.date.min) if dated else (self.updates[-1] if self.updates else None)


# The kind each of the fields above has in the template's table of action fields: the
# template may add fields of any kind, but not change these (its file is refused if it does).
ACTION_KINDS = {
    "no": "number", "recommendation": "text", "lesson": "list", "key_actions": "text", "evidence": "text",
    "key_outcome": "text", "lead_officer": "text", "target_date": "date", "status": "status",
    "date_completed": "date", "comment": "text", "updates": "updates",
}
ACTION_ATTRIBUTES = frozenset(f.name for f in fields(Action)) - {f.name for f in fields(Record)} - {"extra"}


def action_key_order(layout: ActionPlanLayout) -> tuple[str, ...]:
    """The order of an action's keys in actions.yml: the model's (the schema's), then any the template adds."""
    known = [f.name for f in fields(Action) if f.name in ACTION_ATTRIBUTES]
    return (*known, *(f.key for f in layout.written if f.key not in known))


@dataclass
class Heading:
    """A Markdown heading and the text under it (up to the next heading of its level)."""

    level: int
    title: str
    span: Span
    body: str


@dataclass
class Section:
    """One Markdown section file. `written` is false while it holds only guidance comments."""

    id: str
    span: Span
    text: str
    headings: list[Heading]
    written: bool

    def heading(self, prefix: str, level: int = 2) -> Heading | None:
        """The heading whose first word is `prefix` (e.g. Q3 or L2)."""
        return next(
            (h for h in self.headings if h.level == level and h.title.split(" ", 1)[0] == prefix),
            None,
        )


@dataclass
class Imr:
    """One agency's Individual Management Review: reviews/<review>/<agency>/."""

    review_id: str
    agency_id: str
    folder: Path
    at: Span
    status: ImrStatus | None
    author: Signatory | None
    approved_by: Signatory | None
    submitted: dt.date | None
    family: list[FamilyMember]
    personnel: list[Person]
    abbreviations: dict[str, str]
    abbreviation_spans: dict[str, Span]
    quality_assurance: QualityAssurance
    chronology: list[ChronologyEntry]
    actions: list[Action]
    sections: dict[str, Section]
    documents: dict[str, YamlDocument]
    findings: list[Finding]

    @property
    def sent(self) -> bool:
        """Submitted or approved: sent to the panel, so complete and signed off."""
        return is_sent(self.status)

    @property
    def readable(self) -> bool:
        """Every file of the IMR could be read; no output is made from half an IMR."""
        return not errors(self.findings)

    def as_written(self, name: str) -> str:
        """The author's text for `name` in imr.yml exactly as typed (see `Record.as_written`)."""
        document = self.documents.get("imr.yml")
        scalar = document.scalars.get((name,)) if document else None
        return scalar.text if scalar else ""

    def person(self, person_id: str) -> Person | None:
        return next((p for p in self.personnel if p.id == person_id), None)


# The board's response to a recommendation, in recommendations.yml; those it carries out
# (an action is expected of them), and the one that needs no reason. The schema's list is generated from these.
RESPONSES = ("accepted", "accepted in part", "not accepted")
CARRIED_OUT = ("accepted", "accepted in part")
FULLY_ACCEPTED = "accepted"
# The id in a recommendation's `to` that names the board itself rather than an agency of the review.
BOARD = "board"
# Why the board held a review (`basis:` in review.yml), as every output names it: the national analysis of SARs
# found that reports often leave unclear whether a review was mandatory or discretionary.
BASES = {"mandatory": "Mandatory review, section 44(1) of the Care Act 2014",
         "discretionary": "Discretionary review, section 44(4) of the Care Act 2014"}


def basis_text(basis: str | None) -> str:
    """A review's basis in words (BASES); one not listed as written, none as "not set"."""
    return BASES.get(basis or "", basis or "not set")


@dataclass
class ReviewFinding(Record):
    """One finding of the review (F1, F2, ...) in recommendations.yml, from which recommendations follow."""

    id: str | None
    text: str | None


@dataclass
class Response(Record):
    """The board's response to a recommendation: its decision, the day it was made, and why where not in full."""

    decision: str | None
    date: dt.date | None
    reason: str | None


@dataclass(frozen=True)
class ActionLink(Ref):
    """An agency's action that carries out a recommendation: `acute-trust/3`, action 3 of acute-trust's actions.yml."""

    @property
    def agency(self) -> str:
        return self.text.split("/", 1)[0].strip()

    @property
    def no(self) -> int | None:
        number = self.text.split("/", 1)[1].strip() if "/" in self.text else ""
        return int(number) if number.isdigit() else None


@dataclass
class Recommendation(Record):
    """One of the review's recommendations, the board's response, and what carries it out: links to agencies'
    actions and the board's own actions (`board_actions`), which have the fields of any action."""

    id: str | None
    finding: str | None
    text: str | None
    themes: tuple[Ref, ...]
    to: tuple[Ref, ...]
    response: Response | None
    links: tuple[ActionLink, ...]
    board_actions: list[Action]

    @property
    def carried_out(self) -> bool:
        """Accepted, in full or in part: the board has undertaken to act on it."""
        return self.response is not None and self.response.decision in CARRIED_OUT


@dataclass
class Recommendations(Record):
    """reviews/<review>/recommendations.yml: the review's findings, its recommendations and the board's response."""

    findings: list[ReviewFinding]
    recommendations: list[Recommendation]

    def finding(self, finding_id: str) -> ReviewFinding | None:
        return next((f for f in self.findings if f.id == finding_id), None)


@dataclass
class Review(Record):
    """One Safeguarding Adults Review: reviews/<review-id>/review.yml and its IMRs."""

    id: str
    folder: Path
    reference: str | None
    subject: Subject | None
    basis: str | None
    referral: Referral | None
    period: Period | None
    terms_of_reference: TermsOfReference
    agencies: list[Agency]
    stage: str | None
    imrs: dict[str, Imr]  # in the order review.yml lists the agencies, unlisted folders last
    document: YamlDocument | None = None
    decision_date: dt.date | None = None  # the board's decision to hold the review: its timescale runs from here
    extension: Extension | None = None
    stage_dates: dict[str, dt.date] = field(default_factory=dict)  # when the review reached each stage
    completed: dt.date | None = None  # the review completed: the time it took runs from decision_date to here
    published: Publication | None = None
    family_involvement: FamilyInvolvement | None = None
    themes: tuple[Ref, ...] = ()  # the board's themes (board.yml) the review is about, by id
    recommendations: Recommendations | None = None  # None while the review has no recommendations.yml
    recommendations_document: YamlDocument | None = None

    @property
    def started(self) -> dt.date | None:
        """When the review began, which tells earlier reviews from later: the board's decision to hold it, or its referral."""
        return self.decision_date or (self.referral.date if self.referral else None)

    def agency(self, agency_id: str) -> Agency | None:
        return next((a for a in self.agencies if a.id == agency_id), None)

    def agency_name(self, agency_id: str) -> str:
        """The agency's name as review.yml gives it, or its folder id when it has none."""
        agency = self.agency(agency_id)
        return agency.name if agency and agency.name else agency_id

    def action_reference(self, agency_id: str, no: int | None) -> str:
        """The action's reference across the review: the agency's short code and the action's
        number (ASC-3), unique where each agency's numbers are not; the folder id stands in
        for a short code not yet given (check reports it)."""
        agency = self.agency(agency_id)
        code = agency.short_code if agency and agency.short_code else agency_id
        return f"{code}-{no if no is not None else '?'}"

    def linked_action(self, link: ActionLink) -> Action | None:
        """The agency's action a recommendation links to (`acute-trust/3`), or None when there is none."""
        imr = self.imrs.get(link.agency)
        return next((a for a in imr.actions if a.no == link.no), None) if imr and link.no is not None else None


@dataclass
class Repository:
    """Everything under reviews/, with the board and its template."""

    root: Path
    board: Board | None
    template: Template
    reviews: list[Review]
    findings: list[Finding]
    board_document: YamlDocument | None = None

    def review(self, review_id: str) -> Review | None:
        return next((r for r in self.reviews if r.id == review_id), None)

    def imrs(self) -> list[Imr]:
        return [imr for review in self.reviews for imr in review.imrs.values()]

    def all_findings(self) -> list[Finding]:
        """What loading found, in the repository and in every IMR."""
        return self.findings + [f for imr in self.imrs() for f in imr.findings]
