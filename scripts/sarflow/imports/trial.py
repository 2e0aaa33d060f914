"""The import tried first, in memory: the workbook applied to the model, and the whole check run on it.

`sarflow import` writes actions.yml (or chronology.yml) only when the review gains no
error from it: the new text is read as sarflow reads any file, put in place of the
IMR's actions (or chronology) in the loaded repository, and every rule of `sarflow
check` runs on the review before and after (`gained`). What the change would add is reported against the workbook: each finding in
actions.yml is traced back, through the path of the value it is about, to the action
and the field, and so to the cell the agency typed it in (`Actions!G5`, with the
action's number). A finding elsewhere (a board action in recommendations.yml that
links a renumbered action) is shown as check shows it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sarflow.check import check
from sarflow.dates import uk
from sarflow.findings import Finding, Severity, Span
from sarflow.imports.changes import ACTIONS_FILE, ImportPlan
from sarflow.imports.entries import CHRONOLOGY_FILE, EntryPlan, values
from sarflow.imports.workbook import Problem, ReturnedPlan
from sarflow.load import records
from sarflow.load.yamlfile import YamlDocument
from sarflow.model import ChronologyEntry, Imr, Repository
from sarflow.template import ActionPlanLayout, Template

_NAMED_KEY = re.compile(r"`(\w+):")  # a hint that says "add `date_completed:` ..." names that field


@dataclass(frozen=True)
class Place:
    """What a finding in a data file is about: the item of its list (an action or an entry, by index), a field, an update."""

    action: int | None
    key: str | None = None
    update: int | None = None


@dataclass
class Trial:
    """What the change would bring: new errors (the import is refused) and new warnings."""

    errors: list[Problem]
    warnings: list[Problem]

    @classmethod
    def of(cls, found: list[Problem]) -> Trial:
        return cls([p for p in found if p.severity is Severity.ERROR], [p for p in found if p.severity is Severity.WARNING])


def cleared(plan: ImportPlan, returned: ReturnedPlan, book: str, imr: Imr, layout: ActionPlanLayout) -> list[Problem]:
    """Values the workbook empties on a submitted or approved IMR: refused unless --allow-clearing."""
    if not imr.sent:
        return []
    rows = {r.no: r for r in returned.actions}
    problems = []
    for no, change in plan.cleared:
        title = next((c.title for c in layout.workbook_columns if c.key == change.key), change.key)
        was = uk(change.old) if isinstance(change.old, dt.date) else str(change.old).strip()
        problems.append(Problem(
            f"{book}: {rows[no].cell(change.key)} (action {no})",
            f"the {title} of action {no} ({was if len(was) < 40 else was[:37] + '...'}) is empty in the workbook, "
            f"and this IMR is {imr.status}",
            "type the value back in; if it really is to be cleared, run the import again with --allow-clearing",
            "clearing-refused",
        ))
    return problems


def with_document(repo: Repository, imr: Imr, doc: YamlDocument) -> tuple[Repository, Imr]:
    """The repository with one of the IMR's data files replaced by `doc` (its model re-read from it)."""
    review = repo.review(imr.review_id)
    assert review is not None, "the IMR was loaded from this repository"
    name = doc.path.rsplit("/", 1)[-1]
    changed_imr = dataclasses.replace(
        imr,
        **_REREAD[name](doc, repo.template),
        documents={**imr.documents, name: doc},
        findings=[f for f in imr.findings if f.span.path != doc.path] + doc.findings,
    )
    changed_review = dataclasses.replace(review, imrs={**review.imrs, imr.agency_id: changed_imr})
    return dataclasses.replace(repo, reviews=[changed_review if r is review else r for r in repo.reviews]), changed_imr


# How each data file the imports change becomes the model's field again (its name and value, for
# dataclasses.replace: a list of actions or of chronology entries).
_REREAD: dict[str, Callable[[YamlDocument, Template], dict[str, Any]]] = {
    ACTIONS_FILE: lambda doc, template: {"actions": records.actions(doc, template.action_plan)},
    CHRONOLOGY_FILE: lambda doc, template: {"chronology": records.chronology(doc)},
}
Identity = Callable[[Finding, YamlDocument, Imr], tuple[object, ...]]


def gained(repo: Repository, imr: Imr, doc: YamlDocument, identity: Identity) -> tuple[Imr, list[Finding]]:
    """What check finds in the review with `doc` in place of its file that it did not find before.

    `identity(finding, document, imr)` tells the same finding before and after although
    the lines of the file have moved (by the item it is about, not its line).
    """
    review = repo.review(imr.review_id)
    assert review is not None, "the IMR was loaded from this repository"
    changed, changed_imr = with_document(repo, imr, doc)
    name = doc.path.rsplit("/", 1)[-1]
    before = [identity(f, imr.documents[name], imr) for f in check(repo, [review.folder])]
    return changed_imr, newly_found(before, check(changed, [review.folder]), lambda f: identity(f, doc, changed_imr))


def newly_found(before: list[tuple[object, ...]], after: list[Finding], same: Callable[[Finding], tuple[object, ...]]) -> list[Finding]:
    """The findings of `after` that were not found `before` (as `same` tells them: each of `before`
    answers for one finding of `after` that it tells as the same, so a second copy is new)."""
    left = Counter(before)
    new: list[Finding] = []
    for finding in after:
        if left[key := same(finding)] > 0:
            left[key] -= 1
        else:
            new.append(finding)
    return new


