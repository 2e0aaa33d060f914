"""The IMR Word reports of the worked example, read back with python-docx.

The example is built once per module through the command line. Every expectation is
computed from the loaded model and the template (titles, columns, criteria, questions,
dates), never written out here.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from sarflow.cli import main
from sarflow.dates import entry_date, today, uk, uk_long
from sarflow.docx import file_name
from sarflow.docx.compose import BODIES
from sarflow.docx.control import HISTORY_TITLE, status_mark
from sarflow.docx.plan import LATEST_UPDATE
from sarflow.docx.tables import TICK, action_plan_columns
from sarflow.docx.version import version_of
from sarflow.model import Imr, Repository, listed
from sarflow.outputs import imr_dir
from sarflow.rating import key, rate
from sarflow.word.wording import NOT_WRITTEN

ROOT = Path(__file__).resolve().parents[1]
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("docx-build")
    assert main(["--root", str(ROOT), "build", "--only", "docx", "--out", str(folder)]) == 0
    return folder


def path_of(example: Repository, out: Path, imr: Imr) -> Path:
    return imr_dir(out, imr.review_id, imr.agency_id) / file_name(example.review(imr.review_id), imr)


@pytest.fixture(scope="module")
def documents(example: Repository, out: Path) -> dict[tuple[str, str], Document]:
    return {(imr.review_id, imr.agency_id): docx.Document(str(path_of(example, out, imr))) for imr in example.imrs()}


def imr_named(example: Repository, predicate) -> Imr:
    return next(imr for imr in example.imrs() if predicate(imr))


def body_texts(document: Document) -> list[str]:
    """Every paragraph's text, tables included, in document order."""
    texts = []
    for block in document.element.body.iter(qn("w:p")):
        texts.append("".join(t.text or "" for t in block.iter(qn("w:t"))))
    return texts


def headings(document: Document) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]


def section_paragraphs(document: Document, heading_text: str) -> list[str]:
    """The body paragraphs after a heading, up to the next heading of any level 1 or 2."""
    paragraphs = document.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.style.name.startswith("Heading") and p.text == heading_text)
    found = []
    for p in paragraphs[start + 1 :]:
        if p.style.name in ("Heading 1", "Heading 2"):
            break
        if p.text.strip():
            found.append(p.text)
    return found


def test_one_document_per_imr_named_reference_imr_agency(example: Repository, out: Path) -> None:
    built = sorted(p.relative_to(out).as_posix() for p in (out / "reviews").rglob("*.docx"))
    expected = []
    for imr in example.imrs():
        review = example.review(imr.review_id)
        name = f"{review.reference} IMR {review.agency(imr.agency_id).name}.docx"
        expected.append(f"reviews/{imr.review_id}/{imr.agency_id}/{name}")
    assert built == sorted(expected)


def test_every_page_has_the_marking_in_its_header_and_template_version_and_page_fields_in_its_footer(
    example: Repository, documents: dict[str, Document]
) -> None:
    marks = set()
    for imr in example.imrs():
        document = documents[imr.review_id, imr.agency_id]
        version = str(version_of(example.root, imr.folder))
        assert version
        mark = status_mark(imr)
        marks.add(mark)
        header = f"{example.template.marking} \u2013 {mark}" if mark else example.template.marking
        for section in document.sections:
            assert not section.header.is_linked_to_previous and not section.footer.is_linked_to_previous
            assert [p.text for p in section.header.paragraphs] == [header]
            footer_xml = section.footer._element.xml
            footer_text = "".join(p.text for p in section.footer.paragraphs)
            assert example.template.id in footer_text
            assert f"Version: {version}" in footer_text
            instructions = [i.text.strip() for i in section.footer._element.iter(qn("w:instrText"))]
            assert instructions == ["PAGE", "NUMPAGES"], footer_xml
            assert re.search(r"Page 1 of 1$", footer_text)  # the fields' placeholders, updated on opening
    assert marks == {"", "DRAFT", "SUBMITTED"}, "the example should have an approved, a submitted and a draft IMR"


