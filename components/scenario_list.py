"""The scenarios page's list: the table of saved scenarios, and open / duplicate / rename / delete of the one chosen."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import NamedTuple

import pandas as pd
import pyarrow as pa
import streamlit as st

from components.auth import current_user, render_editor_only
from components.caching import cached
from components.context import PageContext
from components.data_panels import arrow_table
from components.scenario_session import load_into_simulator, write_scenario
from components.state import Keys, WidgetKeys
from monev import fmt, i18n
from monev.scenario import Scenario
from monev.sentences import basis_line


def scenario_labels(scenarios: list[Scenario]) -> dict[str, str]:
    """A label per scenario id: its name, with a short id where two scenarios share a name (Streamlit widgets
    tell options apart by their labels)."""
    counts = Counter(s.name for s in scenarios)
    return {s.id: f"{s.name} (#{s.id[:6]})" if counts[s.name] > 1 else s.name for s in scenarios}


class ListKey(NamedTuple):
    """What the list shows: each scenario's (id, revision) — a revision fixes everything shown of it —, the data
    version and period the page shows (each scenario's basis is said against them), and the language."""

    revisions: tuple[tuple[str, int], ...]
    shown_on: tuple[int | None, str]
    lang: str


def scenario_table(context: PageContext, scenarios: list[Scenario]) -> pa.Table:
    """The list of saved scenarios, as st.dataframe draws it."""
    shown_on = (context.source.version.id if context.source.version else None, context.period)
    return _scenario_table(ListKey(tuple((s.id, s.version) for s in scenarios), shown_on, context.lang),
                           scenarios=scenarios)


@cached(shared=False)
def _scenario_table(key: ListKey, *, scenarios: list[Scenario]) -> pa.Table:
    lang = key.lang

    def t(text_key: str) -> str:
        return i18n.t(text_key, lang)

    return arrow_table(pd.DataFrame({
        t("scenario.name"): [s.name for s in scenarios],
        t("scenario.author"): [s.author for s in scenarios],
        t("scenario.changed_at"): [fmt.moment(s.updated_at, lang) for s in scenarios],
        t("scenario.basis"): [basis_line((s.dataset_version_id, s.period), key.shown_on, lang) for s in scenarios],
        t("scenario.version"): [s.version for s in scenarios],
        t("scenario.note"): [s.note for s in scenarios],
        "id": [s.id for s in scenarios],
    }))


def _chosen(scenarios: list[Scenario]) -> Scenario | None:
    chosen = st.session_state.get(WidgetKeys.SCENARIO_CHOICE)
    return next((s for s in scenarios if s.id == chosen), None)


def _open_chosen(scenarios: list[Scenario]) -> None:
    scenario = _chosen(scenarios)
    if scenario is not None:
        load_into_simulator(scenario)
        st.session_state[Keys.OPEN_SIMULATOR] = True


def _duplicate_chosen(context: PageContext, scenarios: list[Scenario]) -> None:
    scenario = _chosen(scenarios)
    if scenario is None:
        return
    name = context.t("scenario.copy_of", name=scenario.name)
    write_scenario(context, lambda store: store.duplicate_scenario(scenario.id, name=name, actor=current_user()),
                   lambda _: context.t("scenario.duplicated", name=name))


def _rename_chosen(context: PageContext, scenarios: list[Scenario]) -> None:
    scenario = _chosen(scenarios)
    new_name = st.session_state[WidgetKeys.SCENARIO_RENAME_TO].strip()
    if scenario is None or not new_name:
        return
    renamed = write_scenario(context, lambda store: store.rename_scenario(
        scenario.id, new_name, expected_version=scenario.version, actor=current_user()),
        lambda _: context.t("scenario.renamed", name=new_name), scenario.name)
    opened = st.session_state[Keys.SCENARIO]
    if renamed is not None and opened and opened["id"] == scenario.id:
        # Renaming is a change too: the open copy must know the new revision, or its own next save would conflict.
        opened.update(name=renamed.name, version=renamed.version)


def _delete_chosen(context: PageContext, scenarios: list[Scenario]) -> None:
    scenario = _chosen(scenarios)
    if scenario is None:
        return
    write_scenario(context, lambda store: store.delete_scenario(scenario.id, expected_version=scenario.version,
                                                                actor=current_user()),
                   lambda _: context.t("scenario.deleted", name=scenario.name), scenario.name)
    opened = st.session_state[Keys.SCENARIO]
    if opened and opened["id"] == scenario.id:
        st.session_state[Keys.SCENARIO] = None


def render_scenario_actions(context: PageContext, scenarios: list[Scenario],
                            render_chosen: Callable[[PageContext, Scenario], None]) -> None:
    """Pick a scenario, see it (``render_chosen``), then open it in the simulator, duplicate, rename or delete it."""
    t = context.t
    read_only = not context.source.available
    labels = scenario_labels(scenarios)
    authors = {s.id: s.author for s in scenarios}
    st.selectbox(t("scenario.choose"), options=[s.id for s in scenarios], key=WidgetKeys.SCENARIO_CHOICE,
                 format_func=lambda sid: f"{labels[sid]} · {authors[sid]}")
    chosen = _chosen(scenarios)
    if chosen is not None:
        render_chosen(context, chosen)
    open_column, duplicate_column, delete_column = st.columns(3)
    open_column.button(t("scenario.open"), key=WidgetKeys.SCENARIO_OPEN, type="primary", icon=":material/open_in_new:",
                       on_click=_open_chosen, args=(scenarios,))
    if not current_user().can_edit:
        render_editor_only(context.lang, "auth.editor_only_scenarios")
        return
    duplicate_column.button(t("scenario.duplicate"), key=WidgetKeys.SCENARIO_DUPLICATE, icon=":material/content_copy:",
                            on_click=_duplicate_chosen, args=(context, scenarios), disabled=read_only)
    delete_column.button(t("scenario.delete"), key=WidgetKeys.SCENARIO_DELETE, icon=":material/delete:",
                         on_click=_delete_chosen, args=(context, scenarios), disabled=read_only)
    rename_to, rename = st.columns([3, 1], vertical_alignment="bottom")
    rename_to.text_input(t("scenario.rename_to"), key=WidgetKeys.SCENARIO_RENAME_TO, max_chars=200)
    rename.button(t("scenario.rename"), key=WidgetKeys.SCENARIO_RENAME, on_click=_rename_chosen,
                  args=(context, scenarios), disabled=read_only, icon=":material/edit:")
