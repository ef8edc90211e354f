"""The ``simulate`` and ``allocate`` commands, run as users run them: ``python -m monev ...`` in a subprocess.

Expected numbers come from the demo CSV with integer arithmetic done here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.unit.cli_runner import run_cli
from tests.unit.demo_numbers import demo_rows

ROOT = Path(__file__).resolve().parents[2]
DEMO_CSV = ROOT / "data" / "demo" / "cakupan_bengkulu_2024.csv"
PERIOD = "2024-10"
COST_YEAR = 16_800 * 12
BUDGET = 5_000_000_000


def run_json(*args: object) -> dict:
    completed = run_cli(*args, "--json")
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)




def needed_for_percent(percent: int, potential: int, participants: int) -> int:
    return max(0, (percent * potential + 99) // 100 - participants)


def additional_by_code(output: dict) -> dict[str, int]:
    return {region["code"]: region["additional"] for region in output["regions"]}


# --- simulate -----------------------------------------------------------------------------------------------


def test_simulate_all_to_39_percent_matches_the_hand_calculation():
    rows = demo_rows()
    needed = {code: needed_for_percent(39, potential, participants) for code, (potential, participants) in rows.items()}
    added = sum(needed.values())
    potential_total = sum(potential for potential, _ in rows.values())
    participants_total = sum(participants for _, participants in rows.values())

    output = run_json("simulate", "--demo", "--target-all", "0.39")
    province = output["province"]
    assert output["period"] == PERIOD
    assert province["participants_added"] == added == 40_801
    assert province["cost_idr_per_year"] == added * COST_YEAR
    assert province["cost_idr_per_month"] == added * 16_800
    assert province["rate_before"] == pytest.approx(participants_total / potential_total, rel=1e-12)
    assert province["rate_after"] == pytest.approx((participants_total + added) / potential_total, rel=1e-12)
    assert province["regions_at_national_before"] == 3
    assert province["regions_at_national_after"] == 10
    assert province["budget_left_idr"] is None
    assert additional_by_code(output) == needed
    assert "40.801" in output["summary"] and "Rp8,2 miliar" in output["summary"]


def test_simulate_targets_accept_codes_and_names():
    rows = demo_rows()
    expected = {code: 0 for code in rows}
    expected["17.01"] = needed_for_percent(40, *rows["17.01"])
    expected["17.07"] = needed_for_percent(30, *rows["17.07"])
    output = run_json("simulate", "--demo", "--targets", "17.01=0.4,Lebong=0.3")
    assert additional_by_code(output) == expected
    assert output["province"]["participants_added"] == sum(expected.values())
    assert output["province"]["cost_idr_per_year"] == sum(expected.values()) * COST_YEAR


def test_simulate_add_gives_lebong_exactly_what_was_asked():
    output = run_json("simulate", "--demo", "--add", "17.07=5000")
    additions = additional_by_code(output)
    assert additions["17.07"] == 5_000
    assert sum(additions.values()) == 5_000
    assert output["province"]["cost_idr_per_year"] == 5_000 * 16_800 * 12
    lebong = next(region for region in output["regions"] if region["code"] == "17.07")
    potential, participants = demo_rows()["17.07"]
    assert lebong["rate_after"] == pytest.approx((participants + 5_000) / potential, rel=1e-12)
    assert lebong["cost_idr_per_year"] == 5_000 * 16_800 * 12


def test_simulate_cost_and_months_change_the_cost():
    output = run_json("simulate", "--demo", "--add", "17.07=5000", "--cost", "8400", "--months", "6")
    assert output["cost_idr_per_worker_month"] == 8_400
    assert output["months_funded"] == 6
    assert output["province"]["cost_idr_per_month"] == 5_000 * 8_400
    assert output["province"]["cost_idr_per_year"] == 5_000 * 8_400 * 6


def test_simulate_ceiling_reports_the_budget_left():
    output = run_json("simulate", "--demo", "--add", "17.07=5000", "--ceiling", "2000000000")
    assert output["province"]["budget_left_idr"] == 2_000_000_000 - 5_000 * COST_YEAR
    assert "Sisa plafon anggaran" in output["summary"]


def test_simulate_target_above_100_percent_is_refused():
    completed = run_cli("simulate", "--demo", "--targets", "17.07=1.2")
    assert completed.returncode == 1
    assert "Lebong: target 120,0% melebihi 100%" in completed.stderr
    assert completed.stdout == ""


def test_simulate_more_than_unenrolled_is_refused():
    completed = run_cli("simulate", "--demo", "--add", "17.07=999999")
    assert completed.returncode == 1
    assert "melebihi" in completed.stderr
    potential, participants = demo_rows()["17.07"]
    assert f"{potential - participants:,}".replace(",", ".") in completed.stderr


@pytest.mark.parametrize("value", ["xx=5", "17.07", "17.07=abc"])
def test_simulate_unreadable_region_value_shows_the_usage_hint(value):
    completed = run_cli("simulate", "--demo", "--add", value)
    assert completed.returncode == 1
    assert f"Tidak dapat dibaca: '{value}'" in completed.stderr
    assert "KODE=NILAI" in completed.stderr


def test_simulate_errors_in_english():
    completed = run_cli("simulate", "--demo", "--add", "xx=5", "--lang", "en")
    assert completed.returncode == 1
    assert "CODE=VALUE" in completed.stderr


# --- allocate -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=["pemerataan", "target", "proporsional"])
def allocation(request) -> tuple[str, dict]:
    strategy = request.param
    return strategy, run_json("allocate", "--demo", "--budget", BUDGET, "--strategy", strategy, "--target", "0.39")


def test_allocate_stays_within_budget_and_room(allocation):
    strategy, output = allocation
    rows = demo_rows()
    workers = BUDGET // COST_YEAR
    assert workers == 24_801
    assert output["strategy"] == strategy
    assert output["cost_idr_per_year"] == output["workers"] * COST_YEAR <= BUDGET
    assert output["workers"] == sum(output["additions"].values()) == workers
    assert set(output["additions"]) == set(rows)
    for code, added in output["additions"].items():
        potential, participants = rows[code]
        assert 0 <= added <= potential - participants
        assert output["rates_after"][code] == pytest.approx((participants + added) / potential, rel=1e-12)


def test_allocate_target_reaches_the_greedy_count():
    rows = demo_rows()
    gaps = sorted((needed_for_percent(39, *rows[code]), code) for code in rows)
    left, reached, expected = BUDGET // COST_YEAR, 0, dict.fromkeys(rows, 0)
    for gap, code in gaps:
        if gap > left:
            break
        expected[code] = gap
        left -= gap
        reached += 1
    assert reached == 8  # 3 already at 39 %, then gaps 221, 1 901, 5 420, 5 539 and 8 456
    output = run_json("allocate", "--demo", "--budget", BUDGET, "--strategy", "target", "--target", "0.39")
    assert output["target_rate"] == 0.39
    assert output["regions_reaching_target"] == reached
    for code, gap in expected.items():
        if gap:
            assert output["additions"][code] == gap
    reaching = sum(100 * (participants + output["additions"][code]) >= 39 * potential
                   for code, (potential, participants) in rows.items())
    assert reaching == reached


def test_allocate_text_output_has_the_explanation():
    completed = run_cli("allocate", "--demo", "--budget", BUDGET, "--strategy", "pemerataan")
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("Pemerataan: 24.801 peserta baru")
