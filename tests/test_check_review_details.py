"""review.yml's details that a report states (decision, completion, publication, the family's part, themes):
loaded with positions, each flagged where missing once the review's stage is due for it, and a completion
or publication flagged where the review's stage is too early for it, by the template's stages alone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import edit_yaml
from sarflow.check import check
from sarflow.cli import main
from sarflow.findings import Finding, Severity, Span
from sarflow.load import load
from sarflow.model import Repository

FILE = "reviews/adult-a/review.yml"
ROOT = Path(__file__).resolve().parents[1]


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


# Each detail as an author writes it in review.yml.
GIVE = {
    "decision_date": "decision_date: 2025-12-15",
    "family_involvement": "family_involvement: {invited: true, took_part: true, advocacy: true}",
    "themes": "themes: [self-neglect]",
    "completed": "completed: 2026-08-01",
    "published": "published: {date: 2026-09-01, where: The board's website}",
}
REPORT_DETAILS = ("decision_date", "family_involvement", "themes")


@pytest.fixture
def lone(tmp_path: Path) -> Path:
    """A repository of adult-a's review.yml alone (no IMR), the board and the schemas: quick to check."""
    shutil.copytree(ROOT / "schema", tmp_path / "schema")
    (tmp_path / "reviews" / "adult-a").mkdir(parents=True)
    shutil.copy(ROOT / "reviews" / "board.yml", tmp_path / "reviews" / "board.yml")
    shutil.copy(ROOT / FILE, tmp_path / FILE)
    return tmp_path


def review_at(root: Path, stage: str, *given: str) -> str:
    """review.yml at `stage` with only the `given` details (every other one taken out); its text."""
    kept: list[str] = []
    skipping = False
    for line in review_text(root).split("\n"):
        key = line.split(":")[0]
        if key in GIVE or key == "stage":
            skipping = True
        elif not line.startswith((" ", "-")):
            skipping = False
        if not skipping:
            kept.append(line)
    text = "\n".join([*kept, f"stage: {stage}", *(GIVE[key] for key in given), ""])
    (root / FILE).write_text(text, encoding="utf-8")
    return text


def judged(root: Path) -> tuple[set[str], set[str], list[Finding]]:
    """The details check says are missing and those it says are given too early, by the key its hint names."""
    found = [f for f in check(load(root)) if f.span.path == FILE and f.code in ("review-detail-missing", "review-detail-early")]
    missing = {f.hint.split("`")[1].split(":")[0] for f in found if f.code == "review-detail-missing" and f.hint}
    early = {f.hint.split("take out `")[1].split(":")[0] for f in found if f.code == "review-detail-early" and f.hint}
    return missing, early, found


@pytest.mark.parametrize("key", REPORT_DETAILS)
def test_from_the_report_stage_the_decision_the_family_and_the_themes_are_each_flagged(lone: Path, key: str) -> None:
    text = review_at(lone, "report", *(k for k in REPORT_DETAILS if k != key))
    missing, early, found = judged(lone)
    assert missing == {key} and early == set()
    (finding,) = found
    assert finding.span == Span(FILE, stage_line(text), 8) and finding.severity is Severity.WARNING
    assert "report stage" in finding.message


def test_before_the_report_stage_nothing_is_due(lone: Path) -> None:
    review_at(lone, "panel")
    assert judged(lone)[:2] == (set(), set())


def test_at_the_report_stage_a_review_may_be_completed_but_need_not_be(lone: Path) -> None:
    review_at(lone, "report", *REPORT_DETAILS)
    assert judged(lone)[:2] == (set(), set())
    review_at(lone, "report", *REPORT_DETAILS, "completed")  # signed off by the board, waiting to be published
    assert judged(lone)[:2] == (set(), set())


@pytest.mark.parametrize("stage", ["published", "monitoring", "closed"])
def test_once_published_the_completion_and_the_publication_are_due(lone: Path, stage: str) -> None:
    review_at(lone, stage, *REPORT_DETAILS)
    assert judged(lone)[:2] == ({"completed", "published"}, set())
    review_at(lone, stage, *REPORT_DETAILS, "completed", "published")
    assert judged(lone)[:2] == (set(), set())


