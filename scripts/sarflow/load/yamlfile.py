"""YAML files read into plain data that remembers where every value was written.

PyYAML composes the file into nodes (each with its start mark); sarflow builds the
values itself so that it can keep the position of every key and value, refuse
anchors and aliases (an alias bomb costs nothing to compose and everything to
expand), keep mapping keys as written (`no:` is the action number, not `False`) and
note the original text of every plain scalar, so that check can explain the YAML
traps (`true` where text is meant). Plain values are read as YAML 1.2 reads them, like
the editor (sarflow.yamlloader): `14:30` is the text 14:30 and `no` the text no.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import yaml

from sarflow import yamlloader
from sarflow.findings import Finding, Span, error, warning
from sarflow.load import syntax
from sarflow.load.comments import cut_by_comment
from sarflow.load.text import read_text

KeyPath = tuple[str | int, ...]
MAX_DEPTH = 40
SCHEMA_LINE = re.compile(r"#\s*yaml-language-server:\s*\$schema=(\S+)")


@dataclass(frozen=True)
class Scalar:
    """A plain scalar as written, with the type YAML gave it (for explaining traps)."""

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

    def span(self, *path: str | int) -> Span:
        """Where the value at `path` was written, or the nearest enclosing value."""
        p: KeyPath = tuple(path)
        while p not in self.spans and p:
            p = p[:-1]
        return self.spans.get(p, Span(self.path))

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
    nodes, mistake = syntax.compose(text)
    if mistake is not None:
        doc.findings.append(error(mistake.code, mistake.message, Span(shown, mistake.line, mistake.col), mistake.hint))
        return doc
    if not nodes:
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
    if len(nodes) > 1:
        doc.findings.append(
            error(
                "several-documents",
                "the file holds more than one YAML document (a line with only `---` separates them)",
                _separator(text, nodes[1].start_mark.line, shown),
                "remove the `---` line so that the file is one document",
            )
        )
        return doc
    doc.findings.extend(cut_by_comment(nodes[0], text, shown))
    doc.findings.extend(warning(m.code, m.message, Span(shown, m.line, m.col), m.hint) for m in syntax.keys_in_text(nodes[0], text))
    builder = _Builder(doc)
    doc.data = builder.value(nodes[0], ())
    if builder.refused:
        doc.data = None
    return doc


class _Builder:
    def __init__(self, doc: YamlDocument) -> None:
        self.doc = doc
        self.refused = False
        self.constructor = yaml.constructor.SafeConstructor()

    def refuse(self, code: str, message: str, span: Span, hint: str) -> None:
        self.doc.findings.append(error(code, message, span, hint))
        self.refused = True

    def value(self, node: yaml.Node, path: KeyPath) -> Any:
        span = _mark(node.start_mark, self.doc.path)
        self.doc.spans[path] = span
        if len(path) > MAX_DEPTH:
            self.refuse("too-deep", "the data is nested too deeply to be an IMR file", span, "check the indentation")
            return None
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.value(item, (*path, i)) for i, item in enumerate(node.value)]
        return self.scalar(cast(yaml.ScalarNode, node), path, span)  # the only kind of node left

    def mapping(self, node: yaml.MappingNode, path: KeyPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_span = _mark(key_node.start_mark, self.doc.path)
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                self.refuse(
                    "yaml-key",
                    "a key must be a plain name such as `target_date`",
                    key_span,
                    "remove the `<<`, `?` or brackets before the colon",
                )
                continue
            key = str(key_node.value)
            if key in result:
                first = self.doc.key_spans[(*path, key)]
                self.doc.findings.append(
                    error(
                        "duplicate-key",
                        f"`{key}` appears twice here; the first is on line {first.line}",
                        key_span,
                        "keep one of them: YAML would silently use only the last",
                    )
                )
                continue
            self.doc.key_spans[(*path, key)] = key_span
            result[key] = self.value(value_node, (*path, key))
        return result

    def scalar(self, node: yaml.ScalarNode, path: KeyPath, span: Span) -> Any:
        quoted = node.style in ("'", '"', "|", ">")
        self.doc.scalars[path] = Scalar(str(node.value), node.tag, quoted)
        if node.tag == "tag:yaml.org,2002:str" or quoted:
            return str(node.value)
        if node.tag == yamlloader.INT:
            return yamlloader.integer(str(node.value))
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (ValueError, yaml.constructor.ConstructorError, OverflowError):
            self.doc.findings.append(
                error(
                    "impossible-date" if node.tag.endswith("timestamp") else "bad-value",
                    f"`{node.value}` is not a real date" if node.tag.endswith("timestamp")
                    else f"`{node.value}` cannot be read",
                    span,
                    "check the day and month: dates are written year-month-day, e.g. 2025-02-28",
                )
            )
            return None
        if isinstance(value, dt.datetime):
            return value.date() if value.time() == dt.time() and value.tzinfo is None else value
        return value


def _separator(text: str, before: int, shown: str) -> Span:
    """The `---` line that starts the document beginning on line `before` (0-based), where the author wrote it."""
    lines = text.split("\n")
    at = next((i for i in range(min(before, len(lines) - 1), -1, -1) if lines[i].startswith("---")), before)
    return Span(shown, at + 1, 1)


def _mark(mark: yaml.Mark, shown: str) -> Span:
    return Span(shown, mark.line + 1, mark.column + 1)
