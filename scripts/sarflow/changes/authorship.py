"""Who made each tracked change of a redline, and when, from the history of the IMR's own files.

Every commit between BASE and HEAD that touched the IMR's folder is read (one `git archive`
each), and each state of the folder is kept as a run of words: letters and digits only,
so that Markdown's marks, YAML's keys and quoting and the Word report's typography do not
keep a sentence of the document from being found in its source. Each changed word is then
looked up with its neighbours on the same side of the change (WINDOW words: the context
tells apart two places with the same words): an inserted word belongs to the latest commit
after which its window occurs more often than before it, a deleted word to the latest
commit after which its window occurs less often, and a tracked change to the commit that
made most of its words. So a deleted text is credited to the commit that deleted it (not
to whoever touched those lines last), a colleague's typo fixed inside someone's new
paragraph does not make the paragraph theirs, and an entry of the chronology or the action
plan (written from YAML) is credited to the commit that changed that entry's lines.

What no commit of the folder explains (a change made by the template or the board's
settings, or words the report itself writes, such as a tick or a heading) keeps the
fallback: the author and date of the newer revision's commit; in a table row, the credit
of the rest of its row. Only the author's name as git records it is used, never an e-mail
address: a name that is itself an address is cut to the part before "@".
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sarflow.changes.revisions import Revision, git
from sarflow.dates import uk_to_iso
from sarflow.docx.numbering import NUMBER_CLASS

# The words looked up for each changed word: it and its neighbours on its side of the change.
WINDOW = 5
# More commits than this between the revisions: every change is credited to the fallback.
MOST_COMMITS = 100
# The files read from each commit: the IMR's own text, each at most this size.
TEXT, MOST_BYTES = (".md", ".yml", ".yaml"), 2_000_000
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Credit:
    """A reviewer's name and a date in Word's form (UTC, to the second)."""

    author: str
    date: str


def credit(name: str, iso_date: str) -> Credit:
    """A commit's author and date as Word shows a reviewer: a name only, the date in UTC."""
    moment = dt.datetime.fromisoformat(iso_date).astimezone(dt.UTC)
    return Credit(name.partition("@")[0].strip() or "unknown", moment.strftime("%Y-%m-%dT%H:%M:%SZ"))


def words(text: str) -> list[str]:
    """Text as compared with its source: a date written dd/mm/yyyy as its ISO form, words in lower case."""
    return _WORD.findall(uk_to_iso(text).lower())


def _folder_text(root: Path, commit: str, folder: str) -> str:
    """Every text file of `folder` at `commit`, one after another (empty when it is not there);
    pictures and files over MOST_BYTES are not read."""
    listed = git(root, "ls-tree", "-r", "-l", "-z", commit, "--", folder)
    blobs = []
    for item in listed.stdout.decode("utf-8", errors="replace").split("\x00") if listed.returncode == 0 else []:
        meta, _, path = item.partition("\t")
        parts = meta.split()
        if len(parts) == 4 and parts[1] == "blob" and path.endswith(TEXT) and parts[3].isdigit() and int(parts[3]) <= MOST_BYTES:
            blobs.append((path, parts[2]))
    if not blobs:
        return ""
    done = git(root, "cat-file", "--batch", stdin="".join(f"{sha}\n" for _, sha in sorted(blobs)).encode())
    texts, data, at = [], done.stdout, 0
    while done.returncode == 0 and at < len(data):
        header_end = data.index(b"\n", at)
        header = data[at:header_end].split()
        if len(header) != 3:  # "<id> missing": nothing follows
            at = header_end + 1
            continue
        size = int(header[2])
        texts.append(data[header_end + 1:header_end + 1 + size].decode("utf-8", errors="replace"))
        at = header_end + 1 + size + 1
    return "\n\x00\n".join(texts)  # a file's end is no word, so no phrase runs from one file into the next


class Authorship:
    """The states of one IMR's folder from BASE to HEAD, and whose commit made each change."""

    def __init__(self, root: Path, base: Revision, head: Revision, folder: str, fallback: Credit) -> None:
        self.fallback = fallback
        self.states: list[list[str]] = []
        self.credits: list[Credit] = []
        if base.commit is None or head.commit is None:
            return
        done = git(root, "log", "--reverse", "--topo-order", "--format=%H%x00%an%x00%aI",
                   f"{base.commit}..{head.commit}", "--", folder)
        commits = [line.split("\x00") for line in done.stdout.decode("utf-8", errors="replace").splitlines() if line]
        if done.returncode != 0 or not commits or len(commits) > MOST_COMMITS:
            return
        self.states = [words(_folder_text(root, base.commit, folder))]
        for commit, name, date in commits:
            self.states.append(words(_folder_text(root, commit, folder)))
            self.credits.append(credit(name, date))

    def credit_windows(self, windows: set[tuple[tuple[str, ...], bool]]) -> dict[tuple[tuple[str, ...], bool], Credit]:
        """For each window of words (and whether it was inserted), the commit after which it
        occurs more often (inserted) or less often (deleted) than before, the latest such."""
        found: dict[tuple[tuple[str, ...], bool], Credit] = {}
        if not self.credits or not windows:
            return found
        targets = {window for window, _ in windows}
        lengths = {len(window) for window in targets}
        counts = []
        for state in self.states:
            counted: Counter[tuple[str, ...]] = Counter()
            for size in lengths:
                counted.update(g for n in range(len(state) - size + 1) if (g := tuple(state[n:n + size])) in targets)
            counts.append(counted)
        for window, inserted in windows:
            for n in range(len(self.credits), 0, -1):
                now, then = counts[n][window], counts[n - 1][window]
                if (now > then) if inserted else (now < then):
                    found[window, inserted] = self.credits[n - 1]
                    break
        return found


