"""Download buttons: every table as CSV and XLSX, every chart as PNG, the map as an image, the meeting pack.

File names carry the data version and period. PNGs and the pack are generated only when asked for (a PNG when
its button is clicked; the pack with a progress display), never on every page run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from components.cache import AltairChart, ChartKey, cached_chart_spec
from components.context import PageContext
from components.data_source import active_boundaries
from components.state import Keys
from monev import fmt, i18n, mapping
from monev.exports import chart_png
from monev.geo import Boundaries
from monev.report import build_meeting_pack, to_pdf, to_pptx
from monev.scenario import ShownScenario
from monev.sentences import DataOrigin
from monev.static_map import build_static_map
from monev.tables import ExportTable, export_file_name, export_notes, table_csv, table_xlsx

_XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
STATIC_MAP_WIDTH_PX = 660


def _version_id(context: PageContext) -> int | None:
    return context.source.version.id if context.source.version else None


def data_origin(context: PageContext) -> DataOrigin:
    """Where the page's data comes from (its version, file, uploader and note), for the sources the files list."""
    return DataOrigin.of(context.data, context.source.version)


def _notes(context: PageContext) -> list[str]:
    return export_notes(lang=context.lang, origin=data_origin(context), period=context.period,
                        national_rate=context.national_rate)


def render_table_downloads(context: PageContext, table: ExportTable, *, key: str) -> None:
    """CSV (for Excel: UTF-8 with BOM, ';') and formatted XLSX of ``table``, both written when clicked."""
    name = export_file_name(table.kind, version_id=_version_id(context), period=context.period, ext="{ext}")
    csv_column, xlsx_column, _ = st.columns([1, 1, 3])
    csv_column.download_button(
        "CSV", data=lambda: table_csv(table.frame), file_name=name.format(ext="csv"), mime="text/csv",
        key=f"{key}.csv", on_click="ignore", icon=":material/download:")
    xlsx_column.download_button(
        "Excel", data=lambda: table_xlsx(table.frame, title=table.title, notes=_notes(context),
                                         number_formats=table.number_formats, lang=context.lang),
        file_name=name.format(ext="xlsx"), mime=_XLSX_MIME, key=f"{key}.xlsx", on_click="ignore",
        icon=":material/download:")


def render_chart(build: Callable[[], AltairChart], *, chart_key: tuple) -> None:
    """The chart ``build`` makes, drawn from its spec cached under ``chart_key``: the chart's name, then everything it
    shows (a ``ChartKey``)."""
    name, *shows = chart_key
    st.vega_lite_chart(cached_chart_spec(ChartKey(name, tuple(shows)), build=build), width="stretch")


def render_chart_download(context: PageContext, chart: AltairChart, *, kind_key: str, key: str) -> None:
    """The chart as a PNG at presentation resolution, drawn offline when the button is clicked."""
    render_png_download(context, lambda: chart, kind_key=kind_key, key=key)


def render_png_download(context: PageContext, build: Callable[[], AltairChart], *, kind_key: str,
                        key: str) -> None:
    """The chart ``build`` makes as a PNG at presentation resolution, built and drawn offline when clicked."""
    kind = i18n.t(f"export.kind.{kind_key}", context.lang)
    st.download_button(
        context.t("export.png"), data=lambda: chart_png(build(), lang=context.lang),
        file_name=export_file_name(kind, version_id=_version_id(context), period=context.period, ext="png"),
        mime="image/png", key=key, on_click="ignore", icon=":material/image:")


def render_map_download(context: PageContext, indicators: pd.DataFrame, values: pd.Series,
                        classification: mapping.Classification, *, boundaries: Boundaries | None, metric: str,
                        key: str) -> None:
    """The map as a static image with the same classes, colours and legend as the interactive one."""

    def draw() -> bytes:
        potential = indicators.set_index("region_code")["potential_workers"]
        chart = build_static_map(boundaries, values, classification, lang=context.lang,
                                 title=context.t(f"map.metric.{metric}"), potential_workers=potential,
                                 registry=context.registry, width_px=STATIC_MAP_WIDTH_PX)
        return chart_png(chart, width_px=STATIC_MAP_WIDTH_PX * 2, lang=context.lang)

    kind = i18n.t("export.kind.map", context.lang)
    st.download_button(
        context.t("export.map_png"), data=draw,
        file_name=export_file_name(kind, version_id=_version_id(context), period=context.period, ext="png"),
        mime="image/png", key=key, on_click="ignore", icon=":material/map:")


def render_meeting_pack(context: PageContext, scenarios: Callable[[], Sequence[ShownScenario]]) -> None:
    """One button makes the 'Bahan Paparan Monev' as PPTX and PDF, showing its progress; then both download.
    ``scenarios`` gives the scenarios the pack shows, computed on the page's data (name, result, basis); it is called
    only when the pack is made."""
    t = context.t
    date_column, button_column, _ = st.columns([1, 1, 2], vertical_alignment="bottom")
    # The pack is often made days before the meeting; "today" is the office's day, not the server's.
    meeting_date = date_column.date_input(t("pack.date_label"), value=fmt.today(), key="pack.date",
                                          format="DD/MM/YYYY")
    if button_column.button(t("pack.make"), key="pack.make", type="primary", icon=":material/slideshow:"):
        with st.status(t("pack.making"), expanded=True) as status:
            bar = st.progress(0.0)

            def progress(step: int, total: int, label: str) -> None:
                bar.progress(min(step / total, 1.0), text=label)

            pack = build_meeting_pack(
                context.data, origin=data_origin(context), period=context.period, lang=context.lang,
                national_rate=context.national_rate, boundaries=active_boundaries(), scenarios=scenarios(),
                meeting_date=meeting_date, map_method=st.session_state[Keys.CLASSIFICATION], progress=progress,
                registry=context.registry)
            st.session_state[Keys.MEETING_PACK] = (pack.file_name("pptx"), to_pptx(pack),
                                                   pack.file_name("pdf"), to_pdf(pack))
            status.update(label=t("pack.ready"), state="complete", expanded=False)
    ready = st.session_state[Keys.MEETING_PACK]
    if ready:
        pptx_name, pptx, pdf_name, pdf = ready
        pptx_column, pdf_column, _ = st.columns([1, 1, 2])
        pptx_column.download_button("PPTX", data=pptx, file_name=pptx_name, mime=_PPTX_MIME, key="pack.pptx",
                                    on_click="ignore", icon=":material/download:")
        pdf_column.download_button("PDF", data=pdf, file_name=pdf_name, mime="application/pdf", key="pack.pdf",
                                   on_click="ignore", icon=":material/download:")
