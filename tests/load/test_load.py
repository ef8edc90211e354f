"""Twenty people using the app at once: one server on 127.0.0.1, twenty websocket sessions for a minute.

Each session does what a person at a Monev meeting does, over and over: on the overview it changes the period and
the map's measure, opens the simulator and changes a cost parameter, looks at the map and the trends, and goes back
to the overview. Every run must finish successfully with no exception on the page and no lost connection; the time
from each input to the end of the run it caused (``script_finished``) is summarised per kind of interaction and
written as JSON to ``$MONEV_LOAD_RESULTS`` (or into the test's temporary folder).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import statistics
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest

from bench.session_client import LostRunError, SessionError, StreamlitSession, run_to_completion
from monev import i18n
from tests.conftest import SHARED_BOUNDARIES
from tests.streamlit_server import StreamlitServer

pytestmark = pytest.mark.load

SESSIONS = 20
LOAD_SECONDS = 60
MAX_INTERACTIONS_PER_SESSION = 200  # a bound in case the server answers far faster than expected
ARRIVAL_SPREAD_S = 5.0  # people open the link over a few seconds, not in the same millisecond
# Longer than this and a person gives up; it also bounds the test: nothing starts after LOAD_SECONDS.
INTERACTION_TIMEOUT_S = 30.0
# Every session should get through the whole round (7 interactions after opening) at least once.
MIN_INTERACTIONS_PER_SESSION = 8
# Inputs whose run's end Streamlit itself drops (see LostRunError: a race with the overview's 2-second
# follow_changes fragment, not the app's code). Counted and reported; only more than this share fails.
MAX_LOST_RUN_SHARE = 0.05
LANG = i18n.DEFAULT_LANGUAGE

Step = Callable[[StreamlitSession, random.Random], Awaitable[float]]


def _other_option(session: StreamlitSession, label: str, rng: random.Random) -> str:
    widget = session.widget(label)
    return rng.choice([option for option in widget.options if option != widget.value])


async def _change_period(session: StreamlitSession, rng: random.Random) -> float:
    label = i18n.t("sidebar.period", LANG)
    return await session.set_widget(label, _other_option(session, label, rng))


async def _change_metric(session: StreamlitSession, rng: random.Random) -> float:
    label = i18n.t("sidebar.metric", LANG)
    return await session.set_widget(label, _other_option(session, label, rng))


async def _change_simulator_input(session: StreamlitSession, rng: random.Random) -> float:
    """The province's share (a slider) or the months funded (a number input), alternately as chance has it."""
    if rng.random() < 0.5:
        share = session.widget(i18n.t("sim.province_share", LANG))
        return await session.set_widget(share.label, rng.choice([p for p in range(0, 101, 5) if [p] != share.value]))
    months = session.widget(i18n.t("sim.months", LANG))
    return await session.set_widget(months.label, rng.choice([m for m in range(1, 13) if m != months.value]))


def _open(page: str) -> Step:
    async def open_page(session: StreamlitSession, rng: random.Random) -> float:
        return await session.switch_page(page)
    return open_page


ROUND: tuple[tuple[str, Step], ...] = (
    ("overview: period", _change_period),
    ("overview: metric", _change_metric),
    ("page: simulasi", _open("simulasi")),
    ("simulasi: cost parameter", _change_simulator_input),
    ("page: peta", _open("peta")),
    ("page: tren", _open("tren")),
    ("page: overview", _open("")),
)


async def _person(url: str, number: int, deadline: float, timings: dict[str, list[float]],
                  lost: list[str]) -> list[str]:
    """One person's session until the deadline; returns what went wrong in it."""
    rng = random.Random(number)
    await asyncio.sleep(ARRIVAL_SPREAD_S * number / SESSIONS)
    session = StreamlitSession(url, timeout_s=INTERACTION_TIMEOUT_S)
    try:
        opened = await session.connect()
        timings.setdefault("open overview", []).append(opened)
        interactions = 1
        while time.monotonic() < deadline and interactions < MAX_INTERACTIONS_PER_SESSION:
            for kind, step in ROUND:
                if time.monotonic() >= deadline:
                    break
                try:
                    seconds = await step(session, rng)
                except LostRunError as error:
                    lost.append(f"session {number}, {kind}: {error}")
                else:
                    timings.setdefault(kind, []).append(seconds)
                interactions += 1
    except SessionError:
        pass  # already in session.errors
    finally:
        await session.close()
    return [f"session {number}: {error}" for error in session.errors]


async def _load(url: str) -> tuple[dict[str, list[float]], list[str], list[str]]:
    """(seconds per kind of interaction, errors, runs whose end Streamlit dropped)."""
    timings: dict[str, list[float]] = {}
    lost: list[str] = []
    deadline = time.monotonic() + LOAD_SECONDS
    per_session = await asyncio.gather(*(_person(url, number, deadline, timings, lost)
                                         for number in range(SESSIONS)))
    return timings, [error for errors in per_session for error in errors], lost


