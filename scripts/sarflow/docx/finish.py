"""What pandoc's .docx needs after writing: the version in the footer, header rows that
repeat on every page, complete page settings for the landscape pages, and the title and
language in the document's properties.

The XML is edited with lxml, element by element in the schema's order, so that Word
and LibreOffice open the result without a repair prompt.
"""

from __future__ import annotations

import copy

from lxml import etree

from sarflow.docx.ooxml import CORE_PART, W, core_properties, element, parse, part_names, rewrite, serialise, w
from sarflow.docx.reference import LANGUAGE, VERSION_PLACEHOLDER

_NS = {"w": W}


def finish(docx: bytes, version: str, title: str = "") -> bytes:
    """`docx` completed: `version` in the footers, and `title` and UK English as the document's
    properties (what Word shows under File > Info and a screen reader announces)."""
    footers = [name for name in part_names(docx) if name.startswith("word/footer") and name.endswith(".xml")]
    edits = {
        "word/document.xml": _document,
        CORE_PART: core_properties({"dc:title": title, "dc:language": LANGUAGE}),
        **{name: lambda data: _footer(data, version) for name in footers},
    }
    return rewrite(docx, edits)


def _document(data: bytes) -> bytes:
    root = parse(data)
    _repeat_header_rows(root)
    _complete_section_breaks(root)
    return serialise(root)


def _repeat_header_rows(root: etree._Element) -> None:
    """Mark the first row of every table that has a header row (pandoc's tblLook firstRow)
    as a header row, which Word repeats at the top of each page the table runs onto."""
    for table in root.iter(w("tbl")):
        look = table.find("w:tblPr/w:tblLook", _NS)
        row = table.find("w:tr", _NS)
        if look is None or row is None or look.get(w("firstRow")) not in ("1", "true", "on"):
            continue
        properties = row.find("w:trPr", _NS)
        if properties is None:
            properties = element("trPr")
            exceptions = row.find("w:tblPrEx", _NS)
            row.insert(0 if exceptions is None else 1, properties)
        if properties.find("w:tblHeader", _NS) is None:
            properties.append(element("tblHeader"))


def _complete_section_breaks(root: etree._Element) -> None:
    """Give each section break of `sarflow.docx.compose` the body's page settings, header and
    footer; a landscape one gets the page turned on its side."""
    body = root.find("w:body", _NS)
    final = body.find("w:sectPr", _NS)
    for paragraph_properties in body.findall("w:p/w:pPr", _NS):
        marker = paragraph_properties.find("w:sectPr", _NS)
        if marker is None:
            continue
        size = marker.find("w:pgSz", _NS)
        landscape = size is not None and size.get(w("orient")) == "landscape"
        section = copy.deepcopy(final)
        page = section.find("w:pgSz", _NS)
        if landscape and page is not None:
            width, height = page.get(w("w")), page.get(w("h"))
            page.set(w("w"), height)
            page.set(w("h"), width)
            page.set(w("orient"), "landscape")
        paragraph_properties.replace(marker, section)


def _footer(data: bytes, version: str) -> bytes:
    root = parse(data)
    for node in root.iter(w("t")):
        if node.text and VERSION_PLACEHOLDER in node.text:
            node.text = node.text.replace(VERSION_PLACEHOLDER, version)
    return serialise(root)
