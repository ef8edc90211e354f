"""The scenarios a meeting looks at: those picked for comparison, else the one open in the simulator."""

from __future__ import annotations

import streamlit as st

from components.data_source import run_on_store
from components.state import Keys
from monev.store import Scenario, StoreUnavailable


def chosen_scenarios() -> list[Scenario]:
    """The scenarios picked for comparison, else the one open in the simulator; read fresh from the store."""
    ids = list(st.session_state[Keys.COMPARED])
    opened = st.session_state[Keys.SCENARIO]
    if not ids and opened:
        ids = [opened["id"]]
    scenarios: list[Scenario] = []
    for scenario_id in ids:
        try:
            scenarios.append(run_on_store(lambda store, sid=scenario_id: store.scenario(sid)))
        except (LookupError, StoreUnavailable):
            continue  # deleted or unreachable since it was picked: the slide shows the others
    return scenarios
