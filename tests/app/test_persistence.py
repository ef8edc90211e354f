"""What the database adds, seen through the app: the audit log and its actor (the sidebar's 'Nama Anda'), the diff
between dataset versions, and the read-only mode while the database cannot be reached (and the way back out of it).

An unreachable database is a PostgreSQL URL on a closed loopback port (connection refused at once, no timeout). The app
remembers a failed database URL for RETRY_AFTER_S (5 s) and does not try it again before (components.data_source):
where a test needs that time to pass it ages the remembered failure by RETRY_AFTER_S instead of sleeping.
"""

from __future__ import annotations

import os

import pandas as pd
import pytest
import sqlalchemy as sa

from components import data_source
from components.state import Keys, WidgetKeys
from tests.app.support import (
    DATA_PAGE,
    OVERVIEW_PAGE,
    SCENARIOS_PAGE,
    SEGMENT_HEADERS,
    SIM_PAGE,
    badge_texts,
    csv_bytes,
    demo_frame,
    edit_data_editor,
    expander,
    go,
    id_percent,
    metric_values,
    new_app,
    province_rate,
    run,
    save_upload,
    sign_in,
    store,
    upload,
)

CLOSED_PORT_URL = "postgresql+psycopg://x@127.0.0.1:1/none"
BANNER = "Database tidak dapat dihubungi"
NOT_SAVED = "Database tidak dapat dihubungi, jadi tidak ada yang disimpan. Coba lagi sebentar lagi."
DEMO_KPIS = ["37,0%", "261.814", "3 dari 10", "-2,0 pp"]
COMPARED = ["Pekerja Potensial", *SEGMENT_HEADERS, "Target (%)"]


def _october(extra_lebong_bpu: int = 10_000) -> pd.DataFrame:
    demo = demo_frame()
    october = demo[demo["Periode"] == "2024-10"].copy()
    october.loc[october["Wilayah"] == "Kabupaten Lebong", "Peserta BPU"] += extra_lebong_bpu
    return october


def _banners(at) -> list[str]:
    return [warning.value for warning in at.warning if warning.value.startswith(BANNER)]


def _audit(at) -> pd.DataFrame:
    (frame,) = expander(at, "Catatan audit").dataframe
    return frame.value


# --- audit log ----------------------------------------------------------------------------------------------------


def test_audit_log_names_the_sidebar_user_for_uploads_activations_and_scenarios():
    at = go(run(new_app()), DATA_PAGE)
    sign_in(at, "Siti Rahma")
    save_upload(at, "oktober.csv", csv_bytes(_october()))
    at.selectbox(key=WidgetKeys.VERSION_CHOICE).set_value(1)
    run(at)
    at.button(key=WidgetKeys.VERSION_ACTIVATE).click()
    run(at)
    go(at, SIM_PAGE)  # the name is still the actor on another page
    edit_data_editor(at, {list(at.data_editor[0].value["region"]).index("Lebong"): {"target_pct": 30}})
    at.text_input(key=WidgetKeys.SCENARIO_NAME).set_value("Lebong 30")
    run(at)
    at.button(key=WidgetKeys.SCENARIO_SAVE_NEW).click()
    run(at)
    (scenario,) = store().scenarios()

    go(at, DATA_PAGE)
    log = _audit(at)
    assert list(log.columns) == ["Waktu", "Oleh", "Tindakan", "Objek", "Rincian"]
    assert all(at_time.endswith(" WIB") for at_time in log["Waktu"])  # local time, the zone in each cell
    rows = list(zip(log["Oleh"], log["Tindakan"], log["Objek"]))  # newest first
    assert rows == [
        ("Siti Rahma", "buat skenario", f"scenario {scenario.id}"),
        ("Siti Rahma", "aktifkan versi", "dataset 1"),
        ("Siti Rahma", "aktifkan versi", "dataset 2"),
        ("Siti Rahma", "unggah data", "dataset 2"),
        ("sistem", "aktifkan versi", "dataset 1"),
        ("sistem", "unggah data", "dataset 1"),
    ]
    assert "file_name=oktober.csv" in log["Rincian"].iloc[3] and "rows=10" in log["Rincian"].iloc[3]
    assert log["Rincian"].iloc[0] == "name=Lebong 30, via=password"
    assert [entry.actor for entry in store().audit_entries()] == list(log["Oleh"])


