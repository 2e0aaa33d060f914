"""Where a value came from, and what is wrong with it.

Every message an author sees names a file, a line and a column, like a compiler's,
so that the web editor or VS Code can take them straight to the spot.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from sarflow.printed import line


@dataclass(frozen=True, order=True, slots=True)
class Span:
    """A position in a source file: 1-based line and column, path relative to the repository."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """One problem, in the author's language: what is wrong, where, and how to fix it."""

    severity: Severity
    code: str
    message: str
    span: Span
    hint: str | None = None
    follows: tuple[Finding, ...] = ()  # the findings that only follow from this one, folded under it

    def __str__(self) -> str:
        """Two lines at most, the finding and its hint, each escaped whole (sarflow.printed)."""
        text = line(f"{self.span}: {self.severity.value}[{self.code}]: {self.message}")
        return f"{text}\n{line(f'    hint: {self.hint}')}" if self.hint else text


def error(code: str, message: str, span: Span, hint: str | None = None) -> Finding:
    return Finding(Severity.ERROR, code, message, span, hint)


def warning(code: str, message: str, span: Span, hint: str | None = None) -> Finding:
    return Finding(Severity.WARNING, code, message, span, hint)


def errors(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that are errors: what makes `check` and `build` exit 1 and stops an output."""
    return [f for f in findings if f.severity is Severity.ERROR]


def by_position(findings: Iterable[Finding]) -> list[Finding]:
    """In file order, then by position in the file, then by code."""
    return sorted(findings, key=lambda f: (f.span, f.code))


def ordered(findings: Iterable[Finding]) -> list[Finding]:
    """Errors first, then warnings, each by position, code and words: one order whatever order they were found in,
    so that a check put together from parts (sarflow.recheck) reads as one whole check does."""
    return sorted(findings, key=lambda f: (f.severity is not Severity.ERROR, f.span, f.code, f.message, f.hint or ""))


def relative(path: Path, root: Path) -> str:
    """The path as the author sees it in the repository, with forward slashes (a link as
    itself, never as where it points)."""
    where = path.parent.resolve() / path.name if path.is_symlink() else path.resolve()
    try:
        return where.relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
