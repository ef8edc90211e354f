"""An upload with only the total of active participants: the segment views say the split is unknown, never zeros."""

from __future__ import annotations

import pandas as pd
import pytest

from components.state import Keys
from monev import fmt
from tests.app import support

UNAVAILABLE = "Rincian segmen tidak tersedia"
LEBONG = "17.07"


def _totals_only(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows with one 'Peserta Aktif' column instead of the four segments, as many offices keep them."""
    segments = support.SEGMENT_HEADERS
    return frame.drop(columns=segments).assign(**{"Peserta Aktif": frame[segments].sum(axis=1)})


@pytest.fixture
def totals_uploaded():
    """A session whose active data is the demo's October with totals only, saved as a new version."""
    demo = support.demo_frame()
    october = demo[demo["Periode"] == "2024-10"]
    at = support.go(support.run(support.new_app()), support.DATA_PAGE)
    support.save_upload(at, "rekap_oktober.csv", support.csv_bytes(_totals_only(october)))
    return at, october


def _infos(at) -> list[str]:
    return [info.value for info in at.info]


def _download_keys(at) -> list[str]:
    return [button.key for button in at.get("download_button")]


def test_the_overview_counts_the_totals(totals_uploaded):
    at, october = totals_uploaded
    support.go(at, "app.py")
    participants = int(october[support.SEGMENT_HEADERS].to_numpy().sum())
    assert support.metric_values(at)[:2] == [fmt.percent(support.province_rate(october), "id"),
                                             fmt.number(participants, "id")]


def test_the_trends_page_says_the_split_is_unknown_instead_of_drawing_zeros(totals_uploaded):
    at, _ = totals_uploaded
    support.go(at, support.TRENDS_PAGE)
    assert UNAVAILABLE in _infos(at)
    assert len(at.get("vega_lite_chart")) == 2  # the trend and the target, no segment chart
    assert "Peserta aktif per segmen" in [heading.value for heading in at.subheader]


def test_the_region_detail_says_the_split_is_unknown(totals_uploaded):
    at, _ = totals_uploaded
    at.session_state[Keys.REGION] = LEBONG
    support.go(at, support.MAP_PAGE)
    assert UNAVAILABLE in _infos(at)
    assert "download.region_segments_png" not in _download_keys(at)
    assert "download.region_trend_png" in _download_keys(at)


def test_the_demo_still_shows_its_segments_on_both():
    at = support.go(support.run(support.new_app()), support.TRENDS_PAGE)
    assert UNAVAILABLE not in _infos(at)
    assert len(at.get("vega_lite_chart")) == 3
    at.session_state[Keys.REGION] = LEBONG
    support.go(at, support.MAP_PAGE)
    assert UNAVAILABLE not in _infos(at)
    assert "download.region_segments_png" in _download_keys(at)
