"""The import writes only what `sarflow check` accepts, and says which workbook cell to change.

Each case is a workbook that `sarflow build` wrote, edited with openpyxl as an agency
would, imported for real with --write; then `sarflow check` runs on the repository.
A refused import leaves actions.yml byte for byte as it was (so check passes as
before); an accepted one leaves a file that check accepts.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import openpyxl
import pytest

from helpers import template_column
from sarflow.cli import main
from sarflow.dates import today, uk
from sarflow.load import load
from sarflow.model import Imr, Repository
from sarflow.outputs import imr_dir
from sarflow.xlsx.layout import ACTION_PLAN_FILE, FIRST_ROW, UPDATES_SHEET

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def approved(example: Repository) -> Imr:
    return next(i for i in example.imrs() if i.status == "approved" and i.actions)


def workbook_letter(repo: Repository, key: str) -> str:
    """The column of any field the workbook carries, sarflow's own (Lesson) after the template's."""
    keys = [c.key for c in repo.template.action_plan.workbook_columns]
    return openpyxl.utils.get_column_letter(keys.index(key) + 1)


def edited(workbooks: Path, imr: Imr, tmp_path: Path, edit) -> Path:
    book = openpyxl.load_workbook(imr_dir(workbooks, imr.review_id, imr.agency_id) / ACTION_PLAN_FILE)
    edit(book[book.sheetnames[0]])
    book.save(path := tmp_path / "Returned Action Plan.xlsx")
    return path


def imported(capsys, root: Path, imr: Imr, book: Path, *flags: str) -> tuple[int, str, str, bool]:
    """Import with --write, then check: the exit code, what was printed, and whether the file changed."""
    file = root / "reviews" / imr.review_id / imr.agency_id / "actions.yml"
    before = file.read_bytes()
    code = main(["--root", str(root), "import", "action-plan", str(book), f"{imr.review_id}/{imr.agency_id}", "--write", *flags])
    captured = capsys.readouterr()
    assert "internal error" not in captured.err
    assert main(["--root", str(root), "check"]) == 0, capsys.readouterr().out
    capsys.readouterr()
    return code, captured.out, captured.err, file.read_bytes() != before


def test_an_action_added_in_excel_without_its_lesson(workbooks, example, approved, tmp_repo, tmp_path, capsys) -> None:
    row = FIRST_ROW + len(approved.actions)
    no = max(a.no for a in approved.actions) + 1

    def edit(ws) -> None:
        ws[f"{template_column(example, 'no')}{row}"] = no
        ws[f"{template_column(example, 'recommendation')}{row}"] = "Carers' assessments are offered at every review."
        ws[f"{template_column(example, 'lead_officer')}{row}"] = "Head of Carers' Services"

    code, _, err, changed = imported(capsys, tmp_repo, approved, edited(workbooks, approved, tmp_path, edit))
    assert (code, changed) == (1, False)
    assert f"(action {no}): error[action-without-lesson]: action {no} does not say which lesson it comes from" in err
    assert "nothing was written" in err


def test_completed_without_a_date(workbooks, example, approved, tmp_repo, tmp_path, capsys) -> None:
    index = next(i for i, a in enumerate(approved.actions) if a.status != example.template.action_plan.completed)
    row, no = FIRST_ROW + index, approved.actions[index].no
    code, _, err, changed = imported(capsys, tmp_repo, approved, edited(
        workbooks, approved, tmp_path, lambda ws: ws.__setitem__(f"{template_column(example, 'status')}{row}", "Completed")))
    assert (code, changed) == (1, False)
    status, completed = f"{template_column(example, 'status')}{row}", f"{template_column(example, 'date_completed')}{row}"
    assert f"Actions!{status} (Status) or Actions!{completed} (Date Completed) (action {no}): error[completed-without-date]" in err


def test_a_completion_date_in_the_future(workbooks, example, approved, tmp_repo, tmp_path, capsys) -> None:
    index = next(i for i, a in enumerate(approved.actions) if a.date_completed)
    row, no = FIRST_ROW + index, approved.actions[index].no
    cell = f"{template_column(example, 'date_completed')}{row}"
    code, _, err, changed = imported(capsys, tmp_repo, approved, edited(
        workbooks, approved, tmp_path, lambda ws: ws.__setitem__(cell, today() + dt.timedelta(days=30))))
    assert (code, changed) == (1, False)
    assert f"Actions!{cell} (Date Completed) (action {no}): error[completed-in-future]" in err


def test_a_date_completed_while_in_progress(workbooks, example, approved, tmp_repo, tmp_path, capsys) -> None:
    index = next(i for i, a in enumerate(approved.actions) if a.status == "In progress")
    row, no = FIRST_ROW + index, approved.actions[index].no
    cell = f"{template_column(example, 'date_completed')}{row}"
    code, _, err, changed = imported(capsys, tmp_repo, approved, edited(
        workbooks, approved, tmp_path, lambda ws: ws.__setitem__(cell, dt.date(2026, 5, 1))))
    assert (code, changed) == (1, False)
    status = f"{template_column(example, 'status')}{row}"
    assert f"Actions!{cell} (Date Completed) or Actions!{status} (Status) (action {no}): error[date-completed-not-completed]" in err


@pytest.mark.parametrize(("key", "title"), [("target_date", "Target Date"), ("status", "Status"), ("lead_officer", "Lead Officer")])
def test_clearing_a_value_of_an_approved_imr(workbooks, example, approved, tmp_repo, tmp_path, capsys, key, title) -> None:
    action = next(a for a in approved.actions if getattr(a, key))
    cell = f"{template_column(example, key)}{FIRST_ROW + approved.actions.index(action)}"
    code, stdout, err, changed = imported(capsys, tmp_repo, approved, edited(
        workbooks, approved, tmp_path, lambda ws: ws.__setitem__(cell, None)))
    assert (code, changed) == (1, False)
    assert f"Actions!{cell} ({title}) (action {action.no}): error[clearing-refused]: the {title} of action {action.no}" in err
    assert "--allow-clearing" in err
    assert f"{key.replace('_', ' ')}: cleared (it was " in stdout
    assert "(empty)" not in stdout


def test_allowed_clearing_keeps_the_key_and_its_comments(workbooks, example, approved, tmp_repo, tmp_path, capsys) -> None:
    """The write used to delete the key, its end-of-line comment and the comment line after it."""
    file = tmp_repo / "reviews" / approved.review_id / approved.agency_id / "actions.yml"
    index, action = next((i, a) for i, a in enumerate(approved.actions) if a.comment)
    text = file.read_text(encoding="utf-8")
    start = text.index("    comment:", text.index(f"  - no: {action.no}\n"))
    end = text.index("\n    updates:", start) if "\n    updates:" in text[start:] else len(text)
    text = text[:start] + "    comment: Reported to the panel.  # the panel's wording\n    # agreed on 3 March" + text[end:]
    file.write_text(text, encoding="utf-8")
    cell = f"{template_column(example, 'comment')}{FIRST_ROW + index}"
    code, stdout, err, changed = imported(capsys, tmp_repo, approved, edited(
        workbooks, approved, tmp_path, lambda ws: ws.__setitem__(cell, None)), "--allow-clearing")
    assert (code, changed) == (0, True), err
    assert "    comment: cleared (it was " in stdout
    written = file.read_text(encoding="utf-8")
    assert re.search(r"\n    comment: +# the panel's wording\n    # agreed on 3 March\n", written)


def test_typing_over_a_formula_column(workbooks, example, approved, tmp_repo, tmp_path, capsys) -> None:
    index, _action = next((i, a) for i, a in enumerate(approved.actions) if a.status == "In progress")
    cell = f"{template_column(example, 'overall')}{FIRST_ROW + index}"
    code, _, err, changed = imported(capsys, tmp_repo, approved, edited(
        workbooks, approved, tmp_path, lambda ws: ws.__setitem__(cell, "Completed")))
    assert (code, changed) == (1, False)
    assert f"cell {cell}: error[formula-column-edited]: 'Completed' was typed over the formula" in err


def test_an_action_added_in_excel_with_its_lesson(workbooks, example, approved, tmp_repo, tmp_path, capsys) -> None:
    """The Lesson column after the template's 15 is where an action added in Excel names its lesson."""
    row = FIRST_ROW + len(approved.actions)
    no = max(a.no for a in approved.actions) + 1
    lesson = ", ".join(ref.text for ref in approved.actions[0].lesson)  # as an agency types it: L3, or L1, L3
    values = {"no": no, "recommendation": "Carers' assessments are offered at every review.",
              "key_actions": "Add the offer to the review form.", "evidence": "Audit of 20 reviews.",
              "key_outcome": "Every carer is offered an assessment.", "lead_officer": "Head of Carers' Services",
              "target_date": dt.date(2027, 3, 31), "status": "Not started", "lesson": lesson}

    def edit(ws) -> None:
        for key, value in values.items():
            ws[f"{workbook_letter(example, key)}{row}"] = value

    code, stdout, err, changed = imported(capsys, tmp_repo, approved, edited(workbooks, approved, tmp_path, edit))
    assert (code, changed) == (0, True), err
    assert f"action {no} (new):" in stdout and f"lesson: {lesson}" in stdout
    added = load(tmp_repo).review(approved.review_id).imrs[approved.agency_id].actions[-1]
    read = {key: added.value(key) for key in values} | {"lesson": ", ".join(ref.text for ref in added.lesson)}
    assert read == values


