"""YAML files read into plain data that remembers where every value was written.

PyYAML's parser (libyaml, in C) reads the file into events, each with where it starts
and ends; sarflow builds the values from them itself, in one pass, so that it can keep
the position of every key and value, refuse anchors and aliases (an alias bomb costs
nothing to parse and everything to expand), keep mapping keys as written (`no:` is the
action number, not `False`), note the original text of every plain scalar, so that check
can explain the YAML traps (`true` where text is meant), and gather on the way what the
traps found here need (sarflow.load.comments, sarflow.load.syntax.keys_in_text). Plain
values are read as YAML 1.2 reads them, like the editor (sarflow.yamlloader): `14:30` is
the text 14:30 and `no` the text no. Building from the events rather than from PyYAML's
composed nodes halves the time a board's files take to read: no node is made, and no call
goes back from C to PyYAML's resolver for each value.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from sarflow import yamlloader
from sarflow.findings import Finding, Span, error, warning
from sarflow.load import syntax
from sarflow.load.comments import cut_by_comment
from sarflow.load.text import read_text

KeyPath = tuple[str | int, ...]
MAX_DEPTH = 40
SCHEMA_LINE = re.compile(r"#\s*yaml-language-server:\s*\$schema=(\S+)")


class Scalar(NamedTuple):
    """A scalar as written, with the type YAML gave it (for explaining traps)."""

    text: str
    tag: str
    quoted: bool


@dataclass
class YamlDocument:
    """One YAML file: its data, and where each key and value of it was written."""

    path: str
    data: Any = None
    spans: dict[KeyPath, Span] = field(default_factory=dict)
    key_spans: dict[KeyPath, Span] = field(default_factory=dict)
    scalars: dict[KeyPath, Scalar] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    schema_line: str | None = None
    # The same, by mapping, as a model record keeps them (sarflow.load.fields): for each mapping, where each
    # of its values was written and, of each that is a scalar, the text as written.
    entries: dict[KeyPath, tuple[dict[str, Span], dict[str, str]]] = field(default_factory=dict, repr=False)

    def span(self, *path: str | int) -> Span:
        """Where the value at `path` was written, or the nearest enclosing value."""
        p: KeyPath = tuple(path)
        while p not in self.spans and p:
            p = p[:-1]
        found = self.spans.get(p)
        return Span(self.path) if found is None else found

    def key_span(self, *path: str | int) -> Span:
        """Where the key of the value at `path` was written (for unknown keys)."""
        return self.key_spans.get(tuple(path)) or self.span(*path)


def read_yaml(file: Path, shown: str) -> YamlDocument:
    """Read one YAML file; problems become findings in the document, never exceptions."""
    text, problems = read_text(file, shown)
    if text is None:
        doc = YamlDocument(shown)
        doc.findings.extend(problems)
        return doc
    return parse_yaml(text, shown)


def parse_yaml(text: str, shown: str) -> YamlDocument:
    """The document `text` would be as the file `shown` (for a file not yet written, e.g. by an import)."""
    doc = YamlDocument(shown)
    first = text.split("\n", 1)[0]
    if match := SCHEMA_LINE.match(first):
        doc.schema_line = match.group(1)
    read, mistake = syntax.compose(text, _Builder(shown).read)
    if mistake is not None or read is None:
        if mistake is not None:
            doc.findings.append(error(mistake.code, mistake.message, Span(shown, mistake.line, mistake.col), mistake.hint))
        return doc
    if not read.documents:
        empty = not any(line.strip() for line in text.split("\n"))
        doc.findings.append(
            error(
                "empty-file",
                "the file is empty" if empty else "the file holds only comments and no data",
                Span(shown),
                "copy the same file from another IMR of the review and change it, or, for a new IMR, run "
                "`sarflow new imr REVIEW AGENCY`, which writes every file",
            )
        )
        return doc
    if read.second is not None:
        doc.findings.append(
            error(
                "several-documents",
                "the file holds more than one YAML document (a line with only `---` separates them)",
                _separator(text, read.second, shown),
                "remove the `---` line so that the file is one document",
            )
        )
        return doc
    doc.findings.extend(cut_by_comment(read.plain, text, shown))
    blocks = [(mapping.keys, mapping.blocks) for mapping in read.mappings if mapping.blocks]
    doc.findings.extend(warning(m.code, m.message, Span(shown, m.line, m.col), m.hint) for m in syntax.keys_in_text(blocks, read.keys, text))
    doc.findings.extend(read.findings)
    doc.data = None if read.refused else read.data
    doc.spans, doc.key_spans, doc.scalars, doc.entries = read.spans, read.key_spans, read.scalars, read.entries
    return doc


_STR, _MERGE, _NULL, _TIMESTAMP = yamlloader.STR, yamlloader.MERGE, yamlloader.NULL, yamlloader.TIMESTAMP
# What a value of each type that can fail to be read was to be, in an author's words.
_KINDS = {yamlloader.INT: "a whole number", yamlloader.FLOAT: "a number", yamlloader.BOOL: "true or false"}
_QUOTED = ("'", '"', "|", ">")
_BLOCK = ("|", ">")
# The loader's implicit resolvers by a plain value's first character ("" for an empty value), each list
# followed by those PyYAML tries whatever a value starts with (None's): its resolver's own rule.
_ANY_FIRST = yamlloader.LOADER.yaml_implicit_resolvers.get(None, [])
_RESOLVERS = {first: [*resolvers, *_ANY_FIRST] for first, resolvers in yamlloader.LOADER.yaml_implicit_resolvers.items()}
_MERGE_FIRST = {first for first, resolvers in _RESOLVERS.items() if any(tag == _MERGE for tag, _ in resolvers)}  # `<`


# What sets each field of a Span (a slot of it), as its frozen dataclass's constructor does through object.__setattr__.
_SPAN_FIELDS: tuple[Callable[[Span, Any], None], ...] = tuple(vars(Span)[name].__set__ for name in ("path", "line", "col"))


def _span(path: str, line: int, col: int, new: Callable[[type[Span]], Span] = object.__new__,
          slots: tuple[Callable[[Span, Any], None], ...] = _SPAN_FIELDS) -> Span:
    """`Span(path, line, col)`, made in two thirds of the time: a frozen dataclass's constructor sets each field
    through object.__setattr__, and the loader makes one for every key and value (178,000 at 30 reviews x 8 IMRs),
    so the fields go straight into the new instance's slots, where that constructor puts them."""
    made = new(Span)
    slots[0](made, path)
    slots[1](made, line)
    slots[2](made, col)
    return made


