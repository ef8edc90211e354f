"""Downloads of the app's tables: CSV for Excel (UTF-8 with BOM, ';') and formatted XLSX with a notes sheet.

Numbers stay numbers in both; the XLSX gives them Excel formats, so an Indonesian Excel shows 37,0% and 1.101.234.
Text that a spreadsheet would run as a formula gets a leading apostrophe (``monev.exports.neutralise_formula``).
The ``*_table`` builders turn the app's views into such tables, with headers in the user's language.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from monev import fmt, i18n
from monev.dataset import SEGMENTS, Problem
from monev.exports import CSV_DELIMITER, neutralise_formula
from monev.group_costs import GroupCost
from monev.group_needs import GroupNeed
from monev.problem_report import group_problems
from monev.sentences import DataOrigin, data_line, long_date, source_lines
from monev.simulation import SimulationResult
from monev.target_groups import GroupRegistry

# Excel format codes; Excel writes them with the separators of the reader's own locale (37,0% in Indonesian).
FORMAT_INTEGER = "0"
FORMAT_COUNT = "#,##0"
FORMAT_RATE = "0.0%"
FORMAT_POINTS = '+0.0" pp";-0.0" pp";0.0" pp"'  # for differences of rates, stored ×100 (−2.0 = −2,0 pp)
FORMAT_RUPIAH = '"Rp"#,##0'

HEADER_FILL = "1F4E79"  # the colour of the template's headers
_CSV_DECIMALS = 6
_MIN_WIDTH, _MAX_WIDTH = 8, 60
_SHEET_NAME_CHARS = 31  # Excel's limit
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class ExportTable:
    """A view as a table: headers in the user's language, numbers as numbers, Excel formats, a file-name ``kind``."""

    kind: str
    title: str
    frame: pd.DataFrame
    number_formats: dict[str, str] = field(default_factory=dict)


# --- on screen ---------------------------------------------------------------------------------------------------


def _shown_points(value: float, lang: str) -> str:
    return fmt.points(value / 100, lang)  # stored ×100 for Excel (−2.0 = −2,0 pp); fmt takes the rate difference


# How a number in a column of each Excel format is written on screen, in the user's language.
_SHOWN: dict[str, Callable[[float, str], str]] = {
    FORMAT_RATE: fmt.percent,
    FORMAT_COUNT: fmt.number,
    FORMAT_POINTS: _shown_points,
    FORMAT_RUPIAH: fmt.rupiah,
}


def shown(table: ExportTable, lang: str = i18n.DEFAULT_LANGUAGE) -> pd.DataFrame:
    """The table as the app shows it: every number written in the user's format, as its Excel format shows it in
    the download (the grid would otherwise use the browser's); whole numbers stay numbers unless one is missing."""
    frame = table.frame.copy()
    for column in frame.columns:
        number_format = table.number_formats.get(str(column))
        values = frame[column]
        if number_format in _SHOWN:
            write = _SHOWN[number_format]
            frame[column] = [write(value, lang) if not _missing(value) else fmt.MISSING for value in values]
        elif values.map(_missing).any():
            frame[column] = [fmt.MISSING if _missing(value) else value for value in values]
    return frame


# --- writing -----------------------------------------------------------------------------------------------------


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _plain(value: object) -> object:
    """A cell as a plain Python value (numpy scalars unwrapped), None when empty, formulas neutralised."""
    if isinstance(value, np.generic):
        value = value.item()
    if _missing(value):
        return None
    return neutralise_formula(value) if isinstance(value, str) else value


def _csv_cell(value: object) -> object:
    value = _plain(value)
    if isinstance(value, float):
        # Not "%g": it writes 1.7e+09 for a yearly cost. A decimal comma, as Indonesian Excel reads a ';' file.
        text = f"{value:.{_CSV_DECIMALS}f}".rstrip("0").rstrip(".")
        return "0" if text == "-0" else text.replace(".", ",")
    return "" if value is None else value


def table_csv(frame: pd.DataFrame) -> bytes:
    """The table as CSV for Excel: UTF-8 with BOM, ';' between cells, decimal comma, formulas neutralised."""
    safe = frame.astype(object).map(_csv_cell)
    safe.columns = [_plain(str(column)) for column in frame.columns]
    # BOM: without it Excel reads UTF-8 as the ANSI code page.
    return safe.to_csv(sep=CSV_DELIMITER, index=False, lineterminator="\r\n").encode("utf-8-sig")


def _sheet_name(text: str) -> str:
    return _SHEET_NAME_FORBIDDEN.sub(" ", text).strip()[:_SHEET_NAME_CHARS] or "Data"


