"""What a returned Action Plan changes in actions.yml, shown as a diff and then written.

Values are compared with what sarflow itself reads from actions.yml (the model), so
a workbook exported by `sarflow build` and imported unchanged changes nothing. The
file is rewritten with ruamel.yaml in round-trip mode: comments, key order, quoting
and the folded (`>-`) style of the authors' text are kept, and only the values that
changed are touched. A new key goes where the schema's order puts it; a new action
goes at the end. Fields the workbook does not carry are kept. Nothing is
ever removed: an action or update the workbook lacks is kept and listed; a value
emptied in the workbook keeps its key, empty, with its comments; an update whose text
was edited in the workbook (same action, same date) has its text changed, shown old
and new. Line endings (CRLF from Windows) are kept. The new text is read back with
sarflow's own loader and compared with what was meant (`verify`), and checked as a
whole (imports.trial) before it replaces the old file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

from sarflow import printed
from sarflow.dates import uk
from sarflow.errors import SarflowError
from sarflow.findings import Span, errors
from sarflow.imports.workbook import Problem, ReturnedPlan, ReturnedUpdate
from sarflow.load import records
from sarflow.load.yamlfile import YamlDocument
from sarflow.model import Action, Imr, Update, action_key_order
from sarflow.outputs import atomic_write
from sarflow.template import ActionPlanLayout
from sarflow.xlsx.layout import UPDATES_SHEET

ACTIONS_FILE = "actions.yml"
WIDTH = 88  # the longest line the example files use
VALUE_INDENT = 6  # an action's folded text starts here: "  - no: 1" / "    key: >-" / "      text"


@dataclass
class FieldChange:
    key: str
    old: Any
    new: Any

    @property
    def cleared(self) -> bool:
        """A value that was set, emptied in the workbook."""
        return self.new is None and self.old not in (None, "")


@dataclass
class UpdateEdit:
    """An update corrected in the workbook (its text on the same date, or its date for the same text).

    `index` is its place among its action's updates; `date` and `old` what it was,
    `new_date` and `new` what it becomes.
    """

    index: int
    date: dt.date | None
    old: str | None
    new: str
    new_date: dt.date | None = None

    @property
    def redated(self) -> bool:
        return self.new_date is not None and self.new_date != self.date


@dataclass
class ActionChange:
    """What happens to one action: its changed fields, its edited updates and its new ones."""

    no: int
    added: bool
    fields: list[FieldChange] = field(default_factory=list)  # a renumbered action changes `no` too
    edited: list[UpdateEdit] = field(default_factory=list)
    updates: list[ReturnedUpdate] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.fields or self.edited or self.updates)

    @property
    def number(self) -> int:
        """The action's number once the change is made (a renumbered action's new one)."""
        return next((f.new for f in self.fields if f.key == "no"), self.no)


@dataclass
class ImportPlan:
    changes: list[ActionChange]
    not_in_workbook: list[int]
    order: tuple[str, ...]  # the order of an action's keys (the template's table), for placing a key the file lacks
    updates_not_in_workbook: list[tuple[int, Update]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return all(c.empty for c in self.changes)

    @property
    def cleared(self) -> list[tuple[int, FieldChange]]:
        """Each value the workbook clears, with its action's number."""
        return [(c.number, f) for c in self.changes if not c.added for f in c.fields if f.cleared]


class ActionsFileError(SarflowError):
    """actions.yml cannot be changed safely (its own errors must be fixed first)."""


