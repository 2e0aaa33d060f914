"""The IMR template (its sections, criteria, trigger questions and columns) as data.

A board that uses another template adds a file under schema/templates/ and names its
id in reviews/board.yml: outputs and checks read everything from here, never from
literals of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

from sarflow.errors import UsageError

# What a value of an action-plan field is; see `action_plan` in the template file.
FieldKind = Literal["text", "date", "number", "status", "list", "formula", "agency", "updates"]
FIELD_KINDS: tuple[FieldKind, ...] = ("text", "date", "number", "status", "list", "formula", "agency", "updates")
# Kinds whose value the author writes in actions.yml (formula and agency are the workbook's).
WRITTEN_KINDS = ("text", "date", "number", "status", "list", "updates")
# Kinds that fit in one cell of the workbook's action sheet.
CELL_KINDS = ("text", "date", "number", "status", "list", "formula", "agency")


@dataclass(frozen=True)
class Column:
    key: str
    title: str


@dataclass(frozen=True)
class ActionField(Column):
    """One field of the action plan: its key in actions.yml, its heading, and what its value is.

    `required`: an action of a submitted or approved IMR must have it. `followed`: the
    panel's summary of changes shows each change of it old -> new. `own`: sarflow's own
    field, not one of the template's columns (the workbook puts it after them).
    """

    kind: FieldKind = "text"
    required: bool = False
    followed: bool = False
    own: bool = False

    @property
    def written(self) -> bool:
        """The author writes this field in actions.yml (it is not worked out in the workbook)."""
        return self.kind in WRITTEN_KINDS


@dataclass(frozen=True)
class TemplateSection:
    id: str
    number: str
    title: str
    guidance: str
    file: str | None = None
    data: str | None = None
    standard_text: str = ""  # the board's standard paragraphs that open the section (Markdown)


@dataclass(frozen=True)
class Criterion:
    """One question of the quality-assurance form, with its stable id."""

    id: str
    text: str


@dataclass(frozen=True)
class ActionPlanLayout:
    """The Action Plan workbook as the template lays it out."""

    sheet: str
    today_label: str
    status_sheet: str
    statuses: tuple[str, ...]
    completed: str  # the status that means an action is done
    not_logged: str
    overall_not_logged: str
    columns: tuple[ActionField, ...]  # the template's Actions sheet, in its order
    own_fields: tuple[ActionField, ...]  # sarflow's own fields (lesson, updates)

    @property
    def fields(self) -> tuple[ActionField, ...]:
        """Every field: the template's columns, then sarflow's own."""
        return self.columns + self.own_fields

    @property
    def written(self) -> tuple[ActionField, ...]:
        """The fields an author writes in actions.yml, in the order the file keeps them."""
        return tuple(f for f in self.fields if f.written)

    @property
    def workbook_columns(self) -> tuple[ActionField, ...]:
        """The action sheet's columns: the template's in its order, then one per own field that fits a cell."""
        return self.columns + tuple(f for f in self.own_fields if f.kind in CELL_KINDS)

    @property
    def status_formulas(self) -> tuple[tuple[ActionField, str], ...]:
        """Each "Formula - <status>" column with the status it counts (in the template's order)."""
        counting = [c for c in self.columns if c.kind == "formula" and c.key != OVERALL]
        return tuple(zip(counting, self.statuses, strict=True))

    def field(self, key: str) -> ActionField:
        return next(f for f in self.fields if f.key == key)

    def of_kind(self, *kinds: FieldKind) -> tuple[ActionField, ...]:
        return tuple(f for f in self.fields if f.kind in kinds)

    def title(self, key: str) -> str:
        return self.field(key).title


@dataclass(frozen=True)
class Stage:
    """A stage a review moves through (`stage:` in review.yml), with what it means."""

    id: str
    description: str


@dataclass(frozen=True)
class Template:
    id: str
    title: str
    marking: str
    sections: tuple[TemplateSection, ...]
    family_columns: tuple[Column, ...]
    not_known: str
    personnel_columns: tuple[Column, ...]
    chronology_columns: tuple[Column, ...]
    qa_columns: tuple[str, ...]
    criteria: tuple[Criterion, ...]
    sign_off: tuple[Column, ...]
    trigger_questions: tuple[str, ...]
    action_plan: ActionPlanLayout
    good_practice: str  # the heading that ends analysis.md
    stages: tuple[Stage, ...]

    @property
    def section_files(self) -> dict[str, str]:
        """Section id -> Markdown file name, for the sections an author writes."""
        return {s.id: s.file for s in self.sections if s.file}

    def section(self, section_id: str) -> TemplateSection:
        return next(s for s in self.sections if s.id == section_id)


# Keys of the action plan that sarflow's code relies on by name: the action's number, its
# status and target date (the formulas and the overdue rule), the overall result formula
# and the agency column. A template may add fields, never rename these.
OVERALL = "overall"


class TemplateError(UsageError):
    """The template named by the board cannot be found or read: an environment error."""


class UnknownTemplate(TemplateError):
    """No file under schema/templates/ has the id the board names."""


def templates_dir(root: Path) -> Path:
    return root / "schema" / "templates"


def load_template(root: Path, template_id: str) -> Template:
    files = {file: _read(file, root) for file in sorted(templates_dir(root).glob("*.yml"))}
    for file, data in files.items():
        if isinstance(data, dict) and data.get("id") == template_id:
            try:
                return _template(data)
            except (KeyError, TypeError) as exc:
                raise TemplateError(f"{file}: the template is missing {exc}") from exc
    known = ", ".join(str(data.get("id")) for data in files.values() if isinstance(data, dict))
    raise UnknownTemplate(f"the template {template_id!r} is not in schema/templates/ (known: {known or 'none'})")


def _read(file: Path, root: Path) -> Any:
    """A template file's data; a file that cannot be read is a set-up error naming the file and line."""
    shown = file.relative_to(root).as_posix()
    try:
        return yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"{shown}: the template file cannot be read ({exc}); restore it from the sarflow repository") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f"{shown}:{mark.line + 1}:{mark.column + 1}" if mark else shown
        said = " ".join(str(p) for p in (getattr(exc, "context", None), getattr(exc, "problem", None)) if p) or str(exc)
        raise TemplateError(
            f"{where}: the template file is not valid YAML ({said}); correct that line, "
            "or restore the file from the sarflow repository"
        ) from exc