def _shown_width(value: object) -> int:
    """Roughly how many characters Excel needs to show the value (separators, % and Rp included)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return max((len(line) for line in str(value).splitlines()), default=0)
    return len(f"{value:,.1f}") + 3


def table_xlsx(frame: pd.DataFrame, *, title: str, notes: Sequence[str], number_formats: dict[str, str],
               lang: str = i18n.DEFAULT_LANGUAGE) -> bytes:
    """Workbook: styled frozen header, Excel number formats, widths from content, a sheet of ``notes`` after it."""
    from openpyxl import Workbook  # imported here: only downloads need it
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    def cell_value(value: object) -> object:
        value = _plain(value)
        # Control characters (from a pasted name, say) are not allowed in the file format and would abort the save.
        return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_name(title)
    headers = [str(column) for column in frame.columns]
    sheet.append([cell_value(header) for header in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for record in frame.itertuples(index=False):
        sheet.append([cell_value(value) for value in record])
    for index, header in enumerate(headers, start=1):
        number_format = number_formats.get(header)
        if number_format:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format
        widest = max([len(header), *(_shown_width(_plain(v)) for v in frame.iloc[:, index - 1] if not _missing(v))])
        sheet.column_dimensions[get_column_letter(index)].width = min(_MAX_WIDTH, max(_MIN_WIDTH, widest + 2))
    sheet.freeze_panes = "A2"
    if len(frame):
        sheet.auto_filter.ref = sheet.dimensions

    notes_sheet = workbook.create_sheet(_sheet_name(i18n.t("export.notes_sheet", lang)))
    notes_sheet.append([cell_value(title)])
    notes_sheet["A1"].font = Font(bold=True, size=14)
    for note in notes:
        notes_sheet.append([cell_value(note)])
    notes_sheet.column_dimensions["A"].width = 120
    for (cell,) in notes_sheet.iter_rows(min_row=2, max_col=1):
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    workbook.properties.title = title

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def slug(text: str) -> str:
    """ASCII, lower case, words joined by '-': 'Bengkulu Tengah' -> 'bengkulu-tengah'."""
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def export_file_name(kind: str, *, version_id: int | str | None, period: str, ext: str) -> str:
    """'monev_<kind>_v<version>_<period>.<ext>', ASCII only: monev_peringkat_v3_2024-10.csv."""
    parts = ["monev", slug(kind) or "data"]
    if version_id is not None and slug(str(version_id)):
        parts.append("v" + slug(str(version_id)))
    parts.append(slug(period))
    return "_".join(parts) + "." + ext.lstrip(".").lower()


def export_notes(*, lang: str, origin: DataOrigin, period: str, national_rate: float,
                 created: dt.date | None = None) -> list[str]:
    """The notes every download carries: data version and period, the comparison used, definitions, sources."""
    return [
        data_line(lang, source_name=origin.file_name, version_id=origin.version_id, period=period),
        i18n.t("export.national_line", lang, rate=fmt.percent(national_rate, lang)),
        *source_lines(lang, origin),
        i18n.t("export.created", lang, date=long_date(created or fmt.today(), lang)),
    ]


# --- the app's views as tables -----------------------------------------------------------------------------------


def _kind(key: str, lang: str) -> str:
    return i18n.t(f"export.kind.{key}", lang)


def _points(values: pd.Series) -> pd.Series:
    return values * 100


def ranking_table(indicators: pd.DataFrame, *, lang: str = i18n.DEFAULT_LANGUAGE) -> ExportTable:
    """The ranking (``region_indicators``): rank, region, coverage, counts, gaps, changes, target and pace."""
    t = i18n.catalog(i18n.supported(lang))
    frame = pd.DataFrame({
        t["table.rank"]: indicators["rank"].astype("int64"),
        t["table.region"]: indicators["region_name"],
        t["table.rate"]: indicators["rate"],
        t["table.participants"]: indicators["participants"],
        t["table.potential_workers"]: indicators["potential_workers"],
        t["table.gap_national"]: _points(indicators["gap_national"]),
        t["table.change_prev_month"]: _points(indicators["change_prev_month"]),
        t["table.change_since_year_start"]: _points(indicators["change_since_year_start"]),
        t["table.target"]: indicators["target_rate"],
        t["table.gap_target"]: _points(indicators["gap_target"]),
        t["table.required_monthly"]: np.ceil(indicators["required_monthly_participants"]),
    })
    formats = {
        t["table.rank"]: FORMAT_INTEGER, t["table.rate"]: FORMAT_RATE, t["table.target"]: FORMAT_RATE,
        t["table.participants"]: FORMAT_COUNT, t["table.potential_workers"]: FORMAT_COUNT,
        t["table.required_monthly"]: FORMAT_COUNT,
        **{t[key]: FORMAT_POINTS for key in ("table.gap_national", "table.change_prev_month",
                                             "table.change_since_year_start", "table.gap_target")},
    }
    return ExportTable(_kind("ranking", lang), i18n.t("export.title.ranking", lang), frame, formats)


def region_detail_table(series: pd.DataFrame, code: str, *, national_rate: float,
                        lang: str = i18n.DEFAULT_LANGUAGE) -> ExportTable:
    """One region month by month (from ``region_series``): coverage, gap to national, participants per segment."""
    t = i18n.catalog(i18n.supported(lang))
    rows = series[series["region_code"] == code].sort_values("period")
    name = str(rows["region_name"].iloc[0]) if len(rows) else code
    frame = pd.DataFrame({
        t["sidebar.period"]: rows["period"],
        t["table.rate"]: rows["rate"],
        t["table.gap_national"]: _points(rows["rate"] - national_rate),
        t["table.participants"]: rows["participants"],
        **{t[f"segment.short.{segment}"]: rows[segment] for segment in SEGMENTS},
        t["table.potential_workers"]: rows["potential_workers"],
        t["table.target"]: rows["target_rate"],
    })
    counts = [t["table.participants"], t["table.potential_workers"], *(t[f"segment.short.{s}"] for s in SEGMENTS)]
    formats = {t["table.rate"]: FORMAT_RATE, t["table.target"]: FORMAT_RATE, t["table.gap_national"]: FORMAT_POINTS,
               **dict.fromkeys(counts, FORMAT_COUNT)}
    return ExportTable(f"{_kind('region', lang)}-{slug(name)}", i18n.t("export.title.region", lang, region=name),
                       frame, formats)


def simulation_table(result: SimulationResult, *, lang: str = i18n.DEFAULT_LANGUAGE) -> ExportTable:
    """The simulator's results per region, highest projected coverage first: before, after, additions and their cost
    (yearly split by budget)."""
    t = i18n.catalog(i18n.supported(lang))
    regions = result.regions.sort_values("rate_after", ascending=False)
    frame = pd.DataFrame({
        t["table.region"]: regions["region_name"],
        t["sim.before"]: regions["rate"],
        t["sim.after"]: regions["rate_after"],
        t["sim.change"]: _points(regions["change_points"]),
        t["sim.col_additional"]: regions["additional"],
        t["sim.col_segment"]: [t[f"segment.short.{segment}"] for segment in regions["segment"]],
        t["sim.cost_month_col"]: regions["cost_idr_per_month"],
        t["sim.cost_year_col"]: regions["cost_idr_per_year"],
        t["sim.cost_province_col"]: regions["cost_province_idr_per_year"],
        t["sim.cost_region_col"]: regions["cost_region_idr_per_year"],
        t["sim.national_after"]: [t["data.yes"] if v else t["data.no"] for v in regions["at_national_after"]],
    })
    money = ("sim.cost_month_col", "sim.cost_year_col", "sim.cost_province_col", "sim.cost_region_col")
    formats = {t["sim.before"]: FORMAT_RATE, t["sim.after"]: FORMAT_RATE, t["sim.change"]: FORMAT_POINTS,
               t["sim.col_additional"]: FORMAT_COUNT, **{t[key]: FORMAT_RUPIAH for key in money}}
    return ExportTable(_kind("simulation", lang), i18n.t("export.title.simulation", lang), frame, formats)


def comparison_table(scenarios: Sequence[tuple[str, SimulationResult]], *, bases: Sequence[str] | None = None,
                     lang: str = i18n.DEFAULT_LANGUAGE) -> ExportTable:
    """One row per scenario: projected provincial coverage, regions at national and target (of how many), additions,
    cost, and the data its figures are computed on (``bases``: ``monev.sentences.basis_line`` per scenario; unknown
    when None)."""
    t = i18n.catalog(i18n.supported(lang))
    rows = []
    for position, (name, result) in enumerate(scenarios):
        regions = result.regions
        has_target = regions["target_rate"].notna().any()
        rows.append({
            t["scenario.name"]: name,
            t["scenario.cmp_coverage"]: result.rate_after,
            t["scenario.cmp_change"]: result.change_points * 100,
            t["scenario.cmp_national"]: result.regions_at_national_after,
            t["scenario.cmp_target"]: int((regions["rate_after"] >= regions["target_rate"]).sum())
            if has_target else None,
            t["scenario.cmp_added"]: result.participants_added,
            t["scenario.cmp_cost"]: result.cost_idr_per_year,
            t["scenario.cmp_per_point"]: result.cost_idr_per_point,
            t["scenario.cmp_regions"]: result.region_count,
            t["scenario.cmp_basis"]: bases[position] if bases is not None else None,
        })
    columns = [t[key] for key in ("scenario.name", "scenario.cmp_coverage", "scenario.cmp_change",
                                  "scenario.cmp_national", "scenario.cmp_target", "scenario.cmp_added",
                                  "scenario.cmp_cost", "scenario.cmp_per_point", "scenario.cmp_regions",
                                  "scenario.cmp_basis")]
    formats = {t["scenario.cmp_coverage"]: FORMAT_RATE, t["scenario.cmp_change"]: FORMAT_POINTS,
               t["scenario.cmp_national"]: FORMAT_INTEGER, t["scenario.cmp_target"]: FORMAT_INTEGER,
               t["scenario.cmp_added"]: FORMAT_COUNT, t["scenario.cmp_cost"]: FORMAT_RUPIAH,
               t["scenario.cmp_per_point"]: FORMAT_RUPIAH, t["scenario.cmp_regions"]: FORMAT_INTEGER}
    return ExportTable(_kind("comparison", lang), i18n.t("export.title.comparison", lang),
                       pd.DataFrame(rows, columns=columns), formats)


def validation_table(problems: Iterable[Problem], *, lang: str = i18n.DEFAULT_LANGUAGE) -> ExportTable:
    """The validation report: one line per problem said alike, with its rows as text ("2–5, 8"), column, values as
    the file wrote them, message and fix; the problem's code last, for support."""
    columns = ["severity", "row", "column", "value", "message", "fix", "code"]
    frame = pd.DataFrame(
        [[i18n.t(f"severity.{line.severity}", lang), line.rows_text, line.column or "", line.values_text,
          line.message, line.fix, line.code] for line in group_problems(problems, lang)],
        columns=[i18n.t(f"report.{column}", lang) for column in columns])
    return ExportTable(_kind("validation", lang), i18n.t("data.report_title", lang), frame)


