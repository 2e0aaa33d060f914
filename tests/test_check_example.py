"""The worked example checks clean: the approved and submitted IMRs have nothing to report, and the
draft IMR (gp-practice) has only the completeness warnings a draft is expected to have."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from sarflow.check import check
from sarflow.dates import today
from sarflow.findings import Severity
from sarflow.model import Repository

DRAFT = "reviews/adult-a/gp-practice"
# What the draft still lacks, as of the example: some answers, lessons, the narrative,
# part of the QA form; and it is past its due date.
DRAFT_WARNINGS = {"tor-empty-answer", "good-practice-missing", "no-lessons", "section-empty", "qa-unanswered", "imr-late"}


def test_example_has_no_errors_and_only_the_draft_warns(example: Repository) -> None:
    findings = check(example)
    assert [str(f) for f in findings if f.severity is Severity.ERROR] == []
    assert [str(f) for f in findings if not f.span.path.startswith(DRAFT + "/")] == []


def test_the_drafts_expected_warnings(example: Repository) -> None:
    review = example.review("adult-a")
    assert review is not None
    imr = review.imrs["gp-practice"]
    assert imr.status == "draft"
    found = Counter(f.code for f in check(example, [imr.folder]))
    empty = [h for h in imr.sections["analysis"].headings if h.title.startswith("Q") and not h.body]
    unanswered = [c for c in example.template.criteria if c.id not in imr.quality_assurance.answers]
    due = review.agency("gp-practice").imr_due
    good = imr.sections["analysis"].heading("Good")
    expected = {
        "tor-empty-answer": len(empty),
        "good-practice-missing": 0 if good and good.body else 1,
        "no-lessons": 0 if any(h.level == 2 for h in imr.sections["lessons"].headings) else 1,
        "section-empty": sum(1 for s in imr.sections.values() if not s.written and s.id not in ("analysis", "lessons")),
        "qa-unanswered": 1 if unanswered else 0,
        "imr-late": 1 if due and today() > due else 0,
    }
    assert set(found) <= DRAFT_WARNINGS
    assert found == Counter({code: n for code, n in expected.items() if n})


def test_paths_limit_the_check(example: Repository) -> None:
    review = example.review("adult-a")
    assert review is not None
    folder = review.imrs["gp-practice"].folder
    everything = check(example)
    assert check(example, [review.folder]) == everything
    assert check(example, [folder]) == [f for f in everything if f.span.path.startswith(DRAFT + "/")]
    single = check(example, [folder / "imr.yml"])
    assert single and all(f.span.path == f"{DRAFT}/imr.yml" for f in single)
    assert check(example, [review.imrs["acute-trust"].folder]) == []


def test_check_never_changes_a_file(example: Repository, root: Path) -> None:
    before = {p: p.stat().st_mtime_ns for p in (root / "reviews").rglob("*") if p.is_file()}
    check(example)
    assert {p: p.stat().st_mtime_ns for p in (root / "reviews").rglob("*") if p.is_file()} == before
