"""Cost rules of the target groups (monev.group_costs): hand-computed cases for each rule, the 30 : 70 split, the
guard that keeps every discount away from publicly funded workers, the minimum wages, and the what-if.

Expected values are computed by hand in the comments and written out, never by the functions under test.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from monev import group_costs
from monev.group_costs import (
    CostSettings,
    FundingSplit,
    GroupCostError,
    MinimumWage,
    adhoc_cost,
    bpu_package_cost,
    group_cost,
    jakon_contribution,
    load_minimum_wages,
    minimum_wage,
    package_price,
    register_all_eligible,
    wage_earner_cost,
    wage_earner_rate,
)
from monev.simulation import DEFAULT_COST_IDR_PER_MONTH
from monev.target_groups import load_target_groups
from tests.unit.demo_numbers import PERIOD

ALL_FUNDERS = ("apbd_provinsi", "apbd_kabkota", "apbdes", "nphd_hibah", "csr", "mandiri", "pemberi_kerja", "lainnya")
HALF_PRICE = 0.5  # the 2025 / 2026 relief on BPU JKK + JKM

# --- the BPU package ------------------------------------------------------------------------------------------------


def test_the_package_is_the_simulators_rp16800():
    assert DEFAULT_COST_IDR_PER_MONTH == 16_800
    assert package_price("apbd_provinsi") == 16_800


def test_a_thousand_vulnerable_workers_for_a_year_cost_rp201_6_million():
    # 1,000 × 12 × Rp16,800 = Rp201,600,000
    assert bpu_package_cost(1_000, 12, funder="apbd_kabkota") == 201_600_000


def test_months_funded_scale_the_package():
    # Kepahiang-like: 1,984 people × 3 months × Rp16,800 = Rp99,993,600 ("about Rp100 million a quarter")
    assert bpu_package_cost(1_984, 3, funder="apbd_kabkota") == 99_993_600


# --- the discount guard ---------------------------------------------------------------------------------------------


# The registry's public funders (APBN/APBD, APBDes, the NPHD grant): PP 50/2025 and the 2025 relief exclude them.
PUBLIC_FUNDERS = frozenset(funder.code for funder in load_target_groups().funders if funder.public)


@pytest.mark.parametrize("funder", sorted(PUBLIC_FUNDERS))
def test_no_discount_ever_reaches_a_publicly_funded_worker(funder):
    assert package_price(funder, discount_share=HALF_PRICE) == 16_800
    assert package_price(funder, discount_share=1.0) == 16_800
    assert bpu_package_cost(1_000, 12, funder=funder, discount_share=HALF_PRICE) == 201_600_000


def test_the_registry_s_public_funders_are_the_four_budgets_of_the_shared_model():
    assert PUBLIC_FUNDERS == {"apbd_provinsi", "apbd_kabkota", "apbdes", "nphd_hibah"}


def test_only_a_self_paid_worker_gets_the_discount():
    discounted = {funder for funder in ALL_FUNDERS if package_price(funder, discount_share=HALF_PRICE) < 16_800}
    assert discounted == {"mandiri"}
    assert package_price("mandiri", discount_share=HALF_PRICE) == 8_400


def test_a_discount_outside_0_to_1_is_refused_whoever_pays():
    for funder in ("mandiri", "apbd_provinsi"):
        with pytest.raises(GroupCostError) as raised:
            package_price(funder, discount_share=1.5)
        assert raised.value.code == "share"


@pytest.mark.parametrize("cost_rule", ["bpu_package", "adhoc_months"])
@pytest.mark.parametrize("funder", [None, *sorted(PUBLIC_FUNDERS)])
def test_a_group_paid_from_a_public_budget_keeps_the_full_price_whatever_discount_is_set(cost_rule, funder):
    settings = CostSettings(funder=funder, discount_share=HALF_PRICE, months_by_subgroup={"": 3})
    months = 12 if cost_rule == "bpu_package" else 3
    cost = group_cost(cost_rule, {"": 100}, settings, year=2026)
    assert cost.total_idr == pytest.approx(100 * months * 16_800)


def test_a_self_paid_group_pays_the_discounted_package():
    cost = group_cost("bpu_package", {"": 100}, CostSettings(funder="mandiri", discount_share=HALF_PRICE), year=2026)
    assert cost.by_funder == {"mandiri": 100 * 12 * 8_400}


# --- ad hoc election staff ------------------------------------------------------------------------------------------


def test_ad_hoc_bodies_pay_the_package_for_their_own_months_of_cover():
    # KPPS 1,000 × 1 month + PPS 300 × 3 months + PPK 50 × 3 months = 1,000 + 900 + 150 = 2,050 person-months
    # × Rp16,800 = Rp34,440,000
    people = {"kpps": 1_000, "pps": 300, "ppk": 50}
    months = {"kpps": 1, "pps": 3, "ppk": 3, "pantarlih": 1}
    assert adhoc_cost(people, months, funder="nphd_hibah") == 34_440_000


def test_an_ad_hoc_body_without_known_months_is_refused_not_guessed():
    with pytest.raises(GroupCostError) as raised:
        adhoc_cost({"ptps": 10}, {"kpps": 1}, funder="nphd_hibah")
    assert raised.value.code == "adhoc_months_unknown"
    assert "ptps" in raised.value.message("en")


def test_ad_hoc_months_of_cover_are_one_to_three():
    with pytest.raises(GroupCostError):
        adhoc_cost({"kpps": 10}, {"kpps": 4}, funder="nphd_hibah")


# --- wage earners (non-ASN) -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("risk_class", "rate"), [
    ("sangat_rendah", 0.0054), ("rendah", 0.0084), ("sedang", 0.0119), ("tinggi", 0.0157), ("sangat_tinggi", 0.0204),
])
def test_a_wage_earner_pays_jkk_by_risk_class_plus_jkm_0_30_percent(risk_class, rate):
    assert wage_earner_rate(risk_class) == pytest.approx(rate)


def test_office_work_is_the_default_risk_class_and_is_marked_an_assumption():
    assert wage_earner_rate() == pytest.approx(0.0054)
    assert "asumsi" in group_costs.default_risk_note("id")
    assert "assumption" in group_costs.default_risk_note("en")


def test_a_hundred_non_asn_staff_at_the_2025_minimum_wage():
    # (0.24 % + 0.30 %) × Rp2,670,039 = Rp14,418.2106 a person a month; × 12 × 100 = Rp17,301,852.72
    assert wage_earner_cost(100, 2_670_039, 12, "sangat_rendah") == pytest.approx(17_301_852.72)


def test_a_wage_earner_group_defaults_to_the_minimum_wage_of_the_periods_year():
    cost = group_cost("wage_earner", {"": 100}, CostSettings(), year=2025)
    assert cost.total_idr == pytest.approx(17_301_852.72)
    # 30 : 70 of it
    assert cost.by_funder == pytest.approx({"apbd_provinsi": 5_190_555.816, "apbd_kabkota": 12_111_296.904})


def test_a_wage_the_user_sets_replaces_the_minimum_wage():
    # 0.54 % × Rp4,000,000 × 12 × 10 = Rp2,592,000
    settings = CostSettings(funder="apbd_kabkota", monthly_wage_idr=4_000_000)
    cost = group_cost("wage_earner", {"": 10}, settings, year=2025)
    assert cost.by_funder == pytest.approx({"apbd_kabkota": 2_592_000})


def test_an_unknown_risk_class_is_refused():
    with pytest.raises(GroupCostError) as raised:
        wage_earner_rate("ekstrem")
    assert raised.value.code == "risk_class"


# --- minimum wages --------------------------------------------------------------------------------------------------


def test_the_bengkulu_minimum_wages_are_the_reported_ones_with_their_sources():
    wages = {wage.year: wage for wage in load_minimum_wages()}
    assert {year: wage.idr for year, wage in wages.items()} == {2024: 2_507_079, 2025: 2_670_039, 2026: 2_827_250.90}
    assert "radarkepahiang.bacakoran.co/read/15059" in wages[2025].source
    assert "bekentv.id" in wages[2026].source
    assert all(wage.source for wage in wages.values())


def test_a_year_without_its_own_minimum_wage_takes_the_latest_before_it_and_says_which():
    assert minimum_wage(2027).year == 2026
    assert minimum_wage(2020).year == 2024  # nothing earlier listed: the earliest
    assert minimum_wage(2025).idr == 2_670_039


def test_the_wage_is_shown_in_full_with_its_year_and_source():
    wage = MinimumWage(2025, 2_670_039, "SK Gubernur")
    assert wage.describe("id") == "Upah bawaan: upah minimum provinsi (UMP) 2025, Rp2.670.039 per bulan (SK Gubernur)."


def test_no_minimum_wage_listed_is_an_error_that_asks_for_a_wage():
    with pytest.raises(GroupCostError) as raised:
        minimum_wage(2025, wages=())
    assert "2025" in raised.value.message("en")


# --- Jakon ----------------------------------------------------------------------------------------------------------


def test_a_750_million_contract_pays_by_marginal_tiers():
    # JKK = 0.21 % × 100M + 0.17 % × 400M + 0.13 % × 250M = 210,000 + 680,000 + 325,000 = Rp1,215,000
    # JKM = 0.03 % × 100M + 0.02 % × 400M + 0.02 % × 250M = 30,000 + 80,000 + 50,000 = Rp160,000
    contribution = jakon_contribution(750_000_000)
    assert contribution.jkk_idr == pytest.approx(1_215_000)
    assert contribution.jkm_idr == pytest.approx(160_000)
    assert contribution.total_idr == pytest.approx(1_375_000)


def test_a_contract_inside_the_first_tier():
    # 0.21 % and 0.03 % of Rp50M = Rp105,000 + Rp15,000
    contribution = jakon_contribution(50_000_000)
    assert (contribution.jkk_idr, contribution.jkm_idr) == (105_000, 15_000)


def test_a_7_billion_contract_runs_through_every_tier():
    # JKK: 210,000 + 680,000 + 0.13 % × 500M (650,000) + 0.11 % × 4,000M (4,400,000) + 0.09 % × 2,000M (1,800,000)
    #    = 7,740,000
    # JKM: 30,000 + 80,000 + 0.02 % × 500M (100,000) + 0.01 % × 4,000M (400,000) + 0.01 % × 2,000M (200,000) = 810,000
    contribution = jakon_contribution(7_000_000_000)
    assert (contribution.jkk_idr, contribution.jkm_idr) == pytest.approx((7_740_000, 810_000))


def test_jakon_is_priced_into_the_contracts_and_paid_by_the_contractor():
    settings = CostSettings(contracts_idr={"17.07": (750_000_000, 50_000_000)})
    cost = group_cost("jakon_contract", {"": 40}, settings, year=2025, region_code="17.07")
    assert cost.by_funder == pytest.approx({"pemberi_kerja": 1_375_000 + 120_000})
    assert cost.paid_outside_budget == "jakon_contract"
    assert "APBD" in cost.note("id")


# --- employer -------------------------------------------------------------------------------------------------------


def test_bumd_workers_cost_the_regional_budget_nothing_and_it_says_so():
    cost = group_cost("employer", {"": 500}, CostSettings(), year=2025)
    assert cost.total_idr == 0
    assert cost.by_funder == {}
    assert cost.note("en") == "Paid by the employer (BUMD): no cost to the regional budget."


def test_an_unknown_cost_rule_is_refused():
    with pytest.raises(GroupCostError) as raised:
        group_cost("per_head", {"": 1}, CostSettings(), year=2025)
    assert raised.value.code == "rule"


# --- the province : regency split -----------------------------------------------------------------------------------


def test_the_default_split_is_the_30_70_reported_for_bengkulu_with_its_source():
    split = FundingSplit()
    assert split.province_share == 0.30
    assert split.split(201_600_000) == pytest.approx({"apbd_provinsi": 60_480_000, "apbd_kabkota": 141_120_000})
    assert "rakyatbengkulu.disway.id 698353" in split.describe("id")
    assert "provinsi 30% : kabupaten/kota 70%" in split.describe("id")


def test_a_shared_cost_is_split_and_a_single_funder_pays_it_all():
    shared = group_cost("bpu_package", {"": 1_000}, CostSettings(), year=2025)
    assert shared.by_funder == pytest.approx({"apbd_provinsi": 60_480_000, "apbd_kabkota": 141_120_000})
    village = group_cost("bpu_package", {"": 1_000}, CostSettings(funder="apbdes"), year=2025)
    assert village.by_funder == {"apbdes": 201_600_000}


def test_another_split_is_a_parameter_and_an_impossible_one_is_refused():
    half = group_cost("bpu_package", {"": 10}, CostSettings(split=FundingSplit(0.5)), year=2025)
    assert half.by_funder == {"apbd_provinsi": 1_008_000, "apbd_kabkota": 1_008_000}
    with pytest.raises(GroupCostError):
        FundingSplit(1.3)


# --- the what-if ----------------------------------------------------------------------------------------------------


def groups_frame(rows: list[tuple[str, str, str, int, int, str]], period: str = PERIOD) -> pd.DataFrame:
    """A target-group frame of (region, group, subgroup, eligible, registered, funder) rows in ``period``."""
    return pd.DataFrame({
        "period": [period] * len(rows),
        "region_code": [row[0] for row in rows],
        "group_code": [row[1] for row in rows],
        "subgroup_code": [row[2] for row in rows],
        "eligible": [row[3] for row in rows],
        "registered": [row[4] for row in rows],
        "funder": [row[5] for row in rows],
        "months_funded": [12] * len(rows),
        "source_note": ["ilustrasi"] * len(rows),
        "known_problem": [False] * len(rows),
    })


def baseline_frame(regions: list[tuple[str, int, int]]) -> pd.DataFrame:
    """A coverage baseline with the indicator columns the what-if reads: (code, potential, participants)."""
    frame = pd.DataFrame({
        "region_code": [code for code, _, _ in regions],
        "potential_workers": [potential for _, potential, _ in regions],
        "participants": [participants for _, _, participants in regions],
    })
    return frame.assign(rate=frame["participants"] / frame["potential_workers"])


BASELINE = baseline_frame([("17.02", 100_000, 30_000), ("17.07", 50_000, 8_500), ("17.04", 40_000, 30_000)])
GROUPS = groups_frame([
    ("17.02", "pekerja_rentan", "", 12_000, 10_000, "apbd_kabkota"),
    ("17.02", "pekerja_rentan", "", 500, 200, "csr"),
    ("17.07", "pekerja_rentan", "", 3_000, 0, ""),
    ("17.04", "pekerja_rentan", "", 1_000, 1_000, "apbd_kabkota"),
    ("17.02", "non_asn", "", 2_800, 2_800, "apbd_kabkota"),
    ("17", "pekerja_rentan", "", 5_000, 4_000, "apbd_provinsi"),
])


def test_registering_every_eligible_vulnerable_worker_in_two_regions():
    result = register_all_eligible(GROUPS, BASELINE, period=PERIOD, group_code="pekerja_rentan",
                                   cost_rule="bpu_package", region_codes=["17.02", "17.07"], province_code="17")
    rejang, lebong = result.regions
    # Rejang Lebong: eligible 12,000 + 500 = 12,500, registered 10,000 + 200 = 10,200: 2,300 to add
    assert (rejang.eligible, rejang.registered_before, rejang.registered_after, rejang.added) == (
        12_500, 10_200, 12_500, 2_300)
    # coverage 30,000 / 100,000 = 30 % → 32,300 / 100,000 = 32.3 %
    assert (rejang.coverage.rate_before, rejang.coverage.rate_after) == pytest.approx((0.30, 0.323))
    # Lebong: 3,000 to add; 8,500 / 50,000 = 17 % → 11,500 / 50,000 = 23 %
    assert lebong.added == 3_000
    assert (lebong.coverage.rate_before, lebong.coverage.rate_after) == pytest.approx((0.17, 0.23))
    # Cost: 2,300 × 12 × Rp16,800 = Rp463,680,000, split 30 : 70 = 139,104,000 : 324,576,000
    assert rejang.cost.by_funder == pytest.approx({"apbd_provinsi": 139_104_000, "apbd_kabkota": 324_576_000})
    # Both: 5,300 × 201,600 = Rp1,068,480,000 → 320,544,000 : 747,936,000
    assert result.added == 5_300
    assert result.cost_by_funder == pytest.approx({"apbd_provinsi": 320_544_000, "apbd_kabkota": 747_936_000})
    # The province: (30,000 + 8,500 + 30,000) / 190,000 = 36.05 % → 73,800 / 190,000 = 38.84 %
    assert (result.province.participants_before, result.province.participants_after) == (68_500, 73_800)
    assert result.province.potential_workers == 190_000
    assert result.province.rate_after == pytest.approx(73_800 / 190_000)


def test_a_region_already_fully_registered_adds_nobody_and_costs_nothing():
    result = register_all_eligible(GROUPS, BASELINE, period=PERIOD, group_code="pekerja_rentan",
                                   cost_rule="bpu_package", region_codes=["17.04"], province_code="17")
    (kaur,) = result.regions
    assert (kaur.added, kaur.cost.total_idr) == (0, 0)
    assert kaur.coverage.rate_after == kaur.coverage.rate_before == 0.75


def test_more_registered_than_eligible_as_a_known_problem_adds_nobody():
    groups = groups_frame([("17.07", "non_asn", "", 100, 120, "apbd_kabkota")])
    result = register_all_eligible(groups, BASELINE, period=PERIOD, group_code="non_asn", cost_rule="wage_earner",
                                   region_codes=["17.07"], province_code="17")
    assert result.regions[0].added == 0
    assert result.regions[0].registered_after == 120


def test_a_region_without_rows_for_the_group_is_listed_as_not_reported():
    result = register_all_eligible(GROUPS, BASELINE, period=PERIOD, group_code="non_asn", cost_rule="wage_earner",
                                   region_codes=["17.07"], province_code="17")
    (lebong,) = result.regions
    assert not lebong.reported
    assert (lebong.eligible, lebong.added, lebong.cost.total_idr) == (0, 0, 0)


def test_the_provinces_own_rows_add_to_the_province_only():
    result = register_all_eligible(GROUPS, BASELINE, period=PERIOD, group_code="pekerja_rentan",
                                   cost_rule="bpu_package", region_codes=["17"], settings=CostSettings(
                                       funder="apbd_provinsi"), province_code="17")
    (province_row,) = result.regions
    assert province_row.coverage is None
    assert province_row.added == 1_000
    assert province_row.cost.by_funder == {"apbd_provinsi": 201_600_000}
    assert result.province.participants_after == 68_500 + 1_000


def test_ad_hoc_staff_are_costed_by_subgroup_in_the_what_if():
    groups = groups_frame([
        ("17.07", "adhoc_pemilu", "kpps", 2_000, 500, "nphd_hibah"),
        ("17.07", "adhoc_pemilu", "ppk", 25, 25, "nphd_hibah"),
        ("17.07", "adhoc_pemilu", "pps", 100, 0, "nphd_hibah"),
    ])
    settings = CostSettings(funder="nphd_hibah", discount_share=HALF_PRICE,
                            months_by_subgroup={"kpps": 1, "ppk": 3, "pps": 3})
    result = register_all_eligible(groups, BASELINE, period=PERIOD, group_code="adhoc_pemilu",
                                   cost_rule="adhoc_months", region_codes=["17.07"], settings=settings,
                                   province_code="17")
    # KPPS 1,500 × 1 + PPS 100 × 3 = 1,800 person-months × Rp16,800 (no discount: NPHD grant) = Rp30,240,000
    assert result.regions[0].added == 1_600
    assert result.cost_by_funder == {"nphd_hibah": 30_240_000}


def test_subgroup_left_empty_in_a_file_counts_as_no_subgroup():
    groups = groups_frame([("17.07", "pekerja_rentan", "", 10, 0, "")])
    groups["subgroup_code"] = [math.nan]
    result = register_all_eligible(groups, BASELINE, period=PERIOD, group_code="pekerja_rentan",
                                   cost_rule="bpu_package", region_codes=["17.07"], province_code="17")
    assert result.added == 10


def test_only_the_asked_period_counts():
    groups = pd.concat([GROUPS, groups_frame([("17.07", "pekerja_rentan", "", 9_999, 0, "")], period="2024-09")])
    result = register_all_eligible(groups, BASELINE, period=PERIOD, group_code="pekerja_rentan",
                                   cost_rule="bpu_package", region_codes=["17.07"], province_code="17")
    assert result.added == 3_000


def test_a_region_not_in_the_coverage_data_is_refused():
    with pytest.raises(GroupCostError) as raised:
        register_all_eligible(GROUPS, BASELINE, period=PERIOD, group_code="pekerja_rentan", cost_rule="bpu_package",
                              region_codes=["17.99"], province_code="17")
    assert raised.value.code == "region"
    assert "17.99" in raised.value.message("id")


def test_the_what_if_on_the_demo_baseline_moves_the_province_by_the_added_people(indicators):
    groups = groups_frame([("17.07", "pekerja_rentan", "", 13_300, 3_866, "apbd_kabkota")])
    result = register_all_eligible(groups, indicators, period=PERIOD, group_code="pekerja_rentan",
                                   cost_rule="bpu_package", region_codes=["17.07"])
    participants = int(indicators["participants"].sum())
    potential = int(indicators["potential_workers"].sum())
    assert result.added == 9_434
    assert result.province.rate_before == pytest.approx(participants / potential)
    assert result.province.rate_after == pytest.approx((participants + 9_434) / potential)
