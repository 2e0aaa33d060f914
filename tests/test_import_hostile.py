"""Hostile workbooks are refused as such, quickly, naming the file and what it should have been; nothing is written.

Each file is a workbook that `sarflow build` wrote, with one part changed byte by byte
(tests/hostile.py): millions of declared empty cells, an XML bomb, an external
entity, a zip bomb, a value far below or to the right of any action plan. Time and
memory are measured in benchmarks/workbook_limits.py, not asserted here.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

import hostile
from sarflow.cli import main
from sarflow.imports import guard
from sarflow.model import Imr
from sarflow.outputs import imr_dir
from sarflow.xlsx.layout import ACTION_PLAN_FILE, CHRONOLOGY_FILE

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def built(workbooks: Path, busiest: Imr) -> tuple[Imr, Path]:
    """The busiest IMR and its workbook as `sarflow build` writes it."""
    return busiest, imr_dir(workbooks, busiest.review_id, busiest.agency_id) / ACTION_PLAN_FILE


# Each import, and the file of the IMR it would change.
CHANGES = {"action-plan": "actions.yml", "chronology": "chronology.yml", "imr": "imr.yml"}
# What each import's refusals call the file: the action plan's words are no one else's.
EXPECTED = {"action-plan": ("workbook", "an action plan"), "chronology": ("workbook", "a chronology"),
            "imr": ("document", "an IMR")}


def refused(capsys, root: Path, imr: Imr, book: Path, command: str = "action-plan") -> str:
    file = root / "reviews" / imr.review_id / imr.agency_id / CHANGES[command]
    before = file.read_bytes()
    assert main(["--root", str(root), "import", command, str(book), f"{imr.review_id}/{imr.agency_id}", "--write"]) == 1
    captured = capsys.readouterr()
    assert file.read_bytes() == before
    assert "internal error" not in captured.err and "Traceback" not in captured.err
    return captured.err


def test_millions_of_declared_empty_cells(built, tmp_repo, tmp_path, capsys) -> None:
    """About 100 KB on disk, two million formatted empty cells: openpyxl took minutes and gigabytes."""
    imr, source = built
    path = hostile.empty_cells(source, tmp_path / "Action Plan.xlsx")
    assert path.stat().st_size < 200 * 2**10
    err = refused(capsys, tmp_repo, imr, path)
    assert f"{path}: a sheet (xl/worksheets/sheet1.xml) holds more than {guard.MAX_ROWS:,} rows, counting the empty" in err
    assert "delete them" in err


def test_a_sheet_of_empty_cells_within_the_rows(built, tmp_repo, tmp_path, capsys) -> None:
    imr, source = built
    path = hostile.empty_cells(source, tmp_path / "Action Plan.xlsx", rows=guard.MAX_ROWS // 2, columns=guard.MAX_COLUMNS)
    err = refused(capsys, tmp_repo, imr, path)
    assert f"{path}: a sheet (xl/worksheets/sheet1.xml) holds more than {guard.MAX_CELLS:,} cells, counting the empty" in err


@pytest.mark.parametrize("part", [hostile.SHEET, "xl/workbook.xml", "[Content_Types].xml", "xl/styles.xml"])
def test_billion_laughs(built, tmp_repo, tmp_path, capsys, part: str) -> None:
    imr, source = built
    path = hostile.billion_laughs(source, tmp_path / "Action Plan.xlsx", part)
    err = refused(capsys, tmp_repo, imr, path)
    assert f"{path}: its part {part} declares a DTD (<!DOCTYPE worksheet>)" in err
    assert "XML bomb" in err


def test_an_external_entity_naming_a_local_file(built, tmp_repo, tmp_path, capsys) -> None:
    imr, source = built
    secret = tmp_path / "secret.txt"
    secret.write_text("the-board-password", encoding="utf-8")
    path = hostile.external_entity(source, tmp_path / "Action Plan.xlsx", secret)
    err = refused(capsys, tmp_repo, imr, path)
    assert f"{path}: its part {hostile.SHEET} declares a DTD" in err
    assert "the-board-password" not in err


def test_a_zip_bomb_inside_a_real_workbook(built, tmp_repo, tmp_path, capsys) -> None:
    """20 MB of zeros packed into 20 KB: under the size limits, refused by its ratio."""
    imr, source = built
    path = hostile.zip_bomb(source, tmp_path / "Action Plan.xlsx")
    assert path.stat().st_size < 2**20
    err = refused(capsys, tmp_repo, imr, path)
    assert f"{path}: its part xl/media/image1.png unpacks to " in err
    assert "this is a zip bomb, not a workbook" in err


def test_a_value_far_below_the_actions(built, tmp_repo, tmp_path, capsys) -> None:
    imr, source = built
    book = openpyxl.load_workbook(source)
    book.active.cell(guard.MAX_ROWS + 1, 2, "typed at the very bottom")
    book.save(path := tmp_path / "Action Plan.xlsx")
    err = refused(capsys, tmp_repo, imr, path)
    assert f"{path}: a sheet (xl/worksheets/sheet1.xml) has a cell in row {guard.MAX_ROWS + 1:,}, beyond the last" in err


def test_a_cell_far_to_the_right(built, tmp_repo, tmp_path, capsys) -> None:
    """Even empty: openpyxl would pad every row out to it."""
    imr, source = built
    book = openpyxl.load_workbook(source)
    book.active.cell(5, 16_384).number_format = "dd/mm/yyyy"
    book.save(path := tmp_path / "Action Plan.xlsx")
    err = refused(capsys, tmp_repo, imr, path)
    assert f"{path}: a sheet (xl/worksheets/sheet1.xml) has a cell in column XFD, beyond the last" in err


def test_an_empty_formatted_cell_at_the_bottom_is_harmless(built, example, tmp_repo, tmp_path, capsys) -> None:
    imr, source = built
    book = openpyxl.load_workbook(source)
    book.active.cell(1_048_576, 3).number_format = "dd/mm/yyyy"
    book.save(path := tmp_path / "Action Plan.xlsx")
    assert main(["--root", str(tmp_repo), "import", "action-plan", str(path), f"{imr.review_id}/{imr.agency_id}"]) == 0
    assert "already matches" in capsys.readouterr().out


@pytest.mark.parametrize(("command", "name"), [("action-plan", ACTION_PLAN_FILE), ("chronology", CHRONOLOGY_FILE),
                                               ("imr", "Police IMR.docx")])
def test_a_file_that_unpacks_to_something_huge_is_refused_as_what_it_should_be(
    built, tmp_repo, tmp_path, capsys, command: str, name: str
) -> None:
    imr, _ = built
    path = tmp_path / name
    part = "word/document.xml" if command == "imr" else hostile.SHEET
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(part, b"\0" * (120 * 2**20))
    assert path.stat().st_size < 2**20
    err = refused(capsys, tmp_repo, imr, path, command)
    file, expected = EXPECTED[command]
    assert f"{path}: the {file} unpacks to 120 MB, far more than {expected} needs" in err
    assert [other for _, other in EXPECTED.values() if other in err] == [expected]


def test_a_chronology_of_millions_of_empty_cells_is_refused_as_a_chronology(built, tmp_repo, tmp_path, capsys) -> None:
    imr, source = built
    path = hostile.empty_cells(source.with_name(CHRONOLOGY_FILE), tmp_path / CHRONOLOGY_FILE)
    err = refused(capsys, tmp_repo, imr, path, "chronology")
    assert (f"{path}: a sheet (xl/worksheets/sheet1.xml) holds more than {guard.MAX_ROWS:,} rows, counting the empty "
            "ones it declares: far more than a chronology needs") in err
    assert "after the last entry, delete them" in err and "action" not in err
