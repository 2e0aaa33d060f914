"""YAML syntax mistakes explained at the line and column where the author made them.

PyYAML notices a mistake only where it can no longer read on: an unclosed quote is
reported where the next quote happens to be, a dedented key on the line after it, and
in a parser's words ("did not find expected key"). So when a file cannot be read,
this module looks at the author's lines up to that point for the mistakes authors
make (a value that starts with a quote and goes on after it, an unclosed quote, a
value starting with a character YAML reserves, `>-` with the text on the key's line,
a key or a list item out of line with its neighbours, a tab, a key without the space
after its colon, a line that has lost its indentation or its colon, a colon inside a
value). For each one it finds it writes the edit that would put it right, and it
keeps the first mistake whose edit lets PyYAML read further than before: so every
message comes with a fix that is known to work. When no known mistake fits, the
message says plainly where reading stopped. PyYAML's own wording never reaches an
author.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar, cast

import yaml

from sarflow.yamlloader import LOADER, STANDARD_TAGS

# How many candidate edits are tried against the parser before giving up: each try
# re-reads the file, and a real file has a handful of candidates at most.
MAX_TRIES = 40
# A corrected line longer than this is described rather than shown in the hint.
SHOWN = 100

_LEAD = re.compile(r"^(?P<lead>[ \t]*)(?P<dashes>(?:-(?:[ ]+|$))*)(?P<body>.*)$")
_KEY = re.compile(r"^(?P<key>[A-Za-z0-9_(][^:#\t]*?|\"[^\"]*\"|'[^']*')[ ]*:(?=[ \t]|$)[ \t]*(?P<value>.*)$")
_NO_SPACE = re.compile(r"^(?P<key>[A-Za-z_][\w-]*):(?P<value>[^\s:/].*)$")
_BLOCK = re.compile(r"^[|>][-+0-9]*$")
_BLOCK_WITH_TEXT = re.compile(r"^(?P<indicator>[|>][-+0-9]*)[ \t]+(?P<text>[^#\s].*)$")
_COMMENT = re.compile(r"[ \t]+#.*$")
_RESERVED = {
    "*": "YAML reads a value that starts with `*` as a reference to another value",
    "&": "YAML reads a value that starts with `&` as a label for reusing it, and drops the label from the text",
    "!": "YAML reads a value that starts with `!` as the name of a type, not as text",
    "@": "a value cannot start with `@` unless it is in quotes",
    "`": "a value cannot start with a backtick (`) unless it is in quotes",
    "%": "a value cannot start with `%` unless it is in quotes",
    "[": "YAML reads a value that starts with `[` as a list",
    "{": "YAML reads a value that starts with `{` as a set of keys and values",
    "-": "YAML reads a value that starts with a dash and a space as an item of a list",
}
# The types YAML gives plain values by itself; a value marked with any other (`!!binary`, `!!`) is refused.
_QUOTE_NAMES = {"'": "an apostrophe", '"': "a double quote"}
T = TypeVar("T")


@dataclass(frozen=True)
class Mistake:
    """What the author got wrong, where (1-based line and column), and the edit that fixes it."""

    line: int
    col: int
    message: str
    hint: str
    # Lines [first, last) of the file (0-based) and what replaces them; None when no
    # single edit is known to work.
    edit: tuple[int, int, tuple[str, ...]] | None = None
    code: str = "yaml-syntax"

    def applied(self, text: str) -> str:
        """The file's text with the edit made."""
        if self.edit is None:
            return text
        first, last, new = self.edit
        lines = text.split("\n")
        return "\n".join([*lines[:first], *new, *lines[last:]])


