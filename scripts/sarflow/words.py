"""Small helpers for writing messages in plain English: lists, plurals and near misses.

The loader, the checks and the commands all suggest "did you mean ...?" the same way:
through `nearest` here.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Any


def nearest(word: str, choices: Sequence[str]) -> str | None:
    """The choice an author most likely meant: the same words ignoring case and spacing, or the closest."""
    folded = {fold(c): c for c in choices}
    if fold(word) in folded:
        return folded[fold(word)]
    near = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return near[0] if near else None


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
