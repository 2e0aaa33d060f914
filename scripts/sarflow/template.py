"""The IMR template (its sections, criteria, trigger questions and columns) as data.

A board that uses another template adds a file under schema/templates/ and names its
id in reviews/board.yml: outputs and checks read everything from here, never from
literals of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True)
class Column:
    key: str
    title: str


@dataclass(frozen=True)
class TemplateSection:
    id: str
    number: str
    title: str
    guidance: str
    file: str | None = None
    data: str | None = None


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
    not_logged: str
    overall_not_logged: str
    columns: tuple[Column, ...]

    @property
    def completed(self) -> str:
        """The status that means an action is done: the template lists them in order, it is the last."""
        return self.statuses[-1]


@dataclass(frozen=True)
class Template:
    id: str
    title: str
    marking: str
    sections: tuple[TemplateSection, ...]
    introduction_paragraphs: tuple[str, ...]
    family_columns: tuple[Column, ...]
    not_known: str
    personnel_columns: tuple[Column, ...]
    chronology_columns: tuple[Column, ...]
    qa_columns: tuple[str, ...]
    criteria: tuple[Criterion, ...]
    sign_off: tuple[Column, ...]
    trigger_questions: tuple[str, ...]
    action_plan: ActionPlanLayout

    @property
    def section_files(self) -> dict[str, str]:
        """Section id -> Markdown file name, for the sections an author writes."""
        return {s.id: s.file for s in self.sections if s.file}

    def section(self, section_id: str) -> TemplateSection:
        return next(s for s in self.sections if s.id == section_id)


class TemplateError(Exception):
    """The template named by the board cannot be found or read: an environment error."""


def templates_dir(root: Path) -> Path:
    return root / "schema" / "templates"


def load_template(root: Path, template_id: str) -> Template:
    for file in sorted(templates_dir(root).glob("*.yml")):
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        if isinstance(data, dict) and data.get("id") == template_id:
            try:
                return _template(data)
            except (KeyError, TypeError) as exc:
                raise TemplateError(f"{file}: the template is missing {exc}") from exc
    known = ", ".join(
        str(yaml.safe_load(f.read_text(encoding="utf-8")).get("id")) for f in sorted(templates_dir(root).glob("*.yml"))
    )
    raise TemplateError(f"the template {template_id!r} is not in schema/templates/ (known: {known or 'none'})")


def _columns(items: list[dict[str, str]]) -> tuple[Column, ...]:
    return tuple(Column(str(c["key"]), str(c["title"])) for c in items)


def _template(data: dict) -> Template:
    plan = data["action_plan"]
    qa = data["quality_assurance"]
    return Template(
        id=data["id"],
        title=data["title"],
        marking=data["marking"],
        sections=tuple(
            TemplateSection(s["id"], str(s["number"]), s["title"], s["guidance"], s.get("file"), s.get("data"))
            for s in data["sections"]
        ),
        introduction_paragraphs=tuple(data["introduction_paragraphs"]),
        family_columns=_columns(data["family_columns"]),
        not_known=data["not_known"],
        personnel_columns=_columns(data["personnel_columns"]),
        chronology_columns=_columns(data["chronology_columns"]),
        qa_columns=tuple(qa["columns"]),
        criteria=tuple(Criterion(c["id"], c["text"]) for c in qa["criteria"]),
        sign_off=_columns(data["sign_off"]),
        trigger_questions=tuple(data["trigger_questions"]),
        action_plan=ActionPlanLayout(
            sheet=plan["sheet"],
            today_label=plan["today_label"],
            status_sheet=plan["status_sheet"],
            statuses=tuple(plan["statuses"]),
            not_logged=plan["not_logged"],
            overall_not_logged=plan["overall_not_logged"],
            columns=_columns(plan["columns"]),
        ),
    )
