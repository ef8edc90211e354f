"""The overview page (app.py) in a simulated session: KPIs, ranking table and chart, badge, sidebar controls."""

from __future__ import annotations

import datetime as dt
import io

from pptx import Presentation

from components.state import Keys, WidgetKeys
from monev import fmt, geo, mapping
from tests.app.support import (
    DATA_PAGE,
    OVERVIEW_PAGE,
    badge_texts,
    browser_tells_content_width,
    chart_datasets,
    chart_spec,
    chart_texts,
    click,
    deck_spec,
    demo_frame,
    go,
    metric_values,
    new_app,
    province_rate,
    ranking_table,
    regional_rates,
    run,
)

OVERVIEW_MAP_HEIGHT_PX = 470  # app.py's


def test_kpis_on_demo_data(app):
    assert metric_values(app) == ["37,0%", "261.814", "3 dari 10", "-2,0 pp"]
    coverage = app.metric[0]
    assert coverage.label == "Cakupan provinsi"
    assert "39,0%" in coverage.proto.delta_description
    assert app.title[0].value == "Ringkasan cakupan Jamsostek"


def test_ranking_table_orders_regions_by_coverage(app):
    table = ranking_table(app)
    assert len(table) == 10
    assert table["Wilayah"].iloc[0] == "Kaur"
    assert table["Wilayah"].iloc[-1] == "Lebong"
    assert table["Cakupan"].iloc[0] == "75,0%"
    assert table["Cakupan"].iloc[-1] == "17,0%"
    assert table["Peringkat"].tolist() == list(range(1, 11))


def test_ranking_chart_has_reference_lines_and_bar_labels(app):
    assert len(app.get("vega_lite_chart")) == 1
    assert "layer" in chart_spec(app)
    assert {"Nasional 39,0%", "Provinsi 37,0%", "75,0%", "17,0%"} <= chart_texts(app)
    datasets = chart_datasets(app)
    bars = next(frame for frame in datasets if "rate_label" in frame.columns)
    assert bars["region"].iloc[0] == "Kaur"
    assert bars["rate_label"].iloc[0] == "75,0%"


def test_demo_badge_and_notice(app):
    # The demo is the database's first dataset version; the badge names the version in use.
    assert ("orange", ":material/science: Data contoh (ilustrasi) · versi 1") in badge_texts(app)
    # The badge explains itself on hover: which figures are reported and which are illustrative.
    helps = [md.proto.help for md in app.markdown if "Data contoh" in md.value]
    assert any("data contoh" in text and "ilustrasi" in text for text in helps)


def test_english_switch_translates_page(app):
    app.segmented_control(key=WidgetKeys.LANG).set_value("en")
    run(app)
    assert app.title[0].value == "Jamsostek coverage overview"
    assert metric_values(app) == ["37.0%", "261,814", "3 of 10", "-2.0 pp"]
    labels = [link.value for link in app.get("page_link")]
    assert labels[0] == "Overview" and labels[-1] == "Data"
    assert {"Map", "Trends", "Simulation", "Scenarios"} <= set(labels)
    assert "Ringkasan" not in labels and "Skenario" not in labels
    assert ranking_table(app)["Coverage"].iloc[0] == "75.0%"
    assert ("orange", ":material/science: Demo data (illustrative) · version 1") in badge_texts(app)
    assert {"National 39.0%", "Province 37.0%", "75.0%"} <= chart_texts(app)


def test_indonesian_page_links(app):
    labels = [link.value for link in app.get("page_link")]
    assert labels[0] == "Ringkasan" and labels[-1] == "Data"
    assert {"Peta", "Tren", "Simulasi", "Skenario"} <= set(labels)
    assert "Overview" not in labels and "Scenarios" not in labels


def test_period_choice_changes_province_kpi(app):
    demo = demo_frame()
    september = demo[demo["Periode"] == "2024-09"]
    expected = fmt.percent(province_rate(september), "id")
    assert expected != "37,0%"  # otherwise this test could not tell the months apart
    app.selectbox(key=WidgetKeys.PERIOD).set_value("2024-09")
    run(app)
    assert app.metric[0].value == expected
    assert app.metric[1].value == fmt.number(int(september[["Peserta PU", "Peserta BPU", "Peserta Jakon",
                                                            "Peserta PMI"]].to_numpy().sum()), "id")
    assert app.session_state[Keys.PERIOD] == "2024-09"


def test_national_rate_changes_regions_count(app):
    demo = demo_frame()
    october = demo[demo["Periode"] == "2024-10"]
    expected_count = int((regional_rates(october) >= 0.35).sum())
    assert expected_count != 3
    app.text_input(key=WidgetKeys.NATIONAL_PCT).set_value("35")
    run(app)
    assert app.metric[2].value == f"{expected_count} dari 10"
    assert "35,0%" in app.metric[0].proto.delta_description
    assert app.metric[3].value == fmt.points(province_rate(october) - 0.35, "id")


