"""The target-group dataset: who is eligible, who is registered, who pays, per period × region × group × funder.

A file is read as offices keep it (CSV or XLSX, title rows above the header, a "No" column, total and signature
rows below, Indonesian headers such as "Kode Wilayah", "Kabupaten/Kota", "Terdata", "Terdaftar", "Sumber Dana")
with the coverage loader's building blocks: ``monev.spreadsheet`` for the bytes (limits, formats, hostile files),
``monev.sheet_layout`` for title and total rows and a sheet's month, ``monev.dataset`` for counts and ``Problem``.
Every problem is reported at once with its row, column and a code worded in both languages; a file with an error
yields no data.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from monev import i18n, period_text, periods
from monev.column_mapping import header_key
from monev.dataset import (
    BadValue,
    ColumnSpec,
    Problem,
    Severity,
    as_in_file,
    cell_at,
    is_blank,
    is_count,
    parse_count,
    sorted_problems,
)
from monev.regions import Registry, load_registry, normalise_name
from monev.sheet_layout import is_total_label, month_of_sheet, row_text
from monev.spreadsheet import PARSE_TIMEOUT_S, Deadline, RawSheet, Rejected, read_sheets
from monev.target_groups import GroupRegistry, load_target_groups

DEMO_GROUPS_PATH = Path(__file__).resolve().parent.parent / "data" / "demo_target_groups.csv"
FRAME_COLUMNS = ["period", "region_code", "group_code", "subgroup_code", "eligible", "registered", "funder",
                 "months_funded", "source_note", "known_problem"]
KEY_COLUMNS = ["period", "region_code", "group_code", "subgroup_code", "funder"]
MAX_MONTHS_FUNDED = 12

COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("period", "Periode", "period", False,
               ("bulan", "bulan tahun", "month", "posisi", "per tanggal", "keadaan", "tanggal")),
    ColumnSpec("region_code", "Kode Wilayah", "region", False,
               ("kode", "kode kabupaten kota", "kode daerah", "kode kemendagri", "region code")),
    ColumnSpec("region_name", "Kabupaten/Kota", "region", False,
               ("wilayah", "nama wilayah", "kab kota", "kabupaten", "daerah", "nama daerah", "region",
                "pemerintah daerah", "nama kabupaten kota")),
    ColumnSpec("group_code", "Kelompok", "text", True,
               ("kelompok sasaran", "kode kelompok", "nama kelompok", "ekosistem", "group", "target group")),
    ColumnSpec("subgroup_code", "Subkelompok", "text", False,
               ("sub kelompok", "badan", "badan ad hoc", "kode subkelompok", "subgroup")),
    ColumnSpec("eligible", "Terdata", "count", True,
               ("jumlah terdata", "sasaran", "jumlah sasaran", "potensi", "eligible", "terdata orang")),
    ColumnSpec("registered", "Terdaftar", "count", True,
               ("peserta aktif", "terdaftar aktif", "jumlah terdaftar", "terlindungi", "sudah terdaftar",
                "registered", "jumlah peserta aktif")),
    ColumnSpec("funder", "Sumber Dana", "text", False,
               ("pendanaan", "sumber pendanaan", "sumber pembiayaan", "dibiayai oleh", "pembiaya", "funder")),
    ColumnSpec("months_funded", "Bulan Dibiayai", "count", False,
               ("jumlah bulan", "lama dibiayai", "jumlah bulan dibiayai", "months funded")),
    ColumnSpec("source_note", "Keterangan", "text", False, ("catatan", "sumber", "sumber data", "source note", "note")),
    ColumnSpec("known_problem", "Masalah Data Diketahui", "text", False,
               ("masalah data", "data bermasalah", "known problem")),
)
COLUMNS_BY_KEY = {spec.key: spec for spec in COLUMNS}
_HEADER_INDEX = {header_key(spelling): spec for spec in COLUMNS for spelling in spec.spellings()}
_ROW_NUMBER_HEADERS = {header_key(spelling) for spelling in ("no", "nomor", "no urut", "nomor urut")}
_HEADER_SEARCH_ROWS = 30
# A regulation cited in a title ("Inpres 2/2021", "Permendagri No. 27 Tahun 2021") is not the data's month.
_REGULATION = re.compile(r"\b(inpres|instruksi presiden|perpres|permendagri|pp|uu|se|perda|pergub|perbup|perwal)\b"
                         r"\.?\s*(no\.?|nomor)?\s*[\d.]+\s*(/|tahun)\s*\d{4}", re.IGNORECASE)
# A row's way of reporting a problem: (column key, code, value as written, severity, message parameters).
_Report = Callable[..., None]
_YES = {"ya", "y", "yes", "true", "benar", "1", "x", "v"}
_NO = {"tidak", "t", "no", "n", "false", "salah", "0", "bukan"}


@dataclass(frozen=True)
class GroupData:
    """A validated target-group table in the canonical columns (``FRAME_COLUMNS``)."""

    frame: pd.DataFrame
    source_name: str
    checksum: str
    is_demo: bool = False
    warnings: tuple[Problem, ...] = ()

    @property
    def periods(self) -> list[str]:
        return sorted(self.frame["period"].unique())

    @property
    def latest_period(self) -> str:
        return self.periods[-1]


@dataclass(frozen=True)
class GroupLoadResult:
    problems: tuple[Problem, ...]
    data: GroupData | None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


@dataclass(frozen=True)
class _Sheet:
    """One sheet's table: where each field's column is, the header as written, the rows to read."""

    name: str | None
    positions: dict[str, int]
    written: dict[str, str]
    width: int
    data_rows: list[tuple[int, list[object]]]
    month: str | None  # the sheet's month when it has no period column


def _spec(header: object) -> ColumnSpec | None:
    return _HEADER_INDEX.get(header_key(header))


def _is_header(cells: list[object]) -> bool:
    named = {spec.key for cell in cells if (spec := _spec(cell)) is not None}
    return {"group_code", "eligible"} <= named and bool({"region_code", "region_name"} & named)


def _map_columns(headers: list[object], header_row: int) -> tuple[dict[str, int], dict[str, str], list[Problem]]:
    positions: dict[str, int] = {}
    written: dict[str, str] = {}
    problems: list[Problem] = []
    for index, header in enumerate(headers):
        text = as_in_file(header)
        if not text or header_key(header) in _ROW_NUMBER_HEADERS:
            continue
        spec = _spec(header)
        if spec is None:
            problems.append(Problem("column.unknown", "warning", row=header_row, column=text, value=text))
        elif spec.key in positions:
            problems.append(Problem("column.duplicate", "error", row=header_row, column=text, value=text,
                                    params={"first": written[spec.key]}))
        else:
            positions[spec.key], written[spec.key] = index, text
    if "region_code" not in positions and "region_name" not in positions:
        expected = f"{COLUMNS_BY_KEY['region_code'].header} / {COLUMNS_BY_KEY['region_name'].header}"
        problems.append(Problem("column.missing", "error", row=header_row, column=expected,
                                params={"expected": expected}))
    for spec in COLUMNS:
        if spec.required and spec.key not in positions:
            problems.append(Problem("column.missing", "error", row=header_row, column=spec.header,
                                    params={"expected": spec.header}))
    return positions, written, problems


def _is_province(text: str, registry: Registry) -> bool:
    """'17', 'Provinsi Bengkulu', 'Pemprov Bengkulu': the province itself, a funder in its own right."""
    words = normalise_name(text).split()
    name = normalise_name(registry.province_name).split()
    return words == [registry.province_code] or (
        len(words) > 1 and words[0] in ("provinsi", "prov", "propinsi", "pemprov") and words[1:] == name)


def _locate(sheet: RawSheet, header_index: int, registry: Registry, file_name: str, given: str | None
            ) -> tuple[_Sheet, list[Problem]]:
    """The sheet's table below its title rows; total rows and the notes after the data are set aside.

    A row naming a region or holding a count is data; rows after the last such row are notes and signatures, rows
    between are data however badly filled in, so that the row check reports them."""
    header_row, headers = sheet.rows[header_index]
    positions, written, problems = _map_columns(headers, header_row)
    month: str | None = None
    if "period" not in positions:
        titles = tuple(_REGULATION.sub(" ", row_text(cells)) for _, cells in sheet.rows[:header_index])
        found = month_of_sheet(titles, sheet.name, file_name, given)
        if found is None:
            problems.append(Problem("period.needed", "error", value=sheet.name or file_name))
        else:
            month = found.period
            problems.append(Problem(f"period.from_{found.source}", "info", value=as_in_file(found.text),
                                    params={"period": found.period}))
    label_end = max(positions.get(key, 0) for key in ("region_code", "region_name", "group_code")) + 1
    kinds: list[str] = []
    for _, cells in sheet.rows[header_index + 1:]:
        labels = [text for text in cells[:label_end] if isinstance(text, str)]
        region_cells = [as_in_file(cell_at(cells, positions.get(key))) for key in ("region_code", "region_name")]
        if any(_is_province(text, registry) for text in region_cells if text):
            kinds.append("data")
        elif any(is_total_label(text, registry.province_name) for text in labels):
            kinds.append("total")
        elif (any(registry.match(text).code is not None for text in region_cells if text)
              or any(is_count(cell_at(cells, positions.get(key))) for key in ("eligible", "registered"))):
            kinds.append("data")
        else:
            kinds.append("other")
    end = max((index + 1 for index, kind in enumerate(kinds) if kind == "data"), default=0)
    data_rows: list[tuple[int, list[object]]] = []
    for index, ((row, cells), kind) in enumerate(zip(sheet.rows[header_index + 1:], kinds, strict=True)):
        if kind == "data" or (kind == "other" and index < end):
            data_rows.append((row, cells))
        elif kind == "total":
            problems.append(Problem("group.total_row", "info", row=row, value=as_in_file(row_text(cells))))
        else:
            problems.append(Problem("row.ignored", "info", row=row, value=as_in_file(row_text(cells))))
    if not data_rows:
        problems.append(Problem("file.no_rows", "error", value=sheet.name))
    return _Sheet(sheet.name, positions, written, len(headers), data_rows, month), problems


class _RowReader:
    """Reads one data row into a record, collecting its problems."""

    def __init__(self, sheet: _Sheet, regions: Registry, groups: GroupRegistry) -> None:
        self.sheet, self.regions, self.groups = sheet, regions, groups

    def read(self, row: int, cells: list[object]) -> tuple[dict[str, object], list[Problem]]:
        problems: list[Problem] = []
        written = self.sheet.written

        def raw(key: str) -> object:
            return cell_at(cells, self.sheet.positions.get(key))

        def report(key: str, code: str, value: object, params: dict[str, object] | None = None,
                   severity: Severity = "error") -> None:
            column = written.get(key, COLUMNS_BY_KEY[key].header)
            problems.append(Problem(code, severity, row=row, column=column, value=as_in_file(value),
                                    params=params or {}))

        if len(cells) > self.sheet.width and any(not is_blank(cell) for cell in cells[self.sheet.width:]):
            extra = next(cell for cell in cells[self.sheet.width:] if not is_blank(cell))
            problems.append(Problem("row.too_many_cells", "error", row=row, value=as_in_file(extra),
                                    params={"found": len(cells), "expected": self.sheet.width}))
            return {}, problems
        record: dict[str, object] = {"row": row}
        record["period"] = self._period(raw("period"), report)
        record["region_code"] = self._region(raw("region_code"), raw("region_name"), report)
        group = self.groups.match_group(raw("group_code"))
        if is_blank(raw("group_code")):
            report("group_code", "value.missing", raw("group_code"))
        elif group is None:
            report("group_code", "group.unknown", raw("group_code"), {"known": ", ".join(self.groups.codes)})
        record["group_code"] = group
        record["subgroup_code"] = ""
        if group is not None and not is_blank(raw("subgroup_code")):
            found = self.groups.get(group).match_subgroup(raw("subgroup_code"))
            if found is None:
                known = ", ".join(sub.code for sub in self.groups.get(group).subgroups) or "–"
                report("subgroup_code", "group.unknown_subgroup", raw("subgroup_code"),
                       {"group": group, "known": known})
            record["subgroup_code"] = found or ""
        for key in ("eligible", "registered"):
            try:
                record[key] = parse_count(raw(key))
            except BadValue as bad:
                report(key, bad.code, raw(key), bad.params)
        record["funder"] = ""
        if not is_blank(raw("funder")):
            funder = self.groups.match_funder(raw("funder"))
            if funder is None:
                report("funder", "group.unknown_funder", raw("funder"),
                       {"known": ", ".join(f.code for f in self.groups.funders)})
            record["funder"] = funder or ""
        record["months_funded"] = None
        if not is_blank(raw("months_funded")):
            try:
                months = parse_count(raw("months_funded"))
            except BadValue as bad:
                report("months_funded", bad.code, raw("months_funded"), bad.params)
            else:
                if months > MAX_MONTHS_FUNDED:
                    report("months_funded", "group.months_out_of_range", raw("months_funded"))
                record["months_funded"] = months
        note = raw("source_note")
        record["source_note"] = "" if is_blank(note) else str(note).strip()
        record["known_problem"] = self._flag(raw("known_problem"), report)
        eligible, registered = record.get("eligible"), record.get("registered")
        if isinstance(eligible, int) and isinstance(registered, int) and registered > eligible:
            severity: Severity = "warning" if record["known_problem"] else "error"
            code = "group.registered_exceeds_known" if record["known_problem"] else "group.registered_exceeds"
            report("registered", code, raw("registered"), {"registered": registered, "eligible": eligible}, severity)
        return record, problems

    def _period(self, value: object, report: _Report) -> str | None:
        if "period" not in self.sheet.positions:
            return self.sheet.month
        if is_blank(value):
            report("period", "value.missing", value)
            return None
        period = period_text.parse_period_cell(value)
        if period is None:
            report("period", "period.invalid", value)
        return period

    def _region(self, code_cell: object, name_cell: object, report: _Report) -> str | None:
        """The region by its code, else by its name; when both are given they must name the same region."""
        found: dict[str, str | None] = {}
        for key, value in (("region_code", code_cell), ("region_name", name_cell)):
            if key not in self.sheet.positions or is_blank(value):
                continue
            if _is_province(as_in_file(value), self.regions):
                found[key] = self.regions.province_code
                continue
            match = self.regions.match(value)
            found[key] = match.code
            if match.code is None and match.suggestion is not None:
                report(key, "region.unknown_suggest", value, {"suggestion": match.suggestion.display_name})
            elif match.code is None:
                report(key, "region.unknown", value)
        if not found:
            report("region_code" if "region_code" in self.sheet.positions else "region_name", "value.missing", None)
            return None
        code, name = found.get("region_code"), found.get("region_name")
        if code is not None and name is not None and code != name:
            report("region_name", "group.region_mismatch", name_cell, {"code": code})
        return code or name

    def _flag(self, value: object, report: _Report) -> bool:
        if is_blank(value):
            return False
        if isinstance(value, bool):
            return value
        text = normalise_name(as_in_file(value))
        if text in _YES or text in _NO:
            return text in _YES
        report("known_problem", "group.flag_invalid", value)
        return False


def _duplicates(records: list[tuple[_Sheet, dict[str, object]]]) -> list[Problem]:
    problems: list[Problem] = []
    first: dict[tuple[object, ...], int] = {}
    for sheet, record in records:
        key = tuple(record[column] for column in KEY_COLUMNS)
        if key in first:
            subgroup = f" / {record['subgroup_code']}" if record["subgroup_code"] else ""
            problems.append(Problem(
                "group.duplicate", "error", row=int(str(record["row"])), sheet=sheet.name,
                column=sheet.written.get("group_code", COLUMNS_BY_KEY["group_code"].header),
                value=f"{record['group_code']}{subgroup}",
                params={"first_row": first[key], "period": record["period"], "region": record["region_code"],
                        "funder": record["funder"] or "–"}))
        else:
            first[key] = int(str(record["row"]))
    return problems


def load_group_dataset(name: str, content: bytes, registry: Registry | None = None,
                       groups: GroupRegistry | None = None, *, is_demo: bool = False,
                       timeout_s: float = PARSE_TIMEOUT_S, period: str | None = None) -> GroupLoadResult:
    """Read and validate a CSV/XLSX target-group file; ``data`` is set only when no error was found.

    ``period`` ('YYYY-MM') is the month of a sheet that names none (no period column, title, sheet or file name).
    """
    if period is not None and periods.parse_period(period) != period:
        raise ValueError(f"period must be written YYYY-MM, not {period!r}")
    try:
        sheets = read_sheets(name, content, Deadline(timeout_s))
    except Rejected as refused:  # not a table at all (too large, not CSV/XLSX, a zip bomb, too slow)
        return GroupLoadResult((Problem(refused.code, "error", refused.row, value=refused.value,
                                        params=refused.params),), None)
    registry = registry or load_registry()
    groups = groups or load_target_groups()
    file_name = Path(name).name
    problems: list[Problem] = []
    records: list[tuple[_Sheet, dict[str, object]]] = []
    tables = [(sheet, index) for sheet in sheets
              if (index := next((i for i, (_, cells) in enumerate(sheet.rows[:_HEADER_SEARCH_ROWS])
                                 if _is_header(cells)), None)) is not None]
    if not tables:
        first = next((row for sheet in sheets for row in sheet.rows[:1]), None)
        if first is None:
            return GroupLoadResult((Problem("file.empty", "error"),), None)
        # No row names the table's columns: the first row says which are missing.
        return GroupLoadResult(sorted_problems(_map_columns(first[1], first[0])[2]), None)
    for sheet, header_index in tables:
        located, sheet_problems = _locate(sheet, header_index, registry, file_name, period)
        reader = _RowReader(located, registry, groups)
        if not any(p.severity == "error" for p in sheet_problems):
            for row, cells in located.data_rows:
                record, row_problems = reader.read(row, cells)
                sheet_problems += row_problems
                if not any(p.severity == "error" for p in row_problems):
                    records.append((located, record))
        if len(tables) > 1:
            sheet_problems = [replace(p, sheet=located.name) for p in sheet_problems]
        problems += sheet_problems
    problems += _duplicates(records)
    ordered = sorted_problems(problems)
    if any(p.severity == "error" for p in ordered):
        return GroupLoadResult(ordered, None)
    order = {code: position for position, code in enumerate((*registry.codes, registry.province_code))}
    group_order = {code: position for position, code in enumerate(groups.codes)}
    subgroup_order = {"": -1} | {sub.code: position for group in groups.groups
                                 for position, sub in enumerate(group.subgroups)}
    frame = pd.DataFrame.from_records([record for _, record in records])
    frame = (frame.assign(region_order=frame["region_code"].map(order),
                          group_order=frame["group_code"].map(group_order),
                          subgroup_order=frame["subgroup_code"].map(subgroup_order))
             .sort_values(["period", "region_order", "group_order", "subgroup_order", "funder"], kind="stable")
             .reset_index(drop=True)[FRAME_COLUMNS])
    frame = frame.astype({"eligible": "int64", "registered": "int64", "months_funded": "Int64",
                          "known_problem": "bool"})
    checksum = hashlib.sha256(content + (b"\0" + period.encode() if period else b"")).hexdigest()
    data = GroupData(frame, file_name, checksum, is_demo, tuple(p for p in ordered if p.severity == "warning"))
    return GroupLoadResult(ordered, data)


def load_group_demo() -> GroupData:
    """The example target-group dataset (data/README.md says what is reported and what is *ilustrasi*)."""
    result = load_group_dataset(DEMO_GROUPS_PATH.name, DEMO_GROUPS_PATH.read_bytes(), is_demo=True)
    if result.data is None:
        raise RuntimeError(f"the target-group demo does not validate: {[p.code for p in result.errors]}")
    return result.data


# --- the template --------------------------------------------------------------------------------------------

TEMPLATE_HEADERS = [spec.header for spec in COLUMNS]
# One example row per group: a regency, a subgroup where the group has them, the group's usual funder.
_EXAMPLE_COUNTS = (120, 100)


def template_rows(period: str, registry: Registry | None = None, groups: GroupRegistry | None = None,
                  lang: str = i18n.DEFAULT_LANGUAGE) -> pd.DataFrame:
    """The template's rows: the canonical Indonesian headers, one example row per group (to be overwritten)."""
    registry = registry or load_registry()
    groups = groups or load_target_groups()
    region = registry.regions[0]
    eligible, registered = _EXAMPLE_COUNTS
    rows = []
    for group in groups.groups:
        subgroup = group.subgroups[0] if group.subgroups else None
        funder = groups.funder(group.usual_funders[0]) if group.usual_funders else None
        rows.append({
            "Periode": period, "Kode Wilayah": region.code, "Kabupaten/Kota": region.official_name,
            "Kelompok": group.name_id, "Subkelompok": subgroup.code.upper() if subgroup else "",
            "Terdata": eligible, "Terdaftar": registered, "Sumber Dana": funder.name_id if funder else "",
            "Bulan Dibiayai": subgroup.months_cover if subgroup and subgroup.months_cover else 12,
            "Keterangan": i18n.t("groups.template_example", lang), "Masalah Data Diketahui": "tidak",
        })
    return pd.DataFrame(rows, columns=TEMPLATE_HEADERS)


def template_csv(period: str, lang: str = i18n.DEFAULT_LANGUAGE) -> bytes:
    """The template as CSV for Excel (';'-separated, UTF-8 with BOM)."""
    rows = template_rows(period, lang=lang)
    return rows.to_csv(sep=";", index=False, lineterminator="\r\n").encode("utf-8-sig")


def template_xlsx(period: str, lang: str = i18n.DEFAULT_LANGUAGE) -> bytes:
    """The template as a workbook: the data sheet with bold headers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = i18n.t("template.sheet_data", lang)
    rows = template_rows(period, lang=lang)
    sheet.append(TEMPLATE_HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in rows.itertuples(index=False):
        sheet.append(list(values))
    for column, header in zip(sheet.columns, TEMPLATE_HEADERS, strict=True):
        sheet.column_dimensions[column[0].column_letter].width = max(12, len(header) + 2)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