def test_headings_follow_the_template_in_order_with_its_numbers(
    example: Repository, documents: dict[str, Document]
) -> None:
    expected = [("Heading 1", f"{s.number}. {s.title}" if s.number else s.title) for s in example.template.sections]
    assert [e for e in expected if e[1].startswith("1. ")][1:], "the terms of reference share section 1's number"
    for imr in example.imrs():
        found = [h for h in headings(documents[imr.review_id, imr.agency_id]) if h[0] == "Heading 1"]
        assert found == [("Heading 1", HISTORY_TITLE), *expected]


def test_headings_use_words_built_in_heading_styles(documents: dict[str, Document]) -> None:
    for document in documents.values():
        names = {p.style.style_id: p.style.element.name_val for p in document.paragraphs if p.style.name.startswith("Heading")}
        assert names["Heading1"] == "heading 1" and names["Heading2"] == "heading 2"


def test_title_page_names_board_review_subject_agency_author_status_dates_version_and_marks_a_draft(
    example: Repository, documents: dict[str, Document]
) -> None:
    for imr in example.imrs():
        review = example.review(imr.review_id)
        version = version_of(example.root, imr.folder)
        before_first_heading = []
        for p in documents[imr.review_id, imr.agency_id].paragraphs:
            if p.style.name.startswith("Heading"):
                break
            before_first_heading.append(p.text)
        page = "\n".join(before_first_heading)
        for value in (
            example.template.title,
            example.board.name,
            review.reference,
            review.subject.name,
            review.agency(imr.agency_id).name,
            imr.author.name,
            imr.author.job_title,
            f"IMR status: {imr.status.capitalize()}",
            f"Version: {version}",
            f"Date of submission: {uk(imr.submitted)}" if imr.submitted else "Date of submission: not yet submitted",
            f"Date of approval: {uk(imr.approved_by.date)}" if imr.approved_by and imr.approved_by.date
            else "Date of approval: not yet approved",
        ):
            assert value in page
        mark, under_agency = status_mark(imr), page.split("\n")[2]
        assert under_agency.startswith(f"{mark}:" if mark else "Safeguarding Adults Board:"), page


def words(value: str) -> str:
    """The words of a text, without the punctuation pandoc makes typographic (' becomes ’)."""
    return " ".join(re.findall(r"\w+", value))


def header_row_marked(table) -> bool:
    first = table._tbl.tr_lst[0]
    return first.trPr is not None and first.trPr.find(qn("w:tblHeader")) is not None


def table_with_head(document: Document, head: list[str]):
    return next(t for t in document.tables if [c.text for c in t.rows[0].cells] == head)


def test_each_table_has_the_templates_columns_and_a_header_row_that_repeats(
    example: Repository, documents: dict[str, Document]
) -> None:
    template = example.template
    for imr in example.imrs():
        document = documents[imr.review_id, imr.agency_id]
        expected = [
            ([c.title for c in template.family_columns], len(imr.family)),
            ([c.title for c in template.chronology_columns], len(imr.chronology)),
            ([c.title for c in action_plan_columns(template)], len(imr.actions)),
            (list(template.qa_columns), len(template.criteria)),
            ([c.title for c in template.personnel_columns], len(imr.personnel)),
            (["Abbreviation", "Meaning"], len(imr.abbreviations)),
        ]
        for head, rows in expected:
            if rows == 0:
                continue
            table = table_with_head(document, head)
            assert len(table.rows) == rows + 1
            assert header_row_marked(table), head
        sign_off = next(t for t in document.tables if t.rows[0].cells[0].text == template.sign_off[0].title)
        assert [r.cells[0].text for r in sign_off.rows] == [c.title for c in template.sign_off]
        assert not header_row_marked(sign_off)


def test_action_plan_leaves_out_the_workbooks_formula_and_agency_columns(example: Repository) -> None:
    keys = [c.key for c in action_plan_columns(example.template)]
    assert keys[0] == "no" and "comment" in keys and "status" in keys
    assert not any(k.startswith("formula") or k in ("agency", "overall") for k in keys)


