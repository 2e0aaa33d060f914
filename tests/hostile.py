"""Hostile workbooks, built byte by byte from a real one: what an attacker or a broken tool sends.

Each builder copies a workbook that `sarflow build` wrote and changes one part of the
zip, so that everything else about the file is genuine. The tests and
benchmarks/workbook_limits.py use the same builders, so the figures measured are for
the files tested.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

from openpyxl.utils import get_column_letter

SHEET = "xl/worksheets/sheet1.xml"
# The worked example's first sheet (the Actions sheet) is sheet1.xml in the zip.


def rewrite(source: Path, target: Path, part: str, change: Callable[[bytes], bytes]) -> Path:
    """`source` with the zip member `part` replaced by `change(its bytes)`, saved as `target`."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            new.writestr(info.filename, change(data) if info.filename == part else data, compresslevel=9)
    return target


def empty_cells(source: Path, target: Path, rows: int = 100_000, columns: int = 20) -> Path:
    """A sheet that declares `rows` x `columns` empty, formatted cells below the actions.

    Each cell is `<c s="1"/>`, with no reference (the reader numbers them in order), so
    two million cells pack into about 100 KB: the file is small, reading it is not.
    """
    last = f"{get_column_letter(columns)}{rows}"
    row = b"<row>" + b'<c s="1"/>' * columns + b"</row>"

    def change(xml: bytes) -> bytes:
        start, end = xml.index(b"<dimension ref=\""), xml.index(b"/>", xml.index(b"<dimension"))
        xml = xml[:start] + f'<dimension ref="A1:{last}"'.encode() + xml[end:]
        return xml.replace(b"</sheetData>", row * rows + b"</sheetData>")

    return rewrite(source, target, SHEET, change)


def billion_laughs(source: Path, target: Path, part: str = SHEET) -> Path:
    """The classic XML bomb: ten entities, each ten of the one before, in the sheet's DTD."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
    ]
    doctype = ("<!DOCTYPE worksheet [" + "".join(entities) + "]>").encode()

    def change(xml: bytes) -> bytes:
        xml = _after_declaration(xml, doctype)
        return xml.replace(b"<t>No</t>", b"<t>&lol9;</t>", 1)

    return rewrite(source, target, part, change)


def external_entity(source: Path, target: Path, secret: Path, part: str = SHEET) -> Path:
    """An entity that names a local file, so that its content would land in a cell."""
    doctype = f'<!DOCTYPE worksheet [<!ENTITY secret SYSTEM "{secret.as_uri()}">]>'.encode()

    def change(xml: bytes) -> bytes:
        xml = _after_declaration(xml, doctype)
        return xml.replace(b"<t>No</t>", b"<t>&secret;</t>", 1)

    return rewrite(source, target, part, change)


def zip_bomb(source: Path, target: Path, size: int = 20 * 2**20, part: str = "xl/media/image1.png") -> Path:
    """A real workbook carrying one extra member of `size` zeros: a thousand to one when packed."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, old.read(info))
        new.writestr(part, b"\0" * size, compresslevel=9)
    return target


def _after_declaration(xml: bytes, doctype: bytes) -> bytes:
    """`doctype` placed where XML allows it: after the `<?xml ...?>` line, if there is one."""
    if xml.startswith(b"<?xml"):
        end = xml.index(b"?>") + 2
        return xml[:end] + doctype + xml[end:]
    return doctype + xml
