"""The presenter (projector) page: seven slides from the live data, next/previous with wrap-around, the slide in the
URL, no sidebar, the numbers on the slides (computed here from the demo CSV, not with the app's code), scenarios
chosen for comparison, updates made elsewhere in the store, and auto-advance."""

from __future__ import annotations

import html
import re
import time

import pandas as pd
import pytest
from streamlit.testing.v1.element_tree import Widget

from components.state import Keys, WidgetKeys
from monev import fmt
from monev.dataset import load_dataset
from monev.sentences import long_date
from tests.app.support import (
    DATA_PAGE,
    POTENTIAL_HEADER,
    PRESENTER_PAGE,
    SCENARIOS_PAGE,
    SEGMENT_HEADERS,
    chart_texts,
    csv_bytes,
    demo_frame,
    demo_month_by_code,
    go,
    html_texts,
    id_percent,
    id_points,
    id_rupiah,
    metric_values,
    new_app,
    new_app_with,
    participants_to_reach,
    presenter_bar,
    projected_province,
    run,
    save_upload,
    scenario_body,
    slide_title,
    store,
)
from tests.users import editor

# [present.title] of the Indonesian catalog, in slide order.
TITLES = [
    "Cakupan Jamsostek dibanding rata-rata nasional",
    "Peta cakupan per wilayah",
    "Peringkat wilayah",
    "Tren cakupan",
    "Tiga wilayah terendah",
    "Skenario dibanding hari ini",
    "Sumber dan catatan",
]
CONTROLS = {WidgetKeys.SLIDE_PREVIOUS, WidgetKeys.SLIDE_NEXT, WidgetKeys.AUTOPLAY, WidgetKeys.AUTOPLAY_SECONDS}
NATIONAL_PCT = 39
COST_PER_WORKER_MONTH = 16_800  # JKK Rp10.000 + JKM Rp6.800
IGNORED = "Sebagian tautan tidak dikenali dan diabaikan: "
LEBONG = "17.07"
BIG_TEXT = "class='monev-big'"


def _open(query: dict[str, str] | None = None):
    """A new session opened on the presenter page (with ``query`` as its URL), run once."""
    return run(new_app_with(query or {}, PRESENTER_PAGE))


def _slide_number(at) -> int:
    return at.session_state[Keys.SLIDE]


def _click(at, key: str):
    at.button(key=key).click()
    return run(at)


def _display_name(csv_name: str) -> str:
    """'Kabupaten Lebong' -> 'Lebong'; the city keeps its 'Kota' (as everywhere in the app)."""
    return csv_name.removeprefix("Kabupaten ")