def plan_changes(imr: Imr, returned: ReturnedPlan, layout: ActionPlanLayout) -> tuple[ImportPlan, list[Problem]]:
    """Compare the workbook with the IMR's actions; problems are things that cannot be matched."""
    shown = imr.documents[ACTIONS_FILE].path
    order = action_key_order(layout)
    numbered = _numbered(imr, shown)
    renumbered = _renumbered(numbered, returned)
    problems: list[Problem] = []
    changes: dict[int, ActionChange] = {}
    for row in returned.actions:
        no = renumbered.get(row.no, row.no)
        current, raw = numbered.get(no, (None, {}))
        change = ActionChange(no, added=current is None)
        if no != row.no:
            change.fields.append(FieldChange("no", no, row.no))
        for key in returned.columns:
            new = row.values.get(key)
            if key != "no" and new != (returned_form(current.value(key)) if current else None):
                change.fields.append(FieldChange(key, raw.get(key), new))
        change.fields.sort(key=lambda edit: order.index(edit.key))
        changes[row.no] = change
    by_action: dict[int, list[ReturnedUpdate]] = {}
    now = {old: new for new, old in renumbered.items()}
    for update in returned.updates:
        if update.no in now and update.no not in changes:  # the Updates sheet still gives the old number
            update = dataclasses.replace(update, no=now[update.no])
        if update.no in returned.numbers and update.no not in changes:
            continue  # its row has a problem of its own, reported already
        if update.no not in changes and update.no not in numbered:
            problems.append(
                Problem(update.where, f"the update is for action {update.no}, which is in neither the workbook nor {shown}",
                        "correct the action number in the No column")
            )
            continue
        by_action.setdefault(update.no, []).append(update)
    in_workbook = {row.no for row in returned.actions}
    plan = ImportPlan(list(changes.values()), [no for no in numbered if no not in in_workbook and no not in now], order)
    for shown_no in dict.fromkeys([*by_action, *(now.get(no, no) for no in numbered)]):
        no = renumbered.get(shown_no, shown_no)
        updates = numbered[no][0].updates if no in numbered else []
        change = changes.get(shown_no) or ActionChange(no, added=False)
        kept = _match_updates(updates, by_action.get(shown_no, []), change)
        if not change.empty and shown_no not in changes:
            plan.changes.append(change)
        if returned.updates_read and shown_no in in_workbook:
            plan.updates_not_in_workbook += [(shown_no, updates[i]) for i in kept]
    return plan, problems


def _renumbered(numbered: dict[int, tuple[Action, dict[str, Any]]], returned: ReturnedPlan) -> dict[int, int]:
    """New number -> old, for a row whose number is new while an action missing from the workbook has its text.

    Matched on the recommendation (the action's own words), and only when exactly one
    missing action has it: a renumbered action is a change of the action that exists,
    never a second copy of it.
    """
    in_workbook = {row.no for row in returned.actions}
    missing = {no: " ".join((a.recommendation or "").split()) for no, (a, _) in numbered.items() if no not in in_workbook}
    found: dict[int, int] = {}
    for row in returned.actions:
        text = " ".join(str(row.values.get("recommendation") or "").split())
        same = [no for no, words in missing.items() if text and words == text]
        if row.no not in numbered and len(same) == 1:
            found[row.no] = same[0]
            del missing[same[0]]
    return found


def _match_updates(current: list[Update], returned: list[ReturnedUpdate], change: ActionChange) -> list[int]:
    """Record in `change` the workbook's new and edited updates; return the indexes of those it lacks.

    An update is the same when its date and text are. An update that the workbook no
    longer holds as it was, and that it holds with the same text on another date, had
    its date corrected; one it holds with a new text on the same date had its text
    corrected (paired in order when a date has several). Anything else is a new update,
    and the old one is kept. Nothing is ever removed.
    """
    unmatched = list(range(len(current)))
    written = {(u.date, u.text) for u in current}
    fresh: list[ReturnedUpdate] = []
    for update in returned:
        same = next((i for i in unmatched if (current[i].date, current[i].text) == (update.date, update.text)), None)
        if same is not None:
            unmatched.remove(same)
        elif (update.date, update.text) not in written | {(u.date, u.text) for u in fresh}:
            fresh.append(update)
    for update in fresh:
        same_text = next((i for i in unmatched if current[i].text == update.text), None)
        same_day = next((i for i in unmatched if current[i].date == update.date), None)
        if same_text is not None:  # the date was corrected
            unmatched.remove(same_text)
            change.edited.append(UpdateEdit(same_text, current[same_text].date, update.text, update.text, update.date))
        elif same_day is not None:  # the text was corrected
            unmatched.remove(same_day)
            change.edited.append(UpdateEdit(same_day, update.date, current[same_day].text, update.text))
        else:
            change.updates.append(update)
    return unmatched


def _numbered(imr: Imr, shown: str) -> dict[int, tuple[Action, dict[str, Any]]]:
    """Each action by number, with its values as written; refuses numbers that cannot be matched."""
    doc = imr.documents[ACTIONS_FILE]
    broken = [f for f in errors(imr.findings) if f.span.path == shown]
    if broken:
        raise ActionsFileError(f"{broken[0]}\nfix {shown} first: it cannot be changed safely while it has errors")
    raw = doc.data.get("actions") if isinstance(doc.data, dict) else None
    raw = [] if raw is None else raw  # `actions:` with only the scaffold's commented example under it: none yet
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        raise ActionsFileError(f"{Span(shown)}: the file must hold `actions:` followed by a list of actions; fix it first")
    numbered: dict[int, tuple[Action, dict[str, Any]]] = {}
    for action, written in zip(imr.actions, raw, strict=True):
        if action.no is None:
            raise ActionsFileError(f"{action.at}: this action has no number (`no:`); give it one first")
        if action.no in numbered:
            raise ActionsFileError(f"{action.span('no')}: the action number {action.no} is used twice; fix it first")
        numbered[action.no] = (action, written)
    return numbered


