"""A board adds columns to its action plan by changing the template file only.

Two columns go into a copy of the template's table (a text column that every action of
a submitted IMR needs, and a date column the panel follows), `sarflow schemas` brings
the schemas in line, and an author fills them in: the workbook writes them, check reads
the new text and requires the new field, the panel's summary of changes names them and
the Word report shows them, with no change to sarflow's code.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import docx
import openpyxl
import pytest
from tests.helpers import edit_yaml

from sarflow.changes.compare import imr_changes
from sarflow.cli import main
from sarflow.docx import file_name
from sarflow.load import load
from sarflow.outputs import imr_dir
from sarflow.xlsx.layout import ACTION_PLAN_FILE, FIRST_ROW, HEADER_ROW

TRUST = "reviews/adult-a/acute-trust"  # a submitted IMR
ADDED = (
    "    - {key: risk_rating, title: Risk Rating, kind: text, required: true}\n"
    "    - {key: review_date, title: Review Date, kind: date, followed: true}\n"
)
RISK = "High until the audit reports; then reassess"
REVIEWED = dt.date(2026, 6, 1)


@pytest.fixture
def extended(tmp_repo: Path) -> Path:
    """The repository with the two columns added to its template (before Agency), schemas not yet regenerated."""
    template = tmp_repo / "schema/templates/sar9-v3.yml"
    text = template.read_text(encoding="utf-8")
    agency = "    - {key: agency, title: Agency, kind: agency}\n"
    assert agency in text
    template.write_text(text.replace(agency, ADDED + agency), encoding="utf-8")
    return tmp_repo


def fill_in(root: Path, risk: dict[int, str]) -> None:
    """The author writes the new fields into the trust's actions (a risk rating only for those in `risk`)."""

    def change(data: dict) -> None:
        for action in data["actions"]:
            if action["no"] in risk:
                action["risk_rating"] = risk[action["no"]]
            action["review_date"] = dt.date.fromordinal(REVIEWED.toordinal())  # one object each: ruamel would alias a shared one

    edit_yaml(root / TRUST / "actions.yml", change)


