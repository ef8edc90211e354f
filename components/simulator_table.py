"""The simulator's inputs on screen: the input mode, the bulk fills, the per-region grid and its problems.

What the grid and the fills do to the input table is defined in ``monev.simulator_inputs``; this module draws the
widgets and writes their result through ``components.simulator_state``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import NamedTuple

import pandas as pd
import streamlit as st

from components.caching import cached
from components.context import PageContext
from components.number_text_input import render_number_text
from components.simulator_state import (
    BaselineKey,
    SimulationKey,
    apply_fill,
    baseline_key,
    can_undo,
    keep_input_table,
    left_out_by_last_fill,
    put_input_table,
    refresh_editor,
    reset_inputs,
    simulation,
    simulation_key,
    undo_bulk_change,
)
from components.state import Keys, WidgetKeys, persist_choice, seed
from monev import fmt, simulator_inputs
from monev.dataset import SEGMENTS
from monev.number_text import write_number
from monev.simulation import MODES, SimulationResult, by_code, unenrolled


class BulkArguments(NamedTuple):
    """What the bulk fills start from: coverage per region, those below the national average, the unenrolled per
    region."""

    rates: dict[str, float]
    below: list[str]
    room: dict[str, int]


@cached(shared=True)
def _bulk_arguments(key: BaselineKey, *, baseline: pd.DataFrame) -> BulkArguments:
    return BulkArguments(by_code(baseline, "rate"), simulator_inputs.regions_below(baseline, key.national_rate),
                         simulator_inputs.unenrolled_by_code(baseline))


def render_mode_and_bulk(context: PageContext, baseline: pd.DataFrame) -> None:
    """Input mode and the bulk actions that fill the table in one go."""
    t = context.t
    st.session_state[WidgetKeys.SIM_MODE] = st.session_state[Keys.SIM_MODE]
    st.segmented_control(t("sim.mode"), options=MODES,
                         format_func=lambda mode: t(f"sim.mode_{mode}"), key=WidgetKeys.SIM_MODE,
                         on_change=_persist_mode)
    all_column, national_column, share_column, reset_column = st.columns([3, 3, 3, 2], vertical_alignment="bottom")
    arguments = _bulk_arguments(baseline_key(context), baseline=baseline)
    with all_column:
        seed(WidgetKeys.SIM_BULK_ALL_PCT, round(context.national_rate * 100, 1))
        level = st.session_state[WidgetKeys.SIM_BULK_ALL_PCT]
        render_number_text(t("sim.bulk_all_label"), key=WidgetKeys.SIM_BULK_ALL, value=level, kind="percent",
                           lang=context.lang, on_value=functools.partial(_put_level, WidgetKeys.SIM_BULK_ALL_PCT))
        st.button(t("sim.bulk_all", rate=fmt.percent(level / 100, context.lang)), key=WidgetKeys.SIM_BULK_ALL_GO,
                  on_click=_fill_all, args=(arguments.rates,))
    with national_column:
        st.caption(fmt.counted("sim.bulk_national_help", len(arguments.below), context.lang))
        st.button(t("sim.bulk_national", rate=fmt.percent(context.national_rate, context.lang)),
                  key=WidgetKeys.SIM_BULK_NATIONAL, on_click=apply_fill,
                  args=(simulator_inputs.fill_below_national(arguments.rates, context.national_rate),))
    with share_column:
        seed(WidgetKeys.SIM_BULK_SHARE_PCT, simulator_inputs.DEFAULT_BULK_SHARE_PCT)
        share = st.session_state[WidgetKeys.SIM_BULK_SHARE_PCT]
        render_number_text(t("sim.bulk_share_label"), key=WidgetKeys.SIM_BULK_SHARE, value=share, kind="percent",
                           lang=context.lang, on_value=functools.partial(_put_level, WidgetKeys.SIM_BULK_SHARE_PCT))
        st.button(t("sim.bulk_share", share=fmt.decimal(share, context.lang)), key=WidgetKeys.SIM_BULK_SHARE_GO,
                  on_click=_fill_share, args=(arguments.room,))
    with reset_column:
        st.button(t("sim.reset"), key=WidgetKeys.SIM_RESET, on_click=reset_inputs, icon=":material/restart_alt:")
        if can_undo():
            st.button(t("sim.undo"), key=WidgetKeys.SIM_UNDO, on_click=undo_bulk_change, icon=":material/undo:",
                      help=t("sim.undo_help"))
    left_out = left_out_by_last_fill()
    if left_out is not None:
        # One sentence for them all: a warning per region would be about the fill's own (sensible) result.
        st.info(fmt.counted("sim.bulk_left_out", len(left_out.codes), context.lang,
                            rate=fmt.percent(left_out.level_pct / 100, context.lang)), icon=":material/info:")


def _persist_mode() -> None:
    persist_choice(WidgetKeys.SIM_MODE, Keys.SIM_MODE, MODES)
    refresh_editor()


def _put_level(level_key: str, pct: float | None) -> None:
    st.session_state[level_key] = pct or 0.0


def _fill_all(rates: dict[str, float]) -> None:
    # Read at click time: the number typed just before may not have been drawn yet.
    apply_fill(simulator_inputs.fill_all_targets(rates, st.session_state[WidgetKeys.SIM_BULK_ALL_PCT]))


def _fill_share(room: dict[str, int]) -> None:
    apply_fill(simulator_inputs.fill_share_of_unenrolled(room, st.session_state[WidgetKeys.SIM_BULK_SHARE_PCT]))


def _apply_edits(editor_key: str, lang: str) -> None:
    """on_change of the editor: write the edited cells, read in ``lang``, into the input table; keep those refused."""
    edited = st.session_state[editor_key]["edited_rows"]
    table, refused = simulator_inputs.with_edits(st.session_state[Keys.SIM_TABLE], edited, lang)
    put_input_table(table)  # also when every edit was refused: the grid is redrawn with what the table holds
    st.session_state[Keys.SIM_REFUSED_EDITS] = refused


class EditorKey(NamedTuple):
    """What the grid shows: the simulation's key (inputs, mode, costs) and the language."""

    simulation: SimulationKey
    lang: str


