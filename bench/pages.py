"""Page scripts: the rerun time of every page under AppTest, against an empty Streamlit page measured in the same run.

Each page gets its own session (demo data, default choices) in a private boundary cache and SQLite database, the
way the AppTests run it. A session is run once and warmed up; then the pages and the empty page take turns, one
timed ``at.run()`` each per round, so that load from other processes falls on all of them alike, and each reports
the median of its rounds. The scenarios page is measured twice: with no scenario (its default) and with two saved
scenarios compared, which is what it is for.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.common import Measurement

ROOT = Path(__file__).resolve().parent.parent
SHARED_BOUNDARIES = ROOT.parent / "shared" / "geo" / "bengkulu_kabkota.geojson"
PAGES = ("app.py", "pages/peta.py", "pages/tren.py", "pages/simulasi.py", "pages/skenario.py",
         "pages/presentasi.py", "pages/data.py")
COMPARED_SCENARIOS = "pages/skenario.py, 2 scenarios compared"
EMPTY_PAGE = "empty page"
TARGET_RATIO = 1.5
WARMUP_RUNS = 2  # the first run imports and fills the caches; the second settles what the first run left behind
RUN_TIMEOUT_S = 60


@contextmanager
def _private_environment() -> Iterator[Path]:
    """Boundaries from ../shared/geo, an empty boundary cache and a fresh SQLite database, as the AppTests have;
    the process environment is restored afterwards."""
    if not SHARED_BOUNDARIES.is_file():
        raise FileNotFoundError(f"{SHARED_BOUNDARIES} is missing: the page benchmark needs ../shared/geo")
    names = ("MONEV_BOUNDARIES", "MONEV_CACHE_DIR", "MONEV_DATABASE_URL")
    saved = {name: os.environ.get(name) for name in names}
    with tempfile.TemporaryDirectory(prefix="monev-bench-pages-") as directory:
        root = Path(directory)
        (root / "cache").mkdir()
        os.environ.update({"MONEV_BOUNDARIES": str(SHARED_BOUNDARIES), "MONEV_CACHE_DIR": str(root / "cache"),
                           "MONEV_DATABASE_URL": f"sqlite:///{root / 'monev.sqlite3'}"})
        try:
            yield root
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


def _session(script: Path, page: str | None = None, state: dict[str, object] | None = None):
    """A session of ``script`` showing ``page`` (a path relative to it), run and warmed up."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(script), default_timeout=RUN_TIMEOUT_S)
    for key, value in (state or {}).items():
        at.session_state[key] = value
    if page is not None:
        at.run()  # AppTest finds a page by its file only after a first run
        at.switch_page(page)
    for _ in range(WARMUP_RUNS):
        at.run()
    if at.exception:
        raise RuntimeError(f"{page or script.name} raised: {[e.value for e in at.exception]}")
    return at


def _save_two_scenarios() -> list[str]:
    """Two saved scenarios on the demo's active version; their ids."""
    import math

    from monev.access import COMMAND_LINE
    from monev.dataset import load_demo
    from monev.simulation import CostParameters
    from monev.store import ScenarioBody, Store

    demo = load_demo()
    store = Store(os.environ["MONEV_DATABASE_URL"])
    store.ensure_ready(demo)
    version = store.active_version()
    ids = []
    for name, target_pct in (("Semua 39%", 39.0), ("Semua 45%", 45.0)):
        inputs = tuple({"region_code": code, "target_pct": target_pct, "additional": math.nan, "segment": "bpu",
                        "cap": math.nan} for code in demo.region_codes)
        body = ScenarioBody(mode="target", inputs=inputs, parameters=CostParameters())
        ids.append(store.save_scenario(name=name, body=body, dataset_version_id=version.id,
                                       period=demo.latest_period, author=COMMAND_LINE).id)
    return ids


def _timed_run(at) -> float:
    started = time.perf_counter()
    at.run()
    return time.perf_counter() - started


def run(runs: int) -> list[Measurement]:
    from components.state import Keys

    with _private_environment() as root:
        empty_script = root / "empty_page.py"
        empty_script.write_text("import streamlit as st\n", encoding="utf-8")
        app = ROOT / "app.py"
        sessions = {EMPTY_PAGE: _session(empty_script)}
        for page in PAGES:
            sessions[page] = _session(app, None if page == "app.py" else page)
        sessions[COMPARED_SCENARIOS] = _session(app, "pages/skenario.py", {Keys.COMPARED: _save_two_scenarios()})
        times: dict[str, list[float]] = {name: [] for name in sessions}
        for _ in range(runs):
            for name, at in sessions.items():
                times[name].append(_timed_run(at))
        for name, at in sessions.items():
            if at.exception:
                raise RuntimeError(f"{name} raised: {[e.value for e in at.exception]}")
    empty_s = statistics.median(times[EMPTY_PAGE])
    measurements = [Measurement("pages", EMPTY_PAGE, empty_s * 1000, "ms", runs=runs,
                                note="a script holding only `import streamlit as st`")]
    for name, page_times in times.items():
        if name != EMPTY_PAGE:
            measurements.append(Measurement("pages", name, statistics.median(page_times) * 1000, "ms",
                                            baseline=EMPTY_PAGE, baseline_value=empty_s * 1000,
                                            target=TARGET_RATIO, runs=runs))
    return measurements
