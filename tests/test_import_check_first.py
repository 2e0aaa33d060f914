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

from sarflow.cli import main
from sarflow.dates import today
from sarflow.model import Imr, Repository
from sarflow.outputs import imr_dir
from sarflow.xlsx.layout import ACTION_PLAN_FILE, FIRST_ROW

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("check-first-build")
    assert main(["--root", str(ROOT), "build", "--only", "xlsx", "--out", str(folder)]) == 0
    return folder


@pytest.fixture(scope="module")
def approved(example: Repository) -> Imr:
    return next(i for i in example.imrs() if i.status == "approved" and i.actions)


def letter(repo: Repository, key: str) -> str:
    keys = [c.key for c in repo.template.action_plan.columns]
    return openpyxl.utils.get_column_letter(keys.index(key) + 1)


def edited(out: Path, imr: Imr, tmp_path: Path, edit) -> Path:
    book = openpyxl.load_workbook(imr_dir(out, imr.review_id, imr.agency_id) / ACTION_PLAN_FILE)
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


def test_an_action_added_in_excel_without_its_lesson(out, example, approved, tmp_repo, tmp_path, capsys) -> None:
    row = FIRST_ROW + len(approved.actions)
    no = max(a.no for a in approved.actions) + 1

    def edit(ws) -> None:
        ws[f"{letter(example, 'no')}{row}"] = no
        ws[f"{letter(example, 'recommendation')}{row}"] = "Carers' assessments are offered at every review."
        ws[f"{letter(example, 'lead_officer')}{row}"] = "Head of Carers' Services"

    code, _, err, changed = imported(capsys, tmp_repo, approved, edited(out, approved, tmp_path, edit))
    assert (code, changed) == (1, False)
    assert f"(action {no}): error[action-without-lesson]: action {no} does not say which lesson it comes from" in err
    assert "nothing was written" in err


def test_completed_without_a_date(out, example, approved, tmp_repo, tmp_path, capsys) -> None:
    index = next(i for i, a in enumerate(approved.actions) if a.status != example.template.action_plan.completed)
    row, no = FIRST_ROW + index, approved.actions[index].no
    code, _, err, changed = imported(capsys, tmp_repo, approved, edited(
        out, approved, tmp_path, lambda ws: ws.__setitem__(f"{letter(example, 'status')}{row}", "Completed")))
    assert (code, changed) == (1, False)
    status, completed = f"{letter(example, 'status')}{row}", f"{letter(example, 'date_completed')}{row}"
    assert f"Actions!{status} (Status) or Actions!{completed} (Date Completed) (action {no}): error[completed-without-date]" in err


def test_a_completion_date_in_the_future(out, example, approved, tmp_repo, tmp_path, capsys) -> None:
    index = next(i for i, a in enumerate(approved.actions) if a.date_completed)
    row, no = FIRST_ROW + index, approved.actions[index].no
    cell = f"{letter(example, 'date_completed')}{row}"
    code, _, err, changed = imported(capsys, tmp_repo, approved, edited(
        out, approved, tmp_path, lambda ws: ws.__setitem__(cell, today() + dt.timedelta(days=30))))
    assert (code, changed) == (1, False)
    assert f"Actions!{cell} (Date Completed) (action {no}): error[completed-in-future]" in err


def test_a_date_completed_while_in_progress(out, example, approved, tmp_repo, tmp_path, capsys) -> None:
    index = next(i for i, a in enumerate(approved.actions) if a.status == "In progress")
    row, no = FIRST_ROW + index, approved.actions[index].no
    cell = f"{letter(example, 'date_completed')}{row}"
    code, _, err, changed = imported(capsys, tmp_repo, approved, edited(
        out, approved, tmp_path, lambda ws: ws.__setitem__(cell, dt.date(2026, 5, 1))))
    assert (code, changed) == (1, False)
    status = f"{letter(example, 'status')}{row}"
    assert f"Actions!{cell} (Date Completed) or Actions!{status} (Status) (action {no}): error[date-completed-not-completed]" in err


@pytest.mark.parametrize(("key", "title"), [("target_date", "Target Date"), ("status", "Status"), ("lead_officer", "Lead Officer")])
def test_clearing_a_value_of_an_approved_imr(out, example, approved, tmp_repo, tmp_path, capsys, key, title) -> None:
    action = next(a for a in approved.actions if getattr(a, key))
    cell = f"{letter(example, key)}{FIRST_ROW + approved.actions.index(action)}"
    code, stdout, err, changed = imported(capsys, tmp_repo, approved, edited(
        out, approved, tmp_path, lambda ws: ws.__setitem__(cell, None)))
    assert (code, changed) == (1, False)
    assert f"Actions!{cell} ({title}) (action {action.no}): error[clearing-refused]: the {title} of action {action.no}" in err
    assert "--allow-clearing" in err
    assert f"{key.replace('_', ' ')}: cleared (it was " in stdout
    assert "(empty)" not in stdout


def test_allowed_clearing_keeps_the_key_and_its_comments(out, example, approved, tmp_repo, tmp_path, capsys) -> None:
    """The write used to delete the key, its end-of-line comment and the comment line after it."""
    file = tmp_repo / "reviews" / approved.review_id / approved.agency_id / "actions.yml"
    index, action = next((i, a) for i, a in enumerate(approved.actions) if a.comment)
    text = file.read_text(encoding="utf-8")
    start = text.index("    comment:", text.index(f"  - no: {action.no}\n"))
    end = text.index("\n    updates:", start) if "\n    updates:" in text[start:] else len(text)
    text = text[:start] + "    comment: Reported to the panel.  # the panel's wording\n    # agreed on 3 March" + text[end:]
    file.write_text(text, encoding="utf-8")
    cell = f"{letter(example, 'comment')}{FIRST_ROW + index}"
    code, stdout, err, changed = imported(capsys, tmp_repo, approved, edited(
        out, approved, tmp_path, lambda ws: ws.__setitem__(cell, None)), "--allow-clearing")
    assert (code, changed) == (0, True), err
    assert "    comment: cleared (it was " in stdout
    written = file.read_text(encoding="utf-8")
    assert re.search(r"\n    comment: +# the panel's wording\n    # agreed on 3 March\n", written)


def test_typing_over_a_formula_column(out, example, approved, tmp_repo, tmp_path, capsys) -> None:
    index, action = next((i, a) for i, a in enumerate(approved.actions) if a.status == "In progress")
    cell = f"{letter(example, 'overall')}{FIRST_ROW + index}"
    code, _, err, changed = imported(capsys, tmp_repo, approved, edited(
        out, approved, tmp_path, lambda ws: ws.__setitem__(cell, "Completed")))
    assert (code, changed) == (1, False)
    assert f"cell {cell}: error[formula-column-edited]: 'Completed' was typed over the formula" in err
