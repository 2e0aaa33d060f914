"""The author's Markdown sections, read by pandoc into AST blocks that are safe to embed.

Text is read with raw OpenXML, raw HTML and styles switched off (see
`sarflow.docx.pandoc.AUTHOR_FORMAT`); as a second line of defence anything raw that
still appears becomes literal code text, and every attribute an author could set
(a Word style, an identifier) is dropped. Guidance comments are removed first, as
the author never meant them to be printed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sarflow.docx import pandoc
from sarflow.docx.images import embed_images
from sarflow.docx.nodes import Node, walk
from sarflow.findings import Finding
from sarflow.load.markdown import strip_comments
from sarflow.model import Imr

# Where each kind of node keeps its attributes (identifier, classes, key=value pairs).
_ATTR_INDEX = {"Header": 1, "Div": 0, "Span": 0, "CodeBlock": 0, "Code": 0, "Link": 0, "Image": 0, "Table": 0, "Figure": 0}
_IMAGE_KEYS = ("width", "height")


@dataclass
class AuthorText:
    """The written sections of one IMR as AST blocks, keyed by section id."""

    api_version: list[int]
    sections: dict[str, list[Node]]
    findings: list[Finding]


def read_author_text(imr: Imr) -> AuthorText:
    """Read every written section of `imr` in one pandoc run and make it safe."""
    written = {sid: s for sid, s in imr.sections.items() if s.written}
    api, parsed = pandoc.read_markdown({sid: strip_comments(s.text) for sid, s in written.items()})
    findings: list[Finding] = []
    for section_id, blocks in parsed.items():
        make_literal(blocks)
        findings.extend(embed_images(blocks, written[section_id], imr.folder))
    return AuthorText(api, parsed, findings)


def make_literal(blocks: list[Node]) -> None:
    """Turn anything raw into literal code and drop author-set attributes, in place."""
    for node in walk(blocks):
        kind = node["t"]
        if kind == "RawBlock":
            node["t"], node["c"] = "CodeBlock", [["", [], []], node["c"][1]]
        elif kind == "RawInline":
            node["t"], node["c"] = "Code", [["", [], []], node["c"][1]]
        elif kind in _ATTR_INDEX:
            index = _ATTR_INDEX[kind]
            keep = [kv for kv in node["c"][index][2] if kind == "Image" and kv[0] in _IMAGE_KEYS]
            node["c"][index] = ["", [], keep]
