"""The compliance checklist of a Monev of Inpres 2/2021: what each local government (and the province) has done.

The items are data (``data/compliance_items.toml``): a regulation, the programme in the RKPD, an APBD budget line and
its realisation, an agreement with BPJS Ketenagakerjaan, the NPHD clause for election ad hoc staff, sanctions against
non-compliant employers, innovation. An entry records one item for one region: its status, the evidence (document
number, date, a link kept as text and never fetched) and who recorded it when. The office keeps the list in Excel:
``read_checklist`` validates a CSV/XLSX into row-precise ``Problem``s, ``checklist_csv`` / ``checklist_xlsx`` write
the same columns back (Indonesian headers), so that reading an export gives the same checklist.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import functools
import io
import math
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from monev import i18n
from monev.dataset import Problem, Severity
from monev.exports import CSV_DELIMITER, neutralise_formula
from monev.regions import DATA_DIR, Registry, load_registry, normalise_name
from monev.spreadsheet import PARSE_TIMEOUT_S, Deadline, Rejected, read_sheets

ITEMS_FILE = DATA_DIR / "compliance_items.toml"
DEMO_FILE = DATA_DIR / "demo_compliance.csv"  # written by scripts/build_compliance_demo.py

STATUSES = ("ada", "sebagian", "belum", "tidak_diketahui")
UNKNOWN_STATUS = "tidak_diketahui"
DONE_STATUSES = frozenset({"ada", "sebagian"})
REGULATION_KINDS = ("perda", "perkada", "surat_edaran")
# Evidence an item may take beyond what every entry has (document number, date, link, note); see the items file.
EVIDENCE_FIELDS = ("regulation_kind", "pagu_idr", "realisation_idr", "expiry_date")
# How officials write a regulation's kind: a regent's or mayor's regulation (Perbup, Perwal) and a governor's
# (Pergub) are all regional-head regulations (Perkada).
_KIND_SPELLINGS = {
    "perda": "perda", "peraturan daerah": "perda",
    "perkada": "perkada", "perbup": "perkada", "perwal": "perkada", "pergub": "perkada",
    "peraturan kepala daerah": "perkada", "peraturan bupati": "perkada", "peraturan wali kota": "perkada",
    "peraturan walikota": "perkada", "peraturan gubernur": "perkada",
    "surat edaran": "surat_edaran", "se": "surat_edaran", "surat_edaran": "surat_edaran",
}
_KIND_LABELS = ("Perda", "Perkada", "Surat Edaran")  # as a fix suggests them


@dataclass(frozen=True)
class ComplianceItem:
    """One thing a local government is checked against, and the rule that requires it."""

    code: str
    name_id: str
    name_en: str
    rule: str
    partial: bool
    evidence: tuple[str, ...] = ()

    def name(self, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
        """The item's name in ``lang``."""
        return self.name_en if i18n.supported(lang) == "en" else self.name_id


@functools.cache
def load_items(path: Path = ITEMS_FILE) -> tuple[ComplianceItem, ...]:
    """The checklist items, in the order of the file."""
    with path.open("rb") as handle:
        table = tomllib.load(handle)
    items = tuple(ComplianceItem(code=row["code"], name_id=row["name_id"], name_en=row["name_en"], rule=row["rule"],
                                 partial=bool(row["partial"]), evidence=tuple(row.get("evidence", ())))
                  for row in table["item"])
    unknown = {field for item in items for field in item.evidence} - set(EVIDENCE_FIELDS)
    if unknown or len({item.code for item in items}) != len(items):
        raise ValueError(f"{path}: duplicate item codes or unknown evidence fields {sorted(unknown)}")
    return items


