"""Paragraph numbers in the template's manner (1.1, 1.2, ...) so that findings can be cited.

Each body paragraph of a numbered section starts with "<section>.<n>"; the count runs
on across the section's sub-headings. Headings, lists, tables and the "Not yet
written." notes are not numbered. The number is wrapped in a span of class
`paragraph-number` (Word shows it as plain text), so that `sarflow redline` can tell
it from a paragraph that itself starts with a figure such as "2.5 mg".
"""

from __future__ import annotations

from sarflow.word.nodes import Node

NUMBER_CLASS = "paragraph-number"


def paragraph_number(label: str) -> Node:
    """The inline that holds one paragraph's number, marked as such."""
    return {"t": "Span", "c": [["", [NUMBER_CLASS], []], [{"t": "Str", "c": label}]]}


class ParagraphNumbers:
    """The running paragraph count of one section, e.g. 6.1, 6.2, ..."""

    def __init__(self, section_number: str) -> None:
        self.section_number = section_number
        self.count = 0

    def number(self, blocks: list[Node]) -> list[Node]:
        """`blocks` with each top-level paragraph numbered (unchanged for an unnumbered section)."""
        if not self.section_number:
            return blocks
        for block in blocks:
            if block["t"] == "Para":
                self.count += 1
                label = paragraph_number(f"{self.section_number}.{self.count}")
                block["c"] = [label, {"t": "Space"}, *block["c"]]
        return blocks
