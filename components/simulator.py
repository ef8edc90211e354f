"""The simulator's state and panels: the per-region input table, bulk actions, cost parameters, allocation.

The input table lives in session state (Keys.SIM_TABLE) as the single source of truth. The editor shows it and
reports edits through its on_change callback, which writes them into that table and gives the editor a fresh
key, so edits survive reruns and page switches and are never applied twice.
"""

from __future__ import annotations

import math
import weakref
from typing import NamedTuple

import pandas as pd
import streamlit as st

from components.cache import cached_region_indicators, frame_digest
from components.context import PageContext
from components.state import Keys, WidgetKeys, persist_choice, seed
from monev import fmt, simulation
from monev.allocation import STRATEGIES, Allocation, allocate
from monev.dataset import SEGMENTS, CoverageData
from monev.simulation import CostParameters, InputProblem, SimulationResult

INPUT_COLUMNS = ["region_code", "target_pct", "additional", "segment", "cap"]
DEFAULT_BULK_SHARE_PCT = 10.0


class BaselineKey(NamedTuple):
    """What the simulator's baseline depends on: data checksum, period, national average, registry order."""

    checksum: str
    period: str
    national_rate: float
    region_order: tuple[str, ...]


class SimulationKey(NamedTuple):
    """What a simulation of the typed inputs depends on: the baseline, the input mode, the ``frame_digest`` of the
    input table and the cost parameters."""

    baseline: BaselineKey
    mode: str
    inputs_digest: str
    parameters: CostParameters


def _baseline_key(context: PageContext) -> BaselineKey:
    return BaselineKey(context.data.checksum, context.period, context.national_rate, tuple(context.registry.codes))


def baseline_for(context: PageContext) -> pd.DataFrame:
    """The selected period's indicators, in registry order (the editor's row order must not change with rank)."""
    key = _baseline_key(context)
    return _baseline(repr(key), _key=key, _data=context.data)


# The caches below are keyed by the repr of a NamedTuple of plain values (stable, and it names every value): Streamlit
# hashes a string some 25 times faster than the tuple itself, which would cost more than the rest of a cache hit.
# Baselines, results and allocations are resources, shared rather than unpickled again on every call: nothing
# modifies them (what is drawn from them is derived, and pandas' copy-on-write keeps derived frames apart). The
# editor's table stays a copy, as st.data_editor is given it.


@st.cache_resource(show_spinner=False, max_entries=64, ttl="1h")
def _baseline(key_repr: str, _key: BaselineKey, _data: CoverageData) -> pd.DataFrame:
    indicators = cached_region_indicators(_key.checksum, _key.period, _key.national_rate, _data=_data)
    order = {code: position for position, code in enumerate(_key.region_order)}
    return indicators.sort_values("region_code", key=lambda codes: codes.map(order)).reset_index(drop=True)


# id(input table) -> its frame_digest. The session's input table is replaced, never changed in place, whenever an
# input changes, so each table is hashed once; the entry goes with the object.
_inputs_digests: dict[int, str] = {}


def _inputs_digest(table: pd.DataFrame) -> str:
    digest = _inputs_digests.get(id(table))
    if digest is None:
        digest = frame_digest(table)
        _inputs_digests[id(table)] = digest
        weakref.finalize(table, _inputs_digests.pop, id(table), None)
    return digest


def _simulation_key(context: PageContext, table: pd.DataFrame) -> SimulationKey:
    return SimulationKey(_baseline_key(context), st.session_state[Keys.SIM_MODE], _inputs_digest(table),
                         cost_parameters())


def _simulation(context: PageContext, baseline: pd.DataFrame) -> tuple[SimulationResult, list[InputProblem]]:
    """(result, input problems) of the simulation of what this session has typed."""
    table = inputs(baseline)
    key = _simulation_key(context, table)
    return _cached_simulation(repr(key), _key=key, _baseline=baseline, _table=table)


