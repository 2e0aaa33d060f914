"""Two versions of a pandoc document merged into one with tracked changes.

Blocks are matched first (paragraphs, headings, list items, table rows), then the
words of the blocks that differ, and what was removed or added is wrapped in pandoc's
`deletion` and `insertion` spans, which its Word writer turns into `w:del` and
`w:ins`: a panel member who reviews in Word sees the change as if a colleague had
made it with Track Changes on. Blocks with no words of their own (page and section
breaks) are kept from the new version only. The Word report numbers its paragraphs
(6.1, 6.2...) in a span of their own; a paragraph added renumbers the ones after it,
which is not a change the author made, so numbers are left out of the comparison (the
redline then makes them Word's own numbering: `sarflow.changes.numbered`). A figure the
author wrote ("2.5 mg") is text like any other. Spaces and line breaks are alike when words are compared: a reflow is no change.
"""

from __future__ import annotations

import copy
import difflib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sarflow.dates import is_uk, uk_to_iso
from sarflow.docx.numbering import NUMBER_CLASS

Node = dict[str, Any]
INSERTION, DELETION = "insertion", "deletion"
# Inline formatting that is flattened so that a change inside bold text marks only the words changed.
_WRAPPERS = {"Emph", "Strong", "Underline", "Strikeout", "Superscript", "Subscript", "SmallCaps"}
_GAPS = {"Space", "SoftBreak", "LineBreak"}
# Below this likeness two blocks are shown as one removed and one added, not merged word by word.
LIKENESS = 0.4


@dataclass(frozen=True)
class Marker:
    """Who made the changes and when: every span carries them, as Word's reviewer and date."""

    author: str
    date: str

    def span(self, kind: str, inlines: list[Node]) -> Node:
        return {"t": "Span", "c": [["", [kind], [["author", self.author], ["date", self.date]]], inlines]}


def _key(node: Any) -> str:
    return json.dumps(node, sort_keys=True, separators=(",", ":"))


def _numbered(inlines: list[Node]) -> int:
    """How many inlines the paragraph number (its span and a space) takes at the start: 2 or 0."""
    first = inlines[0] if inlines else None
    if first and first["t"] == "Span" and NUMBER_CLASS in first["c"][0][1] and inlines[1:2] == [{"t": "Space"}]:
        return 2
    return 0


def _block_key(block: Node) -> str:
    """A block as compared: a paragraph without its number."""
    if block["t"] == "Para" and (n := _numbered(block["c"])):
        return _key({"t": "Para", "c": block["c"][n:]})
    return _key(block)


def _words(node: Any) -> list[str]:
    found: list[str] = []

    def visit(value: Any) -> None:
        if isinstance(value, dict):
            if value.get("t") == "Str":
                found.extend(value["c"].split(" "))
            else:
                visit(value.get("c"))
        elif isinstance(value, list):
            for item in value:
                visit(item)

    visit(node)
    return found


def _alike(old: Any, new: Any) -> bool:
    return difflib.SequenceMatcher(None, _words(old), _words(new), autojunk=False).ratio() >= LIKENESS


def _same_kind(old: Node, new: Node) -> bool:
    """Blocks that can be merged word by word: the same type, and headings of the same level."""
    def level(block: Node) -> int | None:
        return block["c"][0] if block["t"] == "Header" else None

    return old["t"] == new["t"] and level(old) == level(new)


def _anything(old: Any, new: Any) -> bool:
    return True


def merge_blocks(old: list[Node], new: list[Node], marker: Marker) -> list[Node]:
    """`new` with what changed since `old` shown as tracked changes."""
    return _merge_sequences(
        old, new, marker, _same_kind, _merge_block, lambda b, kind: _mark_block(b, kind, marker), _block_key
    )


