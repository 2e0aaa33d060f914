"""Rule 5: every abbreviation the report uses is spelt out in its glossary.

An abbreviation is a word of two or more capitals (GP, A&E, D2A), optionally with a
plural or possessive ending (GPs, ASC's). Not abbreviations: a member of staff's id
(capitals then a number, e.g. SW1 or EDT1, which the personnel glossary explains), a
code with several digits (a reference number, which the anonymisation rule looks at),
a Roman numeral (Part II), and anything inside a `code span`. Each missing abbreviation
is reported once, where the reader first meets it.
"""

from __future__ import annotations

import re

from sarflow.check import text
from sarflow.check.context import Context
from sarflow.check.words import plural
from sarflow.findings import Span

_WORD = re.compile(r"(?<![\w&/.@-])([A-Z][A-Z0-9]*(?:&[A-Z][A-Z0-9]*)*)(?:'?s)?(?![\w&@])")
_STAFF_ID = re.compile(r"^[A-Z]+[0-9]+$")
_ROMAN = re.compile(r"^(?:X{0,3})(?:IX|IV|V?I{0,3})$")
_URL = re.compile(r"\b(?:https?|mailto|ftp)://\S+|\S+@\S+")


def check(ctx: Context) -> None:
    imr = ctx.the_imr
    if not ctx.readable("imr.yml"):
        return
    known = set(imr.abbreviations)
    first: dict[str, Span] = {}
    uses: dict[str, int] = {}
    read = text.joined([*text.sections(imr, ctx.repo.template, code=False), *text.written_data(imr), *text.described_data(imr)])
    body = _URL.sub(lambda m: " " * len(m.group(0)), read.text)
    for match in _WORD.finditer(body):
        word = match.group(1)
        if word in known or not _is_abbreviation(word):
            continue
        uses[word] = uses.get(word, 0) + 1
        first.setdefault(word, read.at(match.start(1)))
    for word, span in first.items():
        more = f" (and {plural(uses[word] - 1, 'more time')})" if uses[word] > 1 else ""
        ctx.report("abbreviation-missing", f"`{word}` is used here{more} but is not in the glossary of abbreviations",
                   span, f"add `{word}: <what it stands for>` under abbreviations in imr.yml; if it is not an "
                   "abbreviation, write it in lower case")


def _is_abbreviation(word: str) -> bool:
    capitals = sum(ch.isupper() for ch in word)
    digits = sum(ch.isdigit() for ch in word)
    return capitals >= 2 and digits <= 1 and not _STAFF_ID.match(word) and not _ROMAN.match(word)
