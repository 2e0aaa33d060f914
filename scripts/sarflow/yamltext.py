"""Values and list items written into an author's YAML file as text, so that nothing else in it changes.

A YAML library that rewrites a whole file (ruamel.yaml included) reflows folded text
and re-indents lists, so that adding one agency to review.yml became a 114-line diff
for the panel to read. sarflow adds to an author's file only by adding lines, in the
layout the file already uses, and writes each value so that YAML reads it back as
exactly the text meant: plain where that is safe, in double quotes where YAML would
misread it (`Yes` and `Off` as true and false, `1:30` as the number 90, `2026-01-01`
as a date, `Police: North` as a key, `A team # 2` as a comment).
"""

from __future__ import annotations

import json
import re

import yaml

from sarflow.yamlloader import LOADER

# A value is written plain only when sarflow's loader (YAML 1.2, as the editor reads)
# reads it back, and YAML 1.1's readers too, so that the file means the same to any tool;
# libyaml and PyYAML's own parser also disagree on a few plain values in braces (`{k: 0?}`).
_LOADERS: list[type] = [LOADER, yaml.SafeLoader, *([yaml.CSafeLoader] if yaml.__with_libyaml__ else [])]


def scalar(value: str) -> str:
    """`value` as a YAML value that reads back as this very text, in a block or in `{...}`."""
    return value if _reads_back(value) else json.dumps(value, ensure_ascii=False)


def _reads_back(value: str) -> bool:
    if not value or value != value.strip() or any(c in value for c in "\n\r\t\"'\\"):
        return False
    for text in (f"k: {value}", f"{{k: {value}}}"):
        for loader in _LOADERS:
            try:
                if yaml.load(text, Loader=loader) != {"k": value}:
                    return False
            except (yaml.YAMLError, ValueError, OverflowError):  # 2025-02-30 fails as a date, 1e999 as a number
                return False
    return True


def add_item(text: str, key: str, fields: dict[str, str]) -> str | None:
    """`text` with one more item, of `fields` (values already written by `scalar`), in the top-level list `key`.

    The item follows the list's last item, laid out like its first (`- id: ...` with the
    other keys below it, or `- {id: ..., ...}` on one line). A list written `key: []` has
    its `[]` taken away, the one change to an existing line; a file without `key` gets
    it at the end. None when the list is written on one line with items in it, which
    cannot grow by adding lines.
    """
    lines = text.split("\n")
    at = next((i for i, line in enumerate(lines) if re.match(rf"{re.escape(key)}:(\s|$)", line)), None)
    if at is None:
        head = text if text.endswith("\n") or not text else text + "\n"
        return head + "\n".join([f"{key}:", *_item(fields, "  ", flow=False)]) + "\n"
    value = re.sub(r"\s+#.*$", "", lines[at][len(key) + 1 :]).strip()
    if value == "[]":
        lines[at] = lines[at].replace("[]", "  ", 1).rstrip()
        lines[at + 1 : at + 1] = _item(fields, "  ", flow=False)
        return "\n".join(lines)
    if value:
        return None
    last, first_item = at, None
    for i in range(at + 1, len(lines)):
        line = lines[i]
        if line.strip() and not line.startswith((" ", "-", "#")):
            break  # the next top-level key
        if line.strip() and not line.lstrip().startswith("#"):
            last = i
            if first_item is None and line.lstrip().startswith("- "):
                first_item = line
    dash = first_item[: len(first_item) - len(first_item.lstrip(" "))] if first_item else "  "
    flow = first_item is not None and first_item.lstrip()[2:].lstrip().startswith("{")
    lines[last + 1 : last + 1] = _item(fields, dash, flow=flow)
    return "\n".join(lines)


def _item(fields: dict[str, str], dash: str, *, flow: bool) -> list[str]:
    pairs = [f"{k}: {v}" for k, v in fields.items()]
    if flow:
        return [f"{dash}- {{{', '.join(pairs)}}}"]
    return [f"{dash}- {pairs[0]}", *(f"{dash}  {pair}" for pair in pairs[1:])]
