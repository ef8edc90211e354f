"""The data page (pages/data.py) in a simulated session: current data, downloads, uploads, their validation, and
saving a checked upload as a new dataset version that every session then uses (and rolling back to an older one)."""

from __future__ import annotations

import re

import pandas as pd
import pytest
import streamlit

from components.state import WidgetKeys
from components.text import escape_markdown
from monev import fmt, i18n
from tests.app.support import (
    DATA_PAGE,
    DEMO_CSV,
    HEADER,
    OVERVIEW_PAGE,
    SEGMENT_HEADERS,
    XLSX_MIME,
    badge_texts,
    badges,
    csv_bytes,
    demo_frame,
    go,
    metric_values,
    new_app,
    province_rate,
    ranking_table,
    run,
    save_upload,
    sign_in,
    store,
    upload,
    xlsx_bytes,
)

DEMO_BADGE = ("orange", ":material/science: Data contoh (ilustrasi) · versi 1")
DEMO_KPIS = ["37,0%", "261.814", "3 dari 10", "-2,0 pp"]

BAD_CSV = "\n".join([
    HEADER,
    "2024-10,Lebongg,38435,3036,2395,1103,0,39,",     # row 2: unknown region, close to Lebong
    "2024-10,Kaur,45426,-5,15518,4417,0,39,",          # row 3: negative count
    "2024-10,Seluma,1000,900,200,0,0,39,",             # row 4: 1.100 participants > 1.000 potential
    "13/2024,Kepahiang,50542,8000,4000,2000,0,39,",    # row 5: month 13
    "2024-10,Mukomuko,68407,15000,7000,4458,0,39,",    # row 6: valid
]).encode()
# The report's line for each faulty row, as it starts after the kind of problem.
BAD_CSV_FAULTS = [
    "Baris 2, kolom 'Wilayah': Wilayah tidak dikenal: 'Lebongg' — maksud Anda: Lebong?",
    "Baris 3, kolom 'Peserta PU': Bernilai negatif: '-5'.",
    "Baris 4, kolom 'Peserta PU + Peserta BPU + Peserta Jakon + Peserta PMI': Jumlah peserta (1.100) melebihi pekerja "
    "potensial (1.000).",
    "Baris 5, kolom 'Periode': Bukan bulan yang dikenali: '13/2024'.",
]


@pytest.fixture
def data_page(app):
    return go(app, DATA_PAGE)


def _october_with_more_lebong_bpu(extra: int = 10_000) -> pd.DataFrame:
    demo = demo_frame()
    october = demo[demo["Periode"] == "2024-10"].copy()
    october.loc[october["Wilayah"] == "Kabupaten Lebong", "Peserta BPU"] += extra
    return october


_FIX_LABEL = re.compile(r"\*\*(Cara memperbaiki|How to fix):\*\*")


def _report(at) -> list[str]:
    """The validation report's lines as read on screen (Markdown's escapes removed), one per problem said alike."""
    lines = [re.sub(r"\\(.)", r"\1", markdown.value) for markdown in at.markdown if _FIX_LABEL.search(markdown.value)]
    if not lines:
        raise AssertionError("no validation report on the page")
    return lines


def _messages(at) -> str:
    return " ".join(_report(at))


def _overview_rate(at) -> str:
    go(at, OVERVIEW_PAGE)
    rate = at.metric[0].value
    go(at, DATA_PAGE)
    return rate


def _versions() -> tuple[list[int], int | None]:
    """(ids of the stored dataset versions, newest first; the active one), read from the database itself."""
    db = store()
    return [version.id for version in db.dataset_versions()], db.active_version_id()


def _successes(at) -> list[str]:
    return [success.value for success in at.success]


def _buttons(at) -> list[str]:
    return [button.key for button in at.button]


def _assert_nothing_stored(at) -> None:
    """A rejected file: no save button, the store still holds only the demo (version 1), which stays active."""
    assert WidgetKeys.UPLOAD_SAVE not in _buttons(at)
    assert _versions() == ([1], 1)
    assert DEMO_BADGE in badge_texts(at)


