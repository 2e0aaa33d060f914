"""`sarflow import action-plan`: a returned workbook becomes a change to actions.yml.

The workbooks are the ones `sarflow build` makes from the example (built once), edited
here as an agency would edit them in Excel, and imported into a copy of the example.
"""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path

import openpyxl
import pytest

from helpers import column_titled, template_column
from sarflow.cli import main
from sarflow.dates import uk
from sarflow.load import load
from sarflow.model import Imr, Repository
from sarflow.outputs import imr_dir, review_dir
from sarflow.xlsx.layout import ACTION_PLAN_FILE, FIRST_ROW, HEADER_ROW, UPDATES_SHEET

ROOT = Path(__file__).resolve().parents[1]


def run(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--root", str(root), "import", "action-plan", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def actions_file(root: Path, imr: Imr) -> Path:
    return root / "reviews" / imr.review_id / imr.agency_id / "actions.yml"


def edited(workbooks: Path, imr: Imr, tmp_path: Path, edit) -> Path:
    """The IMR's built workbook after `edit(workbook)`, saved as an agency would return it."""
    book = openpyxl.load_workbook(imr_dir(workbooks, imr.review_id, imr.agency_id) / ACTION_PLAN_FILE)
    edit(book)
    path = tmp_path / "Returned Action Plan.xlsx"
    book.save(path)
    return path


def test_export_then_import_changes_nothing(workbooks: Path, example: Repository, tmp_repo: Path, capsys) -> None:
    for review in example.reviews:
        for imr in review.imrs.values():
            before = actions_file(tmp_repo, imr).read_bytes()
            target = f"{imr.review_id}/{imr.agency_id}"
            for book in (imr_dir(workbooks, imr.review_id, imr.agency_id) / ACTION_PLAN_FILE, review_dir(workbooks, review.id) / ACTION_PLAN_FILE):
                code, stdout, err = run(capsys, tmp_repo, str(book), target, "--write")
                assert (code, err) == (0, ""), err
                assert "nothing to change" in stdout
                assert actions_file(tmp_repo, imr).read_bytes() == before


def test_without_write_the_changes_are_shown_and_nothing_written(workbooks, example, busiest, tmp_repo, tmp_path, capsys) -> None:
    plan = example.template.action_plan
    index, action = next((i, a) for i, a in enumerate(busiest.actions) if a.status != plan.statuses[-1])
    row = FIRST_ROW + index
    done = dt.date.today()

    def edit(book) -> None:
        ws = book[plan.sheet]
        ws[f"{template_column(example, 'status')}{row}"] = plan.statuses[-1]
        ws[f"{template_column(example, 'date_completed')}{row}"] = done

    before = actions_file(tmp_repo, busiest).read_bytes()
    code, stdout, _ = run(capsys, tmp_repo, str(edited(workbooks, busiest, tmp_path, edit)), f"{busiest.review_id}/{busiest.agency_id}")
    assert code == 0
    assert f"  action {action.no}:" in stdout
    assert f"status: {action.status} -> {plan.statuses[-1]}" in stdout
    assert f"date completed: set to {uk(done)}" in stdout
    assert "run again with --write" in stdout
    assert actions_file(tmp_repo, busiest).read_bytes() == before


def test_write_changes_only_those_values_and_keeps_comments(workbooks, example, busiest, tmp_repo, tmp_path, capsys) -> None:
    plan = example.template.action_plan
    file = actions_file(tmp_repo, busiest)
    lines = file.read_text(encoding="utf-8").split("\n")
    lines.insert(1, "# The panel agreed these actions at its meeting.")
    file.write_text("\n".join(lines), encoding="utf-8")
    before = file.read_text(encoding="utf-8")
    index, action = next((i, a) for i, a in enumerate(busiest.actions) if a.status != plan.statuses[-1])
    cleared = next(a for a in busiest.actions if a.comment and a.no != action.no)
    row, cleared_row = FIRST_ROW + index, FIRST_ROW + busiest.actions.index(cleared)
    comment = "The audit reported in November; " * 4 + "=SUM(A1)"

    def edit(book) -> None:
        ws = book[plan.sheet]
        ws[f"{template_column(example, 'status')}{row}"] = plan.statuses[-1]
        ws[f"{template_column(example, 'date_completed')}{row}"] = dt.date(2026, 11, 20)
        ws[f"{template_column(example, 'comment')}{row}"] = comment
        ws[f"{template_column(example, 'comment')}{row}"].data_type = "s"
        ws[f"{template_column(example, 'comment')}{cleared_row}"] = None

    code, stdout, err = run(capsys, tmp_repo, str(edited(workbooks, busiest, tmp_path, edit)), f"{busiest.review_id}/{busiest.agency_id}",
                            "--write", "--allow-clearing")
    assert code == 0, err
    assert "Written" in stdout
    after = file.read_text(encoding="utf-8")
    assert "# The panel agreed these actions at its meeting." in after
    assert after.startswith("# yaml-language-server: $schema=")
    changed = [line for line in difflib.ndiff(before.split("\n"), after.split("\n")) if line[:2] in ("+ ", "- ")]
    assert "+     date_completed: 2026-11-20" in changed
    assert "+     comment:" in changed  # cleared: the key stays, with an empty value
    assert f"-     status: {action.status}" in changed and f"+     status: {plan.statuses[-1]}" in changed
    assert len(changed) <= 2 + 1 + 2 * 6 + 1 + 4  # status, date completed, the comment's lines, the cleared comment
    assert all(len(line) <= 90 for line in after.split("\n") if line not in before.split("\n"))
    reloaded = load(tmp_repo).review(busiest.review_id).imrs[busiest.agency_id]
    assert not [f for f in reloaded.findings if f.severity.value == "error"]
    new = {a.no: a for a in reloaded.actions}
    assert new[action.no].status == plan.statuses[-1]
    assert new[action.no].date_completed == dt.date(2026, 11, 20)
    assert new[action.no].comment == comment
    assert new[cleared.no].comment is None
    untouched = [a for a in busiest.actions if a.no not in (action.no, cleared.no)]
    for old in untouched:
        kept = new[old.no]
        assert (kept.recommendation, kept.status, kept.date_completed) == (old.recommendation, old.status, old.date_completed)
        assert [(u.date, u.text) for u in kept.updates] == [(u.date, u.text) for u in old.updates]
    # the new key goes where the schema's order puts it
    written = next(a for a in reloaded.documents["actions.yml"].data["actions"] if a["no"] == action.no)
    keys = list(written)
    assert keys[keys.index("date_completed") - 1] == "status"


def test_a_new_action_and_a_new_update_are_added(workbooks, example, busiest, tmp_repo, tmp_path, capsys) -> None:
    """On a draft, where an action without its lesson is a warning (the workbook has no Lesson column yet)."""
    imr_file = tmp_repo / "reviews" / busiest.review_id / busiest.agency_id / "imr.yml"
    imr_file.write_text(imr_file.read_text(encoding="utf-8").replace(f"status: {busiest.status}", "status: draft", 1), encoding="utf-8")
    plan = example.template.action_plan
    number = max(a.no for a in busiest.actions) + 1
    row = FIRST_ROW + len(busiest.actions)
    first = busiest.actions[0]

    def edit(book) -> None:
        ws = book[plan.sheet]
        ws[f"{template_column(example, 'no')}{row}"] = number
        ws[f"{template_column(example, 'recommendation')}{row}"] = "Share the learning from this review with every team."
        ws[f"{template_column(example, 'lead_officer')}{row}"] = "yes"  # a YAML trap: must stay text
        ws[f"{template_column(example, 'target_date')}{row}"] = dt.date(2027, 6, 30)
        ws[f"{template_column(example, 'status')}{row}"] = plan.statuses[0]
        updates = book[UPDATES_SHEET]
        updates.append([first.no, dt.date(2026, 11, 25), "Reported to the board: on track.", None])

    code, stdout, err = run(capsys, tmp_repo, str(edited(workbooks, busiest, tmp_path, edit)), f"{busiest.review_id}/{busiest.agency_id}", "--write")
    assert code == 0, err
    assert f"action {number} (new):" in stdout
    assert "update added, 25/11/2026: Reported to the board: on track." in stdout
    reloaded = load(tmp_repo).review(busiest.review_id).imrs[busiest.agency_id]
    assert not [f for f in reloaded.findings if f.severity.value == "error"]
    added = reloaded.actions[-1]
    assert (added.no, added.lead_officer, added.target_date, added.status) == (number, "yes", dt.date(2027, 6, 30), plan.statuses[0])
    assert [(u.date, u.text) for u in reloaded.actions[0].updates] == [(u.date, u.text) for u in first.updates] + [
        (dt.date(2026, 11, 25), "Reported to the board: on track.")
    ]
    text = actions_file(tmp_repo, busiest).read_text(encoding="utf-8")
    tail = text[text.rindex(f"no: {number}") :].split("\n")
    assert [line.strip().split(":")[0] for line in tail if line.strip()] == [
        "no", "recommendation", "lead_officer", "target_date", "status"
    ]


def test_the_templates_own_layout_is_read(example, busiest, tmp_repo, tmp_path, capsys) -> None:
    """As the seed lays it out: "Todays date" above, titles lower down, one column in."""
    plan = example.template.action_plan
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = plan.sheet
    ws["B2"], ws["D2"] = plan.today_label, dt.date(2016, 6, 22)
    for col, c in enumerate(plan.columns, start=2):
        ws.cell(5, col, c.title)
    keys = [c.key for c in plan.columns]
    changed = busiest.actions[-1]
    for row, action in enumerate(busiest.actions, start=6):
        for col, key in enumerate(keys, start=2):
            if hasattr(action, key):
                ws.cell(row, col, getattr(action, key))
            elif key.startswith("formula_") or key == "overall":
                ws.cell(row, col, plan.not_logged)
        if action is changed:
            ws.cell(row, keys.index("lead_officer") + 2, "Director of Adult Services")
    for number in range(len(busiest.actions) + 1, 11):  # the template's numbered, empty rows
        ws.cell(5 + number, 2, number)
    book.create_sheet(plan.status_sheet)
    path = tmp_path / "Seed layout.xlsx"
    book.save(path)
    code, stdout, err = run(capsys, tmp_repo, str(path), f"{busiest.review_id}/{busiest.agency_id}")
    assert code == 0, err
    assert f"  action {changed.no}:" in stdout
    assert f"lead officer: {changed.lead_officer} -> Director of Adult Services" in stdout
    assert stdout.count("  action ") == 1


def test_the_review_workbook_imports_only_the_agencys_rows(workbooks, example, tmp_repo, tmp_path, capsys) -> None:
    plan = example.template.action_plan
    review = next(r for r in example.reviews if sum(bool(i.actions) for i in r.imrs.values()) >= 2)
    mine, other = [i for i in review.imrs.values() if i.actions][:2]
    name = review.agency(other.agency_id).name
    book = openpyxl.load_workbook(review_dir(workbooks, review.id) / ACTION_PLAN_FILE)
    ws = book[plan.sheet]
    agency, comment = (column_titled(ws, plan.title(k), HEADER_ROW) for k in ("agency", "comment"))
    theirs = next(r for r in range(FIRST_ROW, ws.max_row + 1) if ws[f"{agency}{r}"].value == name)
    ws[f"{comment}{theirs}"] = "Changed in the other agency's row."
    path = tmp_path / "Review Action Plan.xlsx"
    book.save(path)
    code, stdout, err = run(capsys, tmp_repo, str(path), f"{review.id}/{mine.agency_id}")
    assert (code, err) == (0, "")
    assert "nothing to change" in stdout
    assert f"skipped {sum(len(i.actions) for i in review.imrs.values()) - len(mine.actions)} row(s)" in stdout
    code, stdout, _ = run(capsys, tmp_repo, str(path), f"{review.id}/{other.agency_id}")
    assert code == 0 and "Changed in the other agency's row." in stdout


def test_a_missing_column_keeps_its_values(workbooks, example, busiest, tmp_repo, tmp_path, capsys) -> None:
    plan = example.template.action_plan
    comment_title = next(c.title for c in plan.columns if c.key == "comment")

    def edit(book) -> None:
        book[plan.sheet].delete_cols(openpyxl.utils.column_index_from_string(template_column(example, "comment")))

    before = actions_file(tmp_repo, busiest).read_bytes()
    code, stdout, _ = run(capsys, tmp_repo, str(edited(workbooks, busiest, tmp_path, edit)), f"{busiest.review_id}/{busiest.agency_id}", "--write")
    assert code == 0
    assert f"no {comment_title!r} column" in stdout and "nothing to change" in stdout
    assert actions_file(tmp_repo, busiest).read_bytes() == before
