"""The reference.docx generated in code: reproducible, Word's built-in headings, a table
style with a shaded header row, the marking in the header, fields in the footer."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
from docx.oxml.ns import qn

from sarflow.model import Repository
from sarflow.word.reference import STATUS_PLACEHOLDER, VERSION_PLACEHOLDER, cached_reference, reference_docx

ROOT = Path(__file__).resolve().parents[1]
NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}


def test_the_reference_is_the_same_bytes_every_time(example: Repository) -> None:
    template = example.template
    assert reference_docx(template.marking, template.id) == reference_docx(template.marking, template.id)


def test_the_reference_has_words_built_in_headings_and_a_header_row_table_style(example: Repository) -> None:
    document = docx.Document(io.BytesIO(reference_docx(example.template.marking, example.template.id)))
    for level in (1, 2, 3):
        style = document.styles[f"Heading {level}"]
        assert style.element.name_val == f"heading {level}"
        assert style.element.find(qn("w:pPr")).find(qn("w:outlineLvl")).get(qn("w:val")) == str(level - 1)
    table = document.styles.element.xpath("w:style[@w:styleId='Table']")[0]
    first_row = table.xpath("w:tblStylePr[@w:type='firstRow']")[0]
    assert first_row.xpath("w:tcPr/w:shd", namespaces=NS) and first_row.xpath("w:rPr/w:b", namespaces=NS)
    assert table.xpath("w:tblPr/w:tblBorders/w:insideH")


def test_the_reference_header_and_footer(example: Repository) -> None:
    template = example.template
    document = docx.Document(io.BytesIO(reference_docx(template.marking, template.id)))
    section = document.sections[-1]
    assert [p.text for p in section.header.paragraphs] == [template.marking + STATUS_PLACEHOLDER]
    footer = "".join(p.text for p in section.footer.paragraphs)
    assert footer.startswith(f"{template.id} | Version: {VERSION_PLACEHOLDER} | Page ")
    assert [i.text.strip() for i in section.footer._element.iter(qn("w:instrText"))] == ["PAGE", "NUMPAGES"]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297


def test_the_cache_builds_it_once(example: Repository, tmp_path: Path) -> None:
    path = cached_reference(example.template, tmp_path)
    stamp = path.stat().st_mtime_ns
    assert cached_reference(example.template, tmp_path) == path and path.stat().st_mtime_ns == stamp
    with zipfile.ZipFile(path) as package:
        assert "word/header1.xml" in package.namelist() and "word/footer1.xml" in package.namelist()


def test_the_standalone_entry_point_writes_the_same_reference(example: Repository, tmp_path: Path) -> None:
    target = tmp_path / "reference.docx"
    done = subprocess.run(
        [sys.executable, "-m", "sarflow.word.reference", str(target), "--root", str(ROOT)],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert target.read_bytes() == reference_docx(example.template.marking, example.template.id)


def test_the_title_sits_down_the_cover_page_with_the_agency_under_it(example: Repository) -> None:
    document = docx.Document(io.BytesIO(reference_docx(example.template.marking, example.template.id)))
    title, subtitle = document.styles["Title"], document.styles["Subtitle"]
    assert title.paragraph_format.space_before.cm > 5
    assert subtitle.base_style == title and subtitle.paragraph_format.space_before == 0
    assert subtitle.paragraph_format.space_after.cm > 1
    # in the schema's order, or Word offers to repair the file
    title_properties, subtitle_properties = (
        [child.tag.rsplit("}", 1)[1] for child in style.element.find(qn("w:pPr"))] for style in (title, subtitle)
    )
    assert title_properties.index("spacing") < title_properties.index("jc")
    assert subtitle_properties.index("numPr") < subtitle_properties.index("spacing")


def test_every_heading_level_is_black_and_stands_out_from_body_text(example: Repository) -> None:
    document = docx.Document(io.BytesIO(reference_docx(example.template.marking, example.template.id)))
    body = document.styles["Body Text"].font.size or document.styles["Normal"].font.size or docx.shared.Pt(11)
    looks = []
    for level in range(1, 7):
        font = document.styles[f"Heading {level}"].font
        assert font.color.rgb == docx.shared.RGBColor(0, 0, 0) and font.color.theme_color is None, level
        assert font.size >= body and (font.size > body or font.bold or font.italic), level
        looks.append((font.size, bool(font.bold), bool(font.italic)))
    assert len(set(looks[:4])) == 4, "headings 1 to 4 each look different"
