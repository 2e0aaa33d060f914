"""The figures the board reads, computed from the model (and git history) once per build.

Every number on the site and in the board paper comes from here, so that the pages and
the paper only lay figures out and the tests can check them against the data. Only status-tier fields are read: stages,
deadlines, progress counts, sign-off as yes/no, and the actions with their updates.
Every status-tier text (sarflow.restricted.tiers) is read redacted: a restricted value
an author typed into one (which `sarflow check` reports as an error) is replaced before
any page is written, by the same guard (sarflow.restricted) the check uses.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property

from sarflow.history import History, StatusChange
from sarflow.model import Action, Board, Imr, Repository, Review, Update
from sarflow.rating import Rating, rate
from sarflow.restricted import Restricted
from sarflow.restricted.tiers import shown
from sarflow.template import Template

ANSWERED = "analysis"  # the one section whose text the figures read (the questions it answers); of the rest, only whether each is written

Redact = Callable[[str], str]


def status_order(template: Template, statuses: Counter[str]) -> list[str]:
    """The template's statuses, then "not logged", then anything else found, for legends and columns."""
    known = [*template.action_plan.statuses, template.action_plan.not_logged]
    return [s for s in known if s in template.action_plan.statuses or statuses[s]] + sorted(set(statuses) - set(known))


@dataclass(frozen=True)
class Stage:
    id: str
    label: str
    description: str


def stages(template: Template) -> dict[str, Stage]:
    """The review stages in order, with their descriptions, from the template."""
    return {s.id: Stage(s.id, stage_label(s.id), s.description) for s in template.stages}


def stage_label(stage: str | None) -> str:
    """imrs-requested -> "IMRs requested"."""
    if not stage:
        return "Not set"
    words = ["IMRs" if w == "imrs" else "IMR" if w == "imr" else w for w in stage.split("-")]
    return " ".join(words)[:1].upper() + " ".join(words)[1:]


@dataclass(frozen=True)
class Progress:
    """How far an IMR has got: the four parts of its progress bar."""

    sections_written: int
    sections: int
    questions_answered: int
    questions: int
    criteria_answered: int
    criteria: int
    signed_off: bool

    @property
    def percent(self) -> int:
        """Each of the four parts weighs a quarter, so 11 QA criteria do not drown 5 sections."""
        parts = [
            self.sections_written / self.sections if self.sections else 1.0,
            self.questions_answered / self.questions if self.questions else 1.0,
            self.criteria_answered / self.criteria if self.criteria else 1.0,
            1.0 if self.signed_off else 0.0,
        ]
        return round(100 * sum(parts) / len(parts))

    @property
    def text(self) -> str:
        return (
            f"{self.sections_written} of {self.sections} sections written, "
            f"{self.questions_answered} of {self.questions} terms-of-reference questions answered, "
            f"{self.criteria_answered} of {self.criteria} quality-assurance criteria answered, "
            f"signed off: {'yes' if self.signed_off else 'no'}"
        )


def progress(imr: Imr, review: Review, template: Template) -> Progress:
    sections = template.section_files
    analysis = imr.sections.get(ANSWERED)
    questions = [q.id for q in review.terms_of_reference.questions if q.id]
    answered = 0
    for question in questions:
        heading = analysis.heading(question) if analysis else None
        answered += bool(heading and heading.body.strip())
    answers = imr.quality_assurance.answers
    people = (imr.author, imr.approved_by)
    return Progress(
        sections_written=sum(bool(s in imr.sections and imr.sections[s].written) for s in sections),
        sections=len(sections),
        questions_answered=answered,
        questions=len(questions),
        criteria_answered=sum(c.id in answers and answers[c.id].answer in ("yes", "no") for c in template.criteria),
        criteria=len(template.criteria),
        signed_off=all(p is not None and p.name and p.job_title for p in people),
    )


@dataclass(frozen=True)
class ImrRow:
    """One requested IMR: its agency, deadline, status and progress (None when no folder yet)."""

    review: Review
    agency_id: str
    agency_name: str
    due: dt.date | None
    imr: Imr | None
    status: str
    returned: bool
    days_late: int
    progress: Progress | None
    last_update: dt.date | None  # the newest date the IMR's data gives (submission, sign-off, an action's update)
    recorded: dt.date | None  # the day the board's copy last recorded a change to its files (git)

    @property
    def late(self) -> bool:
        return self.days_late > 0


