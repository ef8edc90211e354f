"""Yardsticks, denominators and UCJ bands: hand-computed cases."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from monev import yardsticks as ys
from monev.indicators import NATIONAL_RATE_DEFAULT

RATES = pd.DataFrame({"region_code": ["17.01", "17.02", "17.03"], "rate": [0.30, 0.33, 0.45]})


def test_the_national_yardstick_is_the_apps_national_line_with_its_source():
    stick = ys.yardstick_for("national", "2024-10", "17.01")
    assert stick.rate == NATIONAL_RATE_DEFAULT
    assert stick.label("id") == "Rata-rata nasional (39,0%)"
    assert "jarrakpos.com" in stick.source_text("en")
    typed = ys.yardstick_for("national", "2024-10", "17.01", national_rate=0.394)
    assert (typed.rate, typed.source_text("en")) == (0.394, "National average entered by the user.")


def test_switching_to_the_rpjmn_path_changes_which_regions_are_below_and_the_gaps():
    national = ys.yardstick_gaps(RATES, "national", "2025-06")
    rpjmn = ys.yardstick_gaps(RATES, "rpjmn", "2025-06", lang="en")
    assert national["below"].tolist() == [True, True, False]
    assert national["gap"].tolist() == pytest.approx([-0.09, -0.06, 0.06])
    assert rpjmn["below"].tolist() == [True, False, False]  # 32.15 % in 2025
    assert rpjmn["gap"].tolist() == pytest.approx([-0.0215, 0.0085, 0.1285])
    assert rpjmn["yardstick_label"].iloc[0] == "RPJMN target 2025 (32.15%)"


def test_only_reported_rpjmn_years_are_presented_as_reported():
    assert ys.yardstick_for("rpjmn", "2026-12", "17.01").rate == 0.3499  # RKP 2026
    assert not ys.yardstick_for("rpjmn", "2029-01", "17.01").interpolated
    between = ys.yardstick_for("rpjmn", "2027-06", "17.01")
    assert between.interpolated
    assert between.rate == pytest.approx(0.3499 + (0.4392 - 0.3499) / 3)  # a third of the way from 2026 to 2029
    assert between.label("id") == "Target RPJMN 2027 (37,97%), interpolasi"
    assert between.source_text("en").startswith("Interpolated linearly between the 2026 and 2029 targets, not a "
                                                 "reported figure")


def test_there_is_no_rpjmn_yardstick_outside_the_plan_and_its_gap_is_empty():
    assert ys.yardstick_for("rpjmn", "2024-10", "17.01") is None
    assert ys.yardstick_for("rpjmn", "2030-01", "17.01") is None
    gaps = ys.yardstick_gaps(RATES, "rpjmn", "2024-10")
    assert gaps["gap"].isna().all() and not gaps["below"].any()


def test_province_and_region_targets():
    province = ys.yardstick_for("province_target", "2024-10", "17.07")
    assert (province.rate, province.label("en")) == (0.39, "Province target 2024 (39.0%)")
    assert "harianrakyatbengkulu" in province.source_text("id")
    assert ys.yardstick_for("province_target", "2025-01", "17.07") is None
    targets = {"17.01": 0.35, "17.02": 0.30}
    gaps = ys.yardstick_gaps(RATES, "region_target", "2024-10", region_targets=targets)
    assert gaps["gap"].tolist()[:2] == pytest.approx([-0.05, 0.03])
    assert math.isnan(gaps["gap"].iloc[2])
    assert gaps["below"].tolist() == [True, False, False]


def test_an_unknown_yardstick_is_refused():
    with pytest.raises(ValueError, match="unknown yardstick"):
        ys.yardstick_for("paritrana", "2024-10", "17.01")


COUNTS = pd.DataFrame({"region_code": ["17.01", "17.71", "17"], "participants": [50_000, 100_000, 261_814],
                       "potential_workers": [100_000, 200_000, 708_000]})


def test_the_bps_denominator_recomputes_rates_and_every_figure_names_its_denominator():
    bpjs = ys.rates_with_denominator(COUNTS, ys.BPJS_POTENTIAL, lang="en")
    bps = ys.rates_with_denominator(COUNTS, ys.BPS_EMPLOYED, lang="en")
    assert bpjs["rate"].tolist() == pytest.approx([0.5, 0.5, 261_814 / 708_000])  # the province: 36.98 %
    assert bps["rate"].tolist()[1:] == pytest.approx([100_000 / 193_061, 261_814 / 1_101_234])  # 51.80 %, 23.77 %
    assert math.isnan(bps["rate"].iloc[0])  # Bengkulu Selatan has no published BPS count: no rate, not a mixed one
    assert set(bps["denominator_label"]) == {"denominator: employed population (BPS)"}
    assert set(bpjs["denominator_label"]) == {"denominator: BPJS Ketenagakerjaan potential workers"}
    assert ys.denominator_label(ys.BPS_EMPLOYED, "id") == "penyebut: penduduk bekerja (BPS)"


def test_the_bps_denominator_is_offered_only_where_a_count_exists():
    assert ys.available_denominators(["17.01", "17.02"]) == (ys.BPJS_POTENTIAL,)
    assert ys.available_denominators(["17.01", "17.71"]) == (ys.BPJS_POTENTIAL, ys.BPS_EMPLOYED)


def test_ucj_bands_use_the_assumed_quarters_and_a_rate_on_a_cut_off_goes_up():
    assert ys.classify_bands([0.17, 0.25, 0.37, 0.5, 0.75, math.nan]) == [
        "sangat_rendah", "rendah", "rendah", "sedang", "tinggi", None]
    assert ys.band_label("sangat_rendah", "en") == "very low"


def test_ucj_bands_follow_cut_offs_from_the_settings():
    assert ys.classify_bands([0.17, 0.3, 0.37, 0.75], cutoffs=(0.2, 0.35, 0.5)) == [
        "sangat_rendah", "rendah", "sedang", "tinggi"]
    with pytest.raises(ValueError):
        ys.classify_bands([0.3], cutoffs=(0.5, 0.35, 0.6))
    with pytest.raises(ValueError):
        ys.classify_bands([0.3], cutoffs=(0.2, 0.5))


def test_the_settings_file_matches_the_domain_notes():
    settings = ys.load_yardstick_settings()
    assert [(rate.year, rate.rate) for rate in settings.rpjmn] == [(2025, 0.3215), (2026, 0.3499), (2029, 0.4392)]
    assert settings.denominators[ys.BPS_EMPLOYED].counts == {"17": 1_101_234, "17.71": 193_061}
    assert settings.band_cutoffs == (0.25, 0.5, 0.75)
