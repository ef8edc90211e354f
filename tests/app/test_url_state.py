"""The view in the URL (?periode=&metrik=&wilayah=&bahasa=): read once when a session opens a link, then kept in step
with the session, carried by the sidebar's page links and across page switches."""

from __future__ import annotations

from urllib.parse import parse_qs

from tests.app.support import (
    MAP_PAGE,
    OVERVIEW_PAGE,
    SEGMENT_HEADERS,
    TRENDS_PAGE,
    chart_datasets,
    demo_frame,
    go,
    id_percent,
    legend,
    metric_values,
    new_app,
    new_app_with,
    province_rate,
    run,
)

LEBONG = "17.07"


def _link_params(at) -> list[dict[str, str]]:
    """The query parameters of every page link in the sidebar."""
    return [{key: values[-1] for key, values in parse_qs(link.proto.query_string).items()}
            for link in at.get("page_link")]


def _june() -> tuple[str, str]:
    """Province coverage and participants of June 2024 from the demo CSV, written the English way."""
    demo = demo_frame()
    june = demo[demo["Periode"] == "2024-06"]
    return f"{province_rate(june) * 100:.1f}%", f"{int(june[SEGMENT_HEADERS].to_numpy().sum()):,}"


def test_link_sets_period_metric_and_language():
    at = run(new_app_with({"periode": "2024-06", "metrik": "selisih", "bahasa": "en"}))
    assert at.title[0].value == "Jamsostek coverage overview"
    rate, participants = _june()
    assert rate != "37.0%"  # otherwise June could not be told from the default October
    assert metric_values(at)[:2] == [rate, participants]
    assert at.session_state["monev.period"] == "2024-06"
    assert at.session_state["monev.metric"] == "gap"
    assert at.session_state["monev.lang"] == "en"
    assert at.selectbox(key="sidebar.period").value == "2024-06"
    assert at.selectbox(key="sidebar.metric").value == "gap"
    assert at.segmented_control(key="sidebar.lang").value == "en"
    assert at.query_params == {"periode": "2024-06", "metrik": "selisih", "bahasa": "en"}


def test_link_is_read_once_then_the_session_leads():
    at = run(new_app_with({"periode": "2024-06", "metrik": "selisih"}))
    at.selectbox(key="sidebar.period").set_value("2024-08")
    run(at)
    assert at.session_state["monev.period"] == "2024-08"
    assert at.query_params["periode"] == "2024-08"
    assert at.query_params["metrik"] == "selisih"


def test_malformed_values_are_ignored():
    at = run(new_app_with({"periode": "2099-01", "metrik": "xyz", "bahasa": "fr", "wilayah": "99.99"}))
    assert at.title[0].value == "Ringkasan cakupan Jamsostek"
    assert metric_values(at)[0] == "37,0%"
    assert at.session_state["monev.period"] == "2024-10"
    assert at.session_state["monev.metric"] == "coverage"
    assert at.session_state["monev.lang"] == "id"
    assert at.session_state["monev.region"] is None
    # The address bar is corrected to the view actually shown.
    assert at.query_params["periode"] == "2024-10"
    assert at.query_params.get("metrik", "cakupan") == "cakupan"
    assert "bahasa" not in at.query_params and "wilayah" not in at.query_params


def test_period_and_metric_survive_page_switches():
    at = run(new_app())
    at.selectbox(key="sidebar.period").set_value("2024-06")
    run(at)
    at.selectbox(key="sidebar.metric").set_value("gap")
    run(at)
    expected_url = {"periode": "2024-06", "metrik": "selisih"}
    assert at.query_params == expected_url

    go(at, MAP_PAGE)
    assert at.selectbox(key="sidebar.period").value == "2024-06"
    assert at.selectbox(key="sidebar.metric").value == "gap"
    assert legend(at)[0] == "Selisih ke rata-rata nasional"
    assert at.query_params == expected_url

    go(at, TRENDS_PAGE)
    assert at.selectbox(key="sidebar.period").value == "2024-06"
    assert at.selectbox(key="sidebar.metric").value == "gap"
    assert at.query_params == expected_url

    go(at, OVERVIEW_PAGE)
    assert at.selectbox(key="sidebar.period").value == "2024-06"
    assert at.selectbox(key="sidebar.metric").value == "gap"
    assert at.query_params == expected_url
    demo = demo_frame()
    assert metric_values(at)[0] == id_percent(province_rate(demo[demo["Periode"] == "2024-06"]))


def test_page_links_carry_the_current_view():
    at = run(new_app_with({"wilayah": LEBONG, "bahasa": "en"}))
    at.selectbox(key="sidebar.period").set_value("2024-07")
    run(at)
    at.selectbox(key="sidebar.metric").set_value("change")
    run(at)
    expected = {"periode": "2024-07", "metrik": "perubahan", "wilayah": LEBONG, "bahasa": "en"}
    assert at.query_params == expected
    links = at.get("page_link")
    assert [link.value for link in links] == ["Overview", "Map", "Trends", "Simulation", "Data"]
    assert _link_params(at) == [expected] * len(links)


def test_page_links_follow_a_closed_detail():
    at = run(new_app_with({"wilayah": LEBONG}))
    assert all(params.get("wilayah") == LEBONG for params in _link_params(at))
    at.button(key="detail.close").click()
    run(at)
    assert "wilayah" not in at.query_params
    assert all("wilayah" not in params for params in _link_params(at))
    assert all(params["periode"] == "2024-10" for params in _link_params(at))


def test_deep_link_to_the_trends_page():
    at = run(new_app_with({"periode": "2024-06", "wilayah": LEBONG}, TRENDS_PAGE))
    assert at.title[0].value == "Tren, segmen dan target"
    assert at.multiselect(key="tren.regions").value == [LEBONG]
    assert at.query_params["periode"] == "2024-06" and at.query_params["wilayah"] == LEBONG
    assert at.query_params.get("metrik", "cakupan") == "cakupan"
    periods = {period for frame in chart_datasets(at, 0) if "period" in frame for period in frame["period"]}
    assert max(periods) == "2024-06"  # the trend stops at the linked period
