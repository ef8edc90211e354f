"""Saved scenarios: save and reopen the simulator's state, the scenario bar on the simulator, the list, the
comparison of 2–4 scenarios. Every write goes through the store and tells the user what happened."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import NamedTuple

import altair as alt
import pandas as pd
import pyarrow as pa
import streamlit as st

from components.auth import current_user, render_editor_only
from components.context import PageContext
from components.data_panels import arrow_table
from components.data_source import run_on_store, version_data
from components.downloads import render_chart, render_png_download, render_table_downloads
from components.state import Keys, WidgetKeys, persist
from monev import fmt, i18n, tables
from monev.access import PermissionDenied
from monev.charts import build_scenario_chart
from monev.dataset import CoverageData
from monev.indicators import region_indicators
from monev.simulation import SimulationResult, simulate_inputs
from monev.store import Scenario, ScenarioBody, ScenarioConflict, ScenarioNotFound, StoreUnavailable

MAX_COMPARED = 4


def current_body() -> ScenarioBody:
    table = st.session_state[Keys.SIM_TABLE]
    rows = tuple(table.to_dict("records")) if table is not None else ()
    return ScenarioBody(mode=st.session_state[Keys.SIM_MODE], inputs=rows,
                        parameters=st.session_state[Keys.SIM_PARAMETERS],
                        allocation=dict(st.session_state[Keys.SIM_ALLOCATION]))


def load_into_simulator(scenario: Scenario) -> None:
    """Put a saved scenario into this session's simulator (table, mode, costs, allocation settings)."""
    body = scenario.body
    st.session_state[Keys.SIM_TABLE] = body.input_frame() if body.inputs else None
    st.session_state[Keys.SIM_MODE] = body.mode
    st.session_state[Keys.SIM_PARAMETERS] = body.parameters
    remembered = dict(st.session_state[Keys.SIM_ALLOCATION])
    remembered.update({key: body.allocation[key] for key in ("budget", "strategy", "target_pct")
                       if key in body.allocation})
    st.session_state[Keys.SIM_ALLOCATION] = remembered
    st.session_state[Keys.SIM_EDITOR_GENERATION] += 1
    st.session_state[Keys.PERIOD] = scenario.period  # setup_page falls back to the latest month if it is gone
    for widget in (WidgetKeys.SIM_COST, WidgetKeys.SIM_MONTHS, WidgetKeys.SIM_SHARE, WidgetKeys.SIM_CEILING,
                   WidgetKeys.ALLOC_BUDGET, WidgetKeys.ALLOC_STRATEGY, WidgetKeys.ALLOC_TARGET):
        st.session_state.pop(widget, None)  # redrawn from the scenario, not from what was typed before
    remember_open(scenario)


def remember_open(scenario: Scenario) -> None:
    st.session_state[Keys.SCENARIO] = {"id": scenario.id, "version": scenario.version, "name": scenario.name,
                                       "dataset_version_id": scenario.dataset_version_id,
                                       "period": scenario.period}


def open_scenario(scenario_id: str, lang: str) -> bool:
    """Load scenario ``scenario_id``; a missing one or an unreachable database leaves a notice instead."""
    try:
        scenario = run_on_store(lambda store: store.scenario(scenario_id))
    except ScenarioNotFound:
        st.session_state[Keys.SCENARIO_NOTICE] = ("warning", i18n.t("scenario.not_found", lang, id=scenario_id))
        return False
    except StoreUnavailable:
        st.session_state[Keys.SCENARIO_NOTICE] = ("error", i18n.t("store.unavailable_action", lang))
        return False
    load_into_simulator(scenario)
    return True


def _notify(kind: str, text: str) -> None:
    st.session_state[Keys.SCENARIO_NOTICE] = (kind, text)


def _refusal(context: PageContext, refused: StoreUnavailable | PermissionDenied) -> str:
    """Why a write did not happen: the database is unreachable, or this session may not write."""
    return context.t("auth.denied" if isinstance(refused, PermissionDenied) else "store.unavailable_action")


def _save_new(context: PageContext) -> None:
    name = st.session_state[WidgetKeys.SCENARIO_NAME].strip() or context.t("scenario.untitled")
    note = st.session_state[WidgetKeys.SCENARIO_NOTE].strip()
    version = context.source.version
    try:
        scenario = run_on_store(lambda store: store.save_scenario(
            name=name, body=current_body(), dataset_version_id=version.id, period=context.period,
            author=current_user(), note=note))
    except (StoreUnavailable, PermissionDenied) as refused:
        _notify("error", _refusal(context, refused))
        return
    remember_open(scenario)
    _notify("success", context.t("scenario.saved", name=scenario.name))