@dataclass(frozen=True)
class _Line:
    """One line of the file as block YAML lays it out."""

    index: int
    raw: str
    indent: int  # columns of spaces (and tabs) before the content, dashes included
    tab: int | None  # 0-based column of a tab in the indentation
    dashes: tuple[int, ...]  # 0-based columns of the `- ` list markers on the line
    body_col: int  # 0-based column where the content after the dashes starts
    body: str
    key: str | None
    value: str | None  # the text after `key: `, comment included
    value_col: int

    @property
    def blank(self) -> bool:
        return not self.body.strip() and not self.dashes

    @property
    def comment(self) -> bool:
        return not self.dashes and self.body.lstrip().startswith("#")

    @property
    def plain_value(self) -> str:
        """The value without a trailing comment (for a value that is not in quotes)."""
        return _COMMENT.sub("", self.value or "").rstrip()


def _parse_line(index: int, raw: str) -> _Line:
    match = _LEAD.match(raw)
    assert match is not None  # the pattern matches any line
    lead, dashes_text, body = match.group("lead"), match.group("dashes"), match.group("body")
    tab = lead.find("\t")
    dashes, col = [], len(lead)
    for part in re.findall(r"-[ ]*", dashes_text):
        dashes.append(col)
        col += len(part)
    key = value = None
    value_col = col
    if (found := _KEY.match(body)) is not None:
        key, value = found.group("key"), found.group("value")
        value_col = col + found.start("value")
    return _Line(index, raw, len(lead), tab if tab >= 0 else None, tuple(dashes), col, body, key, value, value_col)


def first_error(text: str) -> int | None:
    """The 0-based line where PyYAML stops reading `text`, or None when it reads it all."""
    try:
        for _ in yaml.parse(text, Loader=LOADER):
            pass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return mark.line if mark is not None else 0
    except yaml.YAMLError:
        return 0
    return None


def explain(text: str, error: yaml.MarkedYAMLError) -> Mistake:
    """The author's mistake behind a PyYAML error, in plain English, with a fix where one is known."""
    stopped = max(m.line for m in (error.problem_mark, error.context_mark) if m is not None) if (
        error.problem_mark or error.context_mark) else 0
    lines = [_parse_line(i, raw) for i, raw in enumerate(text.split("\n"))]
    further: Mistake | None = None
    # A mistake on the line where reading stopped (a tab, say) is tried first: a long file
    # of valid lines that each could be mistakes (`- {key: ...}`) would use up the tries.
    found = list(_candidates(lines, stopped))
    ordered = [c for c in found if c.line == stopped + 1] + [c for c in found if c.line != stopped + 1]
    for tries, candidate in enumerate(ordered):
        if tries >= MAX_TRIES:
            break
        after = first_error(candidate.applied(text))
        if after is None:
            return candidate
        if after > stopped and further is None:
            further = candidate  # the file may hold a second mistake further down
    if further is not None:
        return further
    return _unexplained(lines, error)


def compose(text: str, build: Callable[[Iterator[yaml.Event]], T]) -> tuple[T | None, Mistake | None]:
    """What `build` makes of the file's YAML events (as PyYAML's parser reads them), or the author's first mistake in it.

    A file with an alias (`*name`), an anchor (`&name`) or a type (`!name`) is refused
    whatever `build` made of it (see `_watched`).
    """
    try:
        if not any(c in text for c in "*&!"):  # most files: no reference can be written without one of these
            return build(events(text)), None
        found: list[tuple[yaml.Event, str]] = []
        built = build(_watched(events(text), found))
        return (None, _reference(text, *found[0])) if found else (built, None)
    except yaml.MarkedYAMLError as exc:
        return None, explain(text, exc)
    except yaml.reader.ReaderError as exc:
        return None, _not_text(text, exc)
    except (yaml.YAMLError, RecursionError):
        return None, Mistake(1, 1, "the data is nested too deeply to be an IMR file",
                             "check the indentation against the example review", code="too-deep")


def events(text: str) -> Iterator[yaml.Event]:
    """The file's YAML events, read by sarflow's loader, to the end of the stream."""
    loader = LOADER(text)
    try:
        get = loader.get_event
        while (event := get()) is not None:
            yield event
    finally:
        loader.dispose()


