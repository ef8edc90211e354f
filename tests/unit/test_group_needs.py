"""The cost of protecting each target group's unregistered people (monev.group_needs), the heatmap of the
region × group matrix (monev.charts) and the totals table (monev.tables), on the demo and hand-made rows."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from monev import tables
from monev.charts import GROUP_SELECTION, build_group_heatmap
from monev.group_costs import FundingSplit
from monev.group_dataset import FRAME_COLUMNS, GroupData, load_group_demo
from monev.group_indicators import group_matrix
from monev.group_needs import group_need, months_of_cover, paying_funder, unprotected_by_subgroup, usual_months
from monev.target_groups import load_target_groups

PERIOD = "2024-11"
PACKAGE = 16_800  # Rp a person a month, the JKK + JKM package for non-wage earners


def _data(rows: list[tuple]) -> GroupData:
    """A GroupData of hand-written rows: (region, group, subgroup, eligible, registered, funder, months)."""
    frame = pd.DataFrame([{"period": PERIOD, "region_code": region, "group_code": group, "subgroup_code": sub,
                           "eligible": eligible, "registered": registered, "funder": funder,
                           "months_funded": months, "source_note": "ilustrasi", "known_problem": False}
                          for region, group, sub, eligible, registered, funder, months in rows])[FRAME_COLUMNS]
    return GroupData(frame.astype({"months_funded": "Int64"}), "rows.csv", "test")


def test_vulnerable_workers_cost_the_package_for_a_year_and_for_their_usual_months_split_30_70():
    data = _data([("17.01", "pekerja_rentan", "", 1_000, 400, "apbd_kabkota", 3),
                  ("17.02", "pekerja_rentan", "", 500, 600, "apbd_kabkota", 3)])  # over-registered: nobody left
    need = group_need(data, PERIOD, load_target_groups().get("pekerja_rentan"))
    assert need.unprotected == 600
    assert need.months_usual == 3
    assert need.per_year.total_idr == 600 * 12 * PACKAGE
    assert need.for_usual_months.total_idr == 600 * 3 * PACKAGE
    assert need.per_year.by_funder == {"apbd_provinsi": 0.3 * 600 * 12 * PACKAGE,
                                       "apbd_kabkota": 0.7 * 600 * 12 * PACKAGE}


def test_ad_hoc_staff_cost_their_months_of_cover_and_a_row_without_body_the_longest():
    data = _data([("17.01", "adhoc_pemilu", "kpps", 100, 0, "", None),
                  ("17.01", "adhoc_pemilu", "ppk", 10, 0, "", None),
                  ("17.02", "adhoc_pemilu", "", 50, 0, "", None)])
    group = load_target_groups().get("adhoc_pemilu")
    need = group_need(data, PERIOD, group, split=FundingSplit(0.5))
    assert need.per_year.total_idr == (100 * 1 + 10 * 3 + 50 * 3) * PACKAGE
    assert need.for_usual_months == need.per_year
    assert need.unknown_body
    assert months_of_cover(group)[""] == 3


def test_who_pays_follows_the_usual_funders():
    groups = load_target_groups()
    assert paying_funder(groups.get("non_asn")) is None  # province and regencies share it
    assert paying_funder(groups.get("aparatur_desa")) == "apbdes"
    data = _data([("17.01", "bumd", "", 10, 5, "pemberi_kerja", None)])
    assert group_need(data, PERIOD, groups.get("bumd")).per_year.paid_outside_budget == "employer"


def test_demo_ad_hoc_unprotected_is_the_reported_province_total():
    demo = load_group_demo()
    assert sum(unprotected_by_subgroup(demo, PERIOD, "adhoc_pemilu").values()) == 30_872
    assert usual_months(demo, PERIOD, "jakon") == 12  # no row says: a year


@pytest.fixture
def demo_matrix():
    return group_matrix(load_group_demo(), PERIOD)


def test_heatmap_labels_every_region_and_group_with_share_and_counts(demo_matrix):
    groups = load_target_groups()
    names = {code: f"R{code}" for code in demo_matrix.region_codes}
    group_names = {code: groups.get(code).name("en") for code in demo_matrix.group_codes}
    spec = build_group_heatmap(demo_matrix.cells, region_names=names, group_names=group_names, lang="en").to_dict()
    frame = pd.DataFrame(next(iter(spec["datasets"].values())))
    assert set(frame["region"]) == set(names.values())
    layer = spec["layer"][0]
    assert layer["encoding"]["x"]["scale"]["domain"] == list(group_names.values())
    assert layer["encoding"]["y"]["sort"] == list(names.values())
    assert spec["params"][0]["name"] == GROUP_SELECTION
    adhoc = frame[(frame["region_code"] == "17.01") & (frame["group_code"] == "adhoc_pemilu")].iloc[0]
    assert (adhoc["share_label"], adhoc["counts_label"]) == ("18.1%", "515/2,839")


def test_needs_table_has_the_totals_costs_and_payers(demo_matrix):
    groups = load_target_groups()
    needs = [group_need(load_group_demo(), PERIOD, groups.get(code)) for code in demo_matrix.group_codes]
    table = tables.group_needs_table(demo_matrix.totals, needs, groups, lang="en")
    frame = table.frame.set_index("Group")
    assert frame.loc["Election ad hoc bodies", "Eligible"] == 36_386
    assert frame.loc["Vulnerable workers", "Cost per year"] == 92_242 * 12 * PACKAGE
    assert math.isnan(frame.loc["Regional state-owned enterprise workers", "Cost per year"])
    assert frame.loc["Village officials", "Paid by"] == "Village budget (APBDes) 100%"
    shown = tables.shown(table, "en")
    assert shown.iloc[0]["Cost per year"].startswith("Rp")