def _id_int(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _october() -> pd.DataFrame:
    """Per region (the CSV's names) in October 2024: P potential workers, p participants, rate; lowest rate first."""
    frame = demo_frame()
    month = frame[frame["Periode"] == "2024-10"].set_index("Wilayah")
    table = pd.DataFrame({"P": month[POTENTIAL_HEADER].astype(int), "p": month[SEGMENT_HEADERS].sum(axis=1)})
    table["rate"] = table["p"] / table["P"]
    return table.sort_values("rate")


# --- the slide sequence -----------------------------------------------------------------------------------------


def test_next_walks_through_the_seven_slides_in_order_and_wraps_to_the_first():
    at = _open()
    for number, title in enumerate(TITLES, start=1):
        assert _slide_number(at) == number
        assert slide_title(at) == title
        assert presenter_bar(at)[2] == f"{number} / 7"
        assert at.query_params["slide"] == str(number)
        _click(at, WidgetKeys.SLIDE_NEXT)
    assert _slide_number(at) == 1
    assert slide_title(at) == TITLES[0]
    assert presenter_bar(at)[2] == "1 / 7"
    assert at.query_params["slide"] == "1"


def test_previous_from_the_first_slide_goes_to_the_last_and_then_back_down():
    at = _open()
    assert _slide_number(at) == 1
    _click(at, WidgetKeys.SLIDE_PREVIOUS)
    assert (_slide_number(at), slide_title(at), presenter_bar(at)[2]) == (7, TITLES[6], "7 / 7")
    assert at.query_params["slide"] == "7"
    _click(at, WidgetKeys.SLIDE_PREVIOUS)
    assert (_slide_number(at), slide_title(at), presenter_bar(at)[2]) == (6, TITLES[5], "6 / 7")
    assert at.query_params["slide"] == "6"


def test_header_names_province_period_and_data_version():
    at = _open()
    assert presenter_bar(at) == ["Provinsi Bengkulu · Monev Jamsostek",
                                 "Oktober 2024 · data versi 1 · Data contoh (ilustrasi)", "1 / 7"]


def test_no_sidebar_and_no_inputs_but_the_controls_on_any_slide():
    at = _open()
    for number in range(1, 8):
        assert _slide_number(at) == number
        assert not at.sidebar.children, f"slide {number} draws into the sidebar"
        widgets = [node for node in at.main if isinstance(node, Widget)]
        # The scenarios slide has its picker once a scenario is saved; nothing is saved here.
        assert {widget.key for widget in widgets} == CONTROLS, f"slide {number}"
        assert len(widgets) == len(CONTROLS)
        _click(at, WidgetKeys.SLIDE_NEXT)


def test_switching_from_another_page_keeps_the_sidebar_away():
    at = run(new_app())
    assert at.sidebar.children  # the overview has its sidebar
    at.switch_page(PRESENTER_PAGE)
    run(at)
    assert not at.sidebar.children
    assert slide_title(at) == TITLES[0]


# --- the slides' contents ---------------------------------------------------------------------------------------


def test_slide_1_shows_the_provincial_kpis_and_the_extremes():
    october = _october()
    rate = october["p"].sum() / october["P"].sum()
    at_national = int((october["rate"] >= NATIONAL_PCT / 100).sum())
    assert (id_percent(rate), _id_int(int(october["p"].sum())), at_national) == ("37,0%", "261.814", 3)

    at = _open()
    assert metric_values(at) == [id_percent(rate), _id_int(int(october["p"].sum())), f"{at_national} dari 10",
                                 id_points(rate - NATIONAL_PCT / 100)]
    assert metric_values(at) == ["37,0%", "261.814", "3 dari 10", "-2,0 pp"]
    highest, lowest = october.index[-1], october.index[0]
    lines = [" ".join(text.split()) for text in html_texts(at, BIG_TEXT)]
    assert lines == [
        f"Tertinggi: {_display_name(highest)} {id_percent(october.at[highest, 'rate'])} · terendah: "
        f"{_display_name(lowest)} {id_percent(october.at[lowest, 'rate'])} · {10 - at_national} dari 10 wilayah di "
        "bawah rata-rata nasional."
    ]
    assert "Kaur 75,0%" in lines[0] and "Lebong 17,0%" in lines[0] and "7 dari 10" in lines[0]


def test_slide_2_is_one_map():
    at = _open({"slide": "2"})
    assert slide_title(at) == TITLES[1]
    assert len(at.get("deck_gl_json_chart")) == 1
    assert len(at.get("vega_lite_chart")) == 0


def test_slide_3_is_one_ranking_chart_with_the_national_line():
    at = _open({"slide": "3"})
    assert slide_title(at) == TITLES[2]
    assert len(at.get("vega_lite_chart")) == 1
    assert len(at.get("deck_gl_json_chart")) == 0
    texts = chart_texts(at)
    assert f"Nasional {NATIONAL_PCT},0%" in texts
    assert "Provinsi 37,0%" in texts


def test_slide_4_is_one_trend_chart():
    at = _open({"slide": "4"})
    assert slide_title(at) == TITLES[3]
    assert len(at.get("vega_lite_chart")) == 1
    assert len(at.get("deck_gl_json_chart")) == 0


def test_slide_5_shows_the_three_lowest_regions_what_reaching_the_national_rate_takes_and_costs():
    frame = demo_frame()
    october = _october()
    july = frame[frame["Periode"] == "2024-07"].set_index("Wilayah")[SEGMENT_HEADERS].sum(axis=1)
    lowest = list(october.index[:3])
    assert [_display_name(name) for name in lowest] == ["Lebong", "Seluma", "Bengkulu Tengah"]

    at = _open({"slide": "5"})
    assert slide_title(at) == TITLES[4]
    assert [metric.label for metric in at.metric] == [_display_name(name) for name in lowest]
    assert [metric.value for metric in at.metric] == [id_percent(october.at[name, "rate"]) for name in lowest]
    assert [metric.delta for metric in at.metric] == [
        id_points(october.at[name, "rate"] - NATIONAL_PCT / 100) + " dari nasional" for name in lowest]

    cards = [[line.strip() for line in text.strip().split("\n")] for text in html_texts(at, BIG_TEXT)]
    expected = []
    for name in lowest:
        potential, participants = int(october.at[name, "P"]), int(october.at[name, "p"])
        needed = (NATIONAL_PCT * potential + 99) // 100 - participants
        increase = participants - int(july[name])  # over the three months July -> October
        months = -(-needed * 3 // increase)  # ceil(needed / (increase / 3)), in integers
        expected.append([
            f"Laju kini: +{_id_int(round(increase / 3))} peserta/bulan",
            f"Perlu {_id_int(needed)} peserta lagi untuk {NATIONAL_PCT},0%",
            f"≈ {months} bulan dengan laju kini",
            f"Bila dibiayai APBD: {id_rupiah(needed * COST_PER_WORKER_MONTH * 12)} per tahun",
        ])
    assert cards == expected
    # Lebong, spelled out: 39 % of 38 435 is 14 989,65 -> 14 990 participants, it has 6 534.
    assert cards[0][1:] == ["Perlu 8.456 peserta lagi untuk 39,0%", "≈ 76 bulan dengan laju kini",
                            "Bila dibiayai APBD: Rp1,7 miliar per tahun"]
    assert cards[0][0] == "Laju kini: +113 peserta/bulan"
    assert [caption.value for caption in at.caption] == [
        "Biaya dengan paket JKK + JKM Rp16.800 per pekerja per bulan, 12 bulan."]


def test_slide_6_without_saved_scenarios_says_how_to_make_one():
    at = _open({"slide": "6"})
    assert slide_title(at) == TITLES[5]
    infos = [info.value for info in at.info]
    assert infos == ["Belum ada skenario tersimpan. Buat di halaman Simulasi lalu klik 'Simpan sebagai skenario baru'; "
                     "skenario itu lalu bisa dipilih di sini."]
    assert not at.multiselect
    assert not at.metric
    assert not at.get("vega_lite_chart")


def _save_lebong_scenario(name: str, rate: int):
    return store().save_scenario(name=name, body=scenario_body("target", {LEBONG: rate}), dataset_version_id=1,
                                 period="2024-10", author=editor("Penguji"))


def test_slide_6_picker_lists_the_saved_scenarios_and_says_none_is_chosen_yet():
    _save_lebong_scenario("Lebong ke 30 persen", 30)
    _save_lebong_scenario("Lebong ke 39", 39)
    at = _open({"slide": "6"})
    picker = at.multiselect(key=WidgetKeys.SLIDE_SCENARIOS)
    assert picker.label == "Skenario yang ditampilkan (paling banyak 4)"
    assert set(picker.options) == {"Lebong ke 30 persen", "Lebong ke 39"}
    assert picker.value == []
    assert at.info[0].value.startswith("Belum ada skenario dipilih. Pilih skenario tersimpan di atas")
    assert not at.metric


def test_slide_6_picker_shows_the_chosen_scenario_and_shares_the_choice_with_the_scenarios_page():
    scenario = _save_lebong_scenario("Lebong ke 30 persen", 30)
    _save_lebong_scenario("Lebong ke 39", 39)
    at = _open({"slide": "6"})
    at.multiselect(key=WidgetKeys.SLIDE_SCENARIOS).set_value([scenario.id])
    run(at)
    assert at.session_state[Keys.COMPARED] == [scenario.id]
    assert not at.info
    assert "**Lebong ke 30 persen**" in [markdown.value for markdown in at.markdown]
    assert {metric.label: metric.value for metric in at.metric}["Cakupan provinsi (proyeksi)"] == "37,7%"

    at.switch_page(SCENARIOS_PAGE)
    run(at)
    assert at.multiselect(key=WidgetKeys.SCENARIO_COMPARE).value == [scenario.id]


def test_slide_6_picker_starts_from_the_scenarios_page_s_comparison_and_allows_four_at_most():
    chosen = [_save_lebong_scenario(f"Lebong ke {rate}", rate) for rate in (20, 25, 30)]
    at = _open({"slide": "6"})
    at.session_state[Keys.COMPARED] = [scenario.id for scenario in chosen[:2]]
    run(at)
    picker = at.multiselect(key=WidgetKeys.SLIDE_SCENARIOS)
    assert picker.value == [scenario.id for scenario in chosen[:2]]
    assert picker.proto.max_selections == 4
    assert [markdown.value for markdown in at.markdown if markdown.value.startswith("**")] == [
        "**Lebong ke 20**", "**Lebong ke 25**"]


def test_slide_6_shows_a_scenario_chosen_for_comparison_with_its_projection():
    at = _open({"slide": "6"})
    assert at.info  # nothing chosen yet
    name = "Lebong ke 30 persen"
    scenario = store().save_scenario(name=name, body=scenario_body("target", {LEBONG: 30}), dataset_version_id=1,
                                     period="2024-10", author=editor("Penguji"))
    at.session_state[Keys.COMPARED] = [scenario.id]
    run(at)

    month = demo_month_by_code()
    added = participants_to_reach(month, LEBONG, 30)
    assert added == (30 * 38_435 + 99) // 100 - 6_534 == 4_997
    before = int(month["p"].sum()) / int(month["P"].sum())
    after = (int(month["p"].sum()) + added) / int(month["P"].sum())
    assert not at.info
    assert f"**{name}**" in [markdown.value for markdown in at.markdown]
    metrics = {metric.label: (metric.value, metric.delta) for metric in at.metric}
    assert metrics["Cakupan provinsi (proyeksi)"] == (projected_province(month, added), id_points(after - before))
    assert metrics["Cakupan provinsi (proyeksi)"][0] == "37,7%"
    assert metrics["Wilayah ≥ rata-rata nasional"][0] == "3 dari 10"  # Lebong at 30 % is still below 39 %
    assert metrics["Biaya per tahun"][0] == id_rupiah(added * COST_PER_WORKER_MONTH * 12)
    assert len(at.get("vega_lite_chart")) == 1  # one scenario: its before -> after chart


def _source_items(at) -> list[str]:
    """The lines of the sources slide."""
    bodies = [element.proto.body for element in at.get("html") if BIG_TEXT in element.proto.body]
    assert len(bodies) == 1
    return [html.unescape(item) for item in re.findall(r"<li>(.*?)</li>", bodies[0])]


def test_slide_7_lists_the_sources_and_the_data_version():
    at = _open({"slide": "7"})
    assert slide_title(at) == TITLES[6]
    items = _source_items(at)
    assert len(items) == 7, items
    assert any(item.startswith("Cakupan = peserta aktif ÷ pekerja potensial") for item in items), items
    assert any("jarrakpos.com" in item for item in items), items
    assert any("Peserta aktif provinsi 261.814" in item for item in items), items
    assert any("JKK Rp10.000 + JKM Rp6.800" in item for item in items), items
    assert any(item.startswith("Batas wilayah: Indonesia-Geojson") for item in items), items
    assert any(item.startswith("Data: versi 1 (cakupan_bengkulu_2024.csv), diunggah oleh sistem")
               for item in items), items
    assert any(item.startswith("Data contoh:") for item in items), items


def test_after_an_upload_is_saved_the_sources_slide_names_its_file_uploader_and_note_and_no_press_source():
    october = demo_frame()
    october = october[october["Periode"] == "2024-10"]
    at = run(new_app_with({}, DATA_PAGE))
    save_upload(at, "oktober.csv", csv_bytes(october), note="Rekap BPJS Ketenagakerjaan Cabang Bengkulu",
                mode="replace")
    saved = store().active_version()
    assert (saved.id, saved.file_name, saved.is_demo) == (2, "oktober.csv", False)

    go(at, PRESENTER_PAGE)
    _click(at, WidgetKeys.SLIDE_PREVIOUS)  # from the first slide round to the last
    assert slide_title(at) == TITLES[6]
    items = _source_items(at)
    day = long_date(fmt.local_time(saved.created_at).date(), "id")  # the upload's date in WIB, where the meeting is
    assert f"Data: versi 2 (oktober.csv), diunggah oleh Penguji pada {day}." in items, items
    assert "Sumber angka (catatan versi data): Rekap BPJS Ketenagakerjaan Cabang Bengkulu" in items, items
    assert not any("jarrakpos.com" in item or "Harian Bengkulu Ekspress" in item or item.startswith("Data contoh:")
                   for item in items), items
    assert any(item.startswith("Cakupan = peserta aktif ÷ pekerja potensial") for item in items), items


# --- the slide in the URL ---------------------------------------------------------------------------------------


def test_link_with_a_slide_opens_that_slide():
    at = _open({"slide": "5"})
    assert _slide_number(at) == 5
    assert slide_title(at) == TITLES[4]
    assert presenter_bar(at)[2] == "5 / 7"
    assert at.query_params["slide"] == "5"
    _click(at, WidgetKeys.SLIDE_NEXT)
    assert at.query_params["slide"] == "6"


@pytest.mark.parametrize("value", ["9", "x", "0", "-1"])
def test_link_with_a_malformed_slide_opens_the_first(value):
    at = _open({"slide": value})
    assert _slide_number(at) == 1
    assert slide_title(at) == TITLES[0]
    assert at.query_params["slide"] == "1"


@pytest.mark.parametrize("value", ["9", "x"])
def test_link_with_a_malformed_slide_says_it_was_ignored_on_the_presenter_page(value):
    """The issue: malformed parameters are ignored with a small notice. The presenter page is where this link
    lands, so that is where the notice belongs (not on whichever page the user visits next)."""
    at = _open({"slide": value})
    captions = [caption.value for caption in at.caption]
    assert IGNORED + "slide." in captions, captions


# --- live updates -----------------------------------------------------------------------------------------------


def test_a_new_dataset_version_saved_elsewhere_shows_on_the_next_run():
    at = _open()
    database = store()
    assert at.session_state[Keys.LIVE_STAMP] == database.change_stamp()
    assert metric_values(at)[0] == "37,0%"

    frame = demo_frame()
    lebong = (frame["Periode"] == "2024-10") & (frame["Wilayah"] == "Kabupaten Lebong")
    assert lebong.sum() == 1
    frame.loc[lebong, "Peserta BPU"] += 1000
    content = csv_bytes(frame)
    loaded = load_dataset("revisi.csv", content)
    assert loaded.data is not None, [problem.code for problem in loaded.errors]
    before = database.change_stamp()
    database.add_dataset_version(loaded.data, content, file_name="revisi.csv", actor=editor("Penguji lain"))
    assert database.change_stamp() > before

    run(at)
    october = frame[frame["Periode"] == "2024-10"]
    rate = october[SEGMENT_HEADERS].to_numpy().sum() / october[POTENTIAL_HEADER].sum()
    assert id_percent(rate) == "37,1%"  # 262 814 / 708 000
    assert metric_values(at)[:2] == [id_percent(rate), "262.814"]
    assert presenter_bar(at)[1] == "Oktober 2024 · data versi 2"
    assert at.session_state[Keys.LIVE_STAMP] == database.change_stamp()
    live = html_texts(at, "data-testid='monev-live'")
    assert len(live) == 1 and "Langsung · diperbarui" in live[0], live


# --- auto-advance -----------------------------------------------------------------------------------------------


def test_autoplay_toggle_is_remembered_in_the_session():
    at = _open()
    assert at.session_state[Keys.AUTOPLAY] is False
    at.toggle(key=WidgetKeys.AUTOPLAY).set_value(True)
    run(at)
    assert at.session_state[Keys.AUTOPLAY] is True
    assert at.toggle(key=WidgetKeys.AUTOPLAY).value is True
    slide, since = at.session_state[Keys.SLIDE_SINCE]
    assert slide == 1 and time.monotonic() - since < 30
    at.toggle(key=WidgetKeys.AUTOPLAY).set_value(False)
    run(at)
    assert at.session_state[Keys.AUTOPLAY] is False


def test_autoplay_advances_a_slide_shown_long_enough_and_not_a_fresh_one():
    at = _open({"slide": "3"})
    at.toggle(key=WidgetKeys.AUTOPLAY).set_value(True)
    run(at)
    assert _slide_number(at) == 3

    at.session_state[Keys.SLIDE_SINCE] = (3, time.monotonic())  # just appeared
    run(at)
    assert _slide_number(at) == 3

    at.session_state[Keys.SLIDE_SINCE] = (3, time.monotonic() - 100)  # shown for 100 s, interval 20 s
    run(at)
    assert _slide_number(at) == 4
    assert slide_title(at) == TITLES[3]
    assert presenter_bar(at)[2] == "4 / 7"
    assert at.query_params["slide"] == "4"
    assert at.session_state[Keys.SLIDE_SINCE][0] == 4  # the new slide's clock started

    run(at)
    assert _slide_number(at) == 4  # and it is fresh: no second step


def test_autoplay_wraps_from_the_last_slide_to_the_first():
    at = _open({"slide": "7"})
    at.toggle(key=WidgetKeys.AUTOPLAY).set_value(True)
    run(at)
    at.session_state[Keys.SLIDE_SINCE] = (7, time.monotonic() - 100)
    run(at)
    assert _slide_number(at) == 1


def test_without_autoplay_an_old_slide_stays():
    at = _open({"slide": "2"})
    at.session_state[Keys.SLIDE_SINCE] = (2, time.monotonic() - 1000)
    run(at)
    assert _slide_number(at) == 2


def test_live_indicator_says_when_the_store_is_unreachable_and_the_last_data_stays(monkeypatch):
    at = run(new_app_with(page=PRESENTER_PAGE))
    assert any("Langsung" in text for text in html_texts(at, "monev-live"))
    monkeypatch.setenv("MONEV_DATABASE_URL", "postgresql+psycopg://x@127.0.0.1:1/none")  # a closed port
    run(at)
    assert any("Database tidak terjangkau" in text for text in html_texts(at, "monev-live"))
    assert [m.value for m in at.metric][:2] == ["37,0%", "261.814"]  # the last data is still projected
