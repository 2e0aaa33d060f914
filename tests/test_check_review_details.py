"""review.yml's details that a report states (decision, completion, publication, the family's part, themes):
loaded with positions, and each flagged where missing once the review's stage is due for it."""

from __future__ import annotations

from pathlib import Path

import pytest

from sarflow.check import check
from sarflow.check.review import _DETAILS
from sarflow.findings import Finding, Severity, Span
from sarflow.load import load
from sarflow.model import Repository

FILE = "reviews/adult-a/review.yml"


def review_text(root: Path) -> str:
    return (root / FILE).read_text(encoding="utf-8")


def with_stage(root: Path, stage: str, extra: str = "") -> str:
    text = review_text(root)
    current = next(line for line in text.split("\n") if line.startswith("stage:"))
    text = text.replace(current, f"stage: {stage}{extra}")
    (root / FILE).write_text(text, encoding="utf-8")
    return text


def missing(root: Path) -> list[Finding]:
    return [f for f in check(load(root)) if f.code == "review-detail-missing"]


def stage_line(text: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), 1) if line.startswith("stage:"))


def stages_from(example: Repository, stage: str) -> list[str]:
    ids = [s.id for s in example.template.stages]
    return ids[ids.index(stage):]


@pytest.mark.parametrize("stage", ["report", "published"])
def test_each_detail_due_at_the_stage_is_flagged_at_the_stage_line(tmp_repo: Path, example: Repository, stage: str) -> None:
    text = with_stage(tmp_repo, stage)
    written = {key for key, *_ in _DETAILS}  # the example gives some details already: leave every one out
    text = "\n".join(line for line in text.split("\n") if line.split(":")[0] not in written)
    (tmp_repo / FILE).write_text(text, encoding="utf-8")
    found = missing(tmp_repo)
    due = [key for key, when, _, _ in _DETAILS if stage in stages_from(example, when)]
    assert {"decision_date", "family_involvement", "themes"} <= set(due) and ("completed" in due) == (stage == "published")
    assert len(found) == len(due) and all(f.span == Span(FILE, stage_line(text), 8) for f in found)
    assert all(f.severity is Severity.WARNING and stage in f.message for f in found)
    assert {f.hint.split("`")[1].split(":")[0] for f in found if f.hint} == set(due)


def test_nothing_is_due_before_the_report_stage(tmp_repo: Path, example: Repository) -> None:
    ids = [s.id for s in example.template.stages]
    with_stage(tmp_repo, ids[ids.index("report") - 1])
    assert missing(tmp_repo) == []


def test_a_review_with_every_detail_is_loaded_with_positions(tmp_repo: Path, example: Repository) -> None:
    assert example.board is not None
    theme = example.board.themes[0].id
    text = with_stage(tmp_repo, "monitoring", f"""
decision_date: 2025-12-15
completed: 2026-08-01
published: {{date: 2026-09-01, where: The board's website}}
family_involvement: {{invited: yes, took_part: false, advocacy: true, reason: The family declined.}}
themes: [{theme}]""")
    assert missing(tmp_repo) == []
    review = load(tmp_repo).review("adult-a")
    assert review is not None and review.published is not None and review.family_involvement is not None
    assert str(review.decision_date) == "2025-12-15" and str(review.completed) == "2026-08-01"
    assert review.published.where == "The board's website"
    family = review.family_involvement
    assert (family.invited, family.took_part, family.advocacy, family.reason) == (True, False, True, "The family declined.")
    line = next(n for n, row in enumerate(text.split("\n"), 1) if row.startswith("themes:"))
    assert [(t.text, t.at) for t in review.themes] == [(theme, Span(FILE, line, 10))]


def test_a_family_that_took_no_part_needs_the_reason_and_a_theme_must_be_the_boards(tmp_repo: Path) -> None:
    text = with_stage(tmp_repo, "report", """
decision_date: 2025-12-15
family_involvement: {invited: false, took_part: false, advocacy: false}
themes: [self-neglet]""")
    found = check(load(tmp_repo))
    reason = [f for f in found if f.code == "review-detail-missing"]
    line = next(n for n, row in enumerate(text.split("\n"), 1) if row.startswith("family_involvement:"))
    assert len(reason) == 1 and reason[0].span == Span(FILE, line, 21) and "was not invited" in reason[0].message
    theme = [f for f in found if f.code == "unknown-theme"]
    assert len(theme) == 1 and theme[0].hint == "did you mean self-neglect?"


def test_a_restricted_value_in_where_it_was_published_is_an_error(tmp_repo: Path, example: Repository) -> None:
    person = next(p for imr in example.imrs() for p in imr.personnel if p.name and len(p.name.split()) > 1)
    with_stage(tmp_repo, "published", f"\npublished: {{date: 2026-09-01, where: Sent by {person.name}}}")
    names = [f for f in check(load(tmp_repo)) if f.code == "real-name"]
    assert len(names) == 1 and names[0].severity is Severity.ERROR and names[0].span.path == FILE