def _save_changes(context: PageContext, rebase: bool = False) -> None:
    opened = st.session_state[Keys.SCENARIO]
    changes: dict[str, object] = {"body": current_body()}
    if rebase:
        changes.update(dataset_version_id=context.source.version.id, period=context.data.latest_period)
    try:
        scenario = run_on_store(lambda store: store.update_scenario(
            opened["id"], expected_version=opened["version"], actor=current_user(), **changes))
    except ScenarioConflict as conflict:
        _notify("error", context.t("scenario.conflict", name=opened["name"], found=conflict.found,
                                   expected=conflict.expected))
        return
    except ScenarioNotFound:
        _notify("warning", context.t("scenario.not_found", id=opened["id"]))
        st.session_state[Keys.SCENARIO] = None
        return
    except (StoreUnavailable, PermissionDenied) as refused:
        _notify("error", _refusal(context, refused))
        return
    remember_open(scenario)
    if rebase:
        st.session_state[Keys.PERIOD] = scenario.period
    _notify("success", context.t("scenario.updated", name=scenario.name, version=scenario.version))


def _close_scenario() -> None:
    st.session_state[Keys.SCENARIO] = None


def render_notice() -> None:
    notice = st.session_state[Keys.SCENARIO_NOTICE]
    if notice:
        kind, text = notice
        getattr(st, kind)(text)
        st.session_state[Keys.SCENARIO_NOTICE] = None


def render_scenario_bar(context: PageContext) -> None:
    """On the simulator: the open scenario (save changes, save as new, re-base, close) or a form to save one."""
    t = context.t
    render_notice()
    opened = st.session_state[Keys.SCENARIO]
    read_only = not context.source.available
    can_edit = current_user().can_edit
    if opened:
        st.markdown(t("scenario.open_line", name=f"**{_escape(opened['name'])}**", version=opened["version"]))
        if context.source.version and opened["dataset_version_id"] != context.source.version.id:
            st.warning(t("scenario.older_version", built=opened["dataset_version_id"],
                         active=context.source.version.id), icon=":material/history:")
            if can_edit:
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


def _escape(text: str) -> str:
    from components.text import escape_markdown

    return escape_markdown(text)


class ScenarioResultKey(NamedTuple):
    """What a saved scenario's result depends on: the scenario's revision (its body never changes within one), the
    checksum of the data it was built on, and the national average."""

    scenario_id: str
    scenario_version: int
    data_checksum: str
    national_rate: float


def scenario_results(context: PageContext, scenario: Scenario) -> SimulationResult:
    """The simulation of a saved scenario on the dataset version and period it was built on."""
    key, scenario, data = _result_key(context, scenario)
    return _scenario_result(repr(key), _key=key, _scenario=scenario, _data=data)


def _result_key(context: PageContext, scenario: Scenario) -> tuple[ScenarioResultKey, Scenario, CoverageData]:
    """The arguments of ``_scenario_result`` for ``scenario`` on this page."""
    data = version_data(scenario.dataset_version_id)
    return ScenarioResultKey(scenario.id, scenario.version, data.checksum, context.national_rate), scenario, data


# The caches below are keyed by the repr of their key (plain values, stable, naming every value): Streamlit hashes a
# string some 25 times faster than a tuple of the same values. A result is a resource, shared rather than unpickled
# again on every call: nothing modifies it.


@st.cache_resource(show_spinner=False, max_entries=64, ttl="1h")
def _scenario_result(key_repr: str, _key: ScenarioResultKey, _scenario: Scenario,
                     _data: CoverageData) -> SimulationResult:
    period = _scenario.period if _scenario.period in _data.periods else _data.latest_period
    baseline = region_indicators(_data, period, _key.national_rate)
    body = _scenario.body
    inputs = body.input_frame()
    known = inputs[inputs["region_code"].isin(baseline["region_code"])]
    result, _ = simulate_inputs(baseline, mode=body.mode, inputs=known, parameters=body.parameters,
                                national_rate=_key.national_rate)
    return result


def scenario_labels(scenarios: list[Scenario]) -> dict[str, str]:
    """A label per scenario id: its name, with a short id where two scenarios share a name (Streamlit widgets
    tell options apart by their labels)."""
    counts = Counter(s.name for s in scenarios)
    return {s.id: f"{s.name} (#{s.id[:6]})" if counts[s.name] > 1 else s.name for s in scenarios}


