"""The view in the URL (?periode=&metrik=&wilayah=&bahasa=, and ?skenario= or the unsaved simulation ?t= / ?a=): read
once when a session opens a link, then kept in step with the session, carried by the sidebar's page links and across
page switches, and offered as a link to copy."""

from __future__ import annotations

from urllib.parse import parse_qs

from components.state import Keys, WidgetKeys
from tests.app.support import (
    MAP_PAGE,
    OVERVIEW_PAGE,
    SEGMENT_HEADERS,
    SIM_PAGE,
    TRENDS_PAGE,
    chart_datasets,
    demo_frame,
    demo_month_by_code,
    go,
    id_percent,
    legend,
    metric_values,
    new_app,
    new_app_with,
    participants_to_reach,
    projected_province,
    province_rate,
    run,
    scenario_body,
    store,
)
from tests.users import editor

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
    assert at.session_state[Keys.PERIOD] == "2024-06"
    assert at.session_state[Keys.METRIC] == "gap"
    assert at.session_state[Keys.LANG] == "en"
    assert at.selectbox(key=WidgetKeys.PERIOD).value == "2024-06"
    assert at.selectbox(key=WidgetKeys.METRIC).value == "gap"
    assert at.segmented_control(key=WidgetKeys.LANG).value == "en"
    assert at.query_params == {"periode": "2024-06", "metrik": "selisih", "bahasa": "en"}


def test_link_is_read_once_then_the_session_leads():
    at = run(new_app_with({"periode": "2024-06", "metrik": "selisih"}))
    at.selectbox(key=WidgetKeys.PERIOD).set_value("2024-08")
    run(at)
    assert at.session_state[Keys.PERIOD] == "2024-08"
    assert at.query_params["periode"] == "2024-08"
    assert at.query_params["metrik"] == "selisih"


def test_malformed_values_are_ignored():
    at = run(new_app_with({"periode": "2099-01", "metrik": "xyz", "bahasa": "fr", "wilayah": "99.99"}))
    assert at.title[0].value == "Ringkasan cakupan Jamsostek"
    assert metric_values(at)[0] == "37,0%"
    assert at.session_state[Keys.PERIOD] == "2024-10"
    assert at.session_state[Keys.METRIC] == "coverage"
    assert at.session_state[Keys.LANG] == "id"
    assert at.session_state[Keys.REGION] is None
    # The address bar is corrected to the view actually shown.
    assert at.query_params["periode"] == "2024-10"
    assert at.query_params.get("metrik", "cakupan") == "cakupan"
    assert "bahasa" not in at.query_params and "wilayah" not in at.query_params


def test_period_and_metric_survive_page_switches():
    at = run(new_app())
    at.selectbox(key=WidgetKeys.PERIOD).set_value("2024-06")
    run(at)
    at.selectbox(key=WidgetKeys.METRIC).set_value("gap")
    run(at)
    expected_url = {"periode": "2024-06", "metrik": "selisih"}
    assert at.query_params == expected_url

    go(at, MAP_PAGE)
    assert at.selectbox(key=WidgetKeys.PERIOD).value == "2024-06"
    assert at.selectbox(key=WidgetKeys.METRIC).value == "gap"
    assert legend(at)[0] == "Selisih ke rata-rata nasional"
    assert at.query_params == expected_url

    go(at, TRENDS_PAGE)
    assert at.selectbox(key=WidgetKeys.PERIOD).value == "2024-06"
    assert at.selectbox(key=WidgetKeys.METRIC).value == "gap"
    assert at.query_params == expected_url

    go(at, OVERVIEW_PAGE)
    assert at.selectbox(key=WidgetKeys.PERIOD).value == "2024-06"
    assert at.selectbox(key=WidgetKeys.METRIC).value == "gap"
    assert at.query_params == expected_url
    demo = demo_frame()
    assert metric_values(at)[0] == id_percent(province_rate(demo[demo["Periode"] == "2024-06"]))


