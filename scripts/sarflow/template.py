"""The IMR template (its sections, criteria, trigger questions and columns) as data.

A board that uses another template adds a file under schema/templates/ and names its
id in reviews/board.yml: outputs and checks read everything from here, never from
literals of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sarflow.errors import UsageError
from sarflow.findings import Finding, Span, error, relative
from sarflow.model import ACTION_KINDS
from sarflow.words import nearest

if TYPE_CHECKING:
    from sarflow.load.yamlfile import YamlDocument

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
    """One question of the quality-assurance form, with its stable id.

    `contradicted_by`: the findings of check (codes, or families of them) that say a "yes"
    to it is not so; the panel's summary of changes flags such a "yes".
    """

    id: str
    text: str
    contradicted_by: tuple[str, ...] = ()


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
    def in_progress(self) -> tuple[str, ...]:
        """The statuses of an action under way: neither the first (not started) nor the completed one."""
        return tuple(s for s in self.statuses[1:] if s != self.completed)

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
    completes: bool = False  # reaching it completes the review (the first such stage and every later one)
    writes_report: bool = False  # the overview report is written at it
    publishes: bool = False  # reaching it publishes the review's report


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
    published_marking: str | None = None  # the marking of what the board publishes (the annual report)

    @property
    def public_marking(self) -> str:
        """The page header of a published board output: `published_marking`, or where the template gives none
        the IMRs' own marking (a document marked too high is safer than one marked too low)."""
        return self.published_marking or self.marking

    @property
    def section_files(self) -> dict[str, str]:
        """Section id -> Markdown file name, for the sections an author writes."""
        return {s.id: s.file for s in self.sections if s.file}

    def section(self, section_id: str) -> TemplateSection:
        return next(s for s in self.sections if s.id == section_id)

    @property
    def report_stage(self) -> Stage | None:
        """The stage at which the overview report is written (the first marked `writes_report`)."""
        return next((s for s in self.stages if s.writes_report), None)

    @property
    def completing_stage(self) -> Stage | None:
        """The stage that completes the review (the first marked `completes`)."""
        return next((s for s in self.stages if s.completes), None)

    @property
    def publication_stage(self) -> Stage | None:
        """The stage at which the review's report is published (the first marked `publishes`)."""
        return next((s for s in self.stages if s.publishes), None)

    def reached(self, current: str | None, stage: Stage | None) -> bool:
        """Whether a review at stage `current` is at `stage` or a later one; never for a stage the template does not list."""
        ids = [s.id for s in self.stages]
        return stage is not None and current in ids and ids.index(current) >= ids.index(stage.id)


# Keys of the action plan that sarflow's code relies on by name, besides the model's own
# fields (model.ACTION_KINDS): the overall result formula and the agency column.
OVERALL = "overall"
AGENCY = "agency"
WORKBOOK_KINDS = {OVERALL: "formula", AGENCY: "agency"}
# Fields the code cannot do without (the action's number, status and target date feed the
# formulas and the overdue rule; lesson and updates have rules and a sheet of their own).
NEEDED = ("no", "recommendation", "status", "target_date", "lesson", "updates", OVERALL, AGENCY)
# Sections sarflow's rules, Word report and summary of changes find by id (the rest of a
# template's sections are printed as they come).
SECTIONS_NEEDED = ("analysis", "lessons", "family", "chronology", "recommendations", "quality-assurance",
                   "personnel", "abbreviations")


class TemplateError(UsageError):
    """The template named by the board cannot be found or read: an environment error."""


class UnknownTemplate(TemplateError):
    """No file under schema/templates/ has the id the board names."""


def templates_dir(root: Path) -> Path:
    return root / "schema" / "templates"


