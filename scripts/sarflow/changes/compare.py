"""Comparing two loaded repositories into the list of changes the panel reads.

Records are matched the way the panel thinks of them: an IMR by its review and
agency, a chronology entry by its date, time and source, an action by its number, a
quality-assurance answer by its criterion. Titles come from the template, so the
summary names each field as the Word document and the workbook do.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict, deque
from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

from sarflow.changes.model import (
    ActionChange,
    ActionRef,
    Actions,
    Change,
    Chronology,
    EntryChange,
    EntryRef,
    ImrChanges,
    QualityChange,
    ReviewChanges,
    State,
    Value,
    WordChange,
)
from sarflow.changes.sentences import changed_sentences
from sarflow.changes.words import counted, headline
from sarflow.dates import entry_date
from sarflow.findings import errors
from sarflow.model import Action, ChronologyEntry, Imr, Repository, Review, Section, listed
from sarflow.template import Template

T = TypeVar("T")


def compare(base: Repository | None, head: Repository | None) -> list[ReviewChanges]:
    """Every review that differs between `base` and `head` (None: no reviews/ at all)."""
    either = head or base
    template = either.template if either else None
    if template is None:
        return []
    before = {r.id: r for r in base.reviews} if base else {}
    after = {r.id: r for r in head.reviews} if head else {}
    found = [_review(before.get(i), after.get(i), template) for i in sorted(before.keys() | after.keys())]
    return [r for r in found if r]


def _state(old: object, new: object) -> State:
    return "added" if old is None else "removed" if new is None else "changed"


def _review(old: Review | None, new: Review | None, template: Template) -> ReviewChanges:
    either = new or old
    assert either is not None
    reference = (new and new.reference) or (old and old.reference) or either.id
    changes = ReviewChanges(either.id, reference, _state(old, new))
    if old and new:
        changes.unreadable = [
            f"{path} could not be read {when} the change, so its changes are not listed"
            for path, when in _unreadable_review(old, new)
        ]
        if not changes.unreadable:
            changes.review = _review_fields(old, new)
            changes.text = _review_text(old, new)
    names = {a.id: a.name for r in (old, new) if r for a in r.agencies if a.id and a.name}
    either = new or old
    assert either is not None, "a review compared is in one revision at least"
    order = [a.id for a in either.agencies if a.id]
    before, after = (old.imrs if old else {}), (new.imrs if new else {})
    ids = sorted(before.keys() | after.keys(), key=lambda i: (order.index(i) if i in order else len(order), i))
    for agency_id in ids:
        imr = imr_changes(before.get(agency_id), after.get(agency_id), template, names.get(agency_id) or agency_id)
        if imr:
            changes.imrs.append(imr)
    return changes


def _unreadable_review(old: Review, new: Review) -> list[tuple[str, str]]:
    """review.yml when it could not be read on either side: its fields would look removed or added."""
    before, after = (r.document is None or r.document.data is None for r in (old, new))
    when = "before or after" if before and after else "before" if before else "after" if after else None
    return [(new.document.path if new.document else f"reviews/{new.id}/review.yml", when)] if when else []


def _review_fields(old: Review, new: Review) -> list[Change]:
    changes = [
        Change("Reference", "reference", old.reference, new.reference),
        Change("Basis", "basis", old.basis, new.basis),
        Change("Stage", "stage", old.stage, new.stage),
        Change("Referral date", "referral.date", old.referral.date if old.referral else None, new.referral.date if new.referral else None),
        Change("Referral source", "referral.source", old.referral.source if old.referral else None, new.referral.source if new.referral else None),
        Change("Period under review from", "period.from", old.period.start if old.period else None, new.period.start if new.period else None),
        Change("Period under review to", "period.to", old.period.end if old.period else None, new.period.end if new.period else None),
    ]
    before = {a.id: a for a in old.agencies if a.id}
    after = {a.id: a for a in new.agencies if a.id}
    for agency_id in [*after, *(i for i in before if i not in after)]:
        a, b = before.get(agency_id), after.get(agency_id)
        if a is None or b is None or a.name != b.name:
            changes.append(Change(f"Agency {agency_id}", f"agencies.{agency_id}.name", a.name if a else None, b.name if b else None))
        if b is not None and (a and a.imr_due) != b.imr_due:
            changes.append(Change(f"IMR due from {b.name or agency_id}", f"agencies.{agency_id}.imr_due", a.imr_due if a else None, b.imr_due))
    return [c for c in changes if c.old != c.new]


def _review_text(old: Review, new: Review) -> list[WordChange]:
    pairs: list[tuple[str, str, str | None, str | None, bool, bool]] = [
        ("subject", "Subject of the review", _subject(old), _subject(new), True, True),
        ("scope", "Terms of reference: scope", old.terms_of_reference.scope, new.terms_of_reference.scope, True, True),
        ("referral", "Referral summary", old.referral.summary if old.referral else None, new.referral.summary if new.referral else None, True, True),
    ]
    before = {q.id: q.text for q in old.terms_of_reference.questions if q.id}
    after = {q.id: q.text for q in new.terms_of_reference.questions if q.id}
    for qid in [*after, *(i for i in before if i not in after)]:
        pairs.append((qid, f"Terms of reference: question {qid}", before.get(qid), after.get(qid), qid in before, qid in after))
    return [_words(*pair, quoted=pair[0] != "subject") for pair in pairs if pair[2] != pair[3]]


def _subject(review: Review) -> str | None:
    """The subject as words to count: their name and death are told by counts, never quoted."""
    s = review.subject
    return " ".join(str(v) for v in (s.name, "deceased" if s.deceased else "", s.date_of_death) if v) if s else None


def _words(name: str, title: str, old: str | None, new: str | None, had: bool = True, has: bool = True,
           quoted: bool = True) -> WordChange:
    """The word counts of a text's change, and its changed sentences unless it is not to be `quoted`."""
    added, removed, moved = counted(old, new)
    sentences = changed_sentences(old, new) if had and has and quoted else []
    return WordChange(name, title, "added" if not had else "removed" if not has else "changed", added, removed, moved, sentences)