def _percentile(values: list[float], percent: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1]


def _summary(timings: dict[str, list[float]]) -> dict[str, dict[str, float]]:
    return {kind: {"count": len(values), "p50_s": round(_percentile(values, 50), 3),
                   "p95_s": round(_percentile(values, 95), 3), "max_s": round(max(values), 3)}
            for kind, values in timings.items()}


def _app_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The boundaries from ../shared/geo, as CI has them; a private boundary cache and database."""
    assert SHARED_BOUNDARIES.is_file(), f"{SHARED_BOUNDARIES} is missing: tests need ../shared/geo beside the checkout"
    return {"MONEV_BOUNDARIES": str(SHARED_BOUNDARIES),
            "MONEV_CACHE_DIR": str(tmp_path_factory.mktemp("load-cache")),
            "MONEV_DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('load-db') / 'monev.sqlite3'}",
            # A source file saved in the checkout during the run would make Streamlit drop the app's modules
            # from sys.modules under the running sessions (KeyError: 'monev'): not what a deployed server sees.
            "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"}


async def _warm_up(url: str) -> None:
    """One visit to every page first: the load test measures a running server, not its first import and caches
    (the browser benchmark measures those)."""
    session = StreamlitSession(url, timeout_s=INTERACTION_TIMEOUT_S)
    try:
        await session.connect()
        for page in ("simulasi", "peta", "tren", ""):
            await session.switch_page(page)
    finally:
        await session.close()
    assert session.errors == [], session.errors


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    started = StreamlitServer(_app_env(tmp_path_factory))
    try:
        run_to_completion(_warm_up(started.url))
        yield started
    finally:
        started.stop()


def test_twenty_sessions_for_a_minute_without_errors(server: StreamlitServer, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    timings, errors, lost = run_to_completion(_load(server.url))

    summary = _summary(timings)
    interactions = sum(len(values) for values in timings.values())
    results = {"sessions": SESSIONS, "seconds": LOAD_SECONDS, "interactions": interactions, "errors": errors,
               "runs_whose_end_streamlit_dropped": lost, "seconds_from_input_to_script_finished": summary}
    path = Path(os.environ.get("MONEV_LOAD_RESULTS") or tmp_path / "load_results.json")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    with capsys.disabled():
        print(f"\n{SESSIONS} sessions, {LOAD_SECONDS} s: {interactions} interactions, {len(errors)} errors, "
              f"{len(lost)} runs whose end Streamlit dropped")
        for kind, row in summary.items():
            print(f"  {kind:26} n={row['count']:4}  p50 {row['p50_s']:6.2f} s  p95 {row['p95_s']:6.2f} s  "
                  f"max {row['max_s']:6.2f} s")
        print(f"  results: {path}")

    assert errors == []
    assert len(lost) <= MAX_LOST_RUN_SHARE * interactions, lost
    assert interactions >= SESSIONS * MIN_INTERACTIONS_PER_SESSION, summary
    assert {kind for kind, _ in ROUND} <= timings.keys()


BROKEN_APP = """\
import time

import streamlit as st

if st.checkbox("Rusak"):
    raise ValueError("sengaja rusak")
if st.checkbox("Lambat"):
    time.sleep(3)
st.write("baik")
"""


def test_the_client_reports_exceptions_timeouts_and_lost_connections(tmp_path: Path) -> None:
    """Without this, 'zero errors' above could mean the client sees none."""
    script = tmp_path / "broken.py"
    script.write_text(BROKEN_APP, encoding="utf-8")
    server = StreamlitServer(script=script, cwd=tmp_path)

    async def use_it() -> StreamlitSession:
        session = StreamlitSession(server.url, timeout_s=1.5)
        try:
            await session.connect()
            assert session.errors == []
            with pytest.raises(SessionError, match="ValueError: sengaja rusak"):
                await session.set_widget("Rusak", True)
            await session.set_widget("Rusak", False)
            with pytest.raises(SessionError, match="no script_finished"):
                await session.set_widget("Lambat", True)
            server.stop()
            with pytest.raises(SessionError, match="closed"):
                await session.set_widget("Lambat", False)
        finally:
            await session.close()
        return session

    try:
        session = run_to_completion(use_it())
    finally:
        if server.process.poll() is None:
            server.stop()
    expected = ("exception on the page: ValueError", "no script_finished within 1.5 s", "websocket closed")
    assert len(session.errors) == len(expected), session.errors
    assert all(error.startswith(start) for error, start in zip(session.errors, expected)), session.errors