def comparison_table(context: PageContext, compared: list[tuple[Scenario, object]],
                     labels: dict[str, str]) -> pd.DataFrame:
    """Side by side: provincial coverage, regions at national and at target, yearly cost."""
    t, lang = context.t, context.lang
    rows = {}
    for scenario, result in compared:
        regions = result.regions
        at_target = int((regions["rate_after"] >= regions["target_rate"]).sum())
        rows[labels[scenario.id]] = {
            t("scenario.cmp_coverage"): fmt.percent(result.rate_after, lang),
            t("scenario.cmp_change"): fmt.points(result.change_points, lang),
            t("scenario.cmp_national"): t("kpi.regions_value", count=result.regions_at_national_after,
                                          total=result.region_count),
            t("scenario.cmp_target"): t("kpi.regions_value", count=at_target, total=result.region_count)
            if regions["target_rate"].notna().any() else fmt.MISSING,
            t("scenario.cmp_added"): fmt.number(result.participants_added, lang),
            t("scenario.cmp_cost"): fmt.rupiah(result.cost_idr_per_year, lang),
            t("scenario.cmp_per_point"): fmt.rupiah(result.cost_idr_per_point, lang),
            t("scenario.cmp_basis"): t("scenario.cmp_basis_value", version=scenario.dataset_version_id,
                                       period=fmt.month(scenario.period, lang)),
        }
    return pd.DataFrame(rows)


@st.cache_data(show_spinner=False, max_entries=64, ttl="1h")
def _comparison_tables(key_repr: str, _context: PageContext,
                       _compared: Callable[[], list[tuple[Scenario, SimulationResult]]],
                       _labels: dict[str, str]) -> tuple[pa.Table, tables.ExportTable]:
    """(the table shown, the table downloaded) comparing the scenarios ``_compared`` gives; ``key_repr`` is that of
    (their labels and result keys, language)."""
    compared = _compared()
    return (arrow_table(comparison_table(_context, compared, _labels)),
            tables.comparison_table([(_labels[scenario.id], result) for scenario, result in compared],
                                    lang=_context.lang))


def render_comparison(context: PageContext, scenarios: list[Scenario]) -> None:
    t = context.t
    ids = [s.id for s in scenarios]
    st.session_state[WidgetKeys.SCENARIO_COMPARE] = [sid for sid in st.session_state[Keys.COMPARED] if sid in ids]
    labels = scenario_labels(scenarios)
    chosen = st.multiselect(t("scenario.compare"), options=ids, max_selections=MAX_COMPARED,
                            format_func=labels.get,
                            key=WidgetKeys.SCENARIO_COMPARE, placeholder=t("scenario.compare_placeholder"),
                            on_change=persist, args=(WidgetKeys.SCENARIO_COMPARE, Keys.COMPARED))
    if len(chosen) < 2:
        st.caption(t("scenario.compare_hint", most=MAX_COMPARED))
        return
    by_id = {s.id: s for s in scenarios}
    arguments = [_result_key(context, by_id[sid]) for sid in chosen]

    def compared() -> list[tuple[Scenario, SimulationResult]]:
        """The scenarios and their results: needed only when the table or the chart is not cached yet."""
        return [(scenario, _scenario_result(repr(key), _key=key, _scenario=scenario, _data=data))
                for key, scenario, data in arguments]

    # The labels and result keys name everything the table and chart show (a scenario's basis is in its revision).
    shown = tuple((labels[key.scenario_id], key) for key, _, _ in arguments)
    table, download = _comparison_tables(repr((shown, context.lang)), _context=context, _compared=compared,
                                         _labels=labels)
    st.dataframe(table, width="stretch")
    render_table_downloads(context, download, key="download.comparison")

    def build() -> alt.LayerChart:
        results = compared()
        frames = [pd.DataFrame({"scenario": labels[scenario.id], "region": result.regions["region_name"],
                                "rate": result.regions["rate_after"]}) for scenario, result in results]
        today = results[0][1].regions
        frames.insert(0, pd.DataFrame({"scenario": t("sim.map_today"), "region": today["region_name"],
                                       "rate": today["rate"]}))
        return build_scenario_chart(pd.concat(frames), national_rate=context.national_rate, lang=context.lang)

    render_chart(build, chart_key=("scenario_comparison", repr(shown), context.lang))
    render_png_download(context, build, kind_key="comparison", key="download.comparison_png")


def scenario_table(context: PageContext, scenarios: list[Scenario]) -> pa.Table:
    """The list of saved scenarios, as st.dataframe draws it."""
    revisions = tuple((s.id, s.version) for s in scenarios)
    return _scenario_table(repr(revisions), context.lang, _context=context, _scenarios=scenarios)


