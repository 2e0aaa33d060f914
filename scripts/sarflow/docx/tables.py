"""The data sections of the report as tables: every title and column from the template.

Cells hold plain text only (see `sarflow.word.nodes.text`). Dates print UK style;
an empty family detail, and a member of staff's name the agency does not know, print
the template's "not known".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sarflow.dates import entry_date, uk
from sarflow.model import Imr, Person, Record, listed
from sarflow.template import ActionField, Column, Template
from sarflow.word.nodes import Node, table
from sarflow.word.wording import ABBREVIATION_HEAD

TICK = "\u2713"
# Relative column widths by column key; a column not listed gets 1.
_WIDTHS = {
    # family (portrait): "Anonymised" fits on one line
    "name": 1.3, "address": 1.6, "ethnicity": 1.6, "relationship": 1.2,
    # chronology (landscape): a source such as "(correspondence)" fits on one line
    "date": 1.1, "time": 0.6, "source": 1.4, "event": 2.5, "action": 1.9, "outcome": 1.6, "by": 0.7,
    "role": 2, "id": 1,
}


def family(imr: Imr, template: Template) -> list[Node]:
    columns = template.family_columns
    rows = [[_shown(member, c.key) or template.not_known for c in columns] for member in imr.family]
    return [_table(columns, rows)] if rows else []


def chronology(imr: Imr, template: Template) -> list[Node]:
    columns = template.chronology_columns
    rows = [
        [(entry_date(entry) or entry.as_written("date")) if c.key == "date" else _shown(entry, c.key) for c in columns]
        for entry in imr.chronology
    ]
    return [_table(columns, rows)] if rows else []


def action_plan_columns(template: Template) -> tuple[ActionField, ...]:
    """The template's action-plan columns that hold what the author wrote, in its order.

    The workbook's formula columns and its Agency column (the folder) have no place in
    a single agency's Word report; sarflow's own fields (the lesson) are not the
    template's columns either: the lesson is printed under the recommendation.
    """
    return tuple(c for c in template.action_plan.columns if c.written)


def quality_assurance(imr: Imr, template: Template) -> list[Node]:
    """Criteria | Yes | No | Comments, one row per criterion of the template."""
    rows = []
    for criterion in template.criteria:
        answer = imr.quality_assurance.answers.get(criterion.id)
        given = answer.answer if answer else None
        rows.append([
            criterion.text,
            TICK if given == "yes" else "",
            TICK if given == "no" else "",
            _shown(answer, "comment") if answer else "",
        ])
    return [table(template.qa_columns, rows, [5, 0.6, 0.6, 4], centred=(1, 2))]


def sign_off(imr: Imr, template: Template) -> list[Node]:
    """The sign-off box: a label and its value on each row, as in the template."""
    rows = [[c.title, _shown_path(imr, c.key)] for c in template.sign_off]
    return [table(None, rows, [1, 2])]


def personnel(imr: Imr, template: Template) -> list[Node]:
    """The glossary of staff; a name the agency does not know prints the template's "not known"."""
    columns = template.personnel_columns
    rows = [[_name(person, template) if c.key == "name" else _shown(person, c.key) for c in columns] for person in imr.personnel]
    return [_table(columns, rows)] if rows else []


def _name(person: Person, template: Template) -> str:
    """The name, or the template's "not known" where the agency does not know it (however the author capitalised it)."""
    written = _shown(person, "name")
    return template.not_known if person.name is None and written.casefold() in ("", template.not_known.casefold()) else written


def abbreviations(imr: Imr, template: Template) -> list[Node]:
    rows = [[short, meaning] for short, meaning in imr.abbreviations.items()]
    return [table(ABBREVIATION_HEAD, rows, [1, 4])] if rows else []


def _table(columns: tuple[Column, ...], rows: list[list[str]]) -> Node:
    return table([c.title for c in columns], rows, [_WIDTHS.get(c.key, 1.0) for c in columns])


def _shown(record: Record | Imr, key: str) -> str:
    """A field as the report prints it: a value that could not be read as its kind (a time
    YAML read as a number, a date written 31/12/2026) as the author typed it, never a blank."""
    value = getattr(record, key, None)
    return cell(value) if value is not None else record.as_written(key)


def _shown_path(imr: Imr, key: str) -> str:
    """A dotted key of the template (author.name) looked up on the IMR and shown."""
    *parents, last = key.split(".")
    record: Any = imr
    for name in parents:
        record = getattr(record, name, None)
    return _shown(record, last) if record is not None else ""


def cell(value: Any) -> str:
    """A value as a table cell shows it: dates dd/mm/yyyy, a list of ids `L1, L3`, nothing for a missing value."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return uk(value)
    if isinstance(value, tuple):
        return listed(value)
    return str(value)

