"""Budget allocation (monev.allocation): budget and capacity limits, optimality against brute force on small cases,
determinism and tie-breaking, the explanation sentence, and the demo's water level.

Expected values are computed here (integer arithmetic, Fractions, enumeration), never by the functions under test.
"""

from __future__ import annotations

import heapq
import itertools
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monev.allocation import STRATEGIES, affordable_workers, allocate, capacities
from monev.dataset import SEGMENTS, CoverageData, load_demo
from monev.indicators import region_indicators
from monev.regions import load_registry
from monev.simulation import CostParameters
from tests.unit.demo_numbers import demo_rows

ROOT = Path(__file__).resolve().parents[2]
DEMO_CSV = ROOT / "data" / "demo" / "cakupan_bengkulu_2024.csv"
PERIOD = "2024-10"
CODES = load_registry().codes
SETTINGS = settings(max_examples=100, deadline=None, database=None)
# One Rupiah a worker-year: the number of workers a budget buys is the budget itself.
UNIT_COST = CostParameters(cost_idr_per_month=1, months_funded=1)


def baseline_of(regions: list[tuple[str, int, int]], period: str = PERIOD) -> pd.DataFrame:
    """The indicator table of one period with the given (code, potential, participants)."""
    frame = pd.DataFrame({
        "period": [period] * len(regions),
        "region_code": [code for code, _, _ in regions],
        "potential_workers": pd.array([potential for _, potential, _ in regions], dtype="int64"),
        "participants": pd.array([participants for _, _, participants in regions], dtype="int64"),
        "pu": pd.array([participants for _, _, participants in regions], dtype="float64"),
        **{segment: pd.array([0] * len(regions), dtype="float64") for segment in SEGMENTS[1:]},
        "target_rate": pd.array([0.39] * len(regions), dtype="float64"),
        "note": [""] * len(regions),
    })
    return region_indicators(CoverageData(frame=frame, source_name="t", checksum="x"), period)


@st.composite
def regions_strategy(draw, min_size: int, max_size: int, max_potential: int, min_potential: int = 1):
    codes = sorted(draw(st.lists(st.sampled_from(CODES), min_size=min_size, max_size=max_size, unique=True)))
    regions = []
    for code in codes:
        potential = draw(st.integers(min_potential, max_potential))
        regions.append((code, potential, draw(st.integers(0, potential))))
    return regions


@st.composite
def caps_for(draw, regions):
    """Sometimes no caps at all; else a cap (or None, or a cap above the room) per region."""
    if draw(st.booleans()):
        return None
    return {code: draw(st.one_of(st.none(), st.integers(0, potential + 5))) for code, potential, _ in regions}


def room_of(regions, caps) -> dict[str, int]:
    room = {}
    for code, potential, participants in regions:
        cap = (caps or {}).get(code)
        room[code] = potential - participants if cap is None else min(potential - participants, cap)
    return room


# --- limits: budget and capacity ----------------------------------------------------------------------------


@st.composite
def budget_cases(draw):
    regions = draw(regions_strategy(2, 6, 500, min_potential=10))
    caps = draw(caps_for(regions))
    cost = draw(st.integers(1, 50_000))
    months = draw(st.integers(1, 12))
    budget = draw(st.one_of(st.just(0), st.integers(0, 3_000 * cost * months)))
    percent = draw(st.integers(1, 100))
    return regions, caps, cost, months, budget, percent


@SETTINGS
@given(case=budget_cases(), strategy=st.sampled_from(STRATEGIES))
def test_never_exceeds_budget_or_capacity(case, strategy):
    regions, caps, cost, months, budget, percent = case
    parameters = CostParameters(cost_idr_per_month=cost, months_funded=months)
    result = allocate(baseline_of(regions), budget_idr_per_year=budget, strategy=strategy, parameters=parameters,
                      target_rate=percent / 100, caps=caps)
    room = room_of(regions, caps)
    assert capacities(baseline_of(regions), caps) == room
    affordable = budget // (cost * months)
    placed = sum(result.additions.values())

    assert set(result.additions) == set(room)
    for code, added in result.additions.items():
        assert 0 <= added <= room[code]
    assert result.workers == placed
    assert placed <= min(affordable, sum(room.values()))
    assert result.workers_affordable == min(affordable, sum(room.values()))
    assert result.cost_idr_per_year == placed * cost * months <= budget
    assert result.budget_idr_per_year == budget
    if strategy != "target":
        # Both spread every affordable worker that has somewhere to go.
        assert placed == min(affordable, sum(room.values()))
    rates_after = [Fraction(participants + result.additions[code], potential)
                   for code, potential, participants in regions]
    assert result.min_rate_after == pytest.approx(float(min(rates_after)), rel=1e-12)


# --- brute force on small cases -----------------------------------------------------------------------------


def feasible(room: list[int], workers: int):
    """Every integer allocation with 0 ≤ a_i ≤ room_i and Σ a_i ≤ workers."""
    ranges = [range(min(r, workers) + 1) for r in room]
    for allocation in itertools.product(*ranges):
        if sum(allocation) <= workers:
            yield allocation


