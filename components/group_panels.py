"""Panels of the Kelompok sasaran page: the region × group matrix, the province's totals with what protecting the
rest costs and who pays, and one region's groups (opened by a click on the matrix or the region menu)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.context import PageContext
from components.downloads import render_table_downloads
from components.state import Keys, WidgetKeys
from monev import fmt, tables
from monev.charts import GROUP_SELECTION, build_group_heatmap
from monev.group_costs import FundingSplit
from monev.group_dataset import GroupData
from monev.group_indicators import GroupMatrix
from monev.group_needs import group_need, months_of_cover
from monev.target_groups import GroupRegistry

TOTAL_ROW = "Σ"  # the matrix's province row (Σ registered ÷ Σ eligible): not a region, never opens a panel
ILLUSTRATION_MARK = "ilustrasi"  # how the data's source notes mark a figure that was not reported


def group_period(context: PageContext, data: GroupData) -> str:
    """The session's period when the group data has it, else its latest period (and a line saying so)."""
    if context.period in data.periods:
        return context.period
    shown = data.latest_period
    st.info(context.t("groups.period_fallback", period=fmt.month(context.period, context.lang),
                      shown=fmt.month(shown, context.lang)), icon=":material/event:")
    return shown


def region_name(context: PageContext, code: str) -> str:
    """A matrix row's name: a regency/city, the province as a funder, or the province's total."""
    if code == TOTAL_ROW:
        return context.t("groups.total")
    if code == context.registry.province_code:
        return context.t("groups.province_funder", province=context.registry.province_name)
    return context.registry.display_name(code)


def _pick_from_matrix(widget_key: str) -> None:
    """on_select callback: a click on a region's cell opens that region; a click on the total row or beside, none."""
    picked = st.session_state[widget_key].selection.get(GROUP_SELECTION) or []
    codes = [point.get("region_code") for point in picked if point.get("region_code") != TOTAL_ROW]
    st.session_state[Keys.GROUP_REGION] = codes[0] if codes else None


def _render_heatmap(context: PageContext, cells: pd.DataFrame, rows: tuple[str, ...], group_names: dict[str, str],
                    widget_key: str) -> None:
    chart = build_group_heatmap(cells[cells["region_code"].isin(rows)],
                                region_names={code: region_name(context, code) for code in rows},
                                group_names=group_names, lang=context.lang)
    st.altair_chart(chart, width="stretch", key=widget_key, on_select=lambda: _pick_from_matrix(widget_key),
                    selection_mode=GROUP_SELECTION)


def render_group_matrix(context: PageContext, matrix: GroupMatrix, groups: GroupRegistry) -> None:
    """The heatmap of the regencies, then apart the province's own programme and the province's Σ/Σ row."""
    st.subheader(context.t("groups.matrix_heading"))
    st.caption(context.t("groups.matrix_caption"))
    province = context.registry.province_code
    totals = matrix.totals.assign(region_code=TOTAL_ROW)
    cells = pd.concat([matrix.cells, totals[matrix.cells.columns]], ignore_index=True)
    group_names = {code: groups.get(code).name(context.lang) for code in matrix.group_codes}
    st.markdown(f"**{context.t('groups.section_regencies')}**")
    _render_heatmap(context, cells, tuple(code for code in matrix.region_codes if code != province), group_names,
                    WidgetKeys.GROUP_MATRIX)
    st.markdown(f"**{context.t('groups.section_province')}**")
    province_rows = (province, TOTAL_ROW) if province in matrix.region_codes else (TOTAL_ROW,)
    _render_heatmap(context, cells, province_rows, group_names, WidgetKeys.GROUP_MATRIX_PROVINCE)


