"""A saved scenario: what it holds (the simulator's inputs, cost parameters and allocation settings), its JSON form
with the defaults a damaged or older body falls back to, and its simulation on the data a view shows.

The store keeps scenarios; this module knows what one means.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from monev.allocation import ALLOCATION_SETTINGS
from monev.dataset import CoverageData
from monev.indicators import region_indicators
from monev.simulation import MODES, CostParameters, SimulationResult
from monev.simulator_inputs import input_rows, inputs_from_rows, known_segment, simulate_inputs


@dataclass(frozen=True)
class ScenarioBody:
    """What a scenario holds: the simulator's inputs per region, cost parameters and allocation settings."""

    mode: str
    inputs: tuple[dict[str, object], ...]
    parameters: CostParameters
    allocation: dict[str, object] = field(default_factory=dict)

    @classmethod
    def of_simulator(cls, *, mode: str, table: pd.DataFrame | None, parameters: CostParameters,
                     allocation: Mapping[str, object]) -> ScenarioBody:
        """The body of what the simulator holds (``table`` None: nothing typed yet)."""
        return cls(mode=mode, inputs=input_rows(table), parameters=parameters, allocation=dict(allocation))

    def to_json(self) -> dict[str, object]:
        """Plain JSON (an empty cell, NaN in the table, is stored as null)."""
        return {
            "mode": self.mode,
            "inputs": [{key: _none_if_nan(value) for key, value in row.items()} for row in self.inputs],
            "parameters": {
                "cost_idr_per_month": self.parameters.cost_idr_per_month,
                "months_funded": self.parameters.months_funded,
                "province_share": self.parameters.province_share,
                "budget_ceiling_idr": self.parameters.budget_ceiling_idr,
            },
            # The allocation's budget is the ceiling; written there too, as scenarios have always held it.
            "allocation": {**self.allocation, "budget": self.parameters.budget_ceiling_idr or 0},
        }

    @classmethod
    def from_json(cls, body: object) -> ScenarioBody:
        """Rebuild from stored JSON, keeping only well-formed values (a hand-edited row must not break a page)."""
        stored: Mapping[str, object] = body if isinstance(body, Mapping) else {}
        parameters = _mapping(stored.get("parameters"))
        inputs = stored.get("inputs")
        rows = []
        for row in inputs if isinstance(inputs, list) else []:
            if not isinstance(row, Mapping) or not isinstance(row.get("region_code"), str):
                continue
            rows.append({
                "region_code": row["region_code"],
                "target_pct": _number_or_nan(row.get("target_pct")),
                "additional": _number_or_nan(row.get("additional")),
                "segment": known_segment(row.get("segment")),
                "cap": _number_or_nan(row.get("cap")),
            })
        defaults = CostParameters()
        allocation = dict(_mapping(stored.get("allocation")))
        ceiling = _yearly_budget(parameters.get("budget_ceiling_idr"), allocation.pop("budget", None))
        mode = stored.get("mode")
        return cls(
            mode=mode if isinstance(mode, str) and mode in MODES else MODES[0],
            inputs=tuple(rows),
            parameters=CostParameters(
                cost_idr_per_month=_number_or(parameters.get("cost_idr_per_month"), defaults.cost_idr_per_month),
                months_funded=int(_number_or(parameters.get("months_funded"), defaults.months_funded)),
                province_share=_number_or(parameters.get("province_share"), defaults.province_share),
                budget_ceiling_idr=ceiling,
            ),
            allocation=allocation,
        )

    def input_frame(self) -> pd.DataFrame:
        """The inputs as the simulator's input table (``monev.simulator_inputs``)."""
        return inputs_from_rows(self.inputs)

    def allocation_settings(self, remembered: Mapping[str, object]) -> dict[str, object]:
        """``remembered`` allocation settings with those this scenario saved put over them."""
        settings = dict(remembered)
        settings.update({key: self.allocation[key] for key in ALLOCATION_SETTINGS if key in self.allocation})
        return settings


@dataclass(frozen=True)
class Scenario:
    """A saved scenario: its body, the dataset version and period it was built on, and its revision."""

    id: str
    name: str
    note: str
    author: str
    created_at: dt.datetime
    updated_at: dt.datetime
    updated_by: str
    dataset_version_id: int
    period: str
    body: ScenarioBody
    version: int


def simulate_scenario(scenario: Scenario, data: CoverageData, national_rate: float,
                      period: str | None = None) -> SimulationResult:
    """The scenario's inputs simulated on ``data`` in ``period`` (None: the scenario's own period); on the data's
    latest month when ``data`` lacks that period; inputs of regions the data no longer has are left out."""
    wanted = scenario.period if period is None else period
    baseline = region_indicators(data, wanted if wanted in data.periods else data.latest_period, national_rate)
    body = scenario.body
    inputs = body.input_frame()
    known = inputs[inputs["region_code"].isin(baseline["region_code"])]
    result, _ = simulate_inputs(baseline, mode=body.mode, inputs=known, parameters=body.parameters,
                                national_rate=national_rate)
    return result


@dataclass(frozen=True)
class ShownScenario:
    """A scenario as a view shows it: its name, its result on the view's data, and that data in words
    (``monev.sentences.basis_line``)."""

    name: str
    result: SimulationResult
    basis: str


def _yearly_budget(ceiling: object, allocation_budget: object) -> float | None:
    """The one yearly budget of a stored body. Older scenarios kept a ceiling and an allocation budget apart: the
    ceiling wins when one was set, as it is what their results were measured against; else a positive allocation
    budget becomes the ceiling; else there is none."""
    stored_ceiling = _number_or_nan(ceiling)
    if not math.isnan(stored_ceiling):
        return stored_ceiling
    budget = _number_or_nan(allocation_budget)
    return budget if budget > 0 else None


def _mapping(value: object) -> Mapping[str, object]:
    return value if isinstance(value, Mapping) else {}


def _number_or_nan(value: object) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]  # anything stored; what float() refuses is caught
    except (TypeError, ValueError):
        return math.nan
    return number if math.isfinite(number) else math.nan


def _number_or(value: object, default: float) -> float:
    number = _number_or_nan(value)
    return default if math.isnan(number) else number


def _none_if_nan(value: object) -> object:
    return None if isinstance(value, float) and math.isnan(value) else value
