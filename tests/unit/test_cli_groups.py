"""`python -m monev groups`: the region × group matrix and the totals per group, as users run it."""

from __future__ import annotations

import json

import pytest

from tests.unit.cli_runner import run_cli

# KPU ad hoc staff of the Pilkada 2024 per regency (satujuang.com); data/README.md.
REPORTED_KPU_AD_HOC = {
    "17.02": 5_060, "17.03": 4_999, "17.05": 4_690, "17.04": 4_276, "17.71": 3_858,
    "17.08": 3_322, "17.09": 2_899, "17.01": 2_839, "17.07": 2_815, "17.06": 1_628,
}


@pytest.fixture(scope="module")
def demo() -> dict:
    completed = run_cli("groups", "--demo", "--json")
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def _region(demo: dict, code: str) -> dict:
    return next(region for region in demo["regions"] if region["code"] == code)


def test_the_province_vulnerable_workers_are_the_reported_eligible_and_protected(demo):
    vulnerable = _region(demo, "17")["groups"]["pekerja_rentan"]
    assert (vulnerable["eligible"], vulnerable["registered"]) == (114_883, 39_487)


def test_the_kpu_ad_hoc_total_and_unprotected_are_the_reported_ones(demo):
    ad_hoc = demo["province"]["adhoc_pemilu"]
    assert (ad_hoc["eligible"], ad_hoc["unprotected"]) == (36_386, 30_872)
    assert ad_hoc["registered"] == 36_386 - 30_872


def test_each_regency_has_its_reported_kpu_ad_hoc_count_and_bengkulu_utara_is_fully_covered(demo):
    counts = {code: _region(demo, code)["groups"]["adhoc_pemilu"]["eligible"] for code in REPORTED_KPU_AD_HOC}
    assert counts == REPORTED_KPU_AD_HOC
    bengkulu_utara = _region(demo, "17.03")["groups"]["adhoc_pemilu"]
    assert bengkulu_utara["registered"] == bengkulu_utara["eligible"]


def test_the_regencies_reported_programmes_are_their_registered_counts(demo):
    registered = {(code, group): _region(demo, code)["groups"][group]["registered"]
                  for code, group in (("17.02", "pekerja_rentan"), ("17.02", "non_asn"), ("17.06", "non_asn"),
                                      ("17.06", "pekerja_rentan"), ("17.08", "pekerja_rentan"))}
    assert registered == {("17.02", "pekerja_rentan"): 10_000, ("17.02", "non_asn"): 2_800,
                          ("17.06", "non_asn"): 2_329, ("17.06", "pekerja_rentan"): 1_500 + 670,
                          ("17.08", "pekerja_rentan"): 1_984}


def test_the_json_says_the_period_and_that_it_is_the_demo(demo):
    assert (demo["period"], demo["demo"]) == ("2024-11", True)
    assert [group["code"] for group in demo["groups"]][:4] == ["non_asn", "aparatur_desa", "pekerja_rentan",
                                                             "adhoc_pemilu"]


@pytest.mark.parametrize(("lang", "expected"), [
    ("id", ["Jumlah provinsi", "5.514/36.386", "Belum terlindungi", "30.872", "Pemprov Bengkulu",
            "39.487/114.883 34,4%", "ilustrasi"]),
    ("en", ["Province total", "5,514/36,386", "Not yet protected", "30,872", "Bengkulu provincial government",
            "39,487/114,883 34.4%", "illustrative"]),
])
def test_the_text_output_prints_the_matrix_and_the_totals_in_the_language(lang, expected):
    completed = run_cli("groups", "--demo", "--lang", lang)
    assert completed.returncode == 0, completed.stderr
    for text in expected:
        assert text in completed.stdout


def test_a_file_with_faults_lists_them_and_exits_with_1(tmp_path):
    path = tmp_path / "kelompok.csv"
    path.write_text("Periode;Kode Wilayah;Kelompok;Terdata;Terdaftar\n2024-11;17.04;nelayan;10;5\n"
                    "2024-11;17.07;pekerja_rentan;10;50\n", encoding="utf-8")
    completed = run_cli("groups", path, "--lang", "en")
    assert completed.returncode == 1
    assert "Row 2, column 'Kelompok'" in completed.stdout and "(group.unknown)" in completed.stdout
    assert "Row 3, column 'Terdaftar'" in completed.stdout and "(group.registered_exceeds)" in completed.stdout
    assert "cannot be loaded (2 errors)" in completed.stderr


def test_a_file_and_an_unknown_period(tmp_path):
    path = tmp_path / "kelompok.csv"
    path.write_text("Periode;Wilayah;Kelompok;Terdata;Terdaftar\n2024-11;Kaur;Pekerja rentan;10;5\n",
                    encoding="utf-8")
    loaded = run_cli("groups", path, "--json")
    assert loaded.returncode == 0, loaded.stderr
    assert json.loads(loaded.stdout)["province"]["pekerja_rentan"]["registered"] == 5
    missing = run_cli("groups", path, "--period", "2023-01")
    assert missing.returncode == 1 and "2024-11" in missing.stderr
