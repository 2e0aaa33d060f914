"""pandoc's own paragraph styles become plain ones however document.xml writes them.

`finish` changes them in the text of the part where pandoc wrote them (`<w:pStyle w:val="BodyText" />`),
and on the parsed part for any other way of writing them; both give the same document.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from sarflow.word import pandoc
from sarflow.word.finish import PLAIN_STYLES, finish
from sarflow.word.ooxml import rewrite
from sarflow.word.reference import reference_docx


def written(tmp_path: Path) -> bytes:
    """A report as pandoc writes it: a heading, paragraphs (the first of a section and the rest), a tight list."""
    reference = tmp_path / "reference.docx"
    reference.write_bytes(reference_docx("OFFICIAL", "SAR9 V3"))
    para = {"t": "Para", "c": [{"t": "Str", "c": "Some text."}]}
    blocks = [{"t": "Header", "c": [1, ["", [], []], [{"t": "Str", "c": "Narrative"}]]}, para, para,
              {"t": "BulletList", "c": [[{"t": "Plain", "c": [{"t": "Str", "c": "one"}]}], [{"t": "Plain", "c": [{"t": "Str", "c": "two"}]}]]}]
    return pandoc.write_docx({"pandoc-api-version": pandoc.api_version(), "meta": {}, "blocks": blocks}, reference, tmp_path)


def document(docx: bytes) -> bytes:
    return zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml")


@pytest.mark.parametrize("other", [b"/>", b"></w:pStyle>", b"  />"])
def test_a_style_written_otherwise_than_pandoc_writes_it_is_made_plain_all_the_same(tmp_path: Path, other: bytes) -> None:
    docx = written(tmp_path)
    assert all(f'<w:pStyle w:val="{name}" />'.encode() in document(docx) for name in PLAIN_STYLES)  # as pandoc writes them

    def elsewise(data: bytes) -> bytes:
        return re.sub(rb'(<w:pStyle w:val="(?:FirstParagraph|BodyText|Compact)") />', rb"\1" + other, data)

    retyped = rewrite(docx, {"word/document.xml": elsewise})
    assert not any(f'<w:pStyle w:val="{name}" />'.encode() in document(retyped) for name in PLAIN_STYLES)
    plain = document(finish(docx, "1 of 01/01/2026", epoch=0))
    assert plain == document(finish(retyped, "1 of 01/01/2026", epoch=0))
    assert not any(f'w:val="{name}"'.encode() in plain for name in PLAIN_STYLES)
    assert b'w:val="NoSpacing"' in plain