# --- rendering -----------------------------------------------------------------------------------------------


def test_current_data_summary_on_demo(data_page):
    assert data_page.title[0].value == "Data cakupan"
    summaries = [m.value for m in data_page.markdown if "periode (" in m.value]
    assert summaries == ["100 baris · 10 wilayah · 10 periode (Januari 2024 – Oktober 2024)"]
    assert DEMO_BADGE in badge_texts(data_page)
    version_lines = [m.value for m in data_page.markdown if m.value.startswith("Versi 1: ")]
    assert len(version_lines) == 1
    assert version_lines[0].startswith("Versi 1: **cakupan\\_bengkulu\\_2024\\.csv**, diunggah oleh sistem pada ")
    assert "data.back_to_demo" not in _buttons(data_page)  # the demo is version 1 now: activate it to go back
    assert WidgetKeys.UPLOAD_SAVE not in _buttons(data_page)  # nothing uploaded, nothing to save
    assert _versions() == ([1], 1)


def test_versions_table_and_current_data_line_show_the_upload_moment_in_wib(data_page):
    stored = store().dataset_versions()[0].created_at
    shown = fmt.moment(stored, "id")
    assert shown.endswith(" WIB")
    versions = next(frame.value for frame in data_page.dataframe if "SHA-256" in frame.value.columns)
    assert versions["Waktu"].tolist() == [shown]
    assert any(m.value.startswith("Versi 1: ") and f" pada {shown} (" in m.value for m in data_page.markdown)
    assert "UTC" not in "".join(m.value for m in data_page.markdown)


def test_a_viewer_sees_the_versions_but_cannot_activate_or_upload(data_page):
    infos = [info.value for info in data_page.info]
    assert "Hanya editor yang dapat mengunggah data baru. Masuk sebagai editor di bilah samping." in infos
    assert "Hanya editor yang dapat mengaktifkan versi data lain." in infos
    assert WidgetKeys.UPLOAD not in [uploader.key for uploader in data_page.get("file_uploader")]
    assert WidgetKeys.VERSION_ACTIVATE not in _buttons(data_page)
    sign_in(data_page)
    assert WidgetKeys.UPLOAD in [uploader.key for uploader in data_page.get("file_uploader")]
    assert data_page.button(key=WidgetKeys.VERSION_ACTIVATE).disabled  # version 1 is already the active one


def test_download_buttons_exist(data_page):
    labels = [button.proto.label for button in data_page.get("download_button")]
    assert labels == ["Templat (CSV)", "Templat (Excel)", "Data saat ini (CSV)", "Data saat ini (Excel)"]
    urls = [button.proto.url for button in data_page.get("download_button")]
    assert all(urls) and len(set(urls)) == 4


def test_format_help_lists_every_region(data_page):
    regions = next(frame.value for frame in data_page.dataframe if "Kode Kemendagri" in frame.value.columns)
    assert len(regions) == 10
    assert "Kabupaten Lebong" in set(regions["Wilayah"])


# --- rejected uploads ----------------------------------------------------------------------------------------


def test_bad_csv_is_rejected_with_every_fault_reported(data_page):
    upload(data_page, "salah.csv", BAD_CSV)
    assert len(data_page.error) == 1
    assert "ditolak" in data_page.error[0].value
    assert "4 kesalahan" in data_page.error[0].value
    assert not data_page.success
    report = _report(data_page)
    assert len(report) == len(BAD_CSV_FAULTS)
    assert all(line.startswith(":red[:material/error:] **Kesalahan** · " + fault)
               for line, fault in zip(report, BAD_CSV_FAULTS))
    _assert_nothing_stored(data_page)
    go(data_page, OVERVIEW_PAGE)
    assert metric_values(data_page) == DEMO_KPIS
    assert DEMO_BADGE in badge_texts(data_page)


