"""Values restricted wherever they appear, whoever they belong to: postcodes, NHS and National
Insurance numbers, UK telephone numbers and e-mail addresses.

Each is a pattern over normalised text (see normal.py), in any case and with any
spacing an author uses, and, where a pattern alone would flag ordinary text, a test
the pattern cannot make: the NHS number's check digit (so a ten-digit reference is not
flagged), a telephone number's length, a postcode that is really a staff id and an
ordinal ("GP1 2nd visit").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

_GAP = r"[ \t]{0,3}"  # spacing inside a number or a code, as typed or as a line wraps

# Where it can, a search starts from a digit or a sign (a "core"), which the regular
# expression engine finds quickly, and then looks at what comes before it (a postcode's
# letters, the letters of a National Insurance number): a pattern that starts with a
# letter would be tried at every letter of the text.
#
# A UK postcode: outward code (area, district), then inward code (sector, unit); the
# letters the Royal Mail never uses in each place are left out.
_POSTCODE = re.compile(rf"\b[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKPSTUW]?{_GAP}[0-9][ABD-HJLNP-UW-Z]{{2}}\b", re.I)
# Any two letters, six digits and A to D: HMRC never issues QQ (the form's own example),
# but it still reads as a National Insurance number to anyone who sees it.
_NI_NUMBER = re.compile(rf"\b[A-Z]{{2}}{_GAP}[0-9]{{2}}(?:[ \t-]{{0,3}}[0-9]{{2}}){{2}}[ \t-]{{0,3}}[A-D]\b", re.I)

# The cores are looked for in the text's shape (`_shape`): each character as one byte that says only what the
# cores ask of it. Every digit is a 0, so that a core starts with the one byte 0, which the engine skips to as it
# does to a word, where it tries a set of characters (`[0-9]`) at every one (that was a third of this module's time).
# A letter of either case is C when it is A to D (the letter that ends a National Insurance number), A when it is
# another that can end a postcode's district (E to H, J, K, P, S to W), else B; spacing, hyphens and dots are
# themselves; another letter or digit (beyond ASCII, which the cores' [0-9] never match) is `_`, part of a word as
# they are; anything else is `#`. Each core, written plainly over the text, is beside it; a test keeps them the same.
_POSTCODE_CORE = re.compile(rb"0[0AC]?[ \t]{0,3}0[ABC]{2}\b")  # [0-9][0-9A-HJKPSTUW]?{_GAP}[0-9][A-Z]{2}\b in any case
_NI_CORE = re.compile(rb"00(?:[ \t-]{0,3}00){2}[ \t-]{0,3}C\b")  # [0-9]{2}(?:[ \t-]{0,3}[0-9]{2}){2}[ \t-]{0,3}[A-D]\b, any case
# From a digit, ten or more characters a run of numbers is made of: no run with ten digits lies outside one.
_NUMBERS = re.compile(rb"0[0 .-]{9,}")  # [0-9][0-9 .-]{9,}
_LETTERS = (("C", re.compile("[A-D]", re.I)), ("A", re.compile("[A-HJKPSTUW]", re.I)), ("B", re.compile("[A-Z]", re.I)))


def _shape_of(character: str) -> str:
    """What the cores read a character as (see above); a letter beyond ASCII that an ASCII letter's class matches in any
    case (the Kelvin sign, the long s, the Turkish dotted and dotless i) is that class's."""
    if character in "0123456789":
        return "0"
    for shape, letters in _LETTERS:
        if letters.fullmatch(character):
            return shape
    if character in " \t-.":
        return character
    return "_" if character.isalnum() or character == "_" else "#"


_SHAPES = bytes(ord(_shape_of(chr(c))) for c in range(128)) + b"#" * 128  # an ASCII character's shape, by its code
# For each shape, an ASCII character that has it (the last of them): what stands in for a character beyond ASCII.
_STAND_IN = {chr(shape): chr(c) for c, shape in enumerate(_SHAPES[:128])}
_BEYOND_ASCII = re.compile(r"[^\x00-\x7f]")


