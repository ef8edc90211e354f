"""The region × group matrix: registered ÷ eligible per cell, summed over subgroups and funders; province Σ/Σ."""

from __future__ import annotations

import csv
import io
import math

import pytest

from monev.group_dataset import load_group_dataset, load_group_demo
from monev.group_indicators import group_matrix

HEADERS = ["Periode", "Kode Wilayah", "Kelompok", "Subkelompok", "Terdata", "Terdaftar", "Sumber Dana",
           "Masalah Data Diketahui"]
ROWS = [
    ["2024-11", "17.04", "pekerja_rentan", "", "1000", "400", "apbd_kabkota", ""],
    ["2024-11", "17.04", "pekerja_rentan", "", "500", "100", "csr", ""],
    ["2024-11", "17.07", "adhoc_pemilu", "PPK", "50", "50", "nphd_hibah", ""],
    ["2024-11", "17.07", "adhoc_pemilu", "KPPS", "950", "0", "", ""],
    ["2024-11", "17", "pekerja_rentan", "", "2000", "500", "apbd_provinsi", ""],
    # Registered above eligible, a known data problem: it protects nobody in another region.
    ["2024-11", "17.01", "adhoc_pemilu", "", "100", "130", "", "ya"],
    ["2024-11", "17.01", "non_asn", "", "0", "0", "", ""],
    ["2024-10", "17.04", "pekerja_rentan", "", "1000", "300", "apbd_kabkota", ""],
]


@pytest.fixture(scope="module")
def matrix():
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows([HEADERS, *ROWS])
    result = load_group_dataset("kelompok.csv", buffer.getvalue().encode())
    assert result.data is not None, [p.code for p in result.errors]
    return group_matrix(result.data, "2024-11")


def test_a_cell_adds_up_the_rows_of_every_funder_and_subgroup(matrix):
    kaur = matrix.cell("17.04", "pekerja_rentan")
    assert (kaur.eligible, kaur.registered, kaur.unprotected) == (1500, 500, 1000)
    assert kaur.share == pytest.approx(500 / 1500)
    lebong = matrix.cell("17.07", "adhoc_pemilu")
    assert (lebong.eligible, lebong.registered, lebong.unprotected) == (1000, 50, 950)


def test_only_the_chosen_period_counts(matrix):
    assert matrix.period == "2024-11"
    assert matrix.cell("17.04", "pekerja_rentan").eligible == 1500


def test_the_province_as_funder_is_a_row_of_its_own_after_the_regencies(matrix):
    assert matrix.region_codes == ("17.01", "17.04", "17.07", "17")
    assert matrix.cell("17", "pekerja_rentan").registered == 500


def test_the_province_totals_are_sums_over_every_row(matrix):
    vulnerable = matrix.total("pekerja_rentan")
    assert (vulnerable.eligible, vulnerable.registered, vulnerable.unprotected) == (3500, 1000, 2500)
    assert vulnerable.share == pytest.approx(1000 / 3500)


def test_more_registered_than_eligible_leaves_nobody_unprotected_there_and_protects_nobody_elsewhere(matrix):
    assert matrix.cell("17.01", "adhoc_pemilu").unprotected == 0
    ad_hoc = matrix.total("adhoc_pemilu")
    assert (ad_hoc.eligible, ad_hoc.registered, ad_hoc.unprotected) == (1100, 180, 950)


def test_a_group_with_nobody_eligible_has_no_share(matrix):
    assert math.isnan(matrix.cell("17.01", "non_asn").share)
    assert math.isnan(matrix.total("non_asn").share)


def test_regions_and_groups_without_rows_are_left_out_in_registry_order(matrix):
    assert matrix.group_codes == ("non_asn", "pekerja_rentan", "adhoc_pemilu")
    assert matrix.cell("17.07", "pekerja_rentan") is None


def test_an_unknown_period_is_refused():
    with pytest.raises(KeyError):
        group_matrix(load_group_demo(), "2023-01")


def test_the_demo_matrix_gives_the_reported_province_figures():
    demo = group_matrix(load_group_demo(), "2024-11")
    vulnerable = demo.cell("17", "pekerja_rentan")
    assert (vulnerable.eligible, vulnerable.registered) == (114_883, 39_487)
    ad_hoc = demo.total("adhoc_pemilu")
    assert (ad_hoc.eligible, ad_hoc.registered, ad_hoc.unprotected) == (36_386, 5_514, 30_872)
