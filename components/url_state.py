"""The view's state in the URL (?periode=2024-10&metrik=selisih&wilayah=17.07&bahasa=en), both ways.

A link is read once, when a session opens it; from then on the session state leads and the URL follows, so a
copied address reopens the same view. Unknown or malformed values are ignored (the defaults stay).
"""

from __future__ import annotations

import streamlit as st

from components.state import Keys
from monev import i18n
from monev.dataset import CoverageData
from monev.regions import Registry

METRIC_SLUGS = {"coverage": "cakupan", "gap": "selisih", "change": "perubahan", "projected": "proyeksi"}
_SLUG_METRICS = {slug: metric for metric, slug in METRIC_SLUGS.items()}


def apply_query_params_once(data: CoverageData, registry: Registry) -> None:
    """Read the opening URL into the session state (only on the session's first run)."""
    if st.session_state[Keys.URL_APPLIED]:
        return
    st.session_state[Keys.URL_APPLIED] = True
    params = st.query_params
    if params.get("periode") in data.periods:
        st.session_state[Keys.PERIOD] = params["periode"]
    if params.get("metrik") in _SLUG_METRICS:
        st.session_state[Keys.METRIC] = _SLUG_METRICS[params["metrik"]]
    region = params.get("wilayah")
    if region in registry.codes:
        st.session_state[Keys.REGION] = region
    if params.get("bahasa") in i18n.LANGUAGES:
        st.session_state[Keys.LANG] = params["bahasa"]


def current_query_params() -> dict[str, str]:
    """The parameters that describe the current view. Period and metric are always written, so a link keeps
    meaning the same month after newer data arrives; region and language only when set (short links)."""
    params = {"periode": st.session_state[Keys.PERIOD], "metrik": METRIC_SLUGS[st.session_state[Keys.METRIC]]}
    if st.session_state[Keys.REGION]:
        params["wilayah"] = st.session_state[Keys.REGION]
    if st.session_state[Keys.LANG] != i18n.DEFAULT_LANGUAGE:
        params["bahasa"] = st.session_state[Keys.LANG]
    return params


def write_query_params() -> None:
    """Make the address bar show the current view (only when it changed, to avoid needless history entries)."""
    wanted = current_query_params()
    if dict(st.query_params) != wanted:
        st.query_params.from_dict(wanted)
