"""The redline's paragraph numbers (6.1, 6.2...) made by Word's numbering, not written as text.

The Word report writes each number as text. In a redline that would be wrong twice over:
a paragraph added or removed renumbers those after it, so rejecting the change in Word
would leave 6.1, 6.3; and the renumbering would have to be tracked as a change nobody
made. So each numbered section gets a numbering definition of its own in numbering.xml
("6.%1", counting from 1, the number followed by a space as the report prints it) and its
numbered paragraphs a w:numPr that uses it: Word counts them, and counts again when a
change is accepted or rejected. A paragraph added or removed as a whole is numbered too,
and its number goes with it.

Before pandoc writes the document, each number becomes a run in the character style
NUMBER_STYLE (outside any tracked change); after, that run is taken out and its
paragraph numbered instead.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from sarflow.docx.numbering import NUMBER_CLASS
from sarflow.word.ooxml import NS, element, parse, rewrite, serialise, w

NUMBER_STYLE = "Paragraph Number"
_STYLE_ID = NUMBER_STYLE.replace(" ", "")  # the style id pandoc gives a custom style's name
NUMBERING = "word/numbering.xml"
# The paragraph properties that come before w:numPr in Word's schema (CT_PPrBase), in order.
_BEFORE_NUMBERING = {w(n) for n in ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl")}


def _number_span(node: Any) -> bool:
    return isinstance(node, dict) and node.get("t") == "Span" and NUMBER_CLASS in node["c"][0][1]


def _marked(label: str) -> dict[str, Any]:
    return {"t": "Span", "c": [["", [], [["custom-style", NUMBER_STYLE]]], [{"t": "Str", "c": label}]]}


def _numbered(inlines: list[Any]) -> str | None:
    if inlines[:1] and _number_span(inlines[0]) and inlines[1:2] == [{"t": "Space"}]:
        return "".join(str(i["c"]) for i in inlines[0]["c"][1] if i.get("t") == "Str")
    return None


def mark_numbers(blocks: list[Any]) -> list[str]:
    """Each paragraph number in `blocks` (pandoc's JSON, as merged) made a NUMBER_STYLE run at the
    start of its paragraph, out of the change span a whole paragraph added or removed is in;
    returns the numbered sections ("6", "7"...) in order."""
    sections: dict[str, None] = {}

    def visit(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                visit(item)
        elif isinstance(node, dict):
            if node.get("t") == "Para":
                inlines = node["c"]
                whole = inlines[0]["c"][1] if len(inlines) == 1 and inlines[0].get("t") == "Span" else None
                for held in (inlines, whole):
                    if held is not None and (label := _numbered(held)):
                        del held[:2]
                        node["c"] = [_marked(label), *node["c"]]
                        sections[label.rpartition(".")[0]] = None
                        break
                return
            visit(node.get("c"))

    visit(blocks)
    return list(sections)


def word_numbering(docx: bytes, sections: list[str]) -> bytes:
    """The document with each NUMBER_STYLE run replaced by Word's numbering of its paragraph."""
    if not sections:
        return docx
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        numbering = parse(package.read(NUMBERING))
    taken = [int(v) for v in numbering.xpath("//@w:abstractNumId | //@w:numId", namespaces=NS) if v.isdigit()]
    first = max(taken, default=0) + 1
    ids = {section: str(first + n) for n, section in enumerate(sections)}
    abstracts = numbering.findall("w:abstractNum", NS)
    at = numbering.index(abstracts[-1]) + 1 if abstracts else 0
    for n, (section, ident) in enumerate(ids.items()):
        numbering.insert(at + n, _definition(ident, section))
        numbering.append(element("num", {"numId": ident}, element("abstractNumId", {"val": ident})))

    def number(data: bytes) -> bytes:
        root = parse(data)
        for run in root.xpath(f"//w:r[w:rPr/w:rStyle/@w:val='{_STYLE_ID}']", namespaces=NS):
            paragraph = next(run.iterancestors(w("p")))
            label = "".join(run.xpath(".//w:t/text()", namespaces=NS))
            run.getparent().remove(run)
            properties = paragraph.find("w:pPr", NS)
            if properties is None:
                properties = element("pPr")
                paragraph.insert(0, properties)
            before = [c for c in properties if c.tag in _BEFORE_NUMBERING]
            place = properties.index(before[-1]) + 1 if before else 0
            ident = ids[label.rpartition(".")[0]]
            properties.insert(place, element("numPr", {}, element("ilvl", {"val": "0"}), element("numId", {"val": ident})))
        return serialise(root)

    return rewrite(docx, {NUMBERING: lambda _: serialise(numbering), "word/document.xml": number})


def _definition(ident: str, section: str) -> Any:
    """One section's numbering: "6.1 ", "6.2 "..., as the report writes them, at no indent."""
    level = element(
        "lvl", {"ilvl": "0"},
        element("start", {"val": "1"}), element("numFmt", {"val": "decimal"}), element("suff", {"val": "space"}),
        element("lvlText", {"val": f"{section}.%1"}), element("lvlJc", {"val": "left"}),
        element("pPr", {}, element("ind", {"left": "0", "hanging": "0"})),
    )
    return element("abstractNum", {"abstractNumId": ident}, element("multiLevelType", {"val": "singleLevel"}), level)
