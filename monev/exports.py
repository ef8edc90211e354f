"""Files people download: the fill-in template and the current data, as CSV (for Excel) and XLSX; charts as PNG."""

from __future__ import annotations

import io

import altair as alt
import pandas as pd

from monev import i18n
from monev.dataset import COLUMNS, COLUMNS_BY_KEY, SEGMENTS, CoverageData, to_file_rows
from monev.regions import Registry, load_registry

# Excel in an Indonesian locale separates list items with ';' and decimals with ','.
CSV_DELIMITER = ";"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_COUNT_HEADERS = {COLUMNS_BY_KEY[key].header for key in ("potential_workers", "participants", *SEGMENTS)}


def neutralise_formula(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; numbers are left alone."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _decimal_comma(value: object) -> object:
    if isinstance(value, float):
        if pd.isna(value):
            return ""
        return f"{value:g}".replace(".", ",")
    return value


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    safe = frame.map(neutralise_formula).map(_decimal_comma)
    # BOM: without it Excel reads UTF-8 as the ANSI code page.
    return safe.to_csv(sep=CSV_DELIMITER, index=False, lineterminator="\r\n").encode("utf-8-sig")


def template_rows(registry: Registry, period: str) -> pd.DataFrame:
    """One empty row per region for ``period``, in the file format."""
    return pd.DataFrame([
        {
            COLUMNS_BY_KEY["period"].header: period,
            COLUMNS_BY_KEY["region"].header: region.official_name,
            **{spec.header: None for spec in COLUMNS if spec.key not in ("period", "region")},
        }
        for region in registry.regions
    ])


def template_csv(period: str, registry: Registry | None = None) -> bytes:
    return _csv_bytes(template_rows(registry or load_registry(), period))


def data_csv(data: CoverageData, registry: Registry | None = None) -> bytes:
    return _csv_bytes(to_file_rows(data, registry))


def template_xlsx(period: str, lang: str = i18n.DEFAULT_LANGUAGE, registry: Registry | None = None) -> bytes:
    registry = registry or load_registry()
    return _workbook_bytes(template_rows(registry, period), registry, lang)


def data_xlsx(data: CoverageData, lang: str = i18n.DEFAULT_LANGUAGE, registry: Registry | None = None) -> bytes:
    registry = registry or load_registry()
    return _workbook_bytes(to_file_rows(data, registry), registry, lang)


def _workbook_bytes(rows: pd.DataFrame, registry: Registry, lang: str) -> bytes:
    """A workbook with the data sheet, the list of regions and the filling instructions."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    data_sheet = workbook.active
    data_sheet.title = i18n.t("template.sheet_data", lang)
    header_font, header_fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="1F4E79")
    headers = list(rows.columns)
    data_sheet.append(headers)
    for cell in data_sheet[1]:
        cell.font, cell.fill = header_font, header_fill
    for record in rows.itertuples(index=False):
        data_sheet.append([None if pd.isna(v) else neutralise_formula(v) for v in record])
    for index, header in enumerate(headers, start=1):
        letter = data_sheet.cell(row=1, column=index).column_letter
        data_sheet.column_dimensions[letter].width = max(14, len(header) + 4)
        if header in _COUNT_HEADERS:
            for (cell,) in data_sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "#,##0"
    region_column = data_sheet.cell(row=1, column=headers.index(COLUMNS_BY_KEY["region"].header) + 1).column_letter
    data_sheet.column_dimensions[region_column].width = 30
    data_sheet.freeze_panes = "A2"

    region_sheet = workbook.create_sheet(i18n.t("table.region", lang))
    region_sheet.append([i18n.t(f"template.{key}", lang)
                         for key in ("region_code", "region_name", "region_kind", "capital")])
    for cell in region_sheet[1]:
        cell.font, cell.fill = header_font, header_fill
    for region in registry.regions:
        region_sheet.append([region.code, region.official_name, region.kind, region.capital])
    region_sheet.column_dimensions["B"].width = 32
    region_sheet.column_dimensions["D"].width = 18
    choices = DataValidation(type="list", allow_blank=True,
                             formula1=f"'{region_sheet.title}'!$B$2:$B${len(registry) + 1}")
    choices.add(f"{region_column}2:{region_column}{max(len(rows), 1) + 500}")
    data_sheet.add_data_validation(choices)

    help_sheet = workbook.create_sheet(i18n.t("template.sheet_help", lang))
    help_sheet.append([i18n.t("template.help_title", lang)])
    help_sheet["A1"].font = Font(bold=True, size=14)
    help_sheet.append([i18n.t("template.help_rows", lang)])
    help_sheet.append([])
    help_sheet.append([i18n.t("data.format_column", lang), i18n.t("data.format_required", lang),
                       i18n.t("data.format_meaning", lang)])
    for cell in help_sheet[4]:
        cell.font = Font(bold=True)
    for spec in COLUMNS:
        help_sheet.append([spec.header, i18n.t("data.yes" if spec.required else "data.no", lang),
                           i18n.t(f"format.{spec.key}", lang)])
    help_sheet.column_dimensions["A"].width = 22
    help_sheet.column_dimensions["C"].width = 80

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- charts as images --------------------------------------------------------------------------------------------

# d3-format has no Indonesian locale; axis formats such as ".1%" then write 37,0% like the rest of the app.
_D3_LOCALES = {"id": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["Rp", ""]}}


def chart_png(chart: alt.TopLevelMixin, *, width_px: int = 1600, scale: float = 2,
              lang: str = i18n.DEFAULT_LANGUAGE) -> bytes:
    """The chart as a PNG ``width_px`` pixels wide, drawn offline by vl-convert at ``scale`` × its layout size."""
    import vl_convert  # imported here: its JavaScript engine starts only when someone exports an image

    # A copy: "container" width means nothing without a page, and the caller's chart must keep it for the screen.
    # "fit-x" with the padding included makes the whole image, axes and legend too, exactly width_px wide.
    static = chart.properties(width=round(width_px / scale),
                              autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))
    # No base URL is allowed: every chart carries its data inline, so nothing may be fetched from anywhere.
    return vl_convert.vegalite_to_png(static.to_dict(), scale=scale, allowed_base_urls=[],
                                      format_locale=_D3_LOCALES.get(lang, "en-US"))
