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
import math
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd

from monev import fmt, i18n, period_text, periods
from monev.regions import Registry, load_registry, normalise_name
from monev.spreadsheet import PARSE_TIMEOUT_S, Deadline, RawTable, Rejected, read_table

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


def _header_key(text: object) -> str:
    return normalise_name(str(text or "")).replace(" ", "_")


_HEADER_INDEX = {_header_key(spelling): spec for spec in COLUMNS for spelling in spec.spellings()}


def _known_header_count(headers: list[object]) -> int:
    """How many of a sheet's headers name one of our columns: of several sheets, the data sheet names the most."""
    return sum(_header_key(header) in _HEADER_INDEX for header in headers)


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


class _BadValue(Exception):
    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


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


def _check_row(row_number: int, cells: list[object], table: RawTable, positions: dict[str, int],
               written: dict[str, str], registry: Registry) -> tuple[dict[str, object], list[Problem]]:
    """One data row as a record (with what could be read) and the problems found in it."""
    record: dict[str, object] = {"row": row_number}
    problems: list[Problem] = []

    def report(key: str, code: str, raw: object, **params: object) -> None:
        problems.append(Problem(code, "error", row=row_number, column=written.get(key, key),
                                value=_shown(raw), params=params))

    raw_period = _cell(cells, positions["period"])
    record["period"] = None if _is_blank(raw_period) else period_text.parse_period_cell(raw_period)
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

    raw_potential = _cell(cells, positions["potential_workers"])
    try:
        record["potential_workers"] = parse_count(raw_potential)
    except _BadValue as bad:
        report("potential_workers", bad.code, raw_potential, **bad.params)
    counts, participants_column, count_problems = _participant_counts(row_number, cells, positions, written)
    record.update(counts)
    problems += count_problems

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

    potential, participants = record.get("potential_workers"), record.get("participants")
    if isinstance(potential, int) and isinstance(participants, int):
        if potential == 0:
            report("potential_workers", "value.zero_potential", potential)
        elif participants > potential:
            problems.append(Problem(
                "value.participants_exceed", "error", row=row_number, column=participants_column,
                value=str(participants),
                params={"participants": participants, "potential": potential,
                        "potential_column": written["potential_workers"]}))
    return record, problems


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
        raw = _cell(cells, positions.get(key))
        if _is_blank(raw):
            continue
        filled.append(key)
        try:
            counts[key] = parse_count(raw)
        except _BadValue as bad:
            problems.append(Problem(bad.code, "error", row=row_number, column=written[key], value=_shown(raw),
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
                                value=str(counts["participants"]),
                                params={"total": counts["participants"], "segment_sum": split_sum,
                                        "segments": segments_label, "total_column": total_header}))
    fields: dict[str, object] = {"participants": counts.get("participants", split_sum),
                                 **{key: float(segments[key]) if segments else math.nan for key in SEGMENTS}}
    return fields, total_header if "participants" in counts else segments_label, problems


def _validate_rows(table: RawTable, positions: dict[str, int], written: dict[str, str],
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
        region_code, period = record.get("region_code"), record["period"]
        if isinstance(region_code, str) and region_code and isinstance(period, str) and period:
            key = (region_code, period)
            if key in first_row_of:
                row_problems.append(Problem(
                    "row.duplicate", "error", row=row_number, column=written["region"], value=_shown(raw_region),
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
    limits of ``monev.spreadsheet`` are refused with a problem that says which limit, and nothing else is read.
    """
    registry = registry or load_registry()
    try:
        table = read_table(name, content, Deadline(timeout_s), _known_header_count)
    except Rejected as rejected:
        problem = Problem(rejected.code, "error", row=rejected.row, value=rejected.value, params=rejected.params)
        return LoadResult((problem,), None)
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
    frame[["potential_workers", "participants"]] = frame[["potential_workers", "participants"]].astype("int64")
    frame[[*SEGMENTS, "target_rate"]] = frame[[*SEGMENTS, "target_rate"]].astype("float64")
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
        COLUMNS_BY_KEY["potential_workers"].header: frame["potential_workers"],
        COLUMNS_BY_KEY["participants"].header: frame["participants"],
        # Whole numbers, and empty where the split is unknown (a re-upload then reads the total alone).
        **{COLUMNS_BY_KEY[key].header: frame[key].astype("Int64") for key in SEGMENTS},
        COLUMNS_BY_KEY["target_rate"].header: (frame["target_rate"] * 100).round(2),
        COLUMNS_BY_KEY["note"].header: frame["note"],
    })

