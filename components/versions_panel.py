"""Dataset versions on the data page: the list, re-activation (rollback), what changed, and the audit log."""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd
import pyarrow as pa
import streamlit as st

from components.auth import current_user, render_editor_only
from components.caching import cached
from components.context import PageContext
from components.data_panels import arrow_table
from components.data_source import configured_url, run_on_store, write_on_store
from components.state import Keys, WidgetKeys
from monev import fmt, i18n
from monev.month_update import VersionDiff
from monev.store import DatasetVersion, StoreUnavailable


def _activate(context: PageContext) -> None:
    version_id = st.session_state[WidgetKeys.VERSION_CHOICE]
    _, refusal = write_on_store(lambda store: store.activate(version_id, current_user()))
    if refusal is not None:
        st.session_state[Keys.VERSION_NOTICE] = ("error", context.t(refusal))
        return
    st.session_state[Keys.VERSION_NOTICE] = ("success", context.t("versions.activated", id=version_id))


def render_versions(context: PageContext) -> None:
    t, lang = context.t, context.lang
    st.subheader(t("versions.title"))
    notice = st.session_state[Keys.VERSION_NOTICE]
    if notice:
        getattr(st, notice[0])(notice[1])
        st.session_state[Keys.VERSION_NOTICE] = None
    active = context.source.version.id if context.source.version else None
    try:
        stamp = run_on_store(lambda store: store.change_stamp())
        versions, table = _versions(StoreViewKey(configured_url(), stamp, active, lang))
    except StoreUnavailable:
        st.info(t("store.unavailable_list"), icon=":material/cloud_off:")
        return
    st.dataframe(table, hide_index=True, width="stretch")
    if not current_user().can_edit:
        render_editor_only(lang, "auth.editor_only_versions")
    else:
        _render_activation(context, versions, active)
    if len(versions) >= 2:
        _render_diff(context, [v.id for v in versions])


class StoreViewKey(NamedTuple):
    """What a list read from the store shows: the database, its change stamp, the active version, the language.

    Every upload is in the audit log, so the store's change stamp (its newest audit entry) changes whenever the list
    of versions or the log does: with the database, it is a complete key for both, read with one cheap query."""

    url: str
    change_stamp: int
    active: int | None
    lang: str


class DiffKey(NamedTuple):
    """Two dataset versions of a database: versions never change, so this names their diff."""

    url: str
    old_id: int
    new_id: int


@cached(shared=False)
def _versions(key: StoreViewKey) -> tuple[list[DatasetVersion], pa.Table]:
    """Every dataset version, newest first, and the table that lists them."""
    versions = run_on_store(lambda store: store.dataset_versions())
    active, lang = key.active, key.lang

    def t(text_key: str) -> str:
        return i18n.t(text_key, lang)

    return versions, arrow_table(pd.DataFrame({
        t("versions.id"): [v.id for v in versions],
        t("versions.active"): ["●" if v.id == active else "" for v in versions],
        t("versions.file"): [v.file_name for v in versions],
        t("versions.periods"): [f"{fmt.month(v.period_first, lang, True)} – {fmt.month(v.period_last, lang, True)}"
                                for v in versions],
        t("versions.rows"): [fmt.number(v.row_count, lang) for v in versions],
        t("versions.by"): [v.created_by for v in versions],
        t("versions.at"): [fmt.moment(v.created_at, lang) for v in versions],
        t("versions.note"): [v.note for v in versions],
        "SHA-256": [v.checksum[:12] for v in versions],
    }))


def _render_activation(context: PageContext, versions: list[DatasetVersion], active: int | None) -> None:
    t = context.t
    choice, button = st.columns([3, 1], vertical_alignment="bottom")
    choice.selectbox(t("versions.choose"), options=[v.id for v in versions], key=WidgetKeys.VERSION_CHOICE,
                     format_func=lambda vid: t("versions.option", id=vid,
                                               name=next(v.file_name for v in versions if v.id == vid)))
    button.button(t("versions.activate"), key=WidgetKeys.VERSION_ACTIVATE, on_click=_activate, args=(context,),
                  disabled=not context.source.available or st.session_state.get(WidgetKeys.VERSION_CHOICE) == active,
                  icon=":material/restore:")


def _render_diff(context: PageContext, version_ids: list[int]) -> None:
    t = context.t
    with st.expander(t("versions.diff_title"), icon=":material/difference:"):
        old_column, new_column = st.columns(2)
        old = old_column.selectbox(t("versions.diff_from"), options=version_ids, index=1, key=WidgetKeys.DIFF_FROM)
        new = new_column.selectbox(t("versions.diff_to"), options=version_ids, index=0, key=WidgetKeys.DIFF_TO)
        try:
            diff = _version_diff(DiffKey(configured_url(), old, new))
        except StoreUnavailable:
            st.info(t("store.unavailable_list"), icon=":material/cloud_off:")
            return
        names = context.registry.display_name
        parts = [fmt.counted("versions.diff_values", diff.changed_values, context.lang)]
        if diff.periods_added:
            parts.append(t("versions.diff_periods_added", periods=", ".join(diff.periods_added)))
        if diff.periods_removed:
            parts.append(t("versions.diff_periods_removed", periods=", ".join(diff.periods_removed)))
        if diff.regions_added:
            parts.append(t("versions.diff_regions_added", regions=", ".join(map(names, diff.regions_added))))
        if diff.regions_removed:
            parts.append(t("versions.diff_regions_removed", regions=", ".join(map(names, diff.regions_removed))))
        st.markdown(" · ".join(parts))
        if not diff.changed_rows.empty:
            rows = diff.changed_rows
            st.dataframe(rows.assign(region=rows["region_code"].map(names)).drop(columns=["region_code"]),
                         hide_index=True, width="stretch")


@cached(shared=False)
def _version_diff(key: DiffKey) -> VersionDiff:
    """What changed from one version to another (both are read and checked again to find out)."""
    return run_on_store(lambda store: store.diff_versions(key.old_id, key.new_id))


def render_audit(context: PageContext) -> None:
    t = context.t
    with st.expander(t("audit.title"), icon=":material/history:"):
        try:
            stamp = run_on_store(lambda store: store.change_stamp())
            table = _audit_table(StoreViewKey(configured_url(), stamp, None, context.lang))
        except StoreUnavailable:
            st.info(t("store.unavailable_list"), icon=":material/cloud_off:")
            return
        st.dataframe(table, hide_index=True, width="stretch")


@cached(shared=False)
def _audit_table(key: StoreViewKey) -> pa.Table:
    """The newest audit entries as a table (the log only grows: its newest entry names the whole of it)."""
    entries = run_on_store(lambda store: store.audit_entries())

    def t(text_key: str) -> str:
        return i18n.t(text_key, key.lang)

    return arrow_table(pd.DataFrame({
        t("audit.at"): [fmt.moment(e.at, key.lang) for e in entries],
        t("audit.actor"): [e.actor for e in entries],
        t("audit.action"): [t(f"audit.actions.{e.action}") for e in entries],
        t("audit.object"): [f"{e.object_type} {e.object_id}" for e in entries],
        t("audit.details"): [", ".join(f"{k}={v}" for k, v in e.details.items()) for e in entries],
    }))
