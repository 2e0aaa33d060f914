"""The reference.docx that styles every IMR report, generated in code from pandoc's own.

Starting from `pandoc --print-default-data-file reference.docx`, it sets A4 pages and
UK English (for the text and the theme's fonts); Word's built-in heading styles (so the navigation pane and a table of
contents work); a bordered table style whose header row is shaded (the header row
repeats on every page: see `sarflow.word.finish`); the template's marking ("Strictly
Confidential") in every page header; and in every footer the template id, a
placeholder for the version and "Page X of Y" as real PAGE and NUMPAGES fields.

Nothing here is a hand-edited binary: the file is rebuilt whenever this module, the
template or pandoc changes, into a cache under the build folder. To look at it:
`python -m sarflow.word.reference reference.docx`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from lxml import etree

from sarflow.outputs import atomic_write
from sarflow.template import Template
from sarflow.word import pandoc
from sarflow.word.ooxml import CONTENT_TYPES, PACKAGE_RELATIONSHIPS, R, W, element, parse, rewrite, serialise, w

VERSION_PLACEHOLDER = "SARFLOW-VERSION"
# The paragraph style of the notice on the first page of a report built from files with errors.
ERRORS_STYLE = "Errors notice"
ERRORS_RED = "9C0006"
# Beside the marking in the header: DRAFT or SUBMITTED, or nothing (see `sarflow.docx.control`).
STATUS_PLACEHOLDER = "SARFLOW-STATUS"
HEADER_PART, FOOTER_PART = "word/header1.xml", "word/footer1.xml"
HEADER_ID, FOOTER_ID = "rIdSarflowHeader", "rIdSarflowFooter"
FONT = "Arial"
LANGUAGE = "en-GB"
# A4 in twentieths of a point, with 2.54 cm margins.
PAGE_WIDTH, PAGE_HEIGHT, MARGIN = 11906, 16838, 1440
# Style id -> (size in half-points, bold, italic) for the styles whose look we set: black
# throughout, and every heading set apart from the body text (11 point) by size or weight.
_TEXT_STYLES = {"Title": (44, True, False), "Subtitle": (32, False, False), "Heading1": (28, True, False),
                "Heading2": (24, True, False), "Heading3": (22, True, False), "Heading4": (22, True, True),
                "Heading5": (22, False, True), "Heading6": (22, False, True)}
# Space above and below (twentieths of a point): the title page's title sits a quarter of
# the way down, the agency's name under it, and the details below with room to breathe.
_SPACING = {"Title": {"before": "3600", "after": "240"}, "Subtitle": {"before": "0", "after": "1200"}}
# The plain styles that take the place of pandoc's own (see `sarflow.word.finish`): body text
# in Normal with space between paragraphs, and table cells and list items in "No Spacing".
NORMAL_SPACING = {"before": "120", "after": "120"}
# Word's own styles for the contents' entries, by level: (style id, name, indent in twips).
_CONTENTS_STYLES = (("TOC1", "toc 1", 0),)
# What follows w:spacing inside w:pPr, in the schema's order.
_AFTER_SPACING = ("ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
                  "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")


def cached_reference(template: Template, cache: Path, marking: str | None = None) -> Path:
    """The reference document for `template`, generated once into `cache`; `marking` in the page header
    instead of the template's (a board's published report is not "Strictly Confidential")."""
    shown = template.marking if marking is None else marking
    key = hashlib.sha256(
        json.dumps([pandoc.version(), template.id, shown, Path(__file__).read_text("utf-8")]).encode()
    ).hexdigest()[:16]
    path = cache / f"reference-{key}.docx"
    if not path.is_file():
        data = reference_docx(shown, template.id)
        atomic_write(path, data)
    return path


def reference_docx(marking: str, template_id: str) -> bytes:
    """pandoc's reference.docx restyled, with our header and footer; the same bytes every time."""
    return rewrite(
        pandoc.default_reference(),
        {
            "word/styles.xml": _styles,
            "word/settings.xml": _settings,
            "word/document.xml": _document,
            "word/_rels/document.xml.rels": _relationships,
            "[Content_Types].xml": _content_types,
        },
        {HEADER_PART: _header(marking), FOOTER_PART: _footer(template_id)},
    )


def _styles(data: bytes) -> bytes:
    root = parse(data)
    defaults = root.find("w:docDefaults/w:rPrDefault/w:rPr", {"w": W})
    defaults[:] = [_fonts(), element("sz", {"val": "22"}), element("szCs", {"val": "22"}), element("lang", {"val": LANGUAGE})]
    _keep_lines_together(root)
    normal = root.find("w:style[@w:styleId='Normal']", {"w": W})
    normal.append(element("pPr", None, element("spacing", dict(NORMAL_SPACING))))
    root.append(_paragraph_style("NoSpacing", "No Spacing", element("spacing", {"before": "36", "after": "36"})))
    for style_id, name, indent in _CONTENTS_STYLES:
        root.append(_paragraph_style(style_id, name, element("spacing", {"before": "0", "after": "60"}), element("ind", {"left": str(indent)})))
    for style_id, (size, bold, italic) in _TEXT_STYLES.items():
        style = root.find(f"w:style[@w:styleId='{style_id}']", {"w": W})
        if style is not None:
            _replace(style, "rPr", _run_properties(size, bold, italic))
            if style_id in _SPACING:
                _space(style, _SPACING[style_id])
    table = root.find("w:style[@w:styleId='Table']", {"w": W})
    table.getparent().replace(table, _table_style())
    for style_id, name in (("Header", "header"), ("Footer", "footer")):
        if root.find(f"w:style[@w:styleId='{style_id}']", {"w": W}) is None:
            root.append(_page_margin_style(style_id, name))
    root.append(_errors_notice_style())
    return serialise(root)