def imr_changes(old: Imr | None, new: Imr | None, template: Template, agency: str) -> ImrChanges:
    """What changed in one IMR; `old` or `new` is None when the IMR was added or removed."""
    either = new or old
    assert either is not None
    changes = ImrChanges(either.review_id, either.agency_id, agency, _state(old, new))
    changes.unreadable = _unreadable(old, new)
    if new is None:
        return changes
    # A file that cannot be read on either side is not compared: its records would look removed or added.
    broken = {path.rsplit("/", 1)[-1] for path in _broken(old) | _broken(new)}
    if "imr.yml" not in broken:
        if (old and old.status) != new.status:
            changes.status = Change("Status", "status", old.status if old else None, new.status)
        changes.quality_assurance = _quality(old, new, template)
        changes.sign_off = _sign_off(old, new, template)
        changes.other = _glossaries(old, new, template)
    changes.sections = _sections(old, new, template, broken)
    if template.section_files.get("analysis") not in broken:
        changes.answers = _answers(old.sections.get("analysis") if old else None, new.sections.get("analysis"))
        quoted = {(s.old, s.new) for answer in changes.answers for s in answer.sentences}
        for section in changes.sections:  # a sentence of an answer is quoted under its answer, not twice
            section.sentences = [s for s in section.sentences if (s.old, s.new) not in quoted]
    if "chronology.yml" not in broken:
        changes.chronology = _chronology(old.chronology if old else [], new.chronology, template)
    if "actions.yml" not in broken:
        changes.actions = _actions(old.actions if old else [], new.actions, template)
    return changes


def _unreadable(old: Imr | None, new: Imr | None) -> list[str]:
    """Files whose changes the summary cannot tell: unreadable ones, and files new in the
    IMR's folder that sarflow does not read (a section file renamed, for instance)."""
    before, after = _broken(old), _broken(new)
    strays = [path for path in _misplaced(new) if path not in _misplaced(old)]
    notes = [f"{path} is not one of the IMR's files, so sarflow does not read it" for path in strays]
    links = _links(new)
    notes += [f"{path} is a symbolic link, which sarflow never follows, so its changes are not listed" for path in links]
    for path in sorted((before | after) - set(links)):
        when = "before or after" if path in before and path in after else "before" if path in before else "after"
        notes.append(f"{path} could not be read {when} the change, so its changes are not listed")
    return notes


def _links(imr: Imr | None) -> list[str]:
    return sorted({f.span.path for f in imr.findings if f.code == "symbolic-link"}) if imr else []


def _misplaced(imr: Imr | None) -> list[str]:
    return sorted({f.span.path for f in imr.findings if f.code == "misplaced-file"}) if imr else []


def _broken(imr: Imr | None) -> set[str]:
    if imr is None:
        return set()
    broken = {f.span.path for f in errors(imr.findings) if f.code not in ("missing-file", "empty-file", "misplaced-file")}
    paths = {d.path for d in imr.documents.values() if d.data is None and d.path in broken}
    paths |= {p for p in broken if p.endswith(".md") and not any(s.span.path == p for s in imr.sections.values())}
    return paths