@st.composite
def small_cases(draw):
    regions = draw(regions_strategy(2, 4, 30))
    caps = draw(caps_for(regions))
    workers = draw(st.integers(0, 12))
    return regions, caps, workers


def reached(regions, additions, percent: int) -> int:
    return sum(100 * (participants + added) >= percent * potential
               for (_, potential, participants), added in zip(regions, additions))


@SETTINGS
@given(case=small_cases())
def test_pemerataan_reaches_the_best_possible_lowest_rate(case):
    regions, caps, workers = case
    room = room_of(regions, caps)
    rooms = [room[code] for code, _, _ in regions]
    best = max(min(Fraction(participants + a, potential) for (_, potential, participants), a in zip(regions, alloc))
               for alloc in feasible(rooms, workers))
    result = allocate(baseline_of(regions), budget_idr_per_year=workers, strategy="pemerataan",
                      parameters=UNIT_COST, caps=caps)
    got = [result.additions[code] for code, _, _ in regions]
    lowest = min(Fraction(participants + a, potential) for (_, potential, participants), a in zip(regions, got))
    assert lowest == best
    assert sum(got) == min(workers, sum(rooms))


@SETTINGS
@given(case=small_cases(), percent=st.integers(1, 100))
def test_target_strategy_reaches_as_many_regions_as_possible(case, percent):
    regions, caps, workers = case
    room = room_of(regions, caps)
    rooms = [room[code] for code, _, _ in regions]
    best = max(reached(regions, alloc, percent) for alloc in feasible(rooms, workers))
    result = allocate(baseline_of(regions), budget_idr_per_year=workers, strategy="target",
                      parameters=UNIT_COST, target_rate=percent / 100, caps=caps)
    got = [result.additions[code] for code, _, _ in regions]
    assert reached(regions, got, percent) == best
    assert result.regions_reaching_target == best
    assert sum(got) <= workers


@SETTINGS
@given(case=small_cases())
def test_proporsional_shares_by_room_within_one_worker(case):
    regions, caps, workers = case
    room = room_of(regions, caps)
    total = sum(room.values())
    result = allocate(baseline_of(regions), budget_idr_per_year=workers, strategy="proporsional",
                      parameters=UNIT_COST, caps=caps)
    placed = min(workers, total)
    assert sum(result.additions.values()) == placed
    for code, _, _ in regions:
        exact = Fraction(room[code] * placed, total) if total else Fraction(0)
        assert abs(result.additions[code] - exact) < 1
        assert result.additions[code] <= room[code]


# --- determinism and ties -----------------------------------------------------------------------------------


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_same_inputs_give_the_same_proposal_whatever_the_row_order(strategy):
    regions = [("17.01", 300, 40), ("17.03", 120, 30), ("17.05", 500, 100), ("17.07", 80, 5), ("17.71", 300, 40)]
    baseline = baseline_of(regions)
    kwargs = {"budget_idr_per_year": 57 * 201_600 + 1_000, "strategy": strategy, "target_rate": 0.3}
    first = allocate(baseline, **kwargs)
    again = allocate(baseline, **kwargs)
    shuffled = allocate(baseline.iloc[[3, 0, 4, 2, 1]].reset_index(drop=True), **kwargs)
    assert first.additions == again.additions == shuffled.additions
    assert sum(first.additions.values()) <= 57


@pytest.mark.parametrize("strategy", STRATEGIES)
@pytest.mark.parametrize("workers", [1, 3])
def test_ties_go_to_the_lower_region_code(strategy, workers):
    # 17.71 and 17.01 are identical; rows put 17.71 first so that only the code can decide.
    baseline = baseline_of([("17.71", 100, 10), ("17.01", 100, 10)]).sort_values("region_code", ascending=False)
    assert list(baseline["region_code"]) == ["17.71", "17.01"]
    result = allocate(baseline.reset_index(drop=True), budget_idr_per_year=workers, strategy=strategy,
                      parameters=UNIT_COST, target_rate=0.105)  # gap of 1 each, for the target strategy
    expected = {1: {"17.01": 1, "17.71": 0}, 3: {"17.01": 2, "17.71": 1}}[workers]
    if strategy == "target" and workers == 3:
        expected = {"17.01": 1, "17.71": 1}  # both reach the target with one each; the third has nowhere to go
    assert result.additions == expected


def test_proporsional_exact_remainder_tie_goes_to_the_lower_code():
    # Rooms 1, 1 and 7 for 3 workers: exact shares 1/3, 1/3 and 7/3, so all three remainders are exactly 1/3.
    # Largest remainder with ties by region code gives the leftover worker to 17.01.
    baseline = baseline_of([("17.01", 10, 9), ("17.02", 10, 9), ("17.03", 10, 3)])
    result = allocate(baseline, budget_idr_per_year=3, strategy="proporsional", parameters=UNIT_COST)
    assert result.additions == {"17.01": 1, "17.02": 0, "17.03": 2}


