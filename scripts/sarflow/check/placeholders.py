"""Text left as a placeholder: TBC, TBA, XXX, "[insert date]", "insert answer here", or the scaffold's example text.

Authors fill an IMR in over weeks and mark what is still to come; "TBC - insert answer
here" under a question is a blank answer, which the template says will be queried. While
the IMR is a draft each placeholder is a reminder (a warning), once it is submitted an
error. The example text `sarflow new` writes counts too (sarflow.scaffold), so that a
review fresh from the scaffold does not check clean. Each placeholder is reported where
it is: in a Markdown section once per line, in a YAML value once per value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from sarflow import scaffold
from sarflow.check import text
from sarflow.check.context import Context
from sarflow.check.text import Passage
from sarflow.model import Record

# What only ever stands in for text still to come. The abbreviation rule leaves TBC and the like to this one.
# Every placeholder starts with one of the letters or brackets of the look-ahead: it turns most characters
# away at once, where the alternatives themselves would each be tried there (a test keeps it the same as
# the pattern without it).
MARKER = re.compile(
    r"(?=[tfxieawl\[<])(?:"
    r"(?<![\w&])(?:TBC|TBA|TBD|TODO|FIXME|X{3,})(?![\w&])"
    r"|\[\s*(?:insert|add|enter|write|to do|todo)\b[^\]\n]*\]"
    r"|<\s*(?:insert|add|enter|write|the|a|an|your)\b[^<>\n]*>"
    r"|\b(?:insert|enter|add|write)\s+(?:(?:the|your|an?)\s+)?[\w ]{0,40}?\bhere\b"
    r"|\b(?:to be (?:confirmed|completed|added)|lorem ipsum)\b"
    r")",
    re.IGNORECASE,
)
# What each placeholder begins with, in lower case (a test holds them to MARKER): str.find skips through a text
# to each far faster than the pattern can be tried at every letter its look-ahead lets through.
_STARTS = ("tb", "todo", "to be", "fixme", "xxx", "[", "<", "insert", "enter", "add", "write", "lorem")


def check(ctx: Context) -> None:
    """Placeholders in an IMR: its sections, its chronology, actions and QA comments, the people it describes."""
    imr = ctx.the_imr
    signatories = [s for s in (imr.author, imr.approved_by) if s is not None]
    passages = [
        *text.sections(imr, ctx.repo.template, code=False),
        *ctx.written,
        *text.described_data(imr),
        *_fields(signatories, ("name", "job_title")),
        *_fields(imr.family, ("name", "address")),
        *_fields(imr.personnel, ("name",)),
    ]
    _report(ctx, passages)


def check_review(ctx: Context) -> None:
    """Placeholders in review.yml (the subject, the referral, the terms of reference, the agencies' names, where the
    report was published) and in recommendations.yml (the findings, the recommendations and the board's reasons)."""
    review = ctx.review
    recommendations = review.recommendations.recommendations if review.recommendations else []
    records: list[tuple[Record | None, tuple[str, ...]]] = [
        (review.subject, ("name",)),
        (review.referral, ("source", "summary")),
        (review.terms_of_reference, ("scope",)),
        *((question, ("text",)) for question in review.terms_of_reference.questions),
        *((agency, ("name",)) for agency in review.agencies),
        (review.published, ("where",)),
        *((finding, ("text",)) for finding in (review.recommendations.findings if review.recommendations else [])),
        *((recommendation, ("text",)) for recommendation in recommendations),
        *((recommendation.response, ("reason",)) for recommendation in recommendations),
    ]
    _report(ctx, [p for record, names in records if record is not None for p in _fields([record], names)])


def _report(ctx: Context, passages: Iterable[Passage]) -> None:
    read = text.joined(passages)
    found = _markers(read)
    for i, passage in enumerate(read.passages):
        if passage.text.strip() in scaffold.EXAMPLE_TEXTS:
            ctx.report("placeholder", f"`{passage.text.strip()}` is the example text `sarflow new` wrote", passage.start,
                       "write the review's own text in its place")
            continue
        for offset, marker in found.get(i, ()):
            ctx.report("placeholder", f"`{marker}` is a placeholder: the text here is not written yet",
                       passage.at(offset), "write the text in its place before the IMR is submitted "
                       "(a placeholder in a submitted IMR will be queried, as a blank answer is)")


def _markers(read: text.Joined) -> dict[int, list[tuple[int, str]]]:
    """The first placeholder of each line of a section, or of a YAML value: by passage, each with its offset in it.

    One search of the passages joined (no placeholder reaches across the line breaks between them), as a search of
    each passage would find them."""
    found: dict[int, list[tuple[int, str]]] = {}
    lines: set[tuple[int, int]] = set()
    for match in _found(read.text):
        i = read.index(match.start())
        passage, offset = read.passages[i], match.start() - read.starts[i]
        line = passage.text.count("\n", 0, offset) if passage.markdown else 0
        if (i, line) not in lines:
            lines.add((i, line))
            found.setdefault(i, []).append((offset, match.group(0)))
    return found


def _found(text: str) -> Iterator[re.Match[str]]:
    """`MARKER.finditer(text)`, the pattern tried only where one of `_STARTS` is.

    The text is put in lower case as the pattern, ignoring case, reads it: İ, ı and ſ are an i, an i and an s to
    it (İ's lower case is two characters, so it is made an i first, and every offset stays the text's)."""
    low = text.lower() if text.isascii() else text.replace("İ", "i").lower().replace("ı", "i").replace("ſ", "s")
    starts = set()
    for start in _STARTS:
        at = low.find(start)
        while at >= 0:
            starts.add(at)
            at = low.find(start, at + 1)
    end = 0
    for at in sorted(starts):
        if at >= end and (match := MARKER.match(text, at)):
            yield match
            end = match.end()


def _fields(records: Iterable[Record], names: tuple[str, ...]) -> Iterator[Passage]:
    for record in records:
        for name in names:
            value = getattr(record, name, None)
            if isinstance(value, str) and value:
                yield Passage(value, record.span(name), False)