def test_correcting_an_updates_date(workbooks, example, approved, tmp_repo, tmp_path, capsys) -> None:
    """Shown and applied as a change of the update that exists (matched on its text), never a second copy."""
    action = next(a for a in approved.actions if a.updates)
    update = action.updates[0]
    corrected = update.date - dt.timedelta(days=2)

    def edit(ws) -> None:
        sheet = ws.parent[UPDATES_SHEET]
        cell = next(r[1] for r in sheet.iter_rows(min_row=2) if r[0].value == action.no and r[2].value == update.text)
        cell.value = corrected

    code, stdout, err, changed = imported(capsys, tmp_repo, approved, edited(workbooks, approved, tmp_path, edit))
    assert (code, changed) == (0, True), err
    assert f"update of {uk(update.date)}: its date corrected to {uk(corrected)}" in stdout
    assert "update added" not in stdout
    after = next(a for a in load(tmp_repo).review(approved.review_id).imrs[approved.agency_id].actions if a.no == action.no)
    assert [(u.date, u.text) for u in after.updates] == [(corrected, update.text)] + [(u.date, u.text) for u in action.updates[1:]]


@pytest.mark.parametrize("updates_sheet_too", [True, False])
def test_renumbering_an_action(workbooks, example, approved, tmp_repo, tmp_path, capsys, updates_sheet_too) -> None:
    """A change of the action's number, matched on its text: not a duplicate beside the old one.

    The agency may or may not renumber the action's rows on the Updates sheet too.
    """
    index, action = next((i, a) for i, a in enumerate(approved.actions) if a.updates)
    new = max(a.no for a in approved.actions) + 10

    def edit(ws) -> None:
        ws[f"{template_column(example, 'no')}{FIRST_ROW + index}"] = new
        for cells in ws.parent[UPDATES_SHEET].iter_rows(min_row=2):
            if cells[0].value == action.no and updates_sheet_too:
                cells[0].value = new

    code, stdout, err, changed = imported(capsys, tmp_repo, approved, edited(workbooks, approved, tmp_path, edit))
    assert (code, changed) == (0, True), err
    assert f"  action {action.no} (renumbered {new}):" in stdout
    assert f"no: {action.no} -> {new}" in stdout
    assert "(new)" not in stdout and "not in the workbook" not in stdout
    after = load(tmp_repo).review(approved.review_id).imrs[approved.agency_id].actions
    assert [a.no for a in after] == [new if a.no == action.no else a.no for a in approved.actions]
    assert [(u.date, u.text) for u in after[index].updates] == [(u.date, u.text) for u in action.updates]


def test_every_column_survives_build_edit_and_import(workbooks, example, approved, tmp_repo, tmp_path, capsys) -> None:
    """Each column the import reads, edited in the workbook, comes back into actions.yml as typed."""
    layout = example.template.action_plan
    index, action = next((i, a) for i, a in enumerate(approved.actions) if a.status == "In progress")
    typed = {"text": "Edited in the workbook by the agency.", "date": dt.date(2027, 1, 15), "status": "In progress",
             "number": action.no}
    keys = [c for c in layout.workbook_columns if c.kind in ("text", "date", "status", "number")]
    special = {"lesson": approved.actions[-1].lesson, "date_completed": None}

    def edit(ws) -> None:
        for column in keys:
            ws[f"{workbook_letter(example, column.key)}{FIRST_ROW + index}"] = special.get(column.key, typed[column.kind])

    code, _stdout, err, changed = imported(capsys, tmp_repo, approved, edited(workbooks, approved, tmp_path, edit))
    assert (code, changed) == (0, True), err
    after = load(tmp_repo).review(approved.review_id).imrs[approved.agency_id].actions[index]
    for column in keys:
        assert after.value(column.key) == special.get(column.key, typed[column.kind]), column.key