def test_a_completion_before_the_report_is_written_is_flagged_at_its_line(lone: Path) -> None:
    text = review_at(lone, "panel", "decision_date", "completed")
    missing, early, found = judged(lone)
    assert missing == set() and early == {"completed"}
    line = next(n for n, row in enumerate(text.split("\n"), 1) if row.startswith("completed:"))
    (finding,) = found
    assert finding.span == Span(FILE, line, 12) and finding.severity is Severity.WARNING
    assert "panel" in finding.message and finding.hint and "`stage: report`" in finding.hint


def test_a_publication_before_the_publishing_stage_is_flagged(lone: Path) -> None:
    review_at(lone, "report", *REPORT_DETAILS, "completed", "published")
    missing, early, found = judged(lone)
    assert missing == set() and early == {"published"}
    assert found[0].hint and "`stage: published`" in found[0].hint


def test_the_stages_come_from_the_template_whatever_their_order_and_names(lone: Path) -> None:
    """The template's stages renamed, reordered and their flags moved: check follows the template."""

    def move(data) -> None:  # the stages adult-a's stage_dates name are kept
        data["stages"] = [{"id": s, "description": f"The stage {s}.", **flags} for s, flags in (
            ("referral", {}), ("scoping", {}), ("imrs-requested", {}), ("drafting", {"writes_report": True}),
            ("panel", {}), ("signed-off", {"completes": True}), ("on-website", {"publishes": True}), ("closed", {}))]

    edit_yaml(lone / "schema" / "templates" / "sar9-v3.yml", move)
    assert main(["--root", str(lone), "schemas"]) == 0  # review.yml's stages follow the template
    cases = [  # stage, details given -> missing, given too early
        ("imrs-requested", ("completed",), set(), {"completed"}),
        ("drafting", (), set(REPORT_DETAILS), set()),
        ("panel", (*REPORT_DETAILS, "completed"), set(), set()),  # panel now comes after the report is written
        ("signed-off", REPORT_DETAILS, {"completed"}, set()),
        ("signed-off", (*REPORT_DETAILS, "completed", "published"), set(), {"published"}),
        ("on-website", REPORT_DETAILS, {"completed", "published"}, set()),
        ("closed", (*REPORT_DETAILS, "completed", "published"), set(), set()),
    ]
    for stage, given, missing, early in cases:
        review_at(lone, stage, *given)
        found = judged(lone)
        assert found[:2] == (missing, early), (stage, given, found[2])
        assert not [f for f in check(load(lone)) if f.code in ("not-allowed", "bad-template")]
    review_at(lone, "signed-off", *REPORT_DETAILS, "published")
    assert "`stage: on-website`" in (judged(lone)[2][-1].hint or "")


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


@pytest.mark.parametrize(("dates", "flagged_at"), [
    ({"decision_date": "2025-12-15", "completed": "2025-12-01"}, "completed:"),  # completed before the decision
    ({"decision_date": "2025-12-15", "completed": "2026-08-01", "published": "2026-07-01"}, "published:"),
    ({"decision_date": "2025-12-15", "published": "2025-11-01"}, "published:"),  # no completion: against the decision
    ({"decision_date": "2025-12-15", "completed": "2025-12-15", "published": "2025-12-15"}, None),  # all on one day
    ({"decision_date": "2025-12-15", "completed": "2026-08-01", "published": "2026-09-01"}, None),
])
def test_a_review_is_decided_then_completed_then_published(lone: Path, dates: dict[str, str], flagged_at: str | None) -> None:
    lines = [f"{key}: {day}" if key != "published" else f"published: {{date: {day}, where: The board's website}}"
             for key, day in dates.items()]
    text = review_at(lone, "monitoring", "family_involvement", "themes")
    text = text.rstrip("\n") + "\n" + "\n".join(lines) + "\n"
    (lone / FILE).write_text(text, encoding="utf-8")
    found = [f for f in check(load(lone)) if f.code == "review-dates-order"]
    if flagged_at is None:
        assert found == []
    else:
        line = next(n for n, row in enumerate(text.split("\n"), 1) if row.startswith(flagged_at))
        (finding,) = found
        assert finding.span.path == FILE and finding.span.line == line and finding.severity is Severity.WARNING
        assert finding.hint and "decided on, then completed, then published" in finding.hint
