"""What changed between two revisions, as records the panel's summary is made from.

Values are kept as they are in the model (dates as dates) so that the Markdown
summary can print them UK style and the JSON ISO style. A changed section is described
by its name, its word counts and its changed sentences (old and new); a changed field
of a record (a chronology entry's date, event or source, an action's lead officer) is
given old -> new, because a change of meaning must not read like a typo fix. The summary is the pull request's, read by those
who can read the files themselves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

State = Literal["added", "removed", "changed"]
Value = str | int | dt.date | list[str] | None  # a list: the ids of a field that takes several (lessons)


@dataclass
class Change:
    """One field that changed: what it is called in the template, its key in the data
    (e.g. `target_date`, `author.job_title`), and old -> new."""

    field: str
    key: str
    old: Value
    new: Value


@dataclass
class Sentence:
    """A sentence removed (no `new`), added (no `old`) or rewritten (both)."""

    old: str | None
    new: str | None


@dataclass
class WordChange:
    """A piece of text that changed, told by how many words were added, removed and moved, and
    by the sentences that changed (`sarflow.changes.sentences`)."""

    name: str
    title: str
    state: State
    added: int
    removed: int
    moved: int = 0
    sentences: list[Sentence] = field(default_factory=list)


@dataclass
class EntryRef:
    """A chronology entry as the panel finds it: its date, time and source."""

    date: dt.date | None
    shown_date: str
    time: str | None
    source: str | None


@dataclass
class EntryChange:
    """An entry in both revisions whose columns differ: `fields` names them, `changes` gives each
    old -> new (a date as the outputs print it, so a corrected date shows both), `was` is the
    entry as it was found before (its old date, time and source)."""

    entry: EntryRef
    fields: list[str]
    changes: list[Change] = field(default_factory=list)
    was: EntryRef | None = None


@dataclass
class Chronology:
    added: list[EntryRef] = field(default_factory=list)
    removed: list[EntryRef] = field(default_factory=list)
    changed: list[EntryChange] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass
class ActionRef:
    """An action added or removed: its number and the headline of its recommendation."""

    no: int | None
    recommendation: str
    status: str | None
    target_date: dt.date | None
    lead_officer: str | None


@dataclass
class ActionChange:
    """An action in both revisions. `was` is its number before, when it was renumbered;
    `changes` are the fields the board follows (old -> new); `fields` names the other
    columns whose text changed; `updates` are the dates of new progress updates, and
    `updates_edited` says that an earlier update was edited or removed; `flags` what the panel
    should question."""

    no: int | None
    was: int | None = None
    changes: list[Change] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    updates: list[dt.date | None] = field(default_factory=list)
    updates_edited: bool = False
    recommendation: str = ""  # the first words of its recommendation, to name it by
    flags: list[str] = field(default_factory=list)  # what the panel should question (a target date moved later unexplained)

    def __bool__(self) -> bool:
        return bool(self.was is not None or self.changes or self.fields or self.updates or self.updates_edited)


@dataclass
class Actions:
    added: list[ActionRef] = field(default_factory=list)
    removed: list[ActionRef] = field(default_factory=list)
    changed: list[ActionChange] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass
class QualityChange:
    """A quality-assurance criterion whose answer or comment changed; `flags` say where check's
    findings contradict the new answer (`sarflow.changes.contradictions`)."""

    criterion: str
    text: str
    answer: Change | None
    comment_changed: bool
    flags: list[str] = field(default_factory=list)  # check's own findings that contradict the answer


@dataclass
class ImrChanges:
    """Everything that changed in one agency's IMR."""

    review_id: str
    agency_id: str
    agency: str
    state: State
    status: Change | None = None
    sections: list[WordChange] = field(default_factory=list)
    answers: list[WordChange] = field(default_factory=list)
    chronology: Chronology = field(default_factory=Chronology)
    actions: Actions = field(default_factory=Actions)
    quality_assurance: list[QualityChange] = field(default_factory=list)
    sign_off: list[Change] = field(default_factory=list)
    other: list[str] = field(default_factory=list)
    # Files that could not be read, or that sarflow does not read: the summary may be incomplete.
    unreadable: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.state != "changed" or any(
            (self.status, self.sections, self.answers, self.chronology, self.actions,
             self.quality_assurance, self.sign_off, self.other, self.unreadable)
        )


@dataclass
class ReviewChanges:
    """One review: changes to review.yml, then to each IMR."""

    review_id: str
    reference: str
    state: State
    review: list[Change] = field(default_factory=list)
    text: list[WordChange] = field(default_factory=list)
    imrs: list[ImrChanges] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.state != "changed" or bool(self.review or self.text or self.imrs or self.unreadable)


@dataclass
class FileChange:
    """A file outside reviews/ added, removed or changed: its path, as git names it under the repository."""

    path: str
    state: State


@dataclass
class DocumentChange:
    """An IMR whose Word report differs although its own files did not make all of the
    difference: `causes` names what did (a file outside reviews/, the board's or the review's
    settings, and "its own files" when they changed too). `status` is the IMR's before."""

    review_id: str
    reference: str  # the review's reference (SAR12)
    agency_id: str
    agency: str
    status: str | None
    causes: list[str]


@dataclass
class SignedOff:
    """A submitted or approved IMR that the change alters: its sign-off no longer covers it.
    `status` and `approved` (the approver's date, if given) are as they were before."""

    review_id: str
    reference: str
    agency_id: str
    agency: str
    status: str
    approved: dt.date | None
    why: str  # what changed it: its own files, or the causes of its document's change


@dataclass
class Summary:
    """Everything the panel's summary reports, in the order it reports it."""

    reviews: list[ReviewChanges]
    outside: list[FileChange] = field(default_factory=list)
    documents: list[DocumentChange] = field(default_factory=list)
    signed_off: list[SignedOff] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # how a side had to be read
