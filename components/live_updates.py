"""Following changes made in other sessions: a fragment that reruns the page when the store's change stamp moves.

It costs one indexed query every few seconds (``Store.change_stamp``); the page is redrawn only when someone
uploaded, activated or saved something since the last look.
"""

from __future__ import annotations

import datetime as dt
import html

import streamlit as st

from components.data_source import run_on_store
from components.state import Keys
from monev import fmt, i18n
from monev.store import StoreUnavailable

LIVE_POLL_SECONDS = 2


@st.fragment(run_every=LIVE_POLL_SECONDS)
def follow_changes() -> None:
    """Every few seconds: one cheap query; when someone uploaded, activated or saved, redraw the page."""
    lang = st.session_state[Keys.LANG]
    try:
        stamp = run_on_store(lambda store: store.change_stamp())
    except StoreUnavailable:
        checked = st.session_state[Keys.LIVE_CHECKED_AT]
        since = _clock_time(checked) if checked else "–"
        st.html(f"<div style='color:#a61b1b' data-testid='monev-live'>○ "
                f"{html.escape(i18n.t('present.live_down', lang, time=since))}</div>")
        return
    now = dt.datetime.now(dt.UTC)
    st.session_state[Keys.LIVE_CHECKED_AT] = now
    previous = st.session_state[Keys.LIVE_STAMP]
    st.session_state[Keys.LIVE_STAMP] = stamp
    if previous is not None and stamp != previous:
        st.rerun(scope="app")
    st.html(f"<div style='color:#2b6a2f' data-testid='monev-live'>● "
            f"{html.escape(i18n.t('present.live', lang, time=_clock_time(now)))}</div>")


def _clock_time(when: dt.datetime) -> str:
    """The time of day in the configured zone, with the zone named (14:05:09 WIB): the server may run on UTC."""
    local = fmt.local_time(when)
    return f"{local:%H:%M:%S} {local.tzname()}"
