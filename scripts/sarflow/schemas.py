"""The JSON Schemas' lists, generated from the template and the model.

The schemas under schema/ are written by hand for the author's sake (titles,
descriptions, examples that VS Code shows while they type), but every list in them
that is a fact of the template or of sarflow is generated here, so that the editor,
`sarflow check` and the template cannot disagree:

- actions.schema.json: one property per field of the template's action plan that an
  author writes (a field new to the template gets a property made from its kind and
  heading; a field the template drops loses it), and the action statuses;
- review.schema.json: the review stages, with their descriptions (also as the keys of stage_dates), and the
  form of an agency's short code;
- imr.schema.json: the quality-assurance criteria (ids and texts), the IMR statuses, and
  what a member of staff's name is when the agency does not know it (`not_known`);
- recommendations.schema.json: the board's responses (model.RESPONSES), and a board action's
  definition, which is actions.schema.json's action as generated: one table of action fields;
- board.schema.json: the default template and the defaults of the settings (from model.Board);
- chronology.schema.json: the form of a time (sarflow.clock), with its examples;
- template.schema.json (the template file's own schema): the kinds of action field;
- every schema's `date`: the dates the calendar has, so that the editor refuses
  2025-02-30 as check does.

Everything else in the files is kept as written. `sarflow schemas` writes them;
`sarflow schemas --check` (and a test) fails while any of them differs.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from sarflow import clock
from sarflow.model import DEFAULT_TEMPLATE, IMR_STATUSES, RESPONSES, SHORT_CODE, Board
from sarflow.outputs import atomic_write
from sarflow.template import FIELD_KINDS, ActionField, Template

Schema = dict[str, Any]


def _actions(schema: Schema, template: Template) -> None:
    plan = template.action_plan
    action = schema["$defs"]["action"]
    written = {f.key: f for f in plan.written}
    before = {k: _unwrapped(v) for k, v in action["properties"].items()}
    order = [k for k in before if k in written] + [k for k in written if k not in before]
    action["properties"] = {k: before.get(k) or _new_property(written[k], template) for k in order}
    for field in plan.of_kind("status"):
        action["properties"][field.key] |= {"enum": list(plan.statuses), "default": plan.statuses[0]}
    for snippet in action.get("defaultSnippets", []):
        body = snippet.get("body", {})
        for field in plan.of_kind("status"):
            if field.key in body:
                body[field.key] = plan.statuses[0]
    required = set(action.get("required", ()))
    action["properties"] = {k: p if k in required else _may_be_empty(p) for k, p in action["properties"].items()}


# The parts of a property the editor shows about the key itself, whatever its value.
_ABOUT = ("title", "description", "markdownDescription", "examples", "default")
_EMPTY = {"type": "null"}


def _may_be_empty(prop: Schema) -> Schema:
    """A field an action need not have may be written with nothing after its colon (`comment:`).

    An import leaves a value cleared in the workbook so, keeping the key and its comments;
    the rules then judge whether the action may lack it (action-incomplete). Saying so in
    the schema lets the editor accept it too.
    """
    about = {k: v for k, v in prop.items() if k in _ABOUT}
    value = {k: v for k, v in prop.items() if k not in _ABOUT}
    return {**about, "anyOf": [_EMPTY, value]}


def _unwrapped(prop: Schema) -> Schema:
    """The property as written by hand, without what _may_be_empty adds."""
    branches = prop.get("anyOf")
    if not (isinstance(branches, list) and len(branches) == 2 and branches[0] == _EMPTY):
        return prop
    return {**{k: v for k, v in prop.items() if k != "anyOf"}, **branches[1]}


def _new_property(field: ActionField, template: Template) -> Schema:
    """The property of a field the template adds, made from its kind and heading."""
    about = f"The action plan's {field.title} column"
    by_kind: dict[str, Schema] = {
        "text": {"$ref": "#/$defs/text", "description": f"{about}, in a sentence or two."},
        "date": {"$ref": "#/$defs/date", "description": f"{about}: a date written year-month-day, e.g. 2026-03-14."},
        "number": {"type": "integer", "description": f"{about}: a whole number without quotes, e.g. 1."},
        "status": {"description": f"{about}: one of the listed values, written exactly so."},
        "list": {
            "type": ["string", "array"], "minLength": 1, "minItems": 1, "items": {"$ref": "#/$defs/text"},
            "description": f"{about}: one value, or a list of them, e.g. [A, B].",
        },
    }
    return {"title": field.title, **by_kind[field.kind]}


def _review(schema: Schema, template: Template) -> None:
    stage = schema["properties"]["stage"]
    stage["enum"] = [s.id for s in template.stages]
    stage["enumDescriptions"] = [s.description for s in template.stages]
    stage["default"] = template.stages[0].id
    schema["properties"]["stage_dates"]["propertyNames"] = {"enum": [s.id for s in template.stages]}
    schema["properties"]["agencies"]["items"]["properties"]["short_code"]["pattern"] = SHORT_CODE.pattern


def _imr(schema: Schema, template: Template) -> None:
    status = schema["properties"]["status"]
    status["enum"] = list(IMR_STATUSES)
    status["default"] = IMR_STATUSES[0]
    qa = schema["properties"]["quality_assurance"]
    qa["propertyNames"] = {"enum": [c.id for c in template.criteria]}
    qa["properties"] = {
        c.id: {
            "$ref": "#/$defs/qa_answer",
            "title": c.text,
            "description": f'Criterion: "{c.text}". Give the answer yes or no, and a comment where it helps.',
        }
        for c in template.criteria
    }
    name = schema["properties"]["personnel"]["items"]["properties"]["name"]
    name["description"] = (f"The person's real name, e.g. Mary Jones, or {template.not_known} if your agency does not "
                           "know it. It appears only in the confidential report.")
    name["examples"] = ["Mary Jones", template.not_known]


def _board(schema: Schema, template: Template) -> None:
    properties = schema["properties"]
    properties["template"] |= {"default": DEFAULT_TEMPLATE, "examples": [DEFAULT_TEMPLATE]}
    settings = properties["settings"]["properties"]
    for name in ("stale_update_days", "amber_days", "expected_months", "escalate_overdue_days", "escalate_no_update_days"):
        value = getattr(Board, name)
        settings[name] |= {"default": value, "examples": [value]}
    settings["approved_frozen"] |= {"default": Board.approved_frozen}


def _recommendations(schema: Schema, template: Template) -> None:
    decision = schema["$defs"]["recommendation"]["properties"]["response"]["properties"]["decision"]
    decision["enum"] = list(RESPONSES)


def _chronology(schema: Schema, template: Template) -> None:
    time = schema["$defs"]["entry"]["properties"]["time"]
    time |= {"pattern": clock.PATTERN, "examples": list(clock.EXAMPLES)}


def _template(schema: Schema, template: Template) -> None:
    schema["$defs"]["field"]["properties"]["kind"]["enum"] = list(FIELD_KINDS)


# A date that exists, year-month-day: months of 30 and 31 days, and 29 February in leap years only.
REAL_DATE = (
    r"^(?:[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    r"|02-(?:0[1-9]|1[0-9]|2[0-8]))|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29)$"
)


def _dates(schema: Schema) -> None:
    date = schema.get("$defs", {}).get("date")
    if date is not None:
        date["pattern"] = REAL_DATE
        date["patternErrorMessage"] = "Write a date that exists, as year-month-day, e.g. 2025-03-14."


GENERATORS: dict[str, Callable[[Schema, Template], None]] = {
    "actions": _actions,
    "review": _review,
    "imr": _imr,
    "board": _board,
    "chronology": _chronology,
    "template": _template,
    "recommendations": _recommendations,
}
# Definitions one schema takes whole from another, as generated: a board's own action in
# recommendations.yml is an action of actions.yml, so both files take one table of action fields.
BORROWED = {("recommendations", "action"): "actions"}


def schema_path(root: Path, name: str) -> Path:
    return root / "schema" / f"{name}.schema.json"


def generated(root: Path, template: Template) -> dict[Path, str]:
    """Each generated schema file and the text it should hold."""
    made: dict[str, Schema] = {}
    for name, generate in GENERATORS.items():
        made[name] = copy.deepcopy(json.loads(schema_path(root, name).read_text(encoding="utf-8")))
        generate(made[name], template)
        _dates(made[name])
    for (name, definition), source in BORROWED.items():
        made[name]["$defs"][definition] = copy.deepcopy(made[source]["$defs"][definition])
    return {schema_path(root, name): json.dumps(schema, indent=2, ensure_ascii=False) + "\n" for name, schema in made.items()}


def differing(root: Path, template: Template) -> list[Path]:
    """The schema files whose lists do not follow the template and the model."""
    return [path for path, text in generated(root, template).items() if path.read_text(encoding="utf-8") != text]


def write(root: Path, template: Template) -> list[Path]:
    """Bring every generated list up to date; returns the files that changed."""
    changed = []
    for path, text in generated(root, template).items():
        if path.read_text(encoding="utf-8") != text:
            atomic_write(path, partial(Path.write_text, data=text, encoding="utf-8"))
            changed.append(path)
    return changed