def _plain_tag(value: str) -> str:
    """The type YAML gives a plain value written `value`, as PyYAML's resolver gives it with sarflow's loader."""
    for tag, regexp in _RESOLVERS.get(value[:1], _ANY_FIRST):
        if regexp.match(value):
            return tag
    return _STR


class _Open:
    """A mapping or list being read: where its values go, and what the traps need of it."""

    __slots__ = ("blocks", "data", "key", "key_event", "keys", "lead", "mapping", "path", "spans", "traps", "value_path",
                 "wants_key", "written")

    def __init__(self, data: dict[str, Any] | list[Any] | None, path: KeyPath, mapping: bool, traps: bool) -> None:
        self.data: Any = data  # a dict for a mapping, a list for a list; None when nothing here is kept (see _Builder)
        self.path = path
        self.mapping = mapping
        self.traps = traps  # False inside a key that is itself a mapping or list: the traps read values only
        self.wants_key = mapping  # a mapping's next node is a key, then its value
        self.key = ""  # the key of the value that comes next
        self.value_path: KeyPath | None = None  # ... and that value's path, when the value is kept
        self.key_event: yaml.ScalarEvent | None = None  # ... and the key as written, when it is a scalar
        self.lead = "" if mapping else "- "  # what is written before the value that comes next
        self.keys: set[str] = set()  # for keys_in_text: the keys written here, and those whose value is `|` or `>` text
        self.blocks: list[tuple[yaml.ScalarEvent, yaml.ScalarEvent]] = []
        self.spans: dict[str, Span] = {}  # a mapping kept: where each of its values was written (YamlDocument.entries)
        self.written: dict[str, str] = {}  # ... and the text of each that is a scalar


class _Read:
    """What one pass over a file's events found."""

    def __init__(self) -> None:
        self.documents = 0
        self.second: int | None = None  # the 0-based line where the second document's data starts
        self.data: Any = None
        self.refused = False
        self.findings: list[Finding] = []
        self.spans: dict[KeyPath, Span] = {}
        self.key_spans: dict[KeyPath, Span] = {}
        self.scalars: dict[KeyPath, Scalar] = {}
        self.plain: list[tuple[str, yaml.ScalarEvent]] = []  # every unquoted value, with what is written before it
        self.mappings: list[_Open] = []  # every mapping the traps read, each before those inside it
        self.keys: set[str] = set()  # every key of those mappings
        self.entries: dict[KeyPath, tuple[dict[str, Span], dict[str, str]]] = {}