def _watched(events: Iterator[yaml.Event], found: list[tuple[yaml.Event, str]]) -> Iterator[yaml.Event]:
    """`events` up to the first alias, noting in `found` that alias, else the first anchor or type other than YAML's own.

    All three are valid YAML that no sarflow file means: an alias can expand into an
    alias bomb (so reading stops there, and nothing is expanded), and an anchor or a type
    at the start of a value silently drops a word of the author's text (`event: &partner
    present` reads as "present").
    """
    for event in events:
        if isinstance(event, yaml.AliasEvent):
            found[:] = [(event, "*")]  # the reuse itself matters most, wherever its anchor is
            return
        if not found and isinstance(event, yaml.NodeEvent):
            tag = getattr(event, "tag", None)
            if event.anchor is not None:
                found.append((event, "&"))
            elif tag and tag not in STANDARD_TAGS:
                found.append((event, "!"))
        yield event


def marks(event: yaml.Event) -> tuple[yaml.Mark, yaml.Mark]:
    """Where `event` starts and ends in the file: the parser marks every event it makes (libyaml's marks
    are its own class, with the same line, column and index as PyYAML's)."""
    assert event.start_mark is not None and event.end_mark is not None
    return cast(yaml.Mark, event.start_mark), cast(yaml.Mark, event.end_mark)


def _reference(text: str, event: yaml.Event, indicator: str) -> Mistake:
    """The mistake of an alias, anchor or type (`indicator` `*`, `&` or `!`) written at `event`."""
    mark = marks(event)[0]
    line = _parse_line(mark.line, text.split("\n")[mark.line])
    fix = _quote_value(line, _RESERVED[indicator], reserved=True) if mark.column in (line.value_col, line.body_col) else None
    if fix is not None:
        return Mistake(fix.line, fix.col, fix.message, fix.hint, fix.edit, "yaml-alias")
    return Mistake(mark.line + 1, mark.column + 1,
                   f"{_RESERVED[indicator]}; sarflow files do not use references, labels or types",
                   "if this is text, put the whole value in double quotes; if it repeats a value written elsewhere, "
                   "write the value out in full here", code="yaml-alias")


def _not_text(text: str, exc: yaml.reader.ReaderError) -> Mistake:
    before = text[: exc.position]
    character = exc.character if isinstance(exc.character, str) else chr(exc.character)
    return Mistake(
        before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1,
        f"the file holds a character that is not text (U+{ord(character):04X}), usually pasted in by mistake",
        "delete it: in VS Code it shows as a small box or a red mark at this position",
    )


def _candidates(lines: list[_Line], stopped: int) -> Iterator[Mistake]:
    """Every mistake that may explain the error, from the top of the file down to where reading stopped."""
    structure = _Structure()
    owner: _Line | None = None  # the key whose value may go on over the lines below it
    block = False  # ... as a `|` or `>` block, whose lines are the author's text whatever they hold
    keys = {line.key for line in lines if line.key is not None}  # every key the file writes with its colon
    for line in lines[: stopped + 1]:
        if line.blank or line.comment:
            continue
        if owner is not None and line.tab is None and line.indent > owner.body_col:
            if not block and line.key is not None and not line.dashes:
                yield from _over_indented(line, structure)
            continue
        if line.tab is not None:
            yield from _tab(line, lines, structure)
        yield from _line_mistakes(line, lines, structure)
        if line.key is None and not line.dashes and line.tab is None:
            yield from _prose_line(line, lines, owner, keys)
        structure.add(line, _lost_colon(line, keys))
        value = line.plain_value if line.key is not None else ""
        owner, block = (line, bool(_BLOCK.match(value))) if value else (None, False)


