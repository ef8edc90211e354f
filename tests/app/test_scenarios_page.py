"""Saved scenarios: saving the simulator's state (pages/simulasi.py), the list on pages/skenario.py (open, duplicate,
rename, delete, compare), reopening by link, optimistic locking, and scenarios built on an older dataset version.

Scenarios are made through the UI where that is what is tested, else written to the database directly (the test's own
SQLite file, shared with the app). Expected coverages are computed from the demo CSV with integer arithmetic.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from components.state import Keys, WidgetKeys
from monev.dataset import load_dataset
from tests.app.support import (
    PRESENTER_PAGE,
    SCENARIOS_PAGE,
    SIM_PAGE,
    click,
    csv_bytes,
    demo_frame,
    demo_month_by_code,
    go,
    id_percent,
    new_app,
    new_app_with,
    participants_to_reach,
    projected_province,
    run,
    scenario_body,
    sign_in,
    store,
    type_into_simulator,
)
from tests.users import editor

LEBONG, KAUR, SELUMA = "17.07", "17.04", "17.05"
MONTH = demo_month_by_code()
COVERAGE = "Cakupan provinsi (proyeksi)"


# --- helpers ------------------------------------------------------------------------------------------------------


def _kpis(at: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


def _texts(elements) -> list[str]:
    return [element.value for element in elements]


def _open_line(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("Skenario terbuka:")]


def _targets(at: AppTest) -> dict[str, float]:
    table = at.session_state[Keys.SIM_TABLE].set_index("region_code")["target_pct"]
    return {code: value for code, value in table.items() if not math.isnan(value)}


def _saved_from_simulator(name: str, user: str = "Budi", targets: dict[str, float] | None = None) -> AppTest:
    """A session that types targets into the simulator and saves them as a new scenario called ``name``."""
    at = run(new_app())
    sign_in(at, user)
    go(at, SIM_PAGE)
    for code, value in (targets or {LEBONG: 30}).items():
        type_into_simulator(at, code, "target_pct", value)
    at.text_input(key=WidgetKeys.SCENARIO_NAME).set_value(name)
    at.text_input(key=WidgetKeys.SCENARIO_NOTE).set_value("uji coba")
    run(at)
    return click(at, WidgetKeys.SCENARIO_SAVE_NEW)


def _stored(name: str = "Lebong 30", targets: dict[str, float] | None = None, author: str = "Ani",
            version: int = 1, period: str = "2024-10"):
    return store().save_scenario(name=name, body=scenario_body("target", targets or {LEBONG: 30}),
                                 dataset_version_id=version, period=period, author=editor(author))


def _list(at: AppTest) -> pd.DataFrame:
    for frame in at.dataframe:
        if "Nama skenario" in frame.value.columns:
            return frame.value
    raise AssertionError("no scenario list on the page")


def _choose(at: AppTest, scenario_id: str) -> AppTest:
    at.selectbox(key=WidgetKeys.SCENARIO_CHOICE).set_value(scenario_id)
    return run(at)


@pytest.fixture
def scenarios_page() -> AppTest:
    """A fresh session on the scenarios page (the database is seeded by its first run)."""
    return go(run(new_app()), SCENARIOS_PAGE)


# --- saving from the simulator, the list, reopening ---------------------------------------------------------------


def test_scenario_saved_in_the_simulator_is_stored_and_listed():
    added = participants_to_reach(MONTH, LEBONG, 30)
    at = _saved_from_simulator("Lebong 30")
    assert "Skenario 'Lebong 30' tersimpan." in _texts(at.success)
    assert _open_line(at) == ["Skenario terbuka: **Lebong 30** (revisi 1)."]
    assert _kpis(at)[COVERAGE] == projected_province(MONTH, added) != "37,0%"

    (saved,) = store().scenarios()
    assert (saved.name, saved.note, saved.author, saved.version) == ("Lebong 30", "uji coba", "Budi", 1)
    assert (saved.dataset_version_id, saved.period) == (1, "2024-10")
    inputs = saved.body.input_frame().set_index("region_code")
    assert saved.body.mode == "target"
    assert inputs.at[LEBONG, "target_pct"] == 30
    assert inputs.drop(index=LEBONG)["target_pct"].isna().all()
    assert at.query_params["skenario"] == saved.id
    assert {WidgetKeys.SCENARIO_SAVE, WidgetKeys.SCENARIO_CLOSE} <= {button.key for button in at.button}
    assert WidgetKeys.SCENARIO_REBASE not in {button.key for button in at.button}  # built on the active version

    go(at, SCENARIOS_PAGE)
    listed = _list(at)
    assert listed[["Nama skenario", "Dibuat oleh", "Dasar data", "Revisi", "Catatan", "id"]].values.tolist() == [
        ["Lebong 30", "Budi", "versi 1, Oktober 2024", 1, "uji coba", saved.id]]


def test_without_scenarios_the_page_says_how_to_make_one(scenarios_page):
    assert _texts(scenarios_page.info)[-1].startswith("Belum ada skenario tersimpan.")
    assert WidgetKeys.SCENARIO_CHOICE not in [box.key for box in scenarios_page.selectbox]  # nothing to choose
    assert WidgetKeys.SCENARIO_COMPARE not in [box.key for box in scenarios_page.multiselect]


def test_a_scenario_reopens_in_a_fresh_session_from_the_list_and_from_its_link():
    author = _saved_from_simulator("Dua wilayah", targets={LEBONG: 30, KAUR: 80})
    shown = _kpis(author)
    added = participants_to_reach(MONTH, LEBONG, 30) + participants_to_reach(MONTH, KAUR, 80)
    assert shown[COVERAGE] == projected_province(MONTH, added)
    (saved,) = store().scenarios()

    other = go(run(new_app()), SCENARIOS_PAGE)  # someone else, elsewhere
    _choose(other, saved.id)
    click(other, WidgetKeys.SCENARIO_OPEN)
    assert other.title[0].value == "Simulasi target kepesertaan"  # it went to the simulator
    assert _kpis(other) == shown
    assert _targets(other) == {LEBONG: 30, KAUR: 80}
    assert _open_line(other) == ["Skenario terbuka: **Dua wilayah** (revisi 1)."]
    assert other.query_params["skenario"] == saved.id

    linked = run(new_app_with({"skenario": saved.id}, SIM_PAGE))
    assert _kpis(linked) == shown
    assert _targets(linked) == {LEBONG: 30, KAUR: 80}
    assert _open_line(linked) == ["Skenario terbuka: **Dua wilayah** (revisi 1)."]


def test_saving_changes_makes_revision_2():
    scenario = _stored("Lebong 30", {LEBONG: 30})
    at = run(new_app_with({"skenario": scenario.id}, SIM_PAGE))
    sign_in(at, "Citra")
    type_into_simulator(at, KAUR, "target_pct", 80)
    click(at, WidgetKeys.SCENARIO_SAVE)
    assert "Perubahan skenario 'Lebong 30' tersimpan (revisi 2)." in _texts(at.success)
    assert _open_line(at) == ["Skenario terbuka: **Lebong 30** (revisi 2)."]
    saved = store().scenario(scenario.id)
    assert (saved.version, saved.updated_by, saved.author) == (2, "Citra", "Ani")
    targets = saved.body.input_frame().set_index("region_code")["target_pct"].dropna().to_dict()
    assert targets == {LEBONG: 30, KAUR: 80}
    assert [(e.actor, e.action) for e in store().audit_entries()][0] == ("Citra", "scenario_update")
    assert len(store().scenarios()) == 1  # changed in place, not saved as a new one


def test_a_conflicting_save_is_refused_and_overwrites_nothing():
    scenario = _stored("Lebong 30", {LEBONG: 30})
    at = sign_in(run(new_app_with({"skenario": scenario.id}, SIM_PAGE)))
    type_into_simulator(at, KAUR, "target_pct", 80)
    # Meanwhile someone else saves their change to the same scenario (revision 1 -> 2).
    theirs = scenario_body("target", {LEBONG: 35})
    store().update_scenario(scenario.id, expected_version=1, actor=editor("Dedi"), body=theirs)

    click(at, WidgetKeys.SCENARIO_SAVE)
    errors = _texts(at.error)
    assert any("Skenario 'Lebong 30' sudah diubah orang lain (kini revisi 2, Anda membuka revisi 1)" in text
               for text in errors), errors
    assert not [text for text in _texts(at.success) if "tersimpan" in text]
    saved = store().scenario(scenario.id)
    assert (saved.version, saved.updated_by) == (2, "Dedi")
    assert saved.body.input_frame().set_index("region_code")["target_pct"].dropna().to_dict() == {LEBONG: 35}
    assert _targets(at) == {LEBONG: 30, KAUR: 80}  # the user's edit is not lost: it can be saved as a new scenario
    assert _open_line(at) == ["Skenario terbuka: **Lebong 30** (revisi 1)."]


# --- duplicate, rename, delete ------------------------------------------------------------------------------------


def test_duplicate_rename_and_delete_through_the_list(scenarios_page):
    at = scenarios_page
    first = _stored("Lebong 30", {LEBONG: 30}, author="Ani")
    second = _stored("Kaur 80", {KAUR: 80}, author="Ani")
    sign_in(at, "Eko")
    assert list(_list(at)["Nama skenario"]) == ["Kaur 80", "Lebong 30"]  # most recently changed first

    _choose(at, first.id)
    click(at, WidgetKeys.SCENARIO_DUPLICATE)
    assert "Skenario 'Salinan Lebong 30' dibuat." in _texts(at.success)
    copy = next(s for s in store().scenarios() if s.name == "Salinan Lebong 30")
    assert copy.id not in (first.id, second.id)
    assert (copy.author, copy.version, copy.dataset_version_id, copy.period) == ("Eko", 1, 1, "2024-10")
    assert copy.body == store().scenario(first.id).body
    assert "Salinan Lebong 30" in set(_list(at)["Nama skenario"])

    _choose(at, second.id)
    at.text_input(key=WidgetKeys.SCENARIO_RENAME_TO).set_value("Kaur delapan puluh")
    run(at)
    click(at, WidgetKeys.SCENARIO_RENAME)
    assert "Nama diganti menjadi 'Kaur delapan puluh'." in _texts(at.success)
    renamed = store().scenario(second.id)
    assert (renamed.name, renamed.version, renamed.updated_by, renamed.author) == ("Kaur delapan puluh", 2, "Eko",
                                                                                    "Ani")
    assert "Kaur 80" not in set(_list(at)["Nama skenario"])

    _choose(at, first.id)
    click(at, WidgetKeys.SCENARIO_DELETE)
    assert "Skenario 'Lebong 30' dihapus." in _texts(at.success)
    assert sorted(s.name for s in store().scenarios()) == ["Kaur delapan puluh", "Salinan Lebong 30"]
    assert set(_list(at)["Nama skenario"]) == {"Kaur delapan puluh", "Salinan Lebong 30"}
    linked = run(new_app_with({"skenario": first.id}, SIM_PAGE))  # a deleted scenario no longer opens
    assert any("tidak ditemukan" in text for text in _texts(linked.warning))
    assert [(e.actor, e.action) for e in store().audit_entries()][:3] == [
        ("Eko", "scenario_delete"), ("Eko", "scenario_rename"), ("Eko", "scenario_create")]


def test_renaming_the_scenario_open_in_this_session_does_not_block_saving_it():
    """Renaming a scenario is a new revision; when it is the one this session has open, the simulator must follow
    (name and revision), not report the user's own rename as someone else's change and refuse to save."""
    scenario = _stored("Lebong 30", {LEBONG: 30})
    at = sign_in(run(new_app_with({"skenario": scenario.id}, SIM_PAGE)))
    go(at, SCENARIOS_PAGE)
    _choose(at, scenario.id)
    at.text_input(key=WidgetKeys.SCENARIO_RENAME_TO).set_value("Lebong tiga puluh")
    run(at)
    click(at, WidgetKeys.SCENARIO_RENAME)
    assert store().scenario(scenario.id).version == 2

    go(at, SIM_PAGE)
    type_into_simulator(at, KAUR, "target_pct", 80)
    click(at, WidgetKeys.SCENARIO_SAVE)
    assert not _texts(at.error), _texts(at.error)
    assert "Perubahan skenario 'Lebong tiga puluh' tersimpan (revisi 3)." in _texts(at.success)
    saved = store().scenario(scenario.id)
    assert saved.body.input_frame().set_index("region_code")["target_pct"].dropna().to_dict() == {LEBONG: 30,
                                                                                                 KAUR: 80}


def test_the_chosen_scenario_is_the_one_acted_on_even_when_two_look_alike(scenarios_page):
    """Two scenarios saved without a name by people who gave none are both 'Skenario tanpa nama · anonim' in the
    chooser; choosing the newer one must open the newer one (its targets), not the other."""
    at = scenarios_page
    older = _stored("Skenario tanpa nama", {LEBONG: 30}, author="anonim")
    newer = _stored("Skenario tanpa nama", {LEBONG: 45}, author="anonim")
    run(at)
    _choose(at, newer.id)
    chosen = at.selectbox(key=WidgetKeys.SCENARIO_CHOICE).value
    taken = "the older one" if chosen == older.id else chosen
    assert chosen == newer.id, f"chose the newer {newer.id}, the page took {taken}"
    click(at, WidgetKeys.SCENARIO_OPEN)
    assert at.session_state[Keys.SCENARIO]["id"] == newer.id
    assert _targets(at) == {LEBONG: 45}


# --- comparison ---------------------------------------------------------------------------------------------------


def _comparison(at: AppTest) -> pd.DataFrame:
    for frame in at.dataframe:
        if "Cakupan provinsi" in frame.value.index:
            return frame.value
    raise AssertionError("no comparison table on the page")


def test_comparing_two_scenarios_side_by_side(scenarios_page):
    at = scenarios_page
    lebong = _stored("Lebong 30", {LEBONG: 30})
    both = _stored("Lebong dan Kaur", {LEBONG: 30, KAUR: 80}, author="Budi")
    run(at)
    at.multiselect(key=WidgetKeys.SCENARIO_COMPARE).set_value([lebong.id])
    run(at)
    assert any(caption.value.startswith("Pilih 2 sampai 4 skenario") for caption in at.caption)
    assert not at.get("vega_lite_chart")

    at.multiselect(key=WidgetKeys.SCENARIO_COMPARE).set_value([lebong.id, both.id])
    run(at)
    table = _comparison(at)
    assert list(table.columns) == ["Lebong 30", "Lebong dan Kaur"]
    added_lebong = participants_to_reach(MONTH, LEBONG, 30)
    added_both = added_lebong + participants_to_reach(MONTH, KAUR, 80)
    assert table.loc["Cakupan provinsi"].tolist() == [projected_province(MONTH, added_lebong),
                                                     projected_province(MONTH, added_both)]
    number = lambda n: f"{n:,}".replace(",", ".")  # noqa: E731
    assert table.loc["Peserta baru"].tolist() == [number(added_lebong), number(added_both)]
    assert table.loc["Dasar data"].tolist() == ["versi 1, Oktober 2024"] * 2
    assert len(at.get("vega_lite_chart")) == 1


def test_comparing_two_scenarios_with_the_same_name_shows_both(scenarios_page):
    """Names are not unique (two users, or two unnamed saves): comparing two such scenarios must still show two
    columns with their own figures."""
    at = scenarios_page
    first = _stored("Skenario tanpa nama", {LEBONG: 30}, author="Ani")
    second = _stored("Skenario tanpa nama", {KAUR: 80}, author="Budi")
    run(at)
    at.multiselect(key=WidgetKeys.SCENARIO_COMPARE).set_value([first.id, second.id])
    run(at)
    compared = at.multiselect(key=WidgetKeys.SCENARIO_COMPARE).value
    assert sorted(compared) == sorted([first.id, second.id]), f"chose both, the page compares {compared}"
    coverages = _comparison(at).loc["Cakupan provinsi"].tolist()
    assert sorted(coverages) == sorted([projected_province(MONTH, participants_to_reach(MONTH, LEBONG, 30)),
                                        projected_province(MONTH, participants_to_reach(MONTH, KAUR, 80))])


# --- a scenario built on an older dataset version -----------------------------------------------------------------


BASIS_RECALCULATED = "dibuat pada versi 1 (Oktober 2024), dihitung ulang pada versi 2 (Oktober 2024)"


def _add_version_2_with_kaur_up() -> None:
    demo = demo_frame()
    october = demo[demo["Periode"] == "2024-10"].copy()
    october.loc[october["Wilayah"] == "Kabupaten Kaur", "Peserta PU"] += 3_000
    content = csv_bytes(october)
    store().add_dataset_version(load_dataset("oktober.csv", content).data, content, file_name="oktober.csv",
                                actor=editor("Fajar"))


def test_a_scenario_on_an_older_version_states_its_basis_shows_its_original_figures_and_is_rebased():
    scenario = _stored("Lebong 30", {LEBONG: 30})
    _add_version_2_with_kaur_up()
    p = int(MONTH["p"].sum()) + 3_000 + participants_to_reach(MONTH, LEBONG, 30)  # Kaur stays above 30%
    on_version_2 = id_percent(p / int(MONTH["P"].sum()))
    on_version_1 = projected_province(MONTH, participants_to_reach(MONTH, LEBONG, 30))

    at = sign_in(run(new_app_with({"skenario": scenario.id}, SIM_PAGE)))
    assert f"Dasar angka: {BASIS_RECALCULATED}." in _texts(at.info)
    assert not at.warning
    assert _kpis(at)[COVERAGE] == on_version_2  # the numbers use the active data
    original = next(e for e in at.expander if e.label == "Angka asli (versi 1, Oktober 2024)")
    assert original.metric[0].value == on_version_1

    click(at, WidgetKeys.SCENARIO_REBASE)
    assert "Perubahan skenario 'Lebong 30' tersimpan (revisi 2)." in _texts(at.success)
    saved = store().scenario(scenario.id)
    assert (saved.dataset_version_id, saved.period, saved.version) == (2, "2024-10", 2)
    assert (saved.body.mode, saved.body.inputs) == (scenario.body.mode, scenario.body.inputs)  # same inputs
    assert "Dasar angka: versi 2, Oktober 2024." in _texts(at.info)
    assert not [e for e in at.expander if e.label.startswith("Angka asli")]
    assert WidgetKeys.SCENARIO_REBASE not in {button.key for button in at.button}
    assert _kpis(at)[COVERAGE] == on_version_2
    go(at, SCENARIOS_PAGE)
    assert _list(at)["Dasar data"].tolist() == ["versi 2, Oktober 2024"]


def test_the_scenarios_page_shows_a_scenario_on_the_active_data_with_its_basis_and_original_figures():
    scenario = _stored("Lebong 30", {LEBONG: 30})
    other = _stored("Kaur 80", {KAUR: 80})
    _add_version_2_with_kaur_up()
    p = int(MONTH["p"].sum()) + 3_000 + participants_to_reach(MONTH, LEBONG, 30)
    on_version_2 = id_percent(p / int(MONTH["P"].sum()))

    at = go(run(new_app()), SCENARIOS_PAGE)
    assert _list(at)["Dasar data"].tolist() == [BASIS_RECALCULATED] * 2
    _choose(at, scenario.id)
    assert f"Dasar angka: {BASIS_RECALCULATED}." in [caption.value for caption in at.caption]
    assert at.metric[0].value == on_version_2
    original = next(e for e in at.expander if e.label == "Angka asli (versi 1, Oktober 2024)")
    assert original.metric[0].value == projected_province(MONTH, participants_to_reach(MONTH, LEBONG, 30))

    at.multiselect(key=WidgetKeys.SCENARIO_COMPARE).set_value([scenario.id, other.id])
    run(at)
    table = _comparison(at)
    assert table.loc["Dasar data"].tolist() == [BASIS_RECALCULATED] * 2
    assert table.loc["Cakupan provinsi"].tolist()[0] == on_version_2


def test_a_shared_scenario_link_shows_it_on_the_links_month_and_says_so():
    """The sender looked at September: the receiver sees the scenario recalculated on September, as the sender did,
    and the basis says it was built on October."""
    scenario = _stored("Lebong 30", {LEBONG: 30})
    september = demo_month_by_code("2024-09")
    at = run(new_app_with({"skenario": scenario.id, "periode": "2024-09"}, SIM_PAGE))
    assert at.session_state[Keys.PERIOD] == "2024-09"
    assert ("Dasar angka: dibuat pada versi 1 (Oktober 2024), dihitung ulang pada versi 1 (September 2024)."
            in _texts(at.info))
    assert _kpis(at)[COVERAGE] == projected_province(september, participants_to_reach(september, LEBONG, 30))


def test_the_projector_shows_a_scenario_on_the_active_data_with_its_basis():
    scenario = _stored("Lebong 30", {LEBONG: 30})
    _add_version_2_with_kaur_up()
    p = int(MONTH["p"].sum()) + 3_000 + participants_to_reach(MONTH, LEBONG, 30)
    at = run(new_app_with({"skenario": scenario.id, "slide": "6"}, PRESENTER_PAGE))
    assert BASIS_RECALCULATED in [caption.value for caption in at.caption]
    assert at.metric[0].value == id_percent(p / int(MONTH["P"].sum()))  # the simulator's figure on version 2


def test_a_scenario_opened_from_the_list_shows_the_month_it_was_built_on():
    """A scenario keeps its period (the list shows it: 'versi 1, September 2024'); opening it elsewhere must show the
    simulation of that month, as its author saw it, not of whatever month the other session has selected."""
    september = demo_month_by_code("2024-09")
    at = sign_in(run(new_app()))
    at.selectbox(key=WidgetKeys.PERIOD).set_value("2024-09")
    run(at)
    go(at, SIM_PAGE)
    type_into_simulator(at, LEBONG, "target_pct", 30)
    at.text_input(key=WidgetKeys.SCENARIO_NAME).set_value("September")
    run(at)
    click(at, WidgetKeys.SCENARIO_SAVE_NEW)
    shown = _kpis(at)
    assert shown[COVERAGE] == projected_province(september, participants_to_reach(september, LEBONG, 30))
    (saved,) = store().scenarios()
    assert saved.period == "2024-09"

    other = go(run(new_app()), SCENARIOS_PAGE)  # a fresh session: October selected
    _choose(other, saved.id)
    click(other, WidgetKeys.SCENARIO_OPEN)
    assert other.title[0].value == "Simulasi target kepesertaan"
    assert other.session_state[Keys.PERIOD] == "2024-09", "the simulator shows another month than the scenario's"
    assert _kpis(other) == shown
