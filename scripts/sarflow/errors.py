"""The one kind of error that stops a command, and the exit code it carries.

A command raises a `SarflowError` (or a subclass) with a message for the author;
`sarflow.cli` prints it once, as `sarflow <command>: <message>`, and exits with the
error's `exit_code`: 1 when something in the files or the given workbook must be
fixed, 2 for a usage or environment error (a wrong argument, no reviews/ folder, a
template, schema, git or pandoc that cannot be used). Problems that do not stop the
command are findings (`sarflow.findings`), never exceptions.
"""

from __future__ import annotations

PROBLEMS_FOUND = 1
USAGE_OR_ENVIRONMENT = 2


class SarflowError(Exception):
    """A problem that stops a command; the message says what to fix and where."""

    exit_code: int = PROBLEMS_FOUND

    def __init__(self, message: str, exit_code: int | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


class UsageError(SarflowError):
    """A wrong argument, or a repository or tool sarflow cannot work with: exit 2."""

    exit_code = USAGE_OR_ENVIRONMENT
