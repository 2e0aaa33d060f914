"""Rule 9: a section is Markdown only; no raw HTML, and no file from outside its IMR.

Raw HTML could inject markup into the site or the Word report, and a link or image
pointing outside the IMR's folder (`../../other-agency/...`, `/etc/...`, `file:`)
could pull another agency's or the machine's files into a document. Code spans and
code blocks are literal text and are not read.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from sarflow.check import text
from sarflow.check.context import Context
from sarflow.check.text import Passage

_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])[^<>]*>")
_LINK = re.compile(r"!?\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]\(\s*(<[^>\n]*>|[^\s)]+)")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*(<[^>\n]*>|\S+)", re.M)
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{0,31}:[^\s<>]*)>")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


def check(ctx: Context) -> None:
    imr = ctx.the_imr
    folder = imr.folder.resolve()
    for passage in text.sections(imr, ctx.repo.template, code=False):
        for match in _TAG.finditer(passage.text):
            ctx.report("raw-html", f"raw HTML tag <{match.group(1)}> in the section", passage.at(match.start()),
                       "write Markdown instead (**bold**, a blank line between paragraphs, `- ` for a list); "
                       "the report does not take HTML")
        for pattern in (_LINK, _REFERENCE, _AUTOLINK):
            for match in pattern.finditer(passage.text):
                _check_target(ctx, passage, folder, match.group(1), match.start(1))


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
