"""The coverage data model: reading CSV/XLSX as officials fill them in, and validating every row.

A file holds one row per region per month. Validation reports *every* problem at once, each with the row
number as the user sees it in the file, the column header as written there, the offending value and a code;
``monev.i18n`` turns the code into a sentence. Errors block loading, warnings do not.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import difflib
import functools
import hashlib
import io
import math
import os
import re
import time
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd

from monev import fmt, i18n, periods
from monev.regions import Registry, load_registry, normalise_name

Severity = Literal["error", "warning"]
ColumnKind = Literal["period", "region", "count", "percent", "text"]

SEGMENTS = ("pu", "bpu", "jakon", "pmi")
DEMO_PATH = Path(__file__).resolve().parent.parent / "data" / "demo" / "cakupan_bengkulu_2024.csv"
# Another province's registry ($MONEV_REGIONS_DIR) needs its own example data: the Bengkulu demo names its regions.
DEMO_DATA_ENV = "MONEV_DEMO_DATA"

# A month-to-month change larger than this share of the previous value is flagged for a second look.
JUMP_WARNING_SHARE = 0.30
# Changes smaller than this many people are noise, whatever their share.
JUMP_WARNING_MIN_PEOPLE = 500
# No region has a billion workers; a larger count is a typing or unit error (and would overflow sums).
MAX_COUNT = 1_000_000_000

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


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    header: str
    kind: ColumnKind
    required: bool
    synonyms: tuple[str, ...] = ()

    def spellings(self) -> tuple[str, ...]:
        return (self.key, self.header, *self.synonyms)


COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("period", "Periode", "period", True, ("bulan", "bulan tahun", "month", "tanggal")),
    ColumnSpec(
        "region",
        "Wilayah",
        "region",
        True,
        ("kode wilayah", "nama wilayah", "kabupaten kota", "kab kota", "kabupaten", "kode", "region", "daerah"),
    ),
    ColumnSpec(
        "potential_workers",
        "Pekerja Potensial",
        "count",
        True,
        ("potensi pekerja", "jumlah pekerja potensial", "tenaga kerja potensial", "potential workers"),
    ),
    ColumnSpec("pu", "Peserta PU", "count", True, ("pu", "peserta aktif pu", "penerima upah", "participants pu")),
    ColumnSpec(
        "bpu", "Peserta BPU", "count", True, ("bpu", "peserta aktif bpu", "bukan penerima upah", "participants bpu")
    ),
    ColumnSpec(
        "jakon", "Peserta Jakon", "count", True,
        ("jakon", "peserta aktif jakon", "jasa konstruksi", "participants jakon"),
    ),
    ColumnSpec("pmi", "Peserta PMI", "count", True, ("pmi", "peserta aktif pmi", "pekerja migran", "participants pmi")),
    ColumnSpec(
        "target_rate",
        "Target (%)",
        "percent",
        False,
        ("target", "target persen", "target cakupan", "target cakupan persen", "target pct"),
    ),
    ColumnSpec("note", "Keterangan", "text", False, ("catatan", "sumber", "note", "notes", "source")),
)
COLUMNS_BY_KEY = {spec.key: spec for spec in COLUMNS}
FRAME_COLUMNS = ["period", "region_code", "potential_workers", *SEGMENTS, "target_rate", "note"]


def _header_key(text: object) -> str:
    return normalise_name(str(text or "")).replace(" ", "_")


_HEADER_INDEX = {_header_key(spelling): spec for spec in COLUMNS for spelling in spec.spellings()}


# Row numbers are written as the spreadsheet shows them (1234), counts with thousands separators (1.234).
_ROW_PARAMS = frozenset({"first_row"})


@dataclass(frozen=True)
class Problem:
    """One fault or doubt found in a file. ``row`` is the file's own row number (header = its first row)."""

    code: str
    severity: Severity
    row: int | None = None
    column: str | None = None
    value: str | None = None
    params: dict[str, object] = field(default_factory=dict)

    def message(self, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
        return i18n.t(f"problem.{self.code}", lang, **self._text_params(lang))

    def fix(self, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
        return i18n.t(f"fix.{self.code}", lang, **self._text_params(lang))

    def _text_params(self, lang: str) -> dict[str, object]:
        shown = {key: fmt.number(value, lang) if isinstance(value, int) and key not in _ROW_PARAMS else value
                 for key, value in self.params.items()}
        return {"row": self.row, "column": self.column, "value": self.value, **shown}


@dataclass(frozen=True)
class CoverageData:
    """A validated coverage table: one row per region and month, counts as integers, target as a fraction."""

    frame: pd.DataFrame
    source_name: str
    checksum: str
    is_demo: bool = False
    warnings: tuple[Problem, ...] = ()

    # Worked out once per dataset: pages ask for these many times per run, and the frame never changes.
    @functools.cached_property
    def periods(self) -> list[str]:
        return sorted(self.frame["period"].unique())

    @property
    def latest_period(self) -> str:
        return self.periods[-1]

    @functools.cached_property
    def region_codes(self) -> list[str]:
        return list(dict.fromkeys(self.frame["region_code"]))


@dataclass(frozen=True)
class LoadResult:
    problems: tuple[Problem, ...]
    data: CoverageData | None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return self.data is not None


@dataclass
class _RawTable:
    headers: list[object]
    header_row: int
    rows: list[tuple[int, list[object]]]  # (row number in the file, cells)
    percent_cells: set[tuple[int, int]] = field(default_factory=set)  # (row, column index) shown as % in Excel


class _Rejected(Exception):
    """The file cannot be read as a table at all; carries the problems that say why."""

    def __init__(self, *problems: Problem) -> None:
        super().__init__(problems[0].code)
        self.problems = problems


class _BadValue(Exception):
    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


# --- reading -------------------------------------------------------------------------------------------------


class _Deadline:
    """Reading gives up once ``seconds`` have passed; checked every few hundred rows, so it costs nothing."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._ends_at = time.monotonic() + seconds
        self._rows = 0

    def tick(self) -> None:
        self._rows += 1
        if self._rows % _DEADLINE_CHECK_EVERY == 0 and time.monotonic() > self._ends_at:
            raise _Rejected(Problem("file.timeout", "error", params={"seconds": int(self.seconds)}))


def _count_data_row(rows: list[tuple[int, list[object]]]) -> None:
    if len(rows) > MAX_DATA_ROWS:
        raise _Rejected(Problem("file.too_many_rows", "error", params={"limit": MAX_DATA_ROWS}))


def _read_table(name: str, content: bytes, deadline: _Deadline) -> _RawTable:
    """The file as a table of cells, whatever its extension says: the format is read from the bytes."""
    if len(content) > MAX_FILE_BYTES:
        raise _Rejected(Problem("file.too_large", "error", value=name,
                                params={"size_mb": math.ceil(len(content) / 1024 / 1024),
                                        "limit_mb": MAX_FILE_BYTES // 1024 // 1024}))
    if not content.strip():
        raise _Rejected(Problem("file.empty", "error"))
    suffix = Path(name).suffix.lower()
    if content.startswith(_XLSX_MAGIC):
        return _read_xlsx(name, content, deadline)
    if content.startswith(_OLE_MAGIC) or suffix == ".xls":
        raise _Rejected(Problem("file.xls", "error", value=name))
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode Text" export: UTF-16 with a byte-order mark, tab-separated.
        try:
            return _read_csv(content.decode("utf-16").encode("utf-8"), deadline)
        except UnicodeDecodeError as exc:
            raise _Rejected(Problem("file.unreadable", "error", value="UTF-16")) from exc
    if content.startswith(_BINARY_MAGICS) or b"\x00" in content[:4096]:
        raise _Rejected(Problem("file.type", "error", value=name))
    return _read_csv(content, deadline)


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in the ANSI code page; Indonesian text is almost all ASCII anyway.
        return content.decode("cp1252", errors="replace")


def _guess_delimiter(header_line: str) -> str:
    return max(_CSV_DELIMITERS, key=header_line.count)


def _read_csv(content: bytes, deadline: _Deadline) -> _RawTable:
    text = _decode(content)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_guess_delimiter(first_line))
    headers: list[object] | None = None
    header_row = 1
    rows: list[tuple[int, list[object]]] = []
    try:
        for cells in reader:
            deadline.tick()
            if not any(cell.strip() for cell in cells):
                continue
            if headers is None:
                headers, header_row = list(cells), reader.line_num
            else:
                rows.append((reader.line_num, list(cells)))
                _count_data_row(rows)
    except csv.Error as exc:
        raise _Rejected(Problem("file.unreadable", "error", row=reader.line_num, value=str(exc))) from exc
    if headers is None:
        raise _Rejected(Problem("file.empty", "error"))
    return _RawTable(headers, header_row, rows)


def _check_xlsx_container(name: str, content: bytes) -> None:
    """Refuse a zip that is not a workbook, or that would unpack to far more than any coverage workbook, before
    anything is decompressed."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:  # OSError: a truncated or lying central directory
        raise _Rejected(Problem("file.unreadable", "error", value=type(exc).__name__)) from exc
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names:
        raise _Rejected(Problem("file.type", "error", value=name))
    unpacked = sum(member.file_size for member in members)
    too_packed = any(member.file_size > MAX_XLSX_COMPRESSION_RATIO * max(member.compress_size, 1)
                     and member.file_size > 1024 * 1024 for member in members)
    if len(members) > MAX_XLSX_MEMBERS or unpacked > MAX_XLSX_UNPACKED_BYTES or too_packed:
        raise _Rejected(Problem("file.xlsx_bomb", "error", value=name,
                                params={"unpacked_mb": math.ceil(unpacked / 1024 / 1024)}))


def _read_xlsx(name: str, content: bytes, deadline: _Deadline) -> _RawTable:
    from openpyxl import load_workbook  # imported here: loading openpyxl costs time that CSV users never need

    _check_xlsx_container(name, content)
    # A damaged workbook can fail anywhere, in the zip layer, the XML parser or openpyxl itself, and in read-only
    # mode only while the rows are read; whatever fails, the user gets "cannot be read", never a traceback.
    # (openpyxl parses the XML through defusedxml, which is installed: entity-expansion bombs are refused there.)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            tables = [_sheet_table(sheet, deadline) for sheet in workbook.worksheets]
        finally:
            workbook.close()
    except _Rejected:
        raise
    except Exception as exc:
        raise _Rejected(Problem("file.unreadable", "error", value=type(exc).__name__)) from exc
    tables = [table for table in tables if table is not None]
    if not tables:
        raise _Rejected(Problem("file.empty", "error"))
    # The data sheet is the one whose header names most of our columns (the template has an instructions sheet).
    return max(tables, key=lambda table: sum(_header_key(h) in _HEADER_INDEX for h in table.headers))


def _sheet_table(sheet, deadline: _Deadline) -> _RawTable | None:
    # A sheet may claim any size (A1:XFD1048576); read-only openpyxl would pad every row to that width.
    sheet.reset_dimensions()
    table: _RawTable | None = None
    for cells in sheet.iter_rows():
        deadline.tick()
        values = [cell.value for cell in cells]
        if not any(v is not None and str(v).strip() for v in values):
            continue
        row_number = next(cell.row for cell in cells if hasattr(cell, "row"))
        if table is None:
            table = _RawTable(headers=values, header_row=row_number, rows=[])
            continue
        table.rows.append((row_number, values))
        _count_data_row(table.rows)
        for index, cell in enumerate(cells):
            if "%" in str(getattr(cell, "number_format", "") or ""):
                table.percent_cells.add((row_number, index))
    return table


# --- cell values ---------------------------------------------------------------------------------------------

_INTEGER = re.compile(r"^-?\d+$")
_DOT_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
_COMMA_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+$")
_DECIMAL = re.compile(r"^-?\d*[.,]\d+$")


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _shown(value: object) -> str:
    return "" if value is None else str(value).strip()[:60]


def parse_count(value: object) -> int:
    """A head count as typed: 1234, '1.234' (Indonesian), '1,234', '1 234' -> 1234; raises _BadValue."""
    if _is_blank(value):
        raise _BadValue("value.missing")
    if isinstance(value, bool):
        raise _BadValue("value.not_number")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise _BadValue("value.not_number")
        if value != int(value):
            raise _BadValue("value.not_integer")
        count = int(value)
    else:
        text = re.sub(r"[\s\u00a0']", "", str(value))
        if _INTEGER.match(text):
            count = int(text)
        elif _DOT_THOUSANDS.match(text):
            count = int(text.replace(".", ""))
        elif _COMMA_THOUSANDS.match(text):
            count = int(text.replace(",", ""))
        elif _DECIMAL.match(text):
            whole, _, fraction = text.replace(",", ".").partition(".")
            if fraction.strip("0"):
                raise _BadValue("value.not_integer")
            count = int(whole or "0")
        else:
            raise _BadValue("value.not_number")
    if count < 0:
        raise _BadValue("value.negative")
    if count > MAX_COUNT:
        raise _BadValue("value.too_large", limit=MAX_COUNT)
    return count


def parse_percent(value: object, shown_as_percent: bool = False) -> float:
    """A percentage as typed ('39', '39,5', '39%', or an Excel cell formatted as %) -> fraction 0.39."""
    if isinstance(value, bool):
        raise _BadValue("value.not_number")
    if isinstance(value, (int, float)):
        number = float(value) * (100 if shown_as_percent else 1)
    else:
        text = str(value).strip().replace("%", "").replace(" ", "")
        if "," in text and "." in text:  # the later separator is the decimal one
            decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
            thousands = "." if decimal_mark == "," else ","
            text = text.replace(thousands, "").replace(decimal_mark, ".")
        else:
            text = text.replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            raise _BadValue("value.not_number") from None
    if not math.isfinite(number) or not 0 <= number <= 100:
        raise _BadValue("target.out_of_range")
    return number / 100


# --- validation ----------------------------------------------------------------------------------------------


def _map_columns(headers: list[object], header_row: int) -> tuple[dict[str, int], dict[str, str], list[Problem]]:
    """(column key -> index, column key -> header as written, problems)."""
    positions: dict[str, int] = {}
    written: dict[str, str] = {}
    problems: list[Problem] = []
    unknown: dict[str, str] = {}
    for index, header in enumerate(headers):
        text = _shown(header)
        if not text:
            continue
        spec = _HEADER_INDEX.get(_header_key(header))
        if spec is None:
            unknown[_header_key(header)] = text
        elif spec.key in positions:
            problems.append(Problem("column.duplicate", "error", row=header_row, column=text, value=text,
                                    params={"first": written[spec.key]}))
        else:
            positions[spec.key] = index
            written[spec.key] = text
    for spec in COLUMNS:
        if spec.key in positions or not spec.required:
            continue
        close = difflib.get_close_matches(_header_key(spec.header), unknown, n=1, cutoff=0.6)
        if close:
            text = unknown.pop(close[0])
            problems.append(Problem("column.renamed", "error", row=header_row, column=text, value=text,
                                    params={"expected": spec.header}))
        else:
            problems.append(Problem("column.missing", "error", row=header_row, column=spec.header,
                                    params={"expected": spec.header}))
    problems.extend(Problem("column.unknown", "warning", row=header_row, column=text, value=text)
                    for text in unknown.values())
    return positions, written, problems


def _cell(cells: list[object], index: int | None) -> object:
    return cells[index] if index is not None and index < len(cells) else None


def _check_row(row_number: int, cells: list[object], table: _RawTable, positions: dict[str, int],
               written: dict[str, str], registry: Registry) -> tuple[dict[str, object], list[Problem]]:
    """One data row as a record (with what could be read) and the problems found in it."""
    record: dict[str, object] = {"row": row_number}
    problems: list[Problem] = []

    def report(key: str, code: str, raw: object, **params: object) -> None:
        problems.append(Problem(code, "error", row=row_number, column=written.get(key, key),
                                value=_shown(raw), params=params))

    raw_period = _cell(cells, positions["period"])
    record["period"] = None if _is_blank(raw_period) else periods.parse_period(raw_period)
    if record["period"] is None:
        report("period", "value.missing" if _is_blank(raw_period) else "period.invalid", raw_period)

    raw_region = record["raw_region"] = _cell(cells, positions["region"])
    if _is_blank(raw_region):
        report("region", "value.missing", raw_region)
    else:
        match = registry.match(raw_region)
        if match.code is None and match.suggestion is not None:
            report("region", "region.unknown_suggest", raw_region, suggestion=match.suggestion.display_name)
        elif match.code is None:
            report("region", "region.unknown", raw_region)
        record["region_code"] = match.code

    for key in ("potential_workers", *SEGMENTS):
        raw = _cell(cells, positions[key])
        try:
            record[key] = parse_count(raw)
        except _BadValue as bad:
            report(key, bad.code, raw, **bad.params)

    raw_target = _cell(cells, positions.get("target_rate"))
    record["target_rate"] = math.nan
    if not _is_blank(raw_target):
        shown_as_percent = (row_number, positions["target_rate"]) in table.percent_cells
        try:
            record["target_rate"] = parse_percent(raw_target, shown_as_percent)
        except _BadValue as bad:
            report("target_rate", bad.code, raw_target)
    raw_note = _cell(cells, positions.get("note"))
    record["note"] = "" if _is_blank(raw_note) else str(raw_note).strip()

    counts = [record.get(key) for key in ("potential_workers", *SEGMENTS)]
    if all(isinstance(c, int) for c in counts):
        potential, participants = counts[0], sum(counts[1:])
        if potential == 0:
            report("potential_workers", "value.zero_potential", potential)
        elif participants > potential:
            problems.append(Problem(
                "value.participants_exceed", "error", row=row_number,
                column=" + ".join(written[key] for key in SEGMENTS), value=str(participants),
                params={"participants": participants, "potential": potential,
                        "potential_column": written["potential_workers"]}))
    return record, problems


def _validate_rows(table: _RawTable, positions: dict[str, int], written: dict[str, str],
                   registry: Registry) -> tuple[list[dict[str, object]], list[Problem]]:
    records: list[dict[str, object]] = []
    problems: list[Problem] = []
    first_row_of: dict[tuple[str, str], int] = {}
    width = len(table.headers)
    for row_number, cells in table.rows:
        if len(cells) > width:
            # Even when the extra cell is empty, every cell after an unquoted "12,000" has moved one column right.
            extra = next((c for c in cells[width:] if not _is_blank(c)), cells[width])
            problems.append(Problem("row.too_many_cells", "error", row=row_number, value=_shown(extra),
                                    params={"found": len(cells), "expected": width}))
            continue
        record, row_problems = _check_row(row_number, cells, table, positions, written, registry)
        raw_region = record.pop("raw_region")
        if record.get("region_code") and record["period"]:
            key = (record["region_code"], record["period"])
            if key in first_row_of:
                row_problems.append(Problem(
                    "row.duplicate", "error", row=row_number, column=written["region"], value=_shown(raw_region),
                    params={"first_row": first_row_of[key], "period": record["period"]}))
            else:
                first_row_of[key] = row_number
        problems += row_problems
        if not row_problems:
            records.append(record)
    return records, problems


def _coverage_warnings(frame: pd.DataFrame, registry: Registry, written: dict[str, str]) -> list[Problem]:
    problems: list[Problem] = []
    for period, group in frame.groupby("period", sort=True):
        present = set(group["region_code"])
        missing = [code for code in registry.codes if code not in present]
        if missing:
            problems.append(Problem(
                "coverage.region_missing", "warning", column=written["region"], value=period,
                params={"period": period, "count": len(missing),
                        "regions": ", ".join(registry.display_name(code) for code in missing)}))
    # Each row against the same region's previous month, for all regions at once.
    ordered = (frame.assign(participants=frame[list(SEGMENTS)].sum(axis=1),
                            month=frame["period"].map(periods.month_index))
               .sort_values(["region_code", "month"], kind="stable"))
    previous = ordered.groupby("region_code", sort=False)[["month", "participants", "potential_workers"]].shift(1)
    consecutive = ordered["month"] - previous["month"] == 1
    for key, label in (("participants", "+".join(written[k] for k in SEGMENTS)),
                       ("potential_workers", written["potential_workers"])):
        change = (ordered[key] - previous[key]).abs()
        jumped = consecutive & (change >= JUMP_WARNING_MIN_PEOPLE) & (change > JUMP_WARNING_SHARE * previous[key])
        for index in ordered.index[jumped]:
            problems.append(Problem(
                "coverage.jump", "warning", row=int(ordered.at[index, "row"]), column=label,
                value=str(int(ordered.at[index, key])),
                params={"region": registry.display_name(ordered.at[index, "region_code"]),
                        "previous": int(previous.at[index, key]), "current": int(ordered.at[index, key]),
                        "period": ordered.at[index, "period"],
                        "share": round(100 * change[index] / max(previous.at[index, key], 1))}))
    return problems


def _sort_problems(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    return tuple(sorted(problems, key=lambda p: (p.severity != "error", p.row or 0)))


def load_dataset(name: str, content: bytes, registry: Registry | None = None, *, is_demo: bool = False,
                 timeout_s: float = PARSE_TIMEOUT_S) -> LoadResult:
    """Read and validate a CSV/XLSX file; ``data`` is set only when no error was found.

    The file's format is taken from its bytes, not its name; files over the size, row, unpacked-size or time
    limits above are refused with a problem that says which limit, and nothing else is read.
    """
    registry = registry or load_registry()
    try:
        table = _read_table(name, content, _Deadline(timeout_s))
    except _Rejected as rejected:
        return LoadResult(rejected.problems, None)
    positions, written, problems = _map_columns(table.headers, table.header_row)
    if any(p.severity == "error" for p in problems):
        return LoadResult(_sort_problems(problems), None)
    if not table.rows:
        return LoadResult((Problem("file.no_rows", "error"), *problems), None)
    records, row_problems = _validate_rows(table, positions, written, registry)
    problems += row_problems
    if any(p.severity == "error" for p in problems):
        return LoadResult(_sort_problems(problems), None)
    frame = pd.DataFrame.from_records(records)
    problems += _coverage_warnings(frame, registry, written)
    order = {code: position for position, code in enumerate(registry.codes)}
    frame = (
        frame.assign(region_order=frame["region_code"].map(order))
        .sort_values(["period", "region_order"])
        .reset_index(drop=True)[FRAME_COLUMNS]
    )
    frame[["potential_workers", *SEGMENTS]] = frame[["potential_workers", *SEGMENTS]].astype("int64")
    frame["target_rate"] = frame["target_rate"].astype("float64")
    ordered = _sort_problems(problems)
    data = CoverageData(frame, Path(name).name, hashlib.sha256(content).hexdigest(), is_demo,
                        tuple(p for p in ordered if p.severity == "warning"))
    return LoadResult(ordered, data)


def demo_path() -> Path:
    """The example dataset the app starts on: the file in $MONEV_DEMO_DATA, else the built-in Bengkulu demo."""
    configured = os.environ.get(DEMO_DATA_ENV, "").strip()
    return Path(configured).expanduser() if configured else DEMO_PATH


def load_demo() -> CoverageData:
    """The example dataset (see data/README.md for what is reported and what is *ilustrasi*)."""
    path = demo_path()
    result = load_dataset(path.name, path.read_bytes(), is_demo=True)
    if result.data is None:
        raise RuntimeError(f"the demo dataset does not validate: {[p.code for p in result.errors]}")
    return result.data


def to_file_rows(data: CoverageData, registry: Registry | None = None) -> pd.DataFrame:
    """The data in the file format (Indonesian headers, target in %), so a download can be edited and re-uploaded."""
    registry = registry or load_registry()
    frame = data.frame
    return pd.DataFrame({
        COLUMNS_BY_KEY["period"].header: frame["period"],
        COLUMNS_BY_KEY["region"].header: [registry.get(code).official_name for code in frame["region_code"]],
        **{COLUMNS_BY_KEY[key].header: frame[key] for key in ("potential_workers", *SEGMENTS)},
        COLUMNS_BY_KEY["target_rate"].header: (frame["target_rate"] * 100).round(2),
        COLUMNS_BY_KEY["note"].header: frame["note"],
    })


def problems_table(problems: Iterable[Problem], lang: str = i18n.DEFAULT_LANGUAGE) -> pd.DataFrame:
    """The validation report as a table for people: one line per problem, in their language."""
    rows = [
        {
            "severity": i18n.t(f"severity.{p.severity}", lang),
            "row": p.row,
            "column": p.column or "",
            "value": p.value or "",
            "code": p.code,
            "message": p.message(lang),
            "fix": p.fix(lang),
        }
        for p in problems
    ]
    columns = ["severity", "row", "column", "value", "code", "message", "fix"]
    table = pd.DataFrame(rows, columns=columns)
    table["row"] = table["row"].astype("Int64")
    return table


def iter_problem_dicts(problems: Iterable[Problem], lang: str) -> Iterator[dict[str, object]]:
    """Problems as plain dicts (for JSON output)."""
    for p in problems:
        yield {**dataclasses.asdict(p), "message": p.message(lang), "fix": p.fix(lang)}