def test_a_password_sign_in_lasts_across_pages_until_sign_out():
    at = run(new_app())
    sign_in(at, "Siti Rahma")
    for page in (DATA_PAGE, OVERVIEW_PAGE, DATA_PAGE):
        go(at, page)
        assert "**Siti Rahma** (editor)" in " ".join(caption.value for caption in at.sidebar.caption), page
    assert at.file_uploader  # the editor's upload is there on the data page
    at.sidebar.button(key=WidgetKeys.SIGN_OUT).click()
    run(at)
    assert at.session_state[Keys.USER] is None
    assert not at.file_uploader
    assert "Hanya editor yang dapat mengunggah data baru" in " ".join(info.value for info in at.info)


# --- what changed between versions --------------------------------------------------------------------------------


def test_version_diff_counts_the_changed_values():
    changed = demo_frame()
    edits = [  # (period, region, column, new value)
        ("2024-10", "Kabupaten Lebong", "Peserta BPU", None),
        ("2024-03", "Kabupaten Kaur", "Peserta PU", None),
        ("2024-03", "Kabupaten Kaur", "Peserta Jakon", None),
        ("2024-07", "Kabupaten Seluma", "Target (%)", 45),
        ("2024-01", "Kabupaten Mukomuko", "Pekerja Potensial", None),
    ]
    for period, region, column, value in edits:
        row = (changed["Periode"] == period) & (changed["Wilayah"] == region)
        assert row.sum() == 1
        changed.loc[row, column] = value if value is not None else changed.loc[row, column] + 7
    demo = demo_frame()
    differs = demo[COMPARED].ne(changed[COMPARED]) & ~(demo[COMPARED].isna() & changed[COMPARED].isna())
    expected = int(differs.to_numpy().sum())
    assert expected == len(edits)
    changed_rows = {(demo.at[i, "Periode"], demo.at[i, "Wilayah"].split(" ", 1)[1])  # "Kabupaten Kaur" -> "Kaur"
                    for i in differs.index[differs.any(axis=1)]}

    at = go(run(new_app()), DATA_PAGE)
    assert not [block for block in at.expander if block.label.startswith("Apa yang berubah")]  # one version only
    save_upload(at, "revisi.csv", csv_bytes(changed))
    diff = expander(at, "Apa yang berubah antar versi")
    assert (diff.selectbox(key=WidgetKeys.DIFF_FROM).value, diff.selectbox(key=WidgetKeys.DIFF_TO).value) == (1, 2)
    assert [m.value for m in diff.markdown] == [f"{expected} nilai berubah"]  # same periods and regions
    (table,) = diff.dataframe
    assert set(zip(table.value["period"], table.value["region"])) == changed_rows
    assert len(table.value) == len(changed_rows) == 4

    # A third version with October only, replacing all data: the diff from version 2 also lists the months gone.
    october = demo[demo["Periode"] == "2024-10"]
    save_upload(at, "oktober.csv", csv_bytes(october), mode="replace")
    diff = expander(at, "Apa yang berubah antar versi")
    diff.selectbox(key=WidgetKeys.DIFF_FROM).set_value(2)
    diff.selectbox(key=WidgetKeys.DIFF_TO).set_value(3)
    run(at)
    (line,) = expander(at, "Apa yang berubah antar versi").markdown
    gone = ", ".join(f"2024-{month:02d}" for month in range(1, 10))
    assert line.value == f"1 nilai berubah · periode hilang: {gone}"  # Lebong's October BPU, back to the demo's


# --- read-only while the database cannot be reached ---------------------------------------------------------------


def test_unreachable_database_shows_the_demo_read_only(monkeypatch):
    monkeypatch.setenv("MONEV_DATABASE_URL", CLOSED_PORT_URL)
    at = sign_in(run(new_app()))  # an editor: the buttons are there, and disabled
    assert len(_banners(at)) == 1
    assert metric_values(at) == DEMO_KPIS
    assert ("orange", ":material/science: Data contoh (ilustrasi)") in badge_texts(at)  # no version: none was read

    go(at, SIM_PAGE)
    assert _banners(at)
    assert at.button(key=WidgetKeys.SCENARIO_SAVE_NEW).disabled

    go(at, SCENARIOS_PAGE)
    assert [error.value for error in at.error] == [
        "Daftar ini belum bisa ditampilkan: database tidak dapat dihubungi."]

    go(at, DATA_PAGE)
    upload(at, "oktober.csv", csv_bytes(_october()))  # checking a file needs no database ...
    assert any("lolos pemeriksaan" in success.value for success in at.success)
    assert at.button(key=WidgetKeys.UPLOAD_SAVE).disabled  # ... saving it does
    assert WidgetKeys.VERSION_ACTIVATE not in [button.key for button in at.button]


