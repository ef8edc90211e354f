"""The simulator's session state and what is worked out from it: the baseline, the input table, the simulation.

The input table lives in session state (Keys.SIM_TABLE) as the single source of truth; its shape and every change to
it are defined in ``monev.simulator_inputs``. Every write goes through ``put_input_table``, which also bumps the
editor's generation: the grid is then drawn afresh from the table, so an edit is never lost nor applied twice.

A bulk change (a fill, the allocation load, reset) keeps the table and mode it replaced (Keys.SIM_UNDO), so it can be
taken back one step; any other write (a cell edit, a scenario or link opened, the undo itself) forgets it, because
going back past that write would silently drop it.
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd
import streamlit as st

from components.cache import PeriodKey, cached_region_indicators, frame_digest
from components.caching import cached
from components.context import PageContext
from components.state import Keys
from monev import simulator_inputs
from monev.dataset import CoverageData
from monev.simulation import CostParameters, InputProblem, SimulationResult


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


def baseline_key(context: PageContext) -> BaselineKey:
    """The page's ``BaselineKey``."""
    return BaselineKey(context.data.checksum, context.period, context.national_rate, tuple(context.registry.codes))


@cached(shared=True)
def _baseline(key: BaselineKey, *, data: CoverageData) -> pd.DataFrame:
    # Registry order, not rank: the editor's rows must not move when a simulated rate changes the ranking.
    indicators = cached_region_indicators(PeriodKey(key.checksum, key.period, key.national_rate), data=data)
    order = {code: position for position, code in enumerate(key.region_order)}
    return indicators.sort_values("region_code", key=lambda codes: codes.map(order)).reset_index(drop=True)


def baseline_for(context: PageContext) -> pd.DataFrame:
    """The selected period's indicators, in registry order."""
    return _baseline(baseline_key(context), data=context.data)


def input_table(baseline: pd.DataFrame) -> pd.DataFrame:
    """This session's input table with a row for every region of ``baseline`` (read only: see ``keep_input_table``)."""
    return simulator_inputs.aligned_inputs(st.session_state[Keys.SIM_TABLE], baseline["region_code"].tolist())


def keep_input_table(baseline: pd.DataFrame) -> pd.DataFrame:
    """``input_table``, stored as this session's table when it had to be aligned: the grid's edits name row
    positions, which must be those of the stored table."""
    table = input_table(baseline)
    if table is not st.session_state[Keys.SIM_TABLE]:
        st.session_state[Keys.SIM_TABLE] = table
    return table


def put_input_table(table: pd.DataFrame | None, mode: str | None = None, *, undoable: bool = False) -> None:
    """Make ``table`` (None: nothing typed) this session's inputs, in ``mode`` if given, and redraw the editor;
    ``undoable``: keep the replaced table and mode for ``undo_bulk_change``."""
    replaced = (st.session_state[Keys.SIM_TABLE], st.session_state[Keys.SIM_MODE])
    st.session_state[Keys.SIM_UNDO] = replaced if undoable else None
    st.session_state[Keys.SIM_LEFT_OUT] = None  # it described the table replaced here
    st.session_state[Keys.SIM_REFUSED_EDITS] = ()  # likewise
    st.session_state[Keys.SIM_TABLE] = table
    if mode is not None:
        st.session_state[Keys.SIM_MODE] = mode
    refresh_editor()


def refresh_editor() -> None:
    """Draw the grid afresh from the input table on the next run."""
    st.session_state[Keys.SIM_EDITOR_GENERATION] += 1


def apply_fill(fill: simulator_inputs.BulkFill | tuple[str, dict[str, float], str]) -> None:
    """Write a bulk fill (column, values, mode[, regions left out]) into the stored input table, undoably."""
    # The allocation panel loads its proposal as a plain (column, values, mode): it leaves no region out.
    column, values, mode, left_out = simulator_inputs.BulkFill(*fill)
    put_input_table(simulator_inputs.with_column(st.session_state[Keys.SIM_TABLE], column, values), mode,
                    undoable=True)
    st.session_state[Keys.SIM_LEFT_OUT] = left_out


def reset_inputs() -> None:
    """Empty every input (undoably)."""
    put_input_table(None, undoable=True)


def can_undo() -> bool:
    """Whether the last change of the input table was a bulk change that can be taken back."""
    return st.session_state[Keys.SIM_UNDO] is not None


def undo_bulk_change() -> None:
    """Bring back the table and mode the last bulk change replaced; there is then nothing more to undo."""
    table, mode = st.session_state[Keys.SIM_UNDO]
    put_input_table(table, mode)


def left_out_by_last_fill() -> simulator_inputs.LeftOut | None:
    """The regions the last fill left as they were (None: none, or the table has changed since)."""
    return st.session_state[Keys.SIM_LEFT_OUT]


def _inputs_digest(table: pd.DataFrame) -> str:
    # A table is replaced, never changed in place, so its digest is kept beside it and computed once per table.
    remembered = st.session_state[Keys.SIM_TABLE_DIGEST]
    if remembered is None or remembered[0] is not table:
        remembered = (table, frame_digest(table))
        st.session_state[Keys.SIM_TABLE_DIGEST] = remembered
    return remembered[1]


def cost_parameters() -> CostParameters:
    """This session's cost parameters."""
    return st.session_state[Keys.SIM_PARAMETERS]


def simulation_key(context: PageContext, table: pd.DataFrame) -> SimulationKey:
    """The ``SimulationKey`` of ``table`` on this page."""
    return SimulationKey(baseline_key(context), st.session_state[Keys.SIM_MODE], _inputs_digest(table),
                         cost_parameters())


@cached(shared=True)
def _simulation(key: SimulationKey, *, baseline: pd.DataFrame,
                table: pd.DataFrame) -> tuple[SimulationResult, list[InputProblem]]:
    return simulator_inputs.simulate_inputs(baseline, mode=key.mode, inputs=table, parameters=key.parameters,
                                            national_rate=key.baseline.national_rate)


def simulation(context: PageContext, baseline: pd.DataFrame) -> tuple[SimulationResult, list[InputProblem]]:
    """(result, input problems) of the simulation of what this session has typed."""
    table = input_table(baseline)
    return _simulation(simulation_key(context, table), baseline=baseline, table=table)


def current_simulation(context: PageContext, baseline: pd.DataFrame) -> SimulationResult:
    """The simulation of what this session has typed (errors left out; they are shown on the simulator page)."""
    result, _ = simulation(context, baseline)
    return result


def targets_for_pace(baseline: pd.DataFrame) -> dict[str, float]:
    """Targets the time-to-target table measures against (``monev.simulator_inputs.pace_targets``)."""
    return simulator_inputs.pace_targets(st.session_state[Keys.SIM_MODE], input_table(baseline), baseline)