def test_family_table_prints_not_known_for_empty_cells_and_uk_dates(
    example: Repository, documents: dict[str, Document]
) -> None:
    template = example.template
    for imr in example.imrs():
        table = table_with_head(documents[imr.review_id, imr.agency_id], [c.title for c in template.family_columns])
        for member, row in zip(imr.family, table.rows[1:], strict=True):
            for column, cell in zip(template.family_columns, row.cells, strict=True):
                value = getattr(member, column.key)
                if value in (None, ""):
                    assert cell.text == template.not_known
                elif column.key.startswith("date_") and not isinstance(value, str):
                    assert cell.text == uk(value)
    gaps = [m for imr in example.imrs() for m in imr.family if m.date_of_birth is None or m.address is None]
    assert gaps, "the example should have a family member with details not known"


def test_chronology_table_shows_uk_and_approximate_dates_and_who(
    example: Repository, documents: dict[str, Document]
) -> None:
    columns = [c.key for c in example.template.chronology_columns]
    approximate = 0
    for imr in example.imrs():
        table = table_with_head(documents[imr.review_id, imr.agency_id], [c.title for c in example.template.chronology_columns])
        for entry, row in zip(imr.chronology, table.rows[1:], strict=True):
            cells = [c.text for c in row.cells]
            assert cells[columns.index("date")] == entry_date(entry)
            assert cells[columns.index("by")] == listed(entry.by)
            assert cells[columns.index("event")] == " ".join((entry.event or "").split())
            approximate += entry.approximate
    assert approximate, "the example should have approximate dates"


def test_quality_assurance_form_ticks_each_answer(example: Repository, documents: dict[str, Document]) -> None:
    for imr in example.imrs():
        table = table_with_head(documents[imr.review_id, imr.agency_id], list(example.template.qa_columns))
        for criterion, row in zip(example.template.criteria, table.rows[1:], strict=True):
            answer = imr.quality_assurance.answers.get(criterion.id)
            cells = [c.text for c in row.cells]
            assert cells[0] == criterion.text
            assert cells[1] == (TICK if answer and answer.answer == "yes" else "")
            assert cells[2] == (TICK if answer and answer.answer == "no" else "")
            ticks = [p for c in row.cells[1:3] for p in c.paragraphs if p.text]
            assert all(p.alignment == WD_ALIGN_PARAGRAPH.CENTER for p in ticks)


def test_glossary_of_personnel_gives_real_names_roles_and_identifiers(
    example: Repository, documents: dict[str, Document]
) -> None:
    for imr in example.imrs():
        table = table_with_head(documents[imr.review_id, imr.agency_id], [c.title for c in example.template.personnel_columns])
        rows = [[c.text for c in r.cells] for r in table.rows[1:]]
        assert rows == [[p.name or example.template.not_known, p.role, p.id] for p in imr.personnel]


def test_every_terms_of_reference_question_is_a_sub_heading_with_its_answer(
    example: Repository, documents: dict[str, Document]
) -> None:
    imr = imr_named(example, lambda i: i.status == "approved")
    review = example.review(imr.review_id)
    document = documents[imr.review_id, imr.agency_id]
    analysis = imr.sections["analysis"]
    for question in review.terms_of_reference.questions:
        title = f"{question.id} {' '.join(question.text.split())}"
        assert ("Heading 2", title) in headings(document)
        answer = words(analysis.heading(question.id).body.split("\n")[0])
        paragraphs = section_paragraphs(document, title)
        assert any(answer in words(p) for p in paragraphs), (title, paragraphs[:2])


