"""site/'s own files may not load anything from another host.

The hand-written pages, the theme's templates (site/overrides), the style sheets and
the scripts are read as a browser would fetch from them: a script, style sheet,
picture, font or frame with an address on another host (`https://…`, `//…`) is an
error at its line and column. A link a reader may click is not a request and is
allowed. Code shown in a Markdown page (between backticks or in a fenced block) is
text, not a request, and is skipped; an indented example is read as if it were live,
so fence it instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from sarflow.findings import Finding, Span, error
from sarflow.links import walk
from sarflow.sitepolicy.hosts import elsewhere

MARKUP = {".md", ".html", ".htm", ".svg", ".xml"}
STYLES = {".css"}
SCRIPTS = {".js", ".mjs"}

_TAG = re.compile(r"<([a-zA-Z][\w:-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_ATTRIBUTE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
# Attributes that make the browser fetch, whatever the element; href only where it loads (not <a>).
_LOADING = {"src", "srcset", "poster", "data", "background", "lowsrc", "imagesrcset", "xlink:href"}
_LOADING_HREF = {"link", "base", "image", "use", "feimage"}
_IMAGE = re.compile(r"!\[[^\]\n]*\]\(\s*<?([^\s)>]+)")
_CSS_URL = re.compile(r"""(?i)url\(\s*["']?([^"')\s]+)|@import\s+["']([^"']+)""")
_SCRIPT_STRING = re.compile(r"""["'`]\s*((?:[a-z][a-z0-9+.-]*:)?//[\w.-][^"'`\s]*)""", re.I)
_FENCE = re.compile(r"(?ms)^[ \t]{0,3}(`{3,}|~{3,}).*?(?:^[ \t]{0,3}\1[ \t]*$|\Z)")
_CODE_SPAN = re.compile(r"(`+)[^`].*?\1", re.S)


def page_problems(root: Path) -> list[Finding]:
    found = []
    for path in walk(root / "site").files:
        shown = path.relative_to(root).as_posix()
        suffix = path.suffix.lower()
        if any(part.startswith(".") for part in path.relative_to(root).parts) or suffix not in MARKUP | STYLES | SCRIPTS:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # not text a browser would run
        if suffix == ".md":
            text = _blank(_CODE_SPAN, _blank(_FENCE, text))
        addresses = _markup(text) if suffix in MARKUP else _styles(text) if suffix in STYLES else _scripts(text)
        for at, address in dict.fromkeys(addresses):  # an inline style is found twice: as an attribute and as CSS
            if elsewhere(address):
                found.append(_outside(shown, text, at, address))
    return found


def _markup(text: str) -> Iterator[tuple[int, str]]:
    for tag in _TAG.finditer(text):
        name = tag.group(1).lower()
        for attribute in _ATTRIBUTE.finditer(tag.group(2)):
            key = attribute.group(1).lower()
            group = next(g for g in (2, 3, 4) if attribute.group(g) is not None)
            value, at = attribute.group(group), tag.start(2) + attribute.start(group)
            if key in _LOADING or (key == "href" and name in _LOADING_HREF):
                yield from ((at + offset, address) for offset, address in _candidates(key, value))
            elif key == "style":
                yield from ((at + offset, address) for offset, address in _styles(value))
    yield from ((m.start(1), m.group(1)) for m in _IMAGE.finditer(text))
    yield from _styles(text)  # <style> blocks


def _candidates(key: str, value: str) -> list[tuple[int, str]]:
    """The addresses in an attribute, each with where it starts: a srcset lists several, each before its size."""
    if not key.endswith("srcset"):
        return [(0, value)]
    return [(m.start(), m.group()) for m in re.finditer(r"[^\s,][^\s]*?(?=,?(?:\s|$))", value) if not re.fullmatch(r"\d+(\.\d+)?[wx]", m.group())]


def _styles(text: str) -> Iterator[tuple[int, str]]:
    for m in _CSS_URL.finditer(text):
        yield (m.start(1), m.group(1)) if m.group(1) is not None else (m.start(2), m.group(2))


def _scripts(text: str) -> Iterator[tuple[int, str]]:
    yield from ((m.start(1), m.group(1)) for m in _SCRIPT_STRING.finditer(text))


def _blank(pattern: re.Pattern[str], text: str) -> str:
    """`text` with what `pattern` matches turned into spaces, keeping every line and column."""
    return pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def _outside(shown: str, text: str, at: int, address: str) -> Finding:
    line = text.count("\n", 0, at) + 1
    col = at - (text.rfind("\n", 0, at) + 1) + 1
    return error(
        "site-outside-request",
        f"{address} is on another site: every page showing this would request it from there, and the status "
        "site requests nothing from another host",
        Span(shown, line, col),
        "save the script, style sheet, font or picture in site/ and refer to it by its path there",
    )
