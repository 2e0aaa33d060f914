"""The contents page: a real Word table-of-contents field, already filled in.

pandoc's own contents field is empty until Word refreshes it, and LibreOffice never
does, so a document converted to PDF would print an empty contents page. Here the
field holds one entry per heading of level 1 after it (the template's sections: the
terms-of-reference questions are too long for a one-page list, and the navigation
pane shows them), each a link to its heading, so that it shows in every program as it is opened. Page numbers depend on
the program's layout and cannot be known when the file is written: the field is
marked for update, so Word fills them in when the document is opened (it asks
first), and LibreOffice does under Tools > Update > Update All.
"""

from __future__ import annotations

from lxml import etree

from sarflow.word.nodes import Node, page_break, raw_openxml
from sarflow.word.ooxml import NS, element, w

TITLE = "Contents"
TITLE_STYLE = "TOCHeading"
# The heading styles listed, with their level in the contents.
LEVELS = {"Heading1": 1}
# The paragraph that marks where the contents go (see `page`): the title, in pandoc's
# "TOC Heading" style, which the navigation pane leaves out.
CONTENTS_PLACEHOLDER = f'<w:p><w:pPr><w:pStyle w:val="{TITLE_STYLE}"/></w:pPr><w:r><w:t>{TITLE}</w:t></w:r></w:p>'
BOOKMARK_PREFIX = "_Toc"


def page() -> list[Node]:
    """The contents page, on a page of its own: its title, which `fill_contents` fills with the headings."""
    return [raw_openxml(CONTENTS_PLACEHOLDER), page_break()]


def fill_contents(root: etree._Element) -> None:
    """Replace the contents placeholder (if any) with the filled-in field, in place."""
    body = root.find("w:body", NS)
    title = next((p for p in body.findall("w:p", NS) if _style(p) == TITLE_STYLE), None)
    if title is None:
        return
    headings = [p for p in title.itersiblings(w("p")) if _style(p) in LEVELS and _text(p).strip()]
    if not headings:
        return
    entries = [_entry(p, _bookmark(p, n)) for n, p in enumerate(headings, start=1)]
    field = [_field_start(), *entries, element("p", None, element("r", None, element("fldChar", {"fldCharType": "end"})))]
    gallery = element("docPartObj", None, element("docPartGallery", {"val": "Table of Contents"}), element("docPartUnique"))
    properties = element("sdtPr", None, gallery)
    block = element("sdt", None, properties)
    title.addprevious(block)
    block.append(element("sdtContent", None, title, *field))


def _style(paragraph: etree._Element) -> str | None:
    style = paragraph.find("w:pPr/w:pStyle", NS)
    return style.get(w("val")) if style is not None else None


def _text(paragraph: etree._Element) -> str:
    """A heading's words as shown: deleted text (a redline's w:delText) left out."""
    return "".join(t.text or "" for t in paragraph.iter(w("t")))


def _bookmark(paragraph: etree._Element, number: int) -> str:
    """A bookmark around the heading's text for the entry to link to; its name is new."""
    name = f"{BOOKMARK_PREFIX}{number:08d}"
    ident = str(900000 + number)
    start = element("bookmarkStart", {"id": ident, "name": name})
    properties = paragraph.find("w:pPr", NS)
    (properties.addnext(start) if properties is not None else paragraph.insert(0, start))
    paragraph.append(element("bookmarkEnd", {"id": ident}))
    return name


def _field_start() -> etree._Element:
    """The paragraph that opens the TOC field (the levels listed, entries as links), marked dirty."""
    code = element("instrText")
    code.text = f' TOC \\o "1-{max(LEVELS.values())}" \\h \\z \\u '
    code.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return element(
        "p",
        None,
        element("r", None, element("fldChar", {"fldCharType": "begin", "dirty": "true"})),
        element("r", None, code),
        element("r", None, element("fldChar", {"fldCharType": "separate"})),
    )


def _entry(heading: etree._Element, bookmark: str) -> etree._Element:
    shown = element("t")
    shown.text = " ".join(_text(heading).split())
    shown.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    link = element("hyperlink", {"anchor": bookmark, "history": "1"}, element("r", None, shown))
    level = LEVELS[_style(heading) or "Heading1"]
    return element("p", None, element("pPr", None, element("pStyle", {"val": f"TOC{level}"})), link)
