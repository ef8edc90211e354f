"""The validation report as people read it: one line per problem said alike, rows as ranges, a verdict first."""

from __future__ import annotations

import pytest

from monev import i18n, tables
from monev.dataset import Problem, load_dataset
from monev.problem_report import MAX_ROW_RANGES_SHOWN, group_problems, problem_dicts, row_ranges, verdict
from tests.unit.coverage_files import COL, HEADERS, csv_bytes, month_rows, row


def _with_empty_pmi(rows: list[list[str]], indexes: tuple[int, ...]) -> list[list[str]]:
    for index in indexes:
        rows[index][COL["Peserta PMI"]] = ""
    return rows


# --- rows as ranges --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("rows", "expected"), [
    ([2, 3, 4, 5, 8, 10, 11], "2–5, 8, 10–11"),
    ([11, 2, 3, 3, 10], "2–3, 10–11"),
    ([7], "7"),
    ([1001, 1002], "1001–1002"),  # positions, written like Excel's row header: no thousands separator
    ([], ""),
])
def test_rows_are_written_as_ranges(rows, expected):
    assert row_ranges(rows) == expected


def test_a_long_list_of_row_ranges_says_how_many_are_left_out():
    rows = range(2, 2 + 2 * (MAX_ROW_RANGES_SHOWN + 3), 2)  # every other row: no two rows make a range
    assert row_ranges(rows, "id").endswith("… dan 3 lagi")
    assert row_ranges(rows, "en").endswith("… and 3 more")
    assert row_ranges(rows, "en").count(",") == MAX_ROW_RANGES_SHOWN - 1


# --- grouping ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "expected"), [
    ("id", "Baris 2–11, kolom 'Periode': Bukan bulan yang dikenali: '13/2024'."),
    ("en", "Rows 2–11, column 'Periode': Not a recognised month: '13/2024'."),
])
def test_the_same_fault_on_every_row_is_one_line(lang, expected):
    problems = load_dataset("c.csv", csv_bytes(month_rows("13/2024"))).problems
    assert len(problems) == 10
    (line,) = group_problems(problems, lang)
    assert (line.severity, line.code, line.column, line.rows, line.count) == (
        "error", "period.invalid", "Periode", tuple(range(2, 12)), 10)
    assert line.rows_text == "2–11"
    assert line.values == ("13/2024",)
    assert line.text(lang) == expected
    assert line.fix == i18n.t("fix.period.invalid", lang)


def test_non_contiguous_rows_are_listed_and_ranged():
    rows = _with_empty_pmi(month_rows(), (0, 1, 2, 3, 6, 8, 9))
    (line,) = group_problems(load_dataset("c.csv", csv_bytes(rows)).problems, "en")
    assert line.text("en") == "Rows 2–5, 8, 10–11, column 'Peserta PMI': Empty cell."
    assert line.values == ()


def test_one_row_says_row_in_english_and_the_row_is_not_repeated_in_the_message():
    (line,) = group_problems(load_dataset("c.csv", csv_bytes([row(pu="seribu")])).problems, "en")
    assert line.text("en") == "Row 2, column 'Peserta PU': Not a number: 'seribu'."
    (line,) = group_problems(load_dataset("c.csv", csv_bytes([row(pu="seribu")])).problems, "id")
    assert line.text("id") == "Baris 2, kolom 'Peserta PU': Bukan angka: 'seribu'."


def test_different_values_of_the_same_fault_in_a_column_are_listed_on_one_line():
    rows = [row(region="Kaur", pu="seribu"), row(region="Lebong", pu="dua ribu"), row(region="Seluma", pu="seribu")]
    (line,) = group_problems(load_dataset("c.csv", csv_bytes(rows)).problems, "id")
    assert line.values == ("seribu", "dua ribu")
    assert line.values_text == "seribu, dua ribu"
    assert line.text("id") == "Baris 2–4, kolom 'Peserta PU': Bukan angka: 'seribu', 'dua ribu'."


