"""What authors need to write (issue 12): each form through the real outputs, and each way of getting it wrong.

The worked example uses every form at least once (a time range, an entry by several staff
and by another agency's member of staff), so the outputs are read
from one build of a copy of it (python-docx for the Word report, openpyxl for the
workbooks). The bad inputs are planted together in one more copy, checked once, and
each finding is asserted with its file, line, column and message.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import docx
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sarflow import clock
from sarflow.check import check
from sarflow.cli import main
from sarflow.findings import Finding
from sarflow.load import load
from sarflow.model import ChronologyEntry, Imr, Repository, TimeOfDay, listed
from sarflow.outputs import imr_dir, review_dir
from sarflow.xlsx.layout import CHRONOLOGY_FILE, CHRONOLOGY_SHEET

ROOT = Path(__file__).resolve().parents[1]
ASC = "reviews/adult-a/adult-social-care"


def copy_of_example(folder: Path) -> Path:
    for name in ("reviews", "schema", "site"):
        shutil.copytree(ROOT / name, folder / name)
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Repository, Path]:
    """The example and every output built from it, once for the module."""
    root = copy_of_example(tmp_path_factory.mktemp("forms"))
    out = root / "out"
    assert main(["--root", str(root), "build", "--out", str(out)]) == 0
    return load(root), out


def entries(repo: Repository, test: object) -> list[tuple[Imr, ChronologyEntry]]:
    found = [(imr, e) for imr in repo.imrs() for e in imr.chronology if test(e)]
    assert found, "the worked example should use this form"
    return found


def chronology_rows(document: docx.document.Document, repo: Repository) -> list[list[str]]:
    head = [c.title for c in repo.template.chronology_columns]
    table = next(t for t in document.tables if [c.text for c in t.rows[0].cells] == head)
    return [[c.text for c in row.cells] for row in table.rows[1:]]


def word_report(repo: Repository, out: Path, imr: Imr) -> docx.document.Document:
    folder = imr_dir(out, imr.review_id, imr.agency_id)
    return docx.Document(str(next(folder.glob("*.docx"))))


# --- Time ranges ----------------------------------------------------------------------------------


def test_a_time_range_is_printed_as_written_and_sorted_by_its_start(built: tuple[Repository, Path]) -> None:
    repo, out = built
    keys = [c.key for c in repo.template.chronology_columns]
    for imr, entry in entries(repo, lambda e: e.time is not None and e.time.end is not None):
        row = chronology_rows(word_report(repo, out, imr), repo)[imr.chronology.index(entry)]
        assert row[keys.index("time")] == str(entry.time)
        ws = openpyxl.load_workbook(imr_dir(out, imr.review_id, imr.agency_id) / CHRONOLOGY_FILE)[CHRONOLOGY_SHEET]
        cell = ws.cell(imr.chronology.index(entry) + 2, keys.index("time") + 1)
        assert (cell.value, cell.data_type) == (str(entry.time), "s")
        merged = openpyxl.load_workbook(review_dir(out, imr.review_id) / CHRONOLOGY_FILE)[CHRONOLOGY_SHEET]
        times = [r[keys.index("time")] for r in merged.iter_rows(min_row=2, values_only=True)
                 if r[keys.index("date")] == dt.datetime.combine(entry.date, dt.time()) and r[keys.index("time")]]
        starts = [t[:5] if isinstance(t, str) else f"{t:%H:%M}" for t in times]
        assert str(entry.time) in times and starts == sorted(starts)


@settings(deadline=None)
@given(st.times(), st.times())
def test_any_range_of_two_times_reads_back_as_written(start: dt.time, end: dt.time) -> None:
    text = f"{start:%H:%M}-{end:%H:%M}"
    read = clock.read(text)
    assert read == TimeOfDay(start.replace(second=0, microsecond=0), end.replace(second=0, microsecond=0))
    assert str(read) == text
    assert read.reversed == (f"{end:%H:%M}" <= f"{start:%H:%M}")


@settings(deadline=None)
@given(st.integers(24, 99), st.integers(0, 59), st.times())
def test_an_hour_past_23_is_named_in_the_message(hours: int, minutes: int, other: dt.time) -> None:
    text = f"{other:%H:%M}-{hours}:{minutes:02d}"
    assert clock.read(text) is None
    message, hint = clock.explain(text)
    assert f"{hours}:{minutes:02d} does not exist" in message and '"14:00-15:30"' in hint


# --- Several staff, and another agency's -----------------------------------------------------------


def test_several_staff_and_another_agencys_are_printed_in_the_report_and_the_workbooks(built: tuple[Repository, Path]) -> None:
    repo, out = built
    keys = [c.key for c in repo.template.chronology_columns]
    several = entries(repo, lambda e: len(e.by) > 1 and any(s.agency for s in e.by))
    for imr, entry in several:
        other = next(s for s in entry.by if s.agency)
        assert other.agency in repo.review(imr.review_id).imrs and other.agency != imr.agency_id
        shown = listed(entry.by)
        assert shown == ", ".join(s.text for s in entry.by) and other.text in shown
        row = chronology_rows(word_report(repo, out, imr), repo)[imr.chronology.index(entry)]
        assert row[keys.index("by")] == shown
        ws = openpyxl.load_workbook(imr_dir(out, imr.review_id, imr.agency_id) / CHRONOLOGY_FILE)[CHRONOLOGY_SHEET]
        assert ws.cell(imr.chronology.index(entry) + 2, keys.index("by") + 1).value == shown
        merged = openpyxl.load_workbook(review_dir(out, imr.review_id) / CHRONOLOGY_FILE)[CHRONOLOGY_SHEET]
        assert shown in [r[keys.index("by")] for r in merged.iter_rows(min_row=2, values_only=True)]


def test_each_id_of_a_list_keeps_its_own_place(built: tuple[Repository, Path]) -> None:
    repo, _ = built
    for _, entry in entries(repo, lambda e: len(e.by) > 1):
        columns = [s.at.col for s in entry.by]
        assert len({s.at for s in entry.by}) == len(entry.by) and columns == sorted(columns)


# --- Each bad input, planted in one copy of the example and checked once -----------------------------

PLANTED = [
    # (file, the example's text, what the author wrote instead)
    (f"{ASC}/chronology.yml", '    time: "11:05"', '    time: "15:30-14:00"'),
    (f"{ASC}/chronology.yml", '    time: "14:00"', '    time: "25:00-26:00"'),
    (f"{ASC}/chronology.yml", "    by: OT1\n  - date: 2024-03-19", "    by: [OT1, acute-trst/DN1]\n  - date: 2024-03-19"),
    (f"{ASC}/chronology.yml", "    by: [TM1, SW2, acute-trust/DN1]", "    by: [TM1, TM7, acute-trust/TVN2]"),
    (f"{ASC}/chronology.yml", "    outcome: Mr B agreed to a visit on 14 February 2024.\n    by: SW1",
     "    outcome: Mr B agreed to a visit on 14 February 2024.\n    by: []"),
]


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Finding]]:
    root = copy_of_example(tmp_path_factory.mktemp("planted"))
    for rel, before, after in PLANTED:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert text.count(before) == 1, before
        path.write_text(text.replace(before, after), encoding="utf-8")
    return root, check(load(root))


def planted_at(root: Path, rel: str, written: str, token: str | None) -> tuple[str, int, int]:
    """Where the planted text is: its file, line, and the column of `token` in it (of its value, if None)."""
    lines = (root / rel).read_text(encoding="utf-8").split("\n")
    line = next(n for n, text in enumerate(lines, start=1) if written.strip() in text)
    key = written.strip().split(":", 1)[0]
    return rel, line, lines[line - 1].index(token) + 1 if token else lines[line - 1].index(key) + len(key) + 3


def finding(planted: tuple[Path, list[Finding]], code: str, written: str, token: str | None = None,
            rel: str = f"{ASC}/chronology.yml") -> Finding:
    root, findings = planted
    where = planted_at(root, rel, written, token)
    hits = [f for f in findings if (f.span.path, f.span.line, f.span.col) == where]
    assert [f.code for f in hits] == [code], [str(f) for f in hits]
    return hits[0]


def test_a_reversed_time_range(planted: tuple[Path, list[Finding]]) -> None:
    found = finding(planted, "time-range-reversed", '    time: "15:30-14:00"')
    assert found.message == "the time range 15:30-14:00 ends before it starts"
    assert 'write time: "14:00-15:30"' in (found.hint or "")


def test_a_range_of_hours_that_do_not_exist(planted: tuple[Path, list[Finding]]) -> None:
    found = finding(planted, "bad-format", '    time: "25:00-26:00"')
    assert found.message == ("`25:00-26:00` is not a time on the 24-hour clock: 25:00 does not exist "
                             "(hours run from 00 to 23, minutes from 00 to 59)")
    assert '"14:00-15:30"' in (found.hint or "")


def test_an_unknown_agency_before_the_slash(planted: tuple[Path, list[Finding]]) -> None:
    found = finding(planted, "unknown-agency", "    by: [OT1, acute-trst/DN1]", "acute-trst/DN1")
    assert found.message == "`acute-trst` in `acute-trst/DN1` is not an agency of this review"
    assert (found.hint or "").startswith("did you mean acute-trust? Write `acute-trust/DN1`")


def test_an_unknown_id_in_a_list_and_in_another_agencys_list(planted: tuple[Path, list[Finding]]) -> None:
    own = finding(planted, "unknown-person", "    by: [TM1, TM7, acute-trust/TVN2]", "TM7")
    assert own.message == "`TM7` is not an id in the personnel list of imr.yml"
    assert (own.hint or "").startswith("did you mean TM1? Otherwise add TM7 under personnel")
    other = finding(planted, "unknown-person", "    by: [TM1, TM7, acute-trust/TVN2]", "acute-trust/TVN2")
    assert other.message == "`acute-trust/TVN2` is not an id in the personnel list of reviews/adult-a/acute-trust/imr.yml"
    assert (other.hint or "").startswith("did you mean acute-trust/TVN1? Otherwise ask the author of acute-trust's IMR")


def test_an_empty_list_of_staff(planted: tuple[Path, list[Finding]]) -> None:
    found = finding(planted, "empty-value", "    by: []")
    assert found.message == "`by` is an empty list"
    assert found.hint == "put at least one value between the brackets, or delete the line"
