"""Values restricted because of whose they are: staff and signatories' names, family members'
dates of birth and addresses, each in the forms an author writes it.

Each value is a `Value`: a pattern over normalised text, what the finding says it is,
what the board outputs show instead, and the words that must be in a text for it to be
there at all (`keys`), so that a board's thousands of names cost a set lookup per text.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
# Between the words of a name or an address: nothing ("HannahPryce"), spaces, a line
# break, a full stop, a comma or a hyphen; never the NUL that separates joined passages.
_SEP = r"[^\w\x00]{0,3}"
_TITLES = ("mr", "mrs", "ms", "miss", "mx", "dr", "doctor", "prof", "professor", "sir", "dame", "rev", "revd")
# Words for a job that are written before a surname ("Nurse Farrant", "Ward Sister Morgan", "PC Finch").
_ROLES = ("nurse", "sister", "matron", "midwife", "worker", "officer", "manager", "practitioner", "therapist",
          "adviser", "advisor", "coordinator", "co-ordinator", "registrar", "consultant", "gp", "pc", "dc", "ds", "di",
          "constable", "sergeant", "sgt", "inspector", "paramedic", "carer", "assistant", "administrator",
          "specialist", "lead", "clinician", "pharmacist", "psychiatrist", "physiotherapist", "surgeon")
_BEFORE_SURNAME = rf"\b(?:{'|'.join(sorted(map(re.escape, _TITLES + _ROLES), key=len, reverse=True))})\.?"
TITLE = re.compile(rf"^(?:{'|'.join(_TITLES)})\.?\s+", re.I)
# What a personnel list says when a name is not given.
_NO_NAME = {"not known", "unknown", "n/a", "na", "none", "not given", "withheld", "not recorded", "tbc"}
# Words that begin an address without naming a place ("Flat 3, Alder Court").
_UNIT = {"flat", "apartment", "apt", "unit", "room", "suite", "floor", "house", "no", "number", "ground", "first",
         "second", "third", "top", "basement", "the"}


@dataclass(frozen=True)
class Value:
    code: str
    what: str  # "the real name of SW1"
    replacement: str
    instead: str | None  # what the text should say, for the hint
    keys: frozenset[str]  # casefolded words (or runs of letters and digits), any one of which must be in the text
    source: str = field(repr=False)  # the pattern (see `compiled`)
    where: str | None = None  # the IMR ("review/agency") a name belongs to


_CACHE: dict[str, re.Pattern[str]] = {}


def compiled(source: str) -> re.Pattern[str]:
    """A value's pattern, compiled the first time a text may hold the value (most never do)."""
    pattern = _CACHE.get(source)
    if pattern is None:
        pattern = _CACHE[source] = re.compile(source, re.I)
    return pattern


def words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text)


def name_values(name: str | None, what: str, replacement: str, instead: str | None, where: str) -> list[Value]:
    """A person's name: in full, first and last name, surname then first name, initial and surname,
    surname after a title or a role; with or without spaces, in any case.

    A name of one word is looked for only after a title or a role: alone it may be an
    ordinary word ("Ward").
    """
    found = _name_pattern((name or "").strip())
    if found is None:
        return []
    keys, source = found
    return [Value("real-name", what, replacement, instead, keys, source, where)]


@functools.lru_cache(maxsize=4096)
def _name_pattern(name: str) -> tuple[frozenset[str], str] | None:
    """The keys and the pattern of a name (see `name_values`), worked out once a run for each name: a board's
    staff and signatories are named in many IMRs."""
    plain = TITLE.sub("", name)
    if plain.casefold() in _NO_NAME or len("".join(words(plain))) < 3:
        return None
    parts = [_word(w) for w in plain.split() if words(w)]
    surname, last = parts[-1], words(plain.split()[-1])
    forms = []
    if len(parts) > 1:
        forms += [_SEP.join(parts), _SEP.join([parts[0], surname]), _SEP.join([surname, parts[0]])]
        # An initial A or I without its full stop only in capitals: "a price" is not "A. Price".
        initial = re.escape(words(plain)[0][0])
        forms.append(rf"(?:(?-i:{initial.upper()})|{initial}\.)" if initial.upper() in "AI" else rf"{initial}\.?")
        forms[-1] += _SEP + surname
    if len("".join(last)) > 1:
        forms.append(rf"{_BEFORE_SURNAME}{_SEP}{surname}")
    source = rf"\b(?:{_BEFORE_SURNAME}{_SEP})?(?:{'|'.join(forms)})\b"
    return frozenset({max(last, key=len).casefold()}), source