def test_a_long_list_of_values_says_how_many_are_left_out():
    rows = month_rows()[:8]
    for index, cells in enumerate(rows):
        cells[COL["Peserta PU"]] = f"{index} orang"
    (line,) = group_problems(load_dataset("c.csv", csv_bytes(rows)).problems, "en")
    assert line.message == "Not a number: '0 orang', '1 orang', '2 orang', '3 orang', '4 orang' … and 3 more."
    assert len(line.values) == 8


def test_faults_worded_differently_stay_on_their_own_lines():
    rows = [row(region="Lebongg"), row(region="Kaurr", period="2024-09"), row(region="Lebongg", period="2024-09"),
            row(pu="seribu", period="2024-08"), row(bpu="seribu", period="2024-08", region="Seluma")]
    lines = group_problems(load_dataset("c.csv", csv_bytes(rows)).problems, "id")
    # another suggestion is another message; another column is another line
    assert [(line.code, line.column, line.rows_text) for line in lines] == [
        ("region.unknown_suggest", "Wilayah", "2, 4"),
        ("region.unknown_suggest", "Wilayah", "3"),
        ("value.not_number", "Peserta PU", "5"),
        ("value.not_number", "Peserta BPU", "6"),
    ]
    assert lines[0].message == "Wilayah tidak dikenal: 'Lebongg' — maksud Anda: Lebong?"


def test_errors_come_before_warnings_in_the_order_found():
    content = csv_bytes([row(region="Jakarta"), row(pu="x")], headers=[*HEADERS[:-1], "Catatan lain"])
    lines = group_problems(load_dataset("c.csv", content).problems, "en")
    assert [line.code for line in lines] == ["region.unknown", "value.not_number", "column.unknown"]
    assert lines[-1].text("en") == "Row 1, column 'Catatan lain': Unknown column; ignored."


def test_a_problem_of_the_whole_file_has_no_rows_and_no_place():
    (line,) = group_problems(load_dataset("c.csv", b"").problems, "en")
    assert (line.rows, line.rows_text, line.column) == ((), "", None)
    assert line.where("en") == ""
    assert line.text("en") == "The file is empty."


def test_problem_dicts_keep_every_problem_with_its_row_for_machines():
    problems = load_dataset("c.csv", csv_bytes(month_rows("13/2024"))).problems
    dicts = list(problem_dicts(problems, "en"))
    assert [entry["row"] for entry in dicts] == list(range(2, 12))
    assert all(entry["message"] == "Not a recognised month: '13/2024'." for entry in dicts)


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_no_problem_or_fix_text_repeats_the_row_or_the_column(lang):
    # The report line carries them once; a message says what is wrong, a fix how to fix it.
    texts = {key: text for key, text in i18n.catalog(lang).items() if key.startswith(("problem.", "fix."))}
    repeating = sorted(key for key, text in texts.items() if {"row", "column"} & i18n.placeholders(text))
    assert repeating == []


# --- the verdict -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "expected"), [
    ("id", "Berkas tidak dapat dimuat: 2 kesalahan (10 baris), 1 peringatan."),
    ("en", "The file cannot be loaded: 2 errors (10 rows), 1 warning."),
])
def test_verdict_of_a_rejected_file_counts_lines_rows_and_warnings(lang, expected):
    rows = [[*cells, ""] for cells in _with_empty_pmi(month_rows("13/2024"), (0, 1))]
    result = load_dataset("c.csv", csv_bytes(rows, headers=[*HEADERS, "Catatan lain"]))
    assert len(result.errors) == 12
    assert verdict(result, lang) == expected


@pytest.mark.parametrize(("lang", "expected"), [
    ("id", "Berkas tidak dapat dimuat: 1 kesalahan."), ("en", "The file cannot be loaded: 1 error.")])
def test_verdict_of_a_file_that_is_no_table_names_no_rows(lang, expected):
    assert verdict(load_dataset("c.csv", b""), lang) == expected


