"""Counting the words added to and removed from a text.

A panel member wants to know how much of a section moved, not a character diff:
the texts are split into words (Markdown punctuation and guidance comments left out)
and compared as sequences, so a reworded sentence counts the words that changed,
not the whole line.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter

from sarflow.load.markdown import strip_comments

_WORD = re.compile(r"[^\W_](?:[\w'’.,%£/-]*[^\W_])?")


def words(text: str | None) -> list[str]:
    return _WORD.findall(strip_comments(text or ""))


def counted(old: str | None, new: str | None) -> tuple[int, int, int]:
    """(words added, words removed, words moved) going from `old` to `new`.

    Lines are matched first (one sentence per line is the house style), then the
    words of the lines that differ, which keeps a long section's comparison fast. A
    line removed in one place and added unchanged in another was moved, not rewritten.
    """
    before = [words(line) for line in strip_comments(old or "").split("\n")]
    after = [words(line) for line in strip_comments(new or "").split("\n")]
    lines = difflib.SequenceMatcher(None, [" ".join(w) for w in before], [" ".join(w) for w in after], autojunk=False)
    chunks = [(before[i1:i2], after[j1:j2]) for tag, i1, i2, j1, j2 in lines.get_opcodes() if tag != "equal"]
    gone = Counter(" ".join(line) for olds, _ in chunks for line in olds if line)
    came = Counter(" ".join(line) for _, news in chunks for line in news if line)
    moved_lines = gone & came
    moved = sum(len(line.split()) * n for line, n in moved_lines.items())
    unmoved_old, unmoved_new = Counter(moved_lines), Counter(moved_lines)
    added = removed = 0
    for olds, news in chunks:
        old_words = [w for line in olds if not _take(unmoved_old, line) for w in line]
        new_words = [w for line in news if not _take(unmoved_new, line) for w in line]
        for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, old_words, new_words, autojunk=False).get_opcodes():
            removed += a2 - a1 if op in ("replace", "delete") else 0
            added += b2 - b1 if op in ("replace", "insert") else 0
    return added, removed, moved


def _take(moved: Counter[str], line: list[str]) -> bool:
    """Whether `line` is one of the moved lines (each is taken once)."""
    key = " ".join(line)
    if line and moved[key] > 0:
        moved[key] -= 1
        return True
    return False


def headline(text: str | None, limit: int = 12) -> str:
    """The first `limit` words of a text, to name a record without quoting all of it."""
    found = (text or "").split()
    return " ".join(found[:limit]) + (" …" if len(found) > limit else "")