@st.cache_resource(show_spinner=False, max_entries=64, ttl="1h")
def _cached_simulation(key_repr: str, _key: SimulationKey, _baseline: pd.DataFrame,
                       _table: pd.DataFrame) -> tuple[SimulationResult, list[InputProblem]]:
    return simulation.simulate_inputs(_baseline, mode=_key.mode, inputs=_table, parameters=_key.parameters,
                                      national_rate=_key.baseline.national_rate)


def _empty_inputs(codes: list[str]) -> pd.DataFrame:
    return pd.DataFrame({
        "region_code": codes,
        "target_pct": [math.nan] * len(codes),
        "additional": [math.nan] * len(codes),
        "segment": [simulation.DEFAULT_SEGMENT] * len(codes),
        "cap": [math.nan] * len(codes),
    })


def inputs(baseline: pd.DataFrame) -> pd.DataFrame:
    """This session's input table, with a row for every region of the baseline."""
    codes = list(baseline["region_code"])
    table = st.session_state[Keys.SIM_TABLE]
    if table is None or list(table["region_code"]) != codes:
        kept = table.set_index("region_code") if table is not None else None
        table = _empty_inputs(codes)
        if kept is not None:  # the same regions keep what the user typed, e.g. after uploading another dataset
            table = table.set_index("region_code")
            table.update(kept.reindex(table.index))
            table = table.reset_index()
        st.session_state[Keys.SIM_TABLE] = table
    return table


def _refresh_editor() -> None:
    st.session_state[Keys.SIM_EDITOR_GENERATION] += 1


def _apply_edits(editor_key: str) -> None:
    """on_change of the editor: copy the edited cells into the input table."""
    table = st.session_state[Keys.SIM_TABLE].copy()
    for row, changes in st.session_state[editor_key]["edited_rows"].items():
        for column, value in changes.items():
            if column in INPUT_COLUMNS:
                table.at[int(row), column] = math.nan if value is None else value
    st.session_state[Keys.SIM_TABLE] = table
    _refresh_editor()


def _set_inputs(column: str, values: dict[str, float], mode: str) -> None:
    table = st.session_state[Keys.SIM_TABLE].copy()
    table[column] = table["region_code"].map(lambda code: values.get(code, math.nan))
    st.session_state[Keys.SIM_TABLE] = table
    st.session_state[Keys.SIM_MODE] = mode
    _refresh_editor()


def current_values(baseline: pd.DataFrame) -> tuple[str, dict[str, object]]:
    """(mode, the typed value per region): target rates as fractions, or additional participants."""
    mode = st.session_state[Keys.SIM_MODE]
    return mode, simulation.input_values(mode, inputs(baseline))


def current_simulation(context: PageContext, baseline: pd.DataFrame) -> SimulationResult:
    """The simulation of what this session has typed (errors left out; they are shown on the simulator page)."""
    result, _ = _simulation(context, baseline)
    return result


def cost_parameters() -> CostParameters:
    return st.session_state[Keys.SIM_PARAMETERS]