def _columns(items: list[dict[str, str]]) -> tuple[Column, ...]:
    return tuple(Column(str(c["key"]), str(c["title"])) for c in items)


def _fields(items: list[dict[str, object]], own: bool = False) -> tuple[ActionField, ...]:
    return tuple(
        ActionField(
            str(c["key"]),
            str(c["title"]),
            kind=c["kind"],  # type: ignore[arg-type]  # the template's schema allows only the kinds above
            required=bool(c.get("required", False)),
            followed=bool(c.get("followed", False)),
            own=own,
        )
        for c in items
    )


def _template(data: dict) -> Template:
    plan = data["action_plan"]
    qa = data["quality_assurance"]
    return Template(
        id=data["id"],
        title=data["title"],
        marking=data["marking"],
        sections=tuple(
            TemplateSection(s["id"], str(s["number"]), s["title"], s["guidance"], s.get("file"), s.get("data"),
                            str(s.get("standard_text") or ""))
            for s in data["sections"]
        ),
        family_columns=_columns(data["family_columns"]),
        not_known=data["not_known"],
        personnel_columns=_columns(data["personnel_columns"]),
        chronology_columns=_columns(data["chronology_columns"]),
        qa_columns=tuple(qa["columns"]),
        criteria=tuple(Criterion(c["id"], c["text"]) for c in qa["criteria"]),
        sign_off=_columns(data["sign_off"]),
        trigger_questions=tuple(data["trigger_questions"]),
        good_practice=data["good_practice"],
        stages=tuple(Stage(s["id"], s["description"]) for s in data["stages"]),
        action_plan=ActionPlanLayout(
            sheet=plan["sheet"],
            today_label=plan["today_label"],
            status_sheet=plan["status_sheet"],
            statuses=tuple(plan["statuses"]),
            completed=plan["completed"],
            not_logged=plan["not_logged"],
            overall_not_logged=plan["overall_not_logged"],
            columns=_fields(plan["columns"]),
            own_fields=_fields(plan.get("own_fields", []), own=True),
        ),
    )