def _keep_lines_together(root: etree._Element) -> None:
    """Widow and orphan control for every paragraph: no line left alone at the foot or head of a page."""
    defaults = root.find("w:docDefaults", {"w": W})
    paragraph = defaults.find("w:pPrDefault", {"w": W})
    if paragraph is None:
        paragraph = element("pPrDefault")
        defaults.append(paragraph)
    properties = paragraph.find("w:pPr", {"w": W})
    if properties is None:
        properties = element("pPr")
        paragraph.append(properties)
    if properties.find("w:widowControl", {"w": W}) is None:
        properties.insert(0, element("widowControl"))


def _paragraph_style(style_id: str, name: str, *properties: etree._Element) -> etree._Element:
    """A paragraph style based on Normal, shown in Word's style list under `name`."""
    return element("style", {"type": "paragraph", "styleId": style_id},
                   element("name", {"val": name}),
                   element("basedOn", {"val": "Normal"}),
                   element("uiPriority", {"val": "39" if style_id.startswith("TOC") else "1"}),
                   element("qFormat"),
                   element("pPr", None, *properties))


def _settings(data: bytes) -> bytes:
    """UK English as the language of the theme's fonts too (pandoc's is US English)."""
    root = parse(data)
    for node in root.iter(w("themeFontLang")):
        node.set(w("val"), LANGUAGE)
    return serialise(root)


def _fonts() -> etree._Element:
    return element("rFonts", {"ascii": FONT, "hAnsi": FONT, "eastAsia": FONT, "cs": FONT})


def _run_properties(size: int, bold: bool, italic: bool) -> etree._Element:
    """Black text in our font (schema order: rFonts, b, bCs, i, iCs, color, sz, szCs); a
    style not bold or italic says so, as the style it is based on may be."""
    parts = [_fonts(), element("b", {"val": "1" if bold else "0"}), element("bCs", {"val": "1" if bold else "0"}),
             element("i", {"val": "1" if italic else "0"}), element("iCs", {"val": "1" if italic else "0"}),
             element("color", {"val": "000000"}), element("sz", {"val": str(size)}), element("szCs", {"val": str(size)})]
    return element("rPr", None, *parts)


def _space(style: etree._Element, spacing: dict[str, str]) -> None:
    """Set a paragraph style's space above and below, keeping the rest of its spacing."""
    properties = style.find("w:pPr", {"w": W})
    if properties is None:
        properties = element("pPr")
        style.find("w:rPr", {"w": W}).addprevious(properties)
    node = properties.find("w:spacing", {"w": W})
    if node is None:
        node = element("spacing")
        later = [c for c in properties if etree.QName(c).localname in _AFTER_SPACING]
        (later[0].addprevious(node) if later else properties.append(node))
    for key, value in spacing.items():
        node.set(w(key), value)


def _replace(style: etree._Element, name: str, new: etree._Element) -> None:
    old = style.find(f"w:{name}", {"w": W})
    if old is not None:
        style.replace(old, new)
    else:
        style.append(new)


def _table_style() -> etree._Element:
    """pandoc's default table style "Table", with borders, and the header row bold on grey."""
    borders = element("tblBorders", None, *(
        element(side, {"val": "single", "sz": "4", "space": "0", "color": "000000"})
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    ))
    margins = element("tblCellMar", None, *(
        element(side, {"w": str(size), "type": "dxa"}) for side, size in (("top", 57), ("left", 85), ("bottom", 57), ("right", 85))
    ))
    style = element("style", {"type": "table", "default": "1", "styleId": "Table"},
                    element("name", {"val": "Table"}),
                    element("basedOn", {"val": "TableNormal"}),
                    element("uiPriority", {"val": "59"}),
                    element("qFormat"),
                    element("rPr", None, element("sz", {"val": "20"}), element("szCs", {"val": "20"})),
                    element("tblPr", None, element("tblInd", {"w": "0", "type": "dxa"}), borders, margins),
                    element("tblStylePr", {"type": "firstRow"},
                            element("rPr", None, element("b"), element("bCs")),
                            element("tcPr", None, element("shd", {"val": "clear", "color": "auto", "fill": "D9D9D9"}))))
    return style


