"""The loader on the worked example: what it holds, and where each value was written."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from sarflow.dates import today
from sarflow.findings import Span
from sarflow.load import syntax, yamlfile
from sarflow.model import Repository

REVIEW = "reviews/adult-a"


def line_of(root: Path, path: str, pattern: str, occurrence: int = 0) -> Span:
    """Where `pattern` (a regex with one group: the value) matches in the file, found by reading it."""
    lines = (root / path).read_text(encoding="utf-8").split("\n")
    hits = [(n, m) for n, text in enumerate(lines, 1) if (m := re.search(pattern, text))]
    number, match = hits[occurrence]
    return Span(path, number, match.start(1) + 1)


def test_the_example_loads_without_findings(example: Repository) -> None:
    assert [str(f) for f in example.all_findings()] == []


def test_pyyaml_c_loader_is_used() -> None:
    assert issubclass(syntax.LOADER, yaml.CSafeLoader)


def test_board_and_template(example: Repository) -> None:
    assert example.board is not None
    assert example.board.short_name == "NSAB"
    assert example.template.id == example.board.template_id == "SAR9 V3"
    assert len(example.template.criteria) == 11
    assert len(example.template.trigger_questions) == 13
    assert example.template.action_plan.statuses == ("Not started", "In progress", "Completed")
    assert example.template.marking == "Strictly Confidential"


def test_the_review(example: Repository) -> None:
    review = example.review("adult-a")
    assert review is not None and review.subject is not None and review.period is not None
    assert review.subject.name == "Adult A" and review.subject.deceased
    assert review.basis == "mandatory"
    assert len(review.terms_of_reference.questions) == 6
    assert [q.id for q in review.terms_of_reference.questions] == [f"Q{n}" for n in range(1, 7)]
    assert 600 <= (review.period.end - review.period.start).days <= 800
    assert set(review.imrs) == {a.id for a in review.agencies} == {"adult-social-care", "acute-trust", "gp-practice"}
    assert {imr.status for imr in review.imrs.values()} == {"approved", "submitted", "draft"}


def test_the_complete_imr(example: Repository) -> None:
    imr = next(i for i in example.imrs() if i.status == "approved")
    assert len(imr.chronology) >= 40
    assert len(imr.actions) >= 5
    assert {a.status for a in imr.actions} == set(example.template.action_plan.statuses)
    assert sum(a.is_overdue(today(), example.template.action_plan.completed) for a in imr.actions) >= 1
    assert set(imr.quality_assurance.answers) == {c.id for c in example.template.criteria}
    assert all(a.answer in ("yes", "no") for a in imr.quality_assurance.answers.values())
    assert imr.author and imr.author.name and imr.approved_by and imr.approved_by.name and imr.submitted
    assert all(section.written for section in imr.sections.values())


def test_the_draft_imr(example: Repository) -> None:
    imr = next(i for i in example.imrs() if i.status == "draft")
    answered = len(imr.quality_assurance.answers)
    assert 0 < answered < len(example.template.criteria)
    assert not all(section.written for section in imr.sections.values())
    assert set(imr.sections) == set(example.template.section_files)


def test_values_remember_file_line_and_column(example: Repository, root: Path) -> None:
    review = example.review("adult-a")
    assert review is not None and review.referral is not None
    assert review.span("reference") == line_of(root, f"{REVIEW}/review.yml", r"^reference:\s*(\S)")
    assert review.referral.span("date") == line_of(root, f"{REVIEW}/review.yml", r"^\s+date:\s*(\d{4})")
    imr = review.imrs["adult-social-care"]
    path = f"{REVIEW}/adult-social-care/actions.yml"
    for i, action in enumerate(imr.actions[:3]):
        assert action.span("status") == line_of(root, path, r"^\s+status:\s*(\S)", i)
    chronology = f"{REVIEW}/adult-social-care/chronology.yml"
    last = imr.chronology[-1]
    assert last.span("date") == line_of(root, chronology, r"date:\s*(\S)", len(imr.chronology) - 1)
    q3 = imr.sections["analysis"].heading("Q3")
    assert q3 is not None
    assert q3.span == line_of(root, f"{REVIEW}/adult-social-care/analysis.md", r"^(## Q3)\b")


def test_every_yaml_file_names_its_schema(root: Path) -> None:
    for file in sorted((root / "reviews").rglob("*.yml")):
        first = file.read_text(encoding="utf-8").split("\n", 1)[0]
        match = yamlfile.SCHEMA_LINE.match(first)
        assert match, f"{file} does not begin with its schema line"
        schema = (file.parent / match.group(1)).resolve()
        assert schema == (root / "schema" / f"{file.stem}.schema.json").resolve(), file
        assert schema.is_file()
