"""The Kelompok sasaran page (pages/kelompok.py) on the demo target groups: the matrix, the province's totals with
their costs, the English page, and a region's groups opened from the matrix or the region menu."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from components.state import Keys, WidgetKeys
from monev import fmt
from monev.group_costs import CostSettings, group_cost
from tests.app.support import chart_datasets, go, new_app, rerun_with_widget_state, run

GROUPS_PAGE = "pages/kelompok.py"
BENGKULU_SELATAN, PROVINCE = "17.01", "17"
# Reported for Pilkada 2024 (domain notes): 36,386 KPU ad hoc staff in the province, 30,872 still unprotected.
ADHOC_ELIGIBLE, ADHOC_UNPROTECTED = 36_386, 30_872


@pytest.fixture
def groups_page():
    return go(run(new_app()), GROUPS_PAGE)


def _needs(at) -> pd.DataFrame:
    """The province's totals per group, indexed by the group's name."""
    return at.dataframe[0].value.set_index(at.dataframe[0].value.columns[0])


REGENCIES, PROVINCE_ROWS = 0, 1  # the two heatmaps: the regencies, then apart the province's own rows


def _heatmap(at, index: int) -> pd.DataFrame:
    return next(frame for frame in chart_datasets(at, index) if "counts_label" in frame.columns)


def _click_cell(at, region_code: str, group_code: str, index: int = REGENCIES):
    chart = at.get("vega_lite_chart")[index]
    selection = {"selection": {"cell": [{"region_code": region_code, "group_code": group_code}]}}
    return rerun_with_widget_state(at, chart.proto.id, string_value=json.dumps(selection))


def test_page_shows_the_reported_ad_hoc_figures_and_its_period(groups_page):
    needs = _needs(groups_page)
    adhoc = needs.loc["Badan ad hoc pemilu"]
    assert adhoc["Terdata"] == fmt.number(ADHOC_ELIGIBLE, "id")
    assert adhoc["Belum terlindungi"] == fmt.number(ADHOC_UNPROTECTED, "id")
    # The coverage demo's period has no target-group data: the page says which period it shows instead.
    assert any("November 2024" in info.value for info in groups_page.info)


def test_matrix_labels_every_region_and_the_province_rows_apart(groups_page):
    regencies, province = _heatmap(groups_page, REGENCIES), _heatmap(groups_page, PROVINCE_ROWS)
    assert len(set(regencies["region"])) == 10
    assert {"Bengkulu Selatan", "Kota Bengkulu"} <= set(regencies["region"])
    assert set(province["region"]) == {"Pemprov Bengkulu", "Jumlah provinsi"}
    heatmap = province
    total = heatmap[(heatmap["region"] == "Jumlah provinsi") & (heatmap["group"] == "Badan ad hoc pemilu")]
    assert total["counts_label"].tolist() == [f"5.514/{fmt.number(ADHOC_ELIGIBLE, 'id')}"]


def test_costs_follow_each_groups_rule(groups_page):
    needs = _needs(groups_page)
    vulnerable = group_cost("bpu_package", {"": 92_242}, CostSettings(), year=2024)
    assert needs.loc["Pekerja rentan", "Biaya per tahun"] == fmt.rupiah(vulnerable.total_idr, "id")
    # Bengkulu Selatan's unprotected KPPS and Pantarlih (1 month) and PPS (3 months); the other regencies name no
    # body and are costed at the longest cover, 3 months.
    cover = {"": 3, "ppk": 3, "pps": 3, "kpps": 1, "pantarlih": 1}
    adhoc = group_cost("adhoc_months", {"": ADHOC_UNPROTECTED - 2_324, "pps": 14, "kpps": 2_016, "pantarlih": 294},
                       CostSettings(months_by_subgroup=cover), year=2024)
    assert needs.loc["Badan ad hoc pemilu", "Biaya per tahun"] == fmt.rupiah(adhoc.total_idr, "id")
    assert needs.loc["Pekerja rentan", "Dibayar oleh"] == "APBD Provinsi 30% + APBD Kabupaten/Kota 70%"
    assert needs.loc["Pekerja BUMD", "Biaya per tahun"] == fmt.MISSING
    assert "BUMD" in needs.loc["Pekerja BUMD", "Dibayar oleh"]
    assert any("30%" in caption.value and "698353" in caption.value for caption in groups_page.caption)


def test_english_page(groups_page):
    groups_page.segmented_control(key=WidgetKeys.LANG).set_value("en")
    run(groups_page)
    needs = _needs(groups_page)
    assert needs.loc["Election ad hoc bodies", "Not yet protected"] == "30,872"
    assert groups_page.title[0].value == "Inpres 2/2021 target groups"
    assert "Province total" in set(_heatmap(groups_page, PROVINCE_ROWS)["region"])


def test_a_click_on_a_cell_opens_that_regions_groups(groups_page):
    _click_cell(groups_page, BENGKULU_SELATAN, "adhoc_pemilu")
    assert groups_page.session_state[Keys.GROUP_REGION] == BENGKULU_SELATAN
    assert any("Bengkulu Selatan" in header.value for header in groups_page.subheader)
    metrics = [(metric.label, metric.value) for metric in groups_page.metric]
    # Ad hoc staff of Bengkulu Selatan: 2,839 reported, only PPK and PPS (515) protected.
    assert ("Terdata", "2.839") in metrics
    assert ("Belum terlindungi", "2.324") in metrics


def test_a_click_on_the_total_row_opens_nothing(groups_page):
    _click_cell(groups_page, "Σ", "adhoc_pemilu", PROVINCE_ROWS)
    assert groups_page.session_state[Keys.GROUP_REGION] is None


def test_the_region_menu_opens_the_provinces_own_programme(groups_page):
    groups_page.selectbox(key=WidgetKeys.GROUP_REGION).select(PROVINCE)
    run(groups_page)
    metrics = [(metric.label, metric.value) for metric in groups_page.metric]
    assert ("Terdata", "114.883") in metrics
    assert ("Terdaftar", "39.487") in metrics
    assert any("APBD Provinsi" in markdown.value for markdown in groups_page.markdown)
    # The province's non-ASN figures are illustrative: the panel says so.
    assert any("ilustrasi" in markdown.value for markdown in groups_page.markdown)
