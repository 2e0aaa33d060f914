"""Text as the restricted-value search reads it, with every position mapped back to the author's text.

An author (or a pasted e-mail) can hide a restricted value from a plain search without
meaning to: a zero-width space or a soft hyphen inside a name, a non-breaking space in
a postcode, full-width digits, an accented letter written without its accent, or a
Cyrillic or Greek letter that looks Latin ("Руce" with a Cyrillic Р). The search reads
the text after Unicode compatibility decomposition (NFKD: full-width forms,
ligatures, mathematical letters and every kind of space become plain ones), with
invisible format characters (category Cf: zero-width characters, the soft hyphen,
direction marks) and accents (combining marks) removed, look-alike letters folded to
the Latin letter they imitate, every decimal digit made 0-9 and every dash a hyphen.

Only characters that change length are remembered, so that a finding can still name
the line and column the author typed; text that is plain ASCII (most of it) costs
nothing.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

# Cyrillic and Greek letters drawn like Latin ones, as typed by a keyboard or a paste
# from a document in another script. Accented forms (ё, ї, ά) lose their accent first.
_LOOK_ALIKES = dict(zip(
    "АВЕЅІЈКМНОРСТУХҮԚԜӀаеорсуххѕіјһԁԛԝӏкɑɡıȷ"
    "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧοικνρυχα",
    "ABESIJKMHOPCTYXYQWIaeopcyxxsijhdqwlkagij"
    "ABEZHIKMNOPTYXoikvpuxa",
    strict=True,
))
_QUOTES = {"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
           "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"', "\u2212": "-"}
_NOT_ASCII = re.compile(r"[^\x00-\x7f]")


@lru_cache(maxsize=4096)
def fold(ch: str) -> str:
    """One character as the search reads it: possibly several characters, or none."""
    out = []
    for c in unicodedata.normalize("NFKD", ch):
        kind = unicodedata.category(c)
        if kind in ("Cf", "Mn", "Me"):
            continue
        if kind == "Nd":
            c = str(unicodedata.decimal(c))
        elif kind == "Pd":
            c = "-"
        elif kind in ("Zs", "Zl", "Zp"):
            c = " "
        out.append(_QUOTES.get(c) or _LOOK_ALIKES.get(c, c))
    return "".join(out)


@dataclass(frozen=True)
class Normalised:
    """The normalised text, and where each of its characters came from in the author's."""

    text: str
    # For each author's character that changed length: its offset in the normalised
    # text, its offset in the author's text, and its normalised length (0 when removed).
    _at: list[int] = field(default_factory=list, repr=False)
    _was: list[int] = field(default_factory=list, repr=False)
    _size: list[int] = field(default_factory=list, repr=False)

    def start(self, offset: int) -> int:
        """The author's offset of the character at normalised `offset`."""
        i = bisect_right(self._at, offset) - 1
        if i < 0:
            return offset
        at, was, size = self._at[i], self._was[i], self._size[i]
        return was if offset < at + size else was + 1 + offset - at - size

    def end(self, offset: int) -> int:
        """The author's offset just after a span that ends at normalised `offset`."""
        i = bisect_left(self._at, offset) - 1
        if i < 0:
            return offset
        at, was, size = self._at[i], self._was[i], self._size[i]
        return was + 1 if offset <= at + size else was + 1 + offset - at - size


def normalise(text: str) -> Normalised:
    if text.isascii():
        return Normalised(text)
    parts: list[str] = []
    at: list[int] = []
    was: list[int] = []
    size: list[int] = []
    done = 0  # author's text copied so far
    shift = 0  # normalised length minus the author's, so far
    for match in _NOT_ASCII.finditer(text):
        i = match.start()
        folded = fold(text[i])
        parts += [text[done:i], folded]
        done = i + 1
        if len(folded) != 1:
            at.append(i + shift)
            was.append(i)
            size.append(len(folded))
            shift += len(folded) - 1
    parts.append(text[done:])
    return Normalised("".join(parts), at, was, size)
