"""Paragraph numbers in the template's manner (1.1, 1.2, ...) so that findings can be cited.

Each body paragraph of a numbered section starts with "<section>.<n>"; the count runs
on across the section's sub-headings. Headings, lists, tables and the "Not yet
written." notes are not numbered.
"""

from __future__ import annotations

from sarflow.docx.nodes import Node


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
                label = {"t": "Str", "c": f"{self.section_number}.{self.count}"}
                block["c"] = [label, {"t": "Space"}, *block["c"]]
        return blocks
