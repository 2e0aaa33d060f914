"""Author text made safe to print: every message and summary line goes through here.

A value an author wrote (a review reference, an agency name, a chronology source, a
file name, a cell of a returned workbook) may hold a line break or a control
character. Printed raw, a line break followed by `::error ...` is a line that a
GitHub runner obeys as a workflow command, an escape sequence rewrites the terminal,
and a bidirectional override makes a line read differently from what it says. So:

- `escaped(value)` writes every control character, line break and bidirectional
  control as a visible escape (`\\n`, `\\x1b`, `\\u2028`), for a value set inside a line;
- `line(text)` does the same to a whole printed line, and escapes a `::` or `##[`
  that would start it (after any spaces), since the runner reads those as commands;
- `say(text)` prints one such line; `lines(text)` is for text sarflow itself laid out
  over several lines (a message and its hint), each line made safe by `line`.

sarflow's own text holds none of these, so escaping a whole message is the same as
escaping each value in it. Only the workflow annotations of `check --format github`
start a line with `::`, and they are written by check.reporters alone.
"""

from __future__ import annotations

import re
from typing import TextIO

# C0 and C1 controls, DEL, the Unicode line and paragraph separators, the bidirectional
# embeddings, overrides and isolates, and the byte-order mark.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_COMMAND = re.compile(r"^(\s*)(::|##\[)")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _NAMED.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def escaped(value: object) -> str:
    """The value as one line of visible characters."""
    return _UNSAFE.sub(_escape, str(value))


def line(text: object) -> str:
    """A whole printed line: escaped, and unable to start a workflow command."""
    return _COMMAND.sub(lambda m: m.group(1) + ("\\x3a:" if m.group(2) == "::" else "\\x23#["), escaped(text), count=1)


def lines(text: object) -> str:
    """Text sarflow laid out over several lines, each made safe by `line` (its values must
    already be escaped if they may hold a line break: see Finding.__str__)."""
    return "\n".join(line(part) for part in str(text).split("\n"))


def say(text: object, file: TextIO | None = None) -> None:
    """Print one line of a message or summary, made safe by `line`."""
    print(line(text), file=file)