@dataclass(frozen=True)
class ComplianceEntry:
    """One item for one region (a Kemendagri code, or the province's): status, evidence, who recorded it when."""

    region_code: str
    item_code: str
    status: str
    document_number: str = ""
    document_date: dt.date | None = None
    link: str = ""  # shown as text, never fetched
    regulation_kind: str | None = None
    pagu_idr: float | None = None
    realisation_idr: float | None = None
    expiry_date: dt.date | None = None
    note: str = ""
    source: str = ""  # where the information comes from, or "ilustrasi"
    recorded_by: str = ""
    recorded_at: dt.date | None = None

    @property
    def realisation_rate(self) -> float | None:
        """Realisation as a fraction of the budget line (pagu); None when either is unknown or the pagu is 0."""
        if self.pagu_idr is None or self.realisation_idr is None or self.pagu_idr <= 0:
            return None
        return self.realisation_idr / self.pagu_idr

    def expired(self, on: dt.date) -> bool | None:
        """Whether an agreement has run out by ``on``; None when it has no expiry date."""
        return None if self.expiry_date is None else self.expiry_date < on

    @property
    def is_illustrative(self) -> bool:
        """The entry is made up for the demo (*ilustrasi*), not reported."""
        return normalise_name(self.source) == "ilustrasi"


@dataclass(frozen=True)
class Checklist:
    """Every recorded entry; a region and item without one is *tidak diketahui* (nothing known)."""

    entries: tuple[ComplianceEntry, ...] = ()

    def entry(self, region_code: str, item_code: str) -> ComplianceEntry | None:
        """The entry of ``item_code`` for ``region_code``, if one was recorded."""
        return next((e for e in self.entries if (e.region_code, e.item_code) == (region_code, item_code)), None)

    def status(self, region_code: str, item_code: str) -> str:
        """The recorded status, *tidak_diketahui* when nothing was recorded."""
        entry = self.entry(region_code, item_code)
        return UNKNOWN_STATUS if entry is None else entry.status

    def with_entry(self, entry: ComplianceEntry) -> Checklist:
        """A copy in which ``entry`` replaces the region's entry for its item (or is added)."""
        kept = tuple(e for e in self.entries if (e.region_code, e.item_code) != (entry.region_code, entry.item_code))
        return Checklist((*kept, entry))


def checklist_regions(registry: Registry | None = None) -> tuple[str, ...]:
    """The codes a checklist has entries for: the registry's regions, then the province."""
    registry = registry or load_registry()
    return (*registry.codes, registry.province_code)