def test_saving_when_the_database_just_went_away_shows_an_error(monkeypatch):
    """The page was drawn while the database answered (buttons enabled); it goes away before the click."""
    at = go(sign_in(run(new_app())), SIM_PAGE)
    good_url = os.environ["MONEV_DATABASE_URL"]
    edit_data_editor(at, {list(at.data_editor[0].value["region"]).index("Lebong"): {"target_pct": 30}})
    at.text_input(key=WidgetKeys.SCENARIO_NAME).set_value("Lebong 30")
    run(at)
    assert not at.button(key=WidgetKeys.SCENARIO_SAVE_NEW).disabled

    monkeypatch.setenv("MONEV_DATABASE_URL", CLOSED_PORT_URL)
    at.button(key=WidgetKeys.SCENARIO_SAVE_NEW).click()
    run(at)
    assert NOT_SAVED in [error.value for error in at.error]
    assert _banners(at)
    assert at.session_state[Keys.SCENARIO] is None
    assert at.session_state[Keys.SIM_TABLE].set_index("region_code").at["17.07", "target_pct"] == 30  # kept

    go(at, DATA_PAGE)
    upload(at, "oktober.csv", csv_bytes(_october()))
    assert at.button(key=WidgetKeys.UPLOAD_SAVE).disabled  # read-only while the database is away
    monkeypatch.setenv("MONEV_DATABASE_URL", good_url)  # back (a failure is remembered per URL: no wait)
    run(at)
    assert not _banners(at)
    assert not at.button(key=WidgetKeys.UPLOAD_SAVE).disabled
    monkeypatch.setenv("MONEV_DATABASE_URL", CLOSED_PORT_URL)
    at.button(key=WidgetKeys.UPLOAD_SAVE).click()
    run(at)
    assert NOT_SAVED in [error.value for error in at.error]

    monkeypatch.setenv("MONEV_DATABASE_URL", good_url)
    assert store().scenarios() == []
    assert [version.id for version in store().dataset_versions()] == [1]


def test_outage_keeps_the_sessions_data_and_recovers(monkeypatch):
    """Good database, then unreachable (another URL: the closed port), then good again. The failure is remembered
    per URL, so returning to the good URL needs no waiting and nothing is cleared."""
    at = go(run(new_app()), DATA_PAGE)
    good_url = os.environ["MONEV_DATABASE_URL"]
    october = _october()
    rate = id_percent(province_rate(october))
    save_upload(at, "oktober.csv", csv_bytes(october))
    go(at, OVERVIEW_PAGE)
    assert not _banners(at)
    assert at.metric[0].value == rate != "37,0%"

    monkeypatch.setenv("MONEV_DATABASE_URL", CLOSED_PORT_URL)
    run(at)
    assert len(_banners(at)) == 1
    assert at.metric[0].value == rate  # the last data this session had, not the demo
    assert ("blue", ":material/upload_file: Sumber data: oktober.csv · versi 2") in badge_texts(at)
    go(at, DATA_PAGE)
    assert _banners(at)
    unavailable = "Daftar ini belum bisa ditampilkan: database tidak dapat dihubungi."
    assert [info.value for info in at.info].count(unavailable) == 2  # versions and audit log

    monkeypatch.setenv("MONEV_DATABASE_URL", good_url)
    go(at, OVERVIEW_PAGE)
    assert not _banners(at)
    assert at.metric[0].value == rate
    assert ("blue", ":material/upload_file: Sumber data: oktober.csv · versi 2") in badge_texts(at)


@pytest.fixture
def _moved_table():
    """Rename a table of the app's own database away and back (an outage of the same URL)."""
    engine = store().engine

    def move(old: str, new: str) -> None:
        with engine.begin() as connection:
            connection.execute(sa.text(f"ALTER TABLE {old} RENAME TO {new}"))

    yield move
    engine.dispose()


def test_outage_of_the_same_database_is_retried_after_the_pause(_moved_table):
    at = run(new_app())
    url = os.environ["MONEV_DATABASE_URL"]
    assert metric_values(at) == DEMO_KPIS and not _banners(at)

    _moved_table("active_dataset", "active_dataset_away")
    run(at)
    assert len(_banners(at)) == 1
    assert metric_values(at) == DEMO_KPIS
    assert ("orange", ":material/science: Data contoh (ilustrasi) · versi 1") in badge_texts(at)  # the last one read

    _moved_table("active_dataset_away", "active_dataset")
    run(at)
    assert _banners(at)  # within RETRY_AFTER_S of the failure the database is not asked again
    data_source._last_failure_at[url] -= data_source.RETRY_AFTER_S  # as if the pause had passed
    run(at)
    assert not _banners(at)
    assert url not in data_source._last_failure_at