class _Structure:
    """The columns at which the mappings and lists open at this point hold their keys and items."""

    def __init__(self) -> None:
        self.open: list[tuple[int, str, int]] = []  # (column, "key" or "item", line index), outermost first
        self.child_expected = False  # the line above ends with `key:` or `-`, so a deeper line may start

    def add(self, line: _Line, lost_colon: bool = False) -> None:
        """`line` as the next of the structure; `lost_colon`: a key that lost its colon or the space after it
        (`_lost_colon`), which holds its place as the key it was meant to be, so that the keys after it are not
        taken for keys out of line."""
        for col in line.dashes:
            self._settle(col, "item", line.index)
        if line.key is not None:
            self._settle(line.body_col, "key", line.index)
            self.child_expected = line.plain_value == ""
        elif lost_colon:
            self._settle(line.body_col, "key", line.index)
        else:
            self.child_expected = bool(line.dashes) and not line.body.strip()

    def _settle(self, col: int, kind: str, index: int) -> None:
        while self.open and self.open[-1][0] > col:
            self.open.pop()
        if self.open and self.open[-1][0] == col and self.open[-1][1] == kind:
            self.open[-1] = (col, kind, index)
        else:
            self.open.append((col, kind, index))
        self.child_expected = False

    def fits(self, col: int, kind: str) -> bool:
        """True when a key or item at `col` continues the structure above (or opens a new level below it)."""
        if self.child_expected:
            return not self.open or col > self.open[-1][0] or (kind == "item" and col == self.open[-1][0])
        return any(c == col and k == kind for c, k, _ in self.open) or not self.open

    def siblings(self, col: int, kind: str) -> list[tuple[int, int]]:
        """Where a key or item at `col` probably belongs: (column, line of a neighbour), nearest first."""
        same = [(c, i) for c, k, i in self.open if k == kind]
        return sorted(same, key=lambda ci: (abs(ci[0] - col), -ci[0]))


def _line_mistakes(line: _Line, lines: list[_Line], structure: _Structure) -> Iterator[Mistake]:
    body = line.body
    if line.dashes or line.key is not None:
        yield from _misaligned(line, lines, structure)
    if (found := _dash_without_space(line)) is not None:
        yield found
    if line.key is None:
        if (found := _no_space_after_colon(line)) is not None:
            yield found
        if line.dashes and body[:1] in _RESERVED | {"'": "", '"': ""}:
            yield from _value_mistakes(line, body, line.body_col)
        return
    if line.value:
        yield from _value_mistakes(line, line.value, line.value_col)


def _value_mistakes(line: _Line, value: str, col: int) -> Iterator[Mistake]:
    first = value[:1]
    if first in _QUOTE_NAMES:
        end = _closing_quote(value)
        if end is None:
            yield _unclosed_quote(line, value, col)
        elif value[end + 1 :].strip() and not value[end + 1 :].strip().startswith("#"):
            yield from _quote_then_more(line, value, col, end)
    elif first in _RESERVED and (first != "-" or value[1:2] == " "):
        found = _unclosed_bracket(line, value, col) if first in "[{" else _quote_value(line, _RESERVED[first], reserved=True)
        if found is not None:
            yield found
    if (block := _BLOCK_WITH_TEXT.match(value)) is not None:
        yield _text_on_key_line(line, block.group("indicator"), block.group("text"), col)
    colon = value.find(": ", 1)
    if colon > 0 and first not in _QUOTE_NAMES:
        message = (f"the value of `{line.key}` holds a colon followed by a space (`{_around(value, colon)}`), "
                   "which YAML reads as the start of another key")
        if (found := _quote_value(line, message, at=col + colon)) is not None:
            yield found


def _closing_quote(value: str) -> int | None:
    """The index of the quote that closes a quoted value starting at value[0], or None."""
    quote, i = value[0], 1
    while i < len(value):
        if quote == '"' and value[i] == "\\":
            i += 2
            continue
        if value[i] == quote:
            if quote == "'" and value[i + 1 : i + 2] == "'":
                i += 2
                continue
            return i
        i += 1
    return None