def test_page_links_carry_the_current_view():
    at = run(new_app_with({"wilayah": LEBONG, "bahasa": "en"}))
    at.selectbox(key=WidgetKeys.PERIOD).set_value("2024-07")
    run(at)
    at.selectbox(key=WidgetKeys.METRIC).set_value("change")
    run(at)
    expected = {"periode": "2024-07", "metrik": "perubahan", "wilayah": LEBONG, "bahasa": "en"}
    assert at.query_params == expected
    links = at.get("page_link")
    labels = [link.value for link in links]
    pages = ["Overview", "Map", "Trends", "Simulation", "Scenarios", "Data"]
    assert [label for label in labels if label in pages] == pages  # all of them, in this order (and maybe more)
    assert _link_params(at) == [expected] * len(links)


def test_page_links_follow_a_closed_detail():
    at = run(new_app_with({"wilayah": LEBONG}))
    assert all(params.get("wilayah") == LEBONG for params in _link_params(at))
    at.button(key=WidgetKeys.CLOSE_DETAIL).click()
    run(at)
    assert "wilayah" not in at.query_params
    assert all("wilayah" not in params for params in _link_params(at))
    assert all(params["periode"] == "2024-10" for params in _link_params(at))


def test_deep_link_to_the_trends_page():
    at = run(new_app_with({"periode": "2024-06", "wilayah": LEBONG}, TRENDS_PAGE))
    assert at.title[0].value == "Tren, segmen dan target"
    assert at.multiselect(key=WidgetKeys.TREND_REGIONS).value == [LEBONG]
    assert at.query_params["periode"] == "2024-06" and at.query_params["wilayah"] == LEBONG
    assert at.query_params.get("metrik", "cakupan") == "cakupan"
    periods = {period for frame in chart_datasets(at, 0) if "period" in frame for period in frame["period"]}
    assert max(periods) == "2024-06"  # the trend stops at the linked period


# --- the simulation in the link: ?t= / ?a= (unsaved) and ?skenario= (saved) ----------------------------------------

IGNORED = "Sebagian tautan tidak dikenali dan diabaikan: "


def _sim_table(at):
    return at.session_state[Keys.SIM_TABLE].set_index("region_code")


def _projected(at) -> str:
    return next(metric.value for metric in at.metric if metric.label == "Cakupan provinsi (proyeksi)")


def _ignored_captions(at) -> list[str]:
    return [caption.value for caption in at.caption if caption.value.startswith(IGNORED)]


def test_link_with_targets_restores_the_unsaved_simulation():
    month = demo_month_by_code()
    added = participants_to_reach(month, "17.01", 40) + participants_to_reach(month, LEBONG, 30)
    at = run(new_app_with({"t": "17.01:40,17.07:30"}, SIM_PAGE))
    table = _sim_table(at)
    assert at.session_state[Keys.SIM_MODE] == "target"
    assert (table.at["17.01", "target_pct"], table.at[LEBONG, "target_pct"]) == (40, 30)
    assert table.drop(index=["17.01", LEBONG])["target_pct"].isna().all()
    assert table["additional"].isna().all()
    editor = at.data_editor[0].value.set_index("region")
    assert (editor.at["Bengkulu Selatan", "target_pct"], editor.at["Lebong", "target_pct"]) == ("40", "30")
    assert _projected(at) == projected_province(month, added) != "37,0%"
    assert not _ignored_captions(at)
    assert at.query_params["t"] == "17.01:40,17.07:30"


def test_link_with_one_target_keeps_it_in_the_url_across_reruns_and_pages():
    month = demo_month_by_code()
    at = run(new_app_with({"t": "17.07:30"}, SIM_PAGE))
    assert _sim_table(at).at[LEBONG, "target_pct"] == 30
    assert _projected(at) == projected_province(month, participants_to_reach(month, LEBONG, 30))
    assert at.query_params == {"periode": "2024-10", "metrik": "cakupan", "t": "17.07:30"}
    run(at)
    assert at.query_params["t"] == "17.07:30"
    assert all(params.get("t") == "17.07:30" for params in _link_params(at))
    go(at, OVERVIEW_PAGE)
    assert at.query_params["t"] == "17.07:30"
    go(at, SIM_PAGE)
    assert _sim_table(at).at[LEBONG, "target_pct"] == 30