def _errors_notice_style() -> etree._Element:
    """The notice on the first page of a report built from files with errors: dark red, bold,
    in a red box on a pale red ground (7:1 contrast), so that no reader can miss it."""
    box = element("pBdr", None, *(
        element(side, {"val": "single", "sz": "18", "space": "4", "color": ERRORS_RED}) for side in ("top", "left", "bottom", "right")
    ))
    return element("style", {"type": "paragraph", "customStyle": "1", "styleId": "ErrorsNotice"},
                   element("name", {"val": ERRORS_STYLE}),
                   element("basedOn", {"val": "Normal"}),
                   element("qFormat"),
                   element("pPr", None, box, element("shd", {"val": "clear", "color": "auto", "fill": "FDECEC"}),
                           element("spacing", {"before": "0", "after": "120"})),
                   element("rPr", None, element("b"), element("bCs"), element("color", {"val": ERRORS_RED})))


def _page_margin_style(style_id: str, name: str) -> etree._Element:
    return element("style", {"type": "paragraph", "styleId": style_id},
                   element("name", {"val": name}),
                   element("basedOn", {"val": "Normal"}),
                   element("uiPriority", {"val": "99"}),
                   element("unhideWhenUsed"),
                   element("pPr", None, element("spacing", {"after": "0"}), element("jc", {"val": "center"})),
                   element("rPr", None, element("sz", {"val": "18"}), element("szCs", {"val": "18"})))


def _document(data: bytes) -> bytes:
    """The body's page settings: A4 portrait, our header and footer on every page."""
    root = parse(data)
    body = root.find("w:body", {"w": W})
    old = body.find("w:sectPr", {"w": W})
    footnotes = old.find("w:footnotePr", {"w": W}) if old is not None else None
    section = element("sectPr", None,
                      _reference("headerReference", HEADER_ID),
                      _reference("footerReference", FOOTER_ID),
                      *([footnotes] if footnotes is not None else []),
                      element("pgSz", {"w": str(PAGE_WIDTH), "h": str(PAGE_HEIGHT)}),
                      element("pgMar", {"top": str(MARGIN), "right": str(MARGIN), "bottom": str(MARGIN),
                                        "left": str(MARGIN), "header": "708", "footer": "708", "gutter": "0"}))
    if old is not None:
        body.replace(old, section)
    else:
        body.append(section)
    return serialise(root)


def _reference(name: str, relationship: str) -> etree._Element:
    node = element(name, {"type": "default"})
    node.set(f"{{{R}}}id", relationship)
    return node


def _relationships(data: bytes) -> bytes:
    root = parse(data)
    base = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    for ident, kind, target in ((HEADER_ID, "header", "header1.xml"), (FOOTER_ID, "footer", "footer1.xml")):
        etree.SubElement(root, f"{{{PACKAGE_RELATIONSHIPS}}}Relationship", Id=ident, Type=base + kind, Target=target)
    return serialise(root)


def _content_types(data: bytes) -> bytes:
    root = parse(data)
    kind = "application/vnd.openxmlformats-officedocument.wordprocessingml.{}+xml"
    for part, name in ((HEADER_PART, "header"), (FOOTER_PART, "footer")):
        etree.SubElement(root, f"{{{CONTENT_TYPES}}}Override", PartName=f"/{part}", ContentType=kind.format(name))
    return serialise(root)


def _header(marking: str) -> bytes:
    return _page_margin_part("hdr", "Header", [_run(marking, bold=True), _run(STATUS_PLACEHOLDER, bold=True)])


def _footer(template_id: str) -> bytes:
    runs = [
        _run(f"{template_id} | Version: "),
        _run(VERSION_PLACEHOLDER),
        _run(" | Page "),
        *_field("PAGE"),
        _run(" of "),
        *_field("NUMPAGES"),
    ]
    return _page_margin_part("ftr", "Footer", runs)


def _page_margin_part(kind: str, style: str, runs: Sequence[etree._Element]) -> bytes:
    root = etree.Element(w(kind), nsmap={"w": W, "r": R})
    root.append(element("p", None, element("pPr", None, element("pStyle", {"val": style})), *runs))
    return serialise(root)


def _run(value: str, bold: bool = False) -> etree._Element:
    t = element("t")
    t.text = value
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return element("r", None, *([element("rPr", None, element("b"))] if bold else []), t)


def _field(instruction: str) -> list[etree._Element]:
    """A real Word field (PAGE, NUMPAGES) that Word and LibreOffice update as they lay out pages."""
    code = element("instrText")
    code.text = f" {instruction} "
    code.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    shown = element("t")
    shown.text = "1"
    return [
        element("r", None, element("fldChar", {"fldCharType": "begin"})),
        element("r", None, code),
        element("r", None, element("fldChar", {"fldCharType": "separate"})),
        element("r", None, shown),
        element("r", None, element("fldChar", {"fldCharType": "end"})),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Write the reference document for the repository's template, to look at in Word."""
    from sarflow.commands import repository_root
    from sarflow.load import load

    parser = argparse.ArgumentParser(prog="python -m sarflow.word.reference", description=main.__doc__)
    parser.add_argument("output", type=Path)
    parser.add_argument("--root", type=Path, default=None)
    args = parser.parse_args(argv)
    template = load(repository_root(args)).template
    atomic_write(args.output, reference_docx(template.marking, template.id))
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
