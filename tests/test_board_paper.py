"""`sarflow board-paper`: the Word paper for a board meeting, read back with python-docx.

The paper is written by the real command (pandoc and the house reference document) and
every expectation is worked out here from the example: the headline figures, the
meeting it is for and the one before, each open review, and each overdue action with
its target date, status, days overdue and latest update. Its confidentiality is proved
by the site's own scan (every restricted value of the example, in any written form),
and a restricted value planted in an update is kept out by the redaction too.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
import zipfile
from pathlib import Path

import docx
import pytest

from helpers import edit_yaml
from sarflow.cli import main
from sarflow.dates import today, uk, uk_long
from sarflow.load import load
from sarflow.model import Repository
from sarflow.outputs import ERRORS_MARK
from test_site_confidentiality import normal, restricted

ROOT = Path(__file__).resolve().parents[1]


def paper_text(path: Path) -> str:
    """Every word of the document, its headers and footers, as one normalised text."""
    with zipfile.ZipFile(path) as z:
        parts = [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("word/") and n.endswith(".xml")]
    words = " ".join(re.sub(r"<[^>]+>", " ", part) for part in parts)
    return normal(html.unescape(" ".join(words.split())))


@pytest.fixture(scope="module")
def paper(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("paper")
    assert main(["--root", str(ROOT), "board-paper", "--out", str(out)]) == 0
    (found,) = (out / "board").glob("*.docx")
    return found


def rows_of(document: docx.document.Document, head: list[str]) -> list[list[str]]:
    table = next(t for t in document.tables if [c.text for c in t.rows[0].cells] == head)
    return [[c.text for c in row.cells] for row in table.rows[1:]]


def test_the_paper_is_for_the_next_meeting_and_compares_with_the_one_before(paper: Path, example: Repository) -> None:
    on = today()
    meeting = min(m for m in example.board.meetings if m >= on)
    before = max(m for m in example.board.meetings if m < meeting)
    assert paper.name == f"{example.board.short_name} board paper {uk_long(meeting)}.docx"
    document = docx.Document(str(paper))
    words = " ".join(p.text for p in document.paragraphs)
    assert f"Paper for the board meeting of {uk_long(meeting)}, with the figures of {uk_long(on)}" in words
    assert f"Since the board met on {uk_long(before)}:" in words
    assert document.paragraphs[0].style.name == "Title"
    assert example.template.marking in " ".join(p.text for s in document.sections for p in s.header.paragraphs)


def test_the_figures_and_each_open_review_come_from_the_data(paper: Path, example: Repository) -> None:
    on, done = today(), example.template.action_plan.completed
    document = docx.Document(str(paper))
    shown = dict(rows_of(document, ["Figure", "Number"]))
    actions = [a for imr in example.imrs() for a in imr.actions]
    assert shown["Overdue actions"] == str(sum(a.is_overdue(on, done) for a in actions))
    assert shown[f"Actions completed in {on.year}"] == str(
        sum(a.status == done and a.date_completed and a.date_completed.year == on.year for a in actions))
    completing = next(i for i, s in enumerate(example.template.stages) if s.completes)
    order = [s.id for s in example.template.stages]
    still_open = [r for r in example.reviews if not r.completed and order.index(r.stage) < completing]
    assert shown["Open reviews"] == str(len(still_open))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    for review in example.reviews:
        assert (f"{review.reference}: {review.subject.name}" in headings) == (review in still_open)


def test_every_overdue_action_is_listed_with_its_date_status_days_and_latest_update(
    paper: Path, example: Repository
) -> None:
    on, done = today(), example.template.action_plan.completed
    head = ["Review", "Agency", "No", "Recommendation", "Target date", "Status", "Days overdue", "Latest update"]
    rows = rows_of(docx.Document(str(paper)), head)
    overdue = [(r, imr, a) for r in example.reviews for imr in r.imrs.values() for a in imr.actions
               if a.is_overdue(on, done)]
    assert overdue and len(rows) == len(overdue)
    for review, imr, action in overdue:
        row = next(x for x in rows if x[0] == review.reference and x[1] == review.agency_name(imr.agency_id)
                   and x[2] == str(action.no))
        days = (on - action.target_date).days
        assert row[4:7] == [uk(action.target_date), action.status, f"{days} day{'' if days == 1 else 's'}"]
        latest = max((u for u in action.updates if u.date), key=lambda u: u.date, default=None)
        assert row[7] == (f"{uk(latest.date)}: {' '.join(latest.text.split())}" if latest else "No update yet")


def test_a_meeting_can_be_chosen_and_a_date_the_uk_way_is_refused(tmp_path: Path, capsys) -> None:
    assert main(["--root", str(ROOT), "board-paper", "--meeting", "2026-09-10", "--out", str(tmp_path)]) == 0
    words = " ".join(p.text for p in docx.Document(str(tmp_path / "board" / "NSAB board paper 10 September 2026.docx"))
                     .paragraphs)
    assert "Since the board met on 11 June 2026:" in words
    with pytest.raises(SystemExit) as stopped:
        main(["--root", str(ROOT), "board-paper", "--meeting", "10/09/2026", "--out", str(tmp_path)])
    assert stopped.value.code == 2 and "write it as year-month-day, e.g. 2026-12-10" in capsys.readouterr().err


def test_the_paper_shows_no_restricted_value_of_the_example(paper: Path, example: Repository) -> None:
    text = paper_text(paper)
    found = [f"{why} ({value!r})" for value, why in restricted(example).items() if value in text]
    assert found == []


def test_a_staff_name_typed_into_an_update_is_kept_out_of_the_paper(tmp_path: Path) -> None:
    for name in ("reviews", "schema", "site"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    repo = load(tmp_path)
    imr = next(i for i in repo.imrs() if i.actions and any(p.name for p in i.personnel))
    person = next(p for p in imr.personnel if p.name and p.name != "not known")

    def plant(data) -> None:  # yesterday's update: the paper lists it among the new ones since the last meeting
        updates = data["actions"][0].setdefault("updates", [])
        updates.append({"date": today() - dt.timedelta(days=1), "text": f"Reviewed with {person.name} on the ward."})

    edit_yaml(imr.folder / "actions.yml", plant)
    out = tmp_path / "out"
    assert main(["--root", str(tmp_path), "board-paper", "--out", str(out)]) == 1  # check's error, and still a paper
    (written,) = (out / "board").glob("*.docx")
    text = paper_text(written)
    assert normal(person.name) not in text and "the ward" in text
    with zipfile.ZipFile(written) as package:  # built from files with errors: its page headers say so, as an IMR report's do
        assert ERRORS_MARK in package.read("word/header1.xml").decode("utf-8")
