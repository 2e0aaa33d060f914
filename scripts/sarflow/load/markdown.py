"""Markdown sections split into headings, with the author's guidance comments set aside.

Only what the tool needs is parsed here: ATX headings (`## Q1 ...`) outside code
fences and HTML comments, and the text under each. Rendering is pandoc's and MkDocs'
job; a second Markdown parser here would only disagree with them.
"""

from __future__ import annotations

import re
from pathlib import Path

from sarflow.findings import Finding, Span
from sarflow.load.text import read_text
from sarflow.model import Heading, Section

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*)$")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")


def strip_comments(text: str) -> str:
    """The text with `<!-- ... -->` comments blanked, keeping every line where it was."""
    if "<!--" not in text:
        return text
    return re.sub(r"<!--.*?(-->|\Z)", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.S)


def _title(written: str) -> str:
    """A heading's words without the closing #s an author may add (`## Q1 Answer ##`).

    Done with string methods: the pattern `(.*?)[ \t]*#*[ \t]*$` that did it took longer
    than a build is allowed on a heading line ending in a few thousand spaces.
    """
    return written.rstrip(" \t").rstrip("#").rstrip(" \t")


def read_section(file: Path, shown: str, section_id: str) -> tuple[Section | None, list[Finding]]:
    text, problems = read_text(file, shown)
    if text is None:
        return None, problems
    return parse_section(text, shown, section_id), []


def in_code(lines: list[str]) -> list[bool]:
    """For each line, whether it belongs to a fenced code block (its ``` or ~~~ lines included).

    The one reading of code fences: headings are not looked for inside them, and the text
    rules blank them. A fence is three ` or ~ at least: lines without either are never code.
    """
    if not any("```" in line or "~~~" in line for line in lines):
        return [False] * len(lines)
    inside: list[bool] = []
    fence: str | None = None
    for line in lines:
        if match := _FENCE.match(line):
            marker = match.group(1)[0] * 3
            fence = None if fence == marker else (fence or marker)
            inside.append(True)
        else:
            inside.append(fence is not None)
    return inside


def parse_section(text: str, shown: str, section_id: str) -> Section:
    visible = strip_comments(text)
    lines = visible.split("\n")
    headings: list[Heading] = []
    for number, (line, code) in enumerate(zip(lines, in_code(lines), strict=True), start=1):
        if not code and (match := _HEADING.match(line)):
            headings.append(Heading(len(match.group(1)), _title(match.group(2)), Span(shown, number, 1), ""))
    for i, heading in enumerate(headings):
        end = next((h.span.line for h in headings[i + 1 :] if h.level <= heading.level), len(lines) + 1)
        heading.body = "\n".join(lines[heading.span.line : end - 1]).strip()
    prose = "\n".join(line for line in lines if not _HEADING.match(line)).strip()
    return Section(section_id, Span(shown), text, headings, written=bool(prose))
