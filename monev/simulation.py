"""What-if: new enrolments per region -> projected coverage and their cost to the regional budget (APBD).

The baseline is one period's indicator table (``monev.indicators.region_indicators``). Inputs are plain values:
either a target rate per region or a number of additional participants. Rates are fractions, money is Rupiah.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from monev import fmt, i18n, periods
from monev.dataset import SEGMENTS, CoverageData
from monev.indicators import TARGET_MONTH, participants_needed, with_participants

# The package local governments usually pay for vulnerable/informal (BPU) workers: JKK Rp10.000 + JKM Rp6.800
# per worker per month, lowest income band (domain doc: BPJSTK Arga Makmur 2025; kompas 2023-07-31).
JKK_IDR_PER_MONTH = 10_000
JKM_IDR_PER_MONTH = 6_800
DEFAULT_COST_IDR_PER_MONTH = JKK_IDR_PER_MONTH + JKM_IDR_PER_MONTH
DEFAULT_MONTHS_FUNDED = 12
# How the yearly cost is split between the province and the regency/city budgets: an assumption to set per
# agreement, not a rule (no published split).
DEFAULT_PROVINCE_SHARE = 0.5
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
            key: fmt.percent(value, lang) if key in _RATE_PARAMS
            else fmt.number(value, lang) if isinstance(value, int) else value
            for key, value in self.params.items()
        }
        return i18n.t(f"simulation.problem.{self.code}", lang, **shown)


def unenrolled(baseline: pd.DataFrame) -> pd.Series:
    """Potential workers not yet participating, by region code: the most a region can still enrol."""
    return (baseline["potential_workers"] - baseline["participants"]).clip(lower=0).set_axis(baseline["region_code"])


def additions_for_targets(baseline: pd.DataFrame, target_rates: Mapping[str, float]) -> dict[str, int]:
    """New participants each region needs to reach its target rate (0 where it is already reached)."""
    by_code = baseline.set_index("region_code")
    return {
        code: int(participants_needed(rate, by_code.at[code, "potential_workers"], by_code.at[code, "participants"]))
        for code, rate in target_rates.items() if code in by_code.index and rate is not None and not math.isnan(rate)
    }


def validate_inputs(baseline: pd.DataFrame, *, mode: str, values: Mapping[str, object],
                    names: Mapping[str, str]) -> list[InputProblem]:
    """Check what the user typed per region: errors block the simulation, warnings are shown with it."""
    by_code = baseline.set_index("region_code")
    room = unenrolled(baseline)
    problems: list[InputProblem] = []
    for code, raw in values.items():
        if raw is None or (isinstance(raw, float) and math.isnan(raw)) or code not in by_code.index:
            continue
        name = names.get(code, code)
        try:
            value = float(raw)
        except (TypeError, ValueError):
            problems.append(InputProblem("not_number", "error", code, {"region": name, "value": raw}))
            continue
        if not math.isfinite(value):
            problems.append(InputProblem("not_number", "error", code, {"region": name, "value": raw}))
        elif value < 0:
            problems.append(InputProblem("negative", "error", code, {"region": name, "value": raw}))
        elif mode == "target" and value > 1:
            problems.append(InputProblem("target_above_100", "error", code, {"region": name, "target": value}))
        elif mode == "target" and value < by_code.at[code, "rate"]:
            problems.append(InputProblem("target_below_current", "warning", code, {
                "region": name, "target": value, "current": float(by_code.at[code, "rate"])}))
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
    room = unenrolled(baseline)
    frame = baseline[["region_code", "region_name", "potential_workers", "participants", "rate",
                      "target_rate"]].copy()
    requested = frame["region_code"].map(lambda code: max(0, int(additions.get(code, 0) or 0)))
    frame["additional"] = np.minimum(requested.to_numpy(), room.to_numpy()).astype("int64")
    frame["segment"] = frame["region_code"].map(lambda code: segments.get(code, DEFAULT_SEGMENT))
    frame["participants_after"] = frame["participants"] + frame["additional"]
    frame["rate_after"] = frame["participants_after"] / frame["potential_workers"]
    frame["change_points"] = frame["rate_after"] - frame["rate"]
    frame["at_national_before"] = frame["rate"] >= national_rate
    frame["at_national_after"] = frame["rate_after"] >= national_rate
    frame["cost_idr_per_month"] = frame["additional"] * parameters.cost_idr_per_month
    frame["cost_idr_per_year"] = frame["additional"] * parameters.cost_idr_per_worker_year
    frame["cost_province_idr_per_year"] = frame["cost_idr_per_year"] * parameters.province_share
    frame["cost_region_idr_per_year"] = frame["cost_idr_per_year"] - frame["cost_province_idr_per_year"]
    potential = int(frame["potential_workers"].sum())
    added = int(frame["additional"].sum())
    return SimulationResult(
        regions=frame,
        parameters=parameters,
        national_rate=national_rate,
        rate_before=float(frame["participants"].sum() / potential),
        rate_after=float(frame["participants_after"].sum() / potential),
        participants_added=added,
        regions_at_national_before=int(frame["at_national_before"].sum()),
        regions_at_national_after=int(frame["at_national_after"].sum()),
        region_count=len(frame),
        segment_additions={s: int(frame.loc[frame["segment"] == s, "additional"].sum()) for s in SEGMENTS},
    )


def summary_text(result: SimulationResult, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """One paragraph in the user's language with the key numbers of a simulation."""
    if result.participants_added == 0:
        return i18n.t("simulation.summary_none", lang, rate=fmt.percent(result.rate_before, lang),
                      count=result.regions_at_national_before, total=result.region_count)
    main_segment = max(result.segment_additions, key=result.segment_additions.get)
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
    frame = with_participants(data.frame)
    earlier = [p for p in data.periods if p < period][-window_months:]
    if not earlier:
        return pd.Series(math.nan, index=frame.loc[frame["period"] == period, "region_code"].to_numpy())
    start = earlier[0]
    now = frame[frame["period"] == period].set_index("region_code")["participants"]
    then = frame[frame["period"] == start].set_index("region_code")["participants"]
    months = periods.month_index(period) - periods.month_index(start)
    return (now - then.reindex(now.index)) / months


