"""The view's state in the URL, both ways (parsing lives in monev.viewstate).

A link is read once, when a session opens it; from then on the session state leads and the URL follows, so a
copied address reopens the same view: page (the path), period, metric, region, language, the open scenario or,
when none is open, the unsaved simulation (``t`` target %, ``a`` additional participants).
"""

from __future__ import annotations

import streamlit as st

from components.scenario_session import open_scenario
from components.simulator_state import put_input_table
from components.state import Keys
from monev import i18n
from monev.dataset import CoverageData
from monev.regions import Registry
from monev.simulator_inputs import inputs_from_link, typed_column
from monev.viewstate import METRIC_SLUGS, encode_pairs, parse_view_params


def apply_query_params_once(data: CoverageData, registry: Registry) -> None:
    """Read the opening URL into the session state (only on the session's first run)."""
    if st.session_state[Keys.URL_APPLIED]:
        return
    st.session_state[Keys.URL_APPLIED] = True
    view, ignored = parse_view_params(dict(st.query_params), periods=data.periods, region_codes=registry.codes)
    if view.lang:
        st.session_state[Keys.LANG] = view.lang
    if view.period:
        st.session_state[Keys.PERIOD] = view.period
    if view.metric:
        st.session_state[Keys.METRIC] = view.metric
    if view.region:
        st.session_state[Keys.REGION] = view.region
    if view.slide:
        st.session_state[Keys.SLIDE] = view.slide
    if view.scenario:
        if open_scenario(view.scenario, st.session_state[Keys.LANG]) and view.period:
            # The link's month is the one its sender looked at: the scenario is shown on it, not on the month it was
            # built on (opening it switches to that month), so both see the same figures.
            st.session_state[Keys.PERIOD] = view.period
    elif view.targets_pct or view.additions:
        put_input_table(*inputs_from_link(list(registry.codes), view.targets_pct, view.additions))
    st.session_state[Keys.URL_NOTICE] = ignored or None




def current_query_params(presenting: bool = False) -> dict[str, str]:
    """The parameters that describe the current view. Period and metric are always written, so a link keeps
    meaning the same month after newer data arrives; the rest only when set (short links)."""
    params = {"periode": st.session_state[Keys.PERIOD], "metrik": METRIC_SLUGS[st.session_state[Keys.METRIC]]}
    if st.session_state[Keys.REGION]:
        params["wilayah"] = st.session_state[Keys.REGION]
    if st.session_state[Keys.LANG] != i18n.DEFAULT_LANGUAGE:
        params["bahasa"] = st.session_state[Keys.LANG]
    if presenting:
        params["slide"] = str(st.session_state[Keys.SLIDE])
    opened = st.session_state[Keys.SCENARIO]
    table = st.session_state[Keys.SIM_TABLE]
    if opened:
        params["skenario"] = opened["id"]
    elif table is not None:
        mode = st.session_state[Keys.SIM_MODE]
        name = "t" if mode == "target" else "a"
        encoded = encode_pairs(dict(zip(table["region_code"], table[typed_column(mode)])))
        if encoded:
            params[name] = encoded
    return params


def write_query_params(presenting: bool = False) -> None:
    """Make the address bar show the current view (only when it changed, to avoid needless history entries)."""
    wanted = current_query_params(presenting)
    if dict(st.query_params) != wanted:
        st.query_params.from_dict(wanted)


def render_url_notice(lang: str) -> None:
    """Tell, once and quietly, which parts of the opening link were ignored."""
    ignored = st.session_state[Keys.URL_NOTICE]
    if ignored:
        st.caption(i18n.t("url.ignored", lang, params=", ".join(ignored)))
        st.session_state[Keys.URL_NOTICE] = None
