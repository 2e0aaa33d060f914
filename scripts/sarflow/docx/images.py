"""Pictures in author Markdown: only files inside the IMR's own folder go into the document.

A path outside the folder (`/etc/hostname`, `../../x.png`), a symbolic link (wherever it
points: sarflow follows none), a web address or anything that is not a PNG, JPEG or GIF picture is refused with
an error naming the file and line; pandoc is never left to fetch a path itself. A
picture that passes is handed to pandoc inside the document as a data: address.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from sarflow.docx.nodes import Node, walk
from sarflow.errors import SarflowError
from sarflow.findings import Finding, Span, error
from sarflow.links import first_link
from sarflow.model import Section

MAX_BYTES = 10 * 1024 * 1024
SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"GIF87a": "image/gif",
    b"GIF89a": "image/gif",
}
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


class Refused(SarflowError):
    """Why a picture cannot go into the document, in the author's words."""


def embed_images(blocks: list[Node], section: Section, folder: Path) -> list[Finding]:
    """Check every picture of a section; replace each one allowed by its contents.

    Returns an error for each refused picture (which stays unreadable by pandoc).
    """
    findings = []
    shown_folder = PurePosixPath(section.span.path).parent
    for node in walk(blocks):
        if node["t"] != "Image":
            continue
        target = node["c"][2]
        source = target[0]
        try:
            target[0] = _data_address(_resolve(source, folder))
        except Refused as why:
            target[0] = ""
            findings.append(
                error(
                    "refused-image",
                    f"the picture {source!r} {why}: it may not go into the Word report, so this IMR's report "
                    "is not built",
                    _where(source, section),
                    f"save the picture (PNG, JPEG or GIF) inside {shown_folder}/ and link it by its "
                    "name there, e.g. ![Floor plan](floor-plan.png)",
                )
            )
    return findings


def _resolve(source: str, folder: Path) -> Path:
    if _SCHEME.match(source) or source.startswith("//"):
        raise Refused("is a web or other address, not a file in the IMR folder (sarflow never fetches anything)")
    relative = PurePosixPath(unquote(source))
    if relative.is_absolute() or source.startswith("\\"):
        raise Refused("is an absolute path, outside the IMR folder")
    inside = folder.resolve()
    if first_link(inside / relative, inside) is not None:
        raise Refused("is, or is in, a symbolic link, which sarflow never follows")
    path = (inside / relative).resolve()
    if not path.is_relative_to(inside):
        raise Refused("is outside the IMR folder")
    if not path.is_file():
        raise Refused("is not a file in the IMR folder")
    if any(part.startswith(".") for part in path.relative_to(inside).parts):
        raise Refused("is in a hidden folder or file")
    if path.stat().st_size > MAX_BYTES:
        raise Refused(f"is larger than {MAX_BYTES // 1024 // 1024} MB")
    return path


def _data_address(path: Path) -> str:
    content = path.read_bytes()
    mime = next((m for signature, m in SIGNATURES.items() if content.startswith(signature)), None)
    if mime is None:
        raise Refused("is not a PNG, JPEG or GIF picture")
    return f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"


def _where(source: str, section: Section) -> Span:
    """The line and column where the author wrote the picture's address."""
    for needle in (f"]({source}", source, unquote(source)):
        for number, line in enumerate(section.text.split("\n"), start=1):
            column = line.find(needle)
            if column >= 0:
                offset = 2 if needle.startswith("](") else 0
                return Span(section.span.path, number, column + 1 + offset)
    return section.span
