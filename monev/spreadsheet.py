"""Reading an uploaded spreadsheet (CSV, Excel's UTF-16 text, XLSX) into raw cells, refusing hostile files.

Whatever arrives is treated as hostile: the format is read from the bytes, not the name, and size, row, unpacked-size
and time limits are checked before and while reading. What the cells mean is ``monev.dataset``'s business; a file
that cannot be read as a table at all raises ``Rejected`` with a problem code (``monev.i18n`` words it).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import math
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Upload limits. The server refuses larger uploads too (.streamlit/config.toml, server.maxUploadSize = 10), but the
# loader checks them itself so the CLI and any other caller get the same protection.
MAX_FILE_BYTES = 10 * 1024 * 1024
# 514 regencies × 10 years of months is ~62 000 rows; more is not a coverage file.
MAX_DATA_ROWS = 100_000
# An .xlsx is a zip: a small file can unpack to gigabytes (a "zip bomb"). Real workbooks of this size unpack to a
# few MB and compress their XML at most ~20×.
MAX_XLSX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_XLSX_COMPRESSION_RATIO = 200
MAX_XLSX_MEMBERS = 1_000
# Reading stops after this long; a file that takes longer is either hostile or not a coverage table.
PARSE_TIMEOUT_S = 15.0
# How many rows are read between two looks at the clock.
_DEADLINE_CHECK_EVERY = 512

_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls
_BINARY_MAGICS = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf")
_CSV_DELIMITERS = (";", ",", "\t", "|")



@dataclass
class RawSheet:
    """One sheet's non-empty rows, numbered as the file shows them; ``name`` is None for a CSV."""

    name: str | None
    rows: list[tuple[int, list[object]]] = field(default_factory=list)  # (row number in the file, cells)
    percent_cells: set[tuple[int, int]] = field(default_factory=set)  # (row, column index) shown as % in Excel
    date_cells: set[tuple[int, int]] = field(default_factory=set)  # (row, column index) that Excel holds as a date


@dataclass
class RawTable:
    """The table found inside a sheet: its header row and the rows below it that hold data."""

    headers: list[object]
    header_row: int
    rows: list[tuple[int, list[object]]]  # (row number in the file, cells)
    percent_cells: set[tuple[int, int]] = field(default_factory=set)  # (row, column index) shown as % in Excel