def render_input_table(context: PageContext, baseline: pd.DataFrame, result: SimulationResult) -> None:
    """The editable per-region table: the active mode's column is editable, the other shows its consequence."""
    t = context.t
    table = keep_input_table(baseline)
    key = simulation_key(context, table)
    mode = key.mode
    shown = _editor_frame(EditorKey(key, context.lang), baseline=baseline, table=table, result=result)
    editor_key = f"{WidgetKeys.SIM_EDITOR}.{st.session_state[Keys.SIM_EDITOR_GENERATION]}"
    segment_labels = {segment: t(f"segment.short.{segment}") for segment in SEGMENTS}
    st.data_editor(
        shown, key=editor_key, hide_index=True, width="stretch", num_rows="fixed", placeholder="–",
        on_change=_apply_edits, args=(editor_key, context.lang),
        column_config={
            "region": st.column_config.TextColumn(t("table.region"), disabled=True),
            "current": st.column_config.TextColumn(t("sim.col_current"), disabled=True),
            "room": st.column_config.TextColumn(t("sim.col_room"), disabled=True, help=t("sim.col_room_help")),
            # Text columns: a number column shows only printf formats, never 39,5 or 16.800 (monev.number_text).
            "target_pct": st.column_config.TextColumn(
                t("sim.col_target") if mode == "target" else t("sim.col_projected"),
                disabled=mode != "target", help=t("sim.col_target_help")),
            "additional": st.column_config.TextColumn(
                t("sim.col_additional"), disabled=mode != "add", help=t("sim.col_additional_help")),
            "segment": st.column_config.SelectboxColumn(
                t("sim.col_segment"), options=list(SEGMENTS), required=True,
                format_func=lambda segment: segment_labels.get(str(segment), str(segment))),
            "cap": st.column_config.TextColumn(t("sim.col_cap"), help=t("sim.col_cap_help")),
        },
    )


# A copy per call (not shared): st.data_editor is handed this frame.
@cached(shared=False)
def _editor_frame(key: EditorKey, *, baseline: pd.DataFrame, table: pd.DataFrame,
                  result: SimulationResult) -> pd.DataFrame:
    """What the input editor shows: the inputs, and the consequence of the active mode's column in ``result``."""
    mode, lang = key.simulation.mode, key.lang
    projected = result.regions.set_index("region_code")
    room = unenrolled(baseline)
    return pd.DataFrame({
        "region": baseline["region_name"],
        "current": [fmt.percent(rate, lang) for rate in baseline["rate"]],
        "room": [fmt.number(room[code], lang) for code in baseline["region_code"]],
        "target_pct": _written(table["target_pct"] if mode == "target"
                               else [round(projected.at[c, "rate_after"] * 100, 1) for c in table["region_code"]],
                               lang, "percent"),
        "additional": _written(table["additional"] if mode == "add"
                               else [int(projected.at[c, "additional"]) for c in table["region_code"]],
                               lang, "count"),
        "segment": table["segment"],
        "cap": _written(table["cap"], lang, "count"),
    })


def _written(values: Iterable[float], lang: str, kind: str) -> list[str | None]:
    """Numbers as the grid's text cells show them in ``lang``; None (the placeholder) for an empty cell."""
    return [write_number(value, lang, kind) or None for value in values]


def render_input_problems(context: PageContext, baseline: pd.DataFrame) -> None:
    """Cells refused as no number, errors (which block a region's simulation) and warnings about what was typed."""
    names = context.registry
    for edit in st.session_state[Keys.SIM_REFUSED_EDITS]:
        st.error(f"{names.display_name(edit.region_code)}: {edit.refusal.message(context.lang)} "
                 f"{context.t('number.kept')}", icon=":material/error:")
    _, problems = simulation(context, baseline)
    for problem in problems:
        if problem.severity == "error":
            st.error(problem.message(context.lang), icon=":material/error:")
        else:
            st.warning(problem.message(context.lang), icon=":material/flag:")