def test_link_with_additions_switches_to_add_mode():
    month = demo_month_by_code()
    at = run(new_app_with({"a": "17.07:5000"}, SIM_PAGE))
    assert at.session_state[Keys.SIM_MODE] == "add"
    assert at.segmented_control(key=WidgetKeys.SIM_MODE).value == "add"
    table = _sim_table(at)
    assert table.at[LEBONG, "additional"] == 5000
    assert table.drop(index=LEBONG)["additional"].isna().all()
    assert _projected(at) == projected_province(month, 5000)
    assert at.query_params["a"] == "17.07:5000" and "t" not in at.query_params


def test_link_to_an_unknown_scenario_says_it_was_not_found():
    at = run(new_app_with({"skenario": "ffffffffffff"}, SIM_PAGE))
    warnings = [warning.value for warning in at.warning]
    assert any("ffffffffffff" in text and "tidak ditemukan" in text for text in warnings), warnings
    assert at.session_state[Keys.SCENARIO] is None
    assert WidgetKeys.SCENARIO_SAVE not in [button.key for button in at.button]  # nothing is open
    assert "skenario" not in at.query_params
    assert not _ignored_captions(at)  # well-formed, just unknown


def test_malformed_scenario_and_targets_are_ignored_and_named():
    at = run(new_app_with({"skenario": "not-hex", "t": "17.07:abc", "periode": "2024-06"}, SIM_PAGE))
    assert _ignored_captions(at) == [IGNORED + "skenario, t."]
    assert at.session_state[Keys.SCENARIO] is None
    assert _sim_table(at)["target_pct"].isna().all()
    assert _projected(at) == id_percent(province_rate(demo_frame().query("Periode == '2024-06'")))
    assert at.session_state[Keys.PERIOD] == "2024-06"  # the well-formed parts of the link still apply
    assert "skenario" not in at.query_params and "t" not in at.query_params
    run(at)
    assert not _ignored_captions(at)  # said once


def test_out_of_range_and_unknown_region_targets_are_ignored():
    at = run(new_app_with({"t": "17.07:130", "a": "99.99:5", "x": "1"}, SIM_PAGE))
    assert _ignored_captions(at) == [IGNORED + "t, a, x."]
    assert _sim_table(at)[["target_pct", "additional"]].isna().all().all()
    assert "t" not in at.query_params and "a" not in at.query_params


def test_share_link_names_the_open_scenario_else_the_unsaved_values():
    at = run(new_app())
    scenario = store().save_scenario(name="Lebong 30", body=scenario_body("target", {LEBONG: 30}),
                                     dataset_version_id=1, period="2024-10", author=editor("Budi"))
    at = run(new_app_with({"skenario": scenario.id}, SIM_PAGE))
    assert at.session_state[Keys.SCENARIO]["id"] == scenario.id
    assert at.query_params["skenario"] == scenario.id and "t" not in at.query_params
    (link,) = [code.value for code in at.sidebar.code]
    assert f"skenario={scenario.id}" in link and "t=" not in link
    assert "periode=2024-10" in link

    at.button(key=WidgetKeys.SCENARIO_CLOSE).click()
    run(at)
    assert at.session_state[Keys.SCENARIO] is None
    assert "skenario" not in at.query_params
    assert at.query_params["t"] == "17.07:30"  # the table is kept: the link now carries its values
    (link,) = [code.value for code in at.sidebar.code]
    assert "skenario=" not in link and "t=17.07%3A30" in link


def test_an_empty_table_puts_no_simulation_in_the_url():
    at = run(new_app_with({}, SIM_PAGE))
    assert _sim_table(at)["target_pct"].isna().all()
    assert set(at.query_params) == {"periode", "metrik"}
    (link,) = [code.value for code in at.sidebar.code]
    assert "t=" not in link and "a=" not in link and "skenario=" not in link