def load_template(root: Path, template_id: str) -> Template:
    """The template whose `id` is `template_id`, after checking its file as check checks any other.

    A template file that cannot be read, breaks its schema (schema/template.schema.json)
    or contradicts itself is refused with every problem at its file, line and column.
    """
    from sarflow.load.yamlfile import read_yaml  # here, not above: sarflow.load imports this module

    known: list[str] = []
    unreadable: list[Finding] = []
    for file in sorted(templates_dir(root).glob("*.yml")):
        doc = read_yaml(file, relative(file, root))
        data = doc.data if isinstance(doc.data, dict) else {}
        if data.get("id") == template_id:
            problems = doc.findings or _problems(root, doc)
            if problems:
                raise TemplateError("\n".join(str(f) for f in problems) + _FIX)
            return _template(data)
        if doc.findings or not data:
            unreadable += doc.findings or [_not_a_template(doc.span())]
        else:
            known.append(str(data.get("id")))
    if unreadable:
        raise TemplateError("\n".join(str(f) for f in unreadable) + _FIX
                            + f"\n(the template {template_id!r} may be in one of these files)")
    raise UnknownTemplate(f"the template {template_id!r} is not in schema/templates/ (known: {', '.join(known) or 'none'})")


_FIX = "\nfix the template file and run sarflow again: nothing can be checked or built without it"


def _not_a_template(span: Span) -> Finding:
    return error("bad-template", "the file does not hold a template (a set of keys starting with `id:`)", span,
                 "compare it with schema/templates/sar9-v3.yml")


def _problems(root: Path, doc: YamlDocument) -> list[Finding]:
    """The schema's problems with the template file, or (when it has none) where it contradicts itself."""
    from sarflow.check.schema import validate  # here, not above: sarflow.check imports this module

    schema = root / "schema" / "template.schema.json"
    problems = [error(code, message, span, hint) for span, code, message, hint in validate(doc, schema)]
    return problems or _contradictions(doc)


def _contradictions(doc: YamlDocument) -> list[Finding]:
    """What the schema cannot say: ids used twice, a completed status not listed, formulas and statuses out of step."""
    data = doc.data
    found: list[Finding] = []

    def bad(message: str, path: tuple[str | int, ...], hint: str) -> None:
        at = doc.key_span(*path) if path[-1] in ("columns", "sections") else doc.span(*path)  # a whole list: its key
        found.append(error("bad-template", message, at, hint))

    for where, items, key in (
        (("sections",), data["sections"], "id"),
        (("stages",), data["stages"], "id"),
        (("quality_assurance", "criteria"), data["quality_assurance"]["criteria"], "id"),
    ):
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item[key] in seen:
                bad(f"the {key} `{item[key]}` is used twice", (*where, i, key), f"give each its own {key}")
            seen.add(item[key])
    _stage_order(data["stages"], bad)
    ids = {s["id"] for s in data["sections"]}
    for section_id in SECTIONS_NEEDED:
        if section_id not in ids:
            bad(f"the template has no section `{section_id}`, which sarflow needs", ("sections",),
                f"add the section with `id: {section_id}` (ids are fixed; titles and guidance are the board's)")
    _contradicting(data["quality_assurance"]["criteria"], bad)
    plan = data["action_plan"]
    fields = [("columns", i, f) for i, f in enumerate(plan["columns"])] + [("own_fields", i, f) for i, f in enumerate(plan["own_fields"])]
    keys: set[str] = set()
    kinds = {**ACTION_KINDS, **WORKBOOK_KINDS}
    for group, i, f in fields:
        path = ("action_plan", group, i)
        if f["key"] in keys:
            bad(f"the action-plan field `{f['key']}` is given twice", (*path, "key"), "give each field its own key")
        keys.add(f["key"])
        kind = kinds.get(f["key"])
        if kind and f["kind"] != kind:
            bad(f"the field `{f['key']}` must be of kind {kind}, not {f['kind']}", (*path, "kind"),
                f"sarflow reads {f['key']} as {kind}; for another kind of value add a field with a key of its own")
    for key in NEEDED:
        if key not in keys:
            bad(f"the action plan has no field `{key}`, which sarflow needs", ("action_plan", "columns"),
                f"add `- {{key: {key}, title: ..., kind: {ACTION_KINDS.get(key) or WORKBOOK_KINDS[key]}}}`")
    if plan["completed"] not in plan["statuses"]:
        bad(f"the completed status `{plan['completed']}` is not one of the statuses", ("action_plan", "completed"),
            "write one of: " + ", ".join(plan["statuses"]))
    counting = [f for f in plan["columns"] if f["kind"] == "formula" and f["key"] != OVERALL]
    if len(counting) != len(plan["statuses"]):
        bad(f"there are {len(plan['statuses'])} statuses but {len(counting)} formula columns that count them",
            ("action_plan", "columns"), "give one `kind: formula` column per status, in the order of the statuses")
    return found


