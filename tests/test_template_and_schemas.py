"""The template is data (another board changes a file, not code); the schemas are an author's help."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from sarflow import schemas
from sarflow.cli import main
from sarflow.load import board_template, load
from sarflow.model import ACTION_ATTRIBUTES, ACTION_KINDS, Action, Record
from sarflow.template import load_template

SCHEMAS = ("board", "review", "imr", "chronology", "actions", "template")


def test_the_seed_templates_fixed_items(root: Path) -> None:
    template = load_template(root, "SAR9 V3")
    assert [(s.number, s.title) for s in template.sections if s.number][:3] == [
        ("1", "Introduction"),
        ("1", "Safeguarding Adults Review Terms of Reference"),
        ("2", "Methodology"),
    ]
    assert [s.number for s in template.sections if s.number] == ["1", "1", "2", "3", "4", "5", "6", "7", "8", "9"]
    assert template.criteria[0].text == "Author was independent"
    assert len({c.id for c in template.criteria}) == 11
    assert template.trigger_questions[-1] == "Was there sufficient management accountability for decision making?"
    assert [c.title for c in template.action_plan.columns][:3] == ["No", "Recommendation", "Key Actions"]
    assert template.action_plan.columns[0].key == "no"  # YAML 1.1 would read a bare `no` as false


def test_another_boards_template_is_a_data_change(tmp_repo: Path) -> None:
    """A board with its own template adds a file and names it; nothing in the code changes."""
    source = (tmp_repo / "schema/templates/sar9-v3.yml").read_text(encoding="utf-8")
    local = (
        source.replace("id: SAR9 V3", "id: LOCAL V1")
        .replace("title: Methodology", "title: How the review was carried out")
        .replace("text: Author was independent", "text: The author had no part in the case")
    )
    (tmp_repo / "schema/templates/local-v1.yml").write_text(local, encoding="utf-8")
    board = tmp_repo / "reviews/board.yml"
    board.write_text(board.read_text(encoding="utf-8").replace("template: SAR9 V3", "template: LOCAL V1"), encoding="utf-8")
    repo = load(tmp_repo)
    assert repo.template.id == "LOCAL V1"
    assert repo.template.section("methodology").title == "How the review was carried out"
    assert repo.template.criteria[0].text == "The author had no part in the case"
    assert [str(f) for f in repo.all_findings()] == []


def _properties(node: Any, path: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Every property schema, with its path, found anywhere in a schema."""
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(node, dict):
        for name, child in node.get("properties", {}).items():
            found.append((f"{path}/{name}", child))
            found += _properties(child, f"{path}/{name}")
        for key in ("items", "additionalProperties"):
            found += _properties(node.get(key), f"{path}/{key}")
        for name, child in node.get("$defs", {}).items():
            found += _properties(child, f"{path}/$defs/{name}")
    return found