def _quote_then_more(line: _Line, value: str, col: int, end: int) -> Iterator[Mistake]:
    quote = value[0]
    text = value.rstrip()
    inner = text[1:-1] if len(text) > 1 and text[-1] == quote else None
    if inner is not None and quote not in inner.replace(quote * 2, ""):
        inner = None  # the quotes do not enclose the whole value; a quote inside it would
    if inner is not None and quote == "'":
        message = ("the apostrophe after " f"`{value[1:end]}` ends the value in single quotes early, "
                   "so YAML cannot read the words after it")
        yield _replaced_value(line, inner, message, "use double quotes around the whole value", col + end)
        return
    message = (f"the value starts with {_QUOTE_NAMES[quote]}, so YAML takes `{value[: end + 1]}` as the whole value "
               "and cannot read the words after it")
    yield _replaced_value(line, text, message, "put the whole value in quotes", col)


def _unclosed_quote(line: _Line, value: str, col: int) -> Mistake:
    quote = value[0]
    closed = value.rstrip() + quote
    name = "double quote" if quote == '"' else "apostrophe"
    fixed = line.raw[: line.value_col if line.key is not None else line.body_col] + closed
    return Mistake(
        line.index + 1, col + 1,
        f"the {name} that opens this value is not closed on this line, so YAML reads on into the lines below",
        _showing(f"add the closing {name} at the end of the line", fixed, "add it at the end of the line"),
        (line.index, line.index + 1, (fixed,)),
    )


def _unclosed_bracket(line: _Line, value: str, col: int) -> Mistake | None:
    opening = value[0]
    closing = "]" if opening == "[" else "}"
    text = _COMMENT.sub("", value).rstrip()
    if text == opening and line.key is not None:  # `family: [` above items written with `- `
        fixed = line.raw[:col].rstrip()
        what = "list" if opening == "[" else "set of keys and values"
        return Mistake(line.index + 1, col + 1, f"the `{opening}` after `{line.key}:` opens a {what} written on one line, "
                       "and nothing closes it", f"delete the `{opening}`: the lines below already give the items: `{fixed.strip()}`",
                       (line.index, line.index + 1, (fixed,)))
    if text.count(opening) > text.count(closing):
        fixed = line.raw[: col] + text + closing
        what = "list" if opening == "[" else "set of keys and values"
        return Mistake(line.index + 1, col + 1, f"the `{opening}` that opens this {what} is not closed on this line",
                       _showing(f"add `{closing}` at the end of the line", fixed, ""), (line.index, line.index + 1, (fixed,)))
    return _quote_value(line, _RESERVED[opening], reserved=True)


def _quote_value(line: _Line, message: str, *, reserved: bool = False, at: int | None = None) -> Mistake | None:
    """Put a key's (or list item's) whole value in quotes."""
    if line.key is not None and line.value is not None:
        value, col = line.value.rstrip(), line.value_col
    elif line.dashes:
        value, col = line.body.rstrip(), line.body_col
    else:
        return None
    if not value:
        return None
    how = "put the whole value in double quotes" if reserved else "put the whole value in quotes"
    return _replaced_value(line, value, message, how, col if at is None else at, value_col=col)


def _replaced_value(line: _Line, text: str, message: str, how: str, col: int, value_col: int | None = None) -> Mistake:
    """The value rewritten as `text` in quotes; or, when the line would be long, as a `>-` block below its key."""
    start = line.body_col if line.key is None else line.value_col if value_col is None else value_col
    fixed = line.raw[:start] + quoted(text)
    if len(fixed.strip()) <= SHOWN:
        return Mistake(line.index + 1, col + 1, message, f"{how}: `{fixed.strip()}`", (line.index, line.index + 1, (fixed,)))
    label = f"`{line.key}:`" if line.key is not None else "the `-`"
    block = (line.raw[:start] + ">-", " " * (line.body_col + 2) + text)
    return Mistake(line.index + 1, col + 1, message,
                   f"start the text on a new line: write `>-` after {label}, then the text on the next line, "
                   "indented two spaces more", (line.index, line.index + 1, block))


def _text_on_key_line(line: _Line, indicator: str, text: str, col: int) -> Mistake:
    indent = " " * (line.body_col + 2)
    first = line.raw[: col] + indicator
    moved = indent + text.rstrip()
    return Mistake(
        line.index + 1, col + 1,
        f"the text of a `{indicator}` value must start on the line below `{line.key}:`, not on the same line",
        f"end the line after `{indicator}` and move the text to the next line, indented two spaces more than "
        f"`{line.key}:`",
        (line.index, line.index + 1, (first, moved)),
    )