def render_mode_and_bulk(context: PageContext, baseline: pd.DataFrame) -> None:
    """Input mode and the bulk actions that fill the table in one go."""
    t = context.t
    st.session_state[WidgetKeys.SIM_MODE] = st.session_state[Keys.SIM_MODE]
    st.segmented_control(t("sim.mode"), options=simulation.MODES, format_func=lambda mode: t(f"sim.mode_{mode}"),
                         key=WidgetKeys.SIM_MODE, on_change=_persist_mode)
    all_column, national_column, share_column, reset_column = st.columns([3, 3, 3, 2], vertical_alignment="bottom")
    key = _baseline_key(context)
    codes, below, room = _bulk_arguments(repr(key), _key=key, _baseline=baseline)
    with all_column:
        seed(WidgetKeys.SIM_BULK_ALL, round(context.national_rate * 100, 1))
        level = st.number_input(t("sim.bulk_all_label"), min_value=0.0, max_value=100.0, step=1.0,
                                format="%.1f", key=WidgetKeys.SIM_BULK_ALL)
        st.button(t("sim.bulk_all", rate=fmt.percent(level / 100, context.lang)), key=WidgetKeys.SIM_BULK_ALL_GO,
                  on_click=_bulk_all, args=(codes,))
    with national_column:
        st.caption(t("sim.bulk_national_help", count=len(below)))
        st.button(t("sim.bulk_national", rate=fmt.percent(context.national_rate, context.lang)),
                  key=WidgetKeys.SIM_BULK_NATIONAL, on_click=_set_inputs,
                  args=("target_pct", {c: context.national_rate * 100 for c in below}, "target"))
    with share_column:
        seed(WidgetKeys.SIM_BULK_SHARE, DEFAULT_BULK_SHARE_PCT)
        share = st.number_input(t("sim.bulk_share_label"), min_value=0.0, max_value=100.0, step=1.0,
                                format="%.1f", key=WidgetKeys.SIM_BULK_SHARE)
        st.button(t("sim.bulk_share", share=fmt.decimal(share, context.lang)), key=WidgetKeys.SIM_BULK_SHARE_GO,
                  on_click=_bulk_share, args=(room,))
    with reset_column:
        st.button(t("sim.reset"), key=WidgetKeys.SIM_RESET, on_click=_reset, icon=":material/restart_alt:")


@st.cache_resource(show_spinner=False, max_entries=64, ttl="1h")
def _bulk_arguments(key_repr: str, _key: BaselineKey,
                    _baseline: pd.DataFrame) -> tuple[list[str], list[str], dict[str, int]]:
    """(every region, the regions below the national average, the unenrolled workers per region) of the baseline:
    what the bulk actions fill the table from."""
    below = [code for code, rate in zip(_baseline["region_code"], _baseline["rate"]) if rate < _key.national_rate]
    room = {code: int(free) for code, free in simulation.unenrolled(_baseline).items()}
    return list(_baseline["region_code"]), below, room


def _persist_mode() -> None:
    persist_choice(WidgetKeys.SIM_MODE, Keys.SIM_MODE, simulation.MODES)
    _refresh_editor()


def _bulk_all(codes: list[str]) -> None:
    # Read at click time: the number typed just before may not have been drawn yet.
    level = st.session_state[WidgetKeys.SIM_BULK_ALL]
    _set_inputs("target_pct", {code: level for code in codes}, "target")


def _bulk_share(room: dict[str, int]) -> None:
    share = st.session_state[WidgetKeys.SIM_BULK_SHARE]
    _set_inputs("additional", {code: math.floor(free * share / 100) for code, free in room.items()}, "add")


def _reset() -> None:
    st.session_state[Keys.SIM_TABLE] = None
    _refresh_editor()


def render_input_table(context: PageContext, baseline: pd.DataFrame, result: SimulationResult) -> None:
    """The editable per-region table: the active mode's column is editable, the other shows its consequence."""
    t = context.t
    table = inputs(baseline)
    key = _simulation_key(context, table)
    mode = key.mode
    shown = _editor_frame(repr(key), context.lang, _key=key, _baseline=baseline, _table=table, _result=result)
    editor_key = f"{WidgetKeys.SIM_EDITOR}.{st.session_state[Keys.SIM_EDITOR_GENERATION]}"
    segment_labels = {segment: t(f"segment.short.{segment}") for segment in SEGMENTS}
    st.data_editor(
        shown, key=editor_key, hide_index=True, width="stretch", num_rows="fixed", placeholder="–",
        on_change=_apply_edits, args=(editor_key,),
        column_config={
            "region": st.column_config.TextColumn(t("table.region"), disabled=True),
            "current": st.column_config.TextColumn(t("sim.col_current"), disabled=True),
            "room": st.column_config.TextColumn(t("sim.col_room"), disabled=True, help=t("sim.col_room_help")),
            "target_pct": st.column_config.NumberColumn(
                t("sim.col_target") if mode == "target" else t("sim.col_projected"), step=0.1, format="%.1f",
                disabled=mode != "target", help=t("sim.col_target_help")),
            "additional": st.column_config.NumberColumn(
                t("sim.col_additional"), step=1, format="%d", disabled=mode != "add",
                help=t("sim.col_additional_help")),
            "segment": st.column_config.SelectboxColumn(
                t("sim.col_segment"), options=list(SEGMENTS), required=True,
                format_func=lambda segment: segment_labels.get(segment, segment)),
            "cap": st.column_config.NumberColumn(t("sim.col_cap"), min_value=0, step=1, format="%d",
                                                 help=t("sim.col_cap_help")),
        },
    )