def region_label(code: str, registry: Registry | None = None, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """A region's short name, or "Provinsi Bengkulu" for the province's code."""
    registry = registry or load_registry()
    if code == registry.province_code:
        return i18n.t("compliance.province", lang, name=registry.province_name)
    return registry.display_name(code)


def status_label(status: str, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """A status as people read it: "Ada", "Sebagian", "Belum", "Tidak diketahui"."""
    return i18n.t(f"compliance.status.{status}", lang)


def kind_label(kind: str, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """A regulation's kind: "Perda", "Perkada", "Surat Edaran"."""
    return i18n.t(f"compliance.kind.{kind}", lang)


def status_matrix(checklist: Checklist, *, items: Sequence[ComplianceItem] | None = None,
                  registry: Registry | None = None) -> dict[str, dict[str, str]]:
    """Status of every item for every region and the province: {region code: {item code: status}}."""
    items = items or load_items()
    return {code: {item.code: checklist.status(code, item.code) for item in items}
            for code in checklist_regions(registry)}


# --- the file: columns, reading, writing -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Column:
    key: str
    header: str
    written_only: bool = False  # worked out on export (a name, a percentage); ignored when read back


COLUMNS = (
    _Column("region_code", "Kode wilayah"),
    _Column("region_name", "Wilayah", written_only=True),
    _Column("item_code", "Kode butir"),
    _Column("item_name", "Butir", written_only=True),
    _Column("status", "Status"),
    _Column("regulation_kind", "Jenis regulasi"),
    _Column("document_number", "Nomor dokumen"),
    _Column("document_date", "Tanggal dokumen"),
    _Column("link", "Tautan"),
    _Column("pagu_idr", "Pagu (Rp)"),
    _Column("realisation_idr", "Realisasi (Rp)"),
    _Column("realisation_percent", "Realisasi (%)", written_only=True),
    _Column("expiry_date", "Berlaku sampai"),
    _Column("note", "Catatan"),
    _Column("source", "Sumber"),
    _Column("recorded_by", "Dicatat oleh"),
    _Column("recorded_at", "Dicatat pada"),
)
REQUIRED_COLUMNS = ("region_code", "item_code", "status")
_BY_HEADER = {normalise_name(column.header): column for column in COLUMNS}
_DATE_FIELDS = ("document_date", "expiry_date", "recorded_at")
_MONEY_FIELDS = ("pagu_idr", "realisation_idr")
_TEXT_FIELDS = ("document_number", "link", "note", "source", "recorded_by")


@dataclass(frozen=True)
class ChecklistResult:
    """A file read as a checklist: every problem found, and the checklist when no problem is an error."""

    problems: tuple[Problem, ...]
    checklist: Checklist | None


class _BadCell(ValueError):
    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = str(value).strip()
    # What the export protected from being run as a formula ("'=…") is read back as it was written.
    if text.startswith("'") and text[1:2] and neutralise_formula(text[1:]) != text[1:]:
        return text[1:]
    return text


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:  # the way an Indonesian office types a date: 20/11/2024 or 20-11-2024
        return dt.datetime.strptime(text.replace("-", "/"), "%d/%m/%Y").date()
    except ValueError:
        raise _BadCell("compliance.bad_date") from None


def _money(value: object) -> float | None:
    if isinstance(value, bool):
        raise _BadCell("value.not_number")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = _text(value).lower().removeprefix("rp").strip()
        if not text:
            return None
        # Rupiah have no cents in these documents: dots, commas and spaces are thousands separators.
        digits = text.replace(".", "").replace(",", "").replace(" ", "")
        if not digits.lstrip("-").isdigit():
            raise _BadCell("value.not_number")
        number = float(digits)
    if math.isnan(number):
        return None
    if number < 0:
        raise _BadCell("value.negative")
    return number


def _kind(value: object) -> str | None:
    text = _text(value)
    if not text:
        return None
    kind = _KIND_SPELLINGS.get(normalise_name(text))
    if kind is None:
        raise _BadCell("compliance.unknown_kind", kinds=", ".join(_KIND_LABELS))
    return kind



def _status(value: object) -> str:
    status = normalise_name(_text(value)).replace(" ", "_")
    if status not in STATUSES:
        raise _BadCell("compliance.unknown_status", statuses=", ".join(STATUSES))
    return status


class _RowReader:
    """Reads the rows of one sheet into entries, collecting problems with their row and column."""

    def __init__(self, items: Sequence[ComplianceItem], registry: Registry, sheet: str | None) -> None:
        self.items = {item.code: item for item in items}
        self.registry = registry
        self.sheet = sheet
        self.problems: list[Problem] = []
        self.seen: dict[tuple[str, str], int] = {}

    def problem(self, code: str, severity: Severity, row: int | None, key: str | None, value: object = None,
                **params: object) -> None:
        header = next(c.header for c in COLUMNS if c.key == key) if key else None
        self.problems.append(Problem(code, severity, row=row, column=header,
                                     value=_text(value) if value is not None else None, params=params,
                                     sheet=self.sheet))

    def cell(self, row: int, key: str, raw: object, parse: Callable[[object], object]) -> object:
        try:
            return parse(raw)
        except _BadCell as bad:
            self.problem(bad.code, "error", row, key, raw, **bad.params)
            return None

    def region(self, row: int, raw: object) -> str | None:
        text = _text(raw)
        if not text:
            self.problem("value.missing", "error", row, "region_code")
            return None
        if text == self.registry.province_code:
            return text
        match = self.registry.match(text)
        if match.code is None:
            self.problem("region.unknown", "error", row, "region_code", raw)
        return match.code

    def entry(self, row: int, cells: dict[str, object]) -> ComplianceEntry | None:
        errors_before = sum(p.severity == "error" for p in self.problems)
        region = self.region(row, cells.get("region_code"))
        item_code = _text(cells.get("item_code")).lower()
        item = self.items.get(item_code)
        if item is None:
            self.problem("value.missing" if not item_code else "compliance.unknown_item", "error", row, "item_code",
                         cells.get("item_code") if item_code else None, items=", ".join(self.items))
        status = self.cell(row, "status", cells.get("status"), _status)
        values: dict[str, object] = {key: self.cell(row, key, cells.get(key), _date) for key in _DATE_FIELDS}
        values |= {key: self.cell(row, key, cells.get(key), _money) for key in _MONEY_FIELDS}
        values["regulation_kind"] = self.cell(row, "regulation_kind", cells.get("regulation_kind"), _kind)
        values |= {key: _text(cells.get(key)) for key in _TEXT_FIELDS}
        if item is not None:
            self.check_item(row, item, status, values, kind_written=bool(_text(cells.get("regulation_kind"))))
        if region and item is not None:
            first = self.seen.setdefault((region, item.code), row)
            if first != row:
                self.problem("compliance.duplicate", "error", row, "item_code", item.code, first_row=first,
                             region=region_label(region, self.registry))
        if sum(p.severity == "error" for p in self.problems) > errors_before:
            return None
        return ComplianceEntry(region_code=str(region), item_code=item_code, status=str(status),
                               **values)  # type: ignore[arg-type]

    def check_item(self, row: int, item: ComplianceItem, status: object, values: dict[str, object], *,
                   kind_written: bool) -> None:
        if status == "sebagian" and not item.partial:
            self.problem("compliance.partial_not_allowed", "error", row, "status", status, item=item.code)
        for key in EVIDENCE_FIELDS:
            if values.get(key) is not None and key not in item.evidence:
                self.problem("compliance.field_not_used", "error", row, key, values[key], item=item.code)
        if item.code == "regulasi" and status in DONE_STATUSES and not kind_written:
            self.problem("compliance.kind_missing", "warning", row, "regulation_kind")
        pagu, realised = values.get("pagu_idr"), values.get("realisation_idr")
        if isinstance(pagu, float) and isinstance(realised, float) and realised > pagu:
            self.problem("compliance.realisation_exceeds", "warning", row, "realisation_idr", f"{realised:.0f}",
                         pagu=f"{pagu:.0f}")
        signed, expiry = values.get("document_date"), values.get("expiry_date")
        if isinstance(signed, dt.date) and isinstance(expiry, dt.date) and expiry < signed:
            self.problem("compliance.expiry_before_date", "error", row, "expiry_date", expiry.isoformat(),
                         date=signed.isoformat())
        recorded = values.get("recorded_at")
        if isinstance(signed, dt.date) and isinstance(recorded, dt.date) and signed > recorded:
            self.problem("compliance.date_after_recorded", "warning", row, "document_date", signed.isoformat(),
                         recorded=recorded.isoformat())


# Every problem code this module reports (beyond the file reader's and the shared column/value codes it reuses).
PROBLEM_CODES = ("compliance.bad_date", "compliance.unknown_kind", "compliance.unknown_status",
                 "compliance.unknown_item", "compliance.duplicate", "compliance.partial_not_allowed",
                 "compliance.field_not_used", "compliance.kind_missing", "compliance.realisation_exceeds",
                 "compliance.expiry_before_date", "compliance.date_after_recorded")


def read_checklist(name: str, content: bytes, *, items: Sequence[ComplianceItem] | None = None,
                   registry: Registry | None = None) -> ChecklistResult:
    """A CSV/XLSX checklist file validated: every problem with its row and column; no checklist when one is an error.

    The first sheet with rows is read; its first row holds the headers."""
    items = items or load_items()
    registry = registry or load_registry()
    try:
        sheets = [sheet for sheet in read_sheets(name, content, Deadline(PARSE_TIMEOUT_S)) if sheet.rows]
    except Rejected as rejected:
        return ChecklistResult((Problem(rejected.code, "error", row=rejected.row, value=rejected.value,
                                        params=rejected.params),), None)
    if not sheets:
        return ChecklistResult((Problem("file.empty", "error"),), None)
    sheet = sheets[0]
    (_, header_cells), *rows = sheet.rows
    reader = _RowReader(items, registry, sheet.name if len(sheets) > 1 else None)
    positions: dict[str, int] = {}
    for index, header in enumerate(header_cells):
        column = _BY_HEADER.get(normalise_name(_text(header)))
        if column is None:
            if _text(header):
                reader.problems.append(Problem("column.unknown", "warning", row=sheet.rows[0][0],
                                               column=_text(header), sheet=reader.sheet))
        elif column.key in positions:
            reader.problems.append(Problem("column.duplicate", "error", row=sheet.rows[0][0], column=column.header,
                                           params={"first": column.header}, sheet=reader.sheet))
        elif not column.written_only:
            positions[column.key] = index
    missing = [key for key in REQUIRED_COLUMNS if key not in positions]
    for key in missing:
        reader.problem("column.missing", "error", None, key)
    if not rows and not missing:
        reader.problems.append(Problem("file.no_rows", "error"))
    entries = []
    if not missing:
        for row_number, cells in rows:
            values = {key: cells[index] if index < len(cells) else None for key, index in positions.items()}
            entry = reader.entry(row_number, values)
            if entry is not None:
                entries.append(entry)
    problems = tuple(reader.problems)
    if any(p.severity == "error" for p in problems):
        return ChecklistResult(problems, None)
    return ChecklistResult(problems, Checklist(tuple(entries)))


def checklist_rows(checklist: Checklist, *, items: Sequence[ComplianceItem] | None = None,
                   registry: Registry | None = None) -> list[list[object]]:
    """The checklist as the file's rows (headers first), regions in registry order then the province, items in the
    order of the items file; dates as dates, Rupiah as numbers, the realisation % worked out."""
    items = items or load_items()
    registry = registry or load_registry()
    item_order = {item.code: index for index, item in enumerate(items)}
    region_order = {code: index for index, code in enumerate(checklist_regions(registry))}
    names = {item.code: item.name_id for item in items}
    rows: list[list[object]] = [[column.header for column in COLUMNS]]
    for entry in sorted(checklist.entries, key=lambda e: (region_order[e.region_code], item_order[e.item_code])):
        rate = entry.realisation_rate
        values: dict[str, object] = {
            **dataclasses.asdict(entry),
            "region_name": region_label(entry.region_code, registry),
            "item_name": names[entry.item_code],
            "regulation_kind": kind_label(entry.regulation_kind) if entry.regulation_kind else None,
            "realisation_percent": None if rate is None else round(rate * 100, 2),
        }
        rows.append([values[column.key] for column in COLUMNS])
    return rows


def _csv_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        # Excel in an Indonesian locale reads a decimal comma; Rupiah are whole numbers.
        return f"{value:.0f}" if value.is_integer() else f"{value:g}".replace(".", ",")
    return neutralise_formula(value)


def checklist_csv(checklist: Checklist, *, items: Sequence[ComplianceItem] | None = None,
                  registry: Registry | None = None) -> bytes:
    """The checklist as a CSV that Excel in an Indonesian locale opens as a table (';', UTF-8 with a BOM)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerows([_csv_cell(value) for value in row]
                     for row in checklist_rows(checklist, items=items, registry=registry))
    return buffer.getvalue().encode("utf-8-sig")


def checklist_xlsx(checklist: Checklist, *, items: Sequence[ComplianceItem] | None = None,
                   registry: Registry | None = None) -> bytes:
    """The checklist as an Excel workbook: one sheet, bold headers, dates and Rupiah formatted."""
    from openpyxl import Workbook  # imported here: only the download needs it
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Kepatuhan"
    for row in checklist_rows(checklist, items=items, registry=registry):
        sheet.append([neutralise_formula(value) for value in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    formats = {"pagu_idr": "#,##0", "realisation_idr": "#,##0", "realisation_percent": "0.00",
               **{key: "yyyy-mm-dd" for key in _DATE_FIELDS}}
    for index, column in enumerate(COLUMNS, start=1):
        if column.key in formats:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = formats[column.key]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

