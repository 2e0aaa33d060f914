"""Rewriting a .docx copies the parts it does not edit as they are stored: the package must come
out exactly as if every part had been inflated and deflated again (at zlib's default level, as
pandoc and Python deflate, unless sarflow wrote it: then at DEFLATE_LEVEL), as it was before the
copy saved the time, whatever the parts hold, for a package pandoc wrote and one sarflow wrote."""

from __future__ import annotations

import io
import zipfile

from hypothesis import given, settings
from hypothesis import strategies as st

from sarflow.outputs import DEFLATE_LEVEL
from sarflow.word import pandoc
from sarflow.word.ooxml import FIXED_TIME, Edit, rewrite

_PARTS = st.dictionaries(
    st.from_regex(r"[a-z_]{1,8}(/[a-z0-9_]{1,8}){0,2}\.(xml|rels|png)|\[Content_Types\]\.xml|word/média\.xml", fullmatch=True),
    st.binary(max_size=3000) | st.text(max_size=3000).map(str.encode),
    min_size=1,
    max_size=6,
)


def recompressed(docx: bytes, edits: dict[str, Edit], added: dict[str, bytes] | None = None) -> bytes:
    """The package as `rewrite` made it before it copied parts: every part inflated and deflated again, what
    sarflow writes (an edited, added or stored part) at DEFLATE_LEVEL, a deflated part at zlib's default."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            ours = info.filename in edits or info.compress_type != zipfile.ZIP_DEFLATED
            data = edits[info.filename](data) if info.filename in edits else data
            target.writestr(zipfile.ZipInfo(info.filename, FIXED_TIME), data, zipfile.ZIP_DEFLATED, DEFLATE_LEVEL if ours else None)
        for name, data in (added or {}).items():
            target.writestr(zipfile.ZipInfo(name, FIXED_TIME), data, zipfile.ZIP_DEFLATED, DEFLATE_LEVEL)
    return out.getvalue()


def package(parts: dict[str, bytes], stored: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data, zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
    return out.getvalue()


@settings(deadline=None, max_examples=60)
@given(parts=_PARTS, edited=st.sets(st.integers(0, 5)), stored=st.booleans(), added=st.booleans())
def test_a_rewritten_package_is_as_if_every_part_was_compressed_again(
    parts: dict[str, bytes], edited: set[int], stored: bool, added: bool
) -> None:
    names = list(parts)
    edits: dict[str, Edit] = {names[n]: (lambda data: data[::-1] + b"<edited/>") for n in edited if n < len(names)}
    extra = {"docProps/custom.xml": b"<added/>"} if added else None
    docx = package(parts, stored)
    rewritten = rewrite(docx, edits, extra)
    assert rewritten == recompressed(docx, edits, extra)
    with zipfile.ZipFile(io.BytesIO(rewritten)) as read:
        assert read.testzip() is None
        assert {n: read.read(n) for n in names} == {n: edits[n](parts[n]) if n in edits else parts[n] for n in names}


def test_a_package_pandoc_wrote_is_copied_as_if_compressed_again() -> None:
    """pandoc deflates with zlib's default level too, so copying its parts gives the bytes compressing them would."""
    docx = pandoc.default_reference()
    assert rewrite(docx, {}) == recompressed(docx, {})
    same: dict[str, Edit] = {"word/styles.xml": lambda data: data}
    assert rewrite(docx, same) == recompressed(docx, same)
