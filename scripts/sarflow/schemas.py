"""The JSON Schemas' lists, generated from the template and the model.

The schemas under schema/ are written by hand for the author's sake (titles,
descriptions, examples that VS Code shows while they type), but every list in them
that is a fact of the template or of sarflow is generated here, so that the editor,
`sarflow check` and the template cannot disagree:

- actions.schema.json: one property per field of the template's action plan that an
  author writes (a field new to the template gets a property made from its kind and
  heading; a field the template drops loses it), and the action statuses;
- review.schema.json: the review stages, with their descriptions;
- imr.schema.json: the quality-assurance criteria (ids and texts) and the IMR statuses;
- board.schema.json: the default template and the default of stale_update_days;
- chronology.schema.json: the form of a time (sarflow.clock), with its examples;
- template.schema.json (the template file's own schema): the kinds of action field.

Everything else in the files is kept as written. `sarflow schemas` writes them;
`sarflow schemas --check` (and a test) fails while any of them differs.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sarflow import clock
from sarflow.load.records import DEFAULT_TEMPLATE
from sarflow.model import IMR_STATUSES, Board
from sarflow.outputs import atomic_write
from sarflow.template import FIELD_KINDS, ActionField, Template

Schema = dict[str, Any]


def _actions(schema: Schema, template: Template) -> None:
    plan = template.action_plan
    action = schema["$defs"]["action"]
    written = {f.key: f for f in plan.written}
    before = action["properties"]
    order = [k for k in before if k in written] + [k for k in written if k not in before]
    action["properties"] = {k: before.get(k) or _new_property(written[k], template) for k in order}
    for field in plan.of_kind("status"):
        action["properties"][field.key] |= {"enum": list(plan.statuses), "default": plan.statuses[0]}
    for snippet in action.get("defaultSnippets", []):
        body = snippet.get("body", {})
        for field in plan.of_kind("status"):
            if field.key in body:
                body[field.key] = plan.statuses[0]


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
            "description": f'Criterion: "{c.text}". Give the answer "yes" or "no" in quotes, and a comment where it helps.',
        }
        for c in template.criteria
    }


def _board(schema: Schema, template: Template) -> None:
    properties = schema["properties"]
    properties["template"] |= {"default": DEFAULT_TEMPLATE, "examples": [DEFAULT_TEMPLATE]}
    days = Board.stale_update_days
    properties["settings"]["properties"]["stale_update_days"] |= {"default": days, "examples": [days]}


def _chronology(schema: Schema, template: Template) -> None:
    time = schema["$defs"]["entry"]["properties"]["time"]
    time |= {"pattern": clock.PATTERN, "examples": list(clock.EXAMPLES)}


def _template(schema: Schema, template: Template) -> None:
    schema["$defs"]["field"]["properties"]["kind"]["enum"] = list(FIELD_KINDS)


GENERATORS: dict[str, Callable[[Schema, Template], None]] = {
    "actions": _actions,
    "review": _review,
    "imr": _imr,
    "board": _board,
    "chronology": _chronology,
    "template": _template,
}


def schema_path(root: Path, name: str) -> Path:
    return root / "schema" / f"{name}.schema.json"


def generated(root: Path, template: Template) -> dict[Path, str]:
    """Each generated schema file and the text it should hold."""
    texts = {}
    for name, generate in GENERATORS.items():
        path = schema_path(root, name)
        schema = copy.deepcopy(json.loads(path.read_text(encoding="utf-8")))
        generate(schema, template)
        texts[path] = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    return texts


def differing(root: Path, template: Template) -> list[Path]:
    """The schema files whose lists do not follow the template and the model."""
    return [path for path, text in generated(root, template).items() if path.read_text(encoding="utf-8") != text]


def write(root: Path, template: Template) -> list[Path]:
    """Bring every generated list up to date; returns the files that changed."""
    changed = []
    for path, text in generated(root, template).items():
        if path.read_text(encoding="utf-8") != text:
            atomic_write(path, lambda temporary, text=text: temporary.write_text(text, encoding="utf-8"))
            changed.append(path)
    return changed
