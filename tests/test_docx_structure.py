"""The structure of a report built from unusual but legal author text, read back with
python-docx and as XML: heading levels that never skip, a package Word opens without a
repair prompt, document properties, language and picture sizes."""

from __future__ import annotations

import posixpath
import re
import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from sarflow import docx as report
from sarflow.findings import Severity
from sarflow.load import load
from sarflow.model import Imr, Repository

ROOT = Path(__file__).resolve().parents[1]

NARRATIVE = """\
### A sub-heading the author wrote three levels down

The first paragraph.

##### Two levels further down

The second paragraph.

# A heading the author wrote at the top level

The third paragraph.

![A picture far taller than a page](tall.png)

![A picture the author made a metre wide](wide.png){width=100cm}

A paragraph with a note.[^1] And [a web page](https://www.gov.uk/) and [a file](file:///etc/passwd).

[^1]: The note, with [a web page](https://www.gov.uk/) and <file:///etc/group>.
"""

# A table as wide as the chronology: section 2 gets landscape pages of its own.
METHODOLOGY = """The sources are listed below.

| One | Two | Three | Four | Five | Six | Seven |
|-----|-----|-------|------|------|-----|-------|
| a   | b   | c     | d    | e    | f   | g     |
"""

ANALYSIS_PREAMBLE = """\
### Before the first question

An introduction to the analysis.

"""


def png(width: int, height: int) -> bytes:
    """A PNG picture that says it is `width` by `height` pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b"")


def draft(repo: Repository) -> Imr:
    return next(imr for imr in repo.imrs() if imr.status == "draft")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Repository, Imr, Path]:
    """The example's draft with the sections above, built once."""
    root = tmp_path_factory.mktemp("structure")
    for name in ("reviews", "schema"):
        shutil.copytree(ROOT / name, root / name)
    folder = draft(load(root)).folder
    (folder / "narrative.md").write_text(NARRATIVE, encoding="utf-8")
    (folder / "methodology.md").write_text(METHODOLOGY, encoding="utf-8")
    (folder / "tall.png").write_bytes(png(10, 60000))
    (folder / "wide.png").write_bytes(png(4000, 300))
    analysis = folder / "analysis.md"
    analysis.write_text(ANALYSIS_PREAMBLE + analysis.read_text("utf-8"), encoding="utf-8")
    repo = load(root)
    imr = draft(repo)
    findings = report.build(repo, [imr], root / "build")
    assert [f for f in findings if f.severity is Severity.ERROR] == []
    path = root / "build" / "reviews" / imr.review_id / imr.agency_id / report.file_name(repo.review(imr.review_id), imr)
    return repo, imr, path


def heading_levels(document) -> list[tuple[int, str]]:
    found = []
    for p in document.paragraphs:
        match = re.fullmatch(r"Heading (\d)", p.style.name)
        if match:
            found.append((int(match.group(1)), p.text))
    return found


def test_heading_levels_never_skip_a_level(built) -> None:
    _, _, path = built
    levels = heading_levels(docx.Document(str(path)))
    previous = 0
    for level, title in levels:
        assert level <= previous + 1, f"{title!r} is a level {level} heading after a level {previous} one"
        previous = level


def test_author_headings_sit_under_the_section_heading(built) -> None:
    repo, _, path = built
    levels = heading_levels(docx.Document(str(path)))
    narrative = repo.template.section("narrative")
    start = levels.index((1, f"{narrative.number}. {narrative.title}"))
    assert levels[start + 1 : start + 4] == [
        (2, "A sub-heading the author wrote three levels down"),
        (3, "Two levels further down"),
        (2, "A heading the author wrote at the top level"),
    ]
    analysis = repo.template.section("analysis")
    start = levels.index((1, f"{analysis.number}. {analysis.title}"))
    assert levels[start + 1] == (2, "Before the first question")


EMU_PER_MM = 36000


def test_every_picture_fits_inside_the_margins_of_its_page(built) -> None:
    _, _, path = built
    document = docx.Document(str(path))
    pictures = document.inline_shapes
    assert len(pictures) == 2
    section = document.sections[0]
    width = section.page_width - section.left_margin - section.right_margin
    height = section.page_height - section.top_margin - section.bottom_margin
    for picture in pictures:
        assert 0 < picture.width <= width and 0 < picture.height <= height, (picture.width, picture.height)
    tall, wide = pictures
    assert tall.height > 200 * EMU_PER_MM and tall.width * 6000 == pytest.approx(tall.height, rel=0.01)
    assert wide.width > 150 * EMU_PER_MM and wide.width * 300 == pytest.approx(wide.height * 4000, rel=0.01)
    with zipfile.ZipFile(path) as package:
        xml = package.read("word/document.xml").decode()
    extents = re.findall(r'<wp:extent cx="(\d+)" cy="(\d+)"', xml)
    shapes = re.findall(r'<a:ext cx="(\d+)" cy="(\d+)"', xml)
    assert extents == shapes


PACKAGE_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
CONTENT_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"


def test_the_package_has_nothing_word_would_repair(built) -> None:
    """Every relationship points at a part that exists, every part has a content type,
    and no id that Word needs to be unique appears twice."""
    _, _, path = built
    with zipfile.ZipFile(path) as package:
        names = set(package.namelist())
        types = etree.fromstring(package.read("[Content_Types].xml"))
        defaults = {d.get("Extension").lower() for d in types.iter(f"{CONTENT_TYPES}Default")}
        overrides = {o.get("PartName").lstrip("/") for o in types.iter(f"{CONTENT_TYPES}Override")}
        for name in names - {"[Content_Types].xml"}:
            assert name in overrides or name.rsplit(".", 1)[-1].lower() in defaults, name
        for name in (n for n in names if n.endswith(".rels")):
            base = posixpath.dirname(posixpath.dirname(name))
            ids = []
            for relationship in etree.fromstring(package.read(name)).iter(PACKAGE_RELATIONSHIPS):
                ids.append(relationship.get("Id"))
                if relationship.get("TargetMode") != "External":
                    target = posixpath.normpath(posixpath.join(base, relationship.get("Target"))).lstrip("/")
                    assert target in names, (name, relationship.get("Target"))
            assert len(ids) == len(set(ids)), name
        document = etree.fromstring(package.read("word/document.xml"))
    W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for kind in ("bookmarkStart", "footnoteReference"):
        ids = [e.get(f"{W}id") for e in document.iter(f"{W}{kind}")]
        assert len(ids) == len(set(ids)), kind
    names = [e.get(f"{W}name") for e in document.iter(f"{W}bookmarkStart")]
    assert len(names) == len(set(names))
    pictures = [e.get("id") for e in document.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")]
    assert len(pictures) == 2 and len(set(pictures)) == 2
    assert document.find(f"{W}body/{W}sectPr") is not None


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed (make test installs it)")
def test_libreoffice_converts_it_to_pdf(built, tmp_path: Path) -> None:
    _, _, path = built
    done = subprocess.run(
        [shutil.which("soffice"), f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--norestore", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / f"{path.stem}.pdf").read_bytes().startswith(b"%PDF-")


def test_a_table_the_author_wrote_has_a_header_row_that_repeats(built) -> None:
    _, _, path = built
    document = docx.Document(str(path))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "One")
    first = table._tbl.tr_lst[0]
    assert first.trPr is not None and first.trPr.find(qn("w:tblHeader")) is not None
    assert [c.text for c in table.rows[1].cells] == list("abcdefg")
    assert not [r for r in table._tbl.tr_lst[1:] if r.trPr is not None and r.trPr.find(qn("w:tblHeader")) is not None]
