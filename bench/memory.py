"""Server memory per session: the Streamlit server's resident memory with one browser session and with eleven.

Each session is a headless client speaking Streamlit's websocket protocol (bench.session_client): it opens the
overview and then the simulator, as a person preparing a meeting does, and stays connected. The server's RSS
(VmRSS of the ``streamlit run`` process) is read once the first session has settled, and again once ten more have
done the same; the difference over ten is what one more session costs.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.common import Measurement
from bench.session_client import StreamlitSession, run_to_completion
from tests.conftest import SHARED_BOUNDARIES
from tests.streamlit_server import ROOT, StreamlitServer

PART = "memory"
EXTRA_SESSIONS = 10
TARGET_MB_PER_SESSION = 5.0
# After the last run the server still finishes sending and collects garbage (runner.postScriptGC); the simulator
# page has no timer fragment, so nothing runs after that.
SETTLE_S = 3.0
VISIT_TIMEOUT_S = 60.0


def _app_env(workdir: Path) -> dict[str, str]:
    return {"MONEV_BOUNDARIES": str(SHARED_BOUNDARIES), "MONEV_CACHE_DIR": str(workdir / "cache"),
            "MONEV_DATABASE_URL": f"sqlite:///{workdir / 'monev.sqlite3'}",
            # A file saved in the checkout meanwhile must not make the server reload modules mid-measurement.
            "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"}


@contextmanager
def _server() -> Iterator[StreamlitServer]:
    with tempfile.TemporaryDirectory(prefix="monev-bench-memory-") as workdir:
        (Path(workdir) / "cache").mkdir()
        server = StreamlitServer(_app_env(Path(workdir)), cwd=ROOT)
        try:
            yield server
        finally:
            server.stop()


def rss_mb(pid: int) -> float:
    """Resident memory of process ``pid`` in MB (VmRSS, which /proc reports in kB)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def _server_pid(server: StreamlitServer) -> int:
    """The server's own process: StreamlitServer starts Python itself (the app's launcher, as `make run` does), with
    no shell between that could be measured instead."""
    command = Path(f"/proc/{server.process.pid}/cmdline").read_bytes().split(b"\0")
    if not Path(command[0].decode()).name.startswith("python"):
        raise RuntimeError(f"process {server.process.pid} is not the streamlit server: {command}")
    return server.process.pid


async def _visit(url: str) -> StreamlitSession:
    """A session that opened the overview, then the simulator, and stays connected."""
    session = StreamlitSession(url, timeout_s=VISIT_TIMEOUT_S)
    await session.connect()
    await session.switch_page("simulasi")
    if session.errors or session.lost_runs:
        raise RuntimeError(f"the visit went wrong: {session.errors + session.lost_runs}")
    return session


async def _rss_with_sessions(server: StreamlitServer) -> tuple[float, float]:
    """(RSS with one session, RSS with 1 + EXTRA_SESSIONS sessions), in MB."""
    pid = _server_pid(server)
    sessions = [await _visit(server.url)]
    try:
        await asyncio.sleep(SETTLE_S)
        with_one = rss_mb(pid)
        # One after another, as people open a shared link: arrivals all at once would add the transient peak of
        # concurrent runs, which the allocator keeps, to what the sessions hold.
        for _ in range(EXTRA_SESSIONS):
            sessions.append(await _visit(server.url))
        await asyncio.sleep(SETTLE_S)
        return with_one, rss_mb(pid)
    finally:
        for session in sessions:
            await session.close()


def run(runs: int) -> list[Measurement]:
    """Median over ``runs`` fresh servers of RSS with 1 and 11 sessions, and of the MB one more session costs."""
    with_one, with_all, per_session = [], [], []
    for _ in range(runs):
        with _server() as server:
            one, everyone = run_to_completion(_rss_with_sessions(server))
        with_one.append(one)
        with_all.append(everyone)
        per_session.append((everyone - one) / EXTRA_SESSIONS)
    note = (f"fresh server per run, median of {runs}; sessions opened the overview then the simulator, "
            f"over the websocket protocol; RSS read {SETTLE_S:g} s after the last session's run")
    total = 1 + EXTRA_SESSIONS
    return [
        Measurement(PART, "server RSS, 1 session", statistics.median(with_one), "MB", runs=runs, note=note),
        Measurement(PART, f"server RSS, {total} sessions", statistics.median(with_all), "MB", runs=runs, note=note),
        Measurement(PART, "RSS per extra session", statistics.median(per_session), "MB",
                    target=TARGET_MB_PER_SESSION, runs=runs,
                    note=f"(RSS with {total} − RSS with 1) / {EXTRA_SESSIONS}; per-run values: "
                         + ", ".join(f"{value:.1f}" for value in per_session)),
    ]
