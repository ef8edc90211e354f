"""Page scripts: the rerun time of every page under AppTest, against an empty Streamlit page measured in the same run.

Each page gets its own session (demo data, default choices) in a private boundary cache and SQLite database, the
way the AppTests run it. A session is run once and warmed up; then the pages and the empty page take turns, one
timed ``at.run()`` each per round, so that load from other processes falls on all of them alike, and each reports
the median of its rounds. The scenarios page is measured twice: with no scenario (its default) and with two saved
scenarios compared, which is what it is for. Every page is measured again on the synthetic country of 514 regions ×
24 months (``bench.synthetic``: registry, data and boundaries only), where the target is 2× the empty page.
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
SCALE_TARGET_RATIO = 2.0
WARMUP_RUNS = 2  # the first run imports and fills the caches; the second settles what the first run left behind
RUN_TIMEOUT_S = 60


@contextmanager
def _private_environment() -> Iterator[tuple[dict[str, str], dict[str, str]]]:
    """The settings of a Bengkulu session (boundaries from ../shared/geo, an empty boundary cache and a fresh SQLite
    database, as the AppTests have) and of a session on the synthetic 514-region country; the process environment
    is restored afterwards."""
    from bench.synthetic import write_synthetic

    if not SHARED_BOUNDARIES.is_file():
        raise FileNotFoundError(f"{SHARED_BOUNDARIES} is missing: the page benchmark needs ../shared/geo")
    saved = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="monev-bench-pages-") as directory:
        root = Path(directory)
        environments = []
        for name in ("bengkulu", "scale"):
            (root / name / "cache").mkdir(parents=True)
            environments.append({"MONEV_BOUNDARIES": str(SHARED_BOUNDARIES),
                                 "MONEV_CACHE_DIR": str(root / name / "cache"),
                                 "MONEV_DATABASE_URL": f"sqlite:///{root / name / 'monev.sqlite3'}"})
        bengkulu, scale = environments
        scale.update(write_synthetic(root / "scale").environment())
        try:
            yield bengkulu, scale
        finally:
            os.environ.clear()
            os.environ.update(saved)


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
    from monev.scenario import ScenarioBody
    from monev.simulation import CostParameters
    from monev.store import Store

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

    # The app reads its settings from the environment on every run: each session's are set before its runs.
    sessions: dict[str, tuple[object, dict[str, str]]] = {}

    def add(name: str, environment: dict[str, str], script: Path, page: str | None = None,
            state: dict[str, object] | None = None) -> None:
        os.environ.update(environment)
        sessions[name] = (_session(script, page, state), environment)

    with _private_environment() as (bengkulu, scale):
        empty_script = Path(bengkulu["MONEV_CACHE_DIR"]).parent / "empty_page.py"
        empty_script.write_text("import streamlit as st\n", encoding="utf-8")
        app = ROOT / "app.py"
        add(EMPTY_PAGE, bengkulu, empty_script)
        for page in PAGES:
            add(page, bengkulu, app, None if page == "app.py" else page)
        os.environ.update(bengkulu)
        add(COMPARED_SCENARIOS, bengkulu, app, "pages/skenario.py", {Keys.COMPARED: _save_two_scenarios()})
        for page in PAGES:
            add(_at_scale(page), scale, app, None if page == "app.py" else page)
        times: dict[str, list[float]] = {name: [] for name in sessions}
        for _ in range(runs):
            for name, (at, environment) in sessions.items():
                os.environ.update(environment)
                times[name].append(_timed_run(at))
        for name, (at, _) in sessions.items():
            if at.exception:
                raise RuntimeError(f"{name} raised: {[e.value for e in at.exception]}")
    empty_s = statistics.median(times[EMPTY_PAGE])
    measurements = [Measurement("pages", EMPTY_PAGE, empty_s * 1000, "ms", runs=runs,
                                note="a script holding only `import streamlit as st`")]
    for name, page_times in times.items():
        if name != EMPTY_PAGE:
            target = SCALE_TARGET_RATIO if name.endswith(_SCALE_SUFFIX) else TARGET_RATIO
            measurements.append(Measurement("pages", name, statistics.median(page_times) * 1000, "ms",
                                            baseline=EMPTY_PAGE, baseline_value=empty_s * 1000,
                                            target=target, runs=runs))
    return measurements


_SCALE_SUFFIX = ", 514 regions"


def _at_scale(page: str) -> str:
    return page + _SCALE_SUFFIX
