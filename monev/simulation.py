"""What-if: new enrolments per region -> projected coverage and their cost to the regional budget (APBD).

The baseline is one period's indicator table (``monev.indicators.region_indicators``). Inputs are plain values:
either a target rate per region or a number of additional participants. Rates are fractions, money is Rupiah.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, SupportsFloat, SupportsIndex, overload

import numpy as np
import pandas as pd

from monev import fmt, i18n, periods
from monev.dataset import SEGMENTS, CoverageData
from monev.indicators import TARGET_MONTH, participants_needed, period_participants

# The package local governments usually pay for vulnerable/informal (BPU) workers: JKK Rp10.000 + JKM Rp6.800
# per worker per month, lowest income band (domain doc: BPJSTK Arga Makmur 2025; kompas 2023-07-31).
JKK_IDR_PER_MONTH = 10_000
JKM_IDR_PER_MONTH = 6_800
DEFAULT_COST_IDR_PER_MONTH = JKK_IDR_PER_MONTH + JKM_IDR_PER_MONTH
DEFAULT_MONTHS_FUNDED = 12
# How the yearly cost is split between the province and the regency/city budgets: 30 : 70, the split reported for
# Bengkulu's vulnerable workers, "sesuai kesepakatan" (rakyatbengkulu.disway.id 698353, 2025); set it to the agreement.
DEFAULT_PROVINCE_SHARE = 0.30
PROVINCE_SHARE_SOURCE = "rakyatbengkulu.disway.id 698353, 2025, \"sesuai kesepakatan\""
DEFAULT_SEGMENT = "bpu"
MODES = ("target", "add")
# Months of history the "current pace" of enrolment is measured over.
PACE_WINDOW_MONTHS = 3


@dataclass(frozen=True)
class CostParameters:
    cost_idr_per_month: float = DEFAULT_COST_IDR_PER_MONTH
    months_funded: int = DEFAULT_MONTHS_FUNDED
    province_share: float = DEFAULT_PROVINCE_SHARE
    budget_ceiling_idr: float | None = None

    @property
    def cost_idr_per_worker_year(self) -> float:
        return self.cost_idr_per_month * self.months_funded


_RATE_PARAMS = frozenset({"target", "current"})


@dataclass(frozen=True)
class InputProblem:
    """A doubtful or impossible input for one region: ``code`` names it, ``severity`` says if it blocks."""

    code: str
    severity: str
    region_code: str
    params: dict[str, object] = field(default_factory=dict)

    def message(self, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
        shown = {
            key: fmt.percent(value, lang) if key in _RATE_PARAMS and isinstance(value, (int, float))
            else fmt.number(value, lang) if isinstance(value, int) else value
            for key, value in self.params.items()
        }
        return i18n.t(f"simulation.problem.{self.code}", lang, **shown)


def unenrolled(baseline: pd.DataFrame) -> pd.Series:
    """Potential workers not yet participating, by region code: the most a region can still enrol."""
    room = np.maximum(baseline["potential_workers"].to_numpy() - baseline["participants"].to_numpy(), 0)
    return pd.Series(room, index=pd.Index(baseline["region_code"], name="region_code"))


# One overload per column read this way, so callers get the column's value type rather than object.
@overload
def by_code(table: pd.DataFrame, column: Literal["rate"]) -> dict[str, float]: ...


@overload
def by_code(table: pd.DataFrame, column: Literal["region_name", "segment"]) -> dict[str, str]: ...


def by_code(table: pd.DataFrame, column: str) -> dict[str, float] | dict[str, str]:
    """``column`` of ``table`` by region code, as a plain dict."""
    # Plain dicts of Python values: looking one region up in a DataFrame (.at), or iterating a column of Arrow
    # strings, costs microseconds per region, and a page run does it for every region.
    return dict(zip(table["region_code"].tolist(), table[column].tolist()))


def additions_for_targets(baseline: pd.DataFrame, target_rates: Mapping[str, float]) -> dict[str, int]:
    """New participants each region needs to reach its target rate (0 where it is already reached)."""
    rows = {code: position for position, code in enumerate(baseline["region_code"].tolist())}
    wanted = {code: rate for code, rate in target_rates.items()
              if code in rows and rate is not None and not math.isnan(rate)}
    positions = [rows[code] for code in wanted]
    needed = participants_needed(np.array(list(wanted.values()), dtype=float),
                                 baseline["potential_workers"].to_numpy()[positions],
                                 baseline["participants"].to_numpy()[positions])
    return dict(zip(wanted, needed.astype("int64").tolist()))


def _as_number(raw: object) -> float | None:
    """``raw`` as a float, or None when it cannot be read as a number."""
    if not isinstance(raw, (str, SupportsFloat, SupportsIndex)):
        return None
    try:
        return float(raw)
    except (TypeError, ValueError):
        return None


def validate_inputs(baseline: pd.DataFrame, *, mode: str, values: Mapping[str, object],
                    names: Mapping[str, str]) -> list[InputProblem]:
    """Check what the user typed per region: errors block the simulation, warnings are shown with it."""
    rates = by_code(baseline, "rate")
    room = dict(zip(rates, unenrolled(baseline).tolist()))
    problems: list[InputProblem] = []
    for code, raw in values.items():
        if raw is None or (isinstance(raw, float) and math.isnan(raw)) or code not in rates:
            continue
        name = names.get(code, code)
        value = _as_number(raw)
        if value is None or not math.isfinite(value):
            problems.append(InputProblem("not_number", "error", code, {"region": name, "value": raw}))
        elif value < 0:
            problems.append(InputProblem("negative", "error", code, {"region": name, "value": raw}))
        elif mode == "target" and value > 1:
            problems.append(InputProblem("target_above_100", "error", code, {"region": name, "target": value}))
        elif mode == "target" and value < rates[code]:
            problems.append(InputProblem("target_below_current", "warning", code, {
                "region": name, "target": value, "current": float(rates[code])}))
        elif mode == "add" and value > room[code]:
            problems.append(InputProblem("more_than_unenrolled", "error", code,
                                         {"region": name, "value": int(value), "room": int(room[code])}))
    return problems


@dataclass(frozen=True)
class SimulationResult:
    regions: pd.DataFrame
    parameters: CostParameters
    national_rate: float
    rate_before: float
    rate_after: float
    participants_added: int
    regions_at_national_before: int
    regions_at_national_after: int
    region_count: int
    segment_additions: dict[str, int]

    @property
    def cost_idr_per_month(self) -> float:
        return self.participants_added * self.parameters.cost_idr_per_month

    @property
    def cost_idr_per_year(self) -> float:
        return self.participants_added * self.parameters.cost_idr_per_worker_year

    @property
    def change_points(self) -> float:
        """Change of the provincial rate (fraction points)."""
        return self.rate_after - self.rate_before

    @property
    def cost_idr_per_point(self) -> float:
        """Yearly cost of one percentage point of provincial coverage; NaN when coverage does not move."""
        points = self.change_points * 100
        return self.cost_idr_per_year / points if points > 0 else math.nan

    @property
    def budget_left_idr(self) -> float:
        """Budget ceiling minus yearly cost (negative = exceeded); NaN without a ceiling."""
        ceiling = self.parameters.budget_ceiling_idr
        return math.nan if ceiling is None else ceiling - self.cost_idr_per_year


def simulate(baseline: pd.DataFrame, additions: Mapping[str, int], *, segments: Mapping[str, str] | None = None,
             parameters: CostParameters | None = None, national_rate: float) -> SimulationResult:
    """Projected coverage and cost when each region enrols ``additions[code]`` more workers.

    Additions are capped at the region's unenrolled workers (a region cannot pass 100 %); ``validate_inputs``
    reports such inputs as errors before they get here.
    """
    parameters = parameters or CostParameters()
    segments = segments or {}
    # Built from NumPy columns in one go: a column assigned to a DataFrame costs more than its arithmetic here.
    codes = baseline["region_code"].tolist()
    potential = baseline["potential_workers"].to_numpy()
    participants = baseline["participants"].to_numpy()
    rate = baseline["rate"].to_numpy()
    requested = np.array([max(0, int(additions.get(code, 0) or 0)) for code in codes], dtype="int64")
    additional = np.minimum(requested, np.maximum(potential - participants, 0)).astype("int64")
    segment = np.array([segments.get(code, DEFAULT_SEGMENT) for code in codes], dtype=object)
    participants_after = participants + additional
    rate_after = participants_after / potential
    cost_idr_per_year = additional * parameters.cost_idr_per_worker_year
    cost_province_idr_per_year = cost_idr_per_year * parameters.province_share
    frame = pd.DataFrame({
        "region_code": baseline["region_code"].to_numpy(),
        "region_name": baseline["region_name"].to_numpy(),
        "potential_workers": potential,
        "participants": participants,
        "rate": rate,
        "target_rate": baseline["target_rate"].to_numpy(),
        "additional": additional,
        "segment": segment,
        "participants_after": participants_after,
        "rate_after": rate_after,
        "change_points": rate_after - rate,
        "at_national_before": rate >= national_rate,
        "at_national_after": rate_after >= national_rate,
        "cost_idr_per_month": additional * parameters.cost_idr_per_month,
        "cost_idr_per_year": cost_idr_per_year,
        "cost_province_idr_per_year": cost_province_idr_per_year,
        "cost_region_idr_per_year": cost_idr_per_year - cost_province_idr_per_year,
    }, index=baseline.index)
    total_potential = int(potential.sum())
    return SimulationResult(
        regions=frame,
        parameters=parameters,
        national_rate=national_rate,
        rate_before=float(participants.sum() / total_potential),
        rate_after=float(participants_after.sum() / total_potential),
        participants_added=int(additional.sum()),
        regions_at_national_before=int(frame["at_national_before"].sum()),
        regions_at_national_after=int(frame["at_national_after"].sum()),
        region_count=len(frame),
        segment_additions={s: int(additional[segment == s].sum()) for s in SEGMENTS},
    )


def summary_text(result: SimulationResult, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """One paragraph in the user's language with the key numbers of a simulation."""
    if result.participants_added == 0:
        return i18n.t("simulation.summary_none", lang, rate=fmt.percent(result.rate_before, lang),
                      count=result.regions_at_national_before, total=result.region_count)
    main_segment = max(result.segment_additions, key=result.segment_additions.__getitem__)
    text = i18n.t(
        "simulation.summary", lang,
        added=fmt.number(result.participants_added, lang),
        segment=i18n.t(f"segment.short.{main_segment}", lang),
        cost=fmt.rupiah(result.cost_idr_per_year, lang),
        before=fmt.percent(result.rate_before, lang),
        after=fmt.percent(result.rate_after, lang),
        count=result.regions_at_national_after,
        total=result.region_count,
        national=fmt.percent(result.national_rate, lang),
    )
    left = result.budget_left_idr
    if not math.isnan(left):
        key = "simulation.summary_budget_left" if left >= 0 else "simulation.summary_budget_exceeded"
        text += " " + i18n.t(key, lang, amount=fmt.rupiah(abs(left), lang))
    return text