def _no_space_after_colon(line: _Line) -> Mistake | None:
    found = _NO_SPACE.match(line.body)
    if found is None or found.group("value").startswith(("//", "\\")):
        return None
    key, value = found.group("key"), found.group("value")
    fixed = line.raw[: line.body_col] + f"{key}: {value}"
    return Mistake(
        line.index + 1, line.body_col + len(key) + 1,
        f"there is no space after the colon in `{_short(key + ':' + value)}`, so YAML does not read `{key}` as a key",
        _showing("add a space after the colon", fixed, "add a space after the colon"),
        (line.index, line.index + 1, (fixed,)),
    )


def _dash_without_space(line: _Line) -> Mistake | None:
    if not re.match(r"^-[A-Za-z_\"']", line.body):
        return None
    fixed = line.raw[: line.body_col] + "- " + line.body[1:]
    return Mistake(line.index + 1, line.body_col + 1,
                   f"there is no space after the dash in `{_short(line.body)}`, so YAML does not read it as an item of a list",
                   _showing("add a space after the dash", fixed, "add a space after the dash"),
                   (line.index, line.index + 1, (fixed,)))


def _prose_line(line: _Line, lines: list[_Line], owner: _Line | None, keys: set[str]) -> Iterator[Mistake]:
    """A line that is neither `key: value` nor an item: a key that lost its colon, or text that lost its indentation.

    A first word used as a key elsewhere in the file (one of `keys`) is most likely a key;
    otherwise the line most likely goes on with the value above it.
    """
    word = _first_word(line)
    known = word in keys
    if known:
        yield from _missing_colon(line, word)
    if owner is not None:
        yield from _lost_indentation(line, lines, owner)
    if not known and re.fullmatch(r"[a-z][a-z0-9_]*", word):
        yield from _missing_colon(line, word)


def _lost_colon(line: _Line, keys: set[str]) -> bool:
    """Whether a line that YAML does not read as `key: value` was most likely meant to be one: it starts with a name
    and a colon but no space (`name:Karen`, `- id:Q1`), or, not in a list, with a key the file writes elsewhere
    (`name Leofric Ambersley`; an item of a list of text may well start with such a word)."""
    if line.key is not None or not line.body.strip():
        return False
    if _NO_SPACE.match(line.body) is not None:
        return True
    return not line.dashes and _first_word(line) in keys


def _first_word(line: _Line) -> str:
    """The first word of a line's content, without a colon after it ("" for a line with none)."""
    return line.body.split(None, 1)[0].rstrip(":") if line.body.strip() else ""


def _missing_colon(line: _Line, word: str) -> Iterator[Mistake]:
    rest = line.body[len(word):].lstrip(":").strip()
    fixed = line.raw[: line.body_col] + f"{word}: {rest}".rstrip()
    yield Mistake(line.index + 1, line.body_col + len(word) + 1,
                  f"`{word}` has no colon after it, so YAML does not read it as a key",
                  _showing(f"write a colon and a space after `{word}`", fixed, f"write a colon and a space after `{word}`"),
                  (line.index, line.index + 1, (fixed,)))


def _misaligned(line: _Line, lines: list[_Line], structure: _Structure) -> Iterator[Mistake]:
    """A key or a list item whose indentation matches none of the keys or items around it."""
    kind, col = ("item", line.dashes[0]) if line.dashes else ("key", line.body_col)
    if line.tab is not None or structure.fits(col, kind):
        return
    for target, neighbour in structure.siblings(col, kind):
        if target != col:
                yield _reindented(line, lines, col, target, neighbour, kind)