def _payers(cost: GroupCost, groups: GroupRegistry, lang: str) -> str:
    """Who pays a group's cost: the funders' names with their parts, or who pays outside the regional budget."""
    if cost.paid_outside_budget:
        return cost.note(lang)
    total = cost.total_idr
    return " + ".join(f"{groups.funder(code).name(lang)} {fmt.percent(amount / total, lang, 0)}" if total > 0
                      else groups.funder(code).name(lang) for code, amount in cost.by_funder.items())


def _budget_cost(cost: GroupCost) -> float:
    return math.nan if cost.paid_outside_budget else cost.total_idr


def group_needs_table(totals: pd.DataFrame, needs: Sequence[GroupNeed], groups: GroupRegistry, *,
                      lang: str = i18n.DEFAULT_LANGUAGE) -> ExportTable:
    """The province's totals per group (``GroupMatrix.totals``) with what protecting the rest costs and who pays."""
    t = i18n.catalog(i18n.supported(lang))
    by_code = {need.group_code: need for need in needs}
    chosen = [by_code[code] for code in totals["group_code"]]
    frame = pd.DataFrame({
        t["groups.group"]: [groups.get(code).name(lang) for code in totals["group_code"]],
        t["groups.eligible"]: totals["eligible"].astype("int64").to_numpy(),
        t["groups.registered"]: totals["registered"].astype("int64").to_numpy(),
        t["groups.share"]: totals["share"].to_numpy(),
        t["groups.unprotected"]: totals["unprotected"].astype("int64").to_numpy(),
        t["groups.months_usual"]: [need.months_usual or None for need in chosen],
        # A cost paid outside the regional budget (employer, contractor) is none of the budgets': no figure.
        t["groups.cost_year"]: [_budget_cost(need.per_year) for need in chosen],
        t["groups.cost_usual"]: [_budget_cost(need.for_usual_months) for need in chosen],
        t["groups.paid_by"]: [_payers(need.per_year, groups, lang) for need in chosen],
    })
    formats = {t["groups.eligible"]: FORMAT_COUNT, t["groups.registered"]: FORMAT_COUNT,
               t["groups.share"]: FORMAT_RATE, t["groups.unprotected"]: FORMAT_COUNT,
               t["groups.months_usual"]: FORMAT_COUNT,
               t["groups.cost_year"]: FORMAT_RUPIAH, t["groups.cost_usual"]: FORMAT_RUPIAH}
    return ExportTable(_kind("groups", lang), i18n.t("export.title.groups", lang), frame, formats)
