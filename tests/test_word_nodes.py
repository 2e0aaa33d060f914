"""sarflow.word.nodes.walk: every node of a pandoc tree once, parents first, in document order,
and the children a caller puts in place of a node's are the ones walked."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from sarflow.word.nodes import walk

# Trees in the shape of pandoc's JSON: lists and objects, some of them nodes (with "t"), and leaves.
trees = st.recursive(
    st.none() | st.integers() | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(["t", "c", "other"]), inner, max_size=3),
    max_leaves=40,
)


def in_order(node: Any) -> Iterator[dict[str, Any]]:
    """What a walk means, said the plain way: a node, then everything in each of its values in turn."""
    if isinstance(node, dict):
        if "t" in node:
            yield node
        for value in node.values():
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