@lru_cache(maxsize=8)
def _shape(text: str) -> bytes:
    """The shape of each character of `text`, at the same offsets; worked out once for the several cores that read it."""
    if not text.isascii():
        text = _BEYOND_ASCII.sub(lambda m: _STAND_IN[_shape_of(m.group(0))], text)
    return text.encode("ascii").translate(_SHAPES)


_DIGIT_RUN = re.compile(r"[0-9]+(?:[ .-]{1,2}[0-9]+)*")
_PHONE = re.compile(r"\(?(?:(?:\+|00)[ \t]?44[ \t]?(?:\(0\)[ \t]?)?|0)[0-9][0-9 \t()-]{7,18}[0-9](?![\w])")
_PHONE_SIGN = re.compile(r"[+0]")  # what a telephone number starts with, after any bracket
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+ ?@ ?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])")

_ORDINAL = re.compile(r"[0-9](?:st|nd|rd|th)", re.I)


@dataclass(frozen=True)
class Identifier:
    code: str
    what: str
    replacement: str
    # Each (start, end) of the identifier in normalised text
    find: Callable[[str], Iterator[tuple[int, int]]]


def _postcodes(text: str) -> Iterator[tuple[int, int]]:
    for core in _POSTCODE_CORE.finditer(_shape(text)):
        for start in (core.start() - 2, core.start() - 1):  # the area's two letters, or its one
            match = _POSTCODE.match(text, max(start, 0))
            if match and match.end() == core.end() and not _ordinal(match.group(0)):
                yield match.span()
                break


def _ordinal(found: str) -> bool:
    """"GP1 2nd": a staff id and an ordinal, unless written in capitals as a postcode is."""
    inward = found[-3:]
    return bool(_ORDINAL.fullmatch(inward)) and not inward.isupper()


def _ni_numbers(text: str) -> Iterator[tuple[int, int]]:
    for core in _NI_CORE.finditer(_shape(text)):
        for gap in range(4):
            match = _NI_NUMBER.match(text, max(core.start() - 2 - gap, 0))
            if match and match.end() == core.end():
                yield match.span()
                break


def _nhs_numbers(text: str) -> Iterator[tuple[int, int]]:
    """Ten digits in up to five groups, however spaced, that pass the check.

    Tried from each group of a run of numbers, so that a number beside another is still
    found ("born 08/1972 554 105 2564"); but only from the first group of a word to the
    last group of one, so that no ten digits are taken from the middle of dates written
    with hyphens ("2024-03-12 2024-04-01").
    """
    for run in _long_runs(text):
        found = run.group(0)
        if len(found) < 10 or sum(ch.isdigit() for ch in found) < 10:  # a date, a time, a count: never ten digits
            continue
        groups = [(run.start() + m.start(), run.start() + m.end()) for m in re.finditer(r"[0-9]+", run.group(0))]
        starts, ends = _word_edges(text, groups)
        i = 0
        while i < len(groups):
            j, count = i, 0
            while j < len(groups) and count < 10:
                count += groups[j][1] - groups[j][0]
                j += 1
            start, end = groups[i][0], groups[j - 1][1]
            if count == 10 and j - i <= 5 and starts[i] and ends[j - 1] and nhs_number_valid(re.sub(r"[^0-9]", "", text[start:end])):
                yield start, end
                i = j
            else:
                i += 1


def _long_runs(text: str) -> Iterator[re.Match[str]]:
    """The runs of numbers (`_DIGIT_RUN`) that may hold ten digits, looked for only where ten characters of
    them are together (`_NUMBERS`): a run never spans two of those places, so they are the runs a search of the
    whole text finds, but for short ones (a date, a time)."""
    for place in _NUMBERS.finditer(_shape(text)):
        yield from _DIGIT_RUN.finditer(text, place.start(), place.end())


