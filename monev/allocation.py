"""Budget allocation: how many new enrolments a yearly budget buys, and where they should go.

Three exact, deterministic strategies; each never exceeds the budget nor any region's capacity (its unenrolled
potential workers, or a smaller cap the user sets, e.g. the vulnerable workers registered there). Ties are
broken by region code, so the same inputs always give the same proposal.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from monev import fmt, i18n
from monev.indicators import participants_needed
from monev.simulation import CostParameters, unenrolled

STRATEGIES = ("pemerataan", "target", "proporsional")
DEFAULT_STRATEGY = STRATEGIES[0]
# What the province spends on vulnerable workers today, about Rp5 billion a year (domain doc): a natural first budget.
DEFAULT_BUDGET_IDR_PER_YEAR = 5_000_000_000
# The allocation panel's settings as the simulator remembers them and a scenario saves them; target_pct None: the
# national average. Its budget is not among them: it is the cost parameters' yearly ceiling, one budget for both.
ALLOCATION_SETTINGS = ("strategy", "target_pct")


def default_allocation_settings() -> dict[str, object]:
    """The allocation panel's settings before anyone changes them."""
    return {"strategy": DEFAULT_STRATEGY, "target_pct": None}


def default_cost_parameters() -> CostParameters:
    """The simulator's cost parameters before anyone changes them: the yearly budget starts at the province's own."""
    return CostParameters(budget_ceiling_idr=float(DEFAULT_BUDGET_IDR_PER_YEAR))

# Bisection steps for the water level of pemerataan: far below one person's share of any region's rate.
_LEVEL_STEPS = 100