def render(plan: ImportPlan, shown: str) -> str:
    """The changes as the panel reads them: per action, field old -> new; actions added."""
    lines: list[str] = []
    for change in plan.changes:
        if change.empty:
            continue
        now = f" (renumbered {change.number})" if change.number != change.no else ""
        lines.append(f"  action {change.no}{' (new)' if change.added else now}:")
        for item in change.fields:
            name = item.key.replace("_", " ")
            if change.added:
                lines.append(f"    {name}: {_shown(item.new)}")
            else:
                lines.extend(_old_new(name, item.old, item.new))
        for edit in change.edited:
            if edit.redated and edit.new_date is not None:
                lines.append(f"    update of {uk(edit.date)}: its date corrected to {uk(edit.new_date)}")
            else:
                lines.extend(_old_new(f"update of {uk(edit.date)}", edit.old, edit.new))
        for update in change.updates:
            lines.append(f"    update added, {uk(update.date)}: {update.text}")
    lines.extend(not_in_workbook(plan))
    return "\n".join(printed.line(text) for text in lines)


def not_in_workbook(plan: ImportPlan) -> list[str]:
    """What actions.yml holds and the workbook does not: kept, and said so."""
    lines = [
        f"  action {no} is in actions.yml but not in the workbook: kept as it is "
        "(an import never removes anything; to withdraw an action, edit actions.yml)"
        for no in plan.not_in_workbook
    ]
    lines += [
        f"  action {no}: the update of {uk(update.date)} is not in the workbook's {UPDATES_SHEET} sheet: kept as it is"
        for no, update in plan.updates_not_in_workbook
    ]
    return lines


def _old_new(name: str, old: Any, new: Any) -> list[str]:
    """What happens to one value, in words: set, changed (old -> new) or cleared."""
    old, new = _shown(old), _shown(new)
    if not new:
        return [f"    {name}: cleared (it was {old})"] if len(old) < 60 and "\n" not in old else [
            f"    {name}: cleared; it was:", *(f"      - {line}" for line in old.split("\n"))]
    if not old:
        return [f"    {name}: set to {new}"] if len(new) < 60 and "\n" not in new else [
            f"    {name}: set to:", *(f"      + {line}" for line in new.split("\n"))]
    if len(old) + len(new) < 60 and "\n" not in old + new:
        return [f"    {name}: {old} -> {new}"]
    return [f"    {name}:", *(f"      - {line}" for line in old.split("\n")), *(f"      + {line}" for line in new.split("\n"))]


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dt.date):
        return uk(value)
    return str(value).strip()


def new_text(raw: bytes, plan: ImportPlan) -> str:
    """actions.yml (as `raw` bytes) with `plan` applied, keeping everything else as written."""
    rt = round_trip()
    data = rt.load(raw.decode("utf-8"))
    if not isinstance(data.get("actions"), CommentedSeq):  # `actions:` with nothing (but comments) under it
        data["actions"] = CommentedSeq()
    actions: CommentedSeq = data["actions"]
    by_no = {int(item[_key(item, "no")]): item for item in actions}
    no_key = _key(actions[0], "no") if actions else "no"
    for change in plan.changes:
        if change.added:
            actions.append(_new_action(no_key, change, plan.order))
            continue
        item = by_no[change.no]
        for edit in change.fields:
            key = _key(item, edit.key)
            if key in item:
                item[key] = in_style(edit.new, item[key])
            elif edit.new is not None:
                item.insert(_position(item, edit.key, plan.order), edit.key, in_style(edit.new, None))
        for corrected in change.edited:
            update = [u for u in item[_key(item, "updates")] if isinstance(u, dict)][corrected.index]
            if corrected.redated:
                update[_key(update, "date")] = corrected.new_date
            else:
                key = _key(update, "text")
                update[key] = in_style(corrected.new, update.get(key), indent=VALUE_INDENT + 4)
        if change.updates:
            if "updates" not in item or not isinstance(item["updates"], list):
                item.insert(_position(item, "updates", plan.order), "updates", CommentedSeq())
            item["updates"].extend(_update(u) for u in change.updates)
    out = io.StringIO()
    rt.dump(data, out)
    return out.getvalue()


def round_trip() -> YAML:
    """ruamel.yaml set to rewrite an author's file keeping its quotes, comments and layout."""
    rt = YAML()
    rt.preserve_quotes = True
    rt.indent(mapping=2, sequence=4, offset=2)
    rt.width = 4096  # never re-wrap the authors' text
    return rt


