"""The Chronology workbooks: one per IMR and the review's merged, multi-agency one.

Built from a copy of the example with two more entries (a year-only date and an
approximate day), so that every way of marking an approximate date is shown.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from sarflow.cli import main
from sarflow.dates import APPROXIMATE
from sarflow.load import load
from sarflow.model import Imr, Repository, listed
from sarflow.outputs import imr_dir, review_dir
from sarflow.xlsx.layout import CHRONOLOGY_FILE, CHRONOLOGY_SHEET

ROOT = Path(__file__).resolve().parents[1]
EXTRA = """
  - date: 2024
    approximate: true
    source: Family recollection
    event: Added by the test (a year only).
  - date: 2024-05-06
    approximate: true
    source: Undated letter
    event: Added by the test (an approximate day).
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Repository, Path]:
    root = tmp_path_factory.mktemp("chronology-repo")
    for name in ("reviews", "schema"):
        shutil.copytree(ROOT / name, root / name)
    repo = load(root)
    imr = max(repo.imrs(), key=lambda i: len(i.chronology))
    file = imr.folder / "chronology.yml"
    file.write_text(file.read_text(encoding="utf-8").rstrip("\n") + "\n" + EXTRA.lstrip("\n"), encoding="utf-8")
    out = root / "out"
    assert main(["--root", str(root), "build", "--only", "xlsx", "--out", str(out)]) == 0
    return load(root), out


def readable(review) -> list[Imr]:
    listed = [a.id for a in review.agencies]
    imrs = [i for i in review.imrs.values() if not any(f.severity.value == "error" for f in i.findings)]
    return sorted(imrs, key=lambda i: listed.index(i.agency_id) if i.agency_id in listed else len(listed))


def name_of(review, imr: Imr) -> str:
    agency = review.agency(imr.agency_id)
    return agency.name if agency and agency.name else imr.agency_id


def expected_format(entry) -> str:
    if entry.precision == "year":
        return f'yyyy "{APPROXIMATE}"'
    if entry.precision == "month":
        return f'mm/yyyy "{APPROXIMATE}"'
    return f'dd/mm/yyyy "{APPROXIMATE}"' if entry.approximate else "dd/mm/yyyy"


def test_each_imr_chronology_follows_the_template(built: tuple[Repository, Path]) -> None:
    repo, out = built
    keys = [c.key for c in repo.template.chronology_columns]
    precisions, ranges = set(), 0
    for imr in repo.imrs():
        ws = openpyxl.load_workbook(imr_dir(out, imr.review_id, imr.agency_id) / CHRONOLOGY_FILE)[CHRONOLOGY_SHEET]
        assert [c.value for c in ws[1]] == [c.title for c in repo.template.chronology_columns]
        assert ws.max_row == len(imr.chronology) + 1 or (not imr.chronology and ws.max_row <= 2)
        for row, entry in enumerate(imr.chronology, start=2):
            cells = {key: ws.cell(row, col) for col, key in enumerate(keys, start=1)}
            assert cells["date"].value.date() == entry.date
            assert cells["date"].number_format == expected_format(entry)
            precisions.add((entry.precision, entry.approximate))
            if entry.time and entry.time.end:  # a range is text, as written
                assert cells["time"].value == str(entry.time) and cells["time"].data_type == "s"
                ranges += 1
            elif entry.time:
                assert cells["time"].value == entry.time.start
                assert cells["time"].number_format == "hh:mm"
            else:
                assert cells["time"].value is None
            for key in ("source", "event", "action", "outcome"):
                assert cells[key].value == getattr(entry, key)
            assert cells["by"].value == (listed(entry.by) or None)
            assert cells["event"].alignment.wrap_text
    assert {("year", True), ("month", True), ("day", True), ("day", False)} <= precisions
    assert ranges, "the example should have a time range"


def test_merged_chronology_is_in_date_and_time_order_with_agencies(built: tuple[Repository, Path]) -> None:
    repo, out = built
    agency_title = next(c.title for c in repo.template.action_plan.columns if c.key == "agency")
    for review in repo.reviews:
        ws = openpyxl.load_workbook(review_dir(out, review.id) / CHRONOLOGY_FILE)[CHRONOLOGY_SHEET]
        titles = [c.value for c in ws[1]]
        assert titles == [agency_title] + [c.title for c in repo.template.chronology_columns]  # the agency first
        members = readable(review)
        rows = list(ws.iter_rows(min_row=2, values_only=True))
        assert len(rows) == sum(len(i.chronology) for i in members)
        keys = ["agency"] + [c.key for c in repo.template.chronology_columns]
        seen = [dict(zip(keys, r, strict=True)) for r in rows]
        order = [(r["date"].date(), str(r["time"])[:5] if isinstance(r["time"], str) else r["time"].strftime("%H:%M") if r["time"] else "")
                 for r in seen]  # a range ("10:00-11:30") by its start
        assert order == sorted(order)
        got = sorted((r["agency"], r["date"].date(), r["event"]) for r in seen)
        assert got == sorted((name_of(review, i), e.date, e.event) for i in members for e in i.chronology)
        approximate = [r for r in ws.iter_rows(min_row=2) if APPROXIMATE in r[keys.index("date")].number_format]
        assert len(approximate) == sum(1 for i in members for e in i.chronology if e.approximate or e.precision != "day")


def test_chronology_prints_and_filters(built: tuple[Repository, Path]) -> None:
    repo, out = built
    review = repo.reviews[0]
    paths = [review_dir(out, review.id) / CHRONOLOGY_FILE] + [imr_dir(out, review.id, a) / CHRONOLOGY_FILE for a in review.imrs]
    for path in paths:
        ws = openpyxl.load_workbook(path)[CHRONOLOGY_SHEET]
        merged = path == paths[0]
        last_col = openpyxl.utils.get_column_letter(ws.max_column)
        keys = ["agency"] * merged + [c.key for c in repo.template.chronology_columns]
        # scrolling sideways, the merged chronology keeps every column up to the date (the agency first) in view
        assert ws.freeze_panes == (f"{openpyxl.utils.get_column_letter(keys.index('date') + 2)}2" if merged else "A2")
        if merged:
            assert ws.cell(1, 1).value == repo.template.action_plan.title("agency")
        assert ws.auto_filter.ref == f"A1:{last_col}{max(ws.max_row, 2)}"
        assert ws.print_title_rows == "$1:$1"
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert (int(ws.page_setup.fitToWidth), int(ws.page_setup.fitToHeight)) == (1, 0)
        assert ws.oddHeader.center.text == repo.template.marking
        event, time = (openpyxl.utils.get_column_letter(keys.index(k) + 1) for k in ("event", "time"))
        assert ws.column_dimensions[event].width > ws.column_dimensions[time].width