@st.cache_data(show_spinner=False, max_entries=64, ttl="1h")
def _scenario_table(revisions_repr: str, lang: str, _context: PageContext, _scenarios: list[Scenario]) -> pa.Table:
    """The table of ``_scenarios``, whose (id, revision) pairs are ``revisions_repr``: a revision fixes everything
    the table shows of a scenario."""
    t, scenarios = _context.t, _scenarios
    return arrow_table(pd.DataFrame({
        t("scenario.name"): [s.name for s in scenarios],
        t("scenario.author"): [s.author for s in scenarios],
        t("scenario.changed_at"): [f"{s.updated_at:%d-%m-%Y %H:%M}" for s in scenarios],
        t("scenario.basis"): [t("scenario.cmp_basis_value", version=s.dataset_version_id,
                                period=fmt.month(s.period, lang)) for s in scenarios],
        t("scenario.version"): [s.version for s in scenarios],
        t("scenario.note"): [s.note for s in scenarios],
        "id": [s.id for s in scenarios],
    }))


def _chosen(scenarios: list[Scenario]) -> Scenario | None:
    chosen = st.session_state.get(WidgetKeys.SCENARIO_CHOICE)
    return next((s for s in scenarios if s.id == chosen), None)


def _open_chosen(context: PageContext, scenarios: list[Scenario]) -> None:
    scenario = _chosen(scenarios)
    if scenario is not None:
        load_into_simulator(scenario)
        st.session_state[Keys.OPEN_SIMULATOR] = True


def _duplicate_chosen(context: PageContext, scenarios: list[Scenario]) -> None:
    scenario = _chosen(scenarios)
    if scenario is None:
        return
    name = context.t("scenario.copy_of", name=scenario.name)
    _write(context, lambda store: store.duplicate_scenario(scenario.id, name=name, actor=current_user()),
           context.t("scenario.duplicated", name=name))


def _rename_chosen(context: PageContext, scenarios: list[Scenario]) -> None:
    scenario = _chosen(scenarios)
    new_name = st.session_state[WidgetKeys.SCENARIO_RENAME_TO].strip()
    if scenario is None or not new_name:
        return
    renamed = _write(context, lambda store: store.rename_scenario(
        scenario.id, new_name, expected_version=scenario.version, actor=current_user()),
        context.t("scenario.renamed", name=new_name), scenario)
    opened = st.session_state[Keys.SCENARIO]
    if renamed is not None and opened and opened["id"] == scenario.id:
        # Renaming is a change too: the open copy must know the new revision, or its own next save would conflict.
        opened.update(name=renamed.name, version=renamed.version)


def _delete_chosen(context: PageContext, scenarios: list[Scenario]) -> None:
    scenario = _chosen(scenarios)
    if scenario is None:
        return
    _write(context, lambda store: store.delete_scenario(scenario.id, expected_version=scenario.version,
                                                        actor=current_user()),
           context.t("scenario.deleted", name=scenario.name), scenario)
    opened = st.session_state[Keys.SCENARIO]
    if opened and opened["id"] == scenario.id:
        st.session_state[Keys.SCENARIO] = None


def _write(context: PageContext, action, success: str, scenario: Scenario | None = None):
    """Run a store action, leave a notice saying how it went, and return its result (None if it failed)."""
    try:
        result = run_on_store(action)
    except ScenarioConflict as conflict:
        _notify("error", context.t("scenario.conflict", name=scenario.name if scenario else "",
                                   found=conflict.found, expected=conflict.expected))
    except ScenarioNotFound as missing:
        _notify("warning", context.t("scenario.not_found", id=str(missing)))
    except (StoreUnavailable, PermissionDenied) as refused:
        _notify("error", _refusal(context, refused))
    else:
        _notify("success", success)
        return result
    return None


def render_scenario_actions(context: PageContext, scenarios: list[Scenario]) -> None:
    """Pick a scenario, then open it in the simulator, duplicate, rename or delete it."""
    t = context.t
    read_only = not context.source.available
    labels = scenario_labels(scenarios)
    st.selectbox(t("scenario.choose"), options=[s.id for s in scenarios], key=WidgetKeys.SCENARIO_CHOICE,
                 format_func=lambda sid: f"{labels[sid]} · {next(s.author for s in scenarios if s.id == sid)}")
    open_column, duplicate_column, delete_column = st.columns(3)
    open_column.button(t("scenario.open"), key=WidgetKeys.SCENARIO_OPEN, type="primary", icon=":material/open_in_new:",
                       on_click=_open_chosen, args=(context, scenarios))
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
