"""A workbook's file, the same bytes whenever its content is the same.

openpyxl stamps the moment of saving twice: in docProps/core.xml (created, modified) and
on every part of the zip. Both would make each build differ from the last although
nothing in the review changed, so a rebuild could never be recognised as unchanged.
Here the parts carry the zip format's earliest time and the document properties no
time at all (both are optional; Excel shows the dates as blank).
"""

from __future__ import annotations

import io
import zipfile

from lxml import etree
from openpyxl import Workbook

CORE_PART = "docProps/core.xml"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip entry can hold
_TIMES = ("{http://purl.org/dc/terms/}created", "{http://purl.org/dc/terms/}modified")


def package(book: Workbook) -> bytes:
    """The .xlsx of `book`, without the time it was saved."""
    saved = io.BytesIO()
    book.save(saved)
    out = io.BytesIO()
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == CORE_PART:
                data = _timeless(data)
            target.writestr(zipfile.ZipInfo(info.filename, FIXED_TIME), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _timeless(core: bytes) -> bytes:
    """docProps/core.xml (as openpyxl wrote it) without its created and modified times."""
    properties = etree.fromstring(core)
    for stamp in [e for e in properties if e.tag in _TIMES]:
        properties.remove(stamp)
    return bytes(etree.tostring(properties, xml_declaration=True, encoding="UTF-8", standalone=True))
