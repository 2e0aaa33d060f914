"""`sarflow import chronology`: an agency's chronology workbook becomes a change to chronology.yml.

The workbooks are the Chronology.xlsx files `sarflow build` makes from the example (built
once), and sheets an agency might lay out itself, imported into a copy of the example.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sarflow.cli import main
from sarflow.imports.chronology import read_chronology
from sarflow.imports.entries import values
from sarflow.imports.guard import CHRONOLOGY
from sarflow.imports.sheets import read_workbook
from sarflow.load import load
from sarflow.model import Repository
from sarflow.outputs import imr_dir, review_dir
from sarflow.xlsx.layout import CHRONOLOGY_FILE

ROOT = Path(__file__).resolve().parents[1]
AGENCY = "acute-trust"
EMPTY = "# yaml-language-server: $schema=../../../schema/chronology.schema.json\n# kept\nentries: []\n"


@pytest.fixture(scope="module")
def own(workbooks: Path) -> Path:
    return imr_dir(workbooks, "adult-a", AGENCY) / CHRONOLOGY_FILE


def run(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--root", str(root), "import", "chronology", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def chronology(root: Path, agency: str = AGENCY) -> Path:
    return root / "reviews" / "adult-a" / agency / "chronology.yml"


def entries(root: Path, agency: str = AGENCY) -> list[dict]:
    review = load(root).review("adult-a")
    assert review is not None
    return [values(e) for e in review.imrs[agency].chronology]


def test_its_own_workbook_fills_an_empty_chronology_with_nothing_lost_and_again_changes_nothing(
    own: Path, example: Repository, tmp_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = [values(e) for e in example.review("adult-a").imrs[AGENCY].chronology]
    chronology(tmp_repo).write_text(EMPTY, encoding="utf-8")
    code, said, _ = run(capsys, tmp_repo, str(own), f"adult-a/{AGENCY}")
    assert code == 0 and "Nothing written" in said and chronology(tmp_repo).read_text(encoding="utf-8") == EMPTY
    assert said.count("entry added from row") == len(original)
    code, said, err = run(capsys, tmp_repo, str(own), f"adult-a/{AGENCY}", "--write")
    assert code == 0, err
    assert entries(tmp_repo) == original
    assert "# kept" in chronology(tmp_repo).read_text(encoding="utf-8")
    assert main(["--root", str(tmp_repo), "check", str(chronology(tmp_repo).parent)]) == 0
    code, said, _ = run(capsys, tmp_repo, str(own), f"adult-a/{AGENCY}", "--write")
    assert code == 0 and "nothing to change" in said


def test_the_merged_chronology_gives_each_agency_its_own_rows(workbooks: Path, tmp_repo: Path, capsys) -> None:
    for agency in ("gp-practice", AGENCY):
        before = entries(tmp_repo, agency)
        chronology(tmp_repo, agency).write_text(EMPTY, encoding="utf-8")
        code, said, err = run(capsys, tmp_repo, str(review_dir(workbooks, "adult-a") / CHRONOLOGY_FILE), f"adult-a/{agency}", "--write")
        assert code == 0, err
        assert "row(s) of other agencies" in said
        assert entries(tmp_repo, agency) == before


def agency_sheet(path: Path, header: list[str], rows: list[list[object]], before: int = 0) -> Path:
    """A workbook as an agency might make it: a title above, its own column order and wording."""
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "Notes"
    notes["A1"] = "Read me first"
    ws = book.create_sheet("Our chronology")
    for _ in range(before):
        ws.append(["Chronology of involvement: Northbridge Hospitals"])
    ws.append(header)
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


HEADER = ["EVENT", "date", "  Source  of information", "Time", "Action taken", "Outcome", "By whom"]


def test_an_agencys_own_sheet_changes_entries_on_date_and_text_and_shows_checks_warning(
    tmp_repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = entries(tmp_repo)
    first = before[0]
    rows = [
        # the first entry with its event corrected: a change, not a second entry
        [first["event"] + " Seen by ED1.", first["date"], first["source"], dt.time(13, 42), first["action"],
         first["outcome"], first["by"]],
        # a new entry, before the period under review
        ["Seen in the ED after a fall.", dt.datetime(2023, 1, 5), "ED electronic record", "09:15-10:00", None, None, "ED1"],
        # a month known only, typed as ISO text
        ["Letter to the GP.", "2024-10 (approx.)", "Correspondence", None, None, None, None],
    ]
    book = agency_sheet(tmp_path / "ours.xlsx", HEADER, rows, before=2)
    code, said, err = run(capsys, tmp_repo, str(book), f"adult-a/{AGENCY}", "--write")
    assert code == 0, err
    assert "event:" in said and "entry added from row 5" in said and "entry added from row 6" in said
    assert "warning[outside-period]" in said and "ours.xlsx: 'Our chronology'!B5 (Date)" in said  # as Excel writes a sheet's name with a space
    after = entries(tmp_repo)
    assert len(after) == len(before) + 2
    assert after[1]["event"] == first["event"] + " Seen by ED1."
    assert after[0]["date"] == dt.date(2023, 1, 5) and after[0]["time"] == "09:15-10:00"
    assert any(e["date"] == "2024-10" and e["approximate"] for e in after)
    code, said, _ = run(capsys, tmp_repo, str(book), f"adult-a/{AGENCY}")
    assert code == 0 and "nothing to change" in said


@pytest.mark.parametrize(
    ("date", "said", "hint"),
    [
        ("03/04/2025", "the date '03/04/2025' is typed as text", "2025-04-03 or 2025-03-04"),
        ("3rd April 2025", "the date '3rd April 2025' is typed as text", "type it as 2025-04-03"),
        ("17/11/09", "the date '17/11/09'", "write the year in full"),
        ("2025-02-30", "the date '2025-02-30'", "2025-04-03"),
    ],
)
def test_a_date_that_would_need_a_guess_is_refused_with_its_cell(
    date: str, said: str, hint: str, tmp_repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = agency_sheet(tmp_path / "dates.xlsx", HEADER, [["A visit.", date, "Case note", None, None, None, None]])
    written = chronology(tmp_repo).read_bytes()
    code, _, err = run(capsys, tmp_repo, str(book), f"adult-a/{AGENCY}", "--write")
    assert code == 1
    assert f"dates.xlsx, sheet Our chronology, cell B2: error: {said}" in err and hint in err
    assert "nothing was written" in err and chronology(tmp_repo).read_bytes() == written


def test_a_workbook_without_a_chronology_sheet_is_refused_naming_its_sheets(tmp_repo: Path, tmp_path: Path, capsys) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Contacts"
    book.active.append(["When", "Who", "What"])
    book.create_sheet("Summary").append(["Total", 3])
    book.save(tmp_path / "other.xlsx")
    code, _, err = run(capsys, tmp_repo, str(tmp_path / "other.xlsx"), f"adult-a/{AGENCY}")
    assert code == 1
    assert "no sheet has a chronology's header row" in err and "(Contacts, Summary)" in err and "'Source of information'" in err


def test_a_column_the_chronology_does_not_have_is_refused_rather_than_lost(tmp_repo: Path, tmp_path: Path, capsys) -> None:
    book = agency_sheet(tmp_path / "extra.xlsx", [*HEADER, "Risk rating"],
                        [["A visit.", dt.datetime(2024, 5, 1), "Case note", None, None, None, None, "High"]])
    code, _, err = run(capsys, tmp_repo, str(book), f"adult-a/{AGENCY}", "--write")
    assert code == 1 and "cell H1: error: the column 'Risk rating' is not one of the chronology's" in err


def test_an_error_check_would_find_is_shown_at_the_workbooks_cell_and_nothing_is_written(
    tmp_repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = agency_sheet(tmp_path / "by.xlsx", HEADER, [["A visit.", dt.datetime(2024, 5, 1), "Case note", None, None, None, "ZZ9"]])
    written = chronology(tmp_repo).read_bytes()
    code, _, err = run(capsys, tmp_repo, str(book), f"adult-a/{AGENCY}", "--write")
    assert code == 1 and "sarflow check would find" in err
    assert "by.xlsx: 'Our chronology'!" in err and "ZZ9" in err
    assert chronology(tmp_repo).read_bytes() == written


@settings(max_examples=12, deadline=None)
@given(order=st.permutations(range(7)), case=st.sampled_from([str.upper, str.lower, str.title, lambda s: f" {s}: "]),
       short=st.booleans())
def test_the_columns_may_come_in_any_order_and_wording(order: list[int], case, short: bool, tmp_path_factory) -> None:
    repo = load(ROOT)
    template = repo.template
    original = [values(e) for e in repo.review("adult-a").imrs[AGENCY].chronology][:4]
    columns = [template.chronology_columns[i] for i in order]
    titles = [case(c.title.split()[0] if short else c.title) for c in columns]
    rows = [[e["date"] if c.key == "date" else e[c.key] for c in columns] for e in original]
    path = agency_sheet(tmp_path_factory.mktemp("order") / "any.xlsx", titles, rows)
    returned = read_chronology(read_workbook(path, "any.xlsx", CHRONOLOGY), "any.xlsx", template, (AGENCY,), [(AGENCY,)])
    assert returned.problems == []
    assert [{k: r.values.get(k) for k in original[0]} for r in returned.entries] == [
        {**e, "approximate": e["approximate"] or not isinstance(e["date"], dt.date)} for e in original]
