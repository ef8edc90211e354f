"""Region registry: loaded from data/regions.csv, matching of the spellings officials actually type."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from monev.regions import RegistryError, load_registry

DATA_DIR = Path(__file__).resolve().parents[2] / "data"


def _csv_rows() -> list[dict[str, str]]:
    with (DATA_DIR / "regions.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_registry_holds_every_row_of_regions_csv_in_file_order():
    rows = _csv_rows()
    registry = load_registry()
    assert len(registry) == len(rows)
    assert list(registry.codes) == [r["kode"] for r in rows]
    assert [region.name for region in registry.regions] == [r["nama"] for r in rows]


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Muko Muko", "17.06"),
        ("Mukomuko", "17.06"),
        ("Kab. Mukomuko", "17.06"),
        ("MUKOMUKO", "17.06"),
        ("Kabupaten Muko-Muko", "17.06"),
        ("Benteng", "17.09"),
        ("Bengkulu Tengah", "17.09"),
        ("KABUPATEN KAUR", "17.04"),
        ("Kota Bengkulu", "17.71"),
        ("Bengkulu", "17.71"),
        ("BS", "17.01"),
        ("BU", "17.03"),
        ("RL", "17.02"),
        ("Kab Bengkulu Selatan", "17.01"),
        ("17.07", "17.07"),
        ("1707", "17.07"),
        (" 17.07 ", "17.07"),
        (17.07, "17.07"),  # Excel turns a typed 17.07 into a float
        (1707, "17.07"),  # ... and 1707 into an int
        (1707.0, "17.07"),
        (17.71, "17.71"),
    ],
)
def test_match_maps_real_world_spellings_to_codes(typed, code):
    assert load_registry().match(typed).code == code


@pytest.mark.parametrize(
    ("typed", "suggested_code"),
    [
        ("Lebongg", "17.07"),
        ("Kepahyang", "17.08"),
        ("Kabupaten Bengkulu", "17.71"),  # the name exists, but only as a city
    ],
)
def test_unknown_names_get_a_suggestion_but_no_match(typed, suggested_code):
    match = load_registry().match(typed)
    assert match.code is None
    assert match.suggestion is not None
    assert match.suggestion.code == suggested_code


def test_kabupaten_bengkulu_suggests_the_city_by_its_display_name():
    match = load_registry().match("Kabupaten Bengkulu")
    assert match.suggestion.display_name == "Kota Bengkulu"


@pytest.mark.parametrize("typed", ["17.99", "1799", "Jakarta", "Xyzzy"])
def test_unknown_code_or_far_name_gives_neither_match_nor_suggestion(typed):
    match = load_registry().match(typed)
    assert match.code is None
    assert match.suggestion is None


def test_display_name_of_the_city_keeps_kota_and_regencies_do_not_say_kabupaten():
    registry = load_registry()
    assert registry.display_name("17.71") == "Kota Bengkulu"
    assert registry.display_name("17.04") == "Kaur"
    assert registry.get("17.04").official_name == "Kabupaten Kaur"


def test_every_region_matches_itself_by_code_name_and_official_name():
    registry = load_registry()
    for region in registry.regions:
        for typed in (region.code, region.bps_code, region.name, region.official_name, *region.aliases):
            assert registry.match(typed).code == region.code, typed


_HEADER = "kode,kode_bps,nama,jenis,ibukota,lat,lon,penduduk,luas_km2,alias\n"
_PROVINCE = 'kode = "99"\nnama = "Contoh"\npenduduk = 1000\n'


def _write_registry(folder: Path, second_alias: str) -> Path:
    folder.mkdir()
    (folder / "province.toml").write_text(_PROVINCE, encoding="utf-8")
    (folder / "regions.csv").write_text(
        _HEADER
        + "99.01,9901,Alpha,Kabupaten,A,0,0,100,10,\n"
        + f"99.02,9902,Beta,Kabupaten,B,0,0,200,20,{second_alias}\n",
        encoding="utf-8",
    )
    return folder


def test_a_tiny_registry_from_another_folder_loads(tmp_path):
    registry = load_registry(_write_registry(tmp_path / "ok", "Bet"))
    assert registry.province_name == "Contoh"
    assert registry.codes == ("99.01", "99.02")
    assert registry.match("Bet").code == "99.02"


@pytest.mark.parametrize("colliding_alias", ["Alpha", "Kabupaten Alpha", "ALPHA"])
def test_aliases_that_name_two_regions_raise_registry_error(tmp_path, colliding_alias):
    with pytest.raises(RegistryError):
        load_registry(_write_registry(tmp_path / "bad", colliding_alias))
