"""`sarflow new imr` changes review.yml only by adding lines, and every value it writes reads back as written.

The panel reads the pull request's diff: adding an agency must show the agency and
nothing else (it was a 114-line diff on the worked example, with folded text reflowed).
And an agency named `Yes`, `Off` or `1:30` must not come back as true, false or 90.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sarflow import yamltext
from sarflow.check import check
from sarflow.cli import main
from sarflow.load import load

REVIEW = "reviews/adult-a/review.yml"


def diff(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines added and the lines removed."""
    lines = list(difflib.ndiff(before.split("\n"), after.split("\n")))
    return [line[2:] for line in lines if line.startswith("+ ")], [line[2:] for line in lines if line.startswith("- ")]


def new_imr(root: Path, *argv: str) -> int:
    return main(["--root", str(root), "new", "imr", *argv])


def test_adding_an_agency_to_the_example_only_adds_its_lines(tmp_repo: Path) -> None:
    before = (tmp_repo / REVIEW).read_text(encoding="utf-8")
    assert new_imr(tmp_repo, "adult-a", "police", "--name", "Northbridge Constabulary", "--due", "2027-03-01") == 0
    added, removed = diff(before, (tmp_repo / REVIEW).read_text(encoding="utf-8"))
    assert removed == []
    # a short code made from its name, so that the combined action plan can refer to its actions (NC-1)
    assert added == ["  - id: police", "    name: Northbridge Constabulary", "    short_code: NC", "    imr_due: 2027-03-01"]
    review = load(tmp_repo).review("adult-a")
    assert review is not None and [a.id for a in review.agencies][-1] == "police"
    assert [f for f in check(load(tmp_repo), [tmp_repo / REVIEW]) if f.code.startswith("short-code")] == []


def test_the_short_code_given_or_made_is_the_agencys_own(tmp_repo: Path) -> None:
    taken = [a.short_code for a in load(tmp_repo).review("adult-a").agencies]  # type: ignore[union-attr]
    assert new_imr(tmp_repo, "adult-a", "police", "--name", "Riverside Medical Police", "--code", "POL2") == 0
    assert new_imr(tmp_repo, "adult-a", "housing", "--name", "Riverside Medical Practice") == 0
    codes = {a.id: a.short_code for a in load(tmp_repo).review("adult-a").agencies}  # type: ignore[union-attr]
    assert codes["police"] == "POL2"
    assert codes["housing"] not in taken and len(set(codes.values())) == len(codes)


@pytest.mark.parametrize("code", ["asc", "A", "TOOLONGX", "1AB", "A C"])
def test_a_short_code_of_the_wrong_form_is_refused(tmp_repo: Path, code: str, capsys: pytest.CaptureFixture[str]) -> None:
    before = (tmp_repo / REVIEW).read_text(encoding="utf-8")
    assert new_imr(tmp_repo, "adult-a", "police", "--code", code) == 2
    assert "is not a short code: write 2 to 6 capital letters or digits" in capsys.readouterr().err
    assert (tmp_repo / REVIEW).read_text(encoding="utf-8") == before and not (tmp_repo / "reviews/adult-a/police").exists()


@pytest.mark.parametrize("name", ["Yes", "Off", "1:30", "No", "null", "~", "2026-01-01", "1e3", "0x1F", "Police: North",
                                  "A team # 2", "'Quoted'", '"Quoted"', "[Police]", "{Police}", "*Police", "& Partners",
                                  "- Police", "@Police", "%Police", "St John's Ambulance", "Back\\slash"])
def test_an_agency_name_yaml_would_misread_is_quoted(tmp_repo: Path, name: str) -> None:
    assert new_imr(tmp_repo, "adult-a", "police", "--name", name) == 0
    review = load(tmp_repo).review("adult-a")
    assert review is not None
    agency = review.agency("police")
    assert agency is not None and agency.name == name
    assert [str(f) for f in load(tmp_repo).findings if f.span.path == REVIEW] == []


def test_an_agency_id_yaml_would_misread_is_quoted_in_its_imr(tmp_repo: Path) -> None:
    assert new_imr(tmp_repo, "adult-a", "yes", "--name", "Yes Housing") == 0
    imr = load(tmp_repo).review("adult-a").imrs["yes"]
    assert imr.findings == []
    assert yaml.safe_load((tmp_repo / "reviews/adult-a/yes/imr.yml").read_text(encoding="utf-8"))["agency"] == "yes"


def test_a_new_review_and_its_first_agency(tmp_repo: Path) -> None:
    """A new review lists `agencies: []`: the `[]` goes, which is the only line that changes."""
    assert main(["--root", str(tmp_repo), "new", "review", "on"]) == 0
    file = tmp_repo / "reviews/on/review.yml"
    before = file.read_text(encoding="utf-8")
    assert yaml.safe_load(before)["reference"] == "ON"
    assert new_imr(tmp_repo, "on", "police", "--name", "Off") == 0
    added, removed = diff(before, file.read_text(encoding="utf-8"))
    assert len(removed) == 1 and removed[0].startswith("agencies: []")
    assert added[0].startswith("agencies:") and added[0].endswith(removed[0].split("#", 1)[1])  # the comment stays
    review = load(tmp_repo).review("on")
    assert review is not None and [(a.id, a.name) for a in review.agencies] == [("police", "Off")]


def test_agencies_written_one_per_line_in_braces(tmp_repo: Path) -> None:
    file = tmp_repo / REVIEW
    text = file.read_text(encoding="utf-8")
    start = text.index("agencies:\n")
    end = text.index("stage:")
    braces = "agencies:\n  - {id: adult-social-care, name: Northbridge Council Adult Social Care, imr_due: 2026-03-06}\n" \
             "  - {id: acute-trust, name: Northbridge Hospitals NHS Foundation Trust, imr_due: 2026-03-06}\n" \
             "  - {id: gp-practice, name: Riverside Medical Practice, imr_due: 2026-03-06}\n"
    file.write_text(text[:start] + braces + text[end:], encoding="utf-8")
    before = file.read_text(encoding="utf-8")
    assert new_imr(tmp_repo, "adult-a", "police", "--name", "Police, North", "--due", "2027-03-01") == 0
    added, removed = diff(before, file.read_text(encoding="utf-8"))
    assert removed == []
    assert added == ['  - {id: police, name: "Police, North", short_code: PN, imr_due: 2027-03-01}']
    review = load(tmp_repo).review("adult-a")
    assert review is not None and review.agency_name("police") == "Police, North"


def test_agencies_on_one_line_are_left_alone(tmp_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_repo / REVIEW
    text = file.read_text(encoding="utf-8")
    start, end = text.index("agencies:\n"), text.index("stage:")
    file.write_text(text[:start] + "agencies: [{id: acute-trust, name: Trust, imr_due: 2026-03-06}]\n" + text[end:], encoding="utf-8")
    before = file.read_text(encoding="utf-8")
    assert new_imr(tmp_repo, "adult-a", "police", "--name", "Police") == 1
    assert file.read_text(encoding="utf-8") == before
    assert "{id: police, name: Police, short_code: POL, imr_due: " in capsys.readouterr().err


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40))
def test_any_text_reads_back_as_written(text: str) -> None:
    written = yamltext.scalar(text)
    for loader in (yaml.SafeLoader, yaml.CSafeLoader):
        assert yaml.load(f"key: {written}", Loader=loader) == {"key": text}
        assert yaml.load(f"{{key: {written}}}", Loader=loader) == {"key": text}
