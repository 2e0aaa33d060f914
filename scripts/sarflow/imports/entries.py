"""What a chronology workbook changes in chronology.yml, shown and then written.

An entry is the same entry when its date and its event are. A row that matches no
entry exactly but has the event of exactly one entry not otherwise matched had its
date corrected; one with the date, time and source of exactly one such entry had its
text corrected; anything else is a new entry, put in date order among the others.
So a workbook imported a second time, edited or not, changes entries rather than
adding copies of them. Nothing is ever removed: an entry the workbook lacks is kept
and listed. The file is rewritten as the Action Plan import rewrites actions.yml
(imports.changes): comments, quoting and folded text are kept, and only what changed
is touched; the new text is read back with sarflow's own loader and compared with
the workbook before it is checked and written.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from sarflow import printed
from sarflow.dates import APPROXIMATE, uk
from sarflow.errors import SarflowError
from sarflow.findings import Span, errors
from sarflow.imports.changes import in_style, round_trip
from sarflow.imports.chronology import ReturnedChronology, ReturnedEntry
from sarflow.imports.workbook import Problem
from sarflow.load import records
from sarflow.load.yamlfile import YamlDocument
from sarflow.model import ChronologyEntry, Imr

CHRONOLOGY_FILE = "chronology.yml"
KEYS = ("date", "approximate", "time", "source", "event", "action", "outcome", "by")  # the file's order
VALUE_INDENT = 6  # an entry's folded text starts here: "  - date: ..." / "    event: >-" / "      text"


@dataclass
class EntryChange:
    """What happens to one entry: `index` in chronology.yml (None for a new one), its changed fields."""

    row: ReturnedEntry
    index: int | None
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # key -> (old, new)
    kept: list[str] = field(default_factory=list)  # keys whose value the workbook leaves empty: kept from the file


@dataclass
class EntryPlan:
    changes: list[EntryChange]
    not_in_workbook: list[ChronologyEntry]

    @property
    def empty(self) -> bool:
        return not any(c.index is None or c.fields for c in self.changes)


class ChronologyFileError(SarflowError):
    """chronology.yml cannot be changed safely (its own errors must be fixed first)."""


def values(entry: ChronologyEntry) -> dict[str, Any]:
    """An entry's values as the workbook's rows give them (a month as "2024-03", a year as 2024)."""
    when: Any = entry.date
    if entry.date is not None and entry.precision != "day":
        when = f"{entry.date:%Y-%m}" if entry.precision == "month" else entry.date.year
    staff = [s.text for s in entry.by]
    return {"date": when, "approximate": entry.approximate, "time": str(entry.time) if entry.time else None,
            "source": entry.source, "event": entry.event, "action": entry.action, "outcome": entry.outcome,
            "by": staff[0] if len(staff) == 1 else staff or None}


def plan_entries(imr: Imr, returned: ReturnedChronology) -> tuple[EntryPlan, list[Problem]]:
    """Match the workbook's rows with the IMR's entries; problems are rows that cannot be told apart."""
    shown = imr.documents[CHRONOLOGY_FILE].path
    broken = [f for f in errors(imr.findings) if f.span.path == shown]
    if broken:
        raise ChronologyFileError(f"{broken[0]}\nfix {shown} first: it cannot be changed safely while it has errors")
    current = [values(e) for e in imr.chronology]
    unmatched = list(range(len(current)))
    problems: list[Problem] = []
    seen: dict[tuple[Any, Any], ReturnedEntry] = {}
    found: dict[int, int] = {}  # row number -> entry index
    for row in returned.entries:
        key = (row.values.get("date"), _same(row.values.get("event")))
        if key in seen:
            problems.append(Problem(f"{row.cell('event')}", f"this entry is in the workbook twice (first in row {seen[key].row})",
                                    "delete the repeated row"))
            continue
        seen[key] = row
        exact = next((i for i in unmatched if (current[i]["date"], _same(current[i]["event"])) == key), None)
        if exact is not None:
            unmatched.remove(exact)
            found[row.row] = exact
    for row in returned.entries:
        if row.row in found or seen.get((row.values.get("date"), _same(row.values.get("event")))) is not row:
            continue
        redated = [i for i in unmatched if _same(current[i]["event"]) == _same(row.values.get("event"))]
        retold = [i for i in unmatched if all(current[i][k] == row.values.get(k) for k in ("date", "time", "source"))]
        match = redated if len(redated) == 1 else retold if len(retold) == 1 else []
        if match:
            unmatched.remove(match[0])
            found[row.row] = match[0]
    changes = []
    for row in returned.entries:
        if row.row not in found and seen.get((row.values.get("date"), _same(row.values.get("event")))) is not row:
            continue  # a repeated row, reported
        index = found.get(row.row)
        old = current[index] if index is not None else {}
        edits = {k: (old.get(k), new) for k, new in row.values.items() if new != old.get(k) and new is not None}
        kept = [k for k, new in row.values.items() if new is None and old.get(k) is not None]
        changes.append(EntryChange(row, index, edits, kept))
    return EntryPlan(changes, [imr.chronology[i] for i in unmatched]), problems


def _same(text: object) -> object:
    """Text as matched: the same words, however the lines were broken."""
    return " ".join(text.split()) if isinstance(text, str) else text


def render(plan: EntryPlan) -> str:
    """The changes as the panel reads them: per entry, field old -> new; entries added; entries kept."""
    lines: list[str] = []
    for change in plan.changes:
        if change.index is None:
            lines.append(f"  entry added from row {change.row.row}: {_when(change.row.values)}, {_short(change.row.values.get('event'))}")
        elif change.fields:
            lines.append(f"  entry of {_when(change.row.values)} (row {change.row.row}):")
            for key, (old, new) in change.fields.items():
                lines.append(f"    {key}: {_shown(old) or '(none)'} -> {_shown(new)}")
        for key in change.kept if change.index is not None else []:
            lines.append(f"  entry of {_when(change.row.values)} (row {change.row.row}): its {key} is empty in the "
                         "workbook, and is kept as chronology.yml has it (to clear it, edit chronology.yml)")
    for entry in plan.not_in_workbook:
        lines.append(f"  the entry of {_when(values(entry))} ({_short(entry.event)}) is in chronology.yml but not in "
                     "the workbook: kept as it is (an import never removes anything; to delete it, edit chronology.yml)")
    return "\n".join(printed.line(text) for text in lines)


def _when(value: dict[str, Any]) -> str:
    when = value.get("date")
    shown = uk(when) if isinstance(when, dt.date) else "/".join(reversed(str(when).split("-")))  # 12/2024, 2024
    return f"{shown} {APPROXIMATE}" if value.get("approximate") else shown


def _short(text: object) -> str:
    said = " ".join(str(text or "").split())
    return said if len(said) <= 60 else said[:57] + "..."


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return uk(value)
    if isinstance(value, list):
        return ", ".join(map(str, value))
    text = " ".join(str(value).split())
    return text if len(text) <= 60 else text[:57] + "..."


def new_text(raw: bytes, plan: EntryPlan, existing: list[ChronologyEntry]) -> str:
    """chronology.yml (as `raw` bytes) with `plan` applied, keeping everything else as written."""
    rt = round_trip()
    data = rt.load(raw.decode("utf-8")) if raw.strip() else None
    if not isinstance(data, CommentedMap):
        data = CommentedMap()
    if not isinstance(data.get("entries"), CommentedSeq):
        data["entries"] = CommentedSeq()
    entries: CommentedSeq = data["entries"]
    entries.fa.set_block_style()
    items = list(entries)
    for change in plan.changes:
        if change.index is not None:
            item = items[change.index]
            for key, (_, new) in change.fields.items():
                _set(item, key, new)
    order = [_order(values(e)) for e in existing]
    for change in plan.changes:
        if change.index is None:
            item = CommentedMap()
            for key in KEYS:
                _set(item, key, change.row.values.get(key))
            when = _order(change.row.values)
            later = [i for i, other in enumerate(order) if when and other and other > when]
            at = later[0] if later else len(order)  # before the first entry that comes after it
            entries.insert(at, item)
            order.insert(at, when)
    out = io.StringIO()
    rt.dump(data, out)
    return out.getvalue()


def _set(item: CommentedMap, key: str, value: Any) -> None:
    """One field written as chronology.yml writes it, in the style of the value it replaces."""
    if value is None or (key == "approximate" and not value and key not in item):
        return
    if key == "time":
        value = DoubleQuotedScalarString(value)
    elif key == "by" and isinstance(value, list):
        value = CommentedSeq(value)
        value.fa.set_flow_style()
    elif isinstance(value, str):
        value = in_style(value, item.get(key), indent=VALUE_INDENT)
    if key in item:
        item[key] = value
    else:
        rank = KEYS.index(key)
        before = [i for i, k in enumerate(item) if str(k) in KEYS and KEYS.index(str(k)) < rank]
        item.insert(before[-1] + 1 if before else 0, key, value)


def _order(value: dict[str, Any]) -> tuple[dt.date, str] | None:
    """Where an entry goes in date order: the first day its date can be (a month's, a year's), then its time."""
    when = value.get("date")
    if isinstance(when, int):
        when = dt.date(when, 1, 1)
    elif isinstance(when, str):
        year, month = when.split("-")
        when = dt.date(int(year), int(month), 1)
    return (when, value.get("time") or "") if isinstance(when, dt.date) else None


def verify(doc: YamlDocument, plan: EntryPlan) -> None:
    """Check that the new file, read as sarflow reads it, says what the workbook says."""
    if doc.findings:
        raise ChronologyFileError(f"the new {doc.path} would not read cleanly ({doc.findings[0]}); nothing was written")
    read = [values(e) for e in records.chronology(doc)]
    for change in plan.changes:
        wanted = {k: v for k, v in change.row.values.items() if v is not None}
        if not any(all(got.get(k) == v for k, v in wanted.items()) for got in read):
            raise ChronologyFileError(f"{Span(doc.path)}: the new file would not read back as the workbook says "
                                      f"(row {change.row.row}); nothing was written")