def attribute(blocks: list[Any], authorship: Authorship) -> None:
    """Give each insertion and deletion span in `blocks` (pandoc's JSON, as merged by
    `sarflow.changes.tracked`) the author and date of the commit that made it: of each of its
    words, the window of WINDOW words around it on its side of the change is looked up, and
    the commit that made most of its words is the span's (so a colleague's typo fixed inside
    someone's new paragraph does not make the paragraph theirs). A span of a table row that
    no commit explains (a number or a heading the report repeats) takes the row's credit: the
    row is one record, one entry of the chronology or one progress update."""
    groups = _groups(blocks)
    credits = authorship.credit_windows({w for group in groups for _, windows in group for w in windows})
    for group in groups:
        given = [_vote(credits, windows) for _, windows in group]
        row = Counter(g for g in given if g is not None).most_common(1)
        for (node, _), credit_ in zip(group, given, strict=True):
            chosen = credit_ or (row[0][0] if row else authorship.fallback)
            node["c"][0][2] = [["author", chosen.author], ["date", chosen.date]]


def _vote(credits: dict[tuple[tuple[str, ...], bool], Credit], windows: list[tuple[tuple[str, ...], bool]]) -> Credit | None:
    votes = Counter(credits[w] for w in windows if w in credits)
    return votes.most_common(1)[0][0] if votes else None


Spans = list[tuple[Any, list[tuple[tuple[str, ...], bool]]]]


def _groups(node: Any) -> list[Spans]:
    """The change spans credited together, with their windows: all those of a table row, and
    each one elsewhere on its own."""
    found: list[Spans] = []
    if isinstance(node, list):
        if any(_kind(item) for item in node):
            found.extend([pair] for pair in _windows(node))
        for item in node:
            if not _kind(item):
                found.extend(_groups(item))
    elif isinstance(node, dict) and node.get("t") == "Table":
        c = node["c"]
        rows = [*c[3][1], *(row for body in c[4] for row in (*body[2], *body[3])), *c[5][1]]
        found.extend([pair for run in _runs(row) for pair in _windows(run)] for row in rows)
    elif isinstance(node, dict):
        found.extend(_groups(node.get("c")))
    return found


def _windows(inlines: list[Any]) -> Spans:
    """Each change span of a run of inlines with the windows of words around its words."""
    pieces = [(_kind(node), words(_text(node["c"][1] if _kind(node) else node)), node) for node in inlines]
    out = []
    for n, (kind, changed, node) in enumerate(pieces):
        if kind is None:
            continue
        other = "deletion" if kind == "insertion" else "insertion"
        before = [w for k, ws, _ in pieces[:n] if k != other for w in ws]
        side = [*before, *changed, *(w for k, ws, _ in pieces[n + 1:] if k != other for w in ws)]
        windows = []
        for i in range(len(before), len(before) + len(changed)):
            start = max(0, min(i - WINDOW // 2, len(side) - WINDOW))
            windows.append((tuple(side[start:start + WINDOW]), kind == "insertion"))
        out.append((node, windows))
    return out


def _runs(node: Any) -> list[list[Any]]:
    """Every list of inlines that holds a change span at its own level (a paragraph's, a cell's)."""
    found: list[list[Any]] = []
    if isinstance(node, list):
        if any(_kind(item) for item in node):
            found.append(node)
        for item in node:
            found.extend(_runs(item))
    elif isinstance(node, dict):
        found.extend(_runs(node.get("c")))
    return found


def _kind(node: Any) -> str | None:
    if isinstance(node, dict) and node.get("t") == "Span":
        classes = node["c"][0][1]
        return next((k for k in ("insertion", "deletion") if k in classes), None)
    return None


def _text(node: Any) -> str:
    if isinstance(node, dict):
        t = node.get("t")
        if t == "Span" and NUMBER_CLASS in node["c"][0][1]:
            return ""  # the report's own paragraph number is in no source file
        if t == "Str":
            return str(node["c"])
        if t in ("Space", "SoftBreak", "LineBreak"):
            return " "
        return _text(node.get("c"))
    if isinstance(node, list):
        return "".join(_text(item) for item in node)
    return ""