def _stage_order(stages: list[dict[str, object]], bad: Callable[[str, tuple[str | int, ...], str], None]) -> None:
    """The report is written before the stage that completes the review and the one that publishes it: check
    allows a completion from the report stage and requires it from the completing one, so the other order
    would ask for a date and refuse it at once."""
    first = {flag: next((i for i, s in enumerate(stages) if s.get(flag) is True), None)
             for flag in ("writes_report", "completes", "publishes")}
    report = first["writes_report"]
    for flag in ("completes", "publishes"):
        at = first[flag]
        if report is not None and at is not None and at < report:
            bad(f"the stage `{stages[at]['id']}` ({flag}: true) comes before `{stages[report]['id']}` (writes_report: true)",
                ("stages", at, "id"), "a review's report is written before it is completed or published: "
                "move the stage after the report stage, or the flag to a later stage")


def _contradicting(criteria: list[dict[str, Any]], bad: Callable[[str, tuple[str | int, ...], str], None]) -> None:
    """Each name under a criterion's `contradicted_by` is a finding code of check or a family of them (the registry's,
    which the schema does not list: a new code needs no change to the template's schema)."""
    from sarflow.check.registry import CODES  # here, not above: sarflow.check imports this module

    known = [*CODES, *dict.fromkeys(code.family for code in CODES.values())]
    for i, criterion in enumerate(criteria):
        for j, name in enumerate(criterion.get("contradicted_by", ())):
            if name not in known:
                near = nearest(name, known)
                bad(f"`{name}` is neither a finding code of sarflow check nor a family of them",
                    ("quality_assurance", "criteria", i, "contradicted_by", j),
                    f"did you mean {near}?" if near else "name codes or families of the check reference "
                    "(site/reference/checks.md), e.g. imr-late or Chronology")


def _columns(items: list[dict[str, str]]) -> tuple[Column, ...]:
    return tuple(Column(str(c["key"]), str(c["title"])) for c in items)


def _fields(items: list[dict[str, object]], own: bool = False) -> tuple[ActionField, ...]:
    return tuple(
        ActionField(
            str(c["key"]),
            str(c["title"]),
            kind=c["kind"],  # type: ignore[arg-type]  # template.schema.json allows only FIELD_KINDS
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
        published_marking=data.get("published_marking"),
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
        criteria=tuple(Criterion(c["id"], c["text"], tuple(c.get("contradicted_by", ()))) for c in qa["criteria"]),
        sign_off=_columns(data["sign_off"]),
        trigger_questions=tuple(data["trigger_questions"]),
        good_practice=data["good_practice"],
        stages=tuple(Stage(s["id"], s["description"], s.get("completes") is True, s.get("writes_report") is True,
                           s.get("publishes") is True) for s in data["stages"]),
        action_plan=ActionPlanLayout(
            sheet=plan["sheet"],
            today_label=plan["today_label"],
            status_sheet=plan["status_sheet"],
            statuses=tuple(plan["statuses"]),
            completed=plan["completed"],
            not_logged=plan["not_logged"],
            overall_not_logged=plan["overall_not_logged"],
            columns=_fields(plan["columns"]),
            own_fields=_fields(plan["own_fields"], own=True),
        ),
    )