def test_the_same_fault_on_many_rows_is_one_report_line_after_a_one_line_verdict(data_page):
    demo = demo_frame()
    october = demo[demo["Periode"] == "2024-10"].astype(str)
    october["Periode"] = "Okt-2024x"  # the month every row of the file gets wrong
    october.iloc[[0, 1], october.columns.get_loc("Peserta PMI")] = ""
    upload(data_page, "oktober_salah.csv", csv_bytes(october))
    assert "2 kesalahan" in data_page.error[0].value
    assert _report(data_page) == [
        ":red[:material/error:] **Kesalahan** · Baris 2–11, kolom 'Periode': "
        "Bukan bulan yang dikenali: 'Okt-2024x'.  \n"
        "**Cara memperbaiki:** Tulis bulan seperti 2024-10, 10/2024 atau Okt 2024.",
        ":red[:material/error:] **Kesalahan** · Baris 2–3, kolom 'Peserta PMI': Sel kosong.  \n"
        "**Cara memperbaiki:** " + i18n.t("fix.value.missing", "id"),
    ]
    texts = [markdown.value for markdown in data_page.markdown]
    verdict = texts.index("**Laporan pemeriksaan**") + 1
    assert texts[verdict] == escape_markdown("Berkas tidak dapat dimuat: 2 kesalahan (10 baris).")
    _assert_nothing_stored(data_page)


