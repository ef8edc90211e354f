"""The committed demo dataset: exactly what its build script writes, and calibrated to the reported figures.

The file is read here with the csv module, not with monev.dataset, so these checks do not depend on the loader.
"""

from __future__ import annotations

import csv
import importlib.util
from collections import defaultdict
from pathlib import Path

import pytest

from monev.regions import load_registry

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "demo" / "cakupan_bengkulu_2024.csv"
BUILD_SCRIPT = ROOT / "scripts" / "build_demo_data.py"
SEGMENTS = ("Peserta PU", "Peserta BPU", "Peserta Jakon", "Peserta PMI")


def _load_build_script():
    spec = importlib.util.spec_from_file_location("build_demo_data_under_test", BUILD_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with DEMO.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def october(rows) -> dict[str, dict[str, str]]:
    registry = load_registry()
    latest = max(r["Periode"] for r in rows)
    return {registry.match(r["Wilayah"]).code: r for r in rows if r["Periode"] == latest}


def _participants(record: dict[str, str]) -> int:
    return sum(int(record[segment]) for segment in SEGMENTS)


def _rate(record: dict[str, str]) -> float:
    return _participants(record) / int(record["Pekerja Potensial"])


def test_committed_file_is_byte_for_byte_what_the_build_script_renders():
    rendered = _load_build_script().render_csv()
    assert rendered.encode("utf-8") == DEMO.read_bytes()


def test_latest_month_is_october_2024(rows):
    assert max(r["Periode"] for r in rows) == "2024-10"


def test_province_totals_in_the_latest_month_are_the_reported_ones(october):
    records = october.values()
    pu, bpu, jakon, pmi = (sum(int(r[segment]) for r in records) for segment in SEGMENTS)
    assert (pu, bpu, jakon, pmi) == (142786, 82900, 36128, 0)
    assert sum(_participants(r) for r in records) == 261814 == 142786 + 82900 + 36128
    assert sum(int(r["Pekerja Potensial"]) for r in records) == 708000


def test_kaur_is_highest_at_75_percent_and_lebong_lowest_at_17_percent(october):
    rates = {code: _rate(record) for code, record in october.items()}
    assert max(rates, key=rates.get) == "17.04"
    assert min(rates, key=rates.get) == "17.07"
    assert rates["17.04"] == pytest.approx(0.75, abs=0.001)
    assert rates["17.07"] == pytest.approx(0.17, abs=0.001)


def test_every_row_is_marked_as_illustrative(rows):
    assert all("ilustrasi" in r["Keterangan"] for r in rows)


def test_monthly_from_january_to_october_2024_with_every_region_every_month(rows):
    registry = load_registry()
    regions_by_period: dict[str, list[str]] = defaultdict(list)
    for record in rows:
        code = registry.match(record["Wilayah"]).code
        assert code is not None, record["Wilayah"]
        regions_by_period[record["Periode"]].append(code)
    assert sorted(regions_by_period) == [f"2024-{month:02d}" for month in range(1, 11)]
    for period, codes in regions_by_period.items():
        assert sorted(codes) == sorted(registry.codes), period
    assert len(rows) == 10 * len(registry)


def test_no_region_has_more_participants_than_potential_workers(rows):
    assert all(0 < _participants(r) <= int(r["Pekerja Potensial"]) for r in rows)
