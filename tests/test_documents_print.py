"""Every document `sarflow build` makes, printed by LibreOffice: the panel's reading copy.

The worked example's Word reports and workbooks are converted to PDF in one LibreOffice
run (shared by every test here, as it is slow), and the PDFs are read page by page:
the page count each footer states, no page left nearly empty but a section's last, a
legible print scale on every sheet, and every action's number, target date and status
in the text. Every expectation comes from the loaded example and the template.
"""

from __future__ import annotations

import re
import statistics
from pathlib import Path

import openpyxl
import pytest

from pdf import SOFFICE, Page, pages, to_pdf
from sarflow.cli import main
from sarflow.dates import today, uk
from sarflow.docx import file_name
from sarflow.docx.plan import overdue_note
from sarflow.model import Imr, Repository
from sarflow.outputs import imr_dir, review_dir
from sarflow.rating import rate
from sarflow.word.contents import TITLE as CONTENTS
from sarflow.xlsx.layout import ACTION_PLAN_FILE, CHRONOLOGY_FILE
from sarflow.xlsx.printing import MIN_SCALE

ROOT = Path(__file__).resolve().parents[1]
# A page whose text stops above this fraction of its text area is "nearly empty".
NEAR_EMPTY = 0.25
# The header and footer bands of a Word page (2.54 cm margins) and of a sheet (0.6 inch).
WORD_MARGIN, SHEET_MARGIN = 72.0, 43.0
BODY_POINTS = 11.0  # the workbooks' text (Calibri 11) at 100 %
PAGE_OF = re.compile(r"Page (\d+) of (\d+)")

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (make test installs it)"),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The build folder of the worked example's Word reports and workbooks."""
    out = tmp_path_factory.mktemp("print-build")
    assert main(["--root", str(ROOT), "build", "--only", "docx", "--only", "xlsx", "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def printed(built: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[Path, list[Page]]:
    """Every built document (relative to the build folder) and its pages as LibreOffice prints them."""
    out = built
    documents = sorted((out / "reviews").rglob("*.docx")) + sorted((out / "reviews").rglob("*.xlsx"))
    pdfs = to_pdf(documents, tmp_path_factory.mktemp("print-pdf"))
    return {document.relative_to(out): pages(pdf) for document, pdf in pdfs.items()}


def report_of(example: Repository, imr: Imr) -> Path:
    return imr_dir(Path(), imr.review_id, imr.agency_id) / file_name(example.review(imr.review_id), imr)


def section_titles(example: Repository) -> set[str]:
    """What the first line of a page that starts a section of the Word report reads."""
    titles = {f"{s.number}. {s.title}" if s.number else s.title for s in example.template.sections}
    return titles | {CONTENTS}


def body_lines(page: Page, marking: str) -> list[str]:
    """A page's lines without its running header (the marking) and footer (the page number)."""
    return [line for line in page.lines if not line.startswith(marking) and not PAGE_OF.search(line)]


def test_every_document_is_printed_with_its_page_count_in_every_footer(example: Repository, built: Path, printed) -> None:
    assert {p.suffix for p in printed} == {".docx", ".xlsx"}
    assert len([p for p in printed if p.suffix == ".docx"]) == len(example.imrs())
    for path, document in printed.items():
        assert document, path
        stated = [PAGE_OF.search(page.text) for page in document]
        assert all(stated), f"{path}: a page without 'Page X of Y'"
        # one count for the whole document, a workbook's sheets one after another
        assert [(int(m.group(1)), int(m.group(2))) for m in stated] == [(n, len(document)) for n in range(1, len(document) + 1)]
        for page in document:
            assert example.template.marking in page.lines[0], (path, page.lines[:2])
        if path.suffix == ".xlsx":
            assert list(_by_sheet(document)) == openpyxl.load_workbook(built / path).sheetnames


def test_no_page_is_nearly_empty_but_a_sections_last(example: Repository, printed) -> None:
    starts = section_titles(example)
    for imr in example.imrs():
        document = printed[report_of(example, imr)]
        for n, page in enumerate(document[:-1]):
            following = body_lines(document[n + 1], example.template.marking)
            if following and following[0] in starts:
                continue  # the last page of a section (or of the cover, or the contents)
            assert page.filled(WORD_MARGIN) >= NEAR_EMPTY, (imr.agency_id, n + 1, body_lines(page, example.template.marking)[-3:])
    for path, document in printed.items():
        if path.suffix == ".xlsx":
            for sheet, sheet_pages in _by_sheet(document).items():
                for n, page in enumerate(sheet_pages[:-1]):
                    assert page.filled(SHEET_MARGIN) >= NEAR_EMPTY, (path, sheet, n + 1)


def test_every_sheet_prints_at_a_legible_scale(example: Repository, printed) -> None:
    for path, document in printed.items():
        if path.suffix != ".xlsx":
            continue
        for sheet, sheet_pages in _by_sheet(document).items():
            sizes = [r.size for page in sheet_pages for r in page.runs if SHEET_MARGIN < r.y < page.height - SHEET_MARGIN]
            assert sizes, (path, sheet)
            scale = 100 * statistics.median(sizes) / BODY_POINTS
            assert scale >= MIN_SCALE, f"{path} {sheet}: prints at {scale:.0f}%"
            assert all(p.width > p.height for p in sheet_pages), f"{path} {sheet}: not landscape"


def test_every_action_shows_its_number_target_date_status_and_rating(example: Repository, printed) -> None:
    plan = example.template.action_plan
    on = today()
    for imr in example.imrs():
        review = example.review(imr.review_id)
        report = _section_text(example, printed[report_of(example, imr)], "recommendations")
        agency_plan = "\n".join(p.text for p in printed[imr_dir(Path(), imr.review_id, imr.agency_id) / ACTION_PLAN_FILE])
        review_plan = "\n".join(p.text for p in printed[review_dir(Path(), review.id) / ACTION_PLAN_FILE])
        for action in imr.actions:
            for text in (report, agency_plan, review_plan):  # a cell's words may wrap onto several lines
                assert uk(action.target_date) in text and action.status in " ".join(text.split()), (imr.agency_id, action.no)
            assert re.search(rf"^{action.no} ", report, re.M), (imr.agency_id, action.no)
            assert re.search(rf"^{action.no} ", agency_plan, re.M), (imr.agency_id, action.no)
            rating = rate(action, on, plan.completed, example.board, imr.submitted)
            assert overdue_note(rating) in " ".join(report.split())


def test_the_chronology_workbooks_hold_every_entry(example: Repository, printed) -> None:
    for review in example.reviews:
        merged = "\n".join(p.text for p in printed[review_dir(Path(), review.id) / CHRONOLOGY_FILE])
        for imr in review.imrs.values():
            own = "\n".join(p.text for p in printed[imr_dir(Path(), imr.review_id, imr.agency_id) / CHRONOLOGY_FILE])
            for entry in imr.chronology:
                first_word = (entry.event or "").split()[0]
                assert first_word in own and first_word in merged


def _section_text(example: Repository, document: list[Page], section_id: str) -> str:
    """The text of a template section of the Word report, from its heading to the next section's."""
    section = example.template.section(section_id)
    title = f"{section.number}. {section.title}"
    starts = section_titles(example) - {CONTENTS}
    lines = [line for page in document for line in body_lines(page, example.template.marking)]
    first = max(i for i, line in enumerate(lines) if line == title)  # the contents page lists it too
    end = next((i for i in range(first + 1, len(lines)) if lines[i] in starts), len(lines))
    return "\n".join(lines[first:end])


def _by_sheet(document: list[Page]) -> dict[str, list[Page]]:
    """A workbook's pages by the sheet named in each page's footer (left of "Page X of Y")."""
    sheets: dict[str, list[Page]] = {}
    for page in document:
        footer = next(line for line in reversed(page.lines) if PAGE_OF.search(line))
        sheets.setdefault(footer.split()[0], []).append(page)
    return sheets
