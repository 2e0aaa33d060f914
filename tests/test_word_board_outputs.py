"""The board paper and the annual report are Word documents finished as the IMR reports are.

Both are written by the real commands (pandoc, the house reference document) for the worked
example and read back with python-docx and their XML: a contents page that is a real Word TOC
field listing each part with a link to it; real headings (Word's Heading 1 and Heading 2 styles);
every table with a header row marks that row to repeat on each page (w:tblHeader); the marking in
every page header and the version in every footer, with no placeholder left; and the title and
UK English in the document's properties.
"""

from __future__ import annotations

import itertools
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from sarflow.cli import main
from sarflow.model import Repository
from sarflow.word.reference import STATUS_PLACEHOLDER, VERSION_PLACEHOLDER

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED_MARKING = "Official"  # the annual report is published: not the IMRs' "Strictly Confidential"


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
    marking = example.template.marking if kind == "paper" else PUBLISHED_MARKING
    assert headers and all(h == marking for h in headers), headers
    assert footers and all("Version: figures of" in f for f in footers), footers
    assert not [n for n, text in words.items() if STATUS_PLACEHOLDER in text or VERSION_PLACEHOLDER in text]
    properties = Document(str(path)).core_properties
    assert properties.title == path.stem and properties.language == "en-GB"
