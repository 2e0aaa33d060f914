"""A `#` that cuts a value short without a word: YAML reads ` #` as the start of a comment.

`source: Ward 12 nursing record #2 (night staff)` is read as "Ward 12 nursing record";
"#2 (night staff)" becomes a comment, which no output shows. A note written on purpose
after a value is left alone when it looks like one: two or more spaces before the `#`
and a space after it (`status: draft   # then submitted`), as every file sarflow
scaffolds writes them. Anything else after an unquoted value (`#2`, or `# 2` one space
after the value) is taken for part of the value and warned about at the `#`.
"""

from __future__ import annotations

import re

import yaml

from sarflow.findings import Finding, Span, warning
from sarflow.load.syntax import marks

# What follows a plain value on its line: the gap, the `#` and the rest of the line.
_AFTER = re.compile(r"([ \t]+)#([^\n]*)")
_GAP = (" ", "\t")


def cut_by_comment(plain: list[tuple[str, yaml.ScalarEvent]], text: str, shown: str) -> list[Finding]:
    """A warning at each `#` that seems to cut an unquoted value short, of the `plain` values (each with what is
    written before it: `key: `, `- `), in the order written."""
    if " #" not in text and "\t#" not in text:  # most files: no `#` but at the start of a line
        return []
    findings = []
    for lead, scalar in plain:
        end = marks(scalar)[1]
        if text[end.index : end.index + 1] not in _GAP:  # most values: the line ends after them
            continue
        match = _AFTER.match(text, end.index)
        value = scalar.value
        if match is None or not match.group(2).strip() or _a_note(match, empty=not value):
            continue
        lost = "#" + match.group(2).rstrip()
        whole = f"{value}{match.group(1)}{lost}" if value else lost
        quoted = lead + '"' + whole.replace("\\", "\\\\").replace('"', '\\"') + '"'
        findings.append(
            warning(
                "comment-in-value",
                f"everything after # is read as a comment: `{lost}` is left out"
                + (f" and the value is only `{value}`" if value else " and the value is empty"),
                Span(shown, end.line + 1, end.column + len(match.group(1)) + 1),
                f"put the value in quotes: {quoted}; if `{lost}` is a note for the reader, "
                + ("put a space after the #" if not value else "leave two spaces before the # and one after it"),
            )
        )
    return findings


def _a_note(match: re.Match[str], empty: bool) -> bool:
    """A comment written as one: a space after the #, and after a value two or more spaces (or a tab) before it."""
    gap, rest = match.group(1), match.group(2)
    return rest[:1] in (" ", "\t") and (empty or len(gap) >= 2 or "\t" in gap)
