"""The sentences of a text that changed, old beside new, with the words that changed marked.

A count of words added and removed makes a change of meaning ("did not consider" become
"may not have fully considered") look like a typo fix, so the summary quotes each changed
sentence both ways. The text is split into sentences (the house style is one a line, but a
paragraph written or rewrapped otherwise splits the same), guidance comments left out, and
the two lists matched: a sentence rewritten is paired with the one it replaced, one that
only moved is no change (the word count says it moved), and the rest were removed or added.
The words are compared as written, so a reflow or a change of spacing is no change.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Callable

from sarflow.changes.model import Sentence
from sarflow.load.markdown import strip_comments

# A sentence ends at . ! or ? (after any closing quote or bracket) followed by a space.
_END = re.compile(r"(?<=[.!?])[\"”’)\]]*\s+")
# Two sentences at least this alike are one rewritten, not one removed and another added.
LIKENESS = 0.5


def split(text: str | None) -> list[str]:
    """The sentences of a Markdown text, each on one line; a heading or a list item is one of its own."""
    found: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        joined = " ".join(paragraph)
        found.extend(s for s in (" ".join(p.split()) for p in _sentences(joined)) if s)
        paragraph.clear()

    for line in strip_comments(text or "").split("\n"):
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", "|", "- ", "* ")) or re.match(r"\d+\. ", stripped):
            flush()  # a blank line, a heading, a table row or a list item ends the paragraph
        if stripped.startswith(("#", "|")):
            found.append(" ".join(stripped.split()))
        elif stripped:
            paragraph.append(stripped)
    flush()
    return found


def _sentences(text: str) -> list[str]:
    out, start = [], 0
    for end in _END.finditer(text):
        out.append(text[start:end.end()])
        start = end.end()
    return [*out, text[start:]]


def changed_sentences(old: str | None, new: str | None) -> list[Sentence]:
    """Each sentence removed, rewritten or added between `old` and `new`, in the order of the text."""
    before, after = split(old), split(new)
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    chunks = [(before[i1:i2], after[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]
    moved = Counter(s for olds, _ in chunks for s in olds) & Counter(s for _, news in chunks for s in news)
    gone, came = Counter(moved), Counter(moved)
    found: list[Sentence] = []
    for olds, news in chunks:
        olds = [s for s in olds if not _take(gone, s)]
        news = [s for s in news if not _take(came, s)]
        while olds or news:
            if olds and news and (len(olds) == len(news) == 1 or _alike(olds[0], news[0])):
                found.append(Sentence(olds.pop(0), news.pop(0)))
            elif olds and not any(_alike(olds[0], n) for n in news):
                found.append(Sentence(olds.pop(0), None))
            else:
                found.append(Sentence(None, news.pop(0)))
    return found


def _take(counter: Counter[str], sentence: str) -> bool:
    if counter[sentence] > 0:
        counter[sentence] -= 1
        return True
    return False


def _alike(a: str, b: str) -> bool:
    return difflib.SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio() >= LIKENESS


def marked(sentence: Sentence, escape: Callable[[str], str]) -> tuple[str, str]:
    """(old, new) in Markdown: each side's words escaped by `escape`, the words removed from the old
    one struck through (~~removed~~) and those added to the new one in bold (**added**)."""
    old, new = (sentence.old or "").split(), (sentence.new or "").split()
    codes = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    # One word kept between two changes is part of the change: "~~did not consider~~", not "~~did~~ not ~~consider~~".
    pieces: list[tuple[bool, list[str], list[str]]] = []
    for n, (tag, i1, i2, j1, j2) in enumerate(codes):
        between = 0 < n < len(codes) - 1 and i2 - i1 == 1
        changed = tag != "equal" or between
        if pieces and changed and pieces[-1][0]:
            pieces[-1][1].extend(old[i1:i2])
            pieces[-1][2].extend(new[j1:j2])
        else:
            pieces.append((changed, old[i1:i2], new[j1:j2]))
    was = [f"~~{escape(' '.join(o))}~~" if changed else escape(" ".join(o)) for changed, o, _ in pieces if o]
    now = [f"**{escape(' '.join(n))}**" if changed else escape(" ".join(n)) for changed, _, n in pieces if n]
    return " ".join(was), " ".join(now)