def observed_pace(data: CoverageData, period: str, window_months: int = PACE_WINDOW_MONTHS) -> pd.Series:
    """Average new participants per month over the last ``window_months`` months before ``period``, by region.

    Measured over the months actually in the data (fewer at the start); NaN where there is no earlier month.
    """
    earlier = [p for p in data.periods if p < period][-window_months:]
    if not earlier:
        return pd.Series(math.nan, index=period_participants(data, period).index.to_numpy())
    start = earlier[0]
    now, then = period_participants(data, period), period_participants(data, start)
    months = periods.month_index(period) - periods.month_index(start)
    return (now - then.reindex(now.index)) / months



def time_to_target(data: CoverageData, period: str, target_rates: Mapping[str, float],
                   baseline: pd.DataFrame) -> pd.DataFrame:
    """For each region with a target: the month it reaches it at the current pace, and whether that is by
    December of the period's year (on track) or not (at risk)."""
    observed = observed_pace(data, period)
    pace = dict(zip(observed.index.tolist(), observed.tolist()))
    needed_by_code = additions_for_targets(baseline, target_rates)
    names = by_code(baseline, "region_name")
    deadline = f"{periods.year_of(period)}-{TARGET_MONTH:02d}"
    rows = []
    months: float  # a whole number of months, or infinity when the region never gets there at its pace
    for code, target in target_rates.items():
        if code not in needed_by_code:
            continue
        needed = float(needed_by_code[code])
        monthly = float(pace.get(code, math.nan))
        if needed <= 0:
            reached, months = period, 0
        elif math.isnan(monthly) or monthly <= 0:
            reached, months = None, math.inf
        else:
            months = math.ceil(needed / monthly)
            reached = periods.shift(period, months)
        rows.append((code, names[code], target, int(needed), monthly, months, reached,
                     reached is not None and reached <= deadline))
    return pd.DataFrame.from_records(rows, columns=["region_code", "region_name", "target_rate", "needed",
                                                    "pace_per_month", "months", "reached_period", "on_track"])