@pytest.mark.parametrize(("lang", "expected"), [
    ("id", "Berkas dapat dimuat dengan 1 peringatan: 9 wilayah × 1 bulan (Oktober 2024)."),
    ("en", "The file can be loaded with 1 warning: 9 regions × 1 month (October 2024)."),
])
def test_verdict_of_a_file_with_warnings_says_it_loads_and_its_shape(lang, expected):
    result = load_dataset("c.csv", csv_bytes(month_rows(skip=("17.07",))))
    assert verdict(result, lang) == expected


@pytest.mark.parametrize(("lang", "expected"), [
    ("id", "Berkas bersih: 10 wilayah × 2 bulan (September 2024 – Oktober 2024)."),
    ("en", "The file is clean: 10 regions × 2 months (September 2024 – October 2024)."),
])
def test_verdict_of_a_clean_file_gives_its_shape(lang, expected):
    result = load_dataset("c.csv", csv_bytes([*month_rows("2024-09"), *month_rows("2024-10")]))
    assert result.problems == ()
    assert verdict(result, lang) == expected


# --- the download ------------------------------------------------------------------------------------------------


def test_the_downloaded_report_has_one_line_per_group_with_the_rows_as_text():
    rows = _with_empty_pmi(month_rows("13/2024"), (0, 1, 2, 3, 6, 8, 9))
    table = tables.validation_table(load_dataset("c.csv", csv_bytes(rows)).problems, lang="en")
    assert table.frame.values.tolist() == [
        ["Error", "2–11", "Periode", "13/2024", "Not a recognised month: '13/2024'.",
         i18n.t("fix.period.invalid", "en"), "period.invalid"],
        ["Error", "2–5, 8, 10–11", "Peserta PMI", "", "Empty cell.", i18n.t("fix.value.missing", "en"),
         "value.missing"],
    ]
    # The code is for support: last, after what a person reads.
    assert list(table.frame.columns) == ["Kind", "Row", "Column", "Value", "Problem", "How to fix", "Code"]
    csv_text = tables.table_csv(table.frame).decode("utf-8-sig")
    assert "2–5, 8, 10–11" in csv_text


def test_a_group_of_problems_made_by_hand_is_grouped_the_same():
    problems = [Problem("value.negative", "error", row=row_number, column="Peserta BPU", value="-5")
                for row_number in (9, 7, 8)]
    (line,) = group_problems(problems, "id")
    assert line.text("id") == "Baris 7–9, kolom 'Peserta BPU': Bernilai negatif: '-5'."


# --- values as the file wrote them, and counted nouns ----------------------------------------------------------------


def test_a_line_shows_the_files_values_only_where_its_message_does_not_quote_them():
    negative = group_problems([Problem("value.negative", "error", row=2, column="Peserta PU", value="-5.000")], "en")
    assert negative[0].values_in_file("en") == ""  # "Negative: '-5.000'." quotes it already
    exceeding = Problem("value.participants_exceed", "error", row=4, column="Jumlah Peserta", value="5.000",
                        params={"participants": 5000, "potential": 1000, "potential_column": "Pekerja Potensial"})
    (english,) = group_problems([exceeding], "en")
    assert english.message == "Participants (5,000) exceed potential workers (1,000)."
    assert english.values_in_file("en") == "'5.000'"
    (indonesian,) = group_problems([exceeding], "id")
    assert indonesian.values_in_file("id") == ""  # "(5.000)": the file's own writing


@pytest.mark.parametrize(("count", "lang", "expected"), [
    (1, "en", "1 date could be read either day/month or month/day: read day first, like the file's other dates."),
    (3, "en", "3 dates could be read either day/month or month/day: read day first, like the file's other dates."),
    (1, "id", "1 tanggal dapat dibaca hari/bulan atau bulan/hari: dibaca hari lebih dulu, seperti tanggal lain di "
              "file ini."),
])
def test_ambiguous_dates_are_counted_with_their_noun(count, lang, expected):
    assert Problem("period.read_day_first", "info", params={"count": count}).message(lang) == expected