# --- explanation --------------------------------------------------------------------------------------------

# A: 80 000 of 100 000, B: 90 000 of 100 000; budget for 2 500 workers and Rp100.000 more (not a whole worker).
EXPLAIN_BUDGET = 2_500 * 201_600 + 100_000


@pytest.fixture(scope="module")
def explain_baseline() -> pd.DataFrame:
    return baseline_of([("17.01", 100_000, 80_000), ("17.02", 100_000, 90_000)])


@pytest.mark.parametrize(("strategy", "lang", "parts"), [
    ("pemerataan", "id", ["Pemerataan: 2.500 peserta baru", "(Rp504 juta dari anggaran Rp504,1 juta)",
                          "cakupan terendah menjadi 82,5%."]),
    ("pemerataan", "en", ["2,500 new participants", "(Rp504 million of a Rp504.1 million budget)",
                          "the lowest coverage becomes 82.5%."]),
    # Rooms 20 000 and 10 000: 1 666,7 and 833,3 -> 1 667 and 833; the lowest becomes 81 667 / 100 000.
    ("proporsional", "id", ["2.500 peserta baru", "Rp504 juta dari anggaran Rp504,1 juta", "menjadi 81,7%."]),
    ("proporsional", "en", ["2,500 new participants", "Rp504 million of a Rp504.1 million budget", "becomes 81.7%."]),
    # Target 85 %: A needs 5 000, gets the 2 500 affordable; B (90 %) is already there -> 1 region.
    ("target", "id", ["2.500 peserta baru", "Rp504 juta dari anggaran Rp504,1 juta", "; 1 wilayah mencapai target."]),
    ("target", "en", ["2,500 new participants", "Rp504 million of a Rp504.1 million budget",
                      "; 1 region reaches the target."]),
])
def test_explanation_sentences_carry_the_numbers(explain_baseline, strategy, lang, parts):
    result = allocate(explain_baseline, budget_idr_per_year=EXPLAIN_BUDGET, strategy=strategy, target_rate=0.85)
    assert result.workers == 2_500
    assert result.cost_idr_per_year == 504_000_000
    text = result.explanation(lang)
    for part in parts:
        assert part in text


# --- affordable workers -------------------------------------------------------------------------------------


@settings(max_examples=100, deadline=None, database=None)
@given(budget=st.integers(0, 10**13), cost=st.integers(1, 200_000), months=st.integers(1, 24))
def test_affordable_workers_is_floor_of_budget_over_yearly_cost(budget, cost, months):
    parameters = CostParameters(cost_idr_per_month=cost, months_funded=months)
    assert affordable_workers(budget, parameters) == budget // (cost * months)


def test_affordable_workers_edges():
    default = CostParameters()
    assert affordable_workers(0, default) == 0
    assert affordable_workers(201_599, default) == 0
    assert affordable_workers(201_600, default) == 1
    assert affordable_workers(5_000_000_000, default) == 24_801
    assert affordable_workers(-1_000_000, default) == 0
    assert affordable_workers(1e9, CostParameters(cost_idr_per_month=0)) == 0


# --- the demo: water level ----------------------------------------------------------------------------------




def one_at_a_time(rows: dict[str, tuple[int, int]], workers: int) -> Fraction:
    """Lowest rate after giving each worker in turn to the region with the lowest rate (exact fractions)."""
    heap = [(Fraction(p, big_p), code) for code, (big_p, p) in rows.items()]
    added = dict.fromkeys(rows, 0)
    heapq.heapify(heap)
    for _ in range(workers):
        _, code = heapq.heappop(heap)
        added[code] += 1
        big_p, p = rows[code]
        if p + added[code] < big_p:
            heapq.heappush(heap, (Fraction(p + added[code], big_p), code))
    return min(Fraction(p + added[code], big_p) for code, (big_p, p) in rows.items())


def test_demo_pemerataan_fills_the_lowest_five_to_one_water_level():
    rows = demo_rows()
    budget = 5_000_000_000
    workers = 5_000_000_000 // (16_800 * 12)
    assert workers == 24_801
    result = allocate(region_indicators(load_demo(), PERIOD), budget_idr_per_year=budget, strategy="pemerataan")
    assert result.cost_idr_per_year == workers * 201_600 <= budget
    assert result.workers == workers

    lowest_five = sorted(rows, key=lambda code: Fraction(rows[code][1], rows[code][0]))[:5]
    receiving = {code for code, added in result.additions.items() if added > 0}
    assert receiving == set(lowest_five)
    after = {code: Fraction(p + result.additions[code], big_p) for code, (big_p, p) in rows.items()}
    lowest = min(after.values())
    assert lowest == one_at_a_time(rows, workers)
    assert result.min_rate_after == pytest.approx(float(lowest), rel=1e-12)
    for code in lowest_five:
        big_p, p = rows[code]
        # Within one worker of the level: one fewer and the region would be at or below the lowest rate.
        assert Fraction(p + result.additions[code] - 1, big_p) <= lowest <= after[code]
