"""The board paper and the annual report are Word documents finished as the IMR reports are.

Both are written by the real commands (pandoc, the house reference document) for the worked
example and read back with python-docx and their XML: a contents page that is a real Word TOC
field listing each part with a link to it; real headings (Word's Heading 1 and Heading 2 styles);
every table with a header row marks that row to repeat on each page (w:tblHeader); the marking in
every page header and the version in every footer, with no placeholder left; and the title and
UK English in the document's properties. LibreOffice prints each with its contents, marking and page numbers.
"""

from __future__ import annotations

import itertools
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from helpers import edit_yaml
from pdf import SOFFICE, pages, to_pdf
from sarflow.cli import main
from sarflow.model import FULLY_ACCEPTED, Repository
from sarflow.word.reference import STATUS_PLACEHOLDER, VERSION_PLACEHOLDER

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("board-outputs")
    assert main(["--root", str(ROOT), "board-paper", "--out", str(out)]) == 0
    assert main(["--root", str(ROOT), "annual-report", "2025-26", "--out", str(out)]) == 0
    (paper,) = (out / "board").glob("*.docx")
    (annual,) = (out / "annual-report").glob("*.docx")
    return {"paper": paper, "annual": annual}


KINDS = ["paper", "annual"]
# What each document must have as its parts (Heading 1) and, under them, at least these Heading 2.
PARTS = {
    "paper": ["The figures", "For the board's decision", "Since the last board meeting", "Open reviews", "Overdue actions"],
    "annual": ["The year in figures", "Reviews concluded in the year", "Reviews ongoing at 31 March 2026",
               "What was done to implement the findings", "Recommendations not implemented in full, and why"],
}
SUBPARTS = {"paper": ["What the RAG ratings mean"], "annual": ["By agency", "By recommendation"]}


def marking_of(kind: str, example: Repository) -> str:
    """The paper is the board's own, marked as the IMRs are; the annual report is published, and marked so."""
    marking = example.template.marking if kind == "paper" else example.template.published_marking
    assert marking and (kind == "paper" or marking != example.template.marking)
    return marking


def straight(text: str) -> str:
    return text.translate(str.maketrans("\u2018\u2019\u201c\u201d", "''\"\""))


def styled(document: Document, style: str) -> list[str]:
    return [straight(p.text) for p in document.paragraphs if p.style.name == style]


@pytest.mark.parametrize("kind", KINDS)
def test_the_parts_are_real_headings_under_a_title(outputs: dict[str, Path], kind: str) -> None:
    document = Document(str(outputs[kind]))
    assert document.paragraphs[0].style.name == "Title" and document.paragraphs[0].text
    assert styled(document, "Heading 1") == PARTS[kind]
    assert set(SUBPARTS[kind]) <= set(styled(document, "Heading 2"))
    levels = [int(p.style.name.split()[-1]) for p in document.paragraphs if p.style.name.startswith("Heading ")]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in itertools.pairwise(levels))  # no level skipped


@pytest.mark.parametrize("kind", KINDS)
def test_a_contents_page_is_a_word_field_linking_each_part(outputs: dict[str, Path], kind: str) -> None:
    document = Document(str(outputs[kind]))
    body = document.element.body
    (toc,) = body.findall(qn("w:sdt"))
    assert toc.find(f"{qn('w:sdtPr')}/{qn('w:docPartObj')}/{qn('w:docPartGallery')}").get(qn("w:val")) == "Table of Contents"
    assert next(i.text.strip() for i in toc.iter(qn("w:instrText"))).startswith("TOC ")
    assert next(toc.iter(qn("w:fldChar"))).get(qn("w:dirty")) == "true"
    entries = [p for p in toc.iter(qn("w:p")) if (s := p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")) is not None
               and s.get(qn("w:val")) == "TOC1"]
    assert [straight("".join(t.text for t in p.iter(qn("w:t")))) for p in entries] == PARTS[kind]
    bookmarks = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
    anchors = [link.get(qn("w:anchor")) for p in entries for link in p.iter(qn("w:hyperlink"))]
    assert len(anchors) == len(entries) and set(anchors) <= bookmarks
    # The contents come after the title and the opening, before the first part.
    blocks = list(body)
    first_part = next(b for b in blocks if b.tag == qn("w:p") and b.find(f"{qn('w:pPr')}/{qn('w:pStyle')}") is not None
                      and b.find(f"{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val")) == "Heading1")
    assert 0 < blocks.index(toc) < blocks.index(first_part)


@pytest.mark.parametrize("kind", KINDS)
def test_every_table_with_a_header_row_repeats_it_on_each_page(outputs: dict[str, Path], kind: str, example: Repository) -> None:
    document = Document(str(outputs[kind]))
    headed = [t for t in document.tables if (look := t._tbl.tblPr.find(qn("w:tblLook"))) is not None
              and look.get(qn("w:firstRow")) == "1"]
    assert headed, "the document should have tables with header rows"
    for table in headed:
        rows = table._tbl.tr_lst
        assert rows[0].trPr is not None and rows[0].trPr.find(qn("w:tblHeader")) is not None, [c.text for c in table.rows[0].cells]
        assert not [r for r in rows[1:] if r.trPr is not None and r.trPr.find(qn("w:tblHeader")) is not None]
    heads = [[c.text for c in t.rows[0].cells] for t in headed]
    assert ["Figure", "Number"] in heads
    if kind == "annual":  # every table of the annual report has a header row
        assert len(headed) == len(document.tables)


