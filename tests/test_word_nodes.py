"""sarflow.word.nodes: `walk` gives every node of a pandoc tree once, parents first, in document
order, and the children a caller puts in place of a node's are the ones walked; `text` makes of
plain text what pandoc's Word writer writes as the words would be written one by one."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sarflow.word import pandoc
from sarflow.word.nodes import BLOCKS, para, text, walk

# Trees in the shape of pandoc's JSON: lists and objects, some of them nodes (with "t"), and leaves.
trees = st.recursive(
    st.none() | st.integers() | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(["t", "c", "other"]), inner, max_size=3),
    max_leaves=40,
)


def in_order(node: Any) -> Iterator[dict[str, Any]]:
    """What a walk means, said the plain way: a node, then everything in its "c" (where pandoc keeps a
    node's children); for a dict that is not a node, everything in each of its values in turn."""
    if isinstance(node, dict):
        if "t" in node:
            yield node
        for value in [node.get("c")] if "t" in node else node.values():
            yield from in_order(value)
    elif isinstance(node, list):
        for item in node:
            yield from in_order(item)


@given(trees)
def test_every_node_once_parents_first_in_document_order(tree: Any) -> None:
    assert [id(node) for node in walk(tree)] == [id(node) for node in in_order(tree)]


def test_children_put_in_place_of_a_nodes_are_walked() -> None:
    raw = {"t": "RawBlock", "c": ["openxml", "<w:p/>"]}
    seen = []
    for node in walk([{"t": "Div", "c": [raw, {"t": "Para", "c": []}]}]):
        seen.append(node["t"])
        if node["t"] == "RawBlock":
            node["t"], node["c"] = "BlockQuote", [{"t": "Str", "c": "<w:p/>"}]
    assert seen == ["Div", "RawBlock", "Str", "Para"]


def _word_by_word(value: str) -> list[dict[str, Any]]:
    """Plain text the way pandoc's own readers give it: a Str for each word and a Space between."""
    inlines: list[dict[str, Any]] = []
    for n, line in enumerate(value.strip().split("\n")):
        if n:
            inlines.append({"t": "LineBreak"})
        for m, word in enumerate(line.split()):
            inlines += [{"t": "Space"}, {"t": "Str", "c": word}] if m else [{"t": "Str", "c": word}]
    return inlines


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("reference") / "reference.docx"
    path.write_bytes(pandoc.default_reference())
    return path


def _document_xml(paragraphs: list[list[dict[str, Any]]], reference: Path) -> bytes:
    document = {"pandoc-api-version": pandoc.api_version(), "meta": {}, "blocks": [para(p) for p in paragraphs]}
    with zipfile.ZipFile(io.BytesIO(pandoc.write_docx(document, reference, reference.parent))) as docx:
        return docx.read("word/document.xml")


# Values as a YAML field may hold them: words, runs of spaces and tabs, Unicode spaces, blank lines.
values = st.lists(st.sampled_from(["a", "Zé", "9", " ", "  ", "\t", "\n", "\u00a0", "\u2003", "-", "<w:p>"]), max_size=30).map("".join)


@settings(max_examples=8, deadline=None)
@given(st.lists(values, min_size=1, max_size=20))
def test_a_line_as_one_str_makes_the_same_word_document_as_a_str_for_each_word(reference: Path, texts: list[str]) -> None:
    """`text` puts a line's words in one Str (a smaller tree); pandoc's Word writer must make of it
    exactly what it makes of the words one by one, spaces and line breaks included."""
    assert _document_xml([text(t) for t in texts], reference) == _document_xml([_word_by_word(t) for t in texts], reference)


def test_a_line_is_one_str_with_single_spaces() -> None:
    assert text("  a  b\tc \n\n d ") == [{"t": "Str", "c": "a b c"}, {"t": "LineBreak"}, {"t": "LineBreak"},
                                        {"t": "Str", "c": "d"}]


def in_blocks(node: Any) -> Iterator[dict[str, Any]]:
    """A walk for blocks, said the plain way: like `in_order`, but looking inside a node only when it
    is of a kind that holds blocks."""
    if isinstance(node, dict):
        if "t" in node:
            yield node
        for value in ([node.get("c")] if node.get("t") in BLOCKS else []) if "t" in node else node.values():
            yield from in_blocks(value)
    elif isinstance(node, list):
        for item in node:
            yield from in_blocks(item)


block_trees = st.recursive(
    st.none() | st.integers() | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=4) | st.fixed_dictionaries(
        {"t": st.sampled_from(["Para", "Div", "Table", "Header", "BlockQuote", "Note", "Str"])}, optional={"c": inner}),
    max_leaves=40,
)


@given(block_trees)
def test_a_walk_for_blocks_looks_only_inside_blocks_that_hold_blocks(tree: Any) -> None:
    assert [id(node) for node in walk(tree, BLOCKS)] == [id(node) for node in in_blocks(tree)]


def test_a_heading_in_a_footnote_is_not_in_the_outline() -> None:
    footnote = {"t": "Note", "c": [{"t": "Header", "c": [1, ["", [], []], text("In a footnote")]}]}
    body = [{"t": "Header", "c": [2, ["", [], []], text("Body")]}, para(text("See"), footnote),
            {"t": "Div", "c": [["", [], []], [{"t": "Header", "c": [4, ["", [], []], text("Deeper")]}]]}]
    assert [n["c"][2] for n in walk(body, BLOCKS) if n["t"] == "Header"] == [text("Body"), text("Deeper")]
