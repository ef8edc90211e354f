"""Payload: the bytes a page run sends for its map and its charts, on the Bengkulu demo and at 514 regions.

The map is built as the map page builds it (the latest month's coverage, fixed classes, no region selected) and
measured as Streamlit sends it: ``deck.to_json()``, with the tooltip template beside it. Each chart is built by its
``monev.charts`` builder with the data its page hands it, and converted as ``st.altair_chart`` converts it: the
Vega-Lite spec as JSON plus its datasets as Arrow bytes. The target is on the Bengkulu deck: at most 30 KB.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path

import altair as alt
import pandas as pd
from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

from bench.common import Measurement
from bench.synthetic import REGION_COUNT, write_synthetic
from monev import charts, geo, mapping
from monev.dataset import CoverageData, load_dataset, load_demo
from monev.indicators import NATIONAL_RATE_DEFAULT, province_series, province_summary, region_indicators, region_series
from monev.regions import Registry, load_registry
from monev.simulation import CostParameters
from monev.simulator_inputs import simulate_inputs

PART = "payload"
ROOT = Path(__file__).resolve().parent.parent
SHARED_BOUNDARIES = ROOT.parent / "shared" / "geo" / "bengkulu_kabkota.geojson"
DECK_TARGET_KB = 30.0
LANG = "id"
KB = 1000


def deck_bytes(data: CoverageData, registry: Registry, boundaries: geo.Boundaries) -> tuple[int, int]:
    """(spec bytes, tooltip bytes) of the map page's coverage map of the data's latest month."""
    indicators = region_indicators(data, data.latest_period, NATIONAL_RATE_DEFAULT, registry)
    rates = indicators.set_index("region_code")["rate"]
    deck = mapping.build_map(rates, indicators, boundaries, registry, metric="coverage", method="fixed",
                             national_rate=NATIONAL_RATE_DEFAULT, selected_code=None, lang=LANG).deck
    return len(deck.to_json().encode("utf-8")), len(json.dumps(deck._tooltip).encode("utf-8"))


def chart_bytes(chart: alt.TopLevelMixin) -> int:
    """Bytes st.altair_chart sends for ``chart``: its Vega-Lite spec as JSON and its datasets as Arrow."""
    spec = _convert_altair_to_vega_lite_spec(chart)
    datasets = spec.pop("datasets", {})
    arrow = sum(len(value) for value in datasets.values() if isinstance(value, bytes))
    inline = {name: value for name, value in datasets.items() if not isinstance(value, bytes)}
    return len(json.dumps({**spec, "datasets": inline} if inline else spec).encode("utf-8")) + arrow


def _chart_builders(data: CoverageData, registry: Registry) -> dict[str, Callable[[], alt.TopLevelMixin]]:
    """Every chart a page draws, as its page builds it (all regions shown, no region filter)."""
    period, national = data.latest_period, NATIONAL_RATE_DEFAULT
    indicators = region_indicators(data, period, national, registry)
    summary = province_summary(data, period, national)
    series, province = region_series(data, registry), province_series(data)
    baseline = indicators.sort_values("region_code").reset_index(drop=True)
    count = len(baseline)
    every_region_to_national = pd.DataFrame({
        "region_code": baseline["region_code"], "target_pct": [national * 100] * count,
        "additional": [float("nan")] * count, "segment": ["bpu"] * count, "cap": [float("nan")] * count})
    result, _ = simulate_inputs(baseline, mode="target", inputs=every_region_to_national,
                                parameters=CostParameters(), national_rate=national)
    compared = pd.concat([
        pd.DataFrame({"scenario": "Hari ini", "region": result.regions["region_name"], "rate": result.regions["rate"]}),
        pd.DataFrame({"scenario": "Semua ke nasional", "region": result.regions["region_name"],
                      "rate": result.regions["rate_after"]}),
    ])
    return {
        "ranking chart (overview)": lambda: charts.build_ranking_chart(
            indicators, national_rate=national, province_rate=summary.rate, target_rate=summary.target_rate,
            lang=LANG),
        "trend chart (trends)": lambda: charts.build_trend_chart(series, province, highlight=[],
                                                                  national_rate=national, lang=LANG),
        "segment chart (trends)": lambda: charts.build_segment_chart(indicators, LANG),
        "target chart (trends)": lambda: charts.build_target_chart(indicators, national_rate=national, lang=LANG),
        "before/after chart (simulator)": lambda: charts.build_dumbbell_chart(result.regions, national_rate=national,
                                                                              lang=LANG),
        "scenario comparison chart (scenarios)": lambda: charts.build_scenario_chart(compared, national_rate=national,
                                                                                     lang=LANG),
    }


def run(runs: int) -> list[Measurement]:
    """Bytes of the map (deck spec; target on Bengkulu) and of each chart, on the demo and at 514 regions."""
    del runs  # a size does not change from one run to the next
    demo = geo.load_boundaries(env={geo.BOUNDARIES_ENV: str(SHARED_BOUNDARIES)})
    if demo.boundaries is None:
        raise FileNotFoundError(f"{SHARED_BOUNDARIES} is missing or invalid: the payload benchmark needs ../shared/geo")
    with tempfile.TemporaryDirectory(prefix="monev-bench-payload-") as directory:
        files = write_synthetic(Path(directory))
        registry = load_registry(files.regions_dir)
        loaded = load_dataset(files.data_path.name, files.data_path.read_bytes(), registry)
        parsed = geo.parse_boundaries(files.boundaries_path.read_bytes(), files.boundaries_path.name, registry)
    if loaded.data is None or parsed.boundaries is None:
        raise RuntimeError("the synthetic data or boundaries do not validate")
    datasets = [("demo (10 regions)", load_demo(), load_registry(), demo.boundaries),
                (f"synthetic ({REGION_COUNT} regions)", loaded.data, registry, parsed.boundaries)]
    measurements = []
    for label, data, registry, boundaries in datasets:
        spec, tooltip = deck_bytes(data, registry, boundaries)
        measurements.append(Measurement(
            PART, f"map deck spec — {label}", spec / KB, "KB",
            target=DECK_TARGET_KB if boundaries is demo.boundaries else None,
            note=f"deck.to_json(), as st.pydeck_chart sends it; the tooltip template adds {tooltip} bytes"))
        for name, build in _chart_builders(data, registry).items():
            measurements.append(Measurement(PART, f"{name} — {label}", chart_bytes(build()) / KB, "KB",
                                            note="Vega-Lite spec (JSON) + datasets (Arrow)"))
    return measurements