def _merge_sequences(
    old: list[Any],
    new: list[Any],
    marker: Marker,
    compatible: Callable[[Any, Any], bool],
    merge: Callable[[Any, Any, Marker], list[Any]],
    mark: Callable[[Any, str], list[Any]],
    key: Callable[[Any], str] = _key,
    edited_if_alone: bool = True,
    order: Callable[[Any], str | None] | None = None,
) -> list[Any]:
    """Match two sequences of blocks, list items or table rows and merge what differs.

    Where one paragraph replaced one other of its kind it was edited, and is merged
    word by word; otherwise only those alike enough are, the rest are removed or added.
    Table rows are records (an action, a chronology entry), merged only when alike; where
    `order` dates them, a row added goes before a row removed that it is dated before, so
    that a corrected chronology keeps its removed entries in date order.
    """
    out: list[Any] = []
    matcher = difflib.SequenceMatcher(None, [key(x) for x in old], [key(x) for x in new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.extend(new[j1:j2])
            continue
        olds, news = old[i1:i2], new[j1:j2]
        one_for_one = edited_if_alone and len(olds) == len(news) == 1

        def mergeable(a: Any, b: Any, one_for_one: bool = one_for_one) -> bool:
            return compatible(a, b) and (one_for_one or _alike(a, b))

        def sooner(new: Any, old: Any, olds: list[Any] = olds) -> bool:
            a, b = (order(new), order(old)) if order else (None, None)
            return a is not None and b is not None and a < b and not any(mergeable(o, new) for o in olds)

        while olds or news:
            if olds and news and mergeable(olds[0], news[0]):
                out.extend(merge(olds.pop(0), news.pop(0), marker))
            elif olds and (not news or not any(mergeable(olds[0], n) for n in news)) and not (news and sooner(news[0], olds[0])):
                out.extend(mark(olds.pop(0), DELETION))
            else:
                out.extend(mark(news.pop(0), INSERTION))
    return out


def _merge_block(old: Node, new: Node, marker: Marker) -> list[Node]:
    kind = new["t"]
    merged = copy.deepcopy(new)
    c: Any = merged.get("c")  # pandoc's JSON: its shape depends on the kind of block
    if kind == "Para" and _numbered(old["c"]) and (n := _numbered(new["c"])):
        merged["c"] = [*new["c"][:n], *merge_inlines(old["c"][n:], new["c"][n:], marker)]
    elif kind in ("Para", "Plain"):
        merged["c"] = merge_inlines(old["c"], new["c"], marker)
    elif kind == "Header":
        c[2] = merge_inlines(old["c"][2], new["c"][2], marker)
    elif kind == "BlockQuote":
        merged["c"] = merge_blocks(old["c"], new["c"], marker)
    elif kind == "Div" and old["c"][0] == new["c"][0]:
        c[1] = merge_blocks(old["c"][1], new["c"][1], marker)
    elif kind == "BulletList":
        merged["c"] = _merge_items(old["c"], new["c"], marker)
    elif kind == "OrderedList":
        c[1] = _merge_items(old["c"][1], new["c"][1], marker)
    elif kind == "Table" and len(old["c"][2]) == len(new["c"][2]):
        _merge_table(old["c"], c, marker)
    else:
        return [*_mark_block(old, DELETION, marker), *_mark_block(new, INSERTION, marker)]
    return [merged]


def _merge_items(old: list[list[Node]], new: list[list[Node]], marker: Marker) -> list[list[Node]]:
    return _merge_sequences(
        old, new, marker, _anything,
        lambda a, b, m: [merge_blocks(a, b, m)],
        lambda item, kind: [_mark_blocks(item, kind, marker)],
    )


def _merge_table(old: list[Any], merged: list[Any], marker: Marker) -> None:
    """Rows matched like paragraphs; a row in both versions is merged cell by cell."""
    merged[3][1] = _merge_rows(old[3][1], merged[3][1], marker)
    for n, body in enumerate(merged[4]):
        previous = old[4][n][3] if n < len(old[4]) else []
        body[3] = _merge_rows(previous, body[3], marker)


def _merge_rows(old: list[Any], new: list[Any], marker: Marker) -> list[Any]:
    def merge_row(a: list[Any], b: list[Any], m: Marker) -> list[Any]:
        if len(a[1]) != len(b[1]):
            return [_mark_row(a, DELETION, m), _mark_row(b, INSERTION, m)]
        row = copy.deepcopy(b)
        for cell, before in zip(row[1], a[1], strict=True):
            cell[4] = merge_blocks(before[4], cell[4], m)
        return [row]

    return _merge_sequences(
        old, new, marker, _anything, merge_row, lambda row, kind: [_mark_row(row, kind, marker)], edited_if_alone=False,
        order=_row_date,
    )


def _row_date(row: list[Any]) -> str | None:
    """The ISO date of a row whose first cell is a date as the report prints it (a chronology entry's)."""
    first = _words(row[1][0][4]) if row[1] else []
    return uk_to_iso(first[0]) if len(first) == 1 and is_uk(first[0]) else None


def _mark_row(row: list[Any], kind: str, marker: Marker) -> list[Any]:
    marked = copy.deepcopy(row)
    for cell in marked[1]:
        cell[4] = _mark_blocks(cell[4], kind, marker)
    return marked


def _mark_blocks(blocks: list[Node], kind: str, marker: Marker) -> list[Node]:
    return [b for block in blocks for b in _mark_block(block, kind, marker)]


def _mark_block(block: Node, kind: str, marker: Marker) -> list[Node]:
    """A whole block removed or added: every word in it wrapped in one span."""
    t = block["t"]
    if t in ("RawBlock", "HorizontalRule"):
        return [block] if kind == INSERTION else []
    marked = copy.deepcopy(block)
    c: Any = marked.get("c")  # pandoc's JSON: its shape depends on the kind of block
    if t in ("Para", "Plain"):
        marked["c"] = [marker.span(kind, c)] if c else c
    elif t == "Header":
        c[2] = [marker.span(kind, c[2])]
    elif t == "LineBlock":
        marked["c"] = [[marker.span(kind, line)] for line in c]
    elif t == "CodeBlock":
        return [{"t": "Para", "c": [marker.span(kind, [{"t": "Code", "c": c}])]}]
    elif t == "BlockQuote":
        marked["c"] = _mark_blocks(c, kind, marker)
    elif t == "Div":
        c[1] = _mark_blocks(c[1], kind, marker)
    elif t == "BulletList":
        marked["c"] = [_mark_blocks(item, kind, marker) for item in c]
    elif t == "OrderedList":
        c[1] = [_mark_blocks(item, kind, marker) for item in c[1]]
    elif t == "DefinitionList":
        marked["c"] = [[[marker.span(kind, term)], [_mark_blocks(d, kind, marker) for d in defs]] for term, defs in c]
    elif t == "Figure":
        c[2] = _mark_blocks(c[2], kind, marker)
    elif t == "Table":
        c[3][1] = [_mark_row(r, kind, marker) for r in c[3][1]]
        for body in c[4]:
            body[2] = [_mark_row(r, kind, marker) for r in body[2]]
            body[3] = [_mark_row(r, kind, marker) for r in body[3]]
        c[5][1] = [_mark_row(r, kind, marker) for r in c[5][1]]
    return [marked]


def _flatten(inlines: list[Node], path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Node]]:
    """Inlines as (formatting, atom) pairs: bold or italic text becomes words marked bold or italic."""
    atoms: list[tuple[tuple[str, ...], Node]] = []
    for node in inlines:
        if node["t"] in _WRAPPERS:
            atoms.extend(_flatten(node["c"], (*path, node["t"])))
        elif node["t"] == "Str" and " " in node["c"]:
            atoms.extend((path, word) for word in _words_of(node["c"]))
        else:
            atoms.append((path, node))
    return atoms


def _words_of(words: str) -> list[Node]:
    """A Str of several words (`sarflow.word.nodes.text` makes one of a line) as a Str for each word
    and a Space between, so that a change to one word of a table cell marks only that word."""
    inlines: list[Node] = []
    for n, word in enumerate(words.split(" ")):
        inlines += [{"t": "Space"}, {"t": "Str", "c": word}] if n else [{"t": "Str", "c": word}]
    return inlines


def _rebuild(atoms: list[tuple[tuple[str, ...], Node]]) -> list[Node]:
    out: list[Node] = []
    n = 0
    while n < len(atoms):
        path, node = atoms[n]
        if not path:
            out.append(node)
            n += 1
            continue
        end = n
        while end < len(atoms) and atoms[end][0][:1] == path[:1]:
            end += 1
        out.append({"t": path[0], "c": _rebuild([(p[1:], a) for p, a in atoms[n:end]])})
        n = end
    return out


def _atom_key(atom: tuple[tuple[str, ...], Node]) -> str:
    """An atom as compared: every space or line break alike, so that text reflowed onto other
    lines (one sentence per line, or a paragraph rewrapped) is not a change (Word shows a soft
    line break of the Markdown as a space)."""
    path, node = atom
    return _key([path, "gap"]) if node["t"] in _GAPS else _key(atom)


def merge_inlines(old: list[Node], new: list[Node], marker: Marker) -> list[Node]:
    """`new` with the words removed since `old` and the words added marked, word by word.

    Spaces alone do not hold a change apart: "a b" rewritten as "x y" shows as one
    deletion and one insertion, not as four alternating pieces.
    """
    before, after = _flatten(old), _flatten(new)
    matcher = difflib.SequenceMatcher(None, [_atom_key(a) for a in before], [_atom_key(a) for a in after], autojunk=False)
    pieces: list[tuple[str, list[Any], list[Any]]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        pieces.append(("equal" if tag == "equal" else "change", before[i1:i2], after[j1:j2]))
    out: list[Node] = []
    removed: list[Any] = []
    added: list[Any] = []

    def flush() -> None:
        if removed:
            out.append(marker.span(DELETION, _rebuild(removed)))
        if added:
            out.append(marker.span(INSERTION, _rebuild(added)))
        removed.clear()
        added.clear()

    for n, (kind, olds, news) in enumerate(pieces):
        gap_only = all(a[1]["t"] in _GAPS for a in news)
        between_changes = n < len(pieces) - 1 and bool(removed or added)
        if kind == "change" or (gap_only and between_changes):
            removed.extend(olds)
            added.extend(news)
            continue
        flush()
        out.extend(_rebuild(news))
    flush()
    return out
