"""Headings meant as an answer, a lesson or good practice are reported at the line the author wrote, with the form to use.

Each near miss is written into a copy of the worked example; the finding must be at
its own line (not analysis.md:1:1), must say what to write, and writing that must
clear it without leaving the answer or lesson reported as missing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sarflow.check import check
from sarflow.findings import Finding
from sarflow.load import load

GP = "reviews/adult-a/gp-practice"  # a draft: its analysis answers Q1 to Q6, its lessons.md is empty
TRUST = "reviews/adult-a/acute-trust"  # submitted, with lessons L1 to L3 named by its actions


def findings(root: Path, rel: str) -> list[Finding]:
    return [f for f in check(load(root), [root / rel]) if f.span.path == rel]


def replace_line(root: Path, rel: str, old: str, new: str) -> int:
    """Write `new` in place of the line `old`; the 1-based line it is on."""
    path = root / rel
    lines = path.read_text(encoding="utf-8").split("\n")
    at = lines.index(old)
    lines[at] = new
    path.write_text("\n".join(lines), encoding="utf-8")
    return at + 1


def heading_form(root: Path, rel: str) -> Finding:
    found = [f for f in findings(root, rel) if f.code == "heading-form"]
    assert len(found) == 1, [str(f) for f in findings(root, rel)]
    return found[0]


def form_in(hint: str | None) -> str:
    assert hint is not None and hint.startswith("write the line as `")
    return hint.split("`")[1]


@pytest.mark.parametrize(
    ("written", "form"),
    [
        ("## Question 2 Mental capacity and Adult A's wishes", "## Q2 Mental capacity and Adult A's wishes"),
        ("## Q 2 Mental capacity and Adult A's wishes", "## Q2 Mental capacity and Adult A's wishes"),
        ("##Q2 Mental capacity and Adult A's wishes", "## Q2 Mental capacity and Adult A's wishes"),
        ("### Q2 Mental capacity and Adult A's wishes", "## Q2 Mental capacity and Adult A's wishes"),
        ("**Q2 Mental capacity and Adult A's wishes**", "## Q2 Mental capacity and Adult A's wishes"),
        ("# Q2: Mental capacity and Adult A's wishes", "## Q2 Mental capacity and Adult A's wishes"),
        ("## q2 - Mental capacity and Adult A's wishes", "## Q2 Mental capacity and Adult A's wishes"),
        ("## ToR question two", "## Q2"),
    ],
)
def test_answer_heading_near_miss(tmp_repo: Path, written: str, form: str) -> None:
    rel = f"{GP}/analysis.md"
    line = replace_line(tmp_repo, rel, "## Q2 Mental capacity and Adult A's wishes", written)
    finding = heading_form(tmp_repo, rel)
    assert (finding.span.line, finding.span.col) == (line, 1)
    assert f"`{written}`" in finding.message and "the answer to Q2" in finding.message
    assert form_in(finding.hint) == form
    assert [f.code for f in findings(tmp_repo, rel) if "Q2" in f.message] == ["heading-form"]  # not also unanswered
    replace_line(tmp_repo, rel, written, form)
    assert [str(f) for f in findings(tmp_repo, rel) if f.code in ("heading-form", "tor-unanswered")] == []


@pytest.mark.parametrize(
    ("written", "form"),
    [
        ("## Lesson 1 Raising a concern is not the end of the Trust's responsibility",
         "## L1 Raising a concern is not the end of the Trust's responsibility"),
        ("## Lesson one: Raising a concern", "## L1 Raising a concern"),
        ("## L 1 Raising a concern", "## L1 Raising a concern"),
        ("**L1 Raising a concern**", "## L1 Raising a concern"),
        ("### L1. Raising a concern", "## L1 Raising a concern"),
    ],
)
def test_lesson_heading_near_miss(tmp_repo: Path, written: str, form: str) -> None:
    rel = f"{TRUST}/lessons.md"
    line = replace_line(tmp_repo, rel, "## L1 Raising a concern is not the end of the Trust's responsibility", written)
    finding = heading_form(tmp_repo, rel)
    assert (finding.span.line, finding.span.col, finding.severity.value) == (line, 1, "error")
    assert form_in(finding.hint) == form
    everything = check(load(tmp_repo), [tmp_repo / TRUST])
    assert [str(f) for f in everything if f.code in ("unknown-lesson", "lesson-heading", "no-lessons")] == []
    replace_line(tmp_repo, rel, written, form)
    assert [str(f) for f in findings(tmp_repo, rel) if f.code == "heading-form"] == []


@pytest.mark.parametrize("written", ["### Good practice", "**Good practice**", "## Good practise", "##Good Practice",
                                     "## Examples of good practice"])
def test_good_practice_heading_near_miss(tmp_repo: Path, written: str) -> None:
    rel = f"{TRUST}/analysis.md"
    line = replace_line(tmp_repo, rel, "## Good practice", written)
    finding = heading_form(tmp_repo, rel)
    assert (finding.span.line, finding.span.col) == (line, 1)
    assert form_in(finding.hint) == "## Good practice"
    assert [f for f in findings(tmp_repo, rel) if f.code == "good-practice-missing"] == []


@pytest.mark.parametrize("name", ["analysis.md", "narrative.md"])
def test_top_level_heading_inside_a_section(tmp_repo: Path, name: str) -> None:
    rel = f"{TRUST}/{name}"
    path = tmp_repo / rel
    lines = path.read_text(encoding="utf-8").split("\n")
    lines.insert(5, "# Summary")
    path.write_text("\n".join(lines), encoding="utf-8")
    found = [f for f in findings(tmp_repo, rel) if f.code == "top-level-heading"]
    assert [(f.span.line, f.span.col, f.severity.value) for f in found] == [(6, 1, "error")]
    assert "`## Summary`" in (found[0].hint or "")


def test_the_example_has_no_heading_findings(example: object) -> None:
    from sarflow.model import Repository

    assert isinstance(example, Repository)
    assert [str(f) for f in check(example) if f.code in ("heading-form", "top-level-heading")] == []


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    hashes=st.sampled_from(["#", "##", "###", "####", "##", "**"]),
    space=st.sampled_from(["", " "]),
    word=st.sampled_from(["Q", "Q ", "Q.", "Question ", "question ", "QUESTION ", "Qu ", "TOR Q"]),
    title=st.sampled_from(["", " Declined and missed services", ": Declined and missed services", " - Declined"]),
)
def test_any_spelling_of_an_answer_heading_is_found_at_its_line(
    tmp_repo: Path, hashes: str, space: str, word: str, title: str
) -> None:
    written = f"{hashes}{space}{word}5{title}" + ("**" if hashes == "**" else "")
    if written.startswith("## Q5"):
        return  # the form itself
    rel = f"{GP}/analysis.md"
    line = replace_line(tmp_repo, rel, "## Q5 Declined and missed services", written)
    finding = heading_form(tmp_repo, rel)
    assert finding.span.line == line
    assert form_in(finding.hint).startswith("## Q5")
    replace_line(tmp_repo, rel, written, "## Q5 Declined and missed services")
