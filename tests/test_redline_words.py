"""`sarflow redline` marks the words that changed inside text sarflow writes from a YAML value (a
chronology or action plan cell), not the whole line: such a line is one Str of several words in the
report's tree (`sarflow.word.nodes.text`), and the comparison splits it into its words."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from sarflow.changes.tracked import DELETION, INSERTION, Marker, merge_inlines
from sarflow.word.nodes import text

MARKER = Marker("A panel member", "2026-12-02T00:00:00Z")


def _marked(inlines: list[Any], kind: str) -> list[str]:
    """The words inside the spans of one kind, in order."""
    found = []
    for node in inlines:
        if node["t"] == "Span" and kind in node["c"][0][1]:
            found += [i["c"] for i in node["c"][1] if i["t"] == "Str"]
    return found


def _kept(inlines: list[Any]) -> str:
    """What is left when every change is accepted, as plain text."""
    words = []
    for node in inlines:
        if node["t"] == "Span" and DELETION in node["c"][0][1]:
            continue
        for inline in node["c"][1] if node["t"] == "Span" else [node]:
            words.append(inline["c"] if inline["t"] == "Str" else " ")
    return "".join(words)


def test_one_word_changed_in_a_cell_marks_that_word_only() -> None:
    merged = merge_inlines(text("Visited at home by the district nurse"), text("Phoned at home by the district nurse"), MARKER)
    assert _marked(merged, DELETION) == ["Visited"]
    assert _marked(merged, INSERTION) == ["Phoned"]
    assert _kept(merged) == "Phoned at home by the district nurse"


words = st.lists(st.sampled_from(["nurse", "GP", "visited", "phoned", "home", "on", "Monday", "12/03/2024"]), min_size=1, max_size=8)


@given(words, words)
def test_accepting_every_change_gives_the_new_cell(old: list[str], new: list[str]) -> None:
    merged = merge_inlines(text(" ".join(old)), text(" ".join(new)), MARKER)
    assert _kept(merged) == " ".join(new)
    assert all(" " not in word for kind in (DELETION, INSERTION) for word in _marked(merged, kind))