def _sections(old: Imr | None, new: Imr, template: Template, broken: set[str]) -> list[WordChange]:
    found = []
    for section_id, file in template.section_files.items():
        if file in broken:
            continue
        a: Section | None = old.sections.get(section_id) if old else None
        b: Section | None = new.sections.get(section_id)
        if (a and a.text) == (b and b.text):
            continue
        section = template.section(section_id)
        title = f"{section.number} {section.title}".strip()
        found.append(_words(file, title, a.text if a else None, b.text if b else None, a is not None, b is not None))
    return found


def _answers(old: Section | None, new: Section | None) -> list[WordChange]:
    """Terms-of-reference answers: the `## Q<n>` headings of analysis.md."""

    def questions(section: Section | None) -> dict[str, tuple[str, str]]:
        found: dict[str, tuple[str, str]] = {}
        for h in section.headings if section else []:
            first = h.title.split(" ", 1)[0]
            if h.level == 2 and first[:1] == "Q" and first[1:].isdigit():
                found.setdefault(first, (h.title, h.body))
        return found

    before, after = questions(old), questions(new)
    ids = sorted(before.keys() | after.keys(), key=lambda q: int(q[1:]))
    return [
        _words(q, (after.get(q) or before[q])[0], before[q][1] if q in before else None,
               after[q][1] if q in after else None, q in before, q in after)
        for q in ids
        if before.get(q) != after.get(q)
    ]


def _match(old: Sequence[T], new: Sequence[T], keys: Sequence[Callable[[T], Hashable]]) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pair records of `old` and `new` by each key in turn (first occurrence first).

    Returns the pairs, then the positions left unpaired in `old` and in `new`.
    """
    pairs: list[tuple[int, int]] = []
    left_old, left_new = list(range(len(old))), list(range(len(new)))
    for key in keys:
        waiting: dict[Hashable, deque[int]] = defaultdict(deque)
        for i in left_old:
            if (k := key(old[i])) is not None:
                waiting[k].append(i)
        unpaired = []
        for j in left_new:
            k = key(new[j])
            if k is not None and waiting.get(k):
                pairs.append((waiting[k].popleft(), j))
            else:
                unpaired.append(j)
        paired = {i for i, _ in pairs}
        left_old, left_new = [i for i in left_old if i not in paired], unpaired
    return sorted(pairs, key=lambda p: p[1]), left_old, left_new


def _entry(e: ChronologyEntry) -> EntryRef:
    return EntryRef(e.date, entry_date(e), str(e.time) if e.time else e.as_written("time") or None, e.source)


def _entry_values(e: ChronologyEntry, key: str) -> Any:
    return (e.date, e.precision, e.approximate) if key == "date" else getattr(e, key, None)


def _chronology(old: list[ChronologyEntry], new: list[ChronologyEntry], template: Template) -> Chronology:
    columns = [(c.key, c.title) for c in template.chronology_columns]

    def whole(e: ChronologyEntry) -> Hashable:
        return tuple(_entry_values(e, k) for k, _ in columns)

    def identity(e: ChronologyEntry) -> Hashable:
        return (e.date, e.precision, e.time, e.source)

    def moved(e: ChronologyEntry) -> Hashable | None:
        return (e.source, e.event) if e.event else None

    pairs, removed, added = _match(old, new, [whole, identity, moved])
    changes = Chronology(added=[_entry(new[j]) for j in added], removed=[_entry(old[i]) for i in removed])
    for i, j in pairs:
        differ = [(key, title) for key, title in columns if _entry_values(old[i], key) != _entry_values(new[j], key)]
        if differ:
            shown = [Change(title, key, _entry_shown(old[i], key), _entry_shown(new[j], key)) for key, title in differ]
            changes.changed.append(EntryChange(_entry(new[j]), [title for _, title in differ], shown, _entry(old[i])))
    return changes


def _entry_shown(e: ChronologyEntry, key: str) -> Value:
    """A column's value as the outputs print it: a date with what is known of it, staff as a list."""
    if key == "date":
        return entry_date(e) or None
    value = getattr(e, key, None)
    if isinstance(value, tuple):
        return listed(value) or None
    return value if value is None or isinstance(value, int | str) else str(value)


def _action(a: Action) -> ActionRef:
    return ActionRef(a.no, headline(a.recommendation), a.status, a.target_date, a.lead_officer)


