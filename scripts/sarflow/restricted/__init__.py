"""What is restricted, found in any text: the one guard that `check` and every board output use.

Restricted (see the design's confidentiality tiers) are the values that identify a
person and that only the panel may see:
- the real names of staff (personnel) and of the IMR's signatories;
- family members' dates of birth and addresses;
- whoever they belong to: postcodes, NHS and National Insurance numbers, UK telephone
  numbers and e-mail addresses.

`Restricted.of(imrs)` gathers the values of the given IMRs from the model (through `People`, what
each IMR says about people, which a check can keep for the IMRs it does not read again; a board's
status site uses every IMR of the repository, so that a name from one review typed into
another is caught too); `find(text)` returns each restricted value in a text with its
position in the author's text, whatever form it is written in (see normal.py for the
hiding tricks undone, identifiers.py and values.py for the forms); `redact(text)`
replaces each by what the board outputs show instead. The tiers module says which
text is the status tier, which the board outputs show.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from sarflow.model import Imr, Repository
from sarflow.restricted.identifiers import codes, identifiers, nhs_number_valid
from sarflow.restricted.normal import Normalised, normalise
from sarflow.restricted.values import Value, address_values, compiled, date_of_birth_value, name_values

__all__ = ["Found", "People", "Restricted", "codes", "nhs_number_valid", "normalise"]

_WORD = re.compile(r"[^\W_]+")
# When two values overlap, the first kind in this order is reported (an address holds a postcode;
# ten digits of a telephone number may pass the NHS number check).
_ORDER = ("email-address", "real-name", "address", "date-of-birth", "phone-number", "nhs-number", "ni-number", "postcode")


@dataclass(frozen=True)
class Found:
    """A restricted value in a text, at [start, end) of the author's text."""

    code: str  # the finding code: real-name, date-of-birth, address, postcode, nhs-number, ...
    start: int
    end: int
    text: str  # the value as it reads once normalised (what the author meant to write)
    disguised: bool  # the author's text differs: hidden characters or look-alike letters
    what: str  # "the real name of SW1", "a postcode"
    replacement: str  # what the board outputs show instead
    instead: str | None  # what the text should say instead, when there is one (a staff id)
    where: str | None  # the IMR ("review/agency") whose person it names, for a name


@dataclass(frozen=True)
class People:
    """What one IMR's imr.yml says that is restricted everywhere: its staff's, signatories' and family's details.

    All that `Restricted` needs of an IMR, so that a check can keep it for an IMR it does not read again (sarflow.recheck).
    """

    where: str  # the IMR, "review/agency"
    staff: tuple[tuple[str | None, str | None], ...]  # each member of staff's id and real name
    signatories: tuple[tuple[str, str | None], ...]  # ("author" or "approver", the name)
    family: tuple[tuple[str | None, dt.date | None, str | None], ...]  # each family member's name, date of birth, address

    @classmethod
    def of(cls, imr: Imr) -> People:
        signed = (("author", imr.author), ("approver", imr.approved_by))
        return cls(f"{imr.review_id}/{imr.agency_id}", tuple((p.id, p.name) for p in imr.personnel),
                   tuple((role, s.name) for role, s in signed if s is not None),
                   tuple((m.name, m.date_of_birth, m.address) for m in imr.family))


