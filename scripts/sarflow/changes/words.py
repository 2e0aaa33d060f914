"""Counting the words added to and removed from a text.

A panel member wants to know how much of a section moved, not a character diff:
the texts are split into words (Markdown punctuation and guidance comments left out)
and compared as sequences, so a reworded sentence counts the words that changed,
not the whole line.
"""

from __future__ import annotations

import difflib
import re

from sarflow.load.markdown import strip_comments

_WORD = re.compile(r"[^\W_](?:[\w'’.,%£/-]*[^\W_])?")


def words(text: str | None) -> list[str]:
    return _WORD.findall(strip_comments(text or ""))


def counted(old: str | None, new: str | None) -> tuple[int, int]:
    """(words added, words removed) going from `old` to `new`.

    Lines are matched first (one sentence per line is the house style), then the
    words of the lines that differ, which keeps a long section's comparison fast.
    """
    before = [words(line) for line in strip_comments(old or "").split("\n")]
    after = [words(line) for line in strip_comments(new or "").split("\n")]
    added = removed = 0
    lines = difflib.SequenceMatcher(None, [" ".join(w) for w in before], [" ".join(w) for w in after], autojunk=False)
    for tag, i1, i2, j1, j2 in lines.get_opcodes():
        if tag == "equal":
            continue
        old_words = [w for line in before[i1:i2] for w in line]
        new_words = [w for line in after[j1:j2] for w in line]
        for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, old_words, new_words, autojunk=False).get_opcodes():
            removed += a2 - a1 if op in ("replace", "delete") else 0
            added += b2 - b1 if op in ("replace", "insert") else 0
    return added, removed


def headline(text: str | None, limit: int = 12) -> str:
    """The first `limit` words of a text, to name a record without quoting all of it."""
    found = (text or "").split()
    return " ".join(found[:limit]) + (" …" if len(found) > limit else "")
