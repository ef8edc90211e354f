"""Coverage indicators: rates per region and for the province, gaps, ranks, changes and the pace needed.

Rates are fractions (0.37), never percentages. The province rate is always Σ participants ÷ Σ potential
workers — a mean of regional rates would weigh Lebong like Kota Bengkulu.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from monev import periods
from monev.dataset import SEGMENTS, CoverageData
from monev.regions import Registry, load_registry

# National coverage announced at the Bengkulu Monev of 20 Nov 2024 (39%; katadata's 2024 figure is 39.4%).
NATIONAL_RATE_DEFAULT = 0.39
TARGET_MONTH = 12  # targets are yearly: "by December"


def coverage_rate(participants: float, potential_workers: float) -> float:
    """Participants ÷ potential workers; NaN when there are no potential workers."""
    return participants / potential_workers if potential_workers > 0 else math.nan


def participants_needed(target_rate, potential_workers, participants):
    """Extra participants needed to reach ``target_rate`` (0 when reached); works on numbers and Series."""
    # Rounded before ceil: 0.07 × 100 is 7.000000000000001 in floating point, which must not demand an 8th person.
    return np.maximum(np.ceil(np.round(target_rate * potential_workers, 6)) - participants, 0)


def with_participants(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with a ``participants`` column (all segments) and a ``rate`` column."""
    participants = frame[list(SEGMENTS)].sum(axis=1)
    return frame.assign(participants=participants, rate=participants / frame["potential_workers"])


def year_start_baseline(data: CoverageData, period: str) -> str | None:
    """The period that 'since the start of the year' compares with: last December if present, else the year's
    first month in the data (None when ``period`` is itself the first)."""
    available = data.periods
    december = periods.shift(f"{periods.year_of(period)}-01", -1)
    if december in available:
        return december
    same_year = [p for p in available if periods.year_of(p) == periods.year_of(period) and p < period]
    return same_year[0] if same_year else None


def _rates_at(frame: pd.DataFrame, period: str | None) -> pd.Series:
    if period is None:
        return pd.Series(dtype="float64")
    rows = frame[frame["period"] == period]
    return pd.Series(rows["rate"].to_numpy(), index=rows["region_code"].to_numpy())


def region_indicators(data: CoverageData, period: str, national_rate: float = NATIONAL_RATE_DEFAULT,
                      registry: Registry | None = None) -> pd.DataFrame:
    """One row per region present in ``period``, best coverage first (rank 1)."""
    registry = registry or load_registry()
    frame = with_participants(data.frame)
    current = frame[frame["period"] == period].copy()
    if current.empty:
        raise KeyError(period)
    codes = current["region_code"]
    current["region_name"] = codes.map(registry.display_name)
    current["gap_national"] = current["rate"] - national_rate
    current["gap_target"] = current["rate"] - current["target_rate"]
    current["at_or_above_national"] = current["rate"] >= national_rate
    current["rank"] = current["rate"].rank(ascending=False, method="min").astype("int64")
    current["change_prev_month"] = current["rate"] - codes.map(_rates_at(frame, periods.shift(period, -1)))
    year_start = year_start_baseline(data, period)
    current["change_since_year_start"] = current["rate"] - codes.map(_rates_at(frame, year_start))
    months_left = TARGET_MONTH - periods.month_of(period)
    still_needed = participants_needed(current["target_rate"], current["potential_workers"], current["participants"])
    current["required_monthly_participants"] = still_needed / months_left if months_left > 0 else math.nan
    current["required_monthly_rate"] = current["required_monthly_participants"] / current["potential_workers"]
    return current.sort_values(["rank", "region_code"]).reset_index(drop=True)


@dataclass(frozen=True)
class ProvinceSummary:
    period: str
    participants: int
    potential_workers: int
    rate: float
    national_rate: float
    segments: dict[str, int]
    region_count: int
    regions_at_or_above_national: int
    change_prev_month: float
    participants_change_prev_month: float
    change_since_year_start: float
    target_rate: float

    @property
    def gap_national(self) -> float:
        return self.rate - self.national_rate

    @property
    def gap_target(self) -> float:
        return self.rate - self.target_rate


def _province_totals(frame: pd.DataFrame, period: str | None) -> tuple[float, float]:
    """(participants, potential workers) of the province in ``period``; NaNs when the period is absent."""
    rows = frame[frame["period"] == period]
    if period is None or rows.empty:
        return math.nan, math.nan
    return float(rows[list(SEGMENTS)].to_numpy().sum()), float(rows["potential_workers"].sum())


def _province_rate(frame: pd.DataFrame, period: str | None) -> float:
    participants, potential = _province_totals(frame, period)
    return math.nan if math.isnan(potential) else coverage_rate(participants, potential)


def province_summary(data: CoverageData, period: str, national_rate: float = NATIONAL_RATE_DEFAULT) -> ProvinceSummary:
    """The province's headline numbers for ``period``."""
    frame = data.frame
    rows = frame[frame["period"] == period]
    if rows.empty:
        raise KeyError(period)
    potential = int(rows["potential_workers"].sum())
    segments = {segment: int(rows[segment].sum()) for segment in SEGMENTS}
    participants = sum(segments.values())
    rate = coverage_rate(participants, potential)
    with_target = rows.dropna(subset=["target_rate"])
    # The province target weighs each region's target by its potential workers, like the rate itself.
    target_rate = (
        float((with_target["target_rate"] * with_target["potential_workers"]).sum()
              / with_target["potential_workers"].sum())
        if len(with_target) == len(rows) else math.nan
    )
    regional_rates = rows[list(SEGMENTS)].sum(axis=1) / rows["potential_workers"]
    return ProvinceSummary(
        period=period,
        participants=participants,
        potential_workers=potential,
        rate=rate,
        national_rate=national_rate,
        segments=segments,
        region_count=len(rows),
        regions_at_or_above_national=int((regional_rates >= national_rate).sum()),
        change_prev_month=rate - _province_rate(frame, periods.shift(period, -1)),
        participants_change_prev_month=participants - _province_totals(frame, periods.shift(period, -1))[0],
        change_since_year_start=rate - _province_rate(frame, year_start_baseline(data, period)),
        target_rate=target_rate,
    )


def province_series(data: CoverageData) -> pd.DataFrame:
    """Province totals and rate for every period, oldest first."""
    totals = with_participants(data.frame).groupby("period", sort=True)[["participants", "potential_workers"]].sum()
    totals["rate"] = totals["participants"] / totals["potential_workers"]
    return totals.reset_index()


def rate_change(data: CoverageData, from_period: str, to_period: str) -> pd.Series:
    """Change of each region's rate from ``from_period`` to ``to_period`` (fraction points), by region code."""
    frame = with_participants(data.frame)
    return _rates_at(frame, to_period) - _rates_at(frame, from_period)


def region_series(data: CoverageData, registry: Registry | None = None) -> pd.DataFrame:
    """Every region's rate in every period (long format), with display names, oldest first."""
    registry = registry or load_registry()
    frame = with_participants(data.frame)
    return frame.assign(region_name=frame["region_code"].map(registry.display_name)).sort_values(
        ["period", "region_code"]).reset_index(drop=True)
