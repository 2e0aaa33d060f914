"""Every bad input to `sarflow import action-plan`: a plain message, where it is, nothing written.

Each test runs the import with --write and checks that actions.yml is byte for byte
what it was.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from helpers import column_titled, returned, template_column
from sarflow.cli import main
from sarflow.load import load
from sarflow.model import Imr, Repository
from sarflow.outputs import imr_dir, review_dir
from sarflow.xlsx.layout import ACTION_PLAN_FILE, FIRST_ROW, HEADER_ROW, UPDATES_SHEET

ROOT = Path(__file__).resolve().parents[1]
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


def refused(capsys, root: Path, imr: Imr, book: Path, code: int = 1) -> str:
    """Run the import with --write; check the exit code and that nothing was written."""
    file = root / "reviews" / imr.review_id / imr.agency_id / "actions.yml"
    before = file.read_bytes()
    assert main(["--root", str(root), "import", "action-plan", str(book), f"{imr.review_id}/{imr.agency_id}", "--write"]) == code
    captured = capsys.readouterr()
    assert file.read_bytes() == before
    assert "Written" not in captured.out
    return captured.err


def test_no_header_row(workbooks, example, busiest, tmp_repo, tmp_path, capsys) -> None:
    plan = example.template.action_plan

    def edit(book) -> None:
        for cell in book[plan.sheet][HEADER_ROW]:
            cell.value = None

    path = returned(workbooks, busiest, tmp_path, edit)
    err = refused(capsys, tmp_repo, busiest, path)
    assert f"{path}, sheet {plan.sheet}: error: no header row" in err
    assert "nothing was written" in err


# One cell of the Actions sheet typed wrong: the field, the row (0: the first action's), what the agency
# typed, its number format where that matters, what the refusal says at the cell, and its hint.
CELL_MISTAKES = {
    "unknown status": ("status", 1, "complete", None, "the status 'complete' is not one of the template's",
                       "did you mean {plan.completed!r}?"),
    "a date typed as text": ("target_date", 0, "30/06/2026", None, "the date cell holds text ('30/06/2026'), not a date", ""),
    "a date cell holding a plain number": ("date_completed", 0, 46203, "General",
                                           "the date cell holds a number ('46203'), not a date", ""),
    # Excel shows it as #####; openpyxl reads -3 as 27/12/1899, which was written as a date
    "a date cell holding a negative number": ("target_date", 0, -3, None, "the date cell holds zero or a negative number", ""),
    "a date cell holding zero": ("target_date", 0, 0, None, "the date cell holds zero or a negative number", ""),
    "a row without its number": ("no", 1, None, None, "the row has no action number (No)", ""),
    "a formula typed into a value column": ("date_completed", 0, "=TODAY()", None,
                                            "the cell holds a formula (=TODAY()), not a value", ""),
}


@pytest.mark.parametrize("mistake", list(CELL_MISTAKES))
def test_a_cell_typed_wrong_is_refused_at_the_cell(workbooks, example, busiest, tmp_repo, tmp_path, capsys, mistake) -> None:
    key, below, value, number_format, said, hint = CELL_MISTAKES[mistake]
    plan = example.template.action_plan
    cell = f"{template_column(example, key)}{FIRST_ROW + below}"

    def edit(book) -> None:
        book[plan.sheet][cell] = value  # the cell keeps its format (dd/mm/yyyy for a date), as Excel keeps it
        if number_format:
            book[plan.sheet][cell].number_format = number_format

    err = refused(capsys, tmp_repo, busiest, path := returned(workbooks, busiest, tmp_path, edit))
    assert f"{path}, sheet {plan.sheet}, cell {cell}: error: {said}" in err
    assert hint.format(plan=plan) in err


def test_a_duplicate_no(workbooks, example, busiest, tmp_repo, tmp_path, capsys) -> None:
    plan = example.template.action_plan
    no = template_column(example, "no")

    def edit(book) -> None:
        book[plan.sheet][f"{no}{FIRST_ROW + 1}"] = busiest.actions[0].no

    path = returned(workbooks, busiest, tmp_path, edit)
    err = refused(capsys, tmp_repo, busiest, path)
    assert (
        f"{path}, sheet {plan.sheet}, cell {no}{FIRST_ROW + 1}: error: the action number {busiest.actions[0].no} "
        f"appears twice (first in cell {no}{FIRST_ROW})"
    ) in err


def test_an_update_with_text_for_a_date(workbooks, example, busiest, tmp_repo, tmp_path, capsys) -> None:
    def edit(book) -> None:
        book[UPDATES_SHEET].append([busiest.actions[0].no, "last Tuesday", "Reported to the board.", None])

    path = returned(workbooks, busiest, tmp_path, edit)
    row = sum(len(a.updates) for a in busiest.actions) + 2
    err = refused(capsys, tmp_repo, busiest, path)
    assert f"{path}, sheet {UPDATES_SHEET}, cell B{row}: error: the date cell holds text ('last Tuesday'), not a date" in err


def test_every_problem_is_reported_at_once(workbooks, example, busiest, tmp_repo, tmp_path, capsys) -> None:
    plan = example.template.action_plan

    def edit(book) -> None:
        ws = book[plan.sheet]
        ws[f"{template_column(example, 'status')}{FIRST_ROW}"] = "Done"
        ws[f"{template_column(example, 'target_date')}{FIRST_ROW + 1}"] = "soon"

    err = refused(capsys, tmp_repo, busiest, returned(workbooks, busiest, tmp_path, edit))
    assert err.count(": error: ") == 2 and "2 problem(s)" in err


def test_a_corrupt_workbook(busiest, tmp_repo, tmp_path, workbooks, capsys) -> None:
    whole = (imr_dir(workbooks, busiest.review_id, busiest.agency_id) / ACTION_PLAN_FILE).read_bytes()
    path = tmp_path / "Action Plan.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    err = refused(capsys, tmp_repo, busiest, path)
    assert f"{path}: the file is damaged or is not really an Excel workbook" in err


def test_a_zip_that_is_not_a_workbook(busiest, tmp_repo, tmp_path, capsys) -> None:
    path = tmp_path / "Action Plan.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "not a workbook")
    err = refused(capsys, tmp_repo, busiest, path)
    assert f"{path}: the workbook is damaged and cannot be read" in err


def test_a_password_protected_workbook(busiest, tmp_repo, tmp_path, capsys) -> None:
    """Excel saves an encrypted .xlsx as an OLE container holding these two streams."""
    path = tmp_path / "Action Plan.xlsx"
    streams = "EncryptionInfo".encode("utf-16-le") + b"\0" * 64 + "EncryptedPackage".encode("utf-16-le")
    path.write_bytes(OLE_MAGIC + b"\0" * 504 + streams + b"\0" * 1024)
    err = refused(capsys, tmp_repo, busiest, path)
    assert f"{path}: the workbook is protected by a password" in err
    assert "remove the password" in err


def test_an_old_xls_workbook(busiest, tmp_repo, tmp_path, capsys) -> None:
    path = tmp_path / "Action Plan.xls"
    path.write_bytes(OLE_MAGIC + b"\0" * 2048)
    err = refused(capsys, tmp_repo, busiest, path)
    assert f"{path}: this is an old-style Excel 97-2003 workbook (.xls)" in err
    assert "Save As > Excel Workbook (.xlsx)" in err


def test_a_csv_file(example, busiest, tmp_repo, tmp_path, capsys) -> None:
    path = tmp_path / "Action Plan.csv"
    path.write_text(",".join(c.title for c in example.template.action_plan.columns) + "\n1,x\n", encoding="utf-8")
    err = refused(capsys, tmp_repo, busiest, path)
    assert f"{path}: this is a CSV file" in err


def test_a_missing_file(busiest, tmp_repo, tmp_path, capsys) -> None:
    path = tmp_path / "Nowhere.xlsx"
    err = refused(capsys, tmp_repo, busiest, path, code=2)
    assert f"{path}: there is no such file" in err


def test_an_unknown_imr(workbooks, busiest, tmp_repo, capsys) -> None:
    book = imr_dir(workbooks, busiest.review_id, busiest.agency_id) / ACTION_PLAN_FILE
    assert main(["--root", str(tmp_repo), "import", "action-plan", str(book), f"{busiest.review_id}/no-such-agency"]) == 2
    assert f"there is no IMR folder reviews/{busiest.review_id}/no-such-agency/" in capsys.readouterr().err


def test_actions_yml_with_its_own_error_is_not_touched(workbooks, busiest, tmp_repo, capsys) -> None:
    file = tmp_repo / "reviews" / busiest.review_id / busiest.agency_id / "actions.yml"
    file.write_text(file.read_text(encoding="utf-8").replace("actions:\n", "actions:\nactions:\n", 1), encoding="utf-8")
    shown = f"reviews/{busiest.review_id}/{busiest.agency_id}/actions.yml"
    err = refused(capsys, tmp_repo, busiest, imr_dir(workbooks, busiest.review_id, busiest.agency_id) / ACTION_PLAN_FILE)
    assert f"{shown}:" in err and f"fix {shown} first" in err
    assert load(tmp_repo).review(busiest.review_id).imrs[busiest.agency_id].findings



def review_workbook_with(workbooks: Path, example: Repository, tmp_path: Path, agency_value) -> tuple[Path, str, object]:
    """The review's workbook (every agency's rows) with one action added below them."""
    plan = example.template.action_plan
    review = next(r for r in example.reviews if sum(bool(i.actions) for i in r.imrs.values()) >= 2)
    book = openpyxl.load_workbook(review_dir(workbooks, review.id) / ACTION_PLAN_FILE)
    ws = book[plan.sheet]
    row = FIRST_ROW + sum(len(i.actions) for i in review.imrs.values())
    no, recommendation, agency = (column_titled(ws, plan.title(k), HEADER_ROW) for k in ("no", "recommendation", "agency"))
    ws[f"{no}{row}"] = 99
    ws[f"{recommendation}{row}"] = "A new action typed in by the board's business manager."
    ws[f"{agency}{row}"] = agency_value
    path = tmp_path / "Review Action Plan.xlsx"
    book.save(path)
    return path, f"{agency}{row}", review


def test_a_row_without_agency_in_a_workbook_of_several_agencies(workbooks, example, tmp_repo, tmp_path, capsys) -> None:
    """It would otherwise be added to whichever agency is imported, and to the next one too."""
    path, cell, review = review_workbook_with(workbooks, example, tmp_path, None)
    names = [a.name for a in review.agencies]
    for imr in review.imrs.values():
        err = refused(capsys, tmp_repo, imr, path)
        assert f"{path}, sheet {example.template.action_plan.sheet}, cell {cell}: error: the row has no Agency, " in err
        assert all(repr(name) in err for name in names)


def test_a_row_naming_an_agency_not_in_the_review(workbooks, example, tmp_repo, tmp_path, capsys) -> None:
    """A mistyped agency name must not make the row silently skipped by every import."""
    path, cell, review = review_workbook_with(workbooks, example, tmp_path, "Northbridge Acute Trust")
    for imr in review.imrs.values():
        err = refused(capsys, tmp_repo, imr, path)
        assert (
            f"{path}, sheet {example.template.action_plan.sheet}, cell {cell}: error: "
            "'Northbridge Acute Trust' is not one of this review's agencies ("
        ) in err