@st.cache_data(show_spinner=False, max_entries=64, ttl="1h")
def _editor_frame(key_repr: str, lang: str, _key: SimulationKey, _baseline: pd.DataFrame, _table: pd.DataFrame,
                  _result: SimulationResult) -> pd.DataFrame:
    """What the input editor shows: the inputs, and the consequence of the active mode's column in ``_result``."""
    mode = _key.mode
    projected = _result.regions.set_index("region_code")
    room = simulation.unenrolled(_baseline)
    return pd.DataFrame({
        "region": _baseline["region_name"],
        "current": [fmt.percent(rate, lang) for rate in _baseline["rate"]],
        "room": [fmt.number(room[code], lang) for code in _baseline["region_code"]],
        "target_pct": _table["target_pct"] if mode == "target"
        else [round(projected.at[c, "rate_after"] * 100, 1) for c in _table["region_code"]],
        "additional": _table["additional"] if mode == "add"
        else [int(projected.at[c, "additional"]) for c in _table["region_code"]],
        "segment": _table["segment"],
        "cap": _table["cap"],
    })


def render_input_problems(context: PageContext, baseline: pd.DataFrame) -> None:
    _, problems = _simulation(context, baseline)
    for problem in problems:
        if problem.severity == "error":
            st.error(problem.message(context.lang), icon=":material/error:")
        else:
            st.warning(problem.message(context.lang), icon=":material/flag:")


def render_cost_parameters(context: PageContext) -> None:
    """Cost per worker, months funded, province share and an optional ceiling, with the basis of the default."""
    t = context.t
    current = cost_parameters()
    seed(WidgetKeys.SIM_COST, int(current.cost_idr_per_month))
    seed(WidgetKeys.SIM_MONTHS, current.months_funded)
    seed(WidgetKeys.SIM_SHARE, round(current.province_share * 100))
    seed(WidgetKeys.SIM_CEILING, int(current.budget_ceiling_idr or 0))
    cost_column, months_column, share_column, ceiling_column = st.columns(4)
    cost = cost_column.number_input(t("sim.cost_per_month"), min_value=0, step=100, key=WidgetKeys.SIM_COST,
                                    help=t("sim.cost_basis"))
    months = months_column.number_input(t("sim.months"), min_value=1, max_value=12, step=1,
                                        key=WidgetKeys.SIM_MONTHS)
    share = share_column.slider(t("sim.province_share"), min_value=0, max_value=100, step=5, format="%d%%",
                                key=WidgetKeys.SIM_SHARE, help=t("sim.province_share_help"))
    ceiling = ceiling_column.number_input(t("sim.ceiling"), min_value=0, step=100_000_000,
                                          key=WidgetKeys.SIM_CEILING, help=t("sim.ceiling_help"))
    st.caption(t("sim.cost_basis_line", cost=fmt.rupiah(cost, context.lang),
                 year=fmt.rupiah(cost * months, context.lang), months=months))
    st.session_state[Keys.SIM_PARAMETERS] = CostParameters(
        cost_idr_per_month=float(cost), months_funded=int(months), province_share=share / 100,
        budget_ceiling_idr=float(ceiling) if ceiling else None)


