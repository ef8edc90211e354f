"""The trends page (pages/tren.py) in a simulated session: trend, segment and target charts and the region filter."""

from __future__ import annotations

import pandas as pd
import pytest

from components.state import Keys, WidgetKeys
from tests.app.support import (
    SEGMENT_HEADERS,
    TRENDS_PAGE,
    chart_datasets,
    chart_spec,
    demo_frame,
    go,
    id_percent,
    new_app,
    province_rate,
    run,
)

TREND, SEGMENTS, TARGET = 0, 1, 2
KAUR, LEBONG = "17.04", "17.07"


@pytest.fixture
def trends():
    return go(run(new_app()), TRENDS_PAGE)


def _layers(at, index: int) -> list[tuple[dict, pd.DataFrame]]:
    """(layer spec, its data) for each layer of a layered chart, matched by dataset name."""
    chart = at.get("vega_lite_chart")[index]
    frames = dict(zip([dataset.name for dataset in chart.proto.datasets], chart_datasets(at, index)))
    return [(layer, frames[layer["data"]["name"]]) for layer in chart_spec(at, index)["layer"]
            if "name" in layer.get("data", {})]


def _trend_parts(at) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """(grey context lines, coloured focus lines with their layer spec) of the trend chart."""
    lines = [(layer, frame) for layer, frame in _layers(at, TREND)
             if isinstance(layer.get("mark"), dict) and layer["mark"]["type"] == "line" and "region_code" in frame]
    (context,) = [frame for layer, frame in lines if "color" not in layer.get("encoding", {})]
    ((focus_layer, focus),) = [(layer, frame) for layer, frame in lines if "color" in layer.get("encoding", {})]
    return context, focus, focus_layer


def _segment_regions(at) -> set[str]:
    return set(chart_datasets(at, SEGMENTS)[0]["region"])


def _target_regions(at) -> set[str]:
    frame = next(f for f in chart_datasets(at, TARGET) if "region" in f.columns)
    return set(frame["region"])


def test_three_charts_with_titles(trends):
    at = trends
    assert at.title[0].value == "Tren, segmen dan target"
    assert len(at.get("vega_lite_chart")) == 3
    headings = [heading.value for heading in at.subheader]
    assert headings == ["Cakupan dari bulan ke bulan", "Peserta aktif per segmen", "Target dan capaian"]
    assert len(_segment_regions(at)) == 10 and len(_target_regions(at)) == 10


def test_filter_is_empty_without_a_map_selection(trends):
    at = trends
    assert at.multiselect(key=WidgetKeys.TREND_REGIONS).value == []
    context, focus, _ = _trend_parts(at)
    assert focus.empty
    assert len(context) == 100  # ten regions, ten months, all grey


def test_filter_opens_with_the_region_selected_on_the_map():
    at = new_app()
    at.session_state[Keys.REGION] = LEBONG
    at.switch_page(TRENDS_PAGE)
    run(at)
    assert at.multiselect(key=WidgetKeys.TREND_REGIONS).value == [LEBONG]
    assert _segment_regions(at) == {"Lebong"}
    _, focus, _ = _trend_parts(at)
    assert set(focus["region_name"]) == {"Lebong"}


def test_kaur_and_lebong_limit_segments_and_targets_and_are_coloured(trends):
    at = trends
    at.multiselect(key=WidgetKeys.TREND_REGIONS).set_value([KAUR, LEBONG])
    run(at)
    assert at.session_state[Keys.TREND_REGIONS] == [KAUR, LEBONG]
    assert _segment_regions(at) == {"Kaur", "Lebong"}
    assert _target_regions(at) == {"Kaur", "Lebong"}

    segments = chart_datasets(at, SEGMENTS)[0]
    demo = demo_frame()
    kaur_october = demo[(demo["Periode"] == "2024-10") & (demo["Wilayah"] == "Kabupaten Kaur")]
    assert sorted(segments.loc[segments["region"] == "Kaur", "count"]) == sorted(
        int(kaur_october[header].iloc[0]) for header in SEGMENT_HEADERS)

    context, focus, focus_layer = _trend_parts(at)
    assert set(focus["region_name"]) == {"Kaur", "Lebong"} and len(focus) == 20
    assert not {"Kaur", "Lebong"} & set(context["region_name"]) and len(context) == 80
    color = focus_layer["encoding"]["color"]
    assert color["field"] == "region_name"
    assert sorted(color["scale"]["domain"]) == ["Kaur", "Lebong"]
    assert len(set(color["scale"]["range"])) == 2


def test_filter_survives_a_page_switch(trends):
    at = trends
    at.multiselect(key=WidgetKeys.TREND_REGIONS).set_value([KAUR])
    run(at)
    go(at, "app.py")
    go(at, TRENDS_PAGE)
    assert at.multiselect(key=WidgetKeys.TREND_REGIONS).value == [KAUR]
    assert _segment_regions(at) == {"Kaur"}


def test_period_june_cuts_the_trend_at_june(trends):
    at = trends
    at.selectbox(key=WidgetKeys.PERIOD).set_value("2024-06")
    run(at)
    layers = _layers(at, TREND)
    regional = pd.concat([frame for _, frame in layers if "region_code" in frame])
    assert sorted(regional["period"].unique()) == [f"2024-0{m}" for m in range(1, 7)]
    assert len(regional) == 60
    province = next(frame for layer, frame in layers
                    if "region_code" not in frame and "period" in frame and len(frame) > 1)
    demo = demo_frame()
    expected = [id_percent(province_rate(demo[demo["Periode"] == period])) for period in sorted(province["period"])]
    assert province.sort_values("period")["rate_label"].tolist() == expected
    assert len(expected) == 6
    # the other charts show June too: Lebong's June coverage in the target chart
    target = next(f for f in chart_datasets(at, TARGET) if "region" in f.columns)
    june = demo[(demo["Periode"] == "2024-06") & (demo["Wilayah"] == "Kabupaten Lebong")]
    assert target.loc[target["region"] == "Lebong", "rate_label"].iloc[0] == id_percent(
        june[SEGMENT_HEADERS].to_numpy().sum() / june["Pekerja Potensial"].iloc[0])
