"""A workbook's file, the same bytes whenever its content is the same.

openpyxl stamps the moment of saving twice: in docProps/core.xml (created, modified) and
on every part of the zip. Both would make each build differ from the last although
nothing in the review changed, so a rebuild could never be recognised as unchanged.
Here the parts carry the zip format's earliest time and the document properties no
time at all (both are optional; Excel shows the dates as blank).

The parts are written straight into the zip as openpyxl makes them, each compressed
once, and each sheet is made in memory: openpyxl's own `save` writes every sheet to a
temporary file first and stamps the parts with the time, so the file would then have to
be unpacked and packed again. A sheet's rows, most of its bytes, are written as text by
`sarflow.xlsx.rows`, the same bytes as openpyxl's writer would make of them.
"""

from __future__ import annotations

import io
import zipfile

from lxml import etree
from openpyxl import Workbook
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from sarflow.outputs import CORE_PART, DEFLATE_LEVEL, FIXED_TIME
from sarflow.xlsx.rows import sheet_data

_STAND_IN = "sarflow-rows"  # where a sheet's rows go, in what openpyxl writes around them
_TIMES = ("{http://purl.org/dc/terms/}created", "{http://purl.org/dc/terms/}modified")


def package(book: Workbook) -> bytes:
    """The .xlsx of `book`, without the time it was saved."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        _Writer(book, _Parts(archive)).write_data()
    return out.getvalue()


class _Parts:
    """What openpyxl's writer writes a workbook's parts into (it asks only these two): each part
    goes into `archive` stamped FIXED_TIME, the document properties with no time."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive

    def writestr(self, name: str, data: str | bytes) -> None:
        if name == CORE_PART:
            data = _timeless(data.encode() if isinstance(data, str) else data)
        self.archive.writestr(zipfile.ZipInfo(name, FIXED_TIME), data, zipfile.ZIP_DEFLATED, DEFLATE_LEVEL)

    def namelist(self) -> list[str]:
        return self.archive.namelist()


class _Writer(ExcelWriter):
    """openpyxl's writer, but each sheet made in memory rather than in a temporary file."""

    def write_worksheet(self, ws: Worksheet) -> None:
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        writer = _SheetWriter(ws, out=io.BytesIO())
        writer.write()
        ws._rels = writer._rels
        self._archive.writestr(ws.path[1:], writer.sheet())
        self.manifest.append(ws)


class _SheetWriter(WorksheetWriter):
    """openpyxl's writer of one sheet, its rows written as text (`sarflow.xlsx.rows`) where they can
    be: openpyxl writes the rest of the sheet around a stand-in, which the rows then replace."""

    _rows: bytes | None = None

    def write_rows(self) -> None:
        self._rows = sheet_data(self.ws)
        if self._rows is None:
            super().write_rows()
            return
        xf = self.xf.send(True)
        with xf.element("sheetData"):
            xf.write(_STAND_IN)
        self.xf.send(None)

    def sheet(self) -> bytes:
        written = bytes(self.read())
        if self._rows is None:
            return written
        return written.replace(f"<sheetData>{_STAND_IN}</sheetData>".encode(), self._rows, 1)


def _timeless(core: bytes) -> bytes:
    """docProps/core.xml (as openpyxl wrote it) without its created and modified times."""
    properties = etree.fromstring(core)
    for stamp in [e for e in properties if e.tag in _TIMES]:
        properties.remove(stamp)
    return bytes(etree.tostring(properties, xml_declaration=True, encoding="UTF-8", standalone=True))