def test_an_unanswered_question_and_unwritten_sections_say_not_yet_written(
    example: Repository, documents: dict[str, Document]
) -> None:
    draft = imr_named(example, lambda i: i.status == "draft")
    document = documents[draft.review_id, draft.agency_id]
    review = example.review(draft.review_id)
    unwritten = [sid for sid in example.template.section_files if not draft.sections[sid].written and sid not in BODIES]
    assert unwritten, "the example's draft should have an unwritten section"
    for section_id in unwritten:
        section = example.template.section(section_id)
        assert section_paragraphs(document, f"{section.number}. {section.title}") == [NOT_WRITTEN]
    empty = [q for q in review.terms_of_reference.questions if not draft.sections["analysis"].heading(q.id).body]
    assert empty, "the example's draft should leave a question unanswered"
    for question in empty:
        after = section_paragraphs(document, f"{question.id} {' '.join(question.text.split())}")
        assert after[-1] == NOT_WRITTEN


def test_paragraphs_of_numbered_sections_are_numbered_in_the_templates_manner(
    example: Repository, documents: dict[str, Document]
) -> None:
    imr = imr_named(example, lambda i: i.status == "approved")
    document = documents[imr.review_id, imr.agency_id]
    numbered = [p.text.split(" ", 1)[0] for p in document.paragraphs if re.match(r"^\d+\.\d+ ", p.text)]
    by_section: dict[str, list[int]] = {}
    for label in numbered:
        section, n = label.split(".")
        by_section.setdefault(section, []).append(int(n))
    for section in ("1", "2", "5", "6", "7"):
        assert by_section[section] == list(range(1, len(by_section[section]) + 1)), section
    introduction = section_paragraphs(document, "1. Introduction")
    standard = [p for p in example.template.section("introduction").standard_text.split("\n\n")
                if p.strip() and not p.lstrip().startswith("- ")]
    assert standard
    for n in range(1, len(standard) + 1):
        assert introduction[n - 1].startswith(f"1.{n} ")
    review = example.review(imr.review_id)
    assert review.subject.name in introduction[0] and example.board.name in introduction[0]
    text = "\n".join(body_texts(document))
    assert not [p for p in ("{subject}", "{board}", "{board_short}") if p in text]


def test_appendix_lists_the_trigger_questions_with_the_boards_short_name(
    example: Repository, documents: dict[str, Document]
) -> None:
    for document in documents.values():
        texts = [p.text for p in document.paragraphs]
        start = texts.index("Appendix 1")
        questions = [t for t in texts[start + 1 :] if t.strip()]
        expected = [q.replace("{board_short}", example.board.short_name) for q in example.template.trigger_questions]
        assert questions == expected
        assert any(example.board.short_name in q for q in questions)


def test_no_iso_date_anywhere_in_the_text(example: Repository, documents: dict[str, Document]) -> None:
    for imr in example.imrs():
        document = documents[imr.review_id, imr.agency_id]
        texts = body_texts(document)
        for section in document.sections:
            texts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
        assert not [t for t in texts if ISO_DATE.search(t)]
        review = example.review(imr.review_id)
        joined = "\n".join(texts)
        assert uk_long(review.period.start) in joined
        if imr.submitted:
            assert uk(imr.submitted) in joined


def test_wide_tables_get_landscape_pages_and_the_rest_stay_portrait(documents: dict[str, Document]) -> None:
    for document in documents.values():
        orientations = [s.orientation for s in document.sections]
        assert orientations[0] == orientations[-1] == 0
        assert 1 in orientations
        for section in document.sections:
            assert section.page_width.mm == pytest.approx(297 if section.orientation else 210, abs=1)


def test_build_only_docx_for_one_imr(example: Repository, tmp_path: Path) -> None:
    draft = imr_named(example, lambda i: i.status == "draft")
    assert main(["--root", str(ROOT), "build", "--only", "docx", "--out", str(tmp_path), str(draft.folder)]) == 0
    built = [p.relative_to(tmp_path / "reviews") for p in (tmp_path / "reviews").rglob("*")  if p.is_file()]
    assert [p.parts[:2] for p in built] == [(draft.review_id, draft.agency_id)]
    assert built[0].name == file_name(example.review(draft.review_id), draft)


def test_a_rebuild_gives_the_same_bytes(example: Repository, tmp_path: Path) -> None:
    draft = imr_named(example, lambda i: i.status == "draft")
    for attempt in ("first", "second"):
        folder = str(tmp_path / attempt)
        assert main(["--root", str(ROOT), "build", "--only", "docx", "--out", folder, str(draft.folder)]) == 0
    first, second = (path_of(example, tmp_path / attempt, draft) for attempt in ("first", "second"))
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as package:
        assert package.testzip() is None


