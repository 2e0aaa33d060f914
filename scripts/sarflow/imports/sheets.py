"""A returned file read into plain cells, or refused with a sentence that says what it is instead.

The file is checked first (imports.guard: its size, its zip, no XML tricks, a bound
on every sheet), then read once in openpyxl's read-only mode, which streams each
sheet instead of building the whole workbook in memory. Only the cells that hold a
value are kept, as `Cell`s that know their place, so the rest of the import never
touches openpyxl and never walks a sheet cell by cell.
"""

from __future__ import annotations

import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from sarflow.errors import USAGE_OR_ENVIRONMENT, SarflowError
from sarflow.imports.guard import MAX_FILE, Expected, Refusal, inspect

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
DAMAGED = "ask the agency to send it again, or open it in Excel and save it as .xlsx"


class WorkbookRefused(SarflowError):
    """The file cannot be read as the workbook asked for at all (exit 2 when it is not there)."""


@dataclass(frozen=True)
class Cell:
    """One cell as the file holds it: its value (None when empty), whether it is a formula, and
    its number format (which tells a date known only to the month, `mm/yyyy`, from a full one)."""

    row: int
    column: int
    value: object = None
    formula: bool = False
    number_format: str = "General"

    @property
    def coordinate(self) -> str:
        return f"{get_column_letter(self.column)}{self.row}"


class Sheet:
    """The cells of one sheet that hold a value, by row and column."""

    def __init__(self, title: str, rows: dict[int, dict[int, Cell]]) -> None:
        self.title = title
        self.rows = rows

    def cell(self, row: int, column: int) -> Cell:
        return self.rows.get(row, {}).get(column) or Cell(row, column)

    def row(self, row: int) -> list[Cell]:
        return list(self.rows.get(row, {}).values())

    def numbers(self, below: int = 0) -> list[int]:
        """The rows below `below` that hold a value, in order."""
        return sorted(r for r in self.rows if r > below)


def read_workbook(path: Path, shown: str, expected: Expected) -> list[Sheet]:
    """The sheets in order of the workbook that should be `expected`, or WorkbookRefused saying why it cannot be read."""
    _what_it_is(path, shown, expected)
    try:
        inspect(path, shown, expected)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. "Data Validation extension is not supported"
            book = load_workbook(path, read_only=True, data_only=False)
        try:
            return [_sheet(ws) for ws in book.worksheets]
        finally:
            book.close()
    except Refusal as exc:
        raise WorkbookRefused(str(exc)) from exc
    except (zipfile.BadZipFile, zipfile.LargeZipFile, InvalidFileException, KeyError, ValueError, TypeError,
            OSError, RuntimeError, EOFError) as exc:
        raise WorkbookRefused(
            f"{shown}: the workbook is damaged and cannot be read ({type(exc).__name__}); {DAMAGED}"
        ) from exc


def _sheet(ws: Any) -> Sheet:
    """One of openpyxl's read-only sheets (which its types do not describe), as plain cells."""
    ws.reset_dimensions()  # never pad rows to the size a sheet declares
    rows: dict[int, dict[int, Cell]] = {}
    for row in ws.iter_rows():
        for cell in row:
            value = getattr(cell, "value", None)
            if value is None:
                continue
            rows.setdefault(cell.row, {})[cell.column] = Cell(
                cell.row, cell.column, value, cell.data_type == "f", str(getattr(cell, "number_format", None) or "General"))
    return Sheet(ws.title, rows)


def _what_it_is(path: Path, shown: str, expected: Expected) -> None:
    """Refuse, in the user's words, a file that is not an .xlsx workbook at all."""
    if not path.exists():
        raise WorkbookRefused(f"{shown}: there is no such file", exit_code=USAGE_OR_ENVIRONMENT)
    if not path.is_file():
        raise WorkbookRefused(f"{shown}: this is a folder, not a workbook", exit_code=USAGE_OR_ENVIRONMENT)
    suffix = path.suffix.lower()
    with path.open("rb") as handle:
        head = handle.read(len(OLE_MAGIC))
    if suffix == ".csv":
        raise WorkbookRefused(
            f"{shown}: this is a CSV file, which has no Status list, no real dates and no formulas; "
            "open it in Excel and use File > Save As > Excel Workbook (.xlsx), then import the .xlsx"
        )
    if head == OLE_MAGIC and suffix != ".xls" and encrypted(path):
        raise WorkbookRefused(
            f"{shown}: the workbook is protected by a password, so it cannot be read; open it in Excel, "
            "remove the password (File > Info > Protect Workbook > Encrypt with Password, clear it), "
            "save it and import it again"
        )
    if suffix == ".xls" or head == OLE_MAGIC:
        raise WorkbookRefused(
            f"{shown}: this is an old-style Excel 97-2003 workbook (.xls); open it in Excel and use "
            "File > Save As > Excel Workbook (.xlsx), then import the .xlsx"
        )
    if suffix not in (".xlsx", ".xlsm"):
        raise WorkbookRefused(f"{shown}: this is not an Excel workbook (.xlsx); give {expected.what}'s workbook, "
                              "saved from Excel as .xlsx")
    if not zipfile.is_zipfile(path):
        raise WorkbookRefused(f"{shown}: the file is damaged or is not really an Excel workbook; {DAMAGED}")


def encrypted(path: Path) -> bool:
    """An Office file encrypted with a password is an OLE container with these streams."""
    with path.open("rb") as handle:
        data = handle.read(MAX_FILE)
    return any(name.encode("utf-16-le") in data for name in ("EncryptionInfo", "EncryptedPackage"))
