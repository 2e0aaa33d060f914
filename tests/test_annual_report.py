"""`sarflow annual-report YEAR` for a year of the worked example: each item of Care Act 2014 Schedule 2 paragraph 4,
with the right reviews and actions (worked out here from the data), read back from the Word document by python-docx,
and no restricted value in either file, by the site's own confidentiality scan."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from docx import Document

from helpers import edit_yaml
from sarflow.annual import financial_year
from sarflow.cli import main
from sarflow.dates import uk
from sarflow.load import load
from sarflow.model import FULLY_ACCEPTED, Repository
from sarflow.status.figures import stage_label
from test_site_confidentiality import leaks, restricted

ROOT = Path(__file__).resolve().parents[1]
YEAR = "2025-26"


def written(out: Path) -> tuple[str, Document]:
    folder = out / "annual-report"
    (md,) = folder.glob("*.md")
    (docx,) = folder.glob("*.docx")
    return md.read_text(encoding="utf-8"), Document(str(docx))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, Document]:
    out = tmp_path_factory.mktemp("annual")
    assert main(["--root", str(ROOT), "annual-report", YEAR, "--out", str(out)]) == 0
    return (out, *written(out))


def straight(text: str) -> str:
    """Word's curly quotes (pandoc sets them) as the files write them."""
    return text.translate(str.maketrans("\u2018\u2019\u201c\u201d", "''\"\""))


def sections(document: Document) -> dict[str, list[str]]:
    """Each heading of the document, with the text of the paragraphs under it."""
    found: dict[str, list[str]] = {}
    heading = ""
    for paragraph in document.paragraphs:
        if paragraph.style.name.startswith("Heading"):
            heading = straight(paragraph.text)
            found[heading] = []
        elif paragraph.text.strip():
            found.setdefault(heading, []).append(straight(paragraph.text))
    return found


def table_rows(document: Document) -> list[list[list[str]]]:
    return [[[straight(cell.text) for cell in row.cells] for row in table.rows] for table in document.tables]


def test_each_item_of_paragraph_4_has_its_heading(built: tuple[Path, str, Document]) -> None:
    _, _, document = built
    headings = list(sections(document))
    for wanted in ("The year in figures", "Reviews concluded in the year", "Reviews ongoing at 31 March 2026",
                   "What was done to implement the findings", "By agency", "By recommendation",
                   "Recommendations not implemented in full, and why"):
        assert wanted in headings, headings
    assert all(rows[0] and all(rows[0][i] != "" or i == 0 for i in range(len(rows[0]))) for rows in table_rows(document))


def test_the_reviews_concluded_and_ongoing_are_the_right_ones(built: tuple[Path, str, Document], example: Repository) -> None:
    _, _, document = built
    year = financial_year(YEAR)
    concluded = [r for r in example.reviews if year.holds(r.completed)]
    ongoing = [r for r in example.reviews if r.started and r.started <= year.end and not (r.completed and r.completed <= year.end)]
    assert concluded and ongoing, "the example should have a review concluded in 2025-26 and one ongoing at its end"
    headings = sections(document)
    figures = {row[0]: row[1] for row in table_rows(document)[0][1:]}
    assert figures["Reviews concluded in the year"] == str(len(concluded))
    assert figures["Reviews ongoing at 31/03/2026"] == str(len(ongoing))
    for review in concluded:
        assert f"{review.reference}: {review.subject.name}" in headings
        text = " ".join(headings[f"{review.reference}: {review.subject.name}"])
        assert all(" ".join(f.text.split()) in text for f in review.recommendations.findings)
    ongoing_table = next(t for t in table_rows(document) if t[0][0] == "Review" and "Stage now" in t[0])
    assert [row[0] for row in ongoing_table[1:]] == [f"{r.reference}: {r.subject.name}" for r in ongoing]
    stage = ongoing_table[0].index("Stage now")
    assert [row[stage] for row in ongoing_table[1:]] == [stage_label(r.stage) for r in ongoing]  # as the site names it
    assert not [row[stage] for row in ongoing_table[1:] if "-" in row[stage]]  # a stage's name, never its id (imrs-requested)
    # Whether each review was mandatory or discretionary, with its section of the Care Act (often unclear, the national analysis found)
    basis = ongoing_table[0].index("Basis")
    acts = {"mandatory": "section 44(1)", "discretionary": "section 44(4)"}
    assert all(row[basis].startswith(r.basis.capitalize()) and acts[r.basis] in row[basis]
               for row, r in zip(ongoing_table[1:], ongoing, strict=True))