def test_document_properties_give_the_title_date_and_uk_english_and_no_person(
    example: Repository, out: Path, documents: dict[str, Document]
) -> None:
    for imr in example.imrs():
        properties = documents[imr.review_id, imr.agency_id].core_properties
        version = version_of(example.root, imr.folder)
        assert properties.title == path_of(example, out, imr).stem
        assert properties.language == "en-GB"
        assert properties.created.date() == properties.modified.date() == (
            version.date if version.date and not version.changed else today()
        )
        assert properties.author == properties.last_modified_by == ""
        with zipfile.ZipFile(path_of(example, out, imr)) as package:
            settings = package.read("word/settings.xml").decode()
            styles = docx.Document(str(path_of(example, out, imr))).styles.element
        assert re.findall(r'themeFontLang w:val="([^"]+)"', settings) == ["en-GB"]
        defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        assert defaults.find(qn("w:lang")).get(qn("w:val")) == "en-GB"


# Advance widths of Arial Bold (the header rows' font; Liberation Sans Bold has the same
# metrics) in thousandths of the font size, from the Helvetica-Bold font metrics.
BOLD_WIDTHS = {
    **dict.fromkeys("ijl ./,:'", 278), **dict.fromkeys("frt()-", 333), "r": 389, "z": 500, "J": 556,
    **dict.fromkeys("acekSsvxy0123456789", 556), **dict.fromkeys("bdghnopquFLTZ", 611),
    **dict.fromkeys("EPSVXY", 667), **dict.fromkeys("ABCDHKNRU", 722), "w": 778,
    **dict.fromkeys("GOQ", 778), "M": 833, "m": 889, "W": 944, "I": 278,
}
HEADER_POINTS = 10
CELL_MARGINS = 2 * 85  # twentieths of a point, left and right (the reference's table style)


def text_width_of_each_table(document: Document) -> list[tuple[object, int]]:
    """Each table of the body with the width (twips) inside the margins of its pages."""
    found, waiting = [], []
    for block in document.element.body:
        if block.tag == qn("w:tbl"):
            waiting.append(block)
        section = block if block.tag == qn("w:sectPr") else block.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
        if section is not None:
            size, margins = section.find(qn("w:pgSz")), section.find(qn("w:pgMar"))
            width = int(size.get(qn("w:w"))) - int(margins.get(qn("w:left"))) - int(margins.get(qn("w:right")))
            found += [(table, width) for table in waiting]
            waiting = []
    return found


def test_no_word_of_a_header_row_is_wider_than_its_column(documents: dict[str, Document]) -> None:
    """A header such as "Anonymised Name" must not break inside a word ("Anonymis-ed")."""
    for document in documents.values():
        for table, width in text_width_of_each_table(document):
            first = table.find(qn("w:tr"))
            if first.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None:
                continue
            grid = [int(c.get(qn("w:w"))) for c in table.find(qn("w:tblGrid"))]
            for share, cell in zip(grid, first.findall(qn("w:tc")), strict=True):
                room = share / sum(grid) * width - CELL_MARGINS
                for word in "".join(t.text or "" for t in cell.iter(qn("w:t"))).split():
                    needed = sum(BOLD_WIDTHS.get(c, 611) for c in word) * HEADER_POINTS * 20 / 1000
                    assert needed <= room, f"{word!r} needs {needed:.0f} twips, its column has {room:.0f}"


