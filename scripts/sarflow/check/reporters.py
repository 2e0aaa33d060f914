"""The three ways check prints its findings: for people, for GitHub and for tools.

- text: like a compiler's, grouped by file with a blank line between files, each
  finding followed by its hint, and a summary count last;
- github: workflow commands, which GitHub shows as annotations on the pull request's
  lines (line breaks and control characters escaped by sarflow.printed, then `%`, `:`
  and `,` as the runner requires): the only lines sarflow prints that start with `::`;
- json: an array of {severity, code, message, hint, file, line, col}.
"""

from __future__ import annotations

import json
from itertools import groupby

from sarflow.findings import Finding, errors
from sarflow.printed import escaped
from sarflow.words import plural


def text(findings: list[Finding]) -> str:
    blocks = ["\n".join(str(f) for f in group) for _, group in groupby(findings, key=lambda f: f.span.path)]
    return "\n\n".join([*blocks, summary(findings)]) + "\n"


def summary(findings: list[Finding]) -> str:
    if not findings:
        return "no problems found"
    failing = len(errors(findings))
    files = len({f.span.path for f in findings})
    return f"{plural(failing, 'error')}, {plural(len(findings) - failing, 'warning')} in {plural(files, 'file')}"


def github(findings: list[Finding]) -> str:
    lines = []
    for f in findings:
        properties = ",".join(
            f"{name}={_escape_property(value)}"
            for name, value in (("file", f.span.path), ("line", f.span.line), ("col", f.span.col), ("title", f.code))
        )
        message = f.message if not f.hint else f"{f.message}{'' if f.message.endswith(('.', '?', '!')) else '.'} {f.hint[:1].upper()}{f.hint[1:]}"
        lines.append(f"::{f.severity.value} {properties}::{_escape_data(message)}")
    return "".join(line + "\n" for line in lines) + summary(findings) + "\n"


def as_json(findings: list[Finding]) -> str:
    return json.dumps(
        [
            {
                "severity": f.severity.value,
                "code": f.code,
                "message": f.message,
                "hint": f.hint,
                "file": f.span.path,
                "line": f.span.line,
                "col": f.span.col,
            }
            for f in findings
        ],
        indent=2,
        ensure_ascii=False,
    ) + "\n"


def _escape_data(value: object) -> str:
    """A command's message: line breaks and control characters already shown as escapes, then `%` as the runner needs."""
    return escaped(value).replace("%", "%25")


def _escape_property(value: object) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")
