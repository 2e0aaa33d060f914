"""The headings sarflow reads in analysis.md and lessons.md, and the ones an author meant but wrote otherwise.

An answer is read under `## Q2 ...`, a lesson under `## L1 ...` and good practice under
`## Good practice`. Authors also write `## Question 2`, `## Q 2`, `##Q2` (no space, so
not a heading at all), `### Q2`, `**Q2**`, `## Lesson one` or `### Good practise`; each
is recognised here, so that the finding names the line the author wrote and the form to
use, instead of saying at line 1 that the answer is missing. A `#` heading is the
section's own level in the Word report: inside a section file it nests everything after
it under it, so it is reported in every section.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from sarflow.check.context import Context
from sarflow.check.text import without_code
from sarflow.findings import Span
from sarflow.load.markdown import strip_comments
from sarflow.model import Section

ANSWER_HEADING = re.compile(r"^(Q\d+)\b")
LESSON_HEADING = re.compile(r"^(L\d+)\b")
GOOD_PRACTICE = "G"  # the kind of heading that ends analysis.md; its title is the template's

_NUMBERS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
_NUMBER = r"(?P<n>\d+|" + "|".join(_NUMBERS) + r")"
# A line that is, or looks like, a heading: `#`s with or without a space, or a line all in bold.
_HEADING_LIKE = re.compile(r"^[ ]{0,3}(?:(?P<hashes>#{1,6})[ \t]*(?P<title>.*?)[ \t#]*|(?P<bold>\*\*|__)(?P<strong>[^*_].*?)(?P=bold)[ \t]*)$")
_MEANT = {
    "Q": re.compile(r"^(?:(?:tor|terms of reference)\s*)?(?:question|qu?)\.?\s*" + _NUMBER + r"\b[\s.:)–-]*(?P<rest>.*)$", re.IGNORECASE),
    "L": re.compile(r"^(?:lesson|l)\.?\s*" + _NUMBER + r"\b[\s.:)–-]*(?P<rest>.*)$", re.IGNORECASE),
}


@dataclass(frozen=True)
class NearMiss:
    """A line the author meant as the heading of `meant` (Q2, L1 or Good practice), and the form to write."""

    meant: str
    span: Span
    written: str
    form: str


def near_misses(section: Section, kind: str, good_practice: str = "") -> Iterator[NearMiss]:
    """Lines of `section` meant as a heading of `kind` ("Q", "L" or GOOD_PRACTICE, titled `good_practice`) but not written so."""
    for number, line in _lines(section):
        if (match := _HEADING_LIKE.match(line)) is None:
            continue
        title = (match.group("title") if match.group("hashes") else match.group("strong")).strip().strip("*_").strip()
        if _well_written(match, kind, good_practice):
            continue
        meant = _meant(title, kind, good_practice)
        if meant is not None:
            ident, rest = meant
            form = f"## {ident} {rest}".rstrip()
            yield NearMiss(ident, Span(section.span.path, number, 1), line.strip(), form)


def _well_written(match: re.Match[str], kind: str, good_practice: str) -> bool:
    hashes, title = match.group("hashes"), match.group("title") or ""
    if hashes != "##" or not match.group(0).lstrip(" ").startswith("## "):
        return False
    if kind == GOOD_PRACTICE:
        return title.lower().startswith(good_practice.lower())
    return bool((ANSWER_HEADING if kind == "Q" else LESSON_HEADING).match(title))


def _meant(title: str, kind: str, good_practice: str = "") -> tuple[str, str] | None:
    if kind == GOOD_PRACTICE:
        return (good_practice, "") if good_practice and _good_practice(good_practice).match(title) else None
    match = _MEANT[kind].match(title)
    if match is None:
        return None
    n = match.group("n").lower()
    number = int(n) if n.isdigit() else _NUMBERS.index(n) + 1
    return f"{kind}{number}", match.group("rest").strip()


def _good_practice(title: str) -> re.Pattern[str]:
    """The template's good-practice title in any case, spacing or spelling of practice/practise, maybe after "Examples of"."""
    words = r"\s+".join(re.escape(word) for word in title.split()).replace("practice", "practi[cs]e")
    return re.compile(rf"^(?:examples?\s+of\s+|notable\s+)?{words}\b", re.IGNORECASE)


def report(ctx: Context, miss: NearMiss, what: str) -> None:
    ctx.report("heading-form", f"`{miss.written}` looks like the heading of {what}, but sarflow reads it only "
               f"under a heading written `## {miss.meant}`", miss.span,
               f"write the line as `{miss.form}`: two #, a space, then {miss.meant}")


def check_top_level(ctx: Context) -> None:
    """A `#` heading in any section file."""
    for section in ctx.the_imr.sections.values():
        for heading in section.headings:
            if heading.level == 1 and not any(_meant(heading.title, kind, ctx.repo.template.good_practice)
                                              for kind in ("Q", "L", GOOD_PRACTICE)):
                ctx.report("top-level-heading", f"`# {heading.title}` is a top-level heading: in the Word report everything "
                           "after it would sit under it, as if it were a section of its own", heading.span,
                           f"write it as `## {heading.title}` (the section's own title comes from the template)")


def _lines(section: Section) -> Iterator[tuple[int, str]]:
    visible = without_code(strip_comments(section.text))
    yield from enumerate(visible.split("\n"), start=1)
