"""The benchmarks' own smoke tests: the synthetic country passes the app's own loaders, and the core and payload
parts run and report rows. No timing is asserted (timings belong to the benchmark on a quiet machine); sizes are."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.__main__ import main
from bench.synthetic import MONTH_COUNT, REGION_COUNT, periods, write_synthetic
from monev import geo
from monev.dataset import load_dataset, load_demo
from monev.regions import load_registry


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory):
    return write_synthetic(tmp_path_factory.mktemp("synthetic"))


def test_the_synthetic_registry_holds_514_distinct_regions(synthetic):
    registry = load_registry(synthetic.regions_dir)
    assert len(registry) == REGION_COUNT
    assert len(set(registry.codes)) == REGION_COUNT
    assert all(registry.match(region.official_name).code == region.code for region in registry.regions)


def test_the_synthetic_data_passes_upload_validation_without_a_problem(synthetic):
    registry = load_registry(synthetic.regions_dir)
    result = load_dataset(synthetic.data_path.name, synthetic.data_path.read_bytes(), registry)
    assert result.problems == ()
    assert result.data is not None
    assert result.data.periods == periods() and len(periods()) == MONTH_COUNT
    assert len(result.data.frame) == REGION_COUNT * MONTH_COUNT


def test_the_synthetic_boundaries_outline_every_region(synthetic):
    registry = load_registry(synthetic.regions_dir)
    result = geo.parse_boundaries(synthetic.boundaries_path.read_bytes(), synthetic.boundaries_path.name, registry)
    assert result.problems == ()
    assert sorted(result.boundaries.features) == sorted(registry.codes)


def test_the_synthetic_files_are_the_same_bytes_every_time(synthetic, tmp_path):
    again = write_synthetic(tmp_path)
    for first, second in [(synthetic.data_path, again.data_path), (synthetic.boundaries_path, again.boundaries_path),
                          *((synthetic.regions_dir / name, again.regions_dir / name)
                            for name in ("regions.csv", "province.toml"))]:
        assert first.read_bytes() == second.read_bytes(), first.name


def test_the_settings_point_the_app_at_the_synthetic_country(synthetic, monkeypatch):
    for name, value in synthetic.environment().items():
        monkeypatch.setenv(name, value)
    assert len(load_registry()) == REGION_COUNT
    demo = load_demo()
    assert demo.is_demo and len(demo.region_codes) == REGION_COUNT
    assert geo.load_boundaries().ok


def _rows(json_path: Path) -> dict[str, dict]:
    return {row["name"]: row for row in json.loads(json_path.read_text(encoding="utf-8"))["measurements"]}


def test_the_core_part_times_every_function_on_both_datasets(tmp_path, capsys):
    results = tmp_path / "core.json"
    main(["--part", "core", "--runs", "1", "--json", str(results)])
    rows = _rows(results)
    for dataset in ("demo (10 regions)", f"synthetic ({REGION_COUNT} regions)"):
        for function in ("indicators: region table", "simulation: time to target", "allocation: pemerataan",
                         "allocation: target", "allocation: proporsional"):
            assert rows[f"{function} — {dataset}"]["value"] > 0
    total = rows[f"total at {REGION_COUNT} regions"]
    assert total["unit"] == "ms" and total["target"] == 20
    assert "| core |" in capsys.readouterr().out


def test_the_payload_part_measures_the_map_and_every_chart(tmp_path, shared_boundaries):
    results = tmp_path / "payload.json"
    main(["--part", "payload", "--json", str(results)])
    rows = _rows(results)
    deck = rows["map deck spec — demo (10 regions)"]
    assert deck["unit"] == "KB" and deck["target"] == 30
    assert deck["met"] is True  # a size, not a timing: the same on every machine
    assert rows[f"map deck spec — synthetic ({REGION_COUNT} regions)"]["value"] > deck["value"]
    assert sum(name.startswith("ranking chart") for name in rows) == 2