def _over_indented(line: _Line, structure: _Structure) -> Iterator[Mistake]:
    """`event:` indented under the plain value of the key above, which YAML reads as that value going on."""
    for target, neighbour in structure.siblings(line.body_col, "key"):
        if target < line.body_col:
            above = neighbour + 1
            fixed = " " * target + line.raw.lstrip(" ")
            yield Mistake(line.index + 1, line.body_col + 1,
                          f"`{line.key}:` is indented more than the key on line {above}, so YAML reads it as part of "
                          "that key's value",
                          f"indent `{line.key}:` by {target} spaces, to line up with the key on line {above}",
                          (line.index, line.index + 1, (fixed,)))


def _reindented(line: _Line, lines: list[_Line], col: int, target: int, neighbour: int, kind: str) -> Mistake:
    delta = target - col
    end = line.index + 1
    while end < len(lines) and (lines[end].blank or lines[end].indent > max(col, target)):
        end += 1
    while end > line.index + 1 and lines[end - 1].blank:
        end -= 1
    first_below = next((other for other in lines[line.index + 1 : end] if not other.blank), None)
    if first_below is not None and kind == "item" and first_below.indent != line.body_col:
        end = line.index + 1  # the lines below were written where they belong: only this line moves
    moved = tuple(_shift(other.raw, delta) for other in lines[line.index : end])
    other = lines[neighbour]
    if kind == "key":
        what, like = f"`{line.key}:`", f"`{other.key}:`" if other.key and other.body_col == target else "the keys"
        start = f"start it with {target} space{'s' if target != 1 else ''}"
    else:
        what, like = "this item of the list", "the item"
        start = f"put {target} space{'s' if target != 1 else ''} before its `-`"
    side = "right" if delta < 0 else "left"
    message = (f"{what} is not lined up with {like} on line {neighbour + 1}: it starts {abs(delta)} "
               f"space{'s' if abs(delta) != 1 else ''} further {side}, so YAML cannot tell where it belongs")
    hint = f"line it up with line {neighbour + 1}: {start}"
    if end > line.index + 1:
        hint += f", and move the line{'s' if end > line.index + 2 else ''} under it by as much"
    at = line.dashes[0] if kind == "item" else line.body_col
    return Mistake(line.index + 1, at + 1, message, hint, (line.index, end, moved))


def _shift(raw: str, delta: int) -> str:
    if delta >= 0:
        return " " * delta + raw
    lead = len(raw) - len(raw.lstrip(" "))
    return raw[min(lead, -delta):]


def _tab(line: _Line, lines: list[_Line], structure: _Structure) -> Iterator[Mistake]:
    assert line.tab is not None
    rest = line.raw.lstrip(" \t")
    options = [c for c, _, _ in reversed(structure.open)]
    if structure.child_expected and structure.open:
        options.insert(0, structure.open[-1][0] + 2)
    for col in dict.fromkeys(options):
        neighbour = _line_at(lines, line.index, col)
        like = f", so that it lines up with line {neighbour + 1}" if neighbour is not None else ""
        yield Mistake(line.index + 1, line.tab + 1, "this line is indented with a tab character; YAML allows only spaces",
                      f"replace the indentation with {col} spaces{like}", (line.index, line.index + 1, (" " * col + rest,)))


def _line_at(lines: list[_Line], before: int, col: int) -> int | None:
    """The nearest line above `before` whose content starts at `col`."""
    for other in reversed(lines[:before]):
        if not other.blank and not other.comment and (other.body_col == col or col in other.dashes):
            return other.index
    return None


def _lost_indentation(line: _Line, lines: list[_Line], owner: _Line) -> Iterator[Mistake]:
    """A line of text that has lost its indentation, so that it no longer continues the value of `owner`."""
    above = next(other for other in reversed(lines[: line.index]) if not other.blank and not other.comment)
    target = above.indent if above is not owner else owner.body_col + 2
    fixed = " " * target + line.raw.lstrip(" ")
    yield Mistake(line.index + 1, line.indent + 1,
                  f"this line is not indented under `{owner.key}:`, so YAML does not read it as part of its text, "
                  "and it is not a `key: value` line either",
                  f"indent it by {target} spaces, like the text above it",
                  (line.index, line.index + 1, (fixed,)))