def _actions(old: list[Action], new: list[Action], template: Template) -> Actions:
    """Actions paired by number and recommendation, then by recommendation alone (an
    action renumbered after another was withdrawn), then by number (its wording edited).

    Each field of the template's table that is `followed` is shown old -> new; the others
    (free text, which the summary never copies) are named only.
    """
    plan = template.action_plan
    cells = [f for f in plan.written if f.key != "no" and f.kind != "updates"]
    followed = [f for f in cells if f.followed]
    named = [f for f in cells if not f.followed]
    keys: list[Callable[[Action], Hashable]] = [
        lambda a: (a.no, a.recommendation),
        lambda a: " ".join(a.recommendation.split()) if a.recommendation else None,
        lambda a: a.no,
    ]
    pairs, removed, added = _match(old, new, keys)
    changes = Actions(added=[_action(new[j]) for j in added], removed=[_action(old[i]) for i in removed])
    for i, j in pairs:
        a, b = old[i], new[j]
        change = ActionChange(b.no, was=a.no if a.no != b.no else None, recommendation=headline(b.recommendation))
        change.changes = [Change(f.title, f.key, _followed(a.value(f.key)), _followed(b.value(f.key)))
                          for f in followed if a.value(f.key) != b.value(f.key)]
        change.fields = [f.title for f in named if a.value(f.key) != b.value(f.key)]
        update_pairs, gone, came = _match(a.updates, b.updates, [lambda u: (u.date, u.text), lambda u: u.date])
        change.updates = [b.updates[n].date for n in came]
        change.updates_edited = bool(gone) or any(a.updates[m].text != b.updates[n].text for m, n in update_pairs)
        if a.target_date and b.target_date and b.target_date > a.target_date and not change.updates:
            change.flags.append(f"target date moved later by {(b.target_date - a.target_date).days} days with no progress "
                                "update to explain why")
        if change:
            changes.changed.append(change)
    return changes


def _followed(value: Any) -> Value:
    """A followed field's value as the summary shows it: the ids of a list as their texts (where they were
    written is no change)."""
    return [ref.text for ref in value] if isinstance(value, tuple) else value


def _quality(old: Imr | None, new: Imr, template: Template) -> list[QualityChange]:
    found = []
    for criterion in template.criteria:
        a = old.quality_assurance.answers.get(criterion.id) if old else None
        b = new.quality_assurance.answers.get(criterion.id)
        answer = (a.answer if a else None, b.answer if b else None)
        comment_changed = (a.comment if a else None) != (b.comment if b else None)
        if answer[0] != answer[1] or comment_changed:
            key = f"quality_assurance.{criterion.id}.answer"
            change = Change("Answer", key, *answer) if answer[0] != answer[1] else None
            found.append(QualityChange(criterion.id, criterion.text, change, comment_changed))
    return found


def _sign_off(old: Imr | None, new: Imr, template: Template) -> list[Change]:
    """Sign-off fields by their titles on the form; a title the form uses twice (each
    signatory's job title) is told apart by the signatory's own title."""

    def value(imr: Imr | None, key: str) -> Any:
        for part in key.split("."):
            imr = getattr(imr, part, None)
        return imr

    titles = {c.key: c.title.rstrip(":") for c in template.sign_off}
    repeated = {title for title in titles.values() if list(titles.values()).count(title) > 1}

    def title(key: str) -> str:
        owner = titles.get(key.rsplit(".", 1)[0] + ".name")
        return f"{titles[key]} ({owner})" if titles[key] in repeated and owner and not key.endswith(".name") else titles[key]

    keys = [(key, title(key)) for key in titles]
    approver = titles.get("approved_by.name")
    if approver:
        keys.append(("approved_by.date", f"{approver}: date"))
    return [Change(shown, key, value(old, key), value(new, key)) for key, shown in keys if value(old, key) != value(new, key)]


def _glossaries(old: Imr | None, new: Imr, template: Template) -> list[str]:
    """Family, personnel and abbreviations: told as counts, since their values are restricted."""
    found = []
    family_old = old.family if old else []
    family_pairs, gone, came = _match(family_old, new.family, [lambda m: m.name])
    changed = sum(1 for i, j in family_pairs if _values(family_old[i]) != _values(new.family[j]))
    found.append(_counts(template.section("family").title, len(came), len(gone), changed))
    people_old = old.personnel if old else []
    people_pairs, gone, came = _match(people_old, new.personnel, [lambda p: p.id])
    changed = sum(1 for i, j in people_pairs if _values(people_old[i]) != _values(new.personnel[j]))
    found.append(_counts(template.section("personnel").title, len(came), len(gone), changed))
    a, b = (old.abbreviations if old else {}), new.abbreviations
    found.append(_counts(template.section("abbreviations").title, len(b.keys() - a.keys()), len(a.keys() - b.keys()),
                         sum(1 for k in a.keys() & b.keys() if a[k] != b[k])))
    return [line for line in found if line]


def _values(record: Any) -> tuple:
    """A record's values without its position, so that moving a line is not a change."""
    return tuple(getattr(record, f.name) for f in dataclasses.fields(record) if f.name not in ("at", "spans"))


def _counts(title: str, added: int, removed: int, changed: int) -> str:
    parts = [f"{n} {word}" for n, word in ((added, "added"), (removed, "removed"), (changed, "changed")) if n]
    return f"{title}: {', '.join(parts)}" if parts else ""