@dataclass(frozen=True)
class ActionRow:
    """One action of one IMR, with what the board asks of it."""

    review: Review
    agency_id: str
    agency_name: str
    action: Action
    status: str
    rating: Rating
    history: list[StatusChange]
    added: dt.date  # the day it came into the plan, as far as anything tells (see `_added`)
    completed_on: dt.date | None  # the day it was completed, when it is

    @property
    def completed(self) -> bool:
        return self.completed_on is not None

    @property
    def rag(self) -> str:
        return self.rating.rag

    @property
    def days_overdue(self) -> int:
        return self.rating.days_overdue

    @property
    def overdue(self) -> bool:
        return self.rating.overdue

    @property
    def latest(self) -> Update | None:
        return self.rating.latest

    @property
    def days_without_update(self) -> int | None:
        return self.rating.days_without_update

    @property
    def stale(self) -> bool:
        return self.rating.stale


@dataclass(frozen=True)
class Timescale:
    """When a review is expected to be completed: the board's months after its decision, or the extension."""

    decision: dt.date | None
    expected: dt.date | None  # the decision plus the board's expected months
    extended_to: dt.date | None
    reason: str | None
    completed: bool  # the review has reached a stage at which it is done (published or later)
    today: dt.date

    @property
    def due(self) -> dt.date | None:
        return self.extended_to or self.expected

    @property
    def days_past(self) -> int:
        """Days past the expected (or extended) completion of a review not yet completed; else 0."""
        return max((self.today - self.due).days, 0) if self.due and not self.completed else 0


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day where it is shorter: 31 August + 6 = 28 February)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


@dataclass(frozen=True)
class ReviewFigures:
    review: Review
    stage: Stage
    days_since_referral: int | None
    imrs: list[ImrRow]
    actions: list[ActionRow]
    timescale: Timescale
    stage_changes: list[tuple[Stage, dt.date]]  # each dated stage of review.yml's stage_dates, oldest first

    @property
    def returned(self) -> int:
        return sum(r.returned for r in self.imrs)

    @property
    def late(self) -> list[ImrRow]:
        return [r for r in self.imrs if r.late]

    @property
    def by_status(self) -> Counter[str]:
        return Counter(a.status for a in self.actions)

    @property
    def by_rag(self) -> Counter[str]:
        return Counter(a.rag for a in self.actions)

    @property
    def overdue(self) -> list[ActionRow]:
        return [a for a in self.actions if a.overdue]


@dataclass(frozen=True)
class AgencyFigures:
    id: str
    name: str
    imrs: list[ImrRow]
    actions: list[ActionRow]

    @property
    def by_status(self) -> Counter[str]:
        return Counter(a.status for a in self.actions)


@dataclass(frozen=True)
class Figures:
    """Everything the site shows, for one repository on one day."""

    board_name: str
    today: dt.date
    template: Template
    board: Board
    stages: list[Stage]
    reviews: list[ReviewFigures]
    agencies: list[AgencyFigures]

    @property
    def stale_days(self) -> int:
        return self.board.stale_update_days

    @cached_property
    def actions(self) -> list[ActionRow]:
        """Every action, overdue first (most overdue at the top), then by review and agency."""
        rows = [a for r in self.reviews for a in r.actions]
        return sorted(rows, key=lambda a: -a.days_overdue)

    @cached_property
    def statuses(self) -> list[str]:
        return status_order(self.template, Counter(a.status for a in self.actions))


def figures(repo: Repository, today: dt.date, history: History) -> Figures:
    known_stages = stages(repo.template)
    board = repo.board or Board.defaults()
    redact = Restricted.of_repository(repo).redact
    reviews = [_review(repo, shown(review, lambda _at, text: redact(text)), today, history, known_stages,
                       board, redact)
               for review in repo.reviews]
    board_name = board.name or "Safeguarding Adults Board"
    return Figures(board_name, today, repo.template, board, list(known_stages.values()), reviews, _agencies(reviews))