def findings(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    """Check the trust's IMR: the exit code and the findings in its own files ("code:line:message").

    A path stands for its whole review, so check also reports the review's other IMRs; the errors
    there are only that they lack the new required field (`elsewhere`)."""
    capsys.readouterr()
    code = main(["--root", str(root), "check", "--format", "json", str(root / TRUST)])
    found = json.loads(capsys.readouterr().out)
    own = [f for f in found if f["file"].startswith(f"{TRUST}/")]
    assert {f["code"] for f in found if f not in own and f["severity"] == "error"} <= {"action-incomplete"}
    return code, [f"{f['code']}:{f['line']}:{f['message']}" for f in own]


def elsewhere_only_the_new_field(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The trust's files are clean; check fails only for the review's other IMRs, which lack the new field."""
    code, own = findings(root, capsys)
    assert own == [] and code == 1


def test_a_new_column_is_generated_checked_written_diffed_and_shown(
    extended: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = extended
    before = load(root)
    numbers = [a.no for a in before.review("adult-a").imrs["acute-trust"].actions]
    assert len(numbers) >= 3
    fill_in(root, {numbers[0]: "Ask jo.bloggs@example.org for the audit", **dict.fromkeys(numbers[1:-1], RISK)})

    # the schemas follow the template only once regenerated: until then the new keys are unknown
    assert main(["--root", str(root), "schemas", "--check"]) == 1
    code, found = findings(root, capsys)
    assert code == 1 and any(f.startswith("unknown-key:") and "risk_rating" in f for f in found), found
    assert main(["--root", str(root), "schemas"]) == 0
    assert main(["--root", str(root), "schemas", "--check"]) == 0

    # check: the new field is required once submitted, and its text is read like any other
    code, found = findings(root, capsys)
    lines = (root / TRUST / "actions.yml").read_text(encoding="utf-8").split("\n")
    email_line = next(n for n, line in enumerate(lines, start=1) if "jo.bloggs@example.org" in line)
    assert code == 1
    assert sorted(f.split(":")[0] for f in found) == ["action-incomplete", "email-address"]  # in check's order: errors first
    assert next(f for f in found if f.startswith("email-address:")).startswith(f"email-address:{email_line}:")
    assert f"action {numbers[-1]} has no Risk Rating" in next(f for f in found if f.startswith("action-incomplete:"))
    fill_in(root, {numbers[0]: RISK, **dict.fromkeys(numbers[1:], RISK)})
    elsewhere_only_the_new_field(root, capsys)

    after = load(root)
    imr = after.review("adult-a").imrs["acute-trust"]
    assert [a.value("risk_rating") for a in imr.actions] == [RISK] * len(numbers)
    assert [a.value("review_date") for a in imr.actions] == [REVIEWED] * len(numbers)

    # the panel's summary: the date is followed old -> new, the text only named
    changes = imr_changes(before.review("adult-a").imrs["acute-trust"], imr, after.template, "the trust")
    first = changes.actions.changed[0]
    assert [(c.field, c.old, c.new) for c in first.changes] == [("Review Date", None, REVIEWED)]
    assert first.fields == ["Risk Rating"]

    out = tmp_path / "out"
    # the review's other IMRs have no Risk Rating yet (one is approved): the review's workbooks,
    # made from all of them, are marked and the build exits 1; the trust's own documents are not marked
    capsys.readouterr()
    assert main(["--root", str(root), "build", "--only", "xlsx", "--only", "docx", "--out", str(out), str(root / TRUST)]) == 1
    assert "marked as built from files with errors: the workbooks of review adult-a\n" in capsys.readouterr().err
    plan = after.template.action_plan

    # the workbook: the template's columns with the two new ones before Agency, then Lesson and RAG
    ws = openpyxl.load_workbook(imr_dir(out, "adult-a", "acute-trust") / ACTION_PLAN_FILE)[plan.sheet]
    header = [c.value for c in ws[HEADER_ROW]]
    assert header[-5:] == ["Risk Rating", "Review Date", "Agency", "Lesson", "RAG"]
    risk_col, date_col = header.index("Risk Rating") + 1, header.index("Review Date") + 1
    for row in range(FIRST_ROW, FIRST_ROW + len(numbers)):
        assert ws.cell(row, risk_col).value == RISK
        assert ws.cell(row, date_col).value.date() == REVIEWED and ws.cell(row, date_col).number_format == "dd/mm/yyyy"

    # the Word report: the two columns in the action plan's table, the date UK style
    document = docx.Document(str(imr_dir(out, "adult-a", "acute-trust") / file_name(after.review("adult-a"), imr)))
    table = next(t for t in document.tables if "Risk Rating" in [c.text for c in t.rows[0].cells])
    head = [c.text for c in table.rows[0].cells]
    assert head[-3:] == ["Comment", "Risk Rating", "Review Date"]
    for row in table.rows[1:]:
        cells = [c.text for c in row.cells]
        assert cells[-2:] == [RISK, "01/06/2026"]

    # the import: values typed into the new columns of the returned workbook come back into actions.yml
    book = openpyxl.load_workbook(imr_dir(out, "adult-a", "acute-trust") / ACTION_PLAN_FILE)
    book[plan.sheet].cell(FIRST_ROW, risk_col).value = "Low once the audit has reported"
    book[plan.sheet].cell(FIRST_ROW, date_col).value = dt.date(2026, 7, 1)
    book.save(returned := tmp_path / "Returned Action Plan.xlsx")
    capsys.readouterr()
    assert main(["--root", str(root), "import", "action-plan", str(returned), "adult-a/acute-trust", "--write"]) == 0
    stdout = capsys.readouterr().out
    assert "risk rating:" in stdout and "review date: 01/06/2026 -> 01/07/2026" in stdout
    first_action = load(root).review("adult-a").imrs["acute-trust"].actions[0]
    assert first_action.value("risk_rating") == "Low once the audit has reported"
    assert first_action.value("review_date") == dt.date(2026, 7, 1)
    elsewhere_only_the_new_field(root, capsys)
