"""What pandoc's .docx needs after writing: the version in the footer and the status mark
in the header, the contents filled in, header rows that repeat on every page and rows
that never split across two, complete page settings for the landscape pages, plain
style names instead of pandoc's own, and the title and language in the document's
properties.

The XML is edited with lxml, element by element in the schema's order, so that Word
and LibreOffice open the result without a repair prompt.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools

from lxml import etree

from sarflow.outputs import CORE_PART
from sarflow.word.contents import fill_contents
from sarflow.word.ooxml import Edit, W, core_properties, element, parse, part_names, rewrite, serialise, w
from sarflow.word.reference import LANGUAGE, STATUS_PLACEHOLDER, VERSION_PLACEHOLDER

_NS = {"w": W}
_DRAWING = {
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
}
_EXTENT = f"{{{_DRAWING['wp']}}}extent"  # a picture's size on the page
EMU_PER_TWIP = 635
# Room left under a picture on its page, for its caption (twentieths of a point).
CAPTION_ROOM = 720
# pandoc's own paragraph styles, and the plain style each becomes (None: Normal, Word's default).
PLAIN_STYLES = {"FirstParagraph": None, "BodyText": None, "Compact": "NoSpacing"}
# What follows w:cantSplit inside w:trPr, in the schema's order.
_AFTER_CANT_SPLIT = ("trHeight", "tblHeader", "tblCellSpacing", "jc", "hidden", "ins", "del", "trPrChange")
MARK_SEPARATOR = " \u2013 "


def finish(docx: bytes, version: str, *, epoch: int, title: str = "", mark: str = "") -> bytes:
    """`docx` (as pandoc wrote it) completed: `version` in the footers, `mark` (DRAFT, SUBMITTED or nothing)
    beside the marking in the headers, and as the document's properties `title` and UK English (what Word
    shows under File > Info and a screen reader announces) and the moment `epoch` as when it was made
    and last changed, so that the same report made again is the same file."""
    names = part_names(docx)
    footers = [name for name in names if name.startswith("word/footer") and name.endswith(".xml")]
    headers = [name for name in names if name.startswith("word/header") and name.endswith(".xml")]
    shown = f"{MARK_SEPARATOR}{mark}" if mark else ""
    moment = dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    edits: dict[str, Edit] = {
        "word/document.xml": _document,
        "word/styles.xml": _styles,
        CORE_PART: core_properties({"dcterms:created": moment, "dcterms:modified": moment, "dc:title": title,
                                    "dc:language": LANGUAGE}),
        **{name: lambda data: _fill(data, VERSION_PLACEHOLDER, version) for name in footers},
        **{name: lambda data: _fill(data, STATUS_PLACEHOLDER, shown) for name in headers},
    }
    return rewrite(docx, edits)


def _document(data: bytes) -> bytes:
    data = _plain_styles_as_written(data)
    root = parse(data)
    fill_contents(root)
    _repeat_header_rows(root)
    _keep_rows_whole(root)
    _complete_section_breaks(root)
    _fit_pictures(root)
    if any(f'w:val="{name}"'.encode() in data for name in PLAIN_STYLES):  # written otherwise than pandoc writes it
        _plain_paragraph_styles(root)
    return serialise(root)


# Each of pandoc's own paragraph styles as pandoc writes it into document.xml, and what it becomes.
_AS_WRITTEN = {f'<w:pStyle w:val="{name}" />'.encode(): f'<w:pStyle w:val="{plain}" />'.encode() if plain else b""
               for name, plain in PLAIN_STYLES.items()}


def _plain_styles_as_written(data: bytes) -> bytes:
    """`_plain_paragraph_styles` done on the text of the part, where pandoc wrote the styles (a report has a few
    hundred paragraphs, and a text search is many times as fast as a look at each): no author's text can be
    markup there, as pandoc escapes it. A style written in any other way is left to `_plain_paragraph_styles`."""
    for written, plain in _AS_WRITTEN.items():
        data = data.replace(written, plain)
    return data


@functools.lru_cache(maxsize=4)
def _styles(data: bytes) -> bytes:
    """pandoc's own paragraph styles taken out of Word's style list (see PLAIN_STYLES); any
    style based on one of them is based on Normal instead. The list is the reference
    document's, so it is the same for most reports of a build, and is edited once (by its
    bytes)."""
    root = parse(data)
    for style in root.findall("w:style", _NS):
        if style.get(w("styleId")) in PLAIN_STYLES:
            root.remove(style)
    for reference in root.iterfind("w:style/*", _NS):
        if etree.QName(reference).localname in ("basedOn", "next", "link") and reference.get(w("val")) in PLAIN_STYLES:
            if etree.QName(reference).localname == "link":
                reference.getparent().remove(reference)
            else:
                reference.set(w("val"), "Normal")
    return serialise(root)


def _plain_paragraph_styles(root: etree._Element) -> None:
    """Each paragraph in one of pandoc's styles put in its plain one (see PLAIN_STYLES)."""
    for style in list(root.iter(w("pStyle"))):
        if style.get(w("val")) not in PLAIN_STYLES:
            continue
        plain = PLAIN_STYLES[style.get(w("val"))]
        if plain is None:
            style.getparent().remove(style)
        else:
            style.set(w("val"), plain)


