"""Placeholders and implausible dates: warnings in a draft, errors once submitted; abbreviations everyone knows pass.

The draft IMR (gp-practice) and the submitted one (acute-trust) of the worked example
take each bad input; positions and severities are read from the findings, the dates
from the example.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import rewrite
from sarflow.check import check
from sarflow.cli import main
from sarflow.findings import Finding, Severity
from sarflow.load import load

GP = "reviews/adult-a/gp-practice"  # a draft
TRUST = "reviews/adult-a/acute-trust"  # submitted
ASC = "reviews/adult-a/adult-social-care"  # approved
PLAUSIBILITY = ("placeholder", "unlikely-date", "dated-in-future", "updates-order", "period-empty")


def findings(root: Path, rel: str, *codes: str) -> list[Finding]:
    return [f for f in check(load(root), [root / rel]) if f.code in codes and f.span.path == rel]


def test_the_example_has_none(example: object) -> None:
    from sarflow.model import Repository

    assert isinstance(example, Repository)
    assert [str(f) for f in check(example) if f.code in (*PLAUSIBILITY, "abbreviation-missing")] == []


@pytest.mark.parametrize(("imr", "severity"), [(GP, Severity.WARNING), (TRUST, Severity.ERROR)])
def test_tbc_as_an_answer(tmp_repo: Path, imr: str, severity: Severity) -> None:
    rel = f"{imr}/analysis.md"
    text = (tmp_repo / rel).read_text(encoding="utf-8")
    heading = next(line for line in text.split("\n") if line.startswith("## Q4"))
    at = rewrite(tmp_repo, rel, heading + "\n", heading + "\n\nTBC - insert answer here\n")
    found = findings(tmp_repo, rel, "placeholder", "abbreviation-missing", "tor-empty-answer")
    assert [(f.code, f.span.line, f.span.col, f.severity) for f in found if f.span.line in (at, at + 2)] == [
        ("placeholder", at + 2, 1, severity)
    ]
    assert "`TBC`" in next(f for f in found if f.code == "placeholder").message and not [f for f in found if f.code == "abbreviation-missing"]


@pytest.mark.parametrize(
    ("rel", "old", "new", "word"),
    [
        (f"{TRUST}/narrative.md", "Adult A", "Mr XXX", "XXX"),
        (f"{TRUST}/introduction.md", "Adult A", "[insert name]", "[insert name]"),
        (f"{TRUST}/lessons.md", "## L1 Raising a concern is not the end of the Trust's responsibility",
         "## L1 <the lesson in a sentence>", "<the lesson in a sentence>"),
        (f"{TRUST}/methodology.md", "## Records examined", "## Records examined\n\nTo be confirmed.", "To be confirmed"),
        (f"{TRUST}/chronology.yml", "    source: Tissue viability record", "    source: TBA", "TBA"),
        (f"{TRUST}/actions.yml", "    lead_officer: Named Nurse for Safeguarding Adults", "    lead_officer: tbc", "tbc"),
        (f"{TRUST}/imr.yml", "  job_title: Named Nurse for Safeguarding Adults, Northbridge Hospitals NHS Foundation Trust",
         "  job_title: TBD", "TBD"),
    ],
)
def test_placeholder_left_in_place(tmp_repo: Path, rel: str, old: str, new: str, word: str) -> None:
    text = (tmp_repo / rel).read_text(encoding="utf-8")
    first = text.index(old)
    path = tmp_repo / rel
    path.write_text(text[:first] + new + text[first + len(old):], encoding="utf-8")
    line = text[:first].count("\n") + 1 + new[: new.index(word)].count("\n")
    found = findings(tmp_repo, rel, "placeholder")
    assert [(f.span.line, f.severity) for f in found] == [(line, Severity.ERROR)], [str(f) for f in found]
    assert f"`{word}`" in found[0].message


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    marker=st.sampled_from(["TBC", "tbc", "TBA", "XXX", "xxxx", "[insert date]", "[Add the outcome]", "insert the outcome here",
                            "to be completed", "<insert name>"]),
    where=st.integers(min_value=0, max_value=200),
)
def test_a_placeholder_anywhere_in_a_section_is_found_on_its_line(tmp_repo: Path, marker: str, where: int) -> None:
    rel = f"{TRUST}/analysis.md"
    lines = (tmp_repo / rel).read_text(encoding="utf-8").split("\n")
    prose = [i for i, line in enumerate(lines) if line and not line.startswith("#")]
    at = prose[where % len(prose)]
    lines[at] = f"{lines[at]} ({marker})"
    (tmp_repo / rel).write_text("\n".join(lines), encoding="utf-8")
    assert [f.span.line for f in findings(tmp_repo, rel, "placeholder")] == [at + 1]
    (tmp_repo / rel).write_text("\n".join([*lines[:at], lines[at].removesuffix(f" ({marker})"), *lines[at + 1:]]), encoding="utf-8")


def test_a_fresh_scaffold_does_not_check_clean(tmp_repo: Path) -> None:
    assert main(["--root", str(tmp_repo), "new", "review", "adult-b"]) == 0
    assert main(["--root", str(tmp_repo), "new", "imr", "adult-b", "police", "--name", "Northbridge Constabulary"]) == 0
    rel = "reviews/adult-b/review.yml"
    found = findings(tmp_repo, rel, *PLAUSIBILITY)
    text = (tmp_repo / rel).read_text(encoding="utf-8").split("\n")
    lines = {f.code: [] for f in found}
    for f in found:
        lines[f.code].append(text[f.span.line - 1].split(":")[0].strip().lstrip("- "))
    assert sorted(lines["placeholder"]) == ["name", "scope", "source", "summary", "text"]
    assert lines["period-empty"] == ["from"]
    assert all(f.severity is Severity.WARNING for f in found)


def test_date_of_birth_before_1900_or_after_today(tmp_repo: Path) -> None:
    rel = f"{ASC}/imr.yml"
    line = rewrite(tmp_repo, rel, "    date_of_birth: 1972-08-30", "    date_of_birth: 1872-08-30")
    found = findings(tmp_repo, rel, "unlikely-date")
    assert [(f.span.line, f.span.col, f.severity) for f in found] == [(line, 20, Severity.ERROR)]
    assert found[0].message == "Mr B's date of birth, 30/08/1872, is before 1900"
    rewrite(tmp_repo, rel, "    date_of_birth: 1872-08-30", "    date_of_birth: 2972-08-30")
    assert [f.message for f in findings(tmp_repo, rel, "unlikely-date")] == ["Mr B's date of birth, 30/08/2972, is after today"]


def test_death_before_birth(tmp_repo: Path) -> None:
    rel = f"{GP}/imr.yml"
    line = rewrite(tmp_repo, rel, "    date_of_death: 2025-11-17", "    date_of_death: 1945-11-17")
    found = findings(tmp_repo, rel, "unlikely-date")
    assert [(f.span.line, f.severity) for f in found] == [(line, Severity.WARNING)]
    assert "before their date of birth" in found[0].message


def test_approval_dated_in_the_future(tmp_repo: Path) -> None:
    rel = f"{ASC}/imr.yml"
    line = rewrite(tmp_repo, rel, "  date: 2026-02-25", "  date: 2999-02-25")
    found = findings(tmp_repo, rel, "dated-in-future")
    assert [(f.span.line, f.span.col, f.severity) for f in found] == [(line, 9, Severity.ERROR)]


def test_update_dated_in_the_future_and_updates_out_of_order(tmp_repo: Path) -> None:
    rel = f"{ASC}/actions.yml"
    future = rewrite(tmp_repo, rel, "      - date: 2026-06-19\n        text: >-\n          Second audit",
                     "      - date: 2999-06-19\n        text: >-\n          Second audit")
    early = rewrite(tmp_repo, rel, "      - date: 2026-04-24\n        text: >-\n          Mosaic",
                    "      - date: 2026-02-24\n        text: >-\n          Mosaic")
    found = findings(tmp_repo, rel, "dated-in-future", "updates-order")
    assert [(f.code, f.span.line) for f in found] == [("updates-order", early), ("dated-in-future", future)]
    assert found[0].message == "this update (24/02/2026) comes after one dated 20/03/2026"


def test_period_of_no_length(tmp_repo: Path) -> None:
    rel = "reviews/adult-a/review.yml"
    text = (tmp_repo / rel).read_text(encoding="utf-8")
    end = re.search(r"\n  to: (\S+)", text).group(1)
    rewrite(tmp_repo, rel, re.search(r"\n  from: \S+", text).group(0), f"\n  from: {end}")
    found = findings(tmp_repo, rel, "period-empty")
    assert len(found) == 1 and found[0].severity is Severity.WARNING


def test_common_and_standard_abbreviations_need_no_glossary_entry(tmp_repo: Path) -> None:
    rel = f"{TRUST}/narrative.md"
    path = tmp_repo / rel
    path.write_text(path.read_text(encoding="utf-8") + "\nHer NI number was on the IMR's cover sheet, and the CPN was TBC.\n",
                    encoding="utf-8")
    imr = tmp_repo / f"{TRUST}/imr.yml"
    imr.write_text(imr.read_text(encoding="utf-8").replace("  IMR: Individual Management Review\n", ""), encoding="utf-8")
    assert sorted(f.message.split("`")[1] for f in findings(tmp_repo, rel, "abbreviation-missing")) == ["CPN", "NI"]
    board = tmp_repo / "reviews/board.yml"
    board.write_text(board.read_text(encoding="utf-8") + "common_abbreviations: [NI, CPN]\n", encoding="utf-8")
    assert findings(tmp_repo, rel, "abbreviation-missing") == []
    assert [str(f) for f in load(tmp_repo).findings] == []
