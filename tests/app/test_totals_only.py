"""An upload with only the total of active participants: the segment views say the split is unknown, never zeros."""

from __future__ import annotations

import pandas as pd
import pytest

from components.state import Keys
from monev import fmt
from tests.app.support import (
    DATA_PAGE,
    MAP_PAGE,
    SEGMENT_HEADERS,
    TRENDS_PAGE,
    csv_bytes,
    demo_frame,
    go,
    metric_values,
    new_app,
    province_rate,
    run,
    save_upload,
)

UNAVAILABLE = "Rincian segmen tidak tersedia"
LEBONG = "17.07"


def _totals_only(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows with one 'Peserta Aktif' column instead of the four segments, as many offices keep them."""
    return frame.drop(columns=SEGMENT_HEADERS).assign(**{"Peserta Aktif": frame[SEGMENT_HEADERS].sum(axis=1)})


@pytest.fixture
def totals_uploaded():
    """A session whose active data is the demo's October with totals only, saved as a new version."""
    demo = demo_frame()
    october = demo[demo["Periode"] == "2024-10"]
    at = go(run(new_app()), DATA_PAGE)
    save_upload(at, "rekap_oktober.csv", csv_bytes(_totals_only(october)))
    return at, october


def _infos(at) -> list[str]:
    return [info.value for info in at.info]


def _download_keys(at) -> list[str]:
    return [button.key for button in at.get("download_button")]


def test_the_overview_counts_the_totals(totals_uploaded):
    at, october = totals_uploaded
    go(at, "app.py")
    assert metric_values(at)[:2] == [fmt.percent(province_rate(october), "id"),
                                     fmt.number(int(october[SEGMENT_HEADERS].to_numpy().sum()), "id")]


def test_the_trends_page_says_the_split_is_unknown_instead_of_drawing_zeros(totals_uploaded):
    at, _ = totals_uploaded
    go(at, TRENDS_PAGE)
    assert UNAVAILABLE in _infos(at)
    assert len(at.get("vega_lite_chart")) == 2  # the trend and the target, no segment chart
    assert "Peserta aktif per segmen" in [heading.value for heading in at.subheader]


def test_the_region_detail_says_the_split_is_unknown(totals_uploaded):
    at, _ = totals_uploaded
    at.session_state[Keys.REGION] = LEBONG
    go(at, MAP_PAGE)
    assert UNAVAILABLE in _infos(at)
    assert "download.region_segments_png" not in _download_keys(at)
    assert "download.region_trend_png" in _download_keys(at)


def test_the_demo_still_shows_its_segments_on_both():
    at = go(run(new_app()), TRENDS_PAGE)
    assert UNAVAILABLE not in _infos(at)
    assert len(at.get("vega_lite_chart")) == 3
    at.session_state[Keys.REGION] = LEBONG
    go(at, MAP_PAGE)
    assert UNAVAILABLE not in _infos(at)
    assert "download.region_segments_png" in _download_keys(at)
