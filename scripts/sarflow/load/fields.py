"""Typed, positioned access to one mapping of a YAML document.

The model builders ask for `text("source")` or `date("target_date")` and get the value
or None; a value of the wrong type is left for the schema check to explain, so that
loading never fails on an author's mistake.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from sarflow.findings import Span
from sarflow.load.yamlfile import KeyPath, YamlDocument
from sarflow.model import Ref

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Fields:
    def __init__(self, doc: YamlDocument, path: KeyPath = (), value: Any = None) -> None:
        """The mapping at `path` in `doc` (`value`, when the caller has it already)."""
        self.doc = doc
        self.path = path
        value = _get(doc.data, path) if value is None else value
        self.data: dict[str, Any] = value if isinstance(value, dict) else {}

    @property
    def at(self) -> Span:
        return self.doc.span(*self.path)

    def spans(self) -> dict[str, Span]:
        """Where each value here was written: the document's own table (YamlDocument.entries), which the record made
        from this mapping keeps as it is; a copy for each record took 3.5 MB of each half of a check at 30 x 8."""
        entries = self.doc.entries.get(self.path)
        return entries[0] if entries and self.data else {}

    def written(self) -> dict[str, str]:
        """Each scalar value here as the author typed it, before YAML read it (`2025-02-30`, not nothing): the
        document's own table, as `spans`."""
        entries = self.doc.entries.get(self.path)
        return entries[1] if entries and self.data else {}

    def raw(self, key: str) -> Any:
        return self.data.get(key)

    def text(self, key: str) -> str | None:
        value = self.data.get(key)
        return (value.strip() or None) if isinstance(value, str) else None

    def integer(self, key: str) -> int | None:
        value = self.data.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def boolean(self, key: str, default: bool = False) -> bool:
        """true or false, or yes or no (which YAML 1.2 reads as text, and an author means as true and false)."""
        value = self.data.get(key)
        if isinstance(value, str) and value.strip() in ("yes", "no"):
            return value.strip() == "yes"
        return value if isinstance(value, bool) else default

    def date(self, key: str) -> dt.date | None:
        return as_date(self.data.get(key))

    def of_kind(self, key: str, kind: str) -> Any:
        """The value of an action-plan field by its kind in the template: a list is one id or several."""
        if kind == "date":
            return self.date(key)
        if kind == "number":
            return self.integer(key)
        if kind == "list":
            return tuple(Ref(text, at) for text, at in self.listed(key)) or None
        return self.text(key)

    def listed(self, key: str) -> list[tuple[str, Span]]:
        """The text of a field that takes one value or a list of them, each with where it was written.

        An item that is not text is left out (the schema says why), and so is an empty one.
        """
        value = self.data.get(key)
        items = value if isinstance(value, list) else [value]
        spans = [self.doc.span(*self.path, key, i) for i in range(len(items))] if isinstance(value, list) else [self.doc.span(*self.path, key)]
        return [(item.strip(), span) for item, span in zip(items, spans, strict=True) if isinstance(item, str) and item.strip()]

    def sub(self, key: str) -> Fields | None:
        value = self.data.get(key)
        return Fields(self.doc, (*self.path, key), value) if isinstance(value, dict) else None

    def items(self, key: str) -> Iterator[Fields]:
        """Each mapping in the list at `key` (entries that are not mappings are skipped)."""
        value = self.data.get(key)
        for i, item in enumerate(value if isinstance(value, list) else []):
            if isinstance(item, dict):
                yield Fields(self.doc, (*self.path, key, i), item)


def as_date(value: Any) -> dt.date | None:
    """A date from YAML: a real date, or a quoted ISO string that is a real date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO.match(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _get(data: Any, path: KeyPath) -> Any:
    for part in path:
        if isinstance(data, dict) and isinstance(part, str):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data
