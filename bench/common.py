"""What every benchmark part reports, and how a median of several timed runs is taken."""

from __future__ import annotations

import json
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

RESULTS_DIR = Path(__file__).resolve().parent / "results"


@dataclass(frozen=True)
class Measurement:
    """One row of the benchmark table.

    ``value`` is in ``unit``; ``ratio`` is value / baseline when the measurement has a baseline measured in the same
    run (``baseline`` names it); ``target`` is the bound the value (or, when there is a baseline, the ratio) must stay
    within, and ``met`` says whether it did.
    """

    part: str
    name: str
    value: float
    unit: str
    baseline: str | None = None
    baseline_value: float | None = None
    target: float | None = None
    runs: int = 1
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.baseline_value in (None, 0):
            return None
        return self.value / self.baseline_value

    @property
    def met(self) -> bool | None:
        if self.target is None:
            return None
        compared = self.ratio if self.baseline is not None else self.value
        return compared is not None and compared <= self.target

    def to_json(self) -> dict[str, object]:
        return {**asdict(self), "ratio": self.ratio, "met": self.met}


def median_seconds(action: Callable[[], object], *, runs: int, warmup: int = 1) -> float:
    """Median wall time of ``action`` over ``runs`` calls, after ``warmup`` untimed calls."""
    for _ in range(warmup):
        action()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def machine() -> dict[str, object]:
    """What the numbers were measured on (they are only comparable on the same machine)."""
    import os

    return {"python": platform.python_version(), "system": platform.platform(), "cpus": os.cpu_count(),
            "processor": platform.processor() or platform.machine()}


def format_table(measurements: list[Measurement]) -> str:
    """A Markdown table, ready for the README's Performance section."""
    lines = ["| part | measurement | value | baseline | ratio | target | met |", "|---|---|---|---|---|---|---|"]
    for m in measurements:
        value = f"{m.value:.3g} {m.unit}"
        baseline = f"{m.baseline}: {m.baseline_value:.3g} {m.unit}" if m.baseline and m.baseline_value else "—"
        ratio = f"{m.ratio:.2f}×" if m.ratio is not None else "—"
        if m.target is None:
            target = "—"
        else:
            target = f"≤ {m.target:g}×" if m.baseline else f"≤ {m.target:g} {m.unit}"
        met = {True: "yes", False: "**no**", None: "—"}[m.met]
        lines.append(f"| {m.part} | {m.name} | {value} | {baseline} | {ratio} | {target} | {met} |")
    return "\n".join(lines)


def write_results(measurements: list[Measurement], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"machine": machine(), "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                                "measurements": [m.to_json() for m in measurements]}, indent=2) + "\n",
                    encoding="utf-8")
