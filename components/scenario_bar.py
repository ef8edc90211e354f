"""The scenario bar on the simulator: the open scenario (the data its figures are computed on, its original figures,
save changes, re-base, close) and a form to save what the simulator holds as a new scenario."""

from __future__ import annotations

import streamlit as st

from components.auth import current_user, render_editor_only
from components.context import PageContext
from components.data_source import run_on_store
from components.scenario_comparison import render_original_figures
from components.scenario_session import current_body, remember_open, render_notice, write_scenario
from components.state import Keys, WidgetKeys
from components.text import escape_markdown
from monev.scenario import Scenario
from monev.sentences import basis_line
from monev.store import Store, StoreUnavailable


def _save_new(context: PageContext) -> None:
    version = context.source.version
    if version is None:  # the button is disabled then: nothing to build a scenario on
        return
    name = st.session_state[WidgetKeys.SCENARIO_NAME].strip() or context.t("scenario.untitled")
    note = st.session_state[WidgetKeys.SCENARIO_NOTE].strip()
    scenario = write_scenario(context, lambda store: store.save_scenario(
        name=name, body=current_body(), dataset_version_id=version.id, period=context.period,
        author=current_user(), note=note), lambda saved: context.t("scenario.saved", name=saved.name))
    if scenario is not None:
        remember_open(scenario)


def _save_changes(context: PageContext, rebase: bool = False) -> None:
    """Save what the simulator holds into the open scenario; ``rebase``: on the active version and the period shown,
    so that its basis becomes the data it is shown on."""
    opened = st.session_state[Keys.SCENARIO]
    body, rebase_to = current_body(), context.source.version if rebase else None

    def update(store: Store) -> Scenario:
        if rebase_to is None:
            return store.update_scenario(opened["id"], expected_version=opened["version"], actor=current_user(),
                                         body=body)
        return store.update_scenario(opened["id"], expected_version=opened["version"], actor=current_user(),
                                     body=body, dataset_version_id=rebase_to.id, period=context.period)

    scenario = write_scenario(context, update, lambda updated: context.t(
        "scenario.updated", name=updated.name, version=updated.version), opened["name"])
    if scenario is not None:
        remember_open(scenario)


def _render_original(context: PageContext, scenario_id: str) -> None:
    """The open scenario's original figures, from its stored revision (nothing when it is gone or unreachable)."""
    try:
        scenario = run_on_store(lambda store: store.scenario(scenario_id))
    except (LookupError, StoreUnavailable):
        return
    render_original_figures(context, scenario)


def _close_scenario() -> None:
    st.session_state[Keys.SCENARIO] = None


def render_scenario_bar(context: PageContext) -> None:
    """The open scenario and what can be done with it, then the form to save a new one (editors only)."""
    t = context.t
    render_notice()
    opened = st.session_state[Keys.SCENARIO]
    read_only = not context.source.available
    can_edit = current_user().can_edit
    if opened:
        st.markdown(t("scenario.open_line", name=f"**{escape_markdown(opened['name'])}**", version=opened["version"]))
        version = context.source.version
        built_on = (opened["dataset_version_id"], opened["period"])
        shown_on = (version.id if version else None, context.period)
        st.info(t("scenario.basis_line", basis=basis_line(built_on, shown_on, context.lang)),
                icon=":material/database:")
        if built_on != shown_on:
            _render_original(context, opened["id"])
            if can_edit and version is not None:
                st.button(t("scenario.rebase"), key=WidgetKeys.SCENARIO_REBASE, on_click=_save_changes,
                          args=(context, True), disabled=read_only)
        save, close = st.columns(2)
        if can_edit:
            save.button(t("scenario.save_changes"), key=WidgetKeys.SCENARIO_SAVE, type="primary",
                        on_click=_save_changes, args=(context,), disabled=read_only, icon=":material/save:")
        close.button(t("scenario.close"), key=WidgetKeys.SCENARIO_CLOSE, on_click=_close_scenario,
                     icon=":material/close:")
    if not can_edit:
        render_editor_only(context.lang, "auth.editor_only_scenarios")
        return
    name, note, button = st.columns([2, 3, 1.4], vertical_alignment="bottom")
    name.text_input(t("scenario.name"), key=WidgetKeys.SCENARIO_NAME, max_chars=200)
    note.text_input(t("scenario.note"), key=WidgetKeys.SCENARIO_NOTE, max_chars=1000)
    button.button(t("scenario.save_new"), key=WidgetKeys.SCENARIO_SAVE_NEW, on_click=_save_new, args=(context,),
                  disabled=read_only or context.source.version is None, icon=":material/bookmark_add:")
