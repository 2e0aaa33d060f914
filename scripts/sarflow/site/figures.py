"""The figures the board reads, computed from the model (and git history) once per build.

Every number on the site comes from here, so that the pages only lay figures out and
the tests can check them against the data. Only status-tier fields are read: stages,
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
from sarflow.restricted import Restricted
from sarflow.restricted.tiers import shown
from sarflow.template import Template

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
    analysis = imr.sections.get("analysis")
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
    last_updated: dt.date | None

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
    rag: str
    days_overdue: int
    latest: Update | None
    days_without_update: int | None
    stale: bool
    history: list[StatusChange]

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0


@dataclass(frozen=True)
class ReviewFigures:
    review: Review
    stage: Stage
    days_since_referral: int | None
    imrs: list[ImrRow]
    actions: list[ActionRow]

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
    stale_days: int
    stages: list[Stage]
    reviews: list[ReviewFigures]
    agencies: list[AgencyFigures]

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
    stale_days = repo.board.stale_update_days if repo.board else Board.stale_update_days
    redact = Restricted.of_repository(repo).redact
    reviews = [_review(repo, shown(review, lambda _at, text: redact(text)), today, history, known_stages,
                       stale_days, redact)
               for review in repo.reviews]
    board_name = (repo.board.name if repo.board else None) or "Safeguarding Adults Board"
    return Figures(board_name, today, repo.template, stale_days, list(known_stages.values()), reviews, _agencies(reviews))


def _review(
    repo: Repository, review: Review, today: dt.date, history: History, known: dict[str, Stage], stale_days: int,
    redact: Redact,
) -> ReviewFigures:
    imrs = [_imr_row(repo.template, review, agency_id, name, due, today, history)
            for agency_id, name, due in _requested(review)]
    actions = [
        _action_row(repo.template, review, row, action, today, history, stale_days, redact)
        for row in imrs if row.imr is not None
        for action in row.imr.actions
    ]
    stage = known.get(review.stage or "") or Stage(review.stage or "", stage_label(review.stage), "")
    referral = review.referral.date if review.referral else None
    return ReviewFigures(review, stage, (today - referral).days if referral else None, imrs, actions)


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
                      history.updated(review.id, agency_id))
    returned = imr.sent
    late = _days_after(due, imr.submitted) if returned else _days_after(due, today)
    return ImrRow(review, agency_id, name, due, imr, imr.status or "no status", returned, late,
                  progress(imr, review, template), history.updated(review.id, agency_id))


def _days_after(due: dt.date | None, day: dt.date | None) -> int:
    return max((day - due).days, 0) if due and day else 0


def _action_row(
    template: Template, review: Review, row: ImrRow, action: Action, today: dt.date, history: History, stale_days: int,
    redact: Redact,
) -> ActionRow:
    status = action.status or template.action_plan.not_logged
    completed = template.action_plan.completed
    done = action.status == completed
    overdue = action.days_overdue(today, completed)
    latest = action.latest_update()
    since = latest.date if latest and latest.date else (row.imr.submitted if row.imr else None)
    quiet = (today - since).days if since else None
    return ActionRow(
        review=review,
        agency_id=row.agency_id,
        agency_name=row.agency_name,
        action=action,
        status=status,
        rag=action.rag(today, completed),
        days_overdue=overdue,
        latest=latest,
        days_without_update=quiet,
        stale=not done and quiet is not None and quiet > stale_days,
        # Statuses from the history were written by authors too, in earlier commits.
        history=[replace(c, old=c.old and redact(c.old), new=c.new and redact(c.new)) for c in history.changes(review.id, row.agency_id, action.no)],
    )


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
