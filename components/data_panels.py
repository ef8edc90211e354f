"""Panels of the data page: the dataset in use, the upload with its validation report, downloads, format help."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.cache import cached_data_files, cached_template_files
from components.page import PageContext
from components.state import Keys, WidgetKeys
from components.text import escape_markdown
from monev import fmt, periods
from monev.dataset import COLUMNS, CoverageData, LoadResult, Problem, load_dataset, problems_table

_XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _summary_line(context: PageContext, data: CoverageData) -> str:
    return context.t(
        "data.current_summary", rows=fmt.number(len(data.frame), context.lang), regions=len(data.region_codes),
        periods=len(data.periods), first=fmt.month(data.periods[0], context.lang),
        last=fmt.month(data.latest_period, context.lang),
    )


def render_problems(context: PageContext, problems: list[Problem] | tuple[Problem, ...]) -> None:
    """The validation report as a readable table, in the user's language."""
    table = problems_table(problems, context.lang)
    table.columns = [context.t(f"report.{name}") for name in table.columns]
    st.dataframe(table, hide_index=True, width="stretch")


def render_current_data(context: PageContext) -> None:
    data = context.data
    st.subheader(context.t("data.current_title"))
    st.markdown(_summary_line(context, data))
    if data.is_demo:
        st.info(context.t("app.demo_notice"), icon=":material/science:")
        st.caption(context.t("data.current_demo"))
    else:
        st.markdown(context.t("data.current_upload", name=escape_markdown(data.source_name),
                              checksum=data.checksum[:12]))
        st.button(context.t("data.back_to_demo"), key=WidgetKeys.BACK_TO_DEMO, on_click=_back_to_demo,
                  icon=":material/undo:")
    if data.warnings:
        with st.expander(context.t("data.current_warnings", count=len(data.warnings))):
            render_problems(context, data.warnings)


def _back_to_demo() -> None:
    st.session_state[Keys.DATASET] = None


def _check_upload(name: str, content: bytes, file_id: str) -> LoadResult:
    """Validate a newly chosen file once; a valid one becomes this session's dataset, a rejected one changes nothing."""
    result = load_dataset(name, content)
    st.session_state[Keys.LAST_UPLOAD] = (file_id, result)
    if result.data is not None:
        st.session_state[Keys.DATASET] = result.data
        st.session_state[Keys.PERIOD] = result.data.latest_period
    return result


def render_upload(context: PageContext) -> None:
    st.subheader(context.t("data.upload_title"))
    uploaded = st.file_uploader(context.t("data.upload_label"), type=["csv", "xlsx"], key=WidgetKeys.UPLOAD,
                                help=context.t("data.upload_help"))
    if uploaded is None:
        return
    last = st.session_state[Keys.LAST_UPLOAD]
    if last is None or last[0] != uploaded.file_id:
        result = _check_upload(uploaded.name, uploaded.getvalue(), uploaded.file_id)
        if result.ok:
            st.rerun()  # the sidebar above was drawn with the old dataset's periods
    else:
        result = last[1]
    if result.data is not None and result.data is not st.session_state[Keys.DATASET]:
        return  # the user went back to another dataset; this file's old report no longer describes what is used
    name = escape_markdown(uploaded.name)
    if result.data is None:
        st.error(context.t("data.rejected", name=name, errors=len(result.errors), warnings=len(result.warnings)),
                 icon=":material/block:")
    else:
        data = result.data
        st.success(context.t("data.loaded", name=name, rows=fmt.number(len(data.frame), context.lang),
                             periods=len(data.periods), first=fmt.month(data.periods[0], context.lang),
                             last=fmt.month(data.latest_period, context.lang)), icon=":material/check_circle:")
        if result.warnings:
            st.warning(context.t("data.loaded_with_warnings", count=len(result.warnings)), icon=":material/warning:")
    if result.problems:
        st.markdown(f"**{context.t('data.report_title')}**")
        render_problems(context, result.problems)


def render_downloads(context: PageContext) -> None:
    st.subheader(context.t("data.downloads_title"))
    data, lang = context.data, context.lang
    next_period = periods.shift(data.latest_period, 1)
    template_csv, template_xlsx = cached_template_files(next_period, lang)
    data_csv, data_xlsx = cached_data_files(data.checksum, lang, _data=data)
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
    with st.expander(context.t("data.format_title")):
        st.markdown(context.t("data.format_intro"))
        st.dataframe(pd.DataFrame({
            context.t("data.format_column"): [spec.header for spec in COLUMNS],
            context.t("data.format_required"): [context.t("data.yes" if spec.required else "data.no")
                                                for spec in COLUMNS],
            context.t("data.format_meaning"): [context.t(f"format.{spec.key}") for spec in COLUMNS],
        }), hide_index=True, width="stretch")
    with st.expander(context.t("data.regions_title")):
        st.dataframe(pd.DataFrame({
            context.t("data.region_code"): [region.code for region in context.registry.regions],
            context.t("table.region"): [region.official_name for region in context.registry.regions],
            context.t("data.bps_code"): [region.bps_code for region in context.registry.regions],
            context.t("data.aliases"): [", ".join(region.aliases) for region in context.registry.regions],
        }), hide_index=True, width="stretch")