class Rejected(Exception):
    """The file cannot be read as a table at all; ``code`` (a problem code) and the details say why."""

    def __init__(self, code: str, *, row: int | None = None, value: str | None = None, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.row = row
        self.value = value
        self.params = params


class Deadline:
    """Reading gives up once ``seconds`` have passed; checked every few hundred rows, so it costs nothing."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._ends_at = time.monotonic() + seconds
        self._rows = 0

    def tick(self) -> None:
        """Count one row read; raise ``Rejected`` once the time is up."""
        self._rows += 1
        if self._rows % _DEADLINE_CHECK_EVERY == 0 and time.monotonic() > self._ends_at:
            raise Rejected("file.timeout", seconds=int(self.seconds))


class _RowCounter:
    """Counts the non-empty rows of the whole file, all sheets together, against ``MAX_DATA_ROWS``."""

    def __init__(self) -> None:
        self.rows = 0

    def count(self) -> None:
        self.rows += 1
        # One header row comes on top of the data rows.
        if self.rows > MAX_DATA_ROWS + 1:
            raise Rejected("file.too_many_rows", limit=MAX_DATA_ROWS)


def read_sheets(name: str, content: bytes, deadline: Deadline) -> list[RawSheet]:
    """Every sheet of the file as non-empty rows of cells, whatever its extension says: the format is read from the
    bytes. A CSV is one sheet without a name."""
    if len(content) > MAX_FILE_BYTES:
        raise Rejected("file.too_large", value=name, size_mb=math.ceil(len(content) / 1024 / 1024),
                       limit_mb=MAX_FILE_BYTES // 1024 // 1024)
    if not content.strip():
        raise Rejected("file.empty")
    suffix = Path(name).suffix.lower()
    if content.startswith(_XLSX_MAGIC):
        return _read_xlsx(name, content, deadline)
    if content.startswith(_OLE_MAGIC) or suffix == ".xls":
        raise Rejected("file.xls", value=name)
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode Text" export: UTF-16 with a byte-order mark, tab-separated.
        try:
            return [_read_csv(content.decode("utf-16").encode("utf-8"), deadline)]
        except UnicodeDecodeError as exc:
            raise Rejected("file.unreadable", value="UTF-16") from exc
    if content.startswith(_BINARY_MAGICS) or b"\x00" in content[:4096]:
        raise Rejected("file.type", value=name)
    return [_read_csv(content, deadline)]


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in the ANSI code page; Indonesian text is almost all ASCII anyway.
        return content.decode("cp1252", errors="replace")


def _guess_delimiter(header_line: str) -> str:
    return max(_CSV_DELIMITERS, key=header_line.count)


def _read_csv(content: bytes, deadline: Deadline) -> RawSheet:
    text = _decode(content)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_guess_delimiter(first_line))
    sheet = RawSheet(None)
    counter = _RowCounter()
    try:
        for cells in reader:
            deadline.tick()
            if not any(cell.strip() for cell in cells):
                continue
            sheet.rows.append((reader.line_num, list(cells)))
            counter.count()
    except csv.Error as exc:
        raise Rejected("file.unreadable", row=reader.line_num, value=str(exc)) from exc
    if not sheet.rows:
        raise Rejected("file.empty")
    return sheet


def _check_xlsx_container(name: str, content: bytes) -> None:
    """Refuse a zip that is not a workbook, or that would unpack to far more than any coverage workbook, before
    anything is decompressed."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:  # OSError: a truncated or lying central directory
        raise Rejected("file.unreadable", value=type(exc).__name__) from exc
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names:
        raise Rejected("file.type", value=name)
    unpacked = sum(member.file_size for member in members)
    too_packed = any(member.file_size > MAX_XLSX_COMPRESSION_RATIO * max(member.compress_size, 1)
                     and member.file_size > 1024 * 1024 for member in members)
    if len(members) > MAX_XLSX_MEMBERS or unpacked > MAX_XLSX_UNPACKED_BYTES or too_packed:
        raise Rejected("file.xlsx_bomb", value=name, unpacked_mb=math.ceil(unpacked / 1024 / 1024))


def _read_xlsx(name: str, content: bytes, deadline: Deadline) -> list[RawSheet]:
    from openpyxl import load_workbook  # imported here: loading openpyxl costs time that CSV users never need

    _check_xlsx_container(name, content)
    # A damaged workbook can fail anywhere, in the zip layer, the XML parser or openpyxl itself, and in read-only
    # mode only while the rows are read; whatever fails, the user gets "cannot be read", never a traceback.
    # (openpyxl parses the XML through defusedxml, which is installed: entity-expansion bombs are refused there.)
    counter = _RowCounter()
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            # Chart sheets have no rows; openpyxl lists only worksheets here.
            sheets = [_read_sheet(sheet, deadline, counter) for sheet in workbook.worksheets]
        finally:
            workbook.close()
    except Rejected:
        raise
    except Exception as exc:
        raise Rejected("file.unreadable", value=type(exc).__name__) from exc
    if not any(sheet.rows for sheet in sheets):
        raise Rejected("file.empty")
    return sheets


def _read_sheet(sheet: Any, deadline: Deadline, counter: _RowCounter) -> RawSheet:
    # A sheet may claim any size (A1:XFD1048576); read-only openpyxl would pad every row to that width.
    sheet.reset_dimensions()
    raw = RawSheet(str(sheet.title))
    for cells in sheet.iter_rows():
        deadline.tick()
        values = [cell.value for cell in cells]
        if not any(v is not None and str(v).strip() for v in values):
            continue
        row_number = next(cell.row for cell in cells if hasattr(cell, "row"))
        raw.rows.append((row_number, values))
        counter.count()
        for index, cell in enumerate(cells):
            if isinstance(cell.value, (dt.date, dt.time)):
                raw.date_cells.add((row_number, index))
            elif "%" in str(getattr(cell, "number_format", "") or ""):
                raw.percent_cells.add((row_number, index))
    return raw
