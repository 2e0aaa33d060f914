"""Staff are named by ids the personnel glossary explains: in the chronology's `by`, and in the text.

`by` may name several ids ("GP1 and PN1"). In the text, a word that looks like a staff
id (capitals then a number) and shares its letters with an id of the glossary, such
as SW4 where SW1 to SW3 are listed, is taken for a mistyped or unlisted id; each is
reported once, where the reader first meets it. Letters no listed id uses (a postcode
district such as NB4) are left alone.
"""

from __future__ import annotations

import re

from sarflow.check import text
from sarflow.check.context import Context
from sarflow.findings import Span
from sarflow.words import listing, nearest

_SEPARATORS = re.compile(r"\s*(?:,|/|&|\band\b)\s*")
_ID = re.compile(r"[A-Z]+[0-9]+")
_STAFF_ID = re.compile(r"(?<![\w&/.@-])([A-Z]+)([0-9]+)(?:'?s)?(?![\w&@])")


def check(ctx: Context) -> None:
    imr = ctx.the_imr
    if not ctx.readable("imr.yml"):
        return
    _duplicate_ids(ctx)
    ids = [p.id for p in imr.personnel if p.id]
    if ctx.readable("chronology.yml"):
        for entry in imr.chronology:
            for name in _SEPARATORS.split(entry.by or ""):
                if name and name not in ids:
                    ctx.report("unknown-person", f"`{name}` is not an id in the personnel list of imr.yml",
                               entry.span("by"), _hint(ctx, name, ids))
    prefixes = {re.sub(r"[0-9]+$", "", i) for i in ids}
    first: dict[str, Span] = {}
    read = text.joined([*text.sections(imr, ctx.repo.template, code=False), *text.written_data(imr, ctx.repo.template)])
    for match in _STAFF_ID.finditer(read.text):
        word = match.group(1) + match.group(2)
        if match.group(1) in prefixes and word not in ids:
            first.setdefault(word, read.at(match.start()))
    for word, span in first.items():
        ctx.report("unknown-person", f"`{word}` looks like a staff id but is not in the personnel list of imr.yml",
                   span, _hint(ctx, word, ids))


def _duplicate_ids(ctx: Context) -> None:
    """Each id names one member of staff: ids that differ only in capitals are the same to a reader."""
    first: dict[str, Span] = {}
    for person in ctx.the_imr.personnel:
        if not person.id:
            continue
        seen = first.setdefault(person.id.casefold(), person.span("id"))
        if seen != person.span("id"):
            ctx.report("duplicate-person", f"the id `{person.id}` is given to two members of staff; the first is on line {seen.line}",
                       person.span("id"), "give each member of staff their own id, and check that the chronology "
                       "(`by`) and the text use the right one")


def _hint(ctx: Context, name: str, ids: list[str]) -> str:
    person = next((p for p in ctx.the_imr.personnel if p.name and p.name.casefold() == name.casefold()), None)
    if person is not None:
        return f"write {person.id}, the id of this member of staff, not their name"
    near = nearest(name, [i for i in ids if _ID.fullmatch(i)])  # never propose an id that is itself mistyped (ED 1)
    if near:
        return f"did you mean {near}? Otherwise add {name} under personnel in imr.yml (id, name and role)"
    return f"use an id from personnel in imr.yml ({listing(ids) or 'none yet'}), or add the person there"
