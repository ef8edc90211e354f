"""Coverage indicators: rates per region and for the province, gaps, ranks, changes and the pace needed.

Rates are fractions (0.37), never percentages. The province rate is always Σ participants ÷ Σ potential
workers — a mean of regional rates would weigh Lebong like Kota Bengkulu.
"""

from __future__ import annotations

import functools
import math
import weakref
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


def with_rate(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with a ``rate`` column: participants ÷ potential workers."""
    return frame.assign(rate=frame["participants"] / frame["potential_workers"])


def split_known(frame: pd.DataFrame) -> pd.Series:
    """Per row of a dataset or indicators frame: whether its participants are split by segment (else NaN)."""
    return frame[list(SEGMENTS)].notna().all(axis=1)


@dataclass(frozen=True)
class _Month:
    """One period's rows of a dataset as NumPy columns, in table order."""

    positions: np.ndarray
    codes: np.ndarray
    potential: np.ndarray
    participants: np.ndarray  # the total, known whether or not the row is split by segment
    counts: np.ndarray  # participants by segment, one column per entry of SEGMENTS; NaN where the split is unknown
    target: np.ndarray


# Each dataset's months as NumPy columns, split once instead of on every call: with 514 regions × 24 months,
# comparing the whole period column and copying rows cost more than the indicators computed from them.
# Keyed by identity and checked through a weak reference, so an entry never outlives its dataset nor serves another.
_MONTHS: dict[int, tuple[weakref.ref, dict[str, _Month]]] = {}


def _forget_months(key: int, _collected: weakref.ref) -> None:
    """Drop the months cached for a dataset once it is garbage collected."""
    _MONTHS.pop(key, None)


def _months(data: CoverageData) -> dict[str, _Month]:
    key = id(data)
    entry = _MONTHS.get(key)
    if entry is None or entry[0]() is not data:
        frame = data.frame
        codes, potential, participants, target = (
            frame[column].to_numpy() for column in ("region_code", "potential_workers", "participants", "target_rate"))
        counts = frame[list(SEGMENTS)].to_numpy(dtype="float64")
        months = {period: _Month(rows, codes[rows], potential[rows], participants[rows], counts[rows], target[rows])
                  for period, rows in frame.groupby("period", sort=True).indices.items()}
        entry = (weakref.ref(data, functools.partial(_forget_months, key)), months)
        _MONTHS[key] = entry
    return entry[1]


def period_participants(data: CoverageData, period: str) -> pd.Series:
    """Participants of each region in ``period``, by region code; empty when the period is absent."""
    month = _months(data).get(period)
    if month is None:
        return pd.Series(dtype="int64", name="participants", index=pd.Index([], dtype=object, name="region_code"))
    return pd.Series(month.participants, name="participants", index=pd.Index(month.codes, name="region_code"))


def year_start_baseline(data: CoverageData, period: str) -> str | None:
    """The period that 'since the start of the year' compares with: last December if present, else the year's
    first month in the data (None when ``period`` is itself the first)."""
    available = list(_months(data))
    december = periods.shift(f"{periods.year_of(period)}-01", -1)
    if december in available:
        return december
    same_year = [p for p in available if periods.year_of(p) == periods.year_of(period) and p < period]
    return same_year[0] if same_year else None


def _rates_at(data: CoverageData, period: str | None) -> pd.Series:
    month = None if period is None else _months(data).get(period)
    if month is None:
        return pd.Series(dtype="float64")
    return pd.Series(month.participants / month.potential, index=month.codes)


def region_indicators(data: CoverageData, period: str, national_rate: float = NATIONAL_RATE_DEFAULT,
                      registry: Registry | None = None) -> pd.DataFrame:
    """One row per region present in ``period``, best coverage first (rank 1)."""
    registry = registry or load_registry()
    month = _months(data).get(period)
    if month is None:
        raise KeyError(period)
    # Computed on NumPy columns and assembled once: one-column assignments to a DataFrame cost more than the
    # arithmetic itself.
    current = data.frame.iloc[month.positions]
    codes, potential, target, participants = month.codes, month.potential, month.target, month.participants
    rate = participants / potential
    rank = pd.Series(rate).rank(ascending=False, method="min").to_numpy(dtype="int64")
    months_left = TARGET_MONTH - periods.month_of(period)
    still_needed = participants_needed(target, potential, participants)
    required = still_needed / months_left if months_left > 0 else np.full(len(codes), math.nan)
    columns = {
        **{column: current[column].to_numpy() for column in current.columns},
        "rate": rate,
        "region_name": [registry.display_name(code) for code in codes],
        "gap_national": rate - national_rate,
        "gap_target": rate - target,
        "at_or_above_national": rate >= national_rate,
        "rank": rank,
        "change_prev_month": rate - _rates_at(data, periods.shift(period, -1)).reindex(codes).to_numpy(),
        "change_since_year_start": rate - _rates_at(data, year_start_baseline(data, period)).reindex(codes)
        .to_numpy(),
        "required_monthly_participants": required,
        "required_monthly_rate": required / potential,
    }
    order = np.lexsort((codes, rank))  # best rank first, ties by region code
    return pd.DataFrame({name: np.asarray(values)[order] for name, values in columns.items()})


@dataclass(frozen=True)
class ProvinceSummary:
    period: str
    participants: int
    potential_workers: int
    rate: float
    national_rate: float
    segments: dict[str, int] | None  # None when a region's split of this period is unknown
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


def _province_totals(data: CoverageData, period: str | None) -> tuple[float, float]:
    """(participants, potential workers) of the province in ``period``; NaNs when the period is absent."""
    month = None if period is None else _months(data).get(period)
    if month is None:
        return math.nan, math.nan
    return float(month.participants.sum()), float(month.potential.sum())


def _province_rate(totals: tuple[float, float]) -> float:
    participants, potential = totals
    return math.nan if math.isnan(potential) else coverage_rate(participants, potential)


def province_summary(data: CoverageData, period: str, national_rate: float = NATIONAL_RATE_DEFAULT) -> ProvinceSummary:
    """The province's headline numbers for ``period``."""
    month = _months(data).get(period)
    if month is None:
        raise KeyError(period)
    counts, potential_by_region, targets = month.counts, month.potential, month.target
    potential = int(potential_by_region.sum())
    # A province split is only a split when every region's is known; a partial sum would pass for one.
    segments = (None if np.isnan(counts).any()
                else {segment: int(total) for segment, total in zip(SEGMENTS, counts.sum(axis=0))})
    participants = int(month.participants.sum())
    rate = coverage_rate(participants, potential)
    # The province target weighs each region's target by its potential workers, like the rate itself.
    target_rate = (float((targets * potential_by_region).sum() / potential_by_region.sum())
                   if not np.isnan(targets).any() else math.nan)
    regional_rates = month.participants / potential_by_region
    previous = _province_totals(data, periods.shift(period, -1))
    return ProvinceSummary(
        period=period,
        participants=participants,
        potential_workers=potential,
        rate=rate,
        national_rate=national_rate,
        segments=segments,
        region_count=len(month.codes),
        regions_at_or_above_national=int((regional_rates >= national_rate).sum()),
        change_prev_month=rate - _province_rate(previous),
        participants_change_prev_month=participants - previous[0],
        change_since_year_start=rate - _province_rate(_province_totals(data, year_start_baseline(data, period))),
        target_rate=target_rate,
    )


def province_series(data: CoverageData) -> pd.DataFrame:
    """Province totals and rate for every period, oldest first."""
    totals = data.frame.groupby("period", sort=True)[["participants", "potential_workers"]].sum()
    totals["rate"] = totals["participants"] / totals["potential_workers"]
    return totals.reset_index()


def rate_change(data: CoverageData, from_period: str, to_period: str) -> pd.Series:
    """Change of each region's rate from ``from_period`` to ``to_period`` (fraction points), by region code."""
    return _rates_at(data, to_period) - _rates_at(data, from_period)


def region_series(data: CoverageData, registry: Registry | None = None) -> pd.DataFrame:
    """Every region's rate in every period (long format), with display names, oldest first."""
    registry = registry or load_registry()
    frame = with_rate(data.frame)
    return frame.assign(region_name=frame["region_code"].map(registry.display_name)).sort_values(
        ["period", "region_code"]).reset_index(drop=True)
