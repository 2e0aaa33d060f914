"""A board output as a Word document: the board paper and the annual report are made the same way.

Each is a title, an opening paragraph or two, a contents page (a real Word TOC field, see
`sarflow.word.contents`), then its parts as Heading 1 with Heading 2 under them, and its figures
in tables whose header row repeats on every page. pandoc writes it with the house reference
document, in its sandbox, and `sarflow.word.finish` completes it as it does an IMR report: the
marking and any mark in every page header, the version in every footer, the title and language in
the document's properties. Nothing here knows which output it is making.
"""

from __future__ import annotations

import calendar
import datetime as dt
from pathlib import Path

from sarflow.dates import uk
from sarflow.word import contents, pandoc
from sarflow.word.finish import finish
from sarflow.word.nodes import Node, plain, stringify, styled, text


def board_docx(name: str, title: str, opening: list[Node], parts: list[Node], reference: Path, on: dt.date,
               mark: str = "", api: list[int] | None = None) -> bytes:
    """The .docx of a board output with the figures of `on`: `title`, the `opening` paragraphs, the
    contents page, then `parts` (their headings at level 1 and below); `mark` beside the marking.
    `name` (the file's name without .docx) is the title Word shows under File > Info, as for an IMR report;
    `api` the AST version of the blocks where known (else pandoc is asked)."""
    blocks = [styled("Title", [plain(text(title))]), *opening, *contents.page(), *parts]
    return write(blocks, name, reference, on, mark, api)


def markdown_docx(name: str, markdown: str, reference: Path, on: dt.date, mark: str = "") -> bytes:
    """The .docx of a board output that sarflow wrote as Markdown: its `# title` becomes the document's
    title, the paragraphs before its first `##` part the opening, and each `##` part a Heading 1 (each
    heading under it one level up with it). It is read as author text is (`pandoc.read_board_markdown`)."""
    document = pandoc.read_board_markdown(markdown)
    blocks = document["blocks"]
    first = blocks[0] if blocks and blocks[0]["t"] == "Header" and blocks[0]["c"][0] == 1 else None
    title = stringify(first["c"][2]) if first else ""
    rest = blocks[1:] if first else blocks
    start = next((n for n, block in enumerate(rest) if block["t"] == "Header"), len(rest))
    for block in rest[start:]:
        if block["t"] == "Header":
            block["c"][0] = max(1, block["c"][0] - 1)
    return board_docx(name, title, rest[:start], rest[start:], reference, on, mark, api=document["pandoc-api-version"])


def write(blocks: list[Node], name: str, reference: Path, on: dt.date, mark: str = "", api: list[int] | None = None) -> bytes:
    """`blocks` written by pandoc and finished; the same blocks on the same day give the same bytes."""
    document = {"pandoc-api-version": api or pandoc.api_version(), "meta": {}, "blocks": blocks}
    epoch = calendar.timegm(dt.datetime(on.year, on.month, on.day).timetuple())
    docx = pandoc.write_docx(document, reference, reference.parent)
    return finish(docx, f"figures of {uk(on)}", epoch=epoch, title=name, mark=mark)