def _word_edges(text: str, groups: list[tuple[int, int]]) -> tuple[list[bool], list[bool]]:
    """Whether each digit group of a run starts a word, and whether it ends one: a space before or after it, or
    the run's own edge, unless the text goes on there as a date does ("08/1972")."""
    last = len(groups) - 1
    starts = [text[groups[i - 1][1]:groups[i][0]].isspace() if i else not _in_date(text[max(groups[0][0] - 2, 0):groups[0][0]])
              for i in range(len(groups))]
    ends = [text[groups[i][1]:groups[i + 1][0]].isspace() if i < last else not _in_date(text[groups[i][1]:groups[i][1] + 2][::-1])
            for i in range(len(groups))]
    return starts, ends


def _in_date(before: str) -> bool:
    """The two characters before a number (or after it, reversed) go on with a date's separator and a digit."""
    return len(before) == 2 and before[0].isdigit() and before[1] in "/.-"


def nhs_number_valid(digits: str) -> bool:
    """The modulus-11 check of an NHS number: weights 10 to 2, check digit 11 minus the remainder."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    check = 11 - sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=False)) % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def _phones(text: str) -> Iterator[tuple[int, int]]:
    """Each number is looked for again from where the one before it ends, not where the pattern's match ends."""
    match = _phone_search(text, 0)
    while match:
        start, after = match.start(), match.start() + 1
        if not start or not (text[start - 1].isalnum() or text[start - 1] in "_+" or _in_date(text[max(start - 2, 0):start])):
            end = _phone_end(match.group(0))
            if end is not None:
                yield start, start + end
                after = start + end
        match = _phone_search(text, after)


def _phone_search(text: str, pos: int) -> re.Match[str] | None:
    """`_PHONE.search(text, pos)`, tried only where a number can start: at a + or a 0, or at the bracket before one
    (a search tries the pattern at every character, and its optional bracket first gives it nothing to skip by)."""
    for sign in _PHONE_SIGN.finditer(text, pos):
        at = sign.start()
        for start in (at - 1, at) if at > pos and text[at - 1] == "(" else (at,):
            match = _PHONE.match(text, start)
            if match:
                return match
    return None


def _phone_end(found: str) -> int | None:
    """The end of the longest start of the match that is a UK number (10 or 11 digits from the 0, not 00).

    The pattern takes every digit group that follows, so a number followed by a year
    or a count ("07700 900123 2024") is cut back to the number.
    """
    number = found.lstrip("(")
    for end in reversed([m.end() for m in re.finditer(r"[0-9]+\)?", found)]):
        digits = re.sub(r"[^0-9]", "", found[:end])
        if number.startswith(("+", "00")):
            digits = "0" + digits[4 if number.startswith("00") else 2:].removeprefix("0")
        if len(digits) in (10, 11) and digits[1] != "0":
            return end
    return None


def _emails(text: str) -> Iterator[tuple[int, int]]:
    """Looked for from each @ only: most text has none."""
    done = 0
    for at in (m.start() for m in re.finditer("@", text)):
        start = at - 1 if text[at - 1:at] == " " else at  # "name @ example.org" is read as an address too
        while start > done and (text[start - 1].isalnum() or text[start - 1] in "._%+-"):
            start -= 1
        match = _EMAIL.match(text, start)
        if match:
            yield match.span()
            done = match.end()


KINDS = (
    Identifier("email-address", "an e-mail address", "[e-mail address removed]", _emails),
    Identifier("phone-number", "a telephone number", "[telephone number removed]", _phones),
    Identifier("nhs-number", "an NHS number (it passes the NHS number check)", "[NHS number removed]", _nhs_numbers),
    Identifier("ni-number", "a National Insurance number", "[National Insurance number removed]", _ni_numbers),
    Identifier("postcode", "a postcode", "[postcode removed]", _postcodes),
)


def codes(text: str) -> Iterator[tuple[int, int]]:
    """Where the text has a postcode or a National Insurance number: what looks like an identifier rather than a
    word, which the abbreviation rule leaves to the anonymisation rule ("NB4 7QT" is not an abbreviation)."""
    yield from _postcodes(text)
    yield from _ni_numbers(text)


def identifiers(text: str) -> Iterator[tuple[Identifier, int, int]]:
    """Every identifier in normalised `text`: its kind, start and end."""
    for kind in KINDS:
        for start, end in kind.find(text):
            yield kind, start, end