def test_language_survives_page_switch(app):
    app.segmented_control(key=WidgetKeys.LANG).set_value("en")
    run(app)
    go(app, DATA_PAGE)
    assert app.title[0].value == "Coverage data"
    assert app.segmented_control(key=WidgetKeys.LANG).value == "en"
    go(app, OVERVIEW_PAGE)
    assert app.title[0].value == "Jamsostek coverage overview"
    assert app.metric[0].value == "37.0%"


def test_period_and_national_rate_survive_page_switch(app):
    app.selectbox(key=WidgetKeys.PERIOD).set_value("2024-09")
    run(app)
    app.text_input(key=WidgetKeys.NATIONAL_PCT).set_value("35")
    run(app)
    go(app, DATA_PAGE)
    go(app, OVERVIEW_PAGE)
    assert app.selectbox(key=WidgetKeys.PERIOD).value == "2024-09"
    assert app.text_input(key=WidgetKeys.NATIONAL_PCT).value == "35"
    demo = demo_frame()
    assert app.metric[0].value == fmt.percent(province_rate(demo[demo["Periode"] == "2024-09"]), "id")


def _record_calls(monkeypatch, targets: list[str]) -> list[str]:
    """Replace each 'module.function' by a wrapper that notes its name and calls the original; returns the notes."""
    import importlib

    called: list[str] = []
    for target in targets:
        module_name, name = target.rsplit(".", 1)
        original = getattr(importlib.import_module(module_name), name)

        def recorded(*args, _original=original, _target=target, **kwargs):
            called.append(_target)
            return _original(*args, **kwargs)

        monkeypatch.setattr(target, recorded)
    return called


def test_a_rerun_builds_no_chart_map_or_table_again(app, monkeypatch):
    # What the page draws is cached by what it shows: after one run that builds it, reruns only read the cache.
    from components import cache, overview

    for cached in (cache.cached_chart_spec, cache.cached_map, overview._ranking_tables):
        cached.clear()
    called = _record_calls(monkeypatch, [
        "components.overview.build_ranking_chart", "components.overview.ranking_table",
        "monev.mapping.build_fallback_map", "monev.mapping.build_choropleth", "monev.mapping.region_properties",
    ])
    run(app)
    assert sorted(called) == ["components.overview.build_ranking_chart", "components.overview.ranking_table",
                              "monev.mapping.build_fallback_map", "monev.mapping.region_properties"]
    called.clear()
    run(app)
    run(app)
    assert called == []


def test_a_chart_from_the_cache_is_sent_as_st_altair_chart_sends_it():
    def script():
        import streamlit as st

        from components.downloads import render_chart
        from monev.charts import build_ranking_chart
        from monev.dataset import load_demo
        from monev.indicators import province_summary, region_indicators

        data = load_demo()
        summary = province_summary(data, data.latest_period, 0.39)
        indicators = region_indicators(data, data.latest_period, 0.39)

        def build():
            return build_ranking_chart(indicators, national_rate=0.39, province_rate=summary.rate,
                                       target_rate=summary.target_rate, lang="id")

        st.altair_chart(build(), width="stretch")
        render_chart(build, chart_key=("test-parity", data.checksum))

    from streamlit.testing.v1 import AppTest

    at = run(AppTest.from_function(script, default_timeout=30))
    direct, cached = at.get("vega_lite_chart")
    assert cached.proto == direct.proto


def test_the_demo_badge_off_the_data_page_says_to_upload_on_the_data_page(app):
    helps = [m.proto.help for m in app.markdown if "-badge[" in m.value and m.proto.help]
    assert len(helps) == 1
    assert helps[0].endswith("Unggah data Anda di halaman Data.")
    assert "Kaur 75%" in helps[0]


def test_the_meeting_pack_is_dated_with_the_chosen_meeting_date(app):
    date_input = app.date_input(key="pack.date")
    assert date_input.label == "Tanggal rapat"
    assert date_input.value == fmt.today()  # default: today in the office's zone
    date_input.set_value(dt.date(2024, 11, 20))
    click(app, "pack.make")
    _, pptx, _, _ = app.session_state[Keys.MEETING_PACK]
    title_slide = Presentation(io.BytesIO(pptx)).slides[0]
    texts = [shape.text_frame.text for shape in title_slide.shapes if shape.has_text_frame]
    assert any("Rapat: 20 November 2024" in text for text in texts)
    assert "20 November 2024" in title_slide.notes_slide.notes_text_frame.text


def test_on_a_phone_the_overview_map_is_framed_for_the_width_the_browser_tells(shared_boundaries):
    at = run(new_app())
    bounds = geo.load_boundaries().boundaries.bounds
    wide_zoom = deck_spec(at)["initialViewState"]["zoom"]
    browser_tells_content_width(at, 350)
    narrow = mapping.view_for_bounds(bounds, width_px=350, height_px=mapping.height_to_frame(
        bounds, 350, OVERVIEW_MAP_HEIGHT_PX))
    assert deck_spec(at)["initialViewState"]["zoom"] == narrow.zoom < wide_zoom
