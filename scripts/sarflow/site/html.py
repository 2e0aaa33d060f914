"""Small HTML builders for the generated pages; every value from the files passes through `esc`.

Tables are written as HTML rather than Markdown: Markdown inside an HTML block is not
processed, so an author's `*`, `[x](...)` or `<script>` stays text, and the tables
are plain ones that read the same with JavaScript off. The table script
(site/javascripts/tables.js) only adds sorting and filtering on top, driven by the
`data-` attributes written here.
"""

from __future__ import annotations

import datetime as dt
import html
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass

from sarflow.dates import uk

_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")  # what Python-Markdown lets a backslash escape
_UNSAFE_IN_TITLE = re.compile(r"[<>&\"`\\\x00-\x1f\x7f]+")


def esc(value: object) -> str:
    """Text as HTML: `<`, `>`, `&` and both quotes escaped, None as nothing."""
    return "" if value is None else html.escape(str(value), quote=True)


def markdown_text(text: str) -> str:
    """Text for a line of Markdown (a heading): on one line, Markdown's punctuation
    backslash-escaped (no emphasis, link or code can start), then escaped as HTML."""
    return esc(_MARKDOWN_PUNCTUATION.sub(r"\\\1", " ".join(text.split())))


def plain_title(text: str) -> str:
    """A page title with nothing a template could misread.

    MkDocs themes print titles unescaped (and Material strips tags from them, which
    also unescapes entities), so a title keeps only plain characters.
    """
    cleaned = _UNSAFE_IN_TITLE.sub(" ", text).replace("'", "\u2019")
    return " ".join(cleaned.split()) or "Untitled"


def slug(value: str) -> str:
    """A folder name safe in a URL and a file path (review and agency ids normally are already)."""
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "unnamed"


def link(from_url: str, to_url: str, text_html: str) -> str:
    """A relative link between two directory URLs ("" is the home page), which any web server can serve."""
    target = posixpath.relpath(to_url or ".", from_url or ".")
    href = "./" if target == "." else target.rstrip("/") + "/"
    return f'<a href="{esc(href)}">{text_html}</a>'


def td(content_html: str, sort: object = None, value: str | None = None, width: str | None = None) -> str:
    """A cell; `sort` is the key the table script sorts on, `value` what its filter matches.

    `width` ("wide" or "medium") keeps a column of running text from being squeezed; "when"
    keeps a date on one line.
    """
    attributes = f' class="sar-{width}"' if width else ""
    if sort is not None:
        attributes += f' data-sort="{esc(sort)}"'
    if value is not None:
        attributes += f' data-value="{esc(value)}"'
    return f"<td{attributes}>{content_html}</td>"


def date_td(day: dt.date | None, empty: str = "") -> str:
    """A date cell (01/12/2025), kept on one line."""
    return td(esc(uk(day)) if day else esc(empty), sort=day.isoformat() if day else "", width="when")


@dataclass(frozen=True)
class Column:
    """A column of a table: its heading, how the script sorts it, and whether it can be filtered on."""

    title: str
    sort: str | None = "text"  # text | number | date | None (not sortable)
    filter: bool = False


def table(caption: str, columns: list[Column], rows: Iterable[list[str]], name: str | None = None,
          empty: str = "None.") -> str:
    """A plain table of rows of cells (see `td`). With `name` the script may sort and filter it."""
    head = "".join(
        '<th scope="col"'
        + (f' data-sort-type="{c.sort}"' if c.sort and name else "")
        + (' data-filter=""' if c.filter and name else "")
        + f">{esc(c.title)}</th>"
        for c in columns
    )
    body = [f"<tr>{''.join(cells)}</tr>" for cells in rows]
    if not body:
        return f'<p class="sar-empty">{esc(caption)}: {esc(empty)}</p>'
    marker = f' data-table="{esc(name)}"' if name else ""
    # A wide table scrolls inside its own box, never the page: the box is a named region that
    # takes focus, so that the keyboard can scroll it too, and the table script says it scrolls.
    return (
        f'<div class="sar-table" role="region" aria-label="{esc(caption)}" tabindex="0">'
        f'<table{marker}>\n<caption>{esc(caption)}</caption>\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(body) + "\n</tbody></table></div>"
    )


def badge(text: str, kind: str) -> str:
    """A labelled coloured tag; the colour repeats the text, it never replaces it."""
    return f'<span class="sar-badge sar-badge--{slug(kind)}">{esc(text)}</span>'


def definition_list(items: list[tuple[str, str]]) -> str:
    """A `<dl>` of (term, description HTML) pairs."""
    return '<dl class="sar-facts">' + "".join(f"<dt>{esc(t)}</dt><dd>{d}</dd>" for t, d in items) + "</dl>"


def block(html_text: str) -> str:
    """An HTML block as Markdown passes it through: on its own, between blank lines."""
    return f"\n\n{html_text.strip()}\n\n"