def render_group_needs(context: PageContext, data: GroupData, matrix: GroupMatrix, groups: GroupRegistry) -> None:
    """The province's totals per group, the people not yet protected, what protecting them costs, who pays."""
    st.subheader(context.t("groups.needs_heading"))
    split = FundingSplit()
    needs = [group_need(data, matrix.period, groups.get(code), split=split) for code in matrix.group_codes]
    table = tables.group_needs_table(matrix.totals, needs, groups, lang=context.lang)
    st.dataframe(tables.shown(table, context.lang), hide_index=True, width="stretch")
    render_table_downloads(context, table, key="download.groups")
    notes = [split.describe(context.lang), context.t("groups.package_basis")]
    if any(groups.get(need.group_code).cost_rule == "adhoc_months" for need in needs):
        notes.append(context.t("groups.adhoc_cover"))
    for need in needs:
        if need.unknown_body:
            longest = months_of_cover(groups.get(need.group_code))[""]
            notes.append(context.t("groups.adhoc_unknown_body", months=fmt.number(longest, context.lang)))
    st.caption("  \n".join(notes))


def render_region_choice(context: PageContext, matrix: GroupMatrix) -> str | None:
    """The region whose groups are open: chosen here or by a click on the matrix (both write the same key)."""
    if st.session_state[Keys.GROUP_REGION] not in matrix.region_codes:
        st.session_state[Keys.GROUP_REGION] = None
    st.session_state[WidgetKeys.GROUP_REGION] = st.session_state[Keys.GROUP_REGION]
    st.selectbox(context.t("groups.region_choice"), options=list(matrix.region_codes), index=None,
                 format_func=lambda code: region_name(context, code), key=WidgetKeys.GROUP_REGION,
                 placeholder=context.t("groups.region_placeholder"), on_change=_keep_region_choice)
    return st.session_state[Keys.GROUP_REGION]


def _keep_region_choice() -> None:
    st.session_state[Keys.GROUP_REGION] = st.session_state[WidgetKeys.GROUP_REGION]


def _funder_names(context: PageContext, funders: pd.Series, groups: GroupRegistry) -> str:
    """The distinct funders of a group's rows in order, "unknown" for a row that names none."""
    return ", ".join(dict.fromkeys(groups.funder(code).name(context.lang) if code else context.t("groups.unknown")
                                   for code in funders))


def render_region_groups(context: PageContext, data: GroupData, matrix: GroupMatrix, groups: GroupRegistry,
                         region: str) -> None:
    """One region's groups: eligible, registered, unprotected, funders, months funded and source notes."""
    st.subheader(context.t("groups.panel_heading", region=region_name(context, region)))
    rows = data.frame[(data.frame["period"] == matrix.period) & (data.frame["region_code"] == region)]
    if rows.empty:
        st.info(context.t("groups.no_groups"))
        return
    lang = context.lang
    for code in matrix.group_codes:
        cell = matrix.cell(region, code)
        if cell is None:
            continue
        group_rows = rows[rows["group_code"] == code]
        with st.container(border=True):
            title, badge = st.columns([4, 1], vertical_alignment="center")
            title.markdown(f"**{groups.get(code).name(lang)}**")
            if group_rows["source_note"].str.contains(ILLUSTRATION_MARK, case=False).any():
                badge.badge(context.t("groups.illustration"), icon=":material/science:", color="orange")
            eligible, registered, unprotected = st.columns(3)
            eligible.metric(context.t("groups.eligible"), fmt.number(int(cell["eligible"]), lang))
            registered.metric(context.t("groups.registered"), fmt.number(int(cell["registered"]), lang),
                              fmt.percent(cell["share"], lang), delta_color="off", delta_arrow="off")
            unprotected.metric(context.t("groups.unprotected"), fmt.number(int(cell["unprotected"]), lang))
            months = group_rows["months_funded"].dropna()
            st.markdown(
                f"{context.t('groups.funders')}: "
                f"{_funder_names(context, group_rows['funder'], groups)}"
                f" · {context.t('groups.months_funded')}: "
                f"{', '.join(fmt.number(int(value), lang) for value in dict.fromkeys(months)) or fmt.MISSING}")
            for note in dict.fromkeys(group_rows["source_note"]):
                st.caption(f"{context.t('groups.source_note')}: {note}")
