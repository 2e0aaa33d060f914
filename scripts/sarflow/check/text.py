"""The author's text as the text rules read it: Markdown sections and free-text data fields.

A Markdown section is read with its guidance comments blanked, so that positions stay
exact to the line and column; code spans and fenced blocks can be blanked too, for the
rules (abbreviations, raw HTML, links) that must not look inside them. A YAML text
field is known only by where its value starts, so a finding inside it points there.
Every passage knows its confidentiality tier (sarflow.restricted.tiers): the action
plan is status-tier text, which the site shows; the rest only the panel reads.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from sarflow.findings import Span
from sarflow.load.markdown import in_code, strip_comments
from sarflow.model import Action, Imr, Record
from sarflow.restricted.tiers import Tier, imr_status_text
from sarflow.template import Template

_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)


@dataclass(frozen=True)
class Passage:
    """A piece of the author's text and a way to turn an offset in it into a position."""

    text: str
    start: Span
    markdown: bool
    tier: Tier = Tier.SECTION

    def at(self, offset: int) -> Span:
        if not self.markdown:
            return self.start
        before = self.text[:offset]
        line = before.count("\n") + 1
        return Span(self.start.path, line, offset - (before.rfind("\n") + 1) + 1)


# Between passages joined into one text: no pattern of the rules matches across a NUL.
_SEPARATOR = "\n\x00\n"


@dataclass(frozen=True)
class Joined:
    """Several passages as one text, so that each pattern runs once over an IMR, not once per field."""

    text: str
    starts: tuple[int, ...]
    passages: tuple[Passage, ...]

    def at(self, offset: int) -> Span:
        i = self.index(offset)
        return self.passages[i].at(offset - self.starts[i])

    def passage(self, offset: int) -> Passage:
        return self.passages[self.index(offset)]

    def index(self, offset: int) -> int:
        """Which passage the offset of the joined text is in."""
        return bisect_right(self.starts, offset) - 1


def joined(passages: Iterable[Passage]) -> Joined:
    items = tuple(passages)
    starts, position = [], 0
    for passage in items:
        starts.append(position)
        position += len(passage.text) + len(_SEPARATOR)
    return Joined(_SEPARATOR.join(p.text for p in items), tuple(starts), items)


def blank(text: str, start: int, end: int) -> str:
    """`text` with [start, end) replaced by spaces, keeping line breaks (and so positions)."""
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


def without_code(text: str) -> str:
    """The text with fenced code blocks and `code spans` blanked (a text without a ` or a ~~~ has neither)."""
    if "`" not in text and "~~~" not in text:
        return text
    lines = text.split("\n")
    text = "\n".join(" " * len(line) if code else line for line, code in zip(lines, in_code(lines), strict=True))
    for match in reversed(list(_CODE_SPAN.finditer(text))):
        text = blank(text, match.start(), match.end())
    return text


def sections(imr: Imr, template: Template, *, code: bool = True) -> Iterator[Passage]:
    """Each Markdown section in the template's order, comments blanked (and code, if not `code`)."""
    for section_id in template.section_files:
        section = imr.sections.get(section_id)
        if section is not None:
            yield Passage(_visible(section.text, code), Span(section.span.path, 1, 1), True)


@lru_cache(maxsize=64)
def _visible(text: str, code: bool) -> str:
    """A section as the rules read it; several rules read each section, so it is worked out once."""
    visible = strip_comments(text)
    return visible if code else without_code(visible)


def written_data(imr: Imr, template: Template, chronology: Iterable[Passage]) -> Iterator[Passage]:
    """The free text of the chronology, the actions and the quality-assurance comments.

    These are printed in the report as section text, so the abbreviation and personnel
    rules read them as they read the Markdown sections. An action's free text is every
    field of kind text in the template's table, a board's own included; it is
    status-tier text, which the site shows too. `chronology` is the chronology's text as `chronology(imr)`
    gives it, which the caller gathers once for several rules (Context.chronology).
    """
    yield from chronology
    prose = tuple(f.key for f in template.action_plan.of_kind("text"))
    for action in imr.actions:
        yield from _fields(action, prose, Tier.STATUS)
        for update in action.updates:
            yield from _fields(update, ("text",), Tier.STATUS)
    yield from _quality_assurance(imr)


def section_data(imr: Imr, chronology: Iterable[Passage]) -> Iterator[Passage]:
    """The data that only the panel reads (the section tier): the chronology (`chronology`, as `chronology(imr)` gives
    it) and the quality-assurance comments."""
    yield from chronology
    yield from _quality_assurance(imr)


def status_data(imr: Imr) -> Iterator[Passage]:
    """Every text of the IMR that the status site shows (its action plan, every field): see sarflow.restricted.tiers."""
    for at, value in imr_status_text(imr):
        yield Passage(value, at, False, Tier.STATUS)


def chronology(imr: Imr) -> Iterator[Passage]:
    """The free text of each entry of the chronology."""
    for entry in imr.chronology:
        yield from _fields(entry, ("source", "event", "action", "outcome"))


def _quality_assurance(imr: Imr) -> Iterator[Passage]:
    for answer in imr.quality_assurance.answers.values():
        yield from _fields(answer, ("comment",))


def described_data(imr: Imr) -> Iterator[Passage]:
    """Data that describes people in words (relationships, needs, job roles): read for abbreviations."""
    for member in imr.family:
        yield from _fields(member, ("relationship", "ethnicity"))
    for person in imr.personnel:
        yield from _fields(person, ("role",))


def _fields(record: Record, names: tuple[str, ...], tier: Tier = Tier.SECTION) -> Iterator[Passage]:
    for name in names:
        value = record.value(name) if isinstance(record, Action) else getattr(record, name)
        if isinstance(value, str) and value:
            yield Passage(value, record.span(name), False, tier)
