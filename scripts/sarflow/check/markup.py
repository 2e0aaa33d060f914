"""Rule 9: a section is Markdown only; no raw HTML, and no file from outside its IMR.

Raw HTML could inject markup into the site or the Word report, and a link or image
pointing outside the IMR's folder (`../../other-agency/...`, `/etc/...`, `file:`)
could pull another agency's or the machine's files into a document. Code spans and
code blocks are literal text and are not read. A tag is what CommonMark takes for one
(`<span class="x">`, `</p>`, `<!DOCTYPE html>`), not any text in angle brackets: `a < b`,
`<3 visits` and `<Adult A's flat>` are prose.

A guidance comment that is opened (`<!--`) and never closed hides everything after
it from the report, so it is an error too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from sarflow.check import text
from sarflow.check.context import Context
from sarflow.check.text import Passage
from sarflow.findings import Span

# CommonMark's raw HTML: an open tag with well-formed attributes, a closing tag, a
# declaration, a processing instruction or a CDATA section. Group 1 names it.
_ATTRIBUTE = r"""\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?"""
_TAG = re.compile(
    rf"<([A-Za-z][A-Za-z0-9-]*)(?:{_ATTRIBUTE})*\s*/?>"
    r"|</([A-Za-z][A-Za-z0-9-]*)\s*>"
    r"|<(![A-Za-z]+)[^>]*>|<(!\[CDATA\[)[\s\S]*?\]\]>|<(\?)[\s\S]*?\?>"
)
# A link or an image: `!?\[`, written so that the search can skip from one ! or [ to the next (a test keeps it the same).
_LINK = re.compile(r"[!\[](?:(?<=!)\[|(?<=\[))(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]\(\s*(<[^>\n]*>|[^\s)]+)")
# A link's definition (`[plan]: plan.pdf`), not a footnote's (`[^1]: See the policy.`), whose text is prose.
_REFERENCE = re.compile(r"^ {0,3}\[(?!\^)[^\]\n]+\]:[ \t]*(<[^>\n]*>|\S+)", re.M)
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{0,31}:[^\s<>]*)>")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_COMMENT = re.compile(r"<!--.*?(-->|\Z)", re.S)

# Each with a character that every match of it holds: a text without that character is not searched (most hold no tag
# and no link, and a search tries each pattern at every character that can start it).
_LINKS = ((_LINK, "["), (_REFERENCE, "["), (_AUTOLINK, "<"))


def tags(text: str) -> Iterator[re.Match[str]]:
    """Each raw HTML tag in the text (for the abbreviation rule too: HTML is this rule's business); group 1 and the
    next name it."""
    return _TAG.finditer(text) if "<" in text else iter(())


def links(text: str) -> Iterator[re.Match[str]]:
    """Each link, image, link definition and autolink in the text, group 1 its target, one kind after another (for the
    abbreviation rule too: a target is not prose)."""
    for pattern, held in _LINKS:
        if held in text:
            yield from pattern.finditer(text)


def check(ctx: Context) -> None:
    imr = ctx.the_imr
    folder = imr.folder.resolve()
    for section in imr.sections.values():
        _unclosed_comment(ctx, section.text, section.span.path)
    for passage in text.sections(imr, ctx.repo.template, code=False):
        for match in tags(passage.text):
            name = next(group for group in match.groups() if group)
            shown = {"![CDATA[": "<![CDATA[", "?": "<?"}.get(name, f"<{name}>" if name[0] == "!" else f"tag <{name}>")
            ctx.report("raw-html", f"raw HTML {shown} in the section", passage.at(match.start()),
                       "write Markdown instead (**bold**, a blank line between paragraphs, `- ` for a list): the "
                       "report does not take HTML; for words in angle brackets, such as <name removed>, use "
                       "square brackets: [name removed]")
        for match in links(passage.text):
            _check_target(ctx, passage, folder, match.group(1), match.start(1))


def _unclosed_comment(ctx: Context, raw: str, path: str) -> None:
    """A `<!--` with no `-->` after it: the loader hides the rest of the file as a comment."""
    for match in _COMMENT.finditer(raw):
        if not match.group(1):
            opened = Passage(raw, Span(path, 1, 1), True).at(match.start())
            ctx.report("unclosed-comment", "this comment is opened with `<!--` but never closed, so everything after "
                       "it is left out of the report", opened,
                       "close the comment with `-->` where the guidance ends, or delete the `<!--`")


def _check_target(ctx: Context, passage: Passage, folder: Path, target: str, offset: int) -> None:
    target = target.strip("<>").strip()
    shown = PurePosixPath(passage.start.path).parent
    if not target or target.startswith(("#", "//")):
        return
    scheme = _SCHEME.match(target)
    if scheme and scheme.group(1).lower() != "file" and len(scheme.group(1)) > 1:
        return  # a web address or e-mail link, not a local file
    path = unquote(re.split(r"[?#]", target, maxsplit=1)[0]).replace("\\", "/")
    if scheme or path.startswith("/") or not _inside(folder, path):
        ctx.report("file-outside-imr", f"the link `{target}` points to a file outside this IMR's folder", passage.at(offset),
                   f"copy the file into {shown}/ and link to it by its name, e.g. ![Body map](body-map.png)")
    elif not _exists(folder / path):
        ctx.report("local-file-missing", f"the link `{target}` points to a file that is not in {shown}/", passage.at(offset),
                   "add the file to the folder, or correct the name (capitals matter)")


def _inside(folder: Path, path: str) -> bool:
    try:
        return (folder / path).resolve().is_relative_to(folder)
    except (OSError, ValueError):  # a name no file system accepts is reported as missing, below
        return True


def _exists(path: Path) -> bool:
    try:
        return path.resolve().is_file()
    except (OSError, ValueError):
        return False
