"""The author's Markdown sections, read by pandoc into AST blocks that are safe to embed.

Text is read with raw OpenXML, raw HTML and styles switched off (see
`sarflow.word.pandoc.AUTHOR_FORMAT`); as a second line of defence anything raw that
still appears becomes literal code text, and every attribute an author could set
(a Word style, an identifier) is dropped. A link stays a link only to a web page, an
e-mail address or a place in the document itself: a link to a file (`file:`, a path,
a network share) or a script (`javascript:`) would make Word open something on the
reader's computer, so it becomes its words followed by the address, as plain text.
Guidance comments are removed first, as the author never meant them to be printed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from sarflow.docx.images import Pictures, embed_images, over_total
from sarflow.findings import Finding, Span
from sarflow.load.markdown import strip_comments
from sarflow.model import Imr, Section
from sarflow.word import pandoc
from sarflow.word.nodes import Node, no_attr, stringify, text, walk

# Where each kind of node keeps its attributes (identifier, classes, key=value pairs).
_ATTR_INDEX = {"Header": 1, "Div": 0, "Span": 0, "CodeBlock": 0, "Code": 0, "Link": 0, "Image": 0, "Table": 0, "Figure": 0}
_IMAGE_KEYS = ("width", "height")
# The only addresses a link keeps: a web page on a named host, or a plain e-mail address.
# Anything else (a space, a backslash, options) could be a local file or an address
# Word cannot read, which makes it offer to repair the document.
_WEB = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]+)?([/?#][^\s\\]*)?", re.IGNORECASE)
# How the board's standard text of a section is keyed in the one pandoc request (a section
# id never holds a colon).
STANDARD = "standard:"
_MAIL = re.compile(r"mailto:[^\s\\?]+@[A-Za-z0-9.-]+", re.IGNORECASE)
# What to look for in a section that pandoc could not read within the limits.
ADVICE = ("look for something written many thousands of times, such as one footnote referred to again and again or "
          "a long run of [ characters, and shorten it")


@dataclass
class AuthorText:
    """The written sections of one IMR as AST blocks, keyed by section id."""

    api_version: list[int]
    sections: dict[str, list[Node]]
    findings: list[Finding]
    standard: dict[str, list[Node]] = field(default_factory=dict)  # the board's text, by section id


def read_author_text(imr: Imr, standard: dict[str, str] | None = None) -> AuthorText:
    """Read every written section of `imr`, and the board's `standard` text of each template
    section (by section id), in one pandoc run, and make it safe: the board's text is read
    as strictly as an author's, and may hold no picture."""
    (text,) = read_author_texts([imr], standard)
    if isinstance(text, pandoc.PandocError):
        raise text
    return text


def read_author_texts(imrs: Sequence[Imr], standard: dict[str, str] | None = None) -> list[AuthorText | pandoc.PandocError]:
    """`read_author_text` of each IMR, read in as few pandoc runs as the limits allow (`pandoc.read_many`).

    A text stopped at a limit is its IMR's error finding, as when read alone; pandoc failing
    on one IMR is that IMR's PandocError, in its place in the list."""
    return [author_text(imr, read) for imr, read in zip(imrs, read_texts(imrs, standard), strict=True)]


def read_texts(imrs: Sequence[Imr], standard: dict[str, str] | None = None) -> list[pandoc.Reading | pandoc.PandocError]:
    """What pandoc reads of the written sections of each IMR, and of the board's `standard` text, as it wrote it
    (`pandoc.readings`): `author_text` makes each the IMR's AuthorText, where the report is written."""
    board = {f"{STANDARD}{sid}": text for sid, text in (standard or {}).items() if text.strip()}
    return pandoc.readings([{sid: strip_comments(s.text) for sid, s in _written(imr).items()} | board for imr in imrs])


def author_text(imr: Imr, read: pandoc.Reading | pandoc.PandocError) -> AuthorText | pandoc.PandocError:
    """The AuthorText of what pandoc read of one IMR (`read_texts`), made safe (see the module's docstring)."""
    return _safe(imr, _written(imr), read.decoded() if isinstance(read, pandoc.Reading) else read)


def _written(imr: Imr) -> dict[str, Section]:
    return {sid: s for sid, s in imr.sections.items() if s.written}


def _safe(imr: Imr, written: dict[str, Section], read: pandoc.Read | pandoc.PandocError) -> AuthorText | pandoc.PandocError:
    """One IMR's text as read, made safe (see the module's docstring)."""
    if isinstance(read, pandoc.OverLimit):
        section = written.get(read.section or "")
        span = Span(section.span.path) if section else imr.at
        return AuthorText([], {}, [read.finding(span, "turning this section into the Word report's text", ADVICE)])
    if isinstance(read, pandoc.PandocError):
        return read
    api, parsed = read
    boards: dict[str, list[Node]] = {}
    for key, blocks in parsed.items():
        if key.startswith(STANDARD):
            images = make_safe(blocks)  # the board's text holds none, most often: then no block is looked at again
            boards[key.removeprefix(STANDARD)] = [b for b in blocks if not any(n["t"] == "Image" for n in walk(b))] if images else blocks
    findings: list[Finding] = []
    pictures = Pictures()
    for section_id, section in written.items():  # in the template's order, as the pictures' total is counted
        findings.extend(embed_images(make_safe(parsed.get(section_id, [])), section, imr.folder, pictures))
    findings.extend(over_total(pictures))
    return AuthorText(api, {k: v for k, v in parsed.items() if not k.startswith(STANDARD)}, findings, boards)


def make_safe(blocks: list[Node]) -> list[Node]:
    """Make `blocks` safe to embed, in place and in one walk: anything raw becomes literal code,
    author-set attributes are dropped, and a link that Word may not keep (`linkable`) becomes
    its words, then the address in brackets. Returns the pictures (Image nodes) in the order
    they are read, for `embed_images`."""
    pictures: list[Node] = []
    for node in walk(blocks):  # a node's children are walked once it is changed, so the words of a link too
        kind = node["t"]
        if kind == "RawBlock":
            node["t"], node["c"] = "CodeBlock", [["", [], []], node["c"][1]]
        elif kind == "RawInline":
            node["t"], node["c"] = "Code", [["", [], []], node["c"][1]]
        elif kind in _ATTR_INDEX:
            index = _ATTR_INDEX[kind]
            keep = [kv for kv in node["c"][index][2] if kind == "Image" and kv[0] in _IMAGE_KEYS]
            node["c"][index] = ["", [], keep]
            if kind == "Image":
                pictures.append(node)
            elif kind == "Link" and not linkable(node["c"][2][0]):
                _unlink(node)
    return pictures


def _unlink(link: Node) -> None:
    words, address = link["c"][1], link["c"][2][0]
    shown = [] if stringify(words).strip() == address.strip() else [{"t": "Space"}, *text(f"({address})")]
    link["t"], link["c"] = "Span", [no_attr(), [*words, *shown]]


def linkable(address: str) -> bool:
    """Whether Word may keep `address` as a link: a web page, an e-mail address (without
    options: some mail programs attach a local file named in `?attach=`), or
    #a-place-in-this-document."""
    address = address.strip()
    return address.startswith("#") or bool(_WEB.fullmatch(address) or _MAIL.fullmatch(address))
