"""Panels of the data page: the dataset in use, the upload with its validation report, downloads, format help."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

import pandas as pd
import pyarrow as pa
import streamlit as st
from streamlit.dataframe_util import convert_pandas_df_to_arrow_table

from components.auth import current_user, render_editor_only
from components.cache import FilesKey, TemplateKey, cached_data_files, cached_template_files
from components.caching import cached
from components.context import PageContext
from components.downloads import render_table_downloads
from components.page import demo_notice, uploader_label
from components.state import Keys, WidgetKeys
from components.text import escape_markdown
from components.upload_preview import checked_upload, render_preview, save_previewed_upload
from components.upload_update import month_update, render_update_choice
from monev import fmt, i18n, periods, tables
from monev.dataset import COLUMNS, CoverageData, LoadResult, Problem
from monev.problem_report import ProblemLine, group_problems, verdict
from monev.regions import Region

_XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def arrow_table(frame: pd.DataFrame) -> pa.Table:
    """``frame`` converted for st.dataframe exactly as st.dataframe would convert it. A cached table is best kept in
    this form: st.dataframe then only writes it out, instead of converting the frame again on every run (most of
    what drawing a small table costs)."""
    return convert_pandas_df_to_arrow_table(frame)


def _summary_line(context: PageContext, data: CoverageData) -> str:
    lang = context.lang
    return context.t(
        "data.current_summary", rows=fmt.counted("report.count_row", len(data.frame), lang),
        regions=fmt.counted("report.count_region", len(data.region_codes), lang),
        periods=_period_span(data, lang))


def _period_span(data: CoverageData, lang: str) -> str:
    """"10 periode (Januari 2024 – Oktober 2024)", or "1 periode (Oktober 2024)"."""
    return fmt.counted("data.period_span", len(data.periods), lang, first=fmt.month(data.periods[0], lang),
                       last=fmt.month(data.latest_period, lang))


# Each kind of problem in its colour, before the kind's word (the colour is never the only sign).
_SEVERITY_ICONS = {"error": ":red[:material/error:]", "warning": ":orange[:material/warning:]",
                   "info": ":blue[:material/info:]"}


def _report_line_markdown(line: ProblemLine, lang: str) -> str:
    """One report line as text that wraps: its kind, where and what is wrong, the values as the file wrote them when
    the message does not quote them, and how to fix it. The problem's code is only in the download, for support."""
    kind = escape_markdown(i18n.t(f"severity.{line.severity}", lang))
    parts = [f"{_SEVERITY_ICONS[line.severity]} **{kind}** · {escape_markdown(line.text(lang))}"]
    if values := line.values_in_file(lang):
        parts.append(escape_markdown(fmt.counted("report.in_file", len(line.values), lang, values=values)))
    parts.append(f"**{escape_markdown(i18n.t('report.fix', lang))}:** {escape_markdown(line.fix)}")
    return "  \n".join(parts)


def render_problems(context: PageContext, problems: Sequence[Problem], *, key: str) -> None:
    """The validation report as wrapped text, one block per problem said alike, in the user's language."""
    with st.container(key=key):
        for line in group_problems(problems, context.lang):
            st.markdown(_report_line_markdown(line, context.lang))


def render_report(context: PageContext, result: LoadResult) -> None:
    """An upload's validation report: the one-line verdict, the problems one line each, and the report's download."""
    st.markdown(f"**{context.t('data.report_title')}**")
    st.markdown(escape_markdown(verdict(result, context.lang)))
    render_problems(context, result.problems, key="upload_report")
    render_table_downloads(context, tables.validation_table(result.problems, lang=context.lang),
                           key="download.validation")


def _line_counts(problems: Sequence[Problem], lang: str) -> Counter[str]:
    """How many report lines of each severity: the numbers the report's verdict and table show."""
    return Counter(line.severity for line in group_problems(problems, lang))


def render_current_data(context: PageContext) -> None:
    data, version = context.data, context.source.version
    st.subheader(context.t("data.current_title"))
    st.markdown(_summary_line(context, data))
    if version is not None:
        st.markdown(context.t("data.current_version", id=version.id, name=escape_markdown(version.file_name),
                              by=escape_markdown(version.created_by), at=fmt.moment(version.created_at, context.lang),
                              checksum=version.checksum[:12]))
        if version.note:
            st.caption(escape_markdown(version.note))
    if data.is_demo:
        st.info(demo_notice(context, on_data_page=True), icon=":material/science:")
        st.caption(context.t("data.current_demo"))
    if data.warnings:
        count = _line_counts(data.warnings, context.lang)["warning"]
        with st.expander(context.t("data.current_warnings", count=count)):
            render_problems(context, data.warnings, key="current_warnings_report")


def _in_use(context: PageContext, incoming: CoverageData) -> bool:
    """The upload changes nothing: it is the data in use, or its months are already in it as they are."""
    version = context.source.version
    if version is None:
        return False
    merged = month_update(context, incoming).result.data
    return version.checksum in (incoming.checksum, merged.checksum if merged is not None else None)