def _keep_rows_whole(root: etree._Element) -> None:
    """No table row splits across two pages: a row that does not fit goes to the next page."""
    for row in root.iter(w("tr")):
        properties = row.find("w:trPr", _NS)
        if properties is None:
            properties = element("trPr")
            exceptions = row.find("w:tblPrEx", _NS)
            row.insert(0 if exceptions is None else 1, properties)
        if properties.find("w:cantSplit", _NS) is not None:
            continue
        later = [c for c in properties if etree.QName(c).localname in _AFTER_CANT_SPLIT]
        (later[0].addprevious(element("cantSplit")) if later else properties.append(element("cantSplit")))


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
    """Give each section break (a paragraph whose w:sectPr holds only its orientation) the body's
    page settings, header and footer; a landscape one gets the page turned on its side."""
    body = root.find("w:body", _NS)
    final = body.find("w:sectPr", _NS)
    for marker in body.findall("w:p/w:pPr/w:sectPr", _NS):
        paragraph_properties = marker.getparent()
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


def _fit_pictures(root: etree._Element) -> None:
    """Shrink every picture that is taller or wider than the text area of its pages, keeping
    its proportions (pandoc only narrows a picture to the page's width: a tall one would run
    off the page)."""
    if next(root.iter(_EXTENT), None) is None:
        return  # no picture: the walk below would look at every block for nothing
    body = root.find("w:body", _NS)
    waiting: list[etree._Element] = []
    for block in body:
        waiting.extend(block.iter(_EXTENT))
        section = block.find("w:pPr/w:sectPr", _NS) if block.tag == w("p") else block if block.tag == w("sectPr") else None
        if section is not None:
            width, height = _text_area(section)
            for extent in waiting:
                _shrink(extent, width, height)
            waiting = []


def _text_area(section: etree._Element) -> tuple[int, int]:
    """The width and height (EMU) inside the margins of a section's pages."""
    size, margins = section.find("w:pgSz", _NS), section.find("w:pgMar", _NS)

    def twips(node: etree._Element, name: str) -> int:
        return int(node.get(w(name), "0"))

    width = twips(size, "w") - twips(margins, "left") - twips(margins, "right")
    height = twips(size, "h") - twips(margins, "top") - twips(margins, "bottom") - CAPTION_ROOM
    return width * EMU_PER_TWIP, height * EMU_PER_TWIP


def _shrink(extent: etree._Element, width: int, height: int) -> None:
    cx, cy = int(extent.get("cx", "0")), int(extent.get("cy", "0"))
    if cx <= width and cy <= height:
        return
    scale = min(width / cx if cx else 1, height / cy if cy else 1)
    new = {"cx": str(max(1, int(cx * scale))), "cy": str(max(1, int(cy * scale)))}
    drawing = extent.getparent()
    for node in (extent, *drawing.iterfind(".//pic:spPr/a:xfrm/a:ext", _DRAWING)):
        node.attrib.update(new)


def _fill(data: bytes, placeholder: str, value: str) -> bytes:
    """A header or footer with `placeholder` replaced by `value`."""
    root = parse(data)
    for node in root.iter(w("t")):
        if node.text and placeholder in node.text:
            node.text = node.text.replace(placeholder, value)
    return serialise(root)
