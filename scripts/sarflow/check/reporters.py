"""The three ways check prints its findings: for people, for GitHub and for tools.

Each gets the findings as check orders them: errors before warnings, and a finding
that follows from another folded under it (check.causes).
- text: like a compiler's, the errors and then the warnings grouped by file with a
  blank line between files, each finding followed by its hint, a summary count last;
- github: workflow commands, which GitHub shows as annotations on the pull request's
  lines (line breaks and control characters escaped by sarflow.printed, then `%`, `:`
  and `,` as the runner requires): the only lines sarflow prints that start with `::`.
  GitHub shows only ten errors and ten warnings of a step on the lines, so only the
  first ten of each are annotated (the causes come first); `job_summary` lists every
  finding, folded ones included, for the run's summary page. A finding about a folder
  is annotated on a file in it, as GitHub can place an annotation only on a file;
- json: an array of {severity, code, message, hint, file, line, col, follows}.
"""

from __future__ import annotations

import html
import json
from itertools import groupby
from pathlib import Path

from sarflow.findings import Finding, Severity, errors
from sarflow.printed import escaped
from sarflow.words import plural


def text(findings: list[Finding]) -> str:
    blocks = ["\n".join(str(f) for f in group) for _, group in groupby(findings, key=lambda f: (f.severity, f.span.path))]
    return "\n\n".join([*blocks, summary(findings)]) + "\n"


def summary(findings: list[Finding]) -> str:
    if not findings:
        return "no problems found"
    failing = len(errors(findings))
    files = len({f.span.path for f in findings})
    return f"{plural(failing, 'error')}, {plural(len(findings) - failing, 'warning')} in {plural(files, 'file')}"


ANNOTATED = 10  # GitHub shows this many error annotations, and as many warnings, for a step


def github(findings: list[Finding], root: Path | None = None) -> str:
    lines = []
    shown = dict.fromkeys(Severity, 0)
    for f in findings:
        shown[f.severity] += 1
        if shown[f.severity] > ANNOTATED:
            continue
        path, line, col, message = f.span.path, f.span.line, f.span.col, _sentence(f)
        if root is not None and (folder := root / path).is_dir():
            inside = sorted(p for p in folder.iterdir() if p.is_file() and not p.is_symlink() and not p.name.startswith("."))
            if inside:
                path, line, col = inside[0].relative_to(root).as_posix(), 1, 1
                message = f"(about the folder {f.span.path}/) {message}"
        properties = ",".join(
            f"{name}={_escape_property(value)}"
            for name, value in (("file", path), ("line", line), ("col", col), ("title", f.code))
        )
        lines.append(f"::{f.severity.value} {properties}::{_escape_data(message)}")
    hidden = sum(max(0, n - ANNOTATED) for n in shown.values())
    if hidden:
        lines.append(f"::notice title=more findings::{hidden} more findings are not shown on the lines; "
                     "the run's summary page lists every one")
    return "".join(line + "\n" for line in lines) + summary(findings) + "\n"


def job_summary(findings: list[Finding], limit: int = 200_000) -> str:
    """Every finding, folded ones under their cause, as Markdown for the run's summary page (at most `limit` bytes)."""
    rows = ["### sarflow check", "", summary(findings), ""]
    if findings:
        rows += ["| where | what | how to fix it |", "|---|---|---|"]
    for f in findings:
        rows.append(_row(f, ""))
        rows += [_row(c, "↳ ") for c in f.follows]
    text, size = [], 0
    for row in rows:
        size += len(row.encode("utf-8")) + 1
        if size > limit:
            text += ["", "The list is cut here; `sarflow check` prints every finding."]
            break
        text.append(row)
    return "\n".join(text) + "\n"


def _row(f: Finding, mark: str) -> str:
    cells = (f"{mark}`{f.span}`", f"{f.severity.value}[{f.code}]: {f.message}", f.hint or "")
    return "| " + " | ".join(_escape_markdown(c) for c in cells) + " |"


def _escape_markdown(value: str) -> str:
    return html.escape(escaped(value), quote=False).replace("|", "\\|")


def _sentence(f: Finding) -> str:
    if not f.hint:
        return f.message
    return f"{f.message}{'' if f.message.endswith(('.', '?', '!', ')')) else '.'} {f.hint[:1].upper()}{f.hint[1:]}"


def as_json(findings: list[Finding]) -> str:
    return json.dumps([_json(f) for f in findings], indent=2, ensure_ascii=False) + "\n"


def _json(f: Finding) -> dict[str, object]:
    return {
        "severity": f.severity.value,
        "code": f.code,
        "message": f.message,
        "hint": f.hint,
        "file": f.span.path,
        "line": f.span.line,
        "col": f.span.col,
        "follows": [_json(c) for c in f.follows],
    }


def _escape_data(value: object) -> str:
    """A command's message: line breaks and control characters already shown as escapes, then `%` as the runner needs."""
    return escaped(value).replace("%", "%25")


def _escape_property(value: object) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")