def as_found(finding: Finding) -> tuple[object, ...]:
    """A finding told by what it says and where: the same before and after a change that leaves its file as it was."""
    return finding.severity, finding.code, finding.span, finding.message


def rehearse(repo: Repository, imr: Imr, doc: YamlDocument, returned: ReturnedPlan, book: str) -> Trial:
    """Check the review with actions.yml replaced by `doc`; what is new is told by workbook cell."""
    changed_imr, new = gained(repo, imr, doc, _identity)
    found = [_in_workbook(finding, doc, changed_imr, returned, book) for finding in new]
    return Trial.of(found)


def _identity(finding: Finding, doc: YamlDocument, imr: Imr) -> tuple[object, ...]:
    """The same finding before and after, although the lines of actions.yml have moved."""
    if finding.span.path != doc.path:
        return as_found(finding)
    place = place_of(finding.span, doc)
    number = imr.actions[place.action].no if place.action is not None and place.action < len(imr.actions) else None
    return finding.severity, finding.code, number, place.key, place.update


def place_of(span: Span, doc: YamlDocument, items: str = "actions") -> Place:
    """The value a finding's position belongs to in the list `items`, found by the path the document keeps for it."""
    paths = [p for p, s in doc.spans.items() if s == span and p[:1] == (items,)]  # a value's own position first,
    paths = paths or [p for p, s in doc.key_spans.items() if s == span and p[:1] == (items,)]  # then its key's
    if not paths:  # not at a value: the item written on or before the finding's line
        starts = [(s.line, p) for p, s in doc.spans.items() if len(p) == 2 and p[0] == items and s.line <= span.line]
        paths = [max(starts)[1]] if starts else []
    if not paths:
        return Place(None)
    path = min(paths, key=len) if any(len(p) == 2 for p in paths) else max(paths, key=len)  # the item itself wins
    action = path[1] if len(path) > 1 and isinstance(path[1], int) else None
    key = path[2] if len(path) > 2 and isinstance(path[2], str) else None
    update = path[3] if key == "updates" and len(path) > 3 and isinstance(path[3], int) else None
    return Place(action, key, update)


def _in_workbook(finding: Finding, doc: YamlDocument, imr: Imr, returned: ReturnedPlan, book: str) -> Problem:
    """The finding as the agency can act on it: the workbook's cell, or the file, with check's words."""
    def problem(where: str, message: str = finding.message) -> Problem:
        return Problem(where, message, finding.hint, finding.code, finding.severity)

    if finding.span.path != doc.path:
        return problem(str(finding.span))
    place = place_of(finding.span, doc)
    action = imr.actions[place.action] if place.action is not None and place.action < len(imr.actions) else None
    row = next((r for r in returned.actions if action is not None and r.no == action.no), None)
    if row is None:
        return problem(str(finding.span))
    if place.update is not None and action is not None:
        update = action.updates[place.update]
        written = next((u for u in returned.updates if (u.no, u.date, u.text) == (row.no, update.date, update.text)), None)
        return problem(written.where if written else row.where, f"an update of action {row.no}: {finding.message}")
    keys = [place.key] if place.key else []
    keys += [k for k in _NAMED_KEY.findall(finding.hint or "") if k not in keys]
    cells = [cell for key in keys if (cell := row.cell(key))]
    return problem(f"{book}: " + (" or ".join(cells) if cells else f"{row.sheet}, row {row.row}") + f" (action {row.no})")


def rehearse_chronology(repo: Repository, imr: Imr, doc: YamlDocument, plan: EntryPlan, book: str) -> Trial:
    """Check the review with chronology.yml replaced by `doc`; what is new is told by workbook row."""
    changed_imr, new = gained(repo, imr, doc, _entry_identity)
    found = [_in_chronology(finding, doc, changed_imr, plan, book) for finding in new]
    return Trial.of(found)


def _entry_identity(finding: Finding, doc: YamlDocument, imr: Imr) -> tuple[object, ...]:
    """The same finding before and after: by the entry (its date and event) and field it is about."""
    if finding.span.path != doc.path:
        return as_found(finding)
    place = place_of(finding.span, doc, "entries")
    entry = _entry(imr, place)
    return finding.severity, finding.code, (entry.date, entry.event) if entry else None, place.key


def _entry(imr: Imr, place: Place) -> ChronologyEntry | None:
    return imr.chronology[place.action] if place.action is not None and place.action < len(imr.chronology) else None


def _in_chronology(finding: Finding, doc: YamlDocument, imr: Imr, plan: EntryPlan, book: str) -> Problem:
    """The finding at the workbook's row it comes from, with check's words; elsewhere as check shows it."""
    def problem(where: str) -> Problem:
        return Problem(where, finding.message, finding.hint, finding.code, finding.severity)

    if finding.span.path != doc.path:
        return problem(str(finding.span))
    place = place_of(finding.span, doc, "entries")
    entry = _entry(imr, place)
    shown = values(entry) if entry else {}
    row = next((c.row for c in plan.changes if entry and all(
        c.row.values.get(k) == shown.get(k) for k in ("date", "event") if c.row.values.get(k) is not None)), None)
    if row is None:
        return problem(str(finding.span))
    cell = row.cell(place.key or "date") or row.cell("date")
    return problem(f"{book}: {cell or f'{row.sheet}, row {row.row}'}")
