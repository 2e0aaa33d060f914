"""Reading and rewriting the parts of a .docx (a zip of XML files) without breaking it.

Every rewrite keeps the parts in their order, with fixed timestamps, so the same
input always gives the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

from lxml import etree

from sarflow.outputs import DEFLATE_LEVEL, FIXED_TIME

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
NS = {"w": W, "r": R}
# The document properties Word shows under File > Info, by their prefix in docProps/core.xml.
CORE = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
}
_XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
# The fixed part of a zip entry's local header, before its name and extra field (bytes).
_LOCAL_HEADER = 30


def w(name: str) -> str:
    """A WordprocessingML element or attribute name, e.g. w('p')."""
    return f"{{{W}}}{name}"


def element(name: str, attributes: dict[str, str] | None = None, *children: etree._Element) -> etree._Element:
    """A w: element with w: attributes, e.g. element('sz', {'val': '22'})."""
    node = etree.Element(w(name), {w(k): v for k, v in (attributes or {}).items()}, nsmap={"w": W})
    node.extend(children)
    return node


def parse(data: bytes) -> etree._Element:
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False))


def serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


Edit = Callable[[bytes], bytes]


def rewrite(docx: bytes, edits: dict[str, Edit], added: dict[str, bytes] | None = None) -> bytes:
    """The package with `edits` applied to the named parts and the `added` parts appended.

    What is edited or added (or was stored without compression) is deflated at DEFLATE_LEVEL. A
    deflated part that is not edited is copied as it is stored, without inflating and deflating it
    again: pandoc and Python deflate at zlib's default level, so the copy is the very bytes that
    deflating it again at that level would give, for a fraction of the time."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename in edits:
                target.writestr(zipfile.ZipInfo(info.filename, FIXED_TIME), edits[info.filename](source.read(info)), zipfile.ZIP_DEFLATED,
                                DEFLATE_LEVEL)
            elif info.compress_type == zipfile.ZIP_DEFLATED:
                _copy_compressed(source, info, target)
            else:
                target.writestr(zipfile.ZipInfo(info.filename, FIXED_TIME), source.read(info), zipfile.ZIP_DEFLATED, DEFLATE_LEVEL)
        for name, data in (added or {}).items():
            target.writestr(zipfile.ZipInfo(name, FIXED_TIME), data, zipfile.ZIP_DEFLATED, DEFLATE_LEVEL)
    return out.getvalue()


def _copy_compressed(source: zipfile.ZipFile, info: zipfile.ZipInfo, target: zipfile.ZipFile) -> None:
    """One deflated part copied into `target` as `ZipFile.writestr` would write it (the header
    it writes, with FIXED_TIME), its compressed bytes as they are. zipfile has no call for
    this: it is done as its own `ZipFile.mkdir` adds an entry."""
    assert source.fp is not None and target.fp is not None  # both are open (see rewrite)
    source.fp.seek(info.header_offset)
    header = source.fp.read(_LOCAL_HEADER)
    names = int.from_bytes(header[26:28], "little") + int.from_bytes(header[28:30], "little")
    source.fp.seek(info.header_offset + _LOCAL_HEADER + names)
    compressed = source.fp.read(info.compress_size)
    copy = zipfile.ZipInfo(info.filename, FIXED_TIME)
    copy.compress_type, copy.external_attr = zipfile.ZIP_DEFLATED, 0o600 << 16
    copy.file_size, copy.compress_size, copy.CRC = info.file_size, info.compress_size, info.CRC
    target.fp.seek(target.start_dir)
    copy.header_offset = target.fp.tell()
    target.fp.write(copy.FileHeader(False))
    target.fp.write(compressed)
    target.filelist.append(copy)
    target.NameToInfo[copy.filename] = copy
    target.start_dir = target.fp.tell()


def part_names(docx: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        return package.namelist()


def core_properties(values: dict[str, str]) -> Edit:
    """An edit of docProps/core.xml that sets each property, e.g. {"dc:title": "..."}."""

    def edit(data: bytes) -> bytes:
        root = parse(data)
        for name, value in values.items():
            prefix, local = name.split(":")
            node = root.find(name, CORE)
            if node is None:
                node = etree.SubElement(root, f"{{{CORE[prefix]}}}{local}")
                if prefix == "dcterms":
                    node.set(_XSI_TYPE, "dcterms:W3CDTF")
            node.text = value
        return serialise(root)

    return edit