def _word(word: str) -> str:
    """A word of a name as a pattern: its letters, with anything or nothing between its parts ("O'Brien", "OBrien")."""
    return _SEP.join(map(re.escape, words(word)))


def date_of_birth_value(born: dt.date, whose: str) -> Value:
    """A date of birth as authors write it: 2/10/57, 02/10/1957, 1957-10-02, 02101957, 2nd October 1957,
    2 Oct 57, 2nd of Oct. '57, October 2, 1957, Oct 2nd 1957, and "born in October 1957" or "DOB 10/1957".
    """
    keys, source = _date_of_birth_pattern(born)
    return Value("date-of-birth", f"the date of birth of {whose}", "[date of birth removed]", None, keys, source)


@functools.lru_cache(maxsize=4096)
def _date_of_birth_pattern(born: dt.date) -> tuple[frozenset[str], str]:
    d, m, y, yy = born.day, born.month, born.year, f"{born.year % 100:02d}"
    year = rf"(?:{y}|'?{yy})"
    month_name = _MONTHS[m - 1]
    month = rf"(?:{month_name}|{month_name[:3]}{'t' if m == 9 else ''}\.?|{month_name[:3]}\.?)"
    day = rf"0?{d}(?:st|nd|rd|th)?"
    forms = [
        rf"(?<![0-9])0?{d}\s*(?P<a>[/.-])\s*0?{m}\s*(?P=a)\s*{year}(?![0-9])",
        rf"(?<![0-9]){y}\s*(?P<b>[/.-])\s*0?{m}\s*(?P=b)\s*0?{d}(?![0-9])",
        rf"(?<![0-9])(?:{d:02d}{m:02d}{y}|{y}{m:02d}{d:02d})(?![0-9])",
        rf"\b{day}(?:\s+of)?[\s,./-]*{month}[\s,./-]*{year}\b",
        rf"\b{month}[\s,./-]*{day},?\s*{year}\b",
        # Only the month and year: a date of birth when said to be one.
        rf"\b(?:born|dob|d\.o\.b\.?|date\s+of\s+birth|birth\s*date)[\s:,-]*(?:(?:in|on)\s+)?(?:{month},?\s*{year}|0?{m}\s*[/.-]\s*{y})(?![0-9])",
    ]
    source = "|".join(f"(?:{form})" for form in forms)
    return frozenset({str(y), yy, f"{d:02d}{m:02d}{y}", f"{y}{m:02d}{d:02d}"}), source


def address_values(address: str | None, whose: str) -> list[Value]:
    """A family address in full, its first line (with or without its number) and, as an identifier, its postcode.

    The parts are the address's words in order, with any punctuation or spacing between them.
    """
    found = _address_pattern(address) if address else None
    if found is None:
        return []
    keys, source = found
    return [Value("address", f"the address of {whose}", "[address removed]", None, keys, source)]


@functools.lru_cache(maxsize=4096)
def _address_pattern(address: str) -> tuple[frozenset[str], str] | None:
    if not words(address):
        return None
    lines = [p for p in re.split(r"[,\n]", address) if words(p)]
    first: list[str] = []
    for line in lines:
        first.append(line)
        if any(len(w) > 2 and not w.isdigit() and w.casefold() not in _UNIT for w in words(line)):
            break
    first_line = words(" ".join(first))
    street = [w for w in words(first[-1]) if not any(c.isdigit() for c in w)]
    forms = [words(address), first_line, *([street] if len(street) > 1 else [])]
    source = "|".join(rf"\b{_SEP.join(map(re.escape, form))}\b" for form in sorted(forms, key=len, reverse=True))
    # Every form holds the first line, so the first line's longest word is in any text that holds one.
    return frozenset({max(first_line, key=lambda w: (not w.isdigit(), len(w))).casefold()}), source