def time_to_target(data: CoverageData, period: str, target_rates: Mapping[str, float],
                   baseline: pd.DataFrame) -> pd.DataFrame:
    """For each region with a target: the month it reaches it at the current pace, and whether that is by
    December of the period's year (on track) or not (at risk)."""
    pace = observed_pace(data, period)
    by_code = baseline.set_index("region_code")
    rows = []
    for code, target in target_rates.items():
        if code not in by_code.index or target is None or math.isnan(target):
            continue
        needed = float(participants_needed(target, by_code.at[code, "potential_workers"],
                                           by_code.at[code, "participants"]))
        monthly = float(pace.get(code, math.nan))
        if needed <= 0:
            reached, months = period, 0
        elif math.isnan(monthly) or monthly <= 0:
            reached, months = None, math.inf
        else:
            months = math.ceil(needed / monthly)
            reached = periods.shift(period, months)
        deadline = f"{periods.year_of(period)}-{TARGET_MONTH:02d}"
        rows.append({
            "region_code": code, "region_name": by_code.at[code, "region_name"], "target_rate": target,
            "needed": int(needed), "pace_per_month": monthly, "months": months, "reached_period": reached,
            "on_track": reached is not None and reached <= deadline,
        })
    return pd.DataFrame(rows, columns=["region_code", "region_name", "target_rate", "needed", "pace_per_month",
                                       "months", "reached_period", "on_track"])


def input_values(mode: str, inputs: pd.DataFrame) -> dict[str, object]:
    """The value typed per region in the active mode (target as a fraction), None for an empty cell."""
    if mode == "target":
        return {code: (pct / 100 if pd.notna(pct) else None)
                for code, pct in zip(inputs["region_code"], inputs["target_pct"])}
    return {code: (value if pd.notna(value) else None)
            for code, value in zip(inputs["region_code"], inputs["additional"])}


def simulate_inputs(baseline: pd.DataFrame, *, mode: str, inputs: pd.DataFrame, parameters: CostParameters,
                    national_rate: float) -> tuple[SimulationResult, list[InputProblem]]:
    """Simulate an input table (columns region_code, target_pct, additional, segment); regions whose input is
    an error are left out of the result and reported."""
    values = input_values(mode, inputs)
    names = dict(zip(baseline["region_code"], baseline["region_name"]))
    problems = validate_inputs(baseline, mode=mode, values=values, names=names)
    blocked = {p.region_code for p in problems if p.severity == "error"}
    usable = {code: value for code, value in values.items() if code not in blocked and value is not None}
    if mode == "target":
        additions = additions_for_targets(baseline, usable)
    else:
        additions = {code: int(value) for code, value in usable.items()}
    segments = dict(zip(inputs["region_code"], inputs["segment"]))
    result = simulate(baseline, additions, segments=segments, parameters=parameters, national_rate=national_rate)
    return result, problems
