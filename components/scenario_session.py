"""Saved scenarios and this session: what the simulator holds as a scenario body, opening a scenario into the
simulator, and the one notice that tells the user how the last scenario action went."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from components.context import PageContext
from components.data_source import refusal_key, run_on_store
from components.simulator_state import put_input_table
from components.state import Keys, WidgetKeys
from monev import i18n
from monev.access import PermissionDenied
from monev.scenario import Scenario, ScenarioBody
from monev.store import ScenarioConflict, ScenarioNotFound, Store, StoreUnavailable

Written = TypeVar("Written")

# Widgets that show a scenario's settings: dropped when one is opened, so they are drawn from it and not from what
# was typed before.
_SETTING_WIDGETS = (WidgetKeys.SIM_COST, WidgetKeys.SIM_MONTHS, WidgetKeys.SIM_SHARE, WidgetKeys.SIM_CEILING,
                    WidgetKeys.ALLOC_BUDGET, WidgetKeys.ALLOC_STRATEGY, WidgetKeys.ALLOC_TARGET)


def current_body() -> ScenarioBody:
    """What this session's simulator holds, as a scenario body."""
    return ScenarioBody.of_simulator(mode=st.session_state[Keys.SIM_MODE], table=st.session_state[Keys.SIM_TABLE],
                                     parameters=st.session_state[Keys.SIM_PARAMETERS],
                                     allocation=st.session_state[Keys.SIM_ALLOCATION])


def load_into_simulator(scenario: Scenario) -> None:
    """Put a saved scenario into this session's simulator (table, mode, costs, allocation settings)."""
    body = scenario.body
    put_input_table(body.input_frame() if body.inputs else None, body.mode)
    st.session_state[Keys.SIM_PARAMETERS] = body.parameters
    st.session_state[Keys.SIM_ALLOCATION] = body.allocation_settings(st.session_state[Keys.SIM_ALLOCATION])
    st.session_state[Keys.PERIOD] = scenario.period  # setup_page falls back to the latest month if it is gone
    for widget in _SETTING_WIDGETS:
        st.session_state.pop(widget, None)
    remember_open(scenario)


def remember_open(scenario: Scenario) -> None:
    """Remember ``scenario`` (this revision) as the one open in the simulator."""
    st.session_state[Keys.SCENARIO] = {"id": scenario.id, "version": scenario.version, "name": scenario.name,
                                       "dataset_version_id": scenario.dataset_version_id,
                                       "period": scenario.period}


def open_scenario(scenario_id: str, lang: str) -> bool:
    """Load scenario ``scenario_id``; a missing one or an unreachable database leaves a notice instead."""
    try:
        scenario = run_on_store(lambda store: store.scenario(scenario_id))
    except ScenarioNotFound:
        notify("warning", i18n.t("scenario.not_found", lang, id=scenario_id))
        return False
    except StoreUnavailable:
        notify("error", i18n.t("store.unavailable_action", lang))
        return False
    load_into_simulator(scenario)
    return True


def notify(kind: str, text: str) -> None:
    """Leave the notice the next run shows once: ``kind`` is "success", "warning" or "error"."""
    st.session_state[Keys.SCENARIO_NOTICE] = (kind, text)


def render_notice() -> None:
    """The notice of the last scenario action, once."""
    notice = st.session_state[Keys.SCENARIO_NOTICE]
    if notice:
        kind, text = notice
        getattr(st, kind)(text)
        st.session_state[Keys.SCENARIO_NOTICE] = None


def write_scenario(context: PageContext, action: Callable[[Store], Written], success: Callable[[Written], str],
                   scenario_name: str = "") -> Written | None:
    """Run a store action on a scenario, leave a notice saying how it went (``success`` words it from the action's
    result), and return that result; None if it failed: someone else changed the scenario (``scenario_name``), it is
    gone, the database is unreachable, or this session may not write."""
    try:
        result = run_on_store(action)
    except ScenarioConflict as conflict:
        notify("error", context.t("scenario.conflict", name=scenario_name, found=conflict.found,
                                  expected=conflict.expected))
    except ScenarioNotFound as missing:
        notify("warning", context.t("scenario.not_found", id=str(missing)))
        opened = st.session_state[Keys.SCENARIO]
        if opened and opened["id"] == str(missing):
            st.session_state[Keys.SCENARIO] = None  # nothing left to save into
    except (StoreUnavailable, PermissionDenied) as refused:
        notify("error", context.t(refusal_key(refused)))
    else:
        notify("success", success(result))
        return result
    return None