def test_a_contents_page_lists_every_section_as_a_filled_in_word_field(
    example: Repository, documents: dict[str, Document]
) -> None:
    for document in documents.values():
        body = document.element.body
        (toc,) = body.findall(qn("w:sdt"))
        gallery = toc.find(f"{qn('w:sdtPr')}/{qn('w:docPartObj')}/{qn('w:docPartGallery')}")
        assert gallery.get(qn("w:val")) == "Table of Contents"
        instructions = [i.text.strip() for i in toc.iter(qn("w:instrText"))]
        assert instructions and instructions[0].startswith("TOC ")
        begin = next(toc.iter(qn("w:fldChar")))
        assert begin.get(qn("w:dirty")) == "true"  # Word adds the page numbers as it opens
        entries = [p for p in toc.iter(qn("w:p")) if p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}") is not None
                   and p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val")).startswith("TOC") and
                   p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val")) != "TOCHeading"]
        titles = ["".join(t.text for t in p.iter(qn("w:t"))) for p in entries]
        sections = [p.text for p in document.paragraphs if p.style.name == "Heading 1"][1:]  # after the history
        assert titles == sections
        bookmarks = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
        anchors = [link.get(qn("w:anchor")) for p in entries for link in p.iter(qn("w:hyperlink"))]
        assert len(anchors) == len(entries) and set(anchors) <= bookmarks


def test_no_table_row_splits_across_pages_and_header_rows_repeat(documents: dict[str, Document]) -> None:
    for document in documents.values():
        rows = list(document.element.body.iter(qn("w:tr")))
        assert rows and all(r.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for r in rows)
        for table in document.tables:
            if table._tbl.tblPr.find(qn("w:tblLook")) is not None and table._tbl.tblPr.find(qn("w:tblLook")).get(qn("w:firstRow")) == "1":
                assert header_row_marked(table)


def test_headings_keep_with_the_next_paragraph_and_lines_are_not_orphaned(documents: dict[str, Document]) -> None:
    for document in documents.values():
        for level in range(1, 7):
            assert document.styles[f"Heading {level}"].paragraph_format.keep_with_next
        defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
        assert defaults.find(qn("w:widowControl")) is not None


PANDOC_STYLE_NAMES = ("First Paragraph", "Body Text", "Compact")


def test_word_shows_plain_style_names_not_pandocs(documents: dict[str, Document]) -> None:
    for document in documents.values():
        names = {s.name for s in document.styles}
        assert not names & set(PANDOC_STYLE_NAMES)
        used = {p.style.name for p in document.paragraphs} | {
            p.style.name for t in document.tables for r in t.rows for c in r.cells for p in c.paragraphs
        }
        assert {"Normal", "No Spacing", "Heading 1"} <= used
        assert not used & set(PANDOC_STYLE_NAMES)


def test_the_terms_of_reference_are_a_section_as_the_template_places_them(
    example: Repository, documents: dict[str, Document]
) -> None:
    section = example.template.section("terms-of-reference")
    title = f"{section.number}. {section.title}"
    for imr in example.imrs():
        document = documents[imr.review_id, imr.agency_id]
        assert ("Heading 1", title) in headings(document)
        review = example.review(imr.review_id)
        for question in review.terms_of_reference.questions:
            text = f"{question.id} {' '.join(question.text.split())}"
            (shown,) = [p for p in document.paragraphs if p.text == text and not p.style.name.startswith("Heading")]
            assert shown.style.name == "Normal" and (shown._p.pPr is None or shown._p.pPr.numPr is None)  # no bullet
            assert shown.runs[0].bold and shown.runs[0].text == question.id