@pytest.mark.parametrize("name", SCHEMAS)
def test_every_schema_is_valid_and_helps_the_author(root: Path, name: str) -> None:
    schema = json.loads((root / "schema" / f"{name}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] and schema["description"]
    undocumented = [path for path, child in _properties(schema) if "description" not in child and "$ref" not in child]
    assert undocumented == []


def test_the_schemas_lists_follow_the_template(root: Path) -> None:
    """actions, review, imr and board schemas: their lists are those `sarflow schemas` generates."""
    template = board_template(root)
    assert [str(p) for p in schemas.differing(root, template)] == []
    actions = json.loads((root / "schema/actions.schema.json").read_text(encoding="utf-8"))["$defs"]["action"]["properties"]
    assert actions["status"]["anyOf"][1]["enum"] == list(template.action_plan.statuses)  # a status may be left empty: see schemas._may_be_empty
    assert set(actions) == {f.key for f in template.action_plan.written}
    review = json.loads((root / "schema/review.schema.json").read_text(encoding="utf-8"))["properties"]["stage"]
    assert review["enum"] == [s.id for s in template.stages]


def test_renaming_a_status_in_the_template_keeps_check_clean(tmp_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A board renames "In progress" to "Under way" in its template (and its data): after
    `sarflow schemas`, check has nothing to say; before it, `--check` names the stale schema."""
    template = tmp_repo / "schema/templates/sar9-v3.yml"
    text = template.read_text(encoding="utf-8")
    assert "statuses: [Not started, In progress, Completed]" in text
    template.write_text(text.replace("statuses: [Not started, In progress, Completed]",
                                     "statuses: [Not started, Under way, Completed]"), encoding="utf-8")
    for actions in (tmp_repo / "reviews").rglob("actions.yml"):
        actions.write_text(actions.read_text(encoding="utf-8").replace("status: In progress", "status: Under way"),
                           encoding="utf-8")
    assert main(["--root", str(tmp_repo), "schemas", "--check"]) == 1
    assert "schema/actions.schema.json: does not follow" in capsys.readouterr().err
    assert main(["--root", str(tmp_repo), "schemas"]) == 0
    assert "updated schema/actions.schema.json" in capsys.readouterr().out
    assert main(["--root", str(tmp_repo), "check"]) == 0
    out = capsys.readouterr().out
    assert "error[" not in out and "Under way" not in out
    repo = load(tmp_repo)
    assert sum(a.status == "Under way" for imr in repo.imrs() for a in imr.actions) >= 1


BROKEN_TEMPLATES = {
    # what a maintainer might do to the template file -> the code and the line it is reported on
    "unclosed quote": (('title: Individual Management Review', 'title: "Individual Management Review'), "yaml-syntax", None),
    # the first line of the action plan
    "completed left out": (("  completed: Completed", "  # completed: Completed"), "missing-key", "sheet: Actions"),
    "misspelt kind": (("title: Target Date, kind: date,", "title: Target Date, kind: dates,"), "not-allowed", "key: target_date"),
    "completed not a status": (("  completed: Completed", "  completed: Done"), "bad-template", "completed: Done"),
    "a status without its formula": (("statuses: [Not started, In progress, Completed]",
                                      "statuses: [Not started, In progress, On hold, Completed]"), "bad-template", "columns:"),
    "criterion id twice": (("{id: legal-advice,", "{id: author-independent,"), "bad-template", "Access to legal advice"),
    "status made text": (("{key: status, title: Status, kind: status,", "{key: status, title: Status, kind: text,"),
                         "bad-template", "key: status,"),
    "lesson field dropped": (("    - {key: lesson, title: Lesson, kind: list, required: true, followed: true}\n", ""), "bad-template", "columns:"),
    "section id renamed": (("  - id: personnel\n", "  - id: staff\n"), "bad-template", "sections:"),
    "the report written after publication": (("description: The panel is reading and analysing the IMRs.}",
                                             "description: The panel is reading and analysing the IMRs., publishes: true}"),
                                            "bad-template", "id: panel"),
    "contradicted by a code check does not have": (("contradicted_by: [imr-late]", "contradicted_by: [imr-lates]"),
                                                    "bad-template", "within-timescale"),
}


@pytest.mark.parametrize("case", list(BROKEN_TEMPLATES))
def test_a_broken_template_is_a_clear_error_at_its_line(tmp_repo: Path, case: str, capsys: pytest.CaptureFixture[str]) -> None:
    (old, new), code, on_line = BROKEN_TEMPLATES[case]
    template = tmp_repo / "schema/templates/sar9-v3.yml"
    text = template.read_text(encoding="utf-8")
    assert old in text
    template.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert main(["--root", str(tmp_repo), "check"]) == 2
    err = capsys.readouterr().err
    assert "internal error" not in err and "Traceback" not in err
    match = re.search(rf"schema/templates/sar9-v3\.yml:(\d+):(\d+): error\[{code}\]: ", err)
    assert match, err
    if on_line:
        line = template.read_text(encoding="utf-8").split("\n")[int(match.group(1)) - 1]
        assert on_line in line, (line, err)
    assert "fix the template file" in err


def test_a_broken_template_the_board_does_not_use_is_no_obstacle(tmp_repo: Path) -> None:
    (tmp_repo / "schema/templates/aaa-draft.yml").write_text('id: "DRAFT\nsections: [\n', encoding="utf-8")
    assert main(["--root", str(tmp_repo), "check"]) == 0


def test_every_field_the_model_names_has_its_kind_declared() -> None:
    """The template may add fields, not change the kind of those sarflow's code reads by name."""
    named = {f.name for f in dataclasses.fields(Action)} - {f.name for f in dataclasses.fields(Record)} - {"extra"}
    assert set(ACTION_KINDS) == named == ACTION_ATTRIBUTES
