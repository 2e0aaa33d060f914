"""The loader builds values from the parser's events in one pass; here it is held to PyYAML's composer.

For random documents laid out in every way PyYAML writes them (block and flow, quotes of
each kind, long lines folded, `---` and comments around the data), every key and value
the loader keeps must sit where PyYAML's composed nodes say it was written, every scalar
must keep its written text and its YAML 1.2 type, and the data must be what PyYAML
constructs from those nodes with sarflow's loader. The reference is walked plainly, one node at a time.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sarflow.findings import Severity, Span
from sarflow.load.yamlfile import KeyPath, parse_yaml
from sarflow.yamlloader import LOADER

SHOWN = "reviews/x/police/chronology.yml"
TEXT = st.text(alphabet=st.sampled_from("abcXYZ019 :#-'\"{}[],&*!|>%@`?\n\t.é–"), max_size=30)
KEY = st.text(alphabet=st.sampled_from("abnoyestrufl_019:- "), min_size=1, max_size=12).filter(lambda k: k != "<<")
SCALAR = st.one_of(
    TEXT,
    st.sampled_from(["no", "yes", "on", "off", "true", "False", "14:30", "010", "0x1F", "1_000", "~", "null", "2025-02-28"]),
    st.integers(-(10**12), 10**12),
    st.booleans(),
    st.none(),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
    st.floats(allow_nan=False, width=32),
)
DATA = st.recursive(SCALAR, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEY, inner, max_size=4), max_leaves=25)


def reference(node: yaml.Node, path: KeyPath, found: dict[str, dict[KeyPath, Any]]) -> None:
    """Where each key and value of `node` was written, and each scalar as written, from PyYAML's nodes."""
    found["spans"][path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            found["key_spans"][(*path, key.value)] = (key.start_mark.line + 1, key.start_mark.column + 1)
            reference(value, (*path, key.value), found)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            reference(item, (*path, i), found)
    else:
        found["scalars"][path] = (node.value, node.tag, node.style in ("'", '"', "|", ">"))


def constructed(node: yaml.Node) -> Any:
    """The value of `node` as PyYAML constructs it with sarflow's loader, with the loader's two rules: a value in
    quotes is text whatever type is written before it (`!!null "null"`), and a date written with a time of
    midnight is a date."""
    if isinstance(node, yaml.MappingNode):
        return {key.value: constructed(value) for key, value in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [constructed(item) for item in node.value]
    if node.style in ("'", '"', "|", ">"):
        return node.value
    value = LOADER("").construct_object(node, deep=True)
    if isinstance(value, dt.datetime) and value.time() == dt.time() and value.tzinfo is None:
        return value.date()
    return value


def spread(text: str, where: list[int]) -> str:
    """`text` with a comment and a blank line put before some of its top-level lines, as authors write them."""
    lines = text.split("\n")
    for at in sorted({w % len(lines) for w in where}, reverse=True):
        if lines[at][:1] not in ("", " ", "\t", "-", "'", '"'):
            lines[at:at] = ["# a note between entries", ""]
    return "# yaml-language-server: $schema=../chronology.schema.json\n" + "\n".join(lines) + "\n# the end\n"


@settings(max_examples=250, deadline=None)
@given(
    data=DATA,
    flow=st.sampled_from([False, True, None]),
    style=st.sampled_from([None, None, '"', "'"]),
    indent=st.integers(2, 6),
    width=st.integers(20, 120),
    start=st.booleans(),
    notes=st.lists(st.integers(0, 200), max_size=4),
)
def test_every_position_and_value_agrees_with_pyyamls_composer(
    data: Any, flow: bool | None, style: str | None, indent: int, width: int, start: bool, notes: list[int]
) -> None:
    text = yaml.dump(data, default_flow_style=flow, default_style=style, indent=indent, width=width, explicit_start=start,
                     allow_unicode=True, sort_keys=False)
    if notes and isinstance(data, dict) and data and flow is False:
        spread_text = spread(text, notes)
        if yaml.load(spread_text, Loader=LOADER) == yaml.load(text, Loader=LOADER):
            text = spread_text
    node = yaml.compose(text, Loader=LOADER)
    assume(node is not None)
    found: dict[str, dict[KeyPath, Any]] = {"spans": {}, "key_spans": {}, "scalars": {}}
    reference(node, (), found)

    doc = parse_yaml(text, SHOWN)

    assert [str(f) for f in doc.findings if f.severity is Severity.ERROR] == []
    assert doc.spans == {path: Span(SHOWN, *at) for path, at in found["spans"].items()}
    assert doc.key_spans == {path: Span(SHOWN, *at) for path, at in found["key_spans"].items()}
    assert {path: (s.text, s.tag, s.quoted) for path, s in doc.scalars.items()} == found["scalars"]
    assert doc.data == constructed(node)


@settings(max_examples=100, deadline=None)
@given(data=st.dictionaries(KEY, DATA, min_size=1, max_size=4), twice=st.integers(0, 3))
def test_a_key_written_twice_keeps_the_first_and_points_at_the_second(data: dict[str, Any], twice: int) -> None:
    keys = list(data)
    again = keys[twice % len(keys)]
    text = yaml.dump(data, default_flow_style=False, sort_keys=False) + yaml.dump({again: "again"}, default_flow_style=False)
    node = yaml.compose(text, Loader=LOADER)
    assert isinstance(node, yaml.MappingNode)
    first, second = [key for key, _ in node.value if key.value == again]

    doc = parse_yaml(text, SHOWN)

    duplicates = [f for f in doc.findings if f.code == "duplicate-key"]
    assert [(f.span.line, f.span.col) for f in duplicates] == [(second.start_mark.line + 1, 1)]
    assert duplicates[0].message == f"`{again}` appears twice here; the first is on line {first.start_mark.line + 1}"
    assert doc.key_spans[(again,)] == Span(SHOWN, first.start_mark.line + 1, 1)
    assert doc.data == constructed(yaml.compose(yaml.dump(data, sort_keys=False), Loader=LOADER))


def test_data_nested_too_deeply_is_refused_where_it_goes_too_deep() -> None:
    text = "entries:\n  - " + "[" * 45 + "x" + "]" * 45 + "\n"
    doc = parse_yaml(text, SHOWN)
    assert [(f.code, f.span.line, f.span.col) for f in doc.findings] == [("too-deep", 2, 5 + 39)]
    assert doc.data is None


def cut_short(text: str) -> set[tuple[int, int]]:
    """Where a `#` cuts an unquoted value short, found plainly: every unquoted value of PyYAML's nodes (not keys),
    followed on its line by spaces and a `#` that is not written as a note (a space after it, and after a value
    two or more spaces or a tab before it)."""
    found = set()
    stack = [yaml.compose(text, Loader=LOADER)]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            stack.extend(value for _, value in node.value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif node is not None and not node.style:
            after = re.match(r"([ \t]+)#([^\n]*)", text[node.end_mark.index :])
            if after and after.group(2).strip():
                gap, rest = after.groups()
                if not (rest[:1] in (" ", "\t") and (not node.value or len(gap) >= 2 or "\t" in gap)):
                    found.add((node.end_mark.line + 1, node.end_mark.column + len(gap) + 1))
    return found


@settings(max_examples=200, deadline=None)
@given(
    data=st.dictionaries(KEY, DATA, min_size=1, max_size=5),
    flow=st.sampled_from([False, True, None]),
    hashes=st.lists(st.tuples(st.integers(0, 60), st.sampled_from([" #2", "  # a note", "\t#x", " # y", "  #z", " #"])), max_size=5),
)
def test_a_hash_after_an_unquoted_value_is_found_wherever_it_is_written(
    data: dict[str, Any], flow: bool | None, hashes: list[tuple[int, str]]
) -> None:
    lines = yaml.dump(data, default_flow_style=flow, sort_keys=False, width=40).split("\n")
    for at, written in hashes:
        lines[at % len(lines)] += written
    text = "\n".join(lines)
    try:
        expected = cut_short(text)
    except yaml.YAMLError:
        assume(False)

    doc = parse_yaml(text, SHOWN)

    assert {(f.span.line, f.span.col) for f in doc.findings if f.code == "comment-in-value"} == expected


def keys_read_as_text(text: str) -> set[tuple[int, int, str]]:
    """Where a `key:` line is read as words of the `>-` or `|` text above it, found plainly from PyYAML's nodes: a
    line of the text that starts with a key written elsewhere in the file but not in that mapping, indented further
    than the text's own key (with the key that owns the text)."""
    mappings, stack = [], [yaml.compose(text, Loader=LOADER)]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            mappings.append(node)
            stack.extend(reversed([value for _, value in node.value]))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
    keys = {key.value for mapping in mappings for key, _ in mapping.value}
    lines = text.split("\n")
    found = set()
    for mapping in mappings:
        own = {key.value for key, _ in mapping.value}
        for key, value in mapping.value:
            if isinstance(value, yaml.ScalarNode) and value.style in ("|", ">"):
                for index in range(value.start_mark.line + 1, min(value.end_mark.line + 1, len(lines))):
                    match = re.match(r"^( *)([a-z_][a-z0-9_]*):(?: |$)", lines[index])
                    if match and match.group(2) in keys - own and len(match.group(1)) > key.start_mark.column:
                        found.add((index + 1, len(match.group(1)) + 1, key.value))
    return found


ENTRY_KEYS = ["date", "source", "event", "action", "outcome", "by"]
TEXT_LINE = st.one_of(
    st.sampled_from(["Seen at home.", "Visit: planned", "", "no answer"]),
    st.tuples(st.integers(4, 9), st.sampled_from([*ENTRY_KEYS, "status", "note"]), st.sampled_from([" Police told", ""])).map(
        lambda t: " " * t[0] + f"{t[1]}:{t[2]}"),
)


@settings(max_examples=200, deadline=None)
@given(entries=st.lists(st.tuples(st.sampled_from(ENTRY_KEYS), st.sampled_from([">-", "|", ">"]), st.lists(TEXT_LINE, min_size=1, max_size=4)),
                        min_size=1, max_size=4),
       tail=st.booleans())
def test_a_key_read_as_words_of_the_text_above_it_is_found_wherever_it_is_written(
    entries: list[tuple[str, str, list[str]]], tail: bool
) -> None:
    lines = ["entries:"]
    for key, indicator, text in entries:
        lines += ["  - date: 2024-05-02", f"    {key}: {indicator}"]
        lines += [line if line[:1] == " " else f"      {line}".rstrip() for line in text]
        lines += ["    by: PC1"] if tail and key != "by" else []
    text = "\n".join(lines) + "\n"
    try:
        expected = keys_read_as_text(text)
    except yaml.YAMLError:
        assume(False)

    doc = parse_yaml(text, SHOWN)

    owners = [(f.span.line, f.span.col, re.search(r"the text of `(\w+)` above it", f.message)) for f in doc.findings if f.code == "key-in-text"]
    assert {(line, col, owner.group(1) if owner else None) for line, col, owner in owners} == expected