def test_the_actions_completed_in_the_year_are_listed_by_agency_and_by_recommendation(
        built: tuple[Path, str, Document], example: Repository) -> None:
    _, _, document = built
    year = financial_year(YEAR)
    completed = example.template.action_plan.completed
    agencies = [(r, imr.agency_id, a) for r in example.reviews for imr in r.imrs.values() for a in imr.actions
                if a.status == completed and year.holds(a.date_completed)]
    board = [(r, rec, a) for r in example.reviews for rec in (r.recommendations.recommendations if r.recommendations else [])
             for a in rec.board_actions if a.status == completed and year.holds(a.date_completed)]
    assert agencies and board
    tables = table_rows(document)
    done = [row for t in tables if t[0][:2] == ["Review", "Action"] for row in t[1:]]
    expected = {r.action_reference(agency, a.no): a for r, agency, a in agencies} | {f"{example.board.short_name}-{a.no}": a for _, _, a in board}
    assert {row[1]: row[3] for row in done} == {ref: uk(a.date_completed) for ref, a in expected.items()}
    for row in done:
        action = expected[row[1]]
        for update in action.updates:
            assert (f"{uk(update.date)}: {' '.join(update.text.split())}" in row[4]) == year.holds(update.date)
    by_recommendation = next(t for t in tables if t[0] == ["Review", "Recommendation", "Action", "By", "Completed"])
    linked = {(rec.id, r.action_reference(link.agency, link.no)) for r in example.reviews
              for rec in (r.recommendations.recommendations if r.recommendations else []) for link in rec.links}
    linked |= {(rec.id, f"{example.board.short_name}-{a.no}") for _, rec, a in board}
    shown = {(row[1].split(":")[0], row[2]) for row in by_recommendation[1:]}
    assert shown == {pair for pair in linked if pair[1] in expected}


def test_recommendations_not_accepted_in_full_are_given_with_their_reasons(built: tuple[Path, str, Document], example: Repository) -> None:
    _, _, document = built
    year = financial_year(YEAR)
    declined = [(r, rec) for r in example.reviews for rec in (r.recommendations.recommendations if r.recommendations else [])
                if rec.response and year.holds(rec.response.date) and rec.response.decision != FULLY_ACCEPTED]
    assert any(rec.response.decision == "not accepted" for _, rec in declined)
    table = next(t for t in table_rows(document) if t[0][-1] == "Reason")
    assert [(row[1].split(":")[0], row[2], row[4]) for row in table[1:]] == [
        (rec.id, rec.response.decision, " ".join(rec.response.reason.split())) for _, rec in declined]


def test_neither_file_shows_a_restricted_value(built: tuple[Path, str, Document], example: Repository) -> None:
    out, _, _ = built
    assert sorted(p.suffix for p in (out / "annual-report").iterdir()) == [".docx", ".md"]
    assert not leaks(out / "annual-report", restricted(example))  # every part of the .docx, headers and properties too


def test_the_scan_reads_every_part_of_the_word_document(built: tuple[Path, str, Document], example: Repository,
                                                        tmp_path: Path) -> None:
    """A name planted in the page header, split across two runs as Word may write it, is found."""
    out, _, _ = built
    (docx,) = (out / "annual-report").glob("*.docx")
    person = next(p for imr in example.imrs() for p in imr.personnel if p.name and len(p.name.split()) > 1)
    half = len(person.name) // 2
    planted = tmp_path / "planted" / docx.name
    planted.parent.mkdir()
    with zipfile.ZipFile(docx) as source, zipfile.ZipFile(planted, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "word/header1.xml":
                data = data.replace(b"</w:p>", f"<w:r><w:t>{person.name[:half]}</w:t></w:r><w:r><w:t>{person.name[half:]}"
                                    "</w:t></w:r></w:p>".encode())
            target.writestr(name, data)
    assert any("real name" in problem for problem in leaks(planted.parent, restricted(example)))


def test_a_restricted_value_typed_into_a_reason_is_redacted(tmp_path: Path, example: Repository) -> None:
    for name in ("reviews", "schema"):
        shutil.copytree(ROOT / name, tmp_path / name)
    person = next(p for imr in example.imrs() for p in imr.personnel if p.name and len(p.name.split()) > 1)
    review = next(r for r in example.reviews if r.recommendations)

    def plant(data) -> None:
        declined = next(rec for rec in data["recommendations"] if rec["response"]["decision"] != FULLY_ACCEPTED)
        declined["response"]["reason"] = f"As {person.name} told the board."

    edit_yaml(tmp_path / "reviews" / review.id / "recommendations.yml", plant)
    assert main(["--root", str(tmp_path), "annual-report", YEAR, "--out", str(tmp_path / "out")]) == 0
    markdown, document = written(tmp_path / "out")
    assert person.name not in markdown and f"As {person.id} told the board." in markdown
    assert any(f"As {person.id} told the board." in cell for t in table_rows(document) for row in t for cell in row)
    assert not leaks(tmp_path / "out" / "annual-report", restricted(load(tmp_path)))


@pytest.mark.parametrize("year", ["2025", "2025-27", "25-26", "2025/26"])
def test_a_year_not_written_as_a_financial_year_is_refused(year: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(ROOT), "annual-report", year]) == 2
    assert "is not a financial year" in capsys.readouterr().err
