"""What agencies really do to a returned Action Plan, and what the import makes of it.

Rows deleted, updates edited or deleted, dates typed with a time, a file saved on
Windows, a workbook saved by LibreOffice: nothing in actions.yml is ever lost, and
every difference is shown to the panel before --write.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from helpers import returned, template_column
from sarflow.cli import main
from sarflow.dates import uk
from sarflow.imports.guard import ACTION_PLAN
from sarflow.imports.sheets import read_workbook
from sarflow.load import load
from sarflow.model import Imr
from sarflow.outputs import imr_dir
from sarflow.xlsx.layout import ACTION_PLAN_FILE, FIRST_ROW, UPDATES_SHEET

ROOT = Path(__file__).resolve().parents[1]


def run(capsys, root: Path, imr: Imr, book: Path, *flags: str) -> tuple[int, str, str]:
    code = main(["--root", str(root), "import", "action-plan", str(book), f"{imr.review_id}/{imr.agency_id}", *flags])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def reloaded(root: Path, imr: Imr) -> Imr:
    imr = load(root).review(imr.review_id).imrs[imr.agency_id]
    assert not [f for f in imr.findings if f.severity.value == "error"]
    return imr


def update_rows(imr: Imr) -> list[tuple[int, int]]:
    """(action index, update index) in the order of the Updates sheet's rows, from row 2."""
    return [(a, u) for a, action in enumerate(imr.actions) for u in range(len(action.updates))]


def test_a_deleted_row_keeps_its_action_and_says_so(workbooks, example, busiest, tmp_repo, tmp_path, capsys) -> None:
    plan = example.template.action_plan
    gone, changed = busiest.actions[1], busiest.actions[0]

    def edit(book) -> None:
        ws = book[plan.sheet]
        ws[f"{template_column(example, 'lead_officer')}{FIRST_ROW}"] = "Director of Adult Services"
        ws.delete_rows(FIRST_ROW + 1)

    code, stdout, err = run(capsys, tmp_repo, busiest, returned(workbooks, busiest, tmp_path, edit, name="Returned.xlsx"), "--write")
    assert code == 0, err
    assert f"action {gone.no} is in actions.yml but not in the workbook: kept as it is" in stdout
    assert "an import never removes anything" in stdout
    after = {a.no: a for a in reloaded(tmp_repo, busiest).actions}
    assert after[changed.no].lead_officer == "Director of Adult Services"
    kept = after[gone.no]
    for key in ("recommendation", "lesson", "key_actions", "evidence", "key_outcome", "lead_officer", "target_date",
                "status", "date_completed", "comment"):
        assert getattr(kept, key) == getattr(gone, key), key
    assert [(u.date, u.text) for u in kept.updates] == [(u.date, u.text) for u in gone.updates]


def test_an_edited_update_is_shown_and_changed_in_place(workbooks, busiest, tmp_repo, tmp_path, capsys) -> None:
    """Matched by its date: the edit replaces that update's text, it is not a second update."""
    a, u = next((a, u) for a, u in update_rows(busiest) if u == 1 or len(busiest.actions[a].updates) == 1)
    row = 2 + update_rows(busiest).index((a, u))
    action = busiest.actions[a]
    old = action.updates[u]
    new = old.text + " The board noted the delay."

    def edit(book) -> None:
        book[UPDATES_SHEET][f"C{row}"] = new

    code, stdout, err = run(capsys, tmp_repo, busiest, returned(workbooks, busiest, tmp_path, edit, name="Returned.xlsx"))
    assert code == 0, err
    assert f"  action {action.no}:\n    update of {uk(old.date)}:\n      - {old.text}\n      + {new}" in stdout
    assert "update added" not in stdout
    code, stdout, err = run(capsys, tmp_repo, busiest, returned(workbooks, busiest, tmp_path, edit, name="Returned.xlsx"), "--write")
    assert code == 0, err
    after = next(x for x in reloaded(tmp_repo, busiest).actions if x.no == action.no)
    expected = [(x.date, x.text) for x in action.updates]
    expected[u] = (old.date, new)
    assert [(x.date, x.text) for x in after.updates] == expected


def test_a_deleted_update_is_kept_and_said(workbooks, busiest, tmp_repo, tmp_path, capsys) -> None:
    a, u = update_rows(busiest)[-1]
    action = busiest.actions[a]
    before = (tmp_repo / "reviews" / busiest.review_id / busiest.agency_id / "actions.yml").read_bytes()

    def edit(book) -> None:
        book[UPDATES_SHEET].delete_rows(1 + len(update_rows(busiest)))

    code, stdout, err = run(capsys, tmp_repo, busiest, returned(workbooks, busiest, tmp_path, edit, name="Returned.xlsx"), "--write")
    assert code == 0, err
    assert "nothing to change" in stdout
    assert f"action {action.no}: the update of {uk(action.updates[u].date)} is not in the workbook's {UPDATES_SHEET} sheet: kept" in stdout
    assert (tmp_repo / "reviews" / busiest.review_id / busiest.agency_id / "actions.yml").read_bytes() == before


def test_a_date_entered_with_a_time_is_read_as_its_day(workbooks, example, busiest, tmp_repo, tmp_path, capsys) -> None:
    plan = example.template.action_plan
    action = busiest.actions[0]

    def edit(book) -> None:
        book[plan.sheet][f"{template_column(example, 'target_date')}{FIRST_ROW}"] = dt.datetime(2027, 6, 30, 14, 5)

    code, stdout, err = run(capsys, tmp_repo, busiest, returned(workbooks, busiest, tmp_path, edit, name="Returned.xlsx"), "--write")
    assert code == 0, err
    assert f"target date: {uk(action.target_date)} -> 30/06/2027" in stdout
    assert reloaded(tmp_repo, busiest).actions[0].target_date == dt.date(2027, 6, 30)


