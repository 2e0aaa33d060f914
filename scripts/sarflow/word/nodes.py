"""Pandoc AST nodes (its JSON form) built from plain values.

Values from the YAML files enter the document only through `text()`, as Str nodes:
pandoc never reads them as Markdown, so a value such as `<w:p>` or `**x**` prints
exactly as the author typed it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

Node = dict[str, Any]


def no_attr() -> list[Any]:
    """An empty identifier, class list and key-value list (a fresh one: nodes may be edited)."""
    return ["", [], []]


def text(value: str) -> list[Node]:
    """Plain text as inlines: each line's words as one Str, a single space between them, and a line
    break for each line break.

    pandoc's Word writer makes one run of the words and spaces of a line either way, so the
    report is the same byte for byte as with a Str for each word and a Space between; but the
    tree is a fraction of the size (the chronology's cells are most of a report), which is what
    the report's Python and pandoc's reading of it cost. What compares documents word by word
    splits a Str at its spaces (`sarflow.changes.tracked`)."""
    inlines: list[Node] = []
    for n, line in enumerate(value.strip().split("\n")):
        if n:
            inlines.append({"t": "LineBreak"})
        if words := " ".join(line.split()):
            inlines.append({"t": "Str", "c": words})
    return inlines


def para(*inlines: Node | list[Node]) -> Node:
    return {"t": "Para", "c": _flat(inlines)}


def plain(*inlines: Node | list[Node]) -> Node:
    return {"t": "Plain", "c": _flat(inlines)}


def strong(value: str) -> Node:
    return {"t": "Strong", "c": text(value)}


def emph(value: str) -> Node:
    return {"t": "Emph", "c": text(value)}


def space() -> Node:
    return {"t": "Space"}


def header(level: int, title: str, ident: str = "") -> Node:
    return {"t": "Header", "c": [level, [ident, [], []], text(title)]}


def styled(style: str, blocks: list[Node]) -> Node:
    """Blocks in one of the reference document's paragraph styles (e.g. Title)."""
    return {"t": "Div", "c": [["", [], [["custom-style", style]]], blocks]}


def bullet_list(items: Sequence[list[Node]]) -> Node:
    return {"t": "BulletList", "c": list(items)}


def ordered_list(items: Sequence[list[Node]]) -> Node:
    return {"t": "OrderedList", "c": [[1, {"t": "Decimal"}, {"t": "Period"}], list(items)]}


def raw_openxml(xml: str) -> Node:
    """Our own OpenXML (page and section breaks); never used for anything an author wrote."""
    return {"t": "RawBlock", "c": ["openxml", xml]}


def page_break() -> Node:
    """What follows starts on a new page."""
    return raw_openxml('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')


def table(
    head: Sequence[str] | None, rows: Sequence[Sequence[str]], widths: Sequence[float], centred: Sequence[int] = ()
) -> Node:
    """A table of plain-text cells; `head` becomes the header row that repeats on every page.
    The columns numbered in `centred` (from 0) have their text centred, e.g. a tick."""
    total = sum(widths)
    colspecs = [
        [{"t": "AlignCenter" if n in centred else "AlignDefault"}, {"t": "ColWidth", "c": w / total}]
        for n, w in enumerate(widths)
    ]
    head_rows = [_row(head)] if head else []
    return {
        "t": "Table",
        "c": [
            no_attr(),
            [None, []],
            colspecs,
            [no_attr(), head_rows],
            [[no_attr(), 0, [], [_row(r) for r in rows]]],
            [no_attr(), []],
        ],
    }


def _row(cells: Sequence[str]) -> list[Any]:
    return [no_attr(), [[no_attr(), {"t": "AlignDefault"}, 1, 1, [plain(text(c))] if c.strip() else []] for c in cells]]


# The blocks that hold blocks (tables and headings among them), where a walk for the blocks
# of the document's body looks (most of a report's nodes are the inlines of its paragraphs).
# A footnote's blocks are inside a paragraph, so not looked at: the outline of headings and
# the orientation of the pages are the body's.
BLOCKS = frozenset({"Div", "BlockQuote", "BulletList", "OrderedList", "DefinitionList", "Figure", "Table"})


def walk(node: Any, inside: frozenset[str] | None = None) -> Iterator[Node]:
    """Every node in a tree of blocks and inlines, parents before children; with `inside`, only
    what is in nodes of those kinds (e.g. BLOCKS, for the tables and headings of a section).

    A node's children are looked at only once the caller has had the node, so a caller may
    replace them (as `sarflow.docx.author` turns raw text into code) and the new ones are
    walked. A node (a dict with "t") holds its children in "c" and nowhere else, as in
    pandoc's JSON; any other dict (a document, its meta) in each of its values. A stack, not
    recursion: each node is handed over once, not up through every level above it."""
    stack = [node]
    pop, push, extend = stack.pop, stack.append, stack.extend
    while stack:
        item = pop()
        if type(item) is dict:
            if "t" in item:
                yield item
                if (type(children := item.get("c")) is list or type(children) is dict) and (
                        inside is None or item["t"] in inside):
                    push(children)
            else:
                extend(reversed(item.values()))
        elif type(item) is list:
            extend(reversed(item))


def stringify(inlines: list[Node]) -> str:
    """The plain text of some inlines, as a heading's first word is matched."""
    out = []
    for node in walk(inlines):
        if node["t"] == "Str":
            out.append(node["c"])
        elif node["t"] in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif node["t"] == "Code":
            out.append(node["c"][1])
    return "".join(out)


def _flat(items: Sequence[Node | list[Node]]) -> list[Node]:
    out: list[Node] = []
    for item in items:
        out.extend(item if isinstance(item, list) else [item])
    return out
