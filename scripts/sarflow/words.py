"""Small helpers for writing messages in plain English: lists, plurals and near misses.

The loader, the checks and the commands all suggest "did you mean ...?" the same way:
through `nearest` here.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from typing import Any


def nearest(word: str, choices: Sequence[str]) -> str | None:
    """The choice an author most likely meant: the same words ignoring case and spacing, or the closest."""
    folded = {fold(c): c for c in choices}
    if fold(word) in folded:
        return folded[fold(word)]
    near = difflib.get_close_matches(fold(word), list(folded), n=1, cutoff=0.6)
    return folded[near[0]] if near else None


def exactly(word: str, choices: Sequence[str]) -> str:
    """The hint for a value that must be one of `choices` word for word (a status, a schema's listed value)."""
    near = nearest(word, choices)
    if near:
        return f'did you mean "{near}"? Write it exactly so, with the same capitals'
    return f"write one of: {listing(choices)}"


def fold(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").split()).casefold()


def listing(values: Sequence[Any], last: str = "or") -> str:
    """`a, b or c`."""
    items = [str(v) for v in values]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """`1 error`, `2 errors`."""
    return f"{count} {noun if count == 1 else (nouns or noun + 's')}"


def short_code(name: str, taken: Sequence[str] = ()) -> str:
    """A short code to propose for an agency (ASC for Adult Social Care), none of `taken`: the
    initials of its name's words, at most six (the first three letters of a one-word name),
    with a digit added where another agency has them; always of the form review.yml accepts."""
    words = [w for w in re.findall(r"[A-Za-z0-9]+", name) if w.casefold() not in _SMALL_WORDS]
    code = "".join(w[0] for w in words).upper()[:6] if len(words) > 1 else "".join(words).upper()[:3]
    code = code if code[:1].isalpha() else f"A{code}"[:6]
    code = code.ljust(2, "X")
    candidate, n = code, 2
    while candidate in taken:
        candidate = f"{code[: 6 - len(str(n))]}{n}"
        n += 1
    return candidate


_SMALL_WORDS = frozenset({"of", "and", "the", "for", "in", "on", "at", "to"})