class Restricted:
    """The restricted values of some IMRs, and a way to find them (and the identifiers) in any text."""

    def __init__(self, values: Iterable[Value] = ()) -> None:
        # Each key: the patterns of the values it may be part of, and the values of each
        # pattern (the same person in several IMRs is one pattern). A key of three
        # characters or more is filed under its last three too, to find it at the end of a
        # word ("HannahPryce", "DrPryce", "12March1947").
        self._by_key: dict[str, dict[str, list[Value]]] = {}
        self._ends: dict[str, set[str]] = {}
        self._redacted: dict[str, str] = {}  # what `redact` made of each text asked
        filed: set[tuple[str, Value]] = set()  # each value under each key once (a board's staff work in many IMRs)
        for value in values:
            for key in value.keys:
                if (key, value) not in filed:
                    filed.add((key, value))
                    self._by_key.setdefault(key, {}).setdefault(value.source, []).append(value)
                if len(key) >= 3:
                    self._ends.setdefault(key[-3:], set()).add(key)

    @classmethod
    def of(cls, imrs: Iterable[Imr]) -> Restricted:
        return cls.of_people(People.of(imr) for imr in imrs)

    @classmethod
    def of_people(cls, people: Iterable[People]) -> Restricted:
        """The restricted values of what the IMRs say about people (`People`), in the order given."""
        values: list[Value] = []
        for imr in people:
            for person_id, name in imr.staff:
                if person_id:
                    values += name_values(name, f"the real name of {person_id}", person_id, person_id, imr.where)
                else:
                    values += name_values(name, "the real name of a member of staff", "[name removed]", None, imr.where)
            for role, name in imr.signatories:
                values += name_values(name, f"the name of the IMR's {role}", "[name removed]", None, imr.where)
            for name, born, address in imr.family:
                whose = name or "a family member"
                if born is not None:
                    values.append(date_of_birth_value(born, whose))
                values += address_values(address, whose)
        return cls(values)

    @classmethod
    def of_repository(cls, repo: Repository) -> Restricted:
        return cls.of(repo.imrs())

    def find(self, text: str, here: str | None = None) -> list[Found]:
        """Every restricted value in `text`, in order.

        Where two overlap, the one of the first kind in _ORDER is kept. A name written in
        several IMRs is reported as the one of the IMR `here` ("review/agency"), if it is one.
        """
        normal = normalise(text)
        body = normal.text
        hits: list[Found] = [Found(kind.code, start, end, body[start:end], False, kind.what, kind.replacement, None, None)
                             for kind, start, end in identifiers(body)]
        for source, values in self._candidates(body).items():
            value = next((v for v in values if v.where == here), values[0])
            hits += [Found(value.code, m.start(), m.end(), m.group(0), False, value.what, value.replacement, value.instead,
                           value.where) for m in compiled(source).finditer(body)]
        taken: list[Found] = []
        for found in sorted(hits, key=lambda f: (_ORDER.index(f.code), f.start, -f.end)):
            if not any(found.start < f.end and f.start < found.end for f in taken):
                taken.append(found)
        return [self._in_author_text(text, normal, f) for f in sorted(taken, key=lambda f: f.start)]

    @staticmethod
    def _in_author_text(text: str, normal: Normalised, found: Found) -> Found:
        start, end = normal.start(found.start), normal.end(found.end)
        return replace(found, start=start, end=end, disguised=text[start:end] != found.text)

    def redact(self, text: str) -> str:
        """`text` with every restricted value replaced by what the board outputs show instead.

        Each text is worked out once: the board's outputs show the same status, owner or id many times."""
        redacted = self._redacted.get(text)
        if redacted is None:
            redacted = self._redacted[text] = self._redact(text)
        return redacted

    def _redact(self, text: str) -> str:
        parts, done = [], 0
        for found in self.find(text):
            parts += [text[done:found.start], found.replacement]
            done = found.end
        return "".join([*parts, text[done:]])

    def _candidates(self, body: str) -> dict[str, list[Value]]:
        """The patterns whose key is a word of the text, or the end of one (set operations, for speed)."""
        if not self._by_key:
            return {}
        words = _words(body)
        keys = words & self._by_key.keys()
        if self._ends:
            for word in words:
                if len(word) > 3 and (ending := self._ends.get(word[-3:])):
                    keys.update(key for key in ending if word.endswith(key))
        found: dict[str, list[Value]] = {}
        for key in keys:
            found.update(self._by_key[key])
        return found


# Every character of ASCII that is not a letter or a digit, as a space: an ASCII text's words are what is between.
_NOT_WORD = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isalnum()})
_NOT_WORD_BYTES = bytes.maketrans(bytes(range(128)), bytes(c if chr(c).isalnum() else 32 for c in range(128)))
_BEYOND_ASCII = re.compile(r"[^\x00-\x7f]")


def _words(text: str) -> set[str]:
    """The words of the text, casefolded: `_WORD`'s runs of letters and digits, found by translating and splitting.

    In a text beyond ASCII, each character there that is not a letter or a digit (a £, a curly quote, a dash, a
    non-breaking space: most often all there is) is made a space first; a text still beyond ASCII (an accented
    name) is split as its UTF-8 bytes, where translating stays fast and no character is split (each byte of a
    character beyond ASCII is beyond ASCII too)."""
    folded = text.casefold()
    if not folded.isascii():
        for character in set(_BEYOND_ASCII.findall(folded)):
            if not character.isalnum():
                folded = folded.replace(character, " ")
        if not folded.isascii():
            return {word.decode() for word in set(folded.encode().translate(_NOT_WORD_BYTES).split())}
    return set(folded.translate(_NOT_WORD).split())
