"""Core: time per call of the indicators, the simulation and each allocation strategy, on the Bengkulu demo
(10 regions × 10 months) and on the synthetic country of ``bench.synthetic`` (514 regions × 24 months).

Each function gets what its page hands it: the indicators the validated data, the simulation and the allocation
the latest month's indicator table (the simulator's baseline). The simulation is what the simulator page computes
for a full input table: every region given the national average as its target (the bulk action "all regions to
X %"), then when each region reaches it at its current pace. The allocation budget pays for about a tenth of the
unenrolled workers, so that every strategy has real choices to make. The last row adds up the rows at 514 regions:
the target is that all of it together stays within 20 ms.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from bench.common import Measurement, median_seconds
from bench.synthetic import REGION_COUNT, write_synthetic
from monev.allocation import STRATEGIES, allocate
from monev.dataset import CoverageData, load_dataset, load_demo
from monev.indicators import NATIONAL_RATE_DEFAULT, province_summary, region_indicators
from monev.regions import Registry, load_registry
from monev.simulation import CostParameters, time_to_target
from monev.simulator_inputs import simulate_inputs

PART = "core"
TOTAL_TARGET_MS = 20.0
BUDGET_SHARE_OF_UNENROLLED = 0.10


@dataclass(frozen=True)
class _Dataset:
    label: str
    data: CoverageData
    registry: Registry


def _datasets(directory: Path) -> list[_Dataset]:
    files = write_synthetic(directory)
    registry = load_registry(files.regions_dir)
    loaded = load_dataset(files.data_path.name, files.data_path.read_bytes(), registry)
    if loaded.data is None:
        raise RuntimeError(f"the synthetic data does not validate: {[p.code for p in loaded.errors]}")
    demo = load_demo()
    return [_Dataset(f"demo ({len(demo.region_codes)} regions)", demo, load_registry()),
            _Dataset(f"synthetic ({REGION_COUNT} regions)", loaded.data, registry)]


def _full_target_table(baseline: pd.DataFrame, target_rate: float) -> pd.DataFrame:
    """The simulator's input table after 'all regions to the target': a target in every row."""
    count = len(baseline)
    return pd.DataFrame({"region_code": baseline["region_code"], "target_pct": [target_rate * 100] * count,
                         "additional": [float("nan")] * count, "segment": ["bpu"] * count,
                         "cap": [float("nan")] * count})


def _calls(dataset: _Dataset) -> dict[str, Callable[[], object]]:
    """What is timed, by measurement name, for one dataset."""
    data, registry, period = dataset.data, dataset.registry, dataset.data.latest_period
    national = NATIONAL_RATE_DEFAULT
    baseline = region_indicators(data, period, national, registry)
    inputs = _full_target_table(baseline, national)
    targets = dict.fromkeys(baseline["region_code"], national)
    parameters = CostParameters()
    unenrolled = int((baseline["potential_workers"] - baseline["participants"]).sum())
    budget = BUDGET_SHARE_OF_UNENROLLED * unenrolled * parameters.cost_idr_per_worker_year
    calls: dict[str, Callable[[], object]] = {
        "indicators: region table": lambda: region_indicators(data, period, national, registry),
        "indicators: province summary": lambda: province_summary(data, period, national),
        "simulation: every region to the national average": lambda: simulate_inputs(
            baseline, mode="target", inputs=inputs, parameters=parameters, national_rate=national),
        "simulation: time to target": lambda: time_to_target(data, period, targets, baseline),
    }
    for strategy in STRATEGIES:
        calls[f"allocation: {strategy}"] = (
            lambda strategy=strategy: allocate(baseline, budget_idr_per_year=budget, strategy=strategy,
                                               parameters=parameters, target_rate=national))
    return calls


def run(runs: int) -> list[Measurement]:
    """One row per function and dataset (median ms per call), and the total at 514 regions."""
    measurements = []
    with tempfile.TemporaryDirectory(prefix="monev-bench-core-") as directory:
        datasets = _datasets(Path(directory))
    for dataset in datasets:
        for name, call in _calls(dataset).items():
            milliseconds = median_seconds(call, runs=runs) * 1000
            measurements.append(Measurement(PART, f"{name} — {dataset.label}", milliseconds, "ms", runs=runs))
    at_scale = [m for m in measurements if m.name.endswith(datasets[-1].label)]
    measurements.append(Measurement(
        PART, f"total at {REGION_COUNT} regions", sum(m.value for m in at_scale), "ms", target=TOTAL_TARGET_MS,
        runs=runs, note="the sum of the medians above: indicators, simulation and every allocation strategy"))
    return measurements