class _Builder:
    """Builds the first document's values from the file's events, with the position of every key and value.

    Below a key that is refused (`<<`, or a mapping or list written as a key), a key
    written twice, or data nested too deeply, nothing is kept and nothing more is said:
    the author has to put that right first. What the traps need is gathered everywhere
    except inside a key that is a mapping or list. Of a later document, only where it
    starts is noted.
    """

    def __init__(self, shown: str) -> None:
        self.shown = shown
        self.constructor = yaml.constructor.SafeConstructor()

    def read(self, events: Iterator[yaml.Event]) -> _Read:
        """One pass over the events. A board's files hold hundreds of thousands of keys and values, so the
        common cases (a key, a scalar, a mapping or list opening) are written out here rather than in a call
        each; what is rare (a key refused or written twice, data too deep, a value of another type than text)
        is in the methods below."""
        read = _Read()
        shown, spans, key_spans, scalars, plain, every_key = self.shown, read.spans, read.key_spans, read.scalars, read.plain, read.keys
        # The document itself is the one value of a mapping of its own, so that every node goes into something.
        document = _Open({}, (), mapping=True, traps=True)
        document.wants_key, document.value_path = False, ()
        stack = [document]
        top = document  # stack[-1], the mapping or list the next node goes into
        for event in events:
            kind = type(event)
            if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                stack.pop()
                top = stack[-1]
                continue
            if kind is not yaml.ScalarEvent and kind is not yaml.MappingStartEvent and kind is not yaml.SequenceStartEvent:
                if kind is yaml.DocumentStartEvent:
                    read.documents += 1
                    if read.documents > 1:
                        read.second = _later_document(events)
                continue
            assert isinstance(event, yaml.ScalarEvent | yaml.CollectionStartEvent)  # for the type checker: the kinds above
            mark = event.start_mark
            assert mark is not None  # the parser marks every event it makes
            if top.wants_key:  # a key
                top.wants_key = False
                top.value_path = top.key_event = None
                if not isinstance(event, yaml.ScalarEvent):
                    top = self._not_a_name(read, stack, top, event)
                    continue
                key = top.key = event.value
                if top.traps:
                    top.keys.add(key)
                    every_key.add(key)
                    top.key_event = event
                    top.lead = f"{key}: "
                if top.data is not None:
                    key_span = _span(shown, mark.line + 1, mark.column + 1)
                    path = (*top.path, key)
                    if event.implicit[0] and key[:1] in _MERGE_FIRST and _plain_tag(key) == _MERGE:
                        self._refuse(read, "yaml-key", "a key must be a plain name such as `target_date`", key_span,
                                     "remove the `<<`, `?` or brackets before the colon")
                    elif key in top.data:
                        _written_twice(read, key, key_spans[path], key_span)
                    else:
                        key_spans[path] = key_span
                        top.value_path = path
                continue
            # A value: of a key (the document's own included) or an item of a list.
            if top.mapping:
                top.wants_key = True
                value_path = top.value_path
            else:
                value_path = None if top.data is None else (*top.path, len(top.data))
            if value_path is not None:
                span = spans[value_path] = _span(shown, mark.line + 1, mark.column + 1)
                if top.mapping:
                    top.spans[top.key] = span
                if len(value_path) > MAX_DEPTH:
                    self._refuse(read, "too-deep", "the data is nested too deeply to be an IMR file", span, "check the indentation")
                    _place(top, None)
                    value_path = None
            if type(event) is yaml.ScalarEvent:
                style = event.style
                if top.traps:
                    if not style:  # None from the Python parser, "" from the C one
                        plain.append((top.lead, event))
                    elif style in _BLOCK and top.key_event is not None:
                        top.blocks.append((top.key_event, event))
                if value_path is not None:
                    value, tag = event.value, event.tag
                    if tag is None or tag == "!":
                        tag = _plain_tag(value) if event.implicit[0] else _STR
                    quoted = style in _QUOTED
                    scalars[value_path] = Scalar(value, tag, quoted)
                    if top.mapping:
                        top.written[top.key] = value
                        top.data[top.key] = value if quoted or tag == _STR else self._typed(read, event, tag, span)
                    else:
                        top.data.append(value if quoted or tag == _STR else self._typed(read, event, tag, span))
                continue
            mapping = kind is yaml.MappingStartEvent
            opened = _Open(None if value_path is None else {} if mapping else [], value_path or (), mapping, top.traps)
            if mapping and top.traps:
                read.mappings.append(opened)
            if value_path is not None:
                _place(top, opened.data)
                if mapping:
                    read.entries[value_path] = (opened.spans, opened.written)
            stack.append(opened)
            top = opened
        read.data = document.data.get("")
        return read

    def _not_a_name(self, read: _Read, stack: list[_Open], mapping: _Open, key: yaml.CollectionStartEvent) -> _Open:
        """A mapping or list written as a key of `mapping`: refused (where anything is kept), and read through, unkept."""
        mapping.lead = ""
        if mapping.data is not None:
            mark = syntax.marks(key)[0]
            self._refuse(read, "yaml-key", "a key must be a plain name such as `target_date`",
                         Span(self.shown, mark.line + 1, mark.column + 1), "remove the `<<`, `?` or brackets before the colon")
        opened = _Open(None, (), isinstance(key, yaml.MappingStartEvent), traps=False)
        stack.append(opened)
        return opened

    def _refuse(self, read: _Read, code: str, message: str, span: Span, hint: str) -> None:
        read.findings.append(error(code, message, span, hint))
        read.refused = True

    def _typed(self, read: _Read, event: yaml.ScalarEvent, tag: str, span: Span) -> Any:
        """The value of a plain scalar that YAML reads as other than text: a number, a date, true or false, nothing."""
        value = event.value
        if tag == _NULL:
            return None
        try:
            if tag == yamlloader.INT:
                return yamlloader.integer(value)
            if tag == _TIMESTAMP and _is_day(value):  # most dates: as PyYAML reads them, without a node made for each
                return dt.date(int(value[:4]), int(value[5:7]), int(value[8:]))
            node = yaml.ScalarNode(tag, value, *syntax.marks(event), event.style)
            constructed = self.constructor.construct_object(node, deep=True)
        # ValueError: an impossible date, or `!!int abc`; KeyError: `!!bool maybe`; AttributeError: `!!timestamp abc`
        except (ValueError, KeyError, AttributeError, yaml.constructor.ConstructorError, OverflowError):
            if tag.endswith("timestamp"):
                read.findings.append(error("impossible-date", f"`{value}` is not a real date", span,
                                           "check the day and month: dates are written year-month-day, e.g. 2025-02-28"))
            else:
                hint = "put the value in double quotes, so that it is read as text"
                if event.tag not in (None, "!"):  # the author marked its type, e.g. `!!int abc`
                    hint = f"remove the `!!{tag.rsplit(':', 1)[-1]}` before the value, or {hint}"
                read.findings.append(error("bad-value", f"`{value}` cannot be read as {_KINDS.get(tag, 'the type marked')}",
                                           span, hint))
            return None
        if isinstance(constructed, dt.datetime):
            return constructed.date() if constructed.time() == dt.time() and constructed.tzinfo is None else constructed
        return constructed