def _review(
    repo: Repository, review: Review, today: dt.date, history: History, known: dict[str, Stage], board: Board,
    redact: Redact,
) -> ReviewFigures:
    imrs = [_imr_row(repo.template, review, agency_id, name, due, today, history)
            for agency_id, name, due in _requested(review)]
    actions = [
        _action_row(repo.template, review, row, action, today, history, board, redact)
        for row in imrs if row.imr is not None
        for action in row.imr.actions
    ]
    stage = known.get(review.stage or "") or Stage(review.stage or "", stage_label(review.stage), "")
    referral = review.referral.date if review.referral else None
    order = list(known)
    done_from = next((i for i, s in enumerate(repo.template.stages) if s.completes), len(order))
    extension = review.extension
    timescale = Timescale(
        decision=review.decision_date,
        expected=add_months(review.decision_date, board.expected_months) if review.decision_date else None,
        extended_to=extension.to if extension else None,
        reason=extension.reason if extension else None,
        completed=review.completed is not None or (stage.id in order and order.index(stage.id) >= done_from),
        today=today,
    )
    changes = sorted(((known.get(s) or Stage(s, stage_label(s), ""), d) for s, d in review.stage_dates.items()),
                     key=lambda c: (c[1], order.index(c[0].id) if c[0].id in order else len(order)))
    return ReviewFigures(review, stage, (today - referral).days if referral else None, imrs, actions, timescale,
                         changes)


def _requested(review: Review) -> list[tuple[str, str, dt.date | None]]:
    """The agencies listed in review.yml, then any IMR folder the list lacks (check reports those)."""
    listed = [(a.id, a.name or a.id, a.imr_due) for a in review.agencies if a.id]
    ids = {a for a, _, _ in listed}
    return listed + [(folder, folder, None) for folder in review.imrs if folder not in ids]


def _imr_row(
    template: Template, review: Review, agency_id: str, name: str, due: dt.date | None, today: dt.date, history: History
) -> ImrRow:
    imr = review.imrs.get(agency_id)
    if imr is None or not imr.readable:
        status = "not started" if imr is None else "files cannot be read"
        return ImrRow(review, agency_id, name, due, None, status, False, _days_after(due, today), None,
                      None, history.updated(review.id, agency_id))
    returned = imr.sent
    late = _days_after(due, imr.submitted) if returned else _days_after(due, today)
    return ImrRow(review, agency_id, name, due, imr, imr.status or "no status", returned, late,
                  progress(imr, review, template), _last_update(imr), history.updated(review.id, agency_id))


def _last_update(imr: Imr) -> dt.date | None:
    """The newest date the IMR's own data gives: its submission, a signature, an action's update or completion."""
    days = [imr.submitted, *(p.date for p in (imr.author, imr.approved_by) if p)]
    days += [d for a in imr.actions for d in (a.date_completed, *(u.date for u in a.updates))]
    return max((d for d in days if d), default=None)


def _days_after(due: dt.date | None, day: dt.date | None) -> int:
    return max((day - due).days, 0) if due and day else 0


def _action_row(
    template: Template, review: Review, row: ImrRow, action: Action, today: dt.date, history: History, board: Board,
    redact: Redact,
) -> ActionRow:
    status = action.status or template.action_plan.not_logged
    completed = template.action_plan.completed
    submitted = row.imr.submitted if row.imr else None
    changes = history.changes(review.id, row.agency_id, action.no)
    finished = [c.when for c in changes if c.new == completed]
    return ActionRow(
        review=review,
        agency_id=row.agency_id,
        agency_name=row.agency_name,
        action=action,
        status=status,
        rating=rate(action, today, completed, board, submitted),
        # Statuses from the history were written by authors too, in earlier commits.
        history=[replace(c, old=c.old and redact(c.old), new=c.new and redact(c.new)) for c in changes],
        added=_added(action, changes, submitted, today),
        completed_on=(action.date_completed or (finished[-1] if finished else today)) if action.status == completed
        else None,
    )


def _added(action: Action, changes: list[StatusChange], submitted: dt.date | None, today: dt.date) -> dt.date:
    """When an action came into the plan: the day the board's copy first recorded it, else its first
    update, else its IMR's submission, else today (it is counted from now on, never guessed earlier)."""
    days = [d for d in (changes[0].date if changes else None, *(u.date for u in action.updates), submitted) if d]
    return min(days, default=today)


def _agencies(reviews: list[ReviewFigures]) -> list[AgencyFigures]:
    """Agencies across reviews, by id; an agency named differently in two reviews takes the later folder's name."""
    names: dict[str, str] = {}
    imrs: dict[str, list[ImrRow]] = {}
    actions: dict[str, list[ActionRow]] = {}
    for review in reviews:
        for row in review.imrs:
            names[row.agency_id] = row.agency_name
            imrs.setdefault(row.agency_id, []).append(row)
        for action in review.actions:
            actions.setdefault(action.agency_id, []).append(action)
    return [AgencyFigures(i, names[i], imrs[i], actions.get(i, [])) for i in sorted(names, key=lambda i: names[i].lower())]