def _unexplained(lines: list[_Line], error: yaml.MarkedYAMLError) -> Mistake:
    """No known mistake fits: say where reading stopped, in plain words, and what usually causes it."""
    problem = f"{error.context or ''} {error.problem or ''}"
    mark = error.problem_mark or error.context_mark
    line, col = (mark.line, mark.column) if mark is not None else (0, 0)
    if "end of stream" in problem and error.context_mark is not None:
        line, col = error.context_mark.line, error.context_mark.column
        return Mistake(line + 1, col + 1, "a quote opened here is never closed, so the rest of the file is read as its text",
                       "add the closing quote where the value ends")
    if "escape" in problem:
        return Mistake(line + 1, col + 1, "a backslash (\\) inside double quotes starts a code YAML does not know",
                       "use single quotes around text that contains a backslash, or write it twice (\\\\)")
    if "could not find expected ':'" in problem and error.context_mark is not None:
        line, col = error.context_mark.line, error.context_mark.column
    text = lines[line].raw if line < len(lines) else ""
    if col < len(text) and text[col] == "\t":
        return Mistake(line + 1, col + 1, "there is a tab character here; YAML allows only spaces",
                       "replace the tab with spaces")
    return Mistake(line + 1, col + 1,
                   "sarflow cannot read the file from here: this line does not fit the lines above it",
                   "each line reads `key: value`, with a space after the colon, and the keys of one entry line up "
                   "under each other; put a value that starts with a quote or holds a colon in double quotes, "
                   "and compare with the same kind of entry elsewhere in the file")


def quoted(text: str) -> str:
    """`text` as a YAML value in quotes: double quotes unless the text holds one, then single quotes."""
    if '"' not in text and "\\" not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _showing(how: str, fixed: str, long_way: str) -> str:
    shown = fixed.strip()
    if len(shown) <= SHOWN:
        return f"{how}: `{shown}`"
    return long_way or how


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _around(value: str, at: int) -> str:
    start = max(0, value.rfind(" ", 0, max(at - 1, 0)) + 1)
    return _short(value[start : at + 8].rstrip(), 30)


_KEY_IN_TEXT = re.compile(r"^(?P<indent> *)(?P<key>[a-z_][a-z0-9_]*):(?: |$)")


def keys_in_text(blocks: list[tuple[set[str], list[tuple[yaml.ScalarEvent, yaml.ScalarEvent]]]], keys: set[str], text: str) -> list[Mistake]:
    """A `key:` line that is read as words of the `>-` or `|` text above it, because it is indented as far as the text.

    Valid YAML, so PyYAML says nothing: `action: ...` indented two spaces too far under an
    `event: >-` is simply part of the event's text, and the action is lost. `blocks` are the
    mappings that hold such text, in the order they start: each one's keys, and its keys
    whose value is the text, with the value; `keys` are the keys of every mapping of the file.
    Only a text with a colon in it is read line by line: a key's line read as words of the
    text leaves its colon there (the lines after the text, where the next key is, are
    never indented further than the key of the text in a file that YAML could read).
    """
    if not blocks:  # most files: no `>-` or `|` text at all
        return []
    lines: list[str] = []
    found = []
    for own, pairs in blocks:
        for key, value in pairs:
            if ":" not in value.value:
                continue
            lines = lines or text.split("\n")
            (start, end), column = marks(value), marks(key)[0].column
            for index in range(start.line + 1, min(end.line + 1, len(lines))):
                match = _KEY_IN_TEXT.match(lines[index])
                if match and match.group("key") in keys - own and len(match.group("indent")) > column:
                    found.append(Mistake(
                        index + 1, len(match.group("indent")) + 1,
                        f"`{match.group('key')}:` is indented as far as the text of `{key.value}` above it, so YAML reads it "
                        f"as words of that text, not as a key",
                        f"if it is a key, line it up with `{key.value}:`: start it with {column} spaces",
                        (index, index + 1, (" " * column + lines[index].lstrip(" "),)),
                        code="key-in-text",
                    ))
    return found
