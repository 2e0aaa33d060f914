"""Rule 5: every abbreviation the report uses is spelt out in its glossary.

An abbreviation is a word of two or more capitals (GP, A&E, D2A, the NHS in non-NHS),
optionally with a plural or possessive ending (GPs, ASC's). Not abbreviations:
- a member of staff's id (capitals then a number, e.g. SW1 or EDT1, which the
  personnel glossary explains) and a code with several digits (a reference number);
- a Roman numeral (Part II, schedule XIV); but a two-letter one is read as a numeral
  only after a word that numbers things (Appendix IV, a grade IV pressure ulcer), as
  elsewhere it is usually an abbreviation (IV antibiotics);
- an ordinary word in capitals for emphasis or in a quoted record title ("URGENT - DO
  NOT FILE"), recognised because the IMR also uses it in lower case (urgent, not, file);
- what another rule reports or what is not prose: a postcode, a National Insurance
  number, an e-mail address, a web address, a link's target, an HTML tag, a `code span`,
  a placeholder such as TBC;
- an abbreviation every reader of the board's reports knows, from the board's list
  (`common_abbreviations` in reviews/board.yml), or one that sarflow's own standard text
  of the report (the template's paragraphs, criteria and questions) already uses.
Each missing abbreviation is reported once, where the reader first meets it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from sarflow.check import markup, placeholders, text
from sarflow.check.context import Context
from sarflow.findings import Span
from sarflow.restricted import codes
from sarflow.template import Template
from sarflow.words import plural

# A word of capitals, not inside another word, a path or an address; after a hyphen or a
# slash only when a word comes before it (non-NHS, GP/DN). What comes before the first
# capital is looked at from behind it, `(?<!...[A-Z])`, so that the search can skip from
# capital to capital (written with the look-behind first, it is tried at every character
# and took most of this rule's time); a test keeps it the same as that plainer form.
_WORD = re.compile(r"([A-Z](?:(?<![\w&/.@-].)|(?<=[A-Za-z][/-].))[A-Z0-9]*(?:&[A-Z][A-Z0-9]*)*)(?:'?s)?(?![\w&@])")
_STAFF_ID = re.compile(r"^[A-Z]+[0-9]+$")
_ROMAN = re.compile(r"^(?:X{0,3})(?:IX|IV|V?I{0,3})$")
_NUMBERING = re.compile(r"\b(?:part|appendix|annex|schedule|section|chapter|article|volume|book|page|stage|grade|"
                        r"category|type|class|level|phase|tier|step)\s+$", re.I)
_URL = re.compile(r"\b(?:https?|mailto|ftp)://\S+|\S+@\S+")


def check(ctx: Context) -> None:
    imr = ctx.the_imr
    if not ctx.readable("imr.yml"):
        return
    board = ctx.repo.board.common_abbreviations if ctx.repo.board else frozenset()
    known = set(imr.abbreviations) | board | _standard(ctx.repo.template)
    first: dict[str, Span] = {}
    uses: dict[str, int] = {}
    read = text.joined([*text.sections(imr, ctx.repo.template, code=False), *ctx.written, *text.described_data(imr)])
    body = _prose(read.text)
    verdicts: dict[str, bool | None] = {}  # each word's `_verdict`, worked out once
    for match in _WORD.finditer(body):
        word = match.group(1)
        verdict = verdicts[word] if word in verdicts else verdicts.setdefault(word, _verdict(word, known))
        if verdict is None:  # a two-letter numeral: an abbreviation unless a word that numbers things comes before it
            verdict = _is_abbreviation(word, body[max(0, match.start(1) - 20):match.start(1)])
        if not verdict:
            continue
        uses[word] = uses.get(word, 0) + 1
        if word not in first:  # a position costs a scan of the text before it: only the first use's
            first[word] = read.at(match.start(1))
    for word, span in first.items():
        if re.search(rf"(?<![\w&]){re.escape(word.lower())}(?![\w&])", body):
            continue  # the IMR writes it in lower case too: a word in capitals, not an abbreviation
        more = f" (and {plural(uses[word] - 1, 'more time')})" if uses[word] > 1 else ""
        ctx.report("abbreviation-missing", f"`{word}` is used here{more} but is not in the glossary of abbreviations",
                   span, f"add `{word}: <what it stands for>` under abbreviations in imr.yml; if it is not an "
                   "abbreviation, write it in lower case")


@lru_cache(maxsize=4)
def _standard(template: Template) -> frozenset[str]:
    """The abbreviations in the text sarflow prints into every report from the template."""
    printed = [*(s.standard_text for s in template.sections), *template.trigger_questions, *(c.text for c in template.criteria),
               *(s.title for s in template.sections)]
    return frozenset(m.group(1) for m in _WORD.finditer("\n".join(printed)) if _is_abbreviation(m.group(1), ""))


def _verdict(word: str, known: set[str]) -> bool | None:
    """Whether a use of `word` needs the glossary: yes, no, or None when that depends on the words before it
    (`_numeral`); as `word not in known and not a placeholder and _is_abbreviation(word, before)` says."""
    if word in known or placeholders.MARKER.fullmatch(word) or not _is_abbreviation(word, ""):
        return False
    return True if _is_abbreviation(word, "part ") else None


def _is_abbreviation(word: str, before: str) -> bool:
    capitals = sum(ch.isupper() for ch in word)
    digits = sum(ch.isdigit() for ch in word)
    return capitals >= 2 and digits <= 1 and not _STAFF_ID.match(word) and not _numeral(word, before)


def _numeral(word: str, before: str) -> bool:
    """A Roman numeral: any of three letters or more, or II; IV, IX and the like only after a numbering word."""
    return bool(_ROMAN.match(word)) and (len(word) > 2 or word == "II" or bool(_NUMBERING.search(before)))


def _prose(joined: str) -> str:
    """The text with what is not prose, or is another rule's business, blanked (positions kept)."""
    spans = [m.span() for m in _URL.finditer(joined)] if "@" in joined or "://" in joined else []
    spans += codes(joined)
    spans += [m.span() for m in markup.tags(joined)]
    spans += [m.span(1) for m in markup.links(joined)]
    parts, done = [], 0
    for start, end in sorted(spans):
        start = max(start, done)
        if end > start:
            parts += [joined[done:start], " " * (end - start)]
            done = end
    return "".join([*parts, joined[done:]])