def _is_day(value: str) -> bool:
    """Whether `value` is written yyyy-mm-dd in ASCII digits, as PyYAML reads it as a date (its day may be impossible)."""
    digits = value[:4] + value[5:7] + value[8:]
    return len(value) == 10 and value[4] == value[7] == "-" and digits.isascii() and digits.isdigit()


def _later_document(events: Iterator[yaml.Event]) -> int:
    """The 0-based line where the data of the document just begun starts; the rest of the file is read (for its mistakes), not kept."""
    line = None
    for event in events:
        if line is None and isinstance(event, yaml.NodeEvent):
            line = syntax.marks(event)[0].line
    return line or 0


def _written_twice(read: _Read, key: str, first: Span, again: Span) -> None:
    read.findings.append(
        error(
            "duplicate-key",
            f"`{key}` appears twice here; the first is on line {first.line}",
            again,
            "keep one of them: YAML would silently use only the last",
        )
    )


def _place(into: _Open, value: Any) -> None:
    """`value` put where it was written: as the value of `into`'s key, or as `into`'s next item."""
    if into.mapping:
        into.data[into.key] = value
    else:
        into.data.append(value)


def _separator(text: str, before: int, shown: str) -> Span:
    """The `---` line that starts the document beginning on line `before` (0-based), where the author wrote it."""
    lines = text.split("\n")
    at = next((i for i in range(min(before, len(lines) - 1), -1, -1) if lines[i].startswith("---")), before)
    return Span(shown, at + 1, 1)