@pytest.mark.parametrize("kind", KINDS)
def test_the_marking_version_and_properties_are_filled_in(outputs: dict[str, Path], kind: str, example: Repository) -> None:
    path = outputs[kind]
    with zipfile.ZipFile(path) as package:
        parts = {n: package.read(n).decode("utf-8") for n in package.namelist() if n.endswith(".xml")}
    words = {n: " ".join(re.sub(r"<[^>]+>", " ", xml).split()) for n, xml in parts.items()}
    headers = [words[n] for n in words if n.startswith("word/header")]
    footers = [words[n] for n in words if n.startswith("word/footer")]
    marking = marking_of(kind, example)
    assert headers and all(h == marking for h in headers), headers
    assert footers and all("Version: figures of" in f for f in footers), footers
    assert not [n for n, text in words.items() if STATUS_PLACEHOLDER in text or VERSION_PLACEHOLDER in text]
    properties = Document(str(path)).core_properties
    assert properties.title == path.stem and properties.language == "en-GB"


@pytest.mark.libreoffice
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (make test installs it)")
def test_libreoffice_prints_each_with_its_contents_marking_and_page_numbers(outputs: dict[str, Path], example: Repository,
                                                                             tmp_path: Path) -> None:
    printed = to_pdf(list(outputs.values()), tmp_path)
    for kind, path in outputs.items():
        document = pages(printed[path])
        marking = marking_of(kind, example)
        assert len(document) >= 2
        for number, page in enumerate(document, 1):
            assert page.lines[0].startswith(marking) and f"Page {number} of {len(document)}" in page.text
            assert "SARFLOW-" not in page.text
        contents = next(page for page in document if "Contents" in page.lines)
        listed = [straight(line) for line in contents.lines]
        assert all(any(line.startswith(part) for line in listed) for part in PARTS[kind]), listed


HOSTILE = ('<w:p><w:r><w:t>INJECTED</w:t></w:r></w:p> `<w:br/>`{=openxml} <b>bold</b> ![picture](/etc/hostname) '
           "[link](file:///etc/passwd) $x$ **not bold** | a | table |")


def test_text_from_the_files_stays_text_in_the_annual_report(tmp_path: Path, example: Repository) -> None:
    """Raw OpenXML, HTML, a picture or a link to a local file, TeX or Markdown typed into a reason prints as typed."""
    for name in ("reviews", "schema"):
        shutil.copytree(ROOT / name, tmp_path / name)
    review = next(r for r in example.reviews if r.recommendations)

    def plant(data) -> None:
        declined = next(rec for rec in data["recommendations"] if rec["response"]["decision"] != FULLY_ACCEPTED)
        declined["response"]["reason"] = HOSTILE

    edit_yaml(tmp_path / "reviews" / review.id / "recommendations.yml", plant)
    assert main(["--root", str(tmp_path), "annual-report", "2025-26", "--out", str(tmp_path / "out")]) == 0
    (docx,) = (tmp_path / "out" / "annual-report").glob("*.docx")
    with zipfile.ZipFile(docx) as package:
        body = package.read("word/document.xml").decode("utf-8")
        links = package.read("word/_rels/document.xml.rels").decode("utf-8")
        assert not [n for n in package.namelist() if n.startswith("word/media/")]
    assert "<w:t>INJECTED</w:t>" not in body and "<w:br/>" not in body and 'r:embed' not in body
    assert "/etc/" not in links
    assert all("w:anchor=" in link for link in re.findall(r"<w:hyperlink [^>]*>", body))  # the contents' own links only
    cells = [straight(c.text) for t in Document(str(docx)).tables for row in t.rows for c in row.cells]
    assert any(" ".join(HOSTILE.split()) in cell for cell in cells), [c for c in cells if "INJECTED" in c]


def test_without_a_published_marking_the_annual_report_carries_the_imrs_marking(tmp_path: Path, example: Repository) -> None:
    for name in ("reviews", "schema"):
        shutil.copytree(ROOT / name, tmp_path / name)
    edit_yaml(tmp_path / "schema" / "templates" / "sar9-v3.yml", lambda data: data.pop("published_marking"))
    assert main(["--root", str(tmp_path), "annual-report", "2025-26", "--out", str(tmp_path / "out")]) == 0
    (docx,) = (tmp_path / "out" / "annual-report").glob("*.docx")
    headers = [" ".join(p.text for p in section.header.paragraphs) for section in Document(str(docx)).sections]
    assert headers and all(h == example.template.marking for h in headers)
