"""What a returned workbook (or Word document) may hold before anything reads it: a bound on its size, and no XML tricks.

An .xlsx file is a zip of XML parts, and it comes from outside the board (a .docx is
one too). Before openpyxl (or pandoc) opens it, every part is checked here, without
unpacking more than the zip declares and without keeping any part in memory:
- the zip: at most MAX_FILE on disk, MAX_PARTS parts, each unpacking to at most
  MAX_PART and all of them to at most MAX_UNPACKED, and no part of over 1 MB
  packed more tightly than MAX_RATIO to one (a zip bomb). Python's zip reader stops
  at each part's declared size, so the declared sizes are a true bound;
- the XML: no part may declare a DTD (`<!DOCTYPE`). Excel never writes one, and a
  DTD is what the entity tricks need: the "billion laughs" bomb (entities that
  expand to gigabytes) and external entities (which would put a local file's content
  into a cell);
- the sheets: at most MAX_ROWS rows, MAX_COLUMNS columns and MAX_CELLS cells each,
  counting the empty cells a sheet declares (a format applied to a whole range
  writes every cell of it), so that a small file cannot make the reader build
  millions of cells. A value may not lie below row MAX_ROWS; an empty cell far
  down (a format applied to one cell at the bottom) costs nothing and is allowed.
Every part is streamed through expat; the count stops as soon as a limit is passed.
Each refusal names what the file was meant to be (`Expected`: an action plan, a
chronology, an IMR), so that the person importing it reads about their own file.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn
from xml.parsers import expat

from openpyxl.utils import column_index_from_string, get_column_letter

from sarflow.errors import SarflowError

MAX_FILE = 50 * 2**20
MAX_PARTS = 2_000
MAX_PART = 25 * 2**20
MAX_UNPACKED = 100 * 2**20
MAX_RATIO = 100
RATIO_FROM = 2**20  # small parts (a sheet of repeated formulas) may pack tightly; it costs nothing
MAX_ROWS = 20_000
MAX_COLUMNS = 200
MAX_CELLS = 500_000
CHUNK = 2**16
SHEETS = ("worksheet", "dialogsheet")
VALUES = ("v", "is", "f")  # what a cell holds when it is more than a format
_REFERENCE = re.compile(r"([A-Za-z]{1,3})(\d+)$")


class Refusal(SarflowError):
    """The file is refused as a whole; the message names the file and says what to do."""


@dataclass(frozen=True)
class Expected:
    """What the file is meant to be, in the words its refusals use: far larger than `what` needs,
    a zip bomb, not a `file`; save it again from `program`; delete what follows the last `item`."""

    what: str
    file: str
    program: str
    item: str


ACTION_PLAN = Expected("an action plan", "workbook", "Excel", "action")
CHRONOLOGY = Expected("a chronology", "workbook", "Excel", "entry")
WORD_IMR = Expected("an IMR", "document", "Word", "table")


def inspect(path: Path, shown: str, expected: Expected) -> None:
    """Raise Refusal if the file at `path` is larger, denser or stranger than any `expected` one."""
    size = path.stat().st_size
    if size > MAX_FILE:
        _refuse(shown, f"the file is {_mb(size)}, far larger than {expected.what} needs (at most {_mb(MAX_FILE)})",
                _RIGHT_FILE)
    with zipfile.ZipFile(path) as archive:
        parts = archive.infolist()
        _sizes(parts, shown, expected)
        for info in parts:
            _part(archive, info, shown, expected)
        for info in parts:
            _ratio(info, shown, expected)


_RIGHT_FILE = "check that it is the right file, and remove pictures or other sheets from it"


def _sizes(parts: list[zipfile.ZipInfo], shown: str, expected: Expected) -> None:
    if len(parts) > MAX_PARTS:
        _refuse(shown, f"the {expected.file} holds {len(parts):,} parts, far more than {expected.what} "
                f"(at most {MAX_PARTS:,})", f"check that it is the right file; save it again from {expected.program} "
                f"as a new {expected.file}")
    unpacked = sum(info.file_size for info in parts)
    if unpacked > MAX_UNPACKED:
        _refuse(shown, f"the {expected.file} unpacks to {_mb(unpacked)}, far more than {expected.what} needs "
                f"(at most {_mb(MAX_UNPACKED)})", _RIGHT_FILE)
    for info in parts:
        if info.file_size > MAX_PART:
            _refuse(shown, f"its part {info.filename} unpacks to {_mb(info.file_size)} (at most {_mb(MAX_PART)})",
                    _RIGHT_FILE)


def _ratio(info: zipfile.ZipInfo, shown: str, expected: Expected) -> None:
    """A large part packed far more tightly than any picture or sheet is a zip bomb.

    Checked after the parts are read as XML, so that a sheet of empty cells (which
    packs almost as tightly) is refused for what it is.
    """
    if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        ratio = info.file_size // max(info.compress_size, 1)
        _refuse(shown, f"its part {info.filename} unpacks to {ratio:,} times its packed size "
                f"({_mb(info.compress_size)} to {_mb(info.file_size)}): this is a zip bomb, not a {expected.file}",
                _send_again(expected))


def _send_again(expected: Expected) -> str:
    return f"do not open the file; ask the agency to send the {expected.file} again, saved from {expected.program}"


def _part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str, expected: Expected) -> None:
    """Stream one part through expat: refuse a DTD, and count a sheet's rows, columns and cells."""
    counter = _Counter(info.filename, shown, expected)
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = counter.doctype
    parser.EntityDeclHandler = counter.entity
    parser.StartElementHandler = counter.start
    parser.EndElementHandler = counter.end
    with archive.open(info) as stream:
        try:
            while chunk := stream.read(CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except expat.ExpatError:
            return  # not XML (a picture), or broken XML: openpyxl's own reading says so if it is a part it needs


class _Counter:
    """expat's handlers for one part: what the part may not hold, and a sheet's size so far."""

    def __init__(self, part: str, shown: str, expected: Expected) -> None:
        self.part, self.shown, self.expected = part, shown, expected
        self.depth = 0
        self.sheet = False
        self.rows = self.cells = 0
        self.row = self.column = 0
        self.reference: str | None = None

    def doctype(self, name: str, *_: object) -> None:
        program, file = self.expected.program, self.expected.file
        _refuse(self.shown, f"its part {self.part} declares a DTD (<!DOCTYPE {name}>), which {program} never writes: "
                f"it is how an XML bomb or a request to read other files is hidden in a {file}", _send_again(self.expected))

    def entity(self, name: str, *_: object) -> None:
        _refuse(self.shown, f"its part {self.part} declares the XML entity {name!r}, which {self.expected.program} "
                "never writes", _send_again(self.expected))

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        self.depth += 1
        name = tag.rsplit(" ", 1)[-1]
        if self.depth == 1:
            self.sheet = name in SHEETS
        elif not self.sheet:
            return
        elif name == "row":
            self.rows += 1
            self.row = int(attributes["r"]) if attributes.get("r", "").isdigit() else self.row + 1
            self.column = 0
            self._limit(self.rows, MAX_ROWS, "rows")
        elif name == "c":
            self.cells += 1
            match = _REFERENCE.match(attributes.get("r", ""))
            self.reference = match.group(1).upper() if match else None
            self.column = column_index_from_string(self.reference) if self.reference else self.column + 1
            self._limit(self.cells, MAX_CELLS, "cells")
            if self.column > MAX_COLUMNS:
                self._too_far("column", self.reference or f"number {self.column:,}", get_column_letter(MAX_COLUMNS))
        elif name in VALUES and self.row > MAX_ROWS:
            self._too_far("row", f"{self.row:,}", f"{MAX_ROWS:,}")

    def end(self, _tag: str) -> None:
        self.depth -= 1

    def _limit(self, count: int, limit: int, what: str) -> None:
        if count > limit:
            _refuse(self.shown, f"a sheet ({self.part}) holds more than {limit:,} {what}, counting the empty "
                    f"ones it declares: far more than {self.expected.what} needs",
                    f"in {self.expected.program}, select the empty rows and columns after the last {self.expected.item}, delete them "
                    "(right-click > Delete), save and import again")

    def _too_far(self, what: str, which: str, limit: str) -> None:
        _refuse(self.shown, f"a sheet ({self.part}) has a cell in {what} {which}, beyond the last {self.expected.what} "
                f"may use ({what} {limit})",
                f"in {self.expected.program}, delete everything after the last {self.expected.item}'s {what}, save and import again")


def _mb(size: int) -> str:
    return f"{size / 2**20:,.0f} MB" if size >= 2**20 else f"{size / 2**10:,.0f} KB"


def _refuse(shown: str, message: str, hint: str) -> NoReturn:
    raise Refusal(f"{shown}: {message}; {hint}")
