"""Reading an author's file as text, whatever editor saved it.

Authors work in GitHub's web editor, VS Code and Notepad on Windows: a byte-order mark
and CRLF line endings are normal and accepted. A file that is not UTF-8, or that is so
large it cannot be an IMR file, is refused with a message that says where and why.
"""

from __future__ import annotations

from pathlib import Path

from sarflow import limits
from sarflow.findings import Finding, Span, error


def read_text(path: Path, shown: str) -> tuple[str | None, list[Finding]]:
    """The file's text with the BOM removed and line endings made LF, or findings."""
    try:
        size = path.stat().st_size
        if size > limits.FILE_MB() * limits.MB:  # a 20 MB paste is refused at once, unread
            return None, [
                error(
                    "file-too-large",
                    f"the file is {size / limits.MB:.1f} MB; sarflow reads files of up to {limits.FILE_MB.shown()}",
                    Span(shown),
                    "an IMR file is normally a few kilobytes: check that nothing was pasted "
                    "into it by mistake, or split the text",
                )
            ]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [error("unreadable-file", f"the file cannot be read: {exc.strerror}", Span(shown))]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [_not_utf8(raw, exc, shown)]
    if _utf16(raw):  # UTF-16 without its byte-order mark decodes, as text with a NUL after each letter
        return None, [_not_utf8(raw, None, shown)]
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return text, []


def _utf16(raw: bytes) -> bool:
    return raw.startswith((b"\xff\xfe", b"\xfe\xff")) or raw[:200].count(b"\x00") > len(raw[:200]) // 4 > 0


def _not_utf8(raw: bytes, exc: UnicodeDecodeError | None, shown: str) -> Finding:
    if exc is None or _utf16(raw):
        return error(
            "not-utf8",
            "the file is saved as UTF-16 (which Windows calls 'Unicode'), not as UTF-8 text",
            Span(shown),
            "save it with the encoding UTF-8 (in VS Code: click 'UTF-16' in the status bar, then 'Save with Encoding' "
            "and 'UTF-8'; in Notepad: File, Save as, Encoding: UTF-8)",
        )
    before = raw[: exc.start]
    line = before.count(b"\n") + 1
    col = len(before) - (before.rfind(b"\n") + 1) + 1
    return error(
        "not-utf8",
        f"byte 0x{raw[exc.start]:02X} at line {line}, column {col} is not valid UTF-8 text",
        Span(shown, line, col),
        "save the file with the encoding UTF-8 (in VS Code: click the encoding in the "
        "status bar, then 'Save with Encoding'); Word and Excel often save as Windows-1252",
    )