def write(path: Path, raw: bytes, text: str) -> None:
    """Replace a data file such as actions.yml (whose bytes were `raw`) with `text`, atomically; Windows line endings are kept."""
    newline = "\r\n" if b"\r\n" in raw else "\n"

    def written(temporary: Path) -> None:
        with temporary.open("w", encoding="utf-8", newline=newline) as handle:
            handle.write(text)

    atomic_write(path, written)


def _key(item: dict[Any, Any], name: str) -> Any:
    """The key as the file spells it (`no` or `"no"`), or `name` if the action lacks it."""
    return next((k for k in item if str(k) == name), name)


def _position(item: CommentedMap, key: str, order: tuple[str, ...]) -> int:
    rank = order.index(key)
    before = [i for i, k in enumerate(item) if str(k) in order and order.index(str(k)) < rank]
    return before[-1] + 1 if before else 0


def _new_action(no_key: Any, change: ActionChange, order: tuple[str, ...]) -> CommentedMap:
    values = {edit.key: edit.new for edit in change.fields if edit.new is not None}
    item = CommentedMap()
    item[no_key] = change.no
    for key in order:
        if key in values:
            item[key] = in_style(values[key], None)
    if change.updates:
        item["updates"] = CommentedSeq(_update(u) for u in change.updates)
    return item


def _update(update: ReturnedUpdate) -> CommentedMap:
    item = CommentedMap()
    item["date"] = update.date
    item["text"] = in_style(update.text, None, indent=VALUE_INDENT + 4)
    return item


def returned_form(value: Any) -> Any:
    """A value of the model as the workbook gives it back: a list of ids as the one id, or as a list of them."""
    if isinstance(value, tuple):
        texts = [str(item) for item in value]
        return texts[0] if len(texts) == 1 else texts or None
    return value


def in_style(value: Any, old: Any, indent: int = VALUE_INDENT) -> Any:
    """The new value in the style of the old one (None: a new value); long text folded as the authors fold it.

    A list of ids is written on one line, `[L1, L3]`, as authors write it.
    """
    if isinstance(value, list):
        listed = CommentedSeq(value)
        listed.fa.set_flow_style()
        return listed
    if not isinstance(value, str):
        return value
    if "\n" in value:
        return LiteralScalarString(value)
    if isinstance(old, FoldedScalarString) or indent + len(value) > WIDTH:
        folded = FoldedScalarString(value)
        folded.fold_pos = _folds(value, WIDTH - indent)
        if _foldable(value):
            return folded
    if isinstance(old, SingleQuotedScalarString) and "'" not in value:
        return SingleQuotedScalarString(value)
    if isinstance(old, DoubleQuotedScalarString) or not _plain_is_text(value):
        return DoubleQuotedScalarString(value)
    return value


def _foldable(value: str) -> bool:
    """Folded style holds the text exactly only without leading, trailing or repeated spaces."""
    return value == value.strip() and "  " not in value and "\t" not in value and value.isprintable()


def _folds(value: str, width: int) -> list[int]:
    """Where to break a folded line: at single spaces, each line at most `width` long."""
    spaces = [i for i, char in enumerate(value) if char == " "]
    folds, line_start = [], 0
    for j, space in enumerate(spaces):
        word_end = spaces[j + 1] if j + 1 < len(spaces) else len(value)
        if word_end - line_start > width:
            folds.append(space)
            line_start = space + 1
    return folds


def _plain_is_text(value: str) -> bool:
    """Whether sarflow's loader (YAML 1.1) reads `value` written plainly back as the same text."""
    try:
        return pyyaml.safe_load(f"k: {value}") == {"k": value}
    except pyyaml.YAMLError:
        return False


def verify(doc: YamlDocument, plan: ImportPlan, layout: ActionPlanLayout) -> None:
    """Check that the new file, read as sarflow reads it, says what the workbook says."""
    if doc.findings:
        raise ActionsFileError(f"the new {doc.path} would not read cleanly ({doc.findings[0]}); nothing was written")
    actions = {a.no: a for a in records.actions(doc, layout)}
    for change in plan.changes:
        action = actions.get(change.number)
        wrong = action is None or any(returned_form(action.value(e.key)) != e.new for e in change.fields)
        wrong = wrong or action is None or any(
            (action.updates[e.index].date, action.updates[e.index].text) != (e.new_date or e.date, e.new) for e in change.edited
        )
        if wrong or action is None or not all(any(u.date == x.date and u.text == x.text for x in action.updates) for u in change.updates):
            raise ActionsFileError(f"the new {doc.path} would not read back as the workbook says (action {change.no}); nothing was written")