def test_a_file_saved_on_windows_keeps_its_line_endings(workbooks, example, busiest, tmp_repo, tmp_path, capsys) -> None:
    plan = example.template.action_plan
    file = tmp_repo / "reviews" / busiest.review_id / busiest.agency_id / "actions.yml"
    file.write_bytes(file.read_bytes().replace(b"\n", b"\r\n"))

    def edit(book) -> None:
        book[plan.sheet][f"{template_column(example, 'comment')}{FIRST_ROW}"] = "Checked at the November board."

    code, _, err = run(capsys, tmp_repo, busiest, returned(workbooks, busiest, tmp_path, edit, name="Returned.xlsx"), "--write")
    assert code == 0, err
    lines = file.read_bytes().split(b"\n")[:-1]
    assert lines and all(line.endswith(b"\r") for line in lines)
    assert reloaded(tmp_repo, busiest).actions[0].comment == "Checked at the November board."


def test_a_comment_typed_as_a_formula_says_how_to_keep_it_text(workbooks, example, busiest, tmp_repo, tmp_path, capsys) -> None:
    plan = example.template.action_plan
    cell = f"{template_column(example, 'comment')}{FIRST_ROW}"
    path = returned(workbooks, busiest, tmp_path, lambda book: book[plan.sheet].__setitem__(cell, "=see the audit"))
    code, _, err = run(capsys, tmp_repo, busiest, path, "--write")
    assert code == 1
    assert f"{path}, sheet {plan.sheet}, cell {cell}: error: the cell holds a formula (=see the audit), not a value" in err
    assert "type an apostrophe first ('=...)" in err


def test_only_rows_present_in_the_file_are_read(tmp_path) -> None:
    """A cell formatted far down must not make the import walk a million empty rows."""
    book = openpyxl.Workbook()
    ws = book.active
    ws["A5"], ws["B7"] = 1, "x"
    ws.cell(1_048_576, 3).number_format = "dd/mm/yyyy"
    book.save(path := tmp_path / "Far down.xlsx")
    (sheet,) = read_workbook(path, path.name, ACTION_PLAN)
    assert sheet.numbers(below=3) == [5, 7]


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice headless is not installed (make test installs it)")
def test_a_workbook_saved_by_libreoffice(workbooks, example, busiest, tmp_repo, tmp_path, capsys) -> None:
    """Our workbook, as is and edited, saved again by LibreOffice Calc: read back the same."""
    plan = example.template.action_plan
    index, action = next((i, a) for i, a in enumerate(busiest.actions) if a.status != plan.statuses[-1])
    row = FIRST_ROW + index

    def edit(book) -> None:
        ws = book[plan.sheet]
        ws[f"{template_column(example, 'status')}{row}"] = plan.statuses[-1]
        ws[f"{template_column(example, 'date_completed')}{row}"] = dt.date(2026, 11, 20)
        ws[f"{template_column(example, 'comment')}{row}"] = "=1+1 stays text"
        ws[f"{template_column(example, 'comment')}{row}"].data_type = "s"
        ws[f"{template_column(example, 'comment')}{row}"].quotePrefix = True

    source = tmp_path / "source"
    source.mkdir()
    shutil.copy(imr_dir(workbooks, busiest.review_id, busiest.agency_id) / ACTION_PLAN_FILE, source / "As built.xlsx")
    returned(workbooks, busiest, source, edit, "Edited.xlsx")
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to", "xlsx",
         "--outdir", str(tmp_path / "lo"), str(source / "As built.xlsx"), str(source / "Edited.xlsx")],
        check=True, capture_output=True, timeout=180,
    )
    code, stdout, err = run(capsys, tmp_repo, busiest, tmp_path / "lo" / "As built.xlsx", "--write")
    assert (code, err) == (0, "") and "nothing to change" in stdout
    code, stdout, err = run(capsys, tmp_repo, busiest, tmp_path / "lo" / "Edited.xlsx", "--write")
    assert (code, err) == (0, ""), err
    assert stdout.count("  action ") == 1 and f"status: {action.status} -> {plan.statuses[-1]}" in stdout
    after = next(x for x in reloaded(tmp_repo, busiest).actions if x.no == action.no)
    assert (after.status, after.date_completed, after.comment) == (plan.statuses[-1], dt.date(2026, 11, 20), "=1+1 stays text")


def test_a_second_update_on_the_same_day_is_added_not_an_edit(workbooks, busiest, tmp_repo, tmp_path, capsys) -> None:
    action = next(a for a in busiest.actions if a.updates)
    old = action.updates[-1]  # the latest: a second report that day keeps the updates in date order

    def edit(book) -> None:
        book[UPDATES_SHEET].append([action.no, old.date, "A second report the same day.", None])

    code, stdout, err = run(capsys, tmp_repo, busiest, returned(workbooks, busiest, tmp_path, edit, name="Returned.xlsx"), "--write")
    assert code == 0, err
    assert f"update added, {uk(old.date)}: A second report the same day." in stdout
    assert "update of" not in stdout and "not in the workbook" not in stdout
    after = next(x for x in reloaded(tmp_repo, busiest).actions if x.no == action.no)
    assert [(x.date, x.text) for x in after.updates] == [(x.date, x.text) for x in action.updates] + [
        (old.date, "A second report the same day.")
    ]