def test_the_action_plan_rates_each_action_and_its_updates_follow(example: Repository, documents: dict[str, Document]) -> None:
    plan = example.template.action_plan
    columns = action_plan_columns(example.template)
    status = [c.key for c in columns].index("status")
    rated = 0
    for imr in example.imrs():
        if not imr.actions:
            continue
        document = documents[imr.review_id, imr.agency_id]
        table = table_with_head(document, [c.title for c in columns])
        for action, row in zip(imr.actions, table.rows[1:], strict=True):
            cells = [c.text for c in row.cells]
            rating = rate(action, today(), plan.completed, example.board, imr.submitted).rag
            assert cells[status].split("\n")[1].startswith(rating)
            days = action.days_overdue(today(), plan.completed)
            assert (f"{days} day" in cells[status]) is bool(days)
            latest = action.latest_update()
            if latest:
                shown = " ".join(cells[-1].split())
                assert f"{LATEST_UPDATE}, {uk(latest.date)}: {' '.join(latest.text.split())}" in shown
            rated += bool(days)
        keys = [p.text for p in document.paragraphs if all(f"{n}: {m}" in p.text for n, m in key(example.board))]
        assert len(keys) == 1 and uk(today()) in keys[0], "the key to the ratings, under the table"
        updates = table_with_head(document, [plan.title("no"), "Date", "Update"])
        expected = [[str(a.no), uk(u.date), " ".join(u.text.split())]
                    for a in imr.actions for u in sorted(a.updates, key=lambda u: u.date)]
        assert [[c.text for c in r.cells] for r in updates.rows[1:]] == expected
    assert rated, "the example should have an overdue action"


BOARD_WORDING = """\
Our board asks every agency for an honest account of its work with {subject}.

Authors are supported by {board_short} throughout:

- a named contact on the panel;
- a briefing before writing starts.
"""


def test_a_boards_own_wording_opens_section_1(tmp_repo: Path) -> None:
    template_file = tmp_repo / "schema" / "templates" / "sar9-v3.yml"
    data = template_file.read_text("utf-8")
    start = data.index("    standard_text: |")
    end = data.index("  - id: terms-of-reference")
    template_file.write_text(data[:start] + "    standard_text: |\n" + "".join(
        f"      {line}\n" if line else "\n" for line in BOARD_WORDING.splitlines()) + data[end:], "utf-8")
    out = tmp_repo / "build"
    assert main(["--root", str(tmp_repo), "build", "--only", "docx", "--out", str(out)]) == 0
    from sarflow.load import load

    repo = load(tmp_repo)
    imr = repo.imrs()[0]
    document = docx.Document(str(path_of(repo, out, imr)))
    introduction = section_paragraphs(document, "1. Introduction")
    subject, short = repo.review(imr.review_id).subject.name, repo.board.short_name
    assert introduction[0] == f"1.1 Our board asks every agency for an honest account of its work with {subject}."
    assert introduction[1] == f"1.2 Authors are supported by {short} throughout:"
    items = [p for p in document.paragraphs if p.text in ("a named contact on the panel;", "a briefing before writing starts.")]
    assert len(items) == 2 and all(p._p.pPr is not None and p._p.pPr.numPr is not None for p in items)
    assert introduction[4].startswith("1.3 ")  # the author's text carries on the numbering


def test_a_picture_in_the_boards_own_wording_is_left_out_and_the_rest_is_printed(tmp_repo: Path) -> None:
    """The board's standard text is read as strictly as an author's and may hold no picture: a paragraph with
    one is left out of every report, whether it is the only picture there or not, and the others are printed."""
    (tmp_repo / "reviews" / "adult-a" / "acute-trust" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    template_file = tmp_repo / "schema" / "templates" / "sar9-v3.yml"
    data = template_file.read_text("utf-8")
    start = data.index("    standard_text: |")
    end = data.index("  - id: terms-of-reference")
    wording = "Our board asks every agency for an honest account.\n\n![The board's logo](logo.png)\n\nAuthors are supported throughout.\n"
    template_file.write_text(data[:start] + "    standard_text: |\n" + "".join(
        f"      {line}\n" if line else "\n" for line in wording.splitlines()) + data[end:], "utf-8")
    out = tmp_repo / "build"
    assert main(["--root", str(tmp_repo), "build", "--only", "docx", "--out", str(out)]) == 0
    from sarflow.load import load

    repo = load(tmp_repo)
    for imr in repo.imrs():
        document = docx.Document(str(path_of(repo, out, imr)))
        introduction = section_paragraphs(document, "1. Introduction")
        assert introduction[:2] == ["1.1 Our board asks every agency for an honest account.", "1.2 Authors are supported throughout."]
        assert not document.inline_shapes
        assert not [n for n in zipfile.ZipFile(path_of(repo, out, imr)).namelist() if n.startswith("word/media/")]