@dataclass(frozen=True)
class Allocation:
    strategy: str
    additions: dict[str, int]
    workers_affordable: int
    cost_idr_per_year: float
    budget_idr_per_year: float
    regions_reaching_target: int | None = None
    min_rate_after: float | None = None

    @property
    def workers(self) -> int:
        return sum(self.additions.values())

    def explanation(self, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
        """One sentence saying what the strategy did, with its key numbers."""
        params: dict[str, object] = {
            "workers": fmt.number(self.workers, lang),
            "budget": fmt.rupiah(self.budget_idr_per_year, lang),
            "cost": fmt.rupiah(self.cost_idr_per_year, lang),
        }
        if self.min_rate_after is not None:
            params["min_rate"] = fmt.percent(self.min_rate_after, lang)
        key = f"allocation.explain.{self.strategy}"
        if self.regions_reaching_target is not None:
            return fmt.counted(key, self.regions_reaching_target, lang, **params)
        return i18n.t(key, lang, **params)


def capacities(baseline: pd.DataFrame, caps: Mapping[str, int | None] | None = None) -> dict[str, int]:
    """How many more each region can enrol: its unenrolled workers, or the user's smaller cap."""
    room = unenrolled(baseline)
    caps = caps or {}
    result = {}
    # Python lists, not Series items: iterating a column of Arrow strings costs microseconds per region.
    for code, free in zip(room.index.tolist(), room.tolist()):
        cap = caps.get(code)
        result[code] = int(free if cap is None or (isinstance(cap, float) and math.isnan(cap)) else min(free, cap))
    return result


def affordable_workers(budget_idr_per_year: float, parameters: CostParameters) -> int:
    """Whole workers a yearly budget pays for at the given cost."""
    cost = parameters.cost_idr_per_worker_year
    return int(budget_idr_per_year // cost) if cost > 0 and budget_idr_per_year > 0 else 0


def _pemerataan(potential: np.ndarray, participants: np.ndarray, room: np.ndarray, workers: int,
                codes: list[str]) -> np.ndarray:
    """Maximise the lowest regional rate (water-filling): the exact result of giving each worker, one at a time,
    to the region with the lowest rate that still has room."""
    def needed_for(level: float) -> np.ndarray:
        return np.clip(np.ceil(np.round(level * potential, 9)) - participants, 0, room)

    low, high = 0.0, 1.0
    if needed_for(high).sum() <= workers:
        return needed_for(high).astype(np.int64)
    for _ in range(_LEVEL_STEPS):
        middle = (low + high) / 2
        low, high = (middle, high) if needed_for(middle).sum() <= workers else (low, middle)
    additions = needed_for(low).astype(np.int64)
    # The few workers left over go one by one to the lowest rate, as the one-at-a-time rule would give them.
    heap = [((participants[i] + additions[i]) / potential[i], codes[i], i) for i in range(len(codes))
            if additions[i] < room[i]]
    heapq.heapify(heap)
    for _ in range(workers - int(additions.sum())):
        if not heap:
            break
        _, code, i = heapq.heappop(heap)
        additions[i] += 1
        if additions[i] < room[i]:
            heapq.heappush(heap, ((participants[i] + additions[i]) / potential[i], code, i))
    return additions


def _most_to_target(potential: np.ndarray, participants: np.ndarray, room: np.ndarray, workers: int,
                    target_rate: float, codes: list[str]) -> tuple[np.ndarray, int]:
    """Bring as many regions as possible to the target: the smallest gaps first (exact for equal per-worker
    costs); what is left then moves the next-closest region towards its target."""
    gaps = participants_needed(target_rate, potential, participants).astype(np.int64)
    additions = np.zeros(len(codes), dtype=np.int64)
    reached = int((gaps == 0).sum())
    left = workers
    reachable = sorted((int(gaps[i]), codes[i], i) for i in range(len(codes)) if 0 < gaps[i] <= room[i])
    for gap, _, i in reachable:
        if gap > left:
            additions[i] = left  # partial progress for the closest region out of reach
            left = 0
            break
        additions[i] = gap
        left -= gap
        reached += 1
    return additions, reached


def _proporsional(room: np.ndarray, workers: int, codes: list[str]) -> np.ndarray:
    """In proportion to each region's room, whole workers by largest remainder (ties by region code)."""
    total = int(room.sum())
    if total == 0:
        return np.zeros(len(codes), dtype=np.int64)
    workers = min(workers, total)
    # Integer arithmetic: equal remainders must compare equal, so that ties really go by region code.
    shares = room.astype(object) * workers
    additions = np.array([share // total for share in shares], dtype=np.int64)
    remainders = [share % total for share in shares]
    order = sorted(range(len(codes)), key=lambda i: (-remainders[i], codes[i]))
    for i in order[: workers - int(additions.sum())]:
        additions[i] += 1
    return additions


def allocate(baseline: pd.DataFrame, *, budget_idr_per_year: float, strategy: str,
             parameters: CostParameters | None = None, target_rate: float | None = None,
             caps: Mapping[str, int | None] | None = None) -> Allocation:
    """Propose new enrolments per region that a yearly budget pays for, by ``strategy``."""
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r}; expected one of {STRATEGIES}")
    parameters = parameters or CostParameters()
    codes = baseline["region_code"].tolist()
    potential = baseline["potential_workers"].to_numpy(dtype=float)
    participants = baseline["participants"].to_numpy(dtype=float)
    room_by_code = capacities(baseline, caps)
    room = np.array([room_by_code[code] for code in codes], dtype=np.int64)
    workers = min(affordable_workers(budget_idr_per_year, parameters), int(room.sum()))
    reached = None
    if strategy == "pemerataan":
        additions = _pemerataan(potential, participants, room, workers, codes)
    elif strategy == "target":
        if target_rate is None:
            raise ValueError("the 'target' strategy needs a target_rate")
        additions, reached = _most_to_target(potential, participants, room, workers, target_rate, codes)
    else:
        additions = _proporsional(room, workers, codes)
    rates_after = (participants + additions) / potential
    placed = int(additions.sum())
    return Allocation(
        strategy=strategy,
        additions={code: int(a) for code, a in zip(codes, additions)},
        workers_affordable=workers,
        cost_idr_per_year=placed * parameters.cost_idr_per_worker_year,
        budget_idr_per_year=budget_idr_per_year,
        regions_reaching_target=reached,
        min_rate_after=float(rates_after.min()) if len(codes) else None,
    )
