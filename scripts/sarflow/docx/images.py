"""Pictures in author Markdown: only files inside the IMR's own folder go into the document.

A path outside the folder (`/etc/hostname`, `../../x.png`), a symbolic link (wherever it
points: sarflow follows none), a web address or anything that is not a PNG, JPEG or GIF picture is refused with
an error naming the file and line; pandoc is never left to fetch a path itself. A
picture that passes is handed to pandoc inside the document as a data: address.

That costs memory each time a picture is shown, so pictures are bounded
(`sarflow.limits`): each in bytes and in pixels (read from its header, which is what a
reader's Word holds uncompressed to show it), and all those of one report together,
counted every time they are shown (100 references to one 9.9 MB picture once took 5.5 GB).
"""

from __future__ import annotations

import base64
import re
import struct
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from sarflow import limits
from sarflow.errors import SarflowError
from sarflow.findings import Finding, Span, error
from sarflow.links import first_link
from sarflow.model import Section
from sarflow.word.nodes import Node

SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"GIF87a": "image/gif",
    b"GIF89a": "image/gif",
}
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


SMALLER = "make the picture smaller (fewer pixels, or saved as a JPEG) and save it in {folder}/ in place of this one"
OUTSIDE = "save the picture (PNG, JPEG or GIF) inside {folder}/ and link it by its name there, e.g. ![Floor plan](floor-plan.png)"


class Refused(SarflowError):
    """Why a picture cannot go into the document, in the author's words, and what to do (a hint)."""

    def __init__(self, why: str, hint: str = OUTSIDE) -> None:
        super().__init__(why)
        self.hint = hint


class OverTotal(Refused):
    """A picture that would take the report's pictures over their total."""


@dataclass
class Pictures:
    """The pictures one report shows, as data: addresses, and what they have cost so far.

    A picture shown again reuses its address, but pandoc is sent it in full each time.
    """

    addresses: dict[Path, str] = field(default_factory=dict)
    shown: int = 0
    total: int = 0
    over: list[Finding] = field(default_factory=list)

    def show(self, path: Path) -> str:
        """The picture's data: address, counted towards the report's total (which it may not pass)."""
        size = path.stat().st_size
        if self.total + size > limits.PICTURES_MB() * limits.MB:
            raise OverTotal(
                f"would bring the pictures of this report to more than {limits.PICTURES_MB.shown()} (each time a "
                f"picture is shown counts: the {self.shown} shown before it come to {self.total / limits.MB:.1f} MB)",
                "show each picture once, and fewer or smaller pictures",
            )
        address = self.addresses.get(path) or _data_address(path)
        self.addresses[path] = address
        self.shown, self.total = self.shown + 1, self.total + size
        return address


def embed_images(images: list[Node], section: Section, folder: Path, pictures: Pictures) -> list[Finding]:
    """Check every picture of a section (its Image nodes, in order); replace each one allowed by its contents.

    Returns an error for each refused picture (which stays unreadable by pandoc); of the
    pictures over the report's total, only the first is reported, with how many more are.
    """
    findings: list[Finding] = []
    shown_folder = PurePosixPath(section.span.path).parent
    seen: dict[str, int] = {}
    for node in images:
        target = node["c"][2]
        source = target[0]
        seen[source] = seen.get(source, 0) + 1
        try:
            target[0] = pictures.show(_resolve(source, folder))
        except Refused as why:
            target[0] = ""
            finding = error(
                "refused-image",
                f"the picture {source!r} {why}: it may not go into the Word report, so this IMR's report is not built",
                _where(source, section, seen[source]),
                why.hint.format(folder=shown_folder),
            )
            (pictures.over if isinstance(why, OverTotal) else findings).append(finding)
    return findings


def over_total(pictures: Pictures) -> list[Finding]:
    """The first picture over the report's total, saying how many more were."""
    if not pictures.over:
        return []
    first, more = pictures.over[0], len(pictures.over) - 1
    if not more:
        return [first]
    message = f"{first.message} (and so would {more} more picture{'s' if more > 1 else ''} shown after it)"
    return [error(first.code, message, first.span, first.hint)]


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
    size = path.stat().st_size
    if size > limits.PICTURE_MB() * limits.MB:
        raise Refused(f"is {size / limits.MB:.1f} MB, larger than the {limits.PICTURE_MB.shown()} a picture may be", SMALLER)
    return path


def _data_address(path: Path) -> str:
    content = path.read_bytes()
    mime = next((m for signature, m in SIGNATURES.items() if content.startswith(signature)), None)
    if mime is None:
        raise Refused("is not a PNG, JPEG or GIF picture")
    width, height = pixels(content, mime) or (0, 0)
    if not width or not height:
        raise Refused(f"cannot be read as a {mime.removeprefix('image/').upper()} picture (its size is missing)")
    if width * height > limits.PICTURE_MEGAPIXELS() * 1_000_000:
        raise Refused(f"is {width:,} × {height:,} pixels, more than the {limits.PICTURE_MEGAPIXELS.shown()} a picture "
                      "may have", SMALLER)
    return f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"


def pixels(content: bytes, mime: str) -> tuple[int, int] | None:
    """A picture's width and height in pixels, from its header; None where it is not there."""
    if mime == "image/png":
        return struct.unpack(">II", content[16:24]) if content[12:16] == b"IHDR" and len(content) >= 24 else None
    if mime == "image/gif":
        return struct.unpack("<HH", content[6:10]) if len(content) >= 10 else None
    position = 2  # JPEG: the segments after the start marker, up to the frame header (SOF0 to SOF15)
    while position + 9 <= len(content) and content[position] == 0xFF:
        marker = content[position + 1]
        if marker == 0xFF:  # a fill byte
            position += 1
        elif 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", content[position + 5 : position + 9])
            return width, height
        else:
            position += 2 + int.from_bytes(content[position + 2 : position + 4], "big")
    return None


def _where(source: str, section: Section, occurrence: int = 1) -> Span:
    """The line and column where the author wrote the picture's address (its `occurrence`-th
    time in the section, or else the first)."""
    for needle in (f"]({source}", source, unquote(source)):
        places = [
            Span(section.span.path, number, column + 1 + (2 if needle.startswith("](") else 0))
            for number, line in enumerate(section.text.split("\n"), start=1)
            for column in _finds(line, needle)
        ]
        if places:
            return places[occurrence - 1] if occurrence <= len(places) else places[0]
    return section.span


def _finds(line: str, needle: str) -> list[int]:
    """Every position of `needle` in `line`."""
    found, column = [], line.find(needle)
    while column >= 0:
        found.append(column)
        column = line.find(needle, column + 1)
    return found