def test_non_table_file_under_csv_name_is_rejected(data_page):
    upload(data_page, "laporan.csv", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    assert len(data_page.error) == 1
    assert "laporan\\.csv" in data_page.error[0].value
    (line,) = _report(data_page)
    assert "File laporan.csv bukan CSV atau Excel (.xlsx)." in line
    _assert_nothing_stored(data_page)


def test_english_ui_gives_english_report(data_page):
    data_page.segmented_control(key=WidgetKeys.LANG).set_value("en")
    run(data_page)
    upload(data_page, "bad.csv", BAD_CSV)
    assert "was rejected: 4 errors" in data_page.error[0].value
    report = _report(data_page)
    assert "did you mean Lebong?" in _messages(data_page)
    assert all(line.startswith(":red[:material/error:] **Error** · Row ") for line in report)
    assert all("**How to fix:** " in line for line in report)
    assert WidgetKeys.UPLOAD_SAVE not in _buttons(data_page)
    assert _versions() == ([1], 1)


def test_report_follows_a_language_switch_after_the_upload(data_page):
    upload(data_page, "bad.csv", BAD_CSV)
    assert "maksud Anda: Lebong?" in _messages(data_page)
    data_page.segmented_control(key=WidgetKeys.LANG).set_value("en")
    run(data_page)
    assert "did you mean Lebong?" in _messages(data_page)


# The bad cells an office types: "5.000" turned negative, text in a number column, more participants than potential
# workers, an unknown region (numbers written the Indonesian way, quoted as a CSV writes them).
TYPED_FAULTS_CSV = "\n".join([
    HEADER,
    '2024-10,Kaur,45426,"-5.000",15518,4417,0,39,',
    "2024-10,Seluma,lima ribu,900,200,0,0,39,",
    '2024-10,Lebong,"1.000","5.000",0,0,0,39,',
    "2024-10,Atlantis,38435,3036,2395,1103,0,39,",
]).encode()
SEGMENTS_COLUMN = "Peserta PU + Peserta BPU + Peserta Jakon + Peserta PMI"


@pytest.mark.parametrize(("lang", "expected"), [
    ("id", [
        ("Baris 2, kolom 'Peserta PU': Bernilai negatif: '-5.000'.", "fix.value.negative"),
        ("Baris 3, kolom 'Pekerja Potensial': Bukan angka: 'lima ribu'.", "fix.value.not_number"),
        (f"Baris 4, kolom '{SEGMENTS_COLUMN}': Jumlah peserta (5.000) melebihi pekerja potensial (1.000).  \n"
         "Nilai di file: '5.000 + 0 + 0 + 0'", "fix.value.participants_exceed"),
        ("Baris 5, kolom 'Wilayah': Wilayah tidak dikenal: 'Atlantis'.", "fix.region.unknown"),
    ]),
    ("en", [
        ("Row 2, column 'Peserta PU': Negative: '-5.000'.", "fix.value.negative"),
        ("Row 3, column 'Pekerja Potensial': Not a number: 'lima ribu'.", "fix.value.not_number"),
        (f"Row 4, column '{SEGMENTS_COLUMN}': Participants (5,000) exceed potential workers (1,000).  \n"
         "Value in the file: '5.000 + 0 + 0 + 0'", "fix.value.participants_exceed"),
        ("Row 5, column 'Wilayah': Unknown region: 'Atlantis'.", "fix.region.unknown"),
    ]),
])
def test_the_report_quotes_cells_as_typed_with_the_whole_fix_and_no_codes(data_page, lang, expected):
    data_page.segmented_control(key=WidgetKeys.LANG).set_value(lang)
    run(data_page)
    upload(data_page, "salah.csv", TYPED_FAULTS_CSV)
    report = _report(data_page)
    fix_label = i18n.t("report.fix", lang)
    assert [line.split(" · ", 1)[1] for line in report] == [
        f"{where_and_what}  \n**{fix_label}:** {i18n.t(fix, lang, potential_column='Pekerja Potensial')}"
        for where_and_what, fix in expected]
    # The codes are for support, in the download only: never in the text a person reads.
    assert not re.search(r"\b(value|region)\.[a-z_]+", " ".join(report))
    assert not data_page.dataframe or all("Kode" not in frame.value.columns and "Code" not in frame.value.columns
                                          for frame in data_page.dataframe)


def test_one_warning_is_said_in_the_singular_in_english(data_page):
    data_page.segmented_control(key=WidgetKeys.LANG).set_value("en")
    run(data_page)
    demo = demo_frame()
    upload(data_page, "without_lebong.csv",
           csv_bytes(demo[(demo["Periode"] == "2024-10") & (demo["Wilayah"] != "Kabupaten Lebong")]))
    assert "There is 1 warning. The data is loaded anyway; check that it is right." in [
        w.value for w in data_page.warning]
    (line,) = _report(data_page)
    assert "Period 2024-10: no data for 1 region (Lebong)." in line
    assert "passed the checks: 9 rows, 1 period (" in _successes(data_page)[0]


# --- accepted uploads: checked, then saved as a version for everyone --------------------------------------------


def test_valid_csv_is_checked_then_saved_as_the_active_version_for_everyone(data_page):
    other = run(new_app())  # another user's session, opened before the upload
    assert metric_values(other) == DEMO_KPIS
    october = _october_with_more_lebong_bpu()
    expected_rate = fmt.percent(province_rate(october), "id")
    assert expected_rate != "37,0%"

    upload(data_page, "oktober.csv", csv_bytes(october))
    assert not data_page.error
    (checked,) = _successes(data_page)
    assert "oktober\\.csv" in checked and "lolos pemeriksaan" in checked
    assert "10 baris, 1 periode" in checked
    # Checked, not yet stored nor used by anyone: that takes the save button.
    assert _versions() == ([1], 1)
    assert DEMO_BADGE in badge_texts(data_page)

    data_page.text_input(key=WidgetKeys.UPLOAD_NOTE).set_value("Laporan BPJS Oktober")
    data_page.radio(key=WidgetKeys.UPLOAD_MODE).set_value("replace")  # this file is to be all the data
    run(data_page)
    data_page.button(key=WidgetKeys.UPLOAD_SAVE).click()
    run(data_page)
    assert "Versi 2 (oktober\\.csv) tersimpan dan sekarang aktif untuk semua pengguna." in _successes(data_page)
    assert _versions() == ([2, 1], 2)
    saved = store().dataset_version(2)
    assert (saved.file_name, saved.note, saved.created_by) == ("oktober.csv", "Laporan BPJS Oktober", "Penguji")
    assert (saved.row_count, saved.period_first, saved.period_last, saved.is_demo) == (10, "2024-10", "2024-10", False)
    assert ("blue", ":material/upload_file: Sumber data: oktober.csv · versi 2") in badge_texts(data_page)
    assert not any("Data contoh" in label for _, label in badge_texts(data_page))
    assert any(m.value.startswith("Versi 2: **oktober\\.csv**, diunggah oleh Penguji pada ")
               for m in data_page.markdown)
    assert "Laporan BPJS Oktober" in [caption.value for caption in data_page.caption]
    assert WidgetKeys.UPLOAD_SAVE not in _buttons(data_page)  # the file in the uploader is now the version in use

    go(data_page, OVERVIEW_PAGE)
    participants = int(october[SEGMENT_HEADERS].to_numpy().sum())
    assert metric_values(data_page)[:2] == [expected_rate, fmt.number(participants, "id")]
    assert not any("Data contoh" in label for _, label in badge_texts(data_page))
    assert not any("data contoh" in info.value for info in data_page.info)  # the demo notice is gone
    table = ranking_table(data_page)
    lebong = table[table["Wilayah"] == "Lebong"]["Cakupan"].iloc[0]
    lebong_row = october[october["Wilayah"] == "Kabupaten Lebong"]
    assert lebong == fmt.percent(lebong_row[SEGMENT_HEADERS].to_numpy().sum() / lebong_row["Pekerja Potensial"].sum())
    assert data_page.selectbox(key=WidgetKeys.PERIOD).options == ["Oktober 2024"]

    # The version is shared: the other session's next run and a brand-new session both use it.
    for session in (run(other), run(new_app())):
        assert metric_values(session)[:2] == [expected_rate, fmt.number(participants, "id")]
        assert ("blue", ":material/upload_file: Sumber data: oktober.csv · versi 2") in badge_texts(session)
        assert session.selectbox(key=WidgetKeys.PERIOD).options == ["Oktober 2024"]


def test_uploading_the_active_version_again_says_it_is_in_use(data_page):
    upload(data_page, "cakupan_bengkulu_2024.csv", DEMO_CSV.read_bytes())  # the very bytes of version 1
    assert not data_page.error
    assert _successes(data_page) == ["File **cakupan\\_bengkulu\\_2024\\.csv** sama dengan versi yang sedang aktif."]
    assert WidgetKeys.UPLOAD_SAVE not in _buttons(data_page)
    assert _versions() == ([1], 1)

    save_upload(data_page, "oktober.csv", csv_bytes(_october_with_more_lebong_bpu()))
    assert "File **oktober\\.csv** sama dengan versi yang sedang aktif." in _successes(data_page)
    upload(data_page, "salinan.csv", csv_bytes(_october_with_more_lebong_bpu()))  # same content, another name
    assert _successes(data_page) == ["File **salinan\\.csv** sama dengan versi yang sedang aktif."]
    assert WidgetKeys.UPLOAD_SAVE not in _buttons(data_page)
    assert _versions() == ([2, 1], 2)


def test_upload_with_a_missing_region_loads_with_a_warning(data_page):
    demo = demo_frame()
    october = demo[(demo["Periode"] == "2024-10") & (demo["Wilayah"] != "Kabupaten Lebong")]
    upload(data_page, "tanpa_lebong.csv", csv_bytes(october))
    assert not data_page.error
    assert len(data_page.success) == 1
    assert "Ada 1 peringatan. Data tetap dimuat; periksa apakah memang benar." in [w.value for w in data_page.warning]
    (line,) = _report(data_page)
    assert "Periode 2024-10: tidak ada data untuk 1 wilayah (Lebong)." in line
    data_page.button(key=WidgetKeys.UPLOAD_SAVE).click()
    run(data_page)
    assert _versions() == ([2, 1], 2)
    assert [block.label for block in data_page.expander if block.label.startswith("Peringatan pada data ini")] == [
        "Peringatan pada data ini (1)"]
    go(data_page, OVERVIEW_PAGE)
    rates = october[SEGMENT_HEADERS].sum(axis=1) / october["Pekerja Potensial"]
    assert metric_values(data_page)[0] == fmt.percent(province_rate(october), "id")
    assert metric_values(data_page)[2] == f"{int((rates >= 0.39).sum())} dari 9"
    assert "Lebong" not in set(ranking_table(data_page)["Wilayah"])


def test_bad_upload_after_a_good_one_keeps_the_good_one(data_page):
    october = _october_with_more_lebong_bpu()
    expected_rate = fmt.percent(province_rate(october), "id")
    save_upload(data_page, "oktober.csv", csv_bytes(october))
    assert _versions() == ([2, 1], 2)

    upload(data_page, "salah.csv", BAD_CSV)
    assert len(data_page.error) == 1
    assert WidgetKeys.UPLOAD_SAVE not in _buttons(data_page)
    assert _versions() == ([2, 1], 2)
    assert ("blue", ":material/upload_file: Sumber data: oktober.csv · versi 2") in badge_texts(data_page)
    assert _overview_rate(data_page) == expected_rate
    assert metric_values(run(new_app()))[0] == expected_rate  # and for everyone else


def test_activating_version_1_rolls_back_to_the_demo_for_everyone(data_page):
    other = run(new_app())
    save_upload(data_page, "oktober.csv", csv_bytes(_october_with_more_lebong_bpu()))
    go(data_page, OVERVIEW_PAGE)
    assert data_page.metric[0].value != "37,0%"
    assert run(other).metric[0].value != "37,0%"
    go(data_page, DATA_PAGE)

    data_page.selectbox(key=WidgetKeys.VERSION_CHOICE).set_value(1)
    run(data_page)
    assert not data_page.button(key=WidgetKeys.VERSION_ACTIVATE).disabled
    data_page.button(key=WidgetKeys.VERSION_ACTIVATE).click()
    run(data_page)
    assert "Versi 1 sekarang aktif untuk semua pengguna." in _successes(data_page)
    assert _versions() == ([2, 1], 1)  # a rollback deletes nothing: version 2 can be activated again
    assert DEMO_BADGE in badge_texts(data_page)
    assert any(m.value.startswith("100 baris · 10 wilayah · 10 periode") for m in data_page.markdown)
    assert data_page.button(key=WidgetKeys.VERSION_ACTIVATE).disabled
    go(data_page, OVERVIEW_PAGE)
    assert metric_values(data_page) == DEMO_KPIS
    assert len(data_page.selectbox(key=WidgetKeys.PERIOD).options) == 10
    for session in (run(other), run(new_app())):
        assert metric_values(session) == DEMO_KPIS
        assert DEMO_BADGE in badge_texts(session)


def test_after_a_rollback_the_file_still_in_the_uploader_is_not_claimed_to_be_in_use(data_page):
    """Rolling back right after a save (the file still in the uploader) must not leave 'this file is the version
    in use' next to the demo data: the file can be saved again."""
    save_upload(data_page, "oktober.csv", csv_bytes(_october_with_more_lebong_bpu()))
    assert "File **oktober\\.csv** sama dengan versi yang sedang aktif." in _successes(data_page)
    data_page.selectbox(key=WidgetKeys.VERSION_CHOICE).set_value(1)
    run(data_page)
    data_page.button(key=WidgetKeys.VERSION_ACTIVATE).click()
    run(data_page)
    assert _versions() == ([2, 1], 1)
    assert not [text for text in _successes(data_page) if "sama dengan versi yang sedang aktif" in text]
    assert any("oktober\\.csv** lolos pemeriksaan" in text for text in _successes(data_page))
    assert WidgetKeys.UPLOAD_SAVE in _buttons(data_page)


def test_valid_xlsx_is_saved_and_used(data_page):
    demo = demo_frame()
    rows = demo[demo["Periode"].isin(["2024-09", "2024-10"])].copy()
    city = (rows["Wilayah"] == "Kota Bengkulu") & (rows["Periode"] == "2024-10")
    rows.loc[city, "Peserta PU"] += 5_000
    expected_rate = fmt.percent(province_rate(rows[rows["Periode"] == "2024-10"]), "id")
    assert expected_rate != "37,0%"
    upload(data_page, "cakupan.xlsx", xlsx_bytes(rows), XLSX_MIME)
    assert not data_page.error
    (checked,) = _successes(data_page)
    assert "lolos pemeriksaan: 20 baris, 2 periode" in checked
    data_page.radio(key=WidgetKeys.UPLOAD_MODE).set_value("replace")  # these two months are to be all the data
    run(data_page)
    data_page.button(key=WidgetKeys.UPLOAD_SAVE).click()
    run(data_page)
    assert _versions() == ([2, 1], 2)
    saved = store().dataset_version(2)
    assert (saved.file_name, saved.row_count, saved.period_first, saved.period_last) == (
        "cakupan.xlsx", 20, "2024-09", "2024-10")
    assert ("blue", ":material/upload_file: Sumber data: cakupan.xlsx · versi 2") in badge_texts(data_page)
    assert _overview_rate(data_page) == expected_rate
    assert data_page.selectbox(key=WidgetKeys.PERIOD).options == ["Oktober 2024", "September 2024"]


def test_uploaded_file_name_is_not_interpreted_as_markdown_in_badge(data_page):
    """A file name is user input: like the success message and the 'version' line (which escape it),
    the source badge must show it literally, not as Markdown (st.badge renders italics in its label)."""
    name = "laporan _final_ oktober.csv"  # a legal file name on every OS
    upload(data_page, name, csv_bytes(_october_with_more_lebong_bpu()))
    assert "laporan \\_final\\_ oktober\\.csv" in data_page.success[0].value  # the check message escapes it
    data_page.button(key=WidgetKeys.UPLOAD_SAVE).click()
    run(data_page)
    assert store().dataset_version(2).file_name == name
    assert "Versi 2 (laporan \\_final\\_ oktober\\.csv) tersimpan" in " ".join(_successes(data_page))
    (label,) = [label for color, label in badges(data_page) if color == "blue"]
    shown = label.split("Sumber data: ", 1)[1]  # after the icon, whose name has its own underscore
    assert shown.startswith("laporan")
    assert shown.endswith(" · versi 2")
    unescaped_emphasis = re.findall(r"(?<!\\)[*_]", shown)
    assert not unescaped_emphasis, label
    assert ("blue", f":material/upload_file: Sumber data: {name} · versi 2") in badge_texts(data_page)


# --- month-by-month updates ---------------------------------------------------------------------------------------


def test_one_month_is_added_to_the_data_in_use_keeping_every_earlier_month(data_page):
    october = _october_with_more_lebong_bpu()
    expected_rate = fmt.percent(province_rate(october), "id")
    upload(data_page, "oktober.csv", csv_bytes(october))
    mode = data_page.radio(key=WidgetKeys.UPLOAD_MODE)
    assert mode.value == "merge" and mode.options == ["Tambahkan bulan ke data aktif", "Ganti seluruh data"]
    (preview,) = [info.value for info in data_page.info if info.value.startswith("Bila disimpan")]
    assert preview == ("Bila disimpan: Oktober 2024 diganti, tidak ada bulan ditambahkan, "
                       "9 bulan (Januari 2024 – September 2024) tetap; 1 nilai berubah.")
    assert _versions() == ([1], 1)  # nothing stored before the editor confirms

    data_page.button(key=WidgetKeys.UPLOAD_SAVE).click()
    run(data_page)
    assert _versions() == ([2, 1], 2)
    saved = store().dataset_version(2)
    assert (saved.file_name, saved.row_count, saved.period_first, saved.period_last) == (
        "oktober.csv", 100, "2024-01", "2024-10")
    assert saved.note.startswith("Gabungan: oktober.csv ditambahkan ke versi 1.")
    merged = store().load_version(2)
    demo = store().load_version(1)
    before = demo.frame[demo.frame["period"] != "2024-10"].reset_index(drop=True)
    pd.testing.assert_frame_equal(merged.frame[merged.frame["period"] != "2024-10"].reset_index(drop=True), before)
    assert WidgetKeys.UPLOAD_SAVE not in _buttons(data_page)  # the upload's months are now in the data in use
    assert any("sama dengan versi yang sedang aktif" in text for text in _successes(data_page))

    go(data_page, OVERVIEW_PAGE)
    assert metric_values(data_page)[0] == expected_rate
    assert len(data_page.selectbox(key=WidgetKeys.PERIOD).options) == 10


def test_replacing_everything_is_offered_and_said_before_saving(data_page):
    upload(data_page, "oktober.csv", csv_bytes(_october_with_more_lebong_bpu()))
    data_page.radio(key=WidgetKeys.UPLOAD_MODE).set_value("replace")
    run(data_page)
    assert ("Bila disimpan, data aktif (10 bulan (Januari 2024 – Oktober 2024)) diganti seluruhnya oleh berkas ini "
            "(Oktober 2024).") in [warning.value for warning in data_page.warning]
    assert _versions() == ([1], 1)


def test_a_file_with_every_month_offers_no_choice(data_page):
    revised = DEMO_CSV.read_bytes().replace(b"Kabupaten Kaur,45426", b"Kabupaten Kaur,45427")
    upload(data_page, "semua.csv", revised)
    assert any("lolos pemeriksaan: 100 baris, 10 periode" in text for text in _successes(data_page))
    assert not data_page.radio  # adding every month is replacing: nothing to choose
    assert WidgetKeys.UPLOAD_SAVE in _buttons(data_page)


def _demo_badge_help(at) -> str:
    helps = [m.proto.help for m in at.markdown if "-badge[" in m.value and m.proto.help]
    assert len(helps) == 1
    return helps[0]


def test_the_demo_notice_on_the_data_page_points_to_the_upload_below_not_to_the_data_page(data_page):
    notices = [info.value for info in data_page.info if "data contoh" in info.value]
    assert len(notices) == 1
    for text in (notices[0], _demo_badge_help(data_page)):
        assert "di bawah, pada bagian **Unggah data Anda**" in text
        assert "halaman Data" not in text
        assert "Kaur 75%" in text  # what the demo is stays said


def _uploader_labels(at) -> dict[str, str]:
    return {uploader.key: uploader.proto.label for uploader in at.get("file_uploader")}


@pytest.mark.parametrize(("lang", "data_label", "boundary_label", "how"), [
    ("id", "Data cakupan: file CSV atau Excel (.xlsx)", "GeoJSON batas wilayah (.geojson atau .json)",
     "seret berkas ke kotak di bawah atau klik **Browse files** (paling besar {limit} MB)"),
    ("en", "Coverage data: a CSV or Excel (.xlsx) file", "Boundary GeoJSON (.geojson or .json)",
     "drag the file onto the box below or click **Browse files** (at most {limit} MB)"),
])
def test_each_uploader_says_in_the_users_language_what_to_upload_and_how(data_page, lang, data_label, boundary_label,
                                                                        how):
    # Streamlit's own box ("Drag and drop file here", "Browse files", "Limit … per file") is English only.
    sign_in(data_page)
    data_page.segmented_control(key=WidgetKeys.LANG).set_value(lang)
    run(data_page)
    how = how.format(limit=fmt.number(streamlit.get_option("server.maxUploadSize"), lang))
    assert _uploader_labels(data_page) == {WidgetKeys.UPLOAD: f"{data_label} — {how}",
                                           WidgetKeys.BOUNDARY_UPLOAD: f"{boundary_label} — {how}"}
