"""`sarflow import imr`: an IMR written in the Word template becomes the IMR's files, with nothing lost.

Two kinds of document: the worked example's own Word reports (built once for the module),
imported into a new agency folder and compared with the original; and documents in the
template's shape made here with python-docx as an agency would fill them in (the seed's
headings, filled tables, a tracked change), and broken ones.
"""

from __future__ import annotations

import copy
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from sarflow.cli import main
from sarflow.imports.entries import values
from sarflow.load import load
from sarflow.model import Imr, Repository
from sarflow.outputs import imr_dir

ROOT = Path(__file__).resolve().parents[1]
NEW = "new-agency"


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("imr-build")
    assert main(["--root", str(ROOT), "build", "--only", "docx", "--out", str(folder)]) == 0
    return folder


def report_of(reports: Path, agency: str) -> Path:
    return next(imr_dir(reports, "adult-a", agency).glob("*.docx"))


def with_new_agency(root: Path, short_code: str | None = "NEW") -> Path:
    """The copy's review.yml lists one more agency, whose folder does not exist yet."""
    review = root / "reviews" / "adult-a" / "review.yml"
    text = review.read_text(encoding="utf-8")
    code = f"    short_code: {short_code}\n" if short_code else ""
    review.write_text(text.replace("stage:", f"  - id: {NEW}\n    name: New Agency\n{code}    imr_due: 2026-03-06\nstage:"),
                      encoding="utf-8")
    return root / "reviews" / "adult-a" / NEW


