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


# Each kind of heading: the file, the line the example has there, what the finding calls it, and the
# findings a near miss of it must not bring as well (the answer or lesson reported missing besides).
KINDS = {
    "answer": (f"{GP}/analysis.md", "## Q2 Mental capacity and Adult A's wishes", "the answer to Q2", ("tor-unanswered",)),
    "lesson": (f"{TRUST}/lessons.md", "## L1 Raising a concern is not the end of the Trust's responsibility", "lesson L1",
               ("unknown-lesson", "lesson-heading", "no-lessons")),
    "good practice": (f"{TRUST}/analysis.md", "## Good practice", "the good practice", ("good-practice-missing",)),
}
# What an author writes instead, and the form the hint gives.
NEAR_MISSES = [
    ("answer", "## Question 2 Mental capacity and Adult A's wishes", "## Q2 Mental capacity and Adult A's wishes"),
    ("answer", "## Q 2 Mental capacity and Adult A's wishes", "## Q2 Mental capacity and Adult A's wishes"),
    ("answer", "##Q2 Mental capacity and Adult A's wishes", "## Q2 Mental capacity and Adult A's wishes"),
    ("answer", "### Q2 Mental capacity and Adult A's wishes", "## Q2 Mental capacity and Adult A's wishes"),
    ("answer", "**Q2 Mental capacity and Adult A's wishes**", "## Q2 Mental capacity and Adult A's wishes"),
    ("answer", "# Q2: Mental capacity and Adult A's wishes", "## Q2 Mental capacity and Adult A's wishes"),
    ("answer", "## q2 - Mental capacity and Adult A's wishes", "## Q2 Mental capacity and Adult A's wishes"),
    ("answer", "## ToR question two", "## Q2"),
    ("lesson", "## Lesson 1 Raising a concern is not the end of the Trust's responsibility",
     "## L1 Raising a concern is not the end of the Trust's responsibility"),
    ("lesson", "## Lesson one: Raising a concern", "## L1 Raising a concern"),
    ("lesson", "## L 1 Raising a concern", "## L1 Raising a concern"),
    ("lesson", "**L1 Raising a concern**", "## L1 Raising a concern"),
    ("lesson", "### L1. Raising a concern", "## L1 Raising a concern"),
    *(("good practice", written, "## Good practice") for written in
      ["### Good practice", "**Good practice**", "## Good practise", "##Good Practice", "## Examples of good practice"]),
]


@pytest.mark.parametrize(("kind", "written", "form"), NEAR_MISSES)
def test_a_heading_near_miss_is_reported_at_its_line_and_its_form_clears_it(
    tmp_repo: Path, kind: str, written: str, form: str
) -> None:
    rel, original, what, missing = KINDS[kind]
    line = replace_line(tmp_repo, rel, original, written)
    finding = heading_form(tmp_repo, rel)
    assert (finding.span.line, finding.span.col, finding.severity.value) == (line, 1, "error")
    assert finding.message.startswith(f"`{written}` looks like the heading of {what},")
    assert form_in(finding.hint) == form
    folder = tmp_repo / rel.rsplit("/", 1)[0]
    assert [str(f) for f in check(load(tmp_repo), [folder]) if f.code in missing] == []  # not also reported missing
    replace_line(tmp_repo, rel, written, form)
    assert [str(f) for f in check(load(tmp_repo), [folder]) if f.code in ("heading-form", *missing)] == []


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
