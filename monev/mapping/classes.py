"""Colour classes of the map's values (fixed breaks, quantiles or equal intervals), their colours and legend."""

from __future__ import annotations

import bisect
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from monev import fmt, i18n

RATE_METRICS = ("coverage", "projected")  # shown as percentages and classed like coverage
CLASSIFICATIONS = ("fixed", "quantile", "equal")
CLASS_COUNT = 5

# Fixed coverage breaks around the national average, so a region's colour says on which side of it it is.
COVERAGE_FIXED_BREAKS = (0.20, 0.30, 0.50)
GAP_FIXED_BREAKS = (-0.15, -0.05, 0.0, 0.05, 0.15)

# ColorBrewer schemes (colour-blind safe): sequential YlGnBu, diverging RdBu (red = below, blue = above).
_YLGNBU = {
    3: ("#edf8b1", "#7fcdbb", "#2c7fb8"),
    4: ("#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"),
    5: ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"),
    6: ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"),
}
_RDBU = {
    2: ("#ef8a62", "#67a9cf"),
    4: ("#ca0020", "#f4a582", "#92c5de", "#0571b0"),
    6: ("#b2182b", "#ef8a62", "#fddbc7", "#d1e5f0", "#67a9cf", "#2166ac"),
}
NO_DATA_COLOR = "#bdbdbd"


@dataclass(frozen=True)
class Classification:
    """Breaks between classes (ascending) and one colour per class; class i is [breaks[i-1], breaks[i])."""

    metric: str
    method: str
    breaks: tuple[float, ...]
    colors: tuple[str, ...]

    def class_of(self, value: float) -> int | None:
        if value is None or math.isnan(value):
            return None
        return bisect.bisect_right(self.breaks, value)

    def color_of(self, value: float) -> str:
        index = self.class_of(value)
        return NO_DATA_COLOR if index is None else self.colors[index]


@dataclass(frozen=True)
class LegendEntry:
    label: str
    color: str
    count: int


def _sequential(count: int) -> tuple[str, ...]:
    """``count`` sequential colours; with fewer than three classes, the darker end of the three-class scheme."""
    return _YLGNBU[count] if count in _YLGNBU else _YLGNBU[3][-count:]


def _nice_step(span: float) -> float:
    """A round step (1, 2 or 5 × 10^k) close to ``span``."""
    if span <= 0 or math.isnan(span):
        return 0.01
    magnitude = 10 ** math.floor(math.log10(span))
    return next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= span)


def _data_breaks(values: np.ndarray, method: str) -> tuple[float, ...]:
    if len(values) == 0:
        return ()
    if method == "quantile":
        inner = np.quantile(values, [i / CLASS_COUNT for i in range(1, CLASS_COUNT)])
    else:
        inner = np.linspace(values.min(), values.max(), CLASS_COUNT + 1)[1:-1]
    return tuple(sorted({round(float(b), 6) for b in inner}))


def classify(values: pd.Series, *, metric: str, method: str, national_rate: float) -> Classification:
    """Colour classes for ``metric`` values: fixed breaks by default, quantiles or equal intervals on request."""
    clean = values.dropna().to_numpy(dtype=float)
    if method == "fixed" and metric in RATE_METRICS:
        breaks = tuple(sorted({*COVERAGE_FIXED_BREAKS, round(national_rate, 6)}))
        return Classification(metric, method, breaks, _sequential(len(breaks) + 1))
    if method == "fixed":
        if metric == "gap":
            breaks = GAP_FIXED_BREAKS
        else:  # change: symmetric round steps around zero, sized to the largest change seen
            step = _nice_step(float(np.abs(clean).max()) / 2 if len(clean) else 0.01)
            breaks = (-2 * step, -step, 0.0, step, 2 * step)
        return Classification(metric, method, breaks, _RDBU[len(breaks) + 1])
    breaks = _data_breaks(clean, method)
    return Classification(metric, method, breaks, _sequential(len(breaks) + 1))


def value_formatter(metric: str, lang: str) -> Callable[[float], str]:
    """How a value of ``metric`` is written: a percentage for coverage, percentage points for differences."""
    if metric in RATE_METRICS:
        return lambda value: fmt.percent(value, lang)
    return lambda value: fmt.points(value, lang)


def build_legend(classification: Classification, values: pd.Series, lang: str) -> list[LegendEntry]:
    """One entry per class: its range in the user's formatting and how many regions fall in it."""
    write = value_formatter(classification.metric, lang)
    counts = Counter(classification.class_of(float(value)) for value in values.dropna())
    breaks = classification.breaks
    entries = []
    for index, color in enumerate(classification.colors):
        if index == 0:
            label = f"< {write(breaks[0])}" if breaks else i18n.t("map.all_values", lang)
        elif index == len(breaks):
            label = f"≥ {write(breaks[-1])}"
        else:
            label = f"{write(breaks[index - 1])} – {write(breaks[index])}"
        entries.append(LegendEntry(label, color, counts[index]))
    return entries