def run(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--root", str(root), "import", "imr", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def imported(root: Path) -> Imr:
    review = load(root).review("adult-a")
    assert review is not None
    return review.imrs[NEW]


def prose(text: str) -> list[str]:
    """A section's lines without heading marks (the report levels headings) and blank lines."""
    return [line.lstrip("#").strip() for line in text.split("\n") if line.strip()]


@pytest.mark.parametrize("agency", ["acute-trust", "adult-social-care"])
def test_the_examples_own_word_report_comes_back_with_nothing_lost(
    agency: str, reports: Path, example: Repository, tmp_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = with_new_agency(tmp_repo)
    code, said, err = run(capsys, tmp_repo, str(report_of(reports, agency)), f"adult-a/{NEW}")
    assert code == 0, err
    assert "Nothing written" in said and not folder.exists()
    code, said, err = run(capsys, tmp_repo, str(report_of(reports, agency)), f"adult-a/{NEW}", "--write")
    assert code == 0, err
    original = example.review("adult-a").imrs[agency]  # type: ignore[union-attr]
    copied = imported(tmp_repo)
    assert [(m.name, m.relationship, m.date_of_birth, m.date_of_death, m.address, m.ethnicity) for m in copied.family] == [
        (m.name, m.relationship, m.date_of_birth, m.date_of_death, m.address, m.ethnicity) for m in original.family]
    assert [(p.id, p.name, p.role) for p in copied.personnel] == [(p.id, p.name, p.role) for p in original.personnel]
    assert copied.abbreviations == original.abbreviations
    assert {k: (a.answer, a.comment) for k, a in copied.quality_assurance.answers.items()} == {
        k: (a.answer, a.comment) for k, a in original.quality_assurance.answers.items()}
    assert (copied.author, copied.submitted) == (original.author, original.submitted) or (
        copied.author and original.author and copied.author.name == original.author.name
        and copied.submitted == original.submitted)
    assert [values(e) for e in copied.chronology] == [values(e) for e in original.chronology]
    for section_id, section in original.sections.items():
        assert prose(copied.sections[section_id].text) == prose(section.text), section_id
    unplaced = (folder / "unplaced.md").read_text(encoding="utf-8")
    assert "the action plan: bring it in from its workbook" in unplaced
    assert "warning[unplaced-content]" in said
    assert main(["--root", str(tmp_repo), "check", str(folder)]) == 0  # a draft: what is left are warnings


def test_an_existing_file_is_replaced_only_with_force(reports: Path, tmp_repo: Path, capsys) -> None:
    document = str(report_of(reports, "gp-practice"))
    folder = with_new_agency(tmp_repo)
    assert run(capsys, tmp_repo, document, f"adult-a/{NEW}", "--write")[0] == 0
    (folder / "narrative.md").write_text("Edited since.\n", encoding="utf-8")
    code, _, err = run(capsys, tmp_repo, document, f"adult-a/{NEW}", "--write")
    assert code == 1 and "already has imr.yml" in err and "--force" in err
    assert (folder / "narrative.md").read_text(encoding="utf-8") == "Edited since.\n"
    assert run(capsys, tmp_repo, document, f"adult-a/{NEW}", "--write", "--force")[0] == 0
    assert (folder / "narrative.md").read_text(encoding="utf-8") != "Edited since.\n"


# The seed template's headings, as an agency's copy of the Word template has them.
SEED_HEADINGS = {
    "introduction": ["1. Introduction"],
    "methodology": ["2. METHODOLOGY"],
    "family": ["3. FAMILY COMPOSITION as known to the agency"],
    "narrative": ["5. NARRATIVE ON THE CHRONOLOGY"],
    "analysis": ["6. CRITICAL ANALYSIS"],
    "lessons": ["7. WHAT DO WE LEARN FROM THIS CASE?"],
    "quality-assurance": ["SECTION 9", "INDIVIDUAL MANAGEMENT REVIEW", "QUALITY ASSURANCE FORM"],
    "personnel": ["Glossary of Personnel involved"],
}


def table(document: docx.document.Document, rows: list[list[str]]) -> None:
    grid = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            grid.cell(r, c).text = text


def seed_shaped(path: Path, repo: Repository, family_row: list[str] | None = None, family_header: list[str] | None = None,
                merge: bool = False, headings: bool = True, narrative: str = "PC1 spoke to Adult A at the door.") -> Path:
    """An IMR as an agency fills in the Word template, with one tracked insertion in the narrative."""
    template, review = repo.template, repo.review("adult-a")
    assert review is not None
    document = docx.Document()
    document.add_paragraph("INDIVIDUAL MANAGEMENT REVIEWS")

    def heading(section_id: str) -> None:
        for line in SEED_HEADINGS[section_id] if headings else []:
            document.add_paragraph(line).runs[0].bold = True

    heading("introduction")
    document.add_paragraph("The Police received a call from Adult A's neighbour on 3 May 2025. Officers attended.")
    heading("methodology")
    document.add_paragraph("The author read the command and control log and the crime record.")
    heading("family")
    table(document, [family_header or [c.title for c in template.family_columns],
                     ["Adult A", "Subject", "12/03/1947", "17/11/2025", "not known", "White British"],
                     family_row or ["Mr B", "Son", "not known", "n/a", "14 Tanners Row, Northbridge", "not known"]])
    if merge:
        document.tables[-1].cell(1, 4).merge(document.tables[-1].cell(2, 4))
    heading("narrative")
    paragraph = document.add_paragraph(narrative)
    inserted = parse_xml(f'<w:ins {nsdecls("w")} w:id="1" w:author="Reviewer" w:date="2026-01-05T10:00:00Z">'
                         '<w:r><w:t xml:space="preserve"> She declined to let officers in.</w:t></w:r></w:ins>')
    paragraph._p.append(inserted)
    heading("analysis")
    rows = []
    for question in review.terms_of_reference.questions:
        rows += [[question.text or ""], [f"Our answer to {question.id}."]]
    table(document, rows)
    document.add_paragraph(template.good_practice)
    document.add_paragraph("Officers returned the next day.")
    heading("lessons")
    document.add_paragraph("Lesson 1: welfare checks")
    document.add_paragraph("A refused welfare check is a risk to share.")
    heading("quality-assurance")
    qa = [list(template.qa_columns)] + [[c.text, "\u2713" if n % 2 else "", "" if n % 2 else "X", f"Note {n}."]
                                        for n, c in enumerate(template.criteria)]
    table(document, qa)
    table(document, [[c.title, "Inspector Jane Doe" if c.key == "author.name" else "01/03/2026" if c.key == "submitted"
                      else ""] for c in template.sign_off])
    heading("personnel")
    table(document, [[c.title for c in template.personnel_columns], ["Jane Smith", "Police Constable", "PC1"]])
    document.save(path)
    return path


def test_a_document_in_the_templates_shape_is_read_section_by_section(
    example: Repository, tmp_repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = with_new_agency(tmp_repo)
    path = seed_shaped(tmp_path / "Police IMR.docx", example)
    code, said, err = run(capsys, tmp_repo, str(path), f"adult-a/{NEW}", "--write")
    assert code == 0, err
    assert "has 1 tracked change(s): they are accepted" in said
    assert re.search(r"missing +4\. Chronology of agency involvement", said)
    imr = imported(tmp_repo)
    assert "She declined to let officers in." in imr.sections["narrative"].text
    assert (folder / "introduction.md").read_text(encoding="utf-8").startswith(
        "The Police received a call from Adult A's neighbour on 3 May 2025.\nOfficers attended.\n")
    analysis = imr.sections["analysis"]
    questions = [q.id for q in example.review("adult-a").terms_of_reference.questions]  # type: ignore[union-attr]
    assert [h.title for h in analysis.headings] == [*questions, "Good practice"]
    assert all(f"Our answer to {q}." in analysis.text for q in questions)
    assert imr.sections["lessons"].headings[0].title == "L1 welfare checks"
    criteria = example.template.criteria
    assert {k: a.answer for k, a in imr.quality_assurance.answers.items()} == {
        c.id: "yes" if n % 2 else "no" for n, c in enumerate(criteria)}
    assert imr.author is not None and imr.author.name == "Inspector Jane Doe" and str(imr.submitted) == "2026-03-01"
    assert [(m.name, str(m.date_of_birth), m.date_of_death, m.address) for m in imr.family] == [
        ("Adult A", "1947-03-12", imr.family[0].date_of_death, None), ("Mr B", "None", "n/a", "14 Tanners Row, Northbridge")]
    assert [(p.id, p.name) for p in imr.personnel] == [("PC1", "Jane Smith")]
    assert "INDIVIDUAL MANAGEMENT REVIEWS" in (folder / "unplaced.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("narrative", "short_code", "mistake"),
    [
        ("PC2 spoke to Adult A at the door.", "NEW",
         f"reviews/adult-a/{NEW}/narrative.md:1:1: error[unknown-person]: `PC2` looks like a staff id"),
        ("PC1 spoke to Adult A at the door.", None, "reviews/adult-a/review.yml:"),
    ],
    ids=["a staff id the glossary lacks", "the review's new agency without its short code"],
)
def test_a_word_imr_with_errors_comes_in_as_a_draft_that_lists_them(
    narrative: str, short_code: str | None, mistake: str, example: Repository, tmp_repo: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Unlike a workbook, which the agency corrects and sends again, the Word document is the IMR's
    first form: it is written with its errors, each listed, and the exit code is 1 while any remains."""
    folder = with_new_agency(tmp_repo, short_code)
    path = seed_shaped(tmp_path / "Police IMR.docx", example, narrative=narrative)
    code, said, err = run(capsys, tmp_repo, str(path), f"adult-a/{NEW}")
    assert (code, folder.exists()) == (1, False) and "Nothing written: run again with --write" in said
    listed = [line for line in err.split("\n") if line.startswith(mistake)]
    assert len(listed) == 1 and "error[" in listed[0], err
    assert "1 error(s) for the author to settle: a Word IMR comes in as a draft" in err
    code, said, err = run(capsys, tmp_repo, str(path), f"adult-a/{NEW}", "--write")
    assert code == 1 and listed[0] in err and f"Written reviews/adult-a/{NEW}/" in said
    assert imported(tmp_repo).sections["narrative"].text.startswith(narrative)
    assert main(["--root", str(tmp_repo), "check", str(tmp_repo / "reviews" / "adult-a")]) == 1
    assert listed[0] in capsys.readouterr().out  # check reports it where the import said, until it is settled


def ole(path: Path, streams: bytes = b"") -> Path:
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504 + streams)
    return path


def odt(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return path


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (lambda p, repo: ole(p / "IMR.doc"), "old-style Word 97-2003 document (.doc)"),
        (lambda p, repo: ole(p / "IMR.docx", "EncryptionInfo".encode("utf-16-le")), "protected by a password"),
        (lambda p, repo: (p / "IMR.pdf").write_bytes(b"%PDF-1.7\n") and p / "IMR.pdf", "this is a PDF"),
        (lambda p, repo: odt(p / "IMR.odt"), "OpenDocument file (.odt"),
        (lambda p, repo: seed_shaped(p / "IMR.docx", repo, headings=False), "this is not an IMR in the template's shape"),
        (lambda p, repo: seed_shaped(p / "IMR.docx", repo, merge=True),
         "table 1 (in 3. Family composition as known to the agency): error: the table has merged cells"),
        (lambda p, repo: seed_shaped(p / "IMR.docx", repo, family_header=[*(c.title for c in repo.template.family_columns[:5]), "Faith"]),
         "column 6: error: the column 'Faith' is not one of the template's"),
        (lambda p, repo: seed_shaped(p / "IMR.docx", repo, family_row=["Mr B", "Son", "3rd April 1970", "n/a", "", ""]),
         "'3rd April 1970' is not a date sarflow can read without guessing"),
        (lambda p, repo: seed_shaped(p / "IMR.docx", repo, family_row=["Mr B", "Son", "03/04/70", "n/a", "", ""]),
         "write the year in full"),
    ],
    ids=["doc", "password", "pdf", "odt", "not-an-imr", "merged-cells", "extra-column", "date-in-words", "two-digit-year"],
)
def test_bad_input_is_refused_with_its_place_and_nothing_is_written(
    make, said: str, example: Repository, tmp_repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = with_new_agency(tmp_repo)
    path = make(tmp_path, copy.deepcopy(example))
    code, _, err = run(capsys, tmp_repo, str(path), f"adult-a/{NEW}", "--write")
    assert code != 0
    assert said in err and str(path) in err and "Traceback" not in err
    assert not folder.exists()
