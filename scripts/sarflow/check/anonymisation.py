"""Rule 8: nothing in the text identifies a person who should not be identifiable.

Staff appear in the text by their ids (SW1), never by name; family members by their
anonymised names. The text of the sections, the chronology, the actions and the QA
comments is searched for a member of staff's real name, a postcode, an NHS number
(ten digits that pass the modulus-11 check, so that an ordinary ten-digit number is
not flagged), a National Insurance number, a UK telephone number, an e-mail address
and a family member's date of birth in any common form. The board decides whether
these are warnings or errors (reviews/board.yml, settings.anonymisation).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator

from sarflow.check import text
from sarflow.check.context import Context
from sarflow.model import Imr

_EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
_NHS = re.compile(r"(?<![\d-])\d{3}[ -]?\d{3}[ -]?\d{4}(?![\d-])")
# Any two capitals, six digits and A to D: the letters HMRC never issues (QQ, the form's
# own example) still look like a National Insurance number to a reader.
_NI = re.compile(r"\b[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b")
_PHONE = re.compile(r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|\(?0)\d[\d \-()]{7,14}\d(?!\w)")
_POSTCODE = re.compile(r"\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKPSTUW]? ?[0-9][ABD-HJLNP-UW-Z]{2})\b")
# What looks like an identifier rather than a word: the abbreviation rule leaves it to this one.
IDENTIFIERS = (_POSTCODE, _NI)
_TITLES = r"(?:Dr|Mr|Mrs|Ms|Miss|Mx|Prof|Nurse|Sister)\.?"
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_REMOVE = "remove it: the report identifies people only by their anonymised names and staff ids"

# code, pattern, and the message and hint for the text found
Pattern = tuple[str, re.Pattern[str], Callable[[str], tuple[str, str]]]


def check(ctx: Context) -> None:
    imr = ctx.the_imr
    written = text.joined([*text.sections(imr, ctx.repo.template), *text.written_data(imr, ctx.repo.template)])
    taken: list[tuple[int, int]] = []
    for code, pattern, describe in _fixed() + _names(imr, written.text.casefold()) + list(_dates_of_birth(imr, written.text)):
        for match in pattern.finditer(written.text):
            if any(start < match.end() and match.start() < end for start, end in taken) or not _real(code, match.group(0)):
                continue
            taken.append((match.start(), match.end()))
            message, hint = describe(match.group(0))
            ctx.report(code, message, written.at(match.start()), hint)


def _fixed() -> list[Pattern]:
    def saying(message: str, hint: str) -> Callable[[str], tuple[str, str]]:
        return lambda found: (message.format(found), hint)

    return [
        ("email-address", _EMAIL, saying("`{}` is an e-mail address", "remove it, or describe it, e.g. 'the team's shared inbox'")),
        ("nhs-number", _NHS, saying("`{}` looks like an NHS number (it passes the NHS number check)", _REMOVE)),
        ("ni-number", _NI, saying("`{}` looks like a National Insurance number", _REMOVE)),
        ("phone-number", _PHONE, saying("`{}` looks like a telephone number",
                                        "remove it, or describe it, e.g. 'her daughter's mobile number'")),
        ("postcode", _POSTCODE, saying("`{}` looks like a postcode",
                                       "keep addresses in the family table in imr.yml; in the text say e.g. 'her flat'")),
    ]


def _real(code: str, found: str) -> bool:
    """The checks a pattern cannot make: the NHS check digit, and a phone number's length."""
    digits = re.sub(r"\D", "", found)
    if code == "nhs-number":
        return nhs_number_valid(digits)
    if code == "phone-number":
        if found.startswith("+44"):
            digits = "0" + digits[2:].removeprefix("0")
        return len(digits) in (10, 11) and digits[1] != "0"
    return True


def nhs_number_valid(digits: str) -> bool:
    """The modulus-11 check of an NHS number: weights 10 to 2, check digit 11 minus the remainder."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    check = 11 - sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1))) % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def _names(imr: Imr, folded: str) -> list[Pattern]:
    """Two patterns for all staff at once: a full name (with or without a title), and a title with a surname.

    Only the staff whose surname appears somewhere in the (case-folded) text are looked
    for, which leaves nothing to search in most IMRs.
    """
    full: dict[str, str] = {}
    surnames: dict[str, str] = {}
    for person in imr.personnel:
        words = re.sub(rf"^{_TITLES}\s+", "", person.name or "").split()
        if words and person.id and words[-1].casefold() in folded:
            full[_key(" ".join(words))] = person.id
            if len(words) > 1 and len(words[-1]) > 1:
                surnames[words[-1]] = person.id
    patterns: list[Pattern] = []
    if full:
        names = "|".join(r"\s+".join(map(re.escape, name.split())) for name in sorted(full, key=len, reverse=True))
        pattern = re.compile(rf"\b(?:{_TITLES}\s+)?(?:{names})\b", re.I)
        patterns.append(("real-name", pattern, lambda found: _named(found, full[_key(_untitled(found))])))
    if surnames:
        pattern = re.compile(rf"\b{_TITLES}\s+(?:{'|'.join(map(re.escape, surnames))})\b")
        patterns.append(("real-name", pattern, lambda found: _named(found, surnames[found.split()[-1]])))
    return patterns


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _untitled(found: str) -> str:
    return re.sub(rf"^{_TITLES}\s+", "", found, flags=re.I)


def _named(found: str, person_id: str) -> tuple[str, str]:
    return f"`{found}` is the real name of {person_id}; staff are named in the text only by their ids", f"write {person_id} instead"


def _dates_of_birth(imr: Imr, written: str) -> Iterator[Pattern]:
    for member in imr.family:
        if member.date_of_birth is not None:
            whose = member.name or "a family member"
            pattern = _date_pattern(member.date_of_birth, in_words=str(member.date_of_birth.year) in written)
            yield ("date-of-birth", pattern, lambda found, whose=whose: (
                f"`{found}` is the date of birth of {whose}",
                "keep dates of birth in the family table in imr.yml; in the text give an age instead, e.g. aged 78"))


def _date_pattern(d: dt.date, in_words: bool) -> re.Pattern[str]:
    """The date as figures (01/02/1981, 1/2/81), and, when its year is in the text at all, in the other forms."""
    forms = [rf"(?<!\d)0?{d.day}([/.-])0?{d.month}\1(?:{d.year}|{d.year % 100:02d})(?!\d)"]
    if in_words:
        month = _MONTHS[d.month - 1]
        name = f"(?:{month}|{month[:3]}\\.?)"
        day = rf"{d.day}(?:st|nd|rd|th)?"
        forms += [
            rf"(?<!\d){d.year}-{d.month:02d}-{d.day:02d}(?!\d)",
            rf"\b{day}(?:\s+of)?\s+{name},?\s+{d.year}\b",
            rf"\b{name}\s+{day},?\s+{d.year}\b",
        ]
    return re.compile("|".join(f"(?:{form})" for form in forms), re.I)