def render_allocation(context: PageContext, baseline: pd.DataFrame) -> None:
    """Propose enrolments for a yearly budget by one of the strategies, and load them into the table."""
    t = context.t
    budget_column, strategy_column, target_column = st.columns([2, 3, 1.5])
    remembered = st.session_state[Keys.SIM_ALLOCATION]
    seed(WidgetKeys.ALLOC_BUDGET, remembered["budget"])
    seed(WidgetKeys.ALLOC_STRATEGY, remembered["strategy"])
    seed(WidgetKeys.ALLOC_TARGET, remembered["target_pct"] or round(context.national_rate * 100, 1))
    budget_column.number_input(t("alloc.budget"), min_value=0, step=100_000_000,
                                        key=WidgetKeys.ALLOC_BUDGET, help=t("alloc.budget_help"))
    strategy = strategy_column.selectbox(t("alloc.strategy"), options=STRATEGIES, key=WidgetKeys.ALLOC_STRATEGY,
                                         format_func=lambda name: t(f"alloc.strategy_{name}"))
    target_column.number_input(t("alloc.target"), min_value=0.0, max_value=100.0, step=0.5,
                                            format="%.1f", key=WidgetKeys.ALLOC_TARGET,
                                            disabled=strategy != "target")
    st.session_state[Keys.SIM_ALLOCATION] = {"budget": st.session_state[WidgetKeys.ALLOC_BUDGET], "strategy": strategy,
                                             "target_pct": st.session_state[WidgetKeys.ALLOC_TARGET]}
    st.info(_proposal(context, baseline).explanation(context.lang), icon=":material/lightbulb:")
    st.button(t("alloc.load"), key=WidgetKeys.ALLOC_LOAD, type="primary", icon=":material/input:",
              on_click=_load_proposal, args=(context, baseline))


class AllocationKey(NamedTuple):
    """What a budget allocation depends on: the inputs (their caps) and cost parameters, as in ``SimulationKey``,
    and the budget, strategy and target typed in the allocation panel."""

    inputs: SimulationKey
    budget_idr_per_year: float
    strategy: str
    target_pct: float


def _proposal(context: PageContext, baseline: pd.DataFrame) -> Allocation:
    """The allocation for the budget, strategy and target in the widgets (read at call time), within caps."""
    table = inputs(baseline)
    key = AllocationKey(_simulation_key(context, table), float(st.session_state[WidgetKeys.ALLOC_BUDGET]),
                        st.session_state[WidgetKeys.ALLOC_STRATEGY], st.session_state[WidgetKeys.ALLOC_TARGET])
    return _allocation(repr(key), _key=key, _baseline=baseline, _table=table)


@st.cache_resource(show_spinner=False, max_entries=64, ttl="1h")
def _allocation(key_repr: str, _key: AllocationKey, _baseline: pd.DataFrame, _table: pd.DataFrame) -> Allocation:
    caps = {code: (int(cap) if pd.notna(cap) else None) for code, cap in zip(_table["region_code"], _table["cap"])}
    return allocate(_baseline, budget_idr_per_year=_key.budget_idr_per_year, strategy=_key.strategy,
                    parameters=_key.inputs.parameters, target_rate=_key.target_pct / 100, caps=caps)


def _load_proposal(context: PageContext, baseline: pd.DataFrame) -> None:
    proposal = _proposal(context, baseline)
    _set_inputs("additional", {code: float(added) for code, added in proposal.additions.items()}, "add")


def targets_for_pace(baseline: pd.DataFrame) -> dict[str, float]:
    """Targets the time-to-target table measures against: the typed ones in target mode, else the data's."""
    mode, values = current_values(baseline)
    if mode == "target" and any(value is not None for value in values.values()):
        return {code: value for code, value in values.items() if value is not None}
    return {code: rate for code, rate in zip(baseline["region_code"], baseline["target_rate"]) if pd.notna(rate)}
