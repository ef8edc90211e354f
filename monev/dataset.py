"""The coverage data model: the columns of a file as officials fill them in, and validating every row.

A file holds one row per region per month. Validation reports *every* problem at once, each with the row
number as the user sees it in the file, the column header as written there, the offending value and a code;
``monev.i18n`` turns the code into a sentence. Errors block loading, warnings do not. Getting the cells out of
the file's bytes (CSV or XLSX, and refusing hostile files) is ``monev.spreadsheet``'s job.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import itertools
import json
import math
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

import pandas as pd

from monev import fmt, i18n, period_text, periods
from monev.column_mapping import IGNORE, ColumnMapping, header_key, header_shape
from monev.regions import Registry, load_registry
from monev.sheet_layout import (
    ColumnUse,
    FileLayout,
    PeriodSource,
    SheetLayout,
    SkippedSheet,
    is_total_label,
    month_of_sheet,
    row_text,
)
from monev.spreadsheet import PARSE_TIMEOUT_S, Deadline, RawSheet, RawTable, Rejected, read_sheets

# Errors block loading; warnings are doubts worth a look; infos say how the file was read and never block.
Severity = Literal["error", "warning", "info"]
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
    ColumnSpec(
        "period", "Periode", "period", True,
        ("bulan", "bulan tahun", "month", "tanggal", "posisi", "per tanggal", "posisi bulan", "keadaan"),
    ),
    ColumnSpec(
        "region",
        "Wilayah",
        "region",
        True,
        ("kode wilayah", "nama wilayah", "kabupaten kota", "kab kota", "kabupaten", "kode", "region", "daerah",
         "nama kabupaten kota", "nama daerah", "wilayah kabupaten kota"),
    ),
    ColumnSpec(
        "potential_workers",
        "Pekerja Potensial",
        "count",
        True,
        ("potensi pekerja", "jumlah pekerja potensial", "tenaga kerja potensial", "potential workers", "potensi tk",
         "potensi tenaga kerja", "tk potensial", "jumlah potensi tk", "jumlah tenaga kerja potensial"),
    ),
    # Each row gives the total of active participants, the four segments, or both (then they must agree).
    ColumnSpec(
        "participants",
        "Jumlah Peserta",
        "count",
        False,
        ("peserta aktif", "total peserta aktif", "jumlah peserta aktif", "total peserta", "participants"),
    ),
    ColumnSpec("pu", "Peserta PU", "count", False, ("pu", "peserta aktif pu", "penerima upah", "participants pu")),
    ColumnSpec(
        "bpu", "Peserta BPU", "count", False, ("bpu", "peserta aktif bpu", "bukan penerima upah", "participants bpu")
    ),
    ColumnSpec(
        "jakon", "Peserta Jakon", "count", False,
        ("jakon", "peserta aktif jakon", "jasa konstruksi", "participants jakon"),
    ),
    ColumnSpec(
        "pmi", "Peserta PMI", "count", False, ("pmi", "peserta aktif pmi", "pekerja migran", "participants pmi")
    ),
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
# "participants" is always known (the given total, else the segments' sum); a segment is NaN where a row gave only
# the total, so the segment columns are float64 (NaN) and "participants" int64.
FRAME_COLUMNS = ["period", "region_code", "potential_workers", "participants", *SEGMENTS, "target_rate", "note"]


_HEADER_INDEX = {header_key(spelling): spec for spec in COLUMNS for spelling in spec.spellings()}
# Columns that are understood but not loaded: the row number, and rates worked out from the counts (cross-checked).
_READ_ONLY_HEADERS = {
    **{header_key(spelling): "row_number" for spelling in ("no", "nomor", "no urut", "nomor urut")},
    **{header_key(spelling): "rate" for spelling in (
        "capaian", "capaian cakupan", "persentase", "persentase cakupan", "persen", "cakupan", "cakupan kepesertaan",
        "realisasi", "coverage", "rate")},
}
# The fields that make a row the header of the coverage table: the period may come from elsewhere.
_TABLE_FIELDS = frozenset({"region", "potential_workers"})
# The header is looked for in this many rows from the top of a sheet; title rows are a handful.
_HEADER_SEARCH_ROWS = 30
# A rate may differ from participants / potential workers by this many percentage points (rounding).
RATE_TOLERANCE_POINTS = 0.1


def _known_header_count(headers: list[object]) -> int:
    """How many of a row's cells name one of our columns: when no sheet holds a table, the row naming the most is
    taken as the header row to lay out (see ``_no_table``)."""
    return sum(header_key(header) in _HEADER_INDEX for header in headers)


# Row numbers are written as the spreadsheet shows them (1234), counts with thousands separators (1.234).
_ROW_PARAMS = frozenset({"first_row"})
# The problems whose message counts things: their "count" is worded with its noun ("1 region", "2 regions").
_COUNTED_NOUNS = {"coverage.region_missing": "report.count_region", "period.read_day_first": "report.count_date",
                  "period.read_month_first": "report.count_date"}


@dataclass(frozen=True)
class Problem:
    """One fault or doubt found in a file. ``row`` is the file's own row number (header = its first row)."""

    code: str
    severity: Severity
    row: int | None = None
    column: str | None = None
    value: str | None = None
    params: dict[str, object] = field(default_factory=dict)
    sheet: str | None = None  # the sheet, in a workbook with several sheets of data

    def message(self, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
        return i18n.t(f"problem.{self.code}", lang, **self._text_params(lang))

    def fix(self, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
        return i18n.t(f"fix.{self.code}", lang, **self._text_params(lang))

    def _text_params(self, lang: str) -> dict[str, object]:
        shown = {key: fmt.number(value, lang) if isinstance(value, int) and key not in _ROW_PARAMS else value
                 for key, value in self.params.items()}
        if self.code in _COUNTED_NOUNS:
            shown["counted"] = fmt.counted(_COUNTED_NOUNS[self.code], int(str(self.params["count"])), lang)
        return {"row": self.row, "column": self.column, "value": self.value, **shown}


@dataclass(frozen=True)
class CoverageData:
    """A validated coverage table: one row per region and month, counts as integers, target as a fraction.

    The segment columns are floats, NaN where the row gave only its total (see ``FRAME_COLUMNS``)."""

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
class LoadOptions:
    """What a load needed besides the file's bytes: the month given for sheets that name none, the editors' column
    mappings applied (by header shape). A version is read back with them."""

    period: str | None = None
    mappings: dict[str, dict[str, str]] = field(default_factory=dict)

    def digest_suffix(self) -> bytes:
        """Bytes that make a checksum tell the same file read with other options apart (none for no options)."""
        if self.period is None and not self.mappings:
            return b""
        return b"\0" + json.dumps({"period": self.period, "mappings": self.mappings}, sort_keys=True).encode()

    def to_json(self) -> dict[str, object]:
        """Plain JSON, as the store keeps it."""
        return {"period": self.period, "mappings": self.mappings}

    @classmethod
    def from_json(cls, stored: object) -> LoadOptions:
        """Back from the store (anything malformed counts as no option)."""
        values = stored if isinstance(stored, dict) else {}
        period = values.get("period")
        mappings = values.get("mappings")
        return cls(period if isinstance(period, str) else None,
                   {str(shape): {str(k): str(v) for k, v in mapping.items()}
                    for shape, mapping in (mappings.items() if isinstance(mappings, dict) else ())
                    if isinstance(mapping, dict)})


@dataclass(frozen=True)
class LoadResult:
    problems: tuple[Problem, ...]
    data: CoverageData | None
    layout: FileLayout | None = None  # how the file was read, to show before saving (None: it could not be read)
    options: LoadOptions = LoadOptions()

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def infos(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "info"]

    @property
    def period_needed(self) -> bool:
        """Nothing in the file names its month: load again with a ``period``."""
        return any(p.code == "period.needed" for p in self.problems)

    @property
    def ok(self) -> bool:
        return self.data is not None


class BadValue(Exception):
    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


# --- cell values ---------------------------------------------------------------------------------------------

_INTEGER = re.compile(r"^-?\d+$")
_DOT_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
_COMMA_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+$")
_DECIMAL = re.compile(r"^-?\d*[.,]\d+$")


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_in_file(value: object) -> str:
    """A cell as the file had it, for a problem to quote: its text, a workbook's number as written (5000, not
    5000.0), nothing for an empty cell."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()[:60]


def parse_count(value: object) -> int:
    """A head count as typed: 1234, '1.234' (Indonesian), '1,234', '1 234' -> 1234; raises BadValue."""
    if is_blank(value):
        raise BadValue("value.missing")
    if isinstance(value, bool):
        raise BadValue("value.not_number")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise BadValue("value.not_number")
        if value != int(value):
            raise BadValue("value.not_integer")
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
                raise BadValue("value.not_integer")
            count = int(whole or "0")
        else:
            raise BadValue("value.not_number")
    if count < 0:
        raise BadValue("value.negative")
    if count > MAX_COUNT:
        raise BadValue("value.too_large", limit=MAX_COUNT)
    return count


def parse_percent(value: object, shown_as_percent: bool = False) -> float:
    """A percentage as typed ('39', '39,5', '39%', or an Excel cell formatted as %) -> fraction 0.39."""
    if isinstance(value, bool):
        raise BadValue("value.not_number")
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
            raise BadValue("value.not_number") from None
    if not math.isfinite(number) or not 0 <= number <= 100:
        raise BadValue("target.out_of_range")
    return number / 100


# --- validation ----------------------------------------------------------------------------------------------


def _mapped_spec(header: object, mapping: ColumnMapping) -> ColumnSpec | None:
    """The field a header names: as the editor mapped it for files of this shape, else by the built-in words."""
    key = header_key(header)
    field = mapping.get(key)
    if field is not None:
        return COLUMNS_BY_KEY.get(field)
    return _HEADER_INDEX.get(key)


def _map_columns(headers: list[object], header_row: int, mapping: ColumnMapping
                 ) -> tuple[dict[str, int], dict[str, str], dict[int, str], dict[str, str], list[Problem]]:
    """(column key -> index, column key -> header as written, index -> "row_number"/"rate", header key -> header
    as written of the columns not understood, problems). The editor's ``mapping`` wins over the built-in words;
    a header it maps to ``IGNORE`` is passed over without a word.

    The period column is not required: a sheet's month may be written in its title, its name or the file name.
    """
    positions: dict[str, int] = {}
    written: dict[str, str] = {}
    read_only: dict[int, str] = {}
    problems: list[Problem] = []
    unknown: dict[str, str] = {}
    for index, header in enumerate(headers):
        text = as_in_file(header)
        if not text or mapping.get(header_key(header)) == IGNORE:
            continue
        spec = _mapped_spec(header, mapping)
        if spec is None and header_key(header) in _READ_ONLY_HEADERS:
            read_only[index] = _READ_ONLY_HEADERS[header_key(header)]
        elif spec is None:
            unknown[header_key(header)] = text
        elif spec.key in positions:
            problems.append(Problem("column.duplicate", "error", row=header_row, column=text, value=text,
                                    params={"first": written[spec.key]}))
        else:
            positions[spec.key] = index
            written[spec.key] = text
    not_understood = dict(unknown)  # what the editor may map: a "renamed" column too
    for spec in COLUMNS:
        if spec.key in positions or not spec.required:
            continue
        close = difflib.get_close_matches(header_key(spec.header), unknown, n=1, cutoff=0.6)
        if close:
            text = unknown.pop(close[0])
            problems.append(Problem("column.renamed", "error", row=header_row, column=text, value=text,
                                    params={"expected": spec.header}))
        elif spec.key != "period":
            problems.append(Problem("column.missing", "error", row=header_row, column=spec.header,
                                    params={"expected": spec.header}))
    problems.extend(Problem("column.unknown", "warning", row=header_row, column=text, value=text)
                    for text in unknown.values())
    return positions, written, read_only, not_understood, problems


def cell_at(cells: list[object], index: int | None) -> object:
    return cells[index] if index is not None and index < len(cells) else None


def _check_row(row_number: int, cells: list[object], table: RawTable, positions: dict[str, int],
               written: dict[str, str], registry: Registry) -> tuple[dict[str, object], list[Problem]]:
    """One data row as a record (with what could be read) and the problems found in it."""
    record: dict[str, object] = {"row": row_number}
    problems: list[Problem] = []

    def report(key: str, code: str, raw: object, **params: object) -> None:
        problems.append(Problem(code, "error", row=row_number, column=written.get(key, key),
                                value=as_in_file(raw), params=params))

    raw_period = cell_at(cells, positions["period"])
    record["period"] = None if is_blank(raw_period) else period_text.parse_period_cell(raw_period)
    if record["period"] is None:
        report("period", "value.missing" if is_blank(raw_period) else "period.invalid", raw_period)

    raw_region = record["raw_region"] = cell_at(cells, positions["region"])
    if is_blank(raw_region):
        report("region", "value.missing", raw_region)
    else:
        match = registry.match(raw_region)
        if match.code is None and match.suggestion is not None:
            report("region", "region.unknown_suggest", raw_region, suggestion=match.suggestion.display_name)
        elif match.code is None:
            report("region", "region.unknown", raw_region)
        record["region_code"] = match.code

    raw_potential = cell_at(cells, positions["potential_workers"])
    try:
        record["potential_workers"] = parse_count(raw_potential)
    except BadValue as bad:
        report("potential_workers", bad.code, raw_potential, **bad.params)
    counts, participants_column, count_problems = _participant_counts(row_number, cells, positions, written)
    record.update(counts)
    problems += count_problems

    raw_target = cell_at(cells, positions.get("target_rate"))
    record["target_rate"] = math.nan
    if not is_blank(raw_target):
        shown_as_percent = (row_number, positions["target_rate"]) in table.percent_cells
        try:
            record["target_rate"] = parse_percent(raw_target, shown_as_percent)
        except BadValue as bad:
            report("target_rate", bad.code, raw_target)
    raw_note = cell_at(cells, positions.get("note"))
    record["note"] = "" if is_blank(raw_note) else str(raw_note).strip()
    # The cells as written, for the problems found later across rows (a jump, a duplicate in another sheet).
    record |= {"region_as_written": as_in_file(raw_region), "potential_workers_as_written": as_in_file(raw_potential),
               "participants_as_written": _participants_as_written(cells, positions)}

    potential, participants = record.get("potential_workers"), record.get("participants")
    if isinstance(potential, int) and isinstance(participants, int):
        if potential == 0:
            report("potential_workers", "value.zero_potential", raw_potential)
        elif participants > potential:
            problems.append(Problem(
                "value.participants_exceed", "error", row=row_number, column=participants_column,
                value=_participants_as_written(cells, positions),
                params={"participants": participants, "potential": potential,
                        "potential_column": written["potential_workers"]}))
    return record, problems


def _participants_as_written(cells: list[object], positions: dict[str, int]) -> str:
    """A row's active participants as the file wrote them: its total cell, else its segment cells ("10 + 5 + 0 + 0")."""
    if not is_blank(total := cell_at(cells, positions.get("participants"))):
        return as_in_file(total)
    return " + ".join(as_in_file(cell_at(cells, positions.get(key))) for key in SEGMENTS if key in positions)


def _header_of(key: str, written: dict[str, str]) -> str:
    """A column's header as the file writes it, or as the template does when the file has no such column."""
    return written.get(key, COLUMNS_BY_KEY[key].header)


def _segments_label(written: dict[str, str]) -> str:
    return " + ".join(_header_of(key, written) for key in SEGMENTS)


def _participant_counts(row_number: int, cells: list[object], positions: dict[str, int],
                        written: dict[str, str]) -> tuple[dict[str, object], str, list[Problem]]:
    """A row's active participants: (its record fields, the column(s) they come from, problems).

    The total is the "participants" cell if given, else the sum of the four segments; each segment is NaN when the
    row gives only the total. Only some segments (a partial split), neither, or a total that differs from the
    segments' sum is an error; in a file with the four segment columns and no total column, a partial split is
    the empty cells.
    """
    problems: list[Problem] = []
    filled: list[str] = []
    counts: dict[str, int] = {}
    for key in ("participants", *SEGMENTS):
        raw = cell_at(cells, positions.get(key))
        if is_blank(raw):
            continue
        filled.append(key)
        try:
            counts[key] = parse_count(raw)
        except BadValue as bad:
            problems.append(Problem(bad.code, "error", row=row_number, column=written[key], value=as_in_file(raw),
                                    params=bad.params))
    total_header, segments_label = _header_of("participants", written), _segments_label(written)
    given_segments = [key for key in SEGMENTS if key in filled]
    if not filled:
        named = written.get("participants") or (segments_label if set(SEGMENTS) & set(written) else total_header)
        problems.append(Problem("value.participants_missing", "error", row=row_number, column=named, value="",
                                params={"total_column": total_header, "segments": segments_label}))
    elif given_segments and len(given_segments) < len(SEGMENTS):
        empty = [key for key in SEGMENTS if key not in filled]
        if "participants" not in written and all(key in written for key in empty):
            # The template's own shape, four segments and no total: the fix is to fill in the empty cells.
            problems.extend(Problem("value.missing", "error", row=row_number, column=written[key], value="")
                            for key in empty)
        else:
            missing = ", ".join(_header_of(key, written) for key in empty)
            problems.append(Problem("value.segments_partial", "error", row=row_number, column=missing, value="",
                                    params={"missing": missing, "total_column": total_header}))
    if problems:
        return {}, segments_label, problems
    segments = {key: counts[key] for key in SEGMENTS if key in counts}
    split_sum = sum(segments.values())
    if "participants" in counts and segments and counts["participants"] != split_sum:
        problems.append(Problem("value.participants_mismatch", "error", row=row_number, column=total_header,
                                value=as_in_file(cell_at(cells, positions["participants"])),
                                params={"total": counts["participants"], "segment_sum": split_sum,
                                        "segments": segments_label, "total_column": total_header}))
    fields: dict[str, object] = {"participants": counts.get("participants", split_sum),
                                 **{key: float(segments[key]) if segments else math.nan for key in SEGMENTS}}
    return fields, total_header if "participants" in counts else segments_label, problems


def _validate_rows(table: RawTable, positions: dict[str, int], written: dict[str, str], registry: Registry,
                   added_cells: int = 0) -> tuple[list[dict[str, object]], list[Problem]]:
    """Every data row checked; the last ``added_cells`` of each row and header were added by the loader (a month
    from the title), not written in the file."""
    records: list[dict[str, object]] = []
    problems: list[Problem] = []
    first_row_of: dict[tuple[str, str], int] = {}
    width = len(table.headers) - added_cells
    for row_number, cells in table.rows:
        if len(cells) - added_cells > width:
            # Even when the extra cell is empty, every cell after an unquoted "12,000" has moved one column right.
            extra_cells = cells[width:len(cells) - added_cells]
            extra = next((c for c in extra_cells if not is_blank(c)), extra_cells[0])
            problems.append(Problem("row.too_many_cells", "error", row=row_number, value=as_in_file(extra),
                                    params={"found": len(cells) - added_cells, "expected": width}))
            continue
        record, row_problems = _check_row(row_number, cells, table, positions, written, registry)
        raw_region = record.pop("raw_region")
        region_code, period = record.get("region_code"), record["period"]
        if isinstance(region_code, str) and region_code and isinstance(period, str) and period:
            key = (region_code, period)
            if key in first_row_of:
                row_problems.append(Problem(
                    "row.duplicate", "error", row=row_number, column=written["region"], value=as_in_file(raw_region),
                    params={"first_row": first_row_of[key], "period": period}))
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
    ordered = (frame.assign(month=frame["period"].map(periods.month_index))
               .sort_values(["region_code", "month"], kind="stable"))
    previous = ordered.groupby("region_code", sort=False)[["month", "participants", "potential_workers"]].shift(1)
    consecutive = ordered["month"] - previous["month"] == 1
    participants_label = written.get("participants") or "+".join(written[k] for k in SEGMENTS)
    for key, label in (("participants", participants_label),
                       ("potential_workers", written["potential_workers"])):
        change = (ordered[key] - previous[key]).abs()
        jumped = consecutive & (change >= JUMP_WARNING_MIN_PEOPLE) & (change > JUMP_WARNING_SHARE * previous[key])
        for index in ordered.index[jumped]:
            problems.append(Problem(
                "coverage.jump", "warning", row=int(ordered.at[index, "row"]), column=label,
                value=str(ordered.at[index, f"{key}_as_written"]),
                params={"region": registry.display_name(ordered.at[index, "region_code"]),
                        "previous": int(previous.at[index, key]), "current": int(ordered.at[index, key]),
                        "period": ordered.at[index, "period"],
                        "share": round(100 * change[index] / max(previous.at[index, key], 1))}))
    return problems


_SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


def sorted_problems(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    """Errors, then warnings, then infos; sheet by sheet in the workbook's order, then by row."""
    listed = list(problems)
    sheet_order = {sheet: position for position, sheet in enumerate(dict.fromkeys(p.sheet for p in listed))}
    return tuple(sorted(listed, key=lambda p: (_SEVERITY_RANK[p.severity], sheet_order[p.sheet], p.row or 0)))


# --- finding the table inside a sheet ------------------------------------------------------------------------

# The info that says where a sheet's month came from, when it has no period column.
_PERIOD_SOURCE_CODES: dict[PeriodSource, str] = {
    "title": "period.from_title", "sheet": "period.from_sheet", "file": "period.from_file",
    "given": "period.from_given",
}


@dataclass
class _Located:
    """A sheet holding the coverage table: its header, the rows above it and the rows below it sorted out."""

    sheet: RawSheet
    header_row: int
    headers: list[object]
    shape: str  # ``header_shape`` of the header row: what an editor's column mapping is remembered by
    mapping: ColumnMapping  # the editor's mapping applied ({} when none)
    title_rows: list[tuple[int, str]]  # (row, text)
    positions: dict[str, int]
    written: dict[str, str]
    read_only: dict[int, str]  # column index -> "row_number" / "rate"
    not_understood: dict[str, str]  # header key -> header as written, of the columns no field was found for
    column_problems: list[Problem]
    data_rows: list[tuple[int, list[object]]]
    total_rows: list[tuple[int, list[object]]]
    ignored_rows: list[tuple[int, list[object]]]  # notes and signatures after the data


@dataclass
class _SheetRead:
    layout: SheetLayout
    problems: list[Problem]
    records: list[dict[str, object]]


def _header_index(sheet: RawSheet, mappings: Mapping[str, ColumnMapping]) -> int | None:
    """The first row naming the region and potential-worker columns (title rows come before it), by the built-in
    header words or the editor's mapping for a row of that shape."""
    for index, (_, cells) in enumerate(sheet.rows[:_HEADER_SEARCH_ROWS]):
        mapping = mappings.get(header_shape(cells), {}) if mappings else {}
        if _TABLE_FIELDS <= _named_fields(cells, mapping):
            return index
    return None


def _named_fields(cells: list[object], mapping: ColumnMapping) -> set[str]:
    """The fields a row of headers names."""
    return {spec.key for cell in cells if (spec := _mapped_spec(cell, mapping)) is not None}


def _count_keys(positions: dict[str, int]) -> list[str]:
    return [spec.key for spec in COLUMNS if spec.kind == "count" and spec.key in positions]


def is_count(value: object) -> bool:
    try:
        parse_count(value)
    except BadValue:
        return False
    return True


def _two_row_header(headers: list[object], below: list[object]) -> list[object] | None:
    """A header over two rows ("Peserta" merged above "PU", "BPU", ...) as one; None when ``below`` is data."""
    if any(is_count(cell) for cell in below) or not any(header_key(cell) in _HEADER_INDEX for cell in below):
        return None
    return [top if is_blank(sub) else sub for top, sub in itertools.zip_longest(headers, below)]


def _locate(sheet: RawSheet, header_index: int, registry: Registry, mappings: Mapping[str, ColumnMapping]
            ) -> _Located:
    header_row, headers = sheet.rows[header_index]
    shape = header_shape(headers)
    mapping = mappings.get(shape, {}) if mappings else {}
    body = sheet.rows[header_index + 1:]
    joined = _two_row_header(headers, body[0][1]) if body else None
    # The row below completes the header only where it leaves the header naming the table (a row of headers that
    # overwrite the region or potential-worker header is not a sub-header).
    if joined is not None and _TABLE_FIELDS <= _named_fields(joined, mapping):
        headers, body = joined, body[1:]
    positions, written, read_only, not_understood, column_problems = _map_columns(headers, header_row, mapping)
    located = _Located(sheet, header_row, headers, shape, mapping,
                       [(row, row_text(cells)) for row, cells in sheet.rows[:header_index]],
                       positions, written, read_only, not_understood, column_problems, [], [], [])
    label_end = positions["region"] + 1
    count_indices = [positions[key] for key in _count_keys(positions)]
    kinds: list[str] = []
    is_region: dict[object, bool] = {}  # a table names the same few regions on every row
    for _, cells in body:
        labels = [text for text in cells[:label_end] if isinstance(text, str)]
        raw_region = cell_at(cells, positions["region"])
        if not is_blank(raw_region) and raw_region not in is_region:
            is_region[raw_region] = registry.match(raw_region).code is not None
        if any(is_total_label(text, registry.province_name) for text in labels):
            kinds.append("total")
        elif is_region.get(raw_region, False) or any(is_count(cell_at(cells, index)) for index in count_indices):
            kinds.append("data")
        else:
            kinds.append("other")
    # Rows after the last region or total row are notes, sources and signatures; rows between are data rows
    # however badly filled in, so that the validator reports them.
    end = max((index + 1 for index, kind in enumerate(kinds) if kind != "other"), default=0)
    for (row, cells), kind, index in zip(body, kinds, range(len(body)), strict=True):
        if index >= end:
            located.ignored_rows.append((row, cells))
        elif kind == "total":
            located.total_rows.append((row, cells))
        else:
            located.data_rows.append((row, cells))
    return located


def _with_period(cells: list[object], index: int, day_first: bool) -> list[object]:
    """The row with its period cell read as 'YYYY-MM' (left as written when it is not a month)."""
    raw = cell_at(cells, index)
    period = None if is_blank(raw) else period_text.parse_period_cell(raw, day_first=day_first)
    if period is None:
        return cells
    return [period if position == index else cell for position, cell in enumerate(cells)]


def _period_values(located: list[_Located]) -> list[object]:
    return [cells[sheet.positions["period"]] for sheet in located if "period" in sheet.positions
            for _, cells in (*sheet.data_rows, *sheet.total_rows)
            if sheet.positions["period"] < len(cells) and not is_blank(cells[sheet.positions["period"]])]


def _check_totals(located: _Located, total_rows: list[tuple[int, list[object]]], positions: dict[str, int],
                  records: list[dict[str, object]]) -> list[Problem]:
    """A total row against the sum of the region rows it totals: a warning per column that differs.

    A total row with its own period totals that period's region rows; without one, the region rows since the
    previous total row (a month's block, or the whole table for a grand total at the end).
    """
    problems: list[Problem] = []
    previous_total = 0
    for row, cells in total_rows:
        own_period = periods.parse_period(cell_at(cells, positions["period"]))
        if own_period is not None:
            totalled = [record for record in records if record["period"] == own_period]
        else:
            totalled = [record for record in records if previous_total < int(str(record["row"])) < row] or records
        previous_total = row
        months = sorted({str(record["period"]) for record in totalled})
        months_shown = f"{months[0]} – {months[-1]}" if len(months) > 1 else "".join(months)
        for key in _count_keys(positions):
            try:
                total = parse_count(cell_at(cells, positions[key]))
            except BadValue:
                continue  # an empty or text cell in a total row totals nothing
            # Segments are floats (NaN where a row gave only the total), participants and potential workers ints.
            summed = sum(int(value) for record in totalled
                         if isinstance(value := record.get(key), int | float) and not math.isnan(value))
            if total != summed:
                problems.append(Problem("total.mismatch", "warning", row=row, column=located.written[key],
                                        value=as_in_file(cell_at(cells, positions[key])),
                                        params={"total": total, "sum": summed, "period": months_shown}))
    return problems


def _rate_precision(raw: object) -> float:
    """Half a unit of the last digit written ('37' -> 0.5, '36,98' -> 0.005), in percentage points."""
    text = str(raw).strip().replace("%", "")
    decimals = len(re.split(r"[.,]", text)[-1]) if re.search(r"[.,]\d+$", text) else 0
    return 0.5 * 10 ** -decimals


def _check_rates(located: _Located, rows: list[tuple[int, list[object]]],
                 records: list[dict[str, object]]) -> list[Problem]:
    """A rate column against participants / potential workers of its row (beyond rounding: a warning)."""
    problems: list[Problem] = []
    by_row = {record["row"]: record for record in records}
    rate_columns = [index for index, use in located.read_only.items() if use == "rate"]
    for row, cells in rows:
        record = by_row.get(row)
        if record is None:
            continue
        participants, potential = record.get("participants"), record.get("potential_workers")
        if not isinstance(participants, int) or not isinstance(potential, int) or potential == 0:
            continue
        computed = 100 * participants / potential
        for index in rate_columns:
            raw = cell_at(cells, index)
            if is_blank(raw):
                continue
            try:
                shown = 100 * parse_percent(raw, (row, index) in located.sheet.percent_cells)
            except BadValue:
                continue  # a rate is not loaded: an unreadable one is only not checked
            # A fraction in a cell not formatted as % (0.37) means 37 %.
            readings = (shown, shown * 100) if isinstance(raw, (int, float)) and shown <= 1 else (shown,)
            tolerance = max(RATE_TOLERANCE_POINTS, _rate_precision(raw))
            if all(abs(reading - computed) > tolerance for reading in readings):
                problems.append(Problem("rate.mismatch", "warning", row=row, column=as_in_file(located.headers[index]),
                                        value=as_in_file(raw), params={"computed": f"{computed:.2f}"}))
    return problems


def _read_located(located: _Located, file_name: str, given: str | None, day_first: bool,
                  registry: Registry) -> _SheetRead:
    """One sheet's table validated, its totals and rates checked, and its layout."""
    problems = list(located.column_problems)
    positions, written, headers = dict(located.positions), dict(located.written), list(located.headers)
    if "period" in positions:
        source: PeriodSource | None = "column"
        rows = [(row, _with_period(cells, positions["period"], day_first)) for row, cells in located.data_rows]
        totals = [(row, _with_period(cells, positions["period"], day_first)) for row, cells in located.total_rows]
    else:
        found = month_of_sheet(tuple(text for _, text in located.title_rows), located.sheet.name, file_name, given)
        source = found.source if found else None
        # The sheet's month becomes a column of its own after the file's columns, so every row is read the same way.
        width = len(headers)
        positions["period"], written["period"] = width, COLUMNS_BY_KEY["period"].header
        headers.append(written["period"])
        month = found.period if found else None
        rows = [(row, [*cells, *[None] * (width - len(cells)), month]) for row, cells in located.data_rows]
        totals = [(row, [*cells, *[None] * (width - len(cells)), month]) for row, cells in located.total_rows]
        if found is None:
            problems.append(Problem("period.needed", "error", value=located.sheet.name or file_name))
        else:
            title_row = next((row for row, text in located.title_rows if text == found.text), None)
            problems.append(Problem(_PERIOD_SOURCE_CODES[found.source], "info", row=title_row,
                                    value=as_in_file(found.text), params={"period": found.period}))
    # One info per row: the report lists them as one line with the rows ranged.
    problems += [Problem("row.ignored", "info", row=row, value=as_in_file(row_text(cells)))
                 for row, cells in located.ignored_rows]
    records: list[dict[str, object]] = []
    if not rows:
        problems.append(Problem("file.no_rows", "error", value=located.sheet.name))
    if not any(p.severity == "error" for p in problems):
        table = RawTable(headers, located.header_row, rows, located.sheet.percent_cells)
        records, row_problems = _validate_rows(table, positions, written, registry,
                                               added_cells=len(headers) - len(located.headers))
        problems += row_problems
        if not row_problems:
            problems += _check_totals(located, totals, positions, records)
            problems += _check_rates(located, rows, records)
    return _SheetRead(_layout(located, source, rows, positions), problems, records)


def _layout(located: _Located, source: PeriodSource | None, rows: list[tuple[int, list[object]]],
            positions: dict[str, int]) -> SheetLayout:
    understood = {index: key for key, index in located.positions.items()} | located.read_only
    headers = located.headers
    return SheetLayout(
        sheet=located.sheet.name,
        header_row=located.header_row,
        title_rows=tuple(text for _, text in located.title_rows),
        columns=tuple(ColumnUse(as_in_file(headers[index]), understood[index]) for index in sorted(understood)),
        ignored_columns=tuple(as_in_file(header) for index, header in enumerate(headers)
                              if index not in understood and not is_blank(header)),
        shape=located.shape,
        unmapped_columns=tuple(located.not_understood.values()),
        mapped=bool(located.mapping),
        total_rows=tuple(row for row, _ in located.total_rows),
        ignored_rows=tuple(row for row, _ in located.ignored_rows),
        period_source=source,
        periods=tuple(sorted({period for _, cells in rows
                              if (period := periods.parse_period(cell_at(cells, positions["period"]))) is not None})),
    )


def _options_used(period: str | None, read: list[_SheetRead], located: list[_Located]) -> LoadOptions:
    given_used = any(sheet.layout.period_source == "given" for sheet in read)
    return LoadOptions(period if given_used else None,
                       {sheet.shape: dict(sheet.mapping) for sheet in located if sheet.mapping})


def _duplicates_across_sheets(sheets: list[_SheetRead], written: dict[str, str]) -> list[Problem]:
    """The same region and month in two sheets (within one sheet the row check finds it)."""
    problems: list[Problem] = []
    first: dict[tuple[object, object], tuple[str | None, int]] = {}
    for sheet in sheets:
        name = sheet.layout.sheet
        for record in sheet.records:
            key = (record["region_code"], record["period"])
            row = int(str(record["row"]))
            if key in first and first[key][0] != name:
                problems.append(Problem("row.duplicate", "error", row=row, column=written["region"],
                                        value=str(record["region_as_written"]), sheet=name,
                                        params={"first_row": first[key][1], "period": record["period"],
                                                "first_sheet": first[key][0] or ""}))
            first.setdefault(key, (name, row))
    return problems


def _no_table(sheets: list[RawSheet], skipped: tuple[SkippedSheet, ...],
              mappings: Mapping[str, ColumnMapping]) -> LoadResult:
    """No sheet names the required columns in one row: the row naming most of our columns (the first such row of
    the first such sheet) tells which are missing, and is laid out so that an editor can map its columns."""
    candidates = [(sheet, row, cells) for sheet in sheets for row, cells in sheet.rows[:_HEADER_SEARCH_ROWS]]
    if not candidates:
        return LoadResult((Problem("file.empty", "error"),), None, FileLayout((), skipped))
    sheet, header_row, headers = max(candidates, key=lambda candidate: _known_header_count(candidate[2]))
    skipped = tuple(skip for skip in skipped if skip.sheet != sheet.name)  # laid out below, not skipped
    shape = header_shape(headers)
    mapping = mappings.get(shape, {})
    positions, _, read_only, not_understood, problems = _map_columns(headers, header_row, mapping)
    understood = {index: key for key, index in positions.items()} | read_only
    layout = SheetLayout(
        sheet=sheet.name, header_row=header_row, title_rows=(),
        columns=tuple(ColumnUse(as_in_file(headers[index]), understood[index]) for index in sorted(understood)),
        ignored_columns=(), total_rows=(), ignored_rows=(), period_source=None, periods=(),
        shape=shape, unmapped_columns=tuple(not_understood.values()), mapped=bool(mapping))
    return LoadResult(sorted_problems(problems), None, FileLayout((layout,), skipped))


def load_dataset(name: str, content: bytes, registry: Registry | None = None, *, is_demo: bool = False,
                 timeout_s: float = PARSE_TIMEOUT_S, period: str | None = None,
                 mappings: Mapping[str, ColumnMapping] | None = None) -> LoadResult:
    """Read and validate a CSV/XLSX file; ``data`` is set only when no error was found.

    The file's format is taken from its bytes, not its name; files over the size, row, unpacked-size or time
    limits of ``monev.spreadsheet`` are refused with a problem that says which limit, and nothing else is read.
    Each sheet's table is found below its title rows; a sheet without a period column takes its month from its
    title, its name, the file name, then ``period`` ('YYYY-MM'); with none of them the result asks for a period.
    ``mappings`` are the editors' column mappings by header shape (``monev.column_mapping``). What of ``period``
    and ``mappings`` the file needed is on the result (``LoadResult.options``): the store reloads a version with it.
    """
    registry = registry or load_registry()
    if period is not None and periods.parse_period(period) != period:
        raise ValueError(f"period must be written YYYY-MM, not {period!r}")
    try:
        sheets = read_sheets(name, content, Deadline(timeout_s))
    except Rejected as rejected:
        problem = Problem(rejected.code, "error", row=rejected.row, value=rejected.value, params=rejected.params)
        return LoadResult((problem,), None)
    located: list[_Located] = []
    skipped: list[SkippedSheet] = []
    for sheet in sheets:
        header_index = _header_index(sheet, mappings or {})
        if header_index is not None:
            located.append(_locate(sheet, header_index, registry, mappings or {}))
        elif sheet.name is not None:
            skipped.append(SkippedSheet(sheet.name, "no_table" if sheet.rows else "empty"))
    if not located:
        return _no_table(sheets, tuple(skipped), mappings or {})
    file_name = Path(name).name
    # Dates such as 10/11/2024 are read the way the file's unambiguous dates are written.
    day_order = period_text.day_first_majority(_period_values(located))
    read = [_read_located(sheet, file_name, period, day_order.day_first, registry) for sheet in located]
    if len(read) > 1:
        for sheet_read in read:
            sheet_read.problems = [replace(p, sheet=sheet_read.layout.sheet) for p in sheet_read.problems]
    problems = [p for sheet in read for p in sheet.problems]
    written = located[0].written | {"period": located[0].written.get("period", COLUMNS_BY_KEY["period"].header)}
    if day_order.ambiguous:
        problems.append(Problem("period.read_day_first" if day_order.day_first else "period.read_month_first",
                                "info", column=written["period"], params={"count": day_order.ambiguous}))
    problems += _duplicates_across_sheets(read, written)
    layout = FileLayout(tuple(sheet.layout for sheet in read), tuple(skipped))
    if any(p.severity == "error" for p in problems):
        return LoadResult(sorted_problems(problems), None, layout)
    records = [record for sheet in read for record in sheet.records]
    frame = pd.DataFrame.from_records(records)
    problems += _coverage_warnings(frame, registry, written)
    order = {code: position for position, code in enumerate(registry.codes)}
    frame = (
        frame.assign(region_order=frame["region_code"].map(order))
        .sort_values(["period", "region_order"])
        .reset_index(drop=True)[FRAME_COLUMNS]
    )
    frame[["potential_workers", "participants"]] = frame[["potential_workers", "participants"]].astype("int64")
    frame[[*SEGMENTS, "target_rate"]] = frame[[*SEGMENTS, "target_rate"]].astype("float64")
    ordered = sorted_problems(problems)
    options = _options_used(period, read, located)
    # The same bytes read with another given month or mapping are other data: the checksum names them too.
    checksum = hashlib.sha256(content + options.digest_suffix()).hexdigest()
    data = CoverageData(frame, file_name, checksum, is_demo,
                        tuple(p for p in ordered if p.severity == "warning"))
    return LoadResult(ordered, data, layout, options)


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
        COLUMNS_BY_KEY["potential_workers"].header: frame["potential_workers"],
        COLUMNS_BY_KEY["participants"].header: frame["participants"],
        # Whole numbers, and empty where the split is unknown (a re-upload then reads the total alone).
        **{COLUMNS_BY_KEY[key].header: frame[key].astype("Int64") for key in SEGMENTS},
        COLUMNS_BY_KEY["target_rate"].header: (frame["target_rate"] * 100).round(2),
        COLUMNS_BY_KEY["note"].header: frame["note"],
    })

