"""Restricted values that status text may repeat, taken out before the site shows that text.

The site shows status-tier fields only, but an author can still type a restricted
value into one: a member of staff's real name in an action's update, a family
member's address in a recommendation. `sarflow check` reports these, as warnings or
errors as the board chooses; the site never repeats them, whatever the board chose.
A real name becomes the person's id (as the text should have said), a signatory's
name, an address or a date of birth a note that it was removed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from sarflow.dates import uk, uk_long
from sarflow.model import Repository

_WORD = re.compile(r"\w+")
_POSTCODE = re.compile(r"\b[A-Z]{1,2}[0-9][0-9A-Z]? ?[0-9][A-Z]{2}\b", re.IGNORECASE)
_TITLES = r"(?:Dr|Mr|Mrs|Ms|Miss|Mx|Prof|Nurse|Sister)\.?"
NAME_REMOVED = "[name removed]"
ADDRESS_REMOVED = "[address removed]"
BIRTH_DATE_REMOVED = "[date of birth removed]"


class Redaction:
    """Replaces every restricted value of the repository found in a text.

    Patterns are filed under one word of their value, so a text is searched only for
    the values whose word it contains: a board's thousands of names cost little.
    """

    def __init__(self) -> None:
        self._by_word: dict[str, list[tuple[int, re.Pattern[str], str]]] = defaultdict(list)

    @classmethod
    def of(cls, repo: Repository) -> Redaction:
        redaction = cls()
        for imr in repo.imrs():
            for person in imr.personnel:
                redaction.add_name(person.name, person.id or NAME_REMOVED)
            for signatory in (imr.author, imr.approved_by):
                redaction.add_name(signatory.name if signatory else None, NAME_REMOVED)
            for member in imr.family:
                if member.address:
                    redaction.add(member.address, ADDRESS_REMOVED)
                    for postcode in _POSTCODE.findall(member.address):
                        redaction.add(postcode, ADDRESS_REMOVED)
                if member.date_of_birth:
                    for shown in _date_forms(member.date_of_birth):
                        redaction.add(shown, BIRTH_DATE_REMOVED)
        return redaction

    def add(self, value: str, replacement: str, prefix: str = "") -> None:
        """Replace `value` (any case, any punctuation or spacing between its words) by `replacement`."""
        words = _WORD.findall(value)
        if not words or not any(len(w) > 1 for w in words):
            return
        body = r"\W*".join(map(re.escape, words))
        pattern = re.compile(rf"(?<!\w){prefix}{body}(?!\w)", re.IGNORECASE)
        self._by_word[max(words, key=len).casefold()].append((len(value), pattern, replacement))

    def add_name(self, name: str | None, replacement: str) -> None:
        """A person's full name, with or without a title, and their surname after a title.

        A name of one word is looked for after a title only: alone, it may be an
        ordinary word ("Ward").
        """
        words = re.sub(rf"^{_TITLES}\s+", "", name or "", flags=re.IGNORECASE).split()
        if len(words) > 1:
            self.add(" ".join(words), replacement, prefix=rf"(?:{_TITLES}\s+)?")
        if words:
            self.add(words[-1], replacement, prefix=rf"{_TITLES}\s+")

    def __call__(self, text: str | None) -> str | None:
        if not text:
            return text
        found = {w.casefold() for w in _WORD.findall(text)} & self._by_word.keys()
        for _, pattern, replacement in sorted((p for w in found for p in self._by_word[w]), key=lambda p: -p[0]):
            text = pattern.sub(replacement, text)
        return text


def _date_forms(day: dt.date) -> list[str]:
    """A date as authors write it: 1981-02-01, 01/02/1981, 1/2/1981 and 1 February 1981."""
    return [day.isoformat(), uk(day), f"{day.day}/{day.month}/{day.year}", uk_long(day)]
