"""A Word document sent for import: what it really is, checked before pandoc reads it.

The file is judged by its content, not its name: an old Word 97-2003 file (.doc) and
a password-protected document are both OLE compound files (a protected .docx is
one too: the encrypted package inside the OLE container), a PDF starts with %PDF, an
OpenDocument text is a zip whose `mimetype` says so. A .docx is a zip of XML parts,
so it passes the same guard as a returned workbook (imports.guard: its size, no zip
bomb, no DTD) before pandoc, sandboxed and bounded as for the Word report, reads it
to its AST. Tracked changes are counted in word/document.xml and accepted.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.parsers import expat

from sarflow.errors import USAGE_OR_ENVIRONMENT, SarflowError
from sarflow.imports.guard import CHUNK, WORD_IMR, Refusal, inspect
from sarflow.imports.sheets import OLE_MAGIC, encrypted
from sarflow.word import pandoc

BODY = "word/document.xml"
TRACKED = ("ins", "del", "moveFrom", "moveTo")  # w: elements of a tracked insertion, deletion or move
SAVE_AS = "open it in Word and use File > Save As > Word Document (.docx), then import the .docx"


class DocumentRefused(SarflowError):
    """The file cannot be imported as a Word IMR at all; the message names it and says what to do."""


@dataclass(frozen=True)
class WordDocument:
    ast: dict[str, Any]  # pandoc's JSON AST, tracked changes accepted
    tracked: int  # how many tracked insertions, deletions and moves it had


def read_document(path: Path, shown: str) -> WordDocument:
    """The document's AST, or DocumentRefused saying in plain words why it cannot be read."""
    _what_it_is(path, shown)
    try:
        inspect(path, shown, WORD_IMR)
    except Refusal as exc:
        raise DocumentRefused(str(exc)) from exc
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise DocumentRefused(f"{shown}: the document is damaged and cannot be read ({type(exc).__name__}); "
                              "ask the agency to send it again, saved from Word as .docx") from exc
    tracked = _tracked_changes(path)
    try:
        ast = pandoc.read_docx(path.read_bytes())
    except pandoc.PandocError as exc:
        raise DocumentRefused(f"{shown}: the document could not be read ({exc}); ask the agency to send it again, "
                              "saved from Word as .docx") from exc
    return WordDocument(ast, tracked)


def _what_it_is(path: Path, shown: str) -> None:
    if not path.exists():
        raise DocumentRefused(f"{shown}: there is no such file", exit_code=USAGE_OR_ENVIRONMENT)
    if not path.is_file():
        raise DocumentRefused(f"{shown}: this is a folder, not a Word document", exit_code=USAGE_OR_ENVIRONMENT)
    with path.open("rb") as handle:
        head = handle.read(8)
    if head == OLE_MAGIC and encrypted(path):
        raise DocumentRefused(f"{shown}: the document is protected by a password, so it cannot be read; open it in "
                              "Word, remove the password (File > Info > Protect Document > Encrypt with Password, "
                              "clear it), save it and import it again")
    if head == OLE_MAGIC:
        raise DocumentRefused(f"{shown}: this is an old-style Word 97-2003 document (.doc); {SAVE_AS}")
    if head.startswith(b"%PDF"):
        raise DocumentRefused(f"{shown}: this is a PDF, from which the sections and tables cannot be read reliably; "
                              "ask the agency for the Word document (.docx) it was made from")
    if head.startswith(b"{\\rtf"):
        raise DocumentRefused(f"{shown}: this is a Rich Text (.rtf) file; {SAVE_AS}")
    if not zipfile.is_zipfile(path):
        raise DocumentRefused(f"{shown}: this is not a Word document (.docx); give the IMR saved from Word as .docx")
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        kind = archive.read("mimetype")[:100].decode("ascii", "replace") if "mimetype" in names else ""
    if "opendocument" in kind:
        raise DocumentRefused(f"{shown}: this is an OpenDocument file ({path.suffix or 'no extension'}, from "
                              "LibreOffice or OpenOffice); open it there and use File > Save As > Word 2007-365 "
                              "(.docx), then import the .docx")
    if BODY not in names:
        what = "an Excel workbook" if "xl/workbook.xml" in names else "a zip file, not a Word document"
        raise DocumentRefused(f"{shown}: this is {what}; give the IMR saved from Word as .docx")


def _tracked_changes(path: Path) -> int:
    """How many tracked changes (insertions, deletions, moves) the document's body holds."""
    count = 0

    def start(tag: str, _attributes: object) -> None:
        nonlocal count
        if tag.rsplit(" ", 1)[-1] in TRACKED:
            count += 1

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    with zipfile.ZipFile(path) as archive, archive.open(BODY) as stream:
        try:
            while chunk := stream.read(CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except expat.ExpatError:
            pass  # pandoc's reading says what is wrong with it
    return count