def render_upload(context: PageContext) -> None:
    st.subheader(context.t("data.upload_title"))
    notice = st.session_state[Keys.UPLOAD_NOTICE]
    if notice:
        getattr(st, notice[0])(notice[1])
        st.session_state[Keys.UPLOAD_NOTICE] = None
    if not current_user().can_edit:
        render_editor_only(context.lang, "auth.editor_only_upload")
        return
    uploaded = st.file_uploader(uploader_label(context, "data.upload_label"), type=["csv", "xlsx"],
                                key=WidgetKeys.UPLOAD, help=context.t("data.upload_help"))
    if uploaded is None:
        return
    result = checked_upload(uploaded)
    name = escape_markdown(uploaded.name)
    counts = _line_counts(result.problems, context.lang)
    if result.data is None:
        st.error(context.t("data.rejected", name=name,
                           errors=fmt.counted("report.count_error", counts["error"], context.lang),
                           warnings=fmt.counted("report.count_warning", counts["warning"], context.lang)),
                 icon=":material/block:")
    elif _in_use(context, result.data):
        st.success(context.t("data.in_use", name=name), icon=":material/check_circle:")
    else:
        data = result.data
        st.success(context.t("data.checked", name=name,
                             rows=fmt.counted("report.count_row", len(data.frame), context.lang),
                             periods=_period_span(data, context.lang)), icon=":material/check_circle:")
        if result.warnings:
            st.warning(fmt.counted("data.loaded_with_warnings", counts["warning"], context.lang),
                       icon=":material/warning:")
        mode = render_update_choice(context, data)
        note, save = st.columns([3, 1], vertical_alignment="bottom")
        note.text_input(context.t("data.upload_note"), key=WidgetKeys.UPLOAD_NOTE, max_chars=500)
        save.button(context.t("data.save_version"), key=WidgetKeys.UPLOAD_SAVE, type="primary",
                    icon=":material/save:", disabled=not context.source.available,
                    on_click=save_previewed_upload, args=(context, result, uploaded, mode))
    render_preview(context, uploaded, result)
    if result.problems:
        render_report(context, result)


def render_downloads(context: PageContext) -> None:
    st.subheader(context.t("data.downloads_title"))
    data, lang = context.data, context.lang
    next_period = periods.shift(data.latest_period, 1)
    template_csv, template_xlsx = cached_template_files(TemplateKey(next_period, lang))
    data_csv, data_xlsx = cached_data_files(FilesKey(data.checksum, lang), data=data)
    stem = "monev_jamsostek"
    columns = st.columns(4)
    buttons = (
        ("data.template_csv", template_csv, f"{stem}_templat_{next_period}.csv", "text/csv"),
        ("data.template_xlsx", template_xlsx, f"{stem}_templat_{next_period}.xlsx", _XLSX_MIME),
        ("data.current_csv", data_csv, f"{stem}_data_{data.latest_period}_{data.checksum[:8]}.csv", "text/csv"),
        ("data.current_xlsx", data_xlsx, f"{stem}_data_{data.latest_period}_{data.checksum[:8]}.xlsx", _XLSX_MIME),
    )
    for column, (label_key, content, file_name, mime) in zip(columns, buttons):
        column.download_button(context.t(label_key), data=content, file_name=file_name, mime=mime,
                               key=f"data.download.{label_key}", on_click="ignore", icon=":material/download:")


def render_format_help(context: PageContext) -> None:
    registry = context.registry
    format_table, regions_table = _format_tables(FormatKey(context.lang, tuple(registry.regions)))
    with st.expander(context.t("data.format_title")):
        st.markdown(context.t("data.format_intro"))
        st.dataframe(format_table, hide_index=True, width="stretch")
    with st.expander(context.t("data.regions_title")):
        st.dataframe(regions_table, hide_index=True, width="stretch")


class FormatKey(NamedTuple):
    """What the format help shows: the language and the registry's regions."""

    lang: str
    regions: tuple[Region, ...]


@cached(shared=False, max_entries=8)
def _format_tables(key: FormatKey) -> tuple[pa.Table, pa.Table]:
    """(the columns of the file format, the recognised regions): the same for every dataset."""
    def t(text_key: str) -> str:
        return i18n.t(text_key, key.lang)

    regions = key.regions
    return arrow_table(pd.DataFrame({
        t("data.format_column"): [spec.header for spec in COLUMNS],
        t("data.format_required"): [t("data.yes" if spec.required else "data.no") for spec in COLUMNS],
        t("data.format_meaning"): [t(f"format.{spec.key}") for spec in COLUMNS],
    })), arrow_table(pd.DataFrame({
        t("data.region_code"): [region.code for region in regions],
        t("table.region"): [region.official_name for region in regions],
        t("data.bps_code"): [region.bps_code for region in regions],
        t("data.aliases"): [", ".join(region.aliases) for region in regions],
    }))
