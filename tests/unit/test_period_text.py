"""The month a spreadsheet means: period cells in office spellings, the file's day order, months in titles and names."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from monev.dataset import load_dataset
from monev.period_text import DayOrder, MonthMention, day_first_majority, month_in_text, parse_period_cell, period_of
from tests.unit.coverage_files import HEADERS, csv_bytes, month_rows

# Every spelling of every month the brief names, Indonesian and English, full and abbreviated.
MONTH_SPELLINGS = [
    (1, "Januari"), (1, "January"), (1, "Jan"),
    (2, "Februari"), (2, "February"), (2, "Feb"), (2, "Peb"),
    (3, "Maret"), (3, "March"), (3, "Mar"),
    (4, "April"), (4, "Apr"),
    (5, "Mei"), (5, "May"),
    (6, "Juni"), (6, "June"), (6, "Jun"),
    (7, "Juli"), (7, "July"), (7, "Jul"),
    (8, "Agustus"), (8, "August"), (8, "Agu"), (8, "Agt"), (8, "Aug"),
    (9, "September"), (9, "Sep"), (9, "Sept"),
    (10, "Oktober"), (10, "October"), (10, "Okt"), (10, "Oct"),
    (11, "November"), (11, "Nov"), (11, "Nop"),
    (12, "Desember"), (12, "December"), (12, "Des"), (12, "Dec"),
]
_SPELLING_IDS = [spelling for _, spelling in MONTH_SPELLINGS]


# --- parse_period_cell ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("cell", "period"),
    [
        # Excel date cells: openpyxl gives a datetime whatever the number format shows.
        (dt.datetime(2024, 10, 1), "2024-10"),
        (dt.datetime(2024, 10, 31, 23, 59), "2024-10"),
        (dt.date(2024, 10, 31), "2024-10"),
        # Year first.
        ("2024-10", "2024-10"),
        ("2024/10", "2024-10"),
        ("2024.10", "2024-10"),
        ("2024-10-01", "2024-10"),
        ("2024-10-31", "2024-10"),
        ("2024/10/31", "2024-10"),
        ("2024-10-01 00:00:00", "2024-10"),
        ("2024-10-31T23:59:59", "2024-10"),
        ("  2024-01  ", "2024-01"),
        # Month and year.
        ("10/2024", "2024-10"),
        ("10-2024", "2024-10"),
        ("1/2024", "2024-01"),
        ("10/24", "2024-10"),  # Excel's "mm/yy" format saved as text
        ("202410", "2024-10"),
        # Day-first dates: any day, the first or the last, means its month.
        ("01/10/2024", "2024-10"),
        ("31/10/2024", "2024-10"),
        ("1/10/2024", "2024-10"),
        ("1-10-2024", "2024-10"),
        ("1.10.2024", "2024-10"),
        ("31.10.24", "2024-10"),
        ("13/01/2024", "2024-01"),
        ("29/02/2024", "2024-02"),  # a leap day
        ("31/10/2024 00:00:00", "2024-10"),
        ("31/10/2024 0:00", "2024-10"),
        # Month names with a day.
        ("1-Okt-24", "2024-10"),
        ("01-Okt-2024", "2024-10"),
        ("31-Oct-2024", "2024-10"),
        ("31 Oktober 2024", "2024-10"),
        ("31 oktober 2024", "2024-10"),
        ("31 OKTOBER 2024", "2024-10"),
        ("1 Mei 2024", "2024-05"),
        ("Kamis, 31 Oktober 2024", "2024-10"),  # Excel's long date in an Indonesian locale
        ("Thursday, 31 October 2024", "2024-10"),
        ("October 31, 2024", "2024-10"),
        ("Oct 31 2024", "2024-10"),
        # Month names without a day.
        ("Oktober 2024", "2024-10"),
        ("oktober 2024", "2024-10"),
        ("Okt 2024", "2024-10"),
        ("Okt. 2024", "2024-10"),
        ("Okt-24", "2024-10"),
        ("Okt2024", "2024-10"),
        ("Oct-24", "2024-10"),
        ("Oktober, 2024", "2024-10"),
        ("Des-24", "2024-12"),
        ("Sept 2024", "2024-09"),
        ("Peb 2025", "2025-02"),
        ("Nop 2023", "2023-11"),
        ("Agt 2024", "2024-08"),
    ],
)
def test_a_period_cell_in_any_office_spelling_reads_as_its_month(cell, period):
    assert parse_period_cell(cell) == period


@pytest.mark.parametrize(("month", "spelling"), MONTH_SPELLINGS, ids=_SPELLING_IDS)
@pytest.mark.parametrize("form", ["{m} 2024", "{m}-24", "15 {m} 2024", "15-{m}-24", "{M} 2024", "{l} 2024"])
def test_every_month_spelling_in_every_named_form(month, spelling, form):
    cell = form.format(m=spelling, M=spelling.upper(), l=spelling.lower())
    assert parse_period_cell(cell) == f"2024-{month:02d}"


@pytest.mark.parametrize(
    "cell",
    [
        # Not a month at all.
        "", "   ", "abc", "2024", "Okt", "Oktober", "Jumlah", "Oktobre 2024", "Okt 2024 revisi",
        # Impossible dates and months.
        "32/10/2024", "31/11/2024", "29/02/2023", "0/10/2024", "13/13/2024", "01/13/2024", "31 Februari 2024",
        "32 Oktober 2024", "2024-13", "2024-00", "2024-10-32", "2024-02-30", "13/2024", "0/2024", "202413",
        # Years out of range, and separators that disagree.
        "10/1800", "1-10/2024",
        # Numbers: an Excel serial date, a count, a bool are no periods.
        45596, 45596.0, 17, 2024, 2024.5, True, None,
    ],
)
def test_what_names_no_month_or_no_real_date_is_none(cell):
    assert parse_period_cell(cell) is None


def test_a_number_typed_as_yyyymm_is_its_month():
    """The validator read a 202410 typed into a numeric cell before this module; it still does."""
    assert parse_period_cell(202410) == "2024-10"
    assert parse_period_cell(202410.0) == "2024-10"


@pytest.mark.parametrize(
    ("cell", "day_first", "period"),
    [
        ("10/11/2024", True, "2024-11"),
        ("10/11/2024", False, "2024-10"),
        ("10/31/2024", False, "2024-10"),
        ("10/31/2024", True, None),  # read day-first, the 31st month does not exist
        ("31/10/2024", False, None),
        ("1/2/24", True, "2024-02"),
        ("1/2/24", False, "2024-01"),
        # The order concerns day and month only: other forms read the same either way.
        ("2024-10-11", False, "2024-10"),
        ("10/2024", False, "2024-10"),
        ("11 Oktober 2024", False, "2024-10"),
        (dt.date(2024, 10, 11), False, "2024-10"),
    ],
)
def test_the_day_order_decides_only_numeric_dates(cell, day_first, period):
    assert parse_period_cell(cell, day_first=day_first) == period


def test_pandas_missing_date_is_none():
    assert parse_period_cell(pd.NaT) is None
    assert parse_period_cell(pd.Timestamp("2024-10-31")) == "2024-10"
    assert parse_period_cell(float("nan")) is None


_settings = settings(database=None)


@_settings
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)))
def test_every_real_date_in_every_written_form_is_its_month(day):
    period = f"{day.year:04d}-{day.month:02d}"
    written = [day, f"{day:%d/%m/%Y}", f"{day.day}/{day.month}/{day.year}", f"{day:%d-%m-%Y}", f"{day:%d.%m.%Y}",
               f"{day:%Y-%m-%d}", f"{day:%d-%b-%Y}", f"{day:%d %B %Y}", f"{day:%B %Y}", f"{day:%m/%Y}"]
    assert {parse_period_cell(cell) for cell in written} == {period}
    assert parse_period_cell(f"{day:%m/%d/%Y}", day_first=False) == period


@_settings
@given(st.text(max_size=30))
def test_any_text_gives_a_period_or_none_and_never_raises(text):
    period = parse_period_cell(text)
    assert period is None or (len(period) == 7 and 1 <= int(period[5:]) <= 12)


# --- day_first_majority --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # Only ambiguous values, or nothing numeric: the Indonesian default.
        ([], DayOrder(True, 0, "default")),
        (["10/11/2024", "01/10/2024"], DayOrder(True, 2, "default")),
        (["Oktober 2024", "2024-10", dt.datetime(2024, 10, 31), 45596, None], DayOrder(True, 0, "default")),
        # A first number above 12 proves day-first, the ambiguous ones follow.
        (["31/10/2024", "10/11/2024", "01/11/2024"], DayOrder(True, 2, "unambiguous_values")),
        (["31-10-2024", "30.11.2024"], DayOrder(True, 0, "unambiguous_values")),
        # A second number above 12 proves month-first.
        (["10/31/2024", "10/11/2024"], DayOrder(False, 1, "unambiguous_values")),
        (["12/31/24", " 11/30/2024 "], DayOrder(False, 0, "unambiguous_values")),
        # The majority of proofs decides; a tie is no proof.
        (["31/10/2024", "30/10/2024", "10/31/2024"], DayOrder(True, 0, "unambiguous_values")),
        (["10/31/2024", "11/30/2024", "31/10/2024", "05/06/2024"], DayOrder(False, 1, "unambiguous_values")),
        (["31/10/2024", "10/31/2024"], DayOrder(True, 0, "default")),
        # The same number twice reads as the same month either way: not ambiguous.
        (["10/10/2024", "01/01/2024"], DayOrder(True, 0, "default")),
        # Neither order makes a date: no proof.
        (["31/31/2024", "13/13/2024"], DayOrder(True, 0, "default")),
    ],
)
def test_day_order_follows_the_files_own_unambiguous_values(values, expected):
    assert day_first_majority(values) == expected


def test_day_order_reads_any_iterable_once():
    order = day_first_majority(value for value in ["31/10/2024", "10/11/2024"])
    assert order == DayOrder(day_first=True, ambiguous=1, decided_by="unambiguous_values")


def test_an_ambiguous_value_reads_as_the_majority_says():
    column = ["31/10/2024", "30/11/2024", "10/11/2024"]
    order = day_first_majority(column)
    assert [parse_period_cell(value, day_first=order.day_first) for value in column] == [
        "2024-10", "2024-11", "2024-11"]
    us_column = ["10/31/2024", "11/30/2024", "10/11/2024"]
    us_order = day_first_majority(us_column)
    assert [parse_period_cell(value, day_first=us_order.day_first) for value in us_column] == [
        "2024-10", "2024-11", "2024-10"]


# --- month_in_text -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "mention"),
    [
        # Title rows.
        ("REKAPITULASI CAKUPAN KEPESERTAAN JAMSOSTEK PROVINSI BENGKULU Posisi: Oktober 2024",
         MonthMention(10, 2024, "Oktober 2024")),
        ("Posisi: Oktober 2024", MonthMention(10, 2024, "Oktober 2024")),
        ("Keadaan s.d. 31 Oktober 2024", MonthMention(10, 2024, "31 Oktober 2024")),
        ("KEADAAN S.D. 31 OKTOBER 2024", MonthMention(10, 2024, "31 OKTOBER 2024")),
        ("Keadaan per 31/10/2024", MonthMention(10, 2024, "31/10/2024")),
        ("Per tanggal 2024-10-31", MonthMention(10, 2024, "2024-10-31")),
        ("Data bulan Mei 2024", MonthMention(5, 2024, "Mei 2024")),
        ("Coverage as of October 2024", MonthMention(10, 2024, "October 2024")),
        ("Coverage as of October 31, 2024", MonthMention(10, 2024, "October 31, 2024")),
        ("As of Sept 30 2024", MonthMention(9, 2024, "Sept 30 2024")),
        ("Periode: Okt-24", MonthMention(10, 2024, "Okt-24")),
        # Several months: the last is the position the title states.
        ("Januari s.d. Oktober 2024", MonthMention(10, 2024, "Oktober 2024")),
        ("Januari - Oktober 2024", MonthMention(10, 2024, "Oktober 2024")),
        ("Juni 2024 s.d. Mei 2025", MonthMention(5, 2025, "Mei 2025")),
        ("Jan 2024 - 31/10/2024", MonthMention(10, 2024, "31/10/2024")),
        # A year on its own lends itself to a month without one; the nearest year wins.
        ("TAHUN 2024 BULAN OKTOBER", MonthMention(10, 2024, "OKTOBER")),
        ("Rekap Oktober (2024)", MonthMention(10, 2024, "Oktober")),
        ("Renstra 2020 ... tahun 2024 bulan Oktober", MonthMention(10, 2024, "Oktober")),
        # A year taken by another month's mention is not lent: "Desember 2023 s.d. Januari" is January 2024.
        ("Desember 2023 s.d. Januari", MonthMention(1, None, "Januari")),
        # Sheet names.
        ("Okt 2024", MonthMention(10, 2024, "Okt 2024")),
        ("Oktober", MonthMention(10, None, "Oktober")),
        ("OKTOBER", MonthMention(10, None, "OKTOBER")),
        ("Rekap Okt 2024", MonthMention(10, 2024, "Okt 2024")),
        ("Sept", MonthMention(9, None, "Sept")),
        ("Agustus", MonthMention(8, None, "Agustus")),
        ("Mei", MonthMention(5, None, "Mei")),
        ("May", MonthMention(5, None, "May")),  # the whole name: a month, not the verb
        ("Okt.", MonthMention(10, None, "Okt")),
        # File names.
        ("rekap_okt2024.xlsx", MonthMention(10, 2024, "okt2024")),
        ("rekap_okt_2024.xlsx", MonthMention(10, 2024, "okt_2024")),
        ("rekap_okt24.xlsx", MonthMention(10, 2024, "okt24")),
        ("cakupan-2024-10.csv", MonthMention(10, 2024, "2024-10")),
        ("cakupan_2024_10_final.csv", MonthMention(10, 2024, "2024_10")),
        ("cakupan_10-2024.csv", MonthMention(10, 2024, "10-2024")),
        ("rekap_202410.xlsx", MonthMention(10, 2024, "202410")),
        ("Rekap Oktober 2024 (final).xlsx", MonthMention(10, 2024, "Oktober 2024")),
        ("Rekap Oktober 2024 (final) (1).xlsx", MonthMention(10, 2024, "Oktober 2024")),
        ("2024_okt_rekap.xlsx", MonthMention(10, 2024, "okt")),
    ],
)
def test_the_month_a_title_sheet_or_file_name_names(text, mention):
    assert month_in_text(text) == mention


@pytest.mark.parametrize(("month", "spelling"), MONTH_SPELLINGS, ids=_SPELLING_IDS)
@pytest.mark.parametrize("form", ["Rekap {m} 2024", "rekap_{l}2024.xlsx", "Posisi: 1 {M} 2024", "{m} 2024"])
def test_every_month_spelling_is_found_in_text(month, spelling, form):
    text = form.format(m=spelling, M=spelling.upper(), l=spelling.lower())
    found = month_in_text(text)
    assert found is not None
    assert (found.month, found.year) == (month, 2024)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "REKAPITULASI CAKUPAN KEPESERTAAN",
        "Data",
        "Grafik",
        "Catatan",
        "Petunjuk",
        # A month word inside another word is no month.
        "Desa", "Data per Desa", "Smaret", "Summary", "Kabupaten Mukomuko", "Janji", "Desain", "Mayor",
        "Marketing", "Septic", "Agung", "Jumlah",
        # English words that are month abbreviations need a year beside them.
        "figures may change", "Mar chart",
        # Numbers that are no month.
        "cakupan_2023-2024.csv", "Nomor 2024", "Tabel 13/2024", "versi 1.2", "rekap_202413.xlsx", "Kode 1704",
        "31/31/2024",
        "As of February 30, 2024",
    ],
)
def test_text_naming_no_month_is_none(text):
    assert month_in_text(text) is None


def test_may_with_a_year_is_a_month():
    assert month_in_text("Coverage May 2024") == MonthMention(5, 2024, "May 2024")


@_settings
@given(st.text(max_size=60))
def test_any_text_gives_a_real_month_or_none_and_never_raises(text):
    mention = month_in_text(text)
    assert mention is None or (1 <= mention.month <= 12 and mention.text)


# --- period_of -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("mention", "year_hint", "period"),
    [
        (MonthMention(10, 2024, "Oktober 2024"), None, "2024-10"),
        (MonthMention(10, 2024, "Oktober 2024"), 2023, "2024-10"),  # the mention's own year wins
        (MonthMention(10, None, "Oktober"), 2024, "2024-10"),
        (MonthMention(1, None, "Jan"), 2025, "2025-01"),
        (MonthMention(10, None, "Oktober"), None, None),
    ],
)
def test_period_of_a_mention_uses_its_year_else_the_hint(mention, year_hint, period):
    assert period_of(mention, year_hint) == period


def test_sheet_name_month_takes_the_year_of_the_title():
    sheet, title = month_in_text("Oktober"), month_in_text("Keadaan s.d. 31 Desember 2024")
    assert sheet is not None and title is not None
    assert period_of(sheet, title.year) == "2024-10"


# --- the row check reads office period cells -----------------------------------------------------------------------

@pytest.mark.parametrize("written", ["01/10/2024", "31/10/2024", "1-Okt-24", "31 Oktober 2024", "Okt 2024"])
def test_a_csv_with_office_period_cells_loads_as_that_month(written):
    result = load_dataset("cakupan.csv", csv_bytes(month_rows(period=written)))
    assert result.ok, [(p.code, p.row, p.column, p.value) for p in result.errors]
    assert result.data is not None
    assert result.data.periods == ["2024-10"]


def test_an_excel_date_cell_with_a_day_first_format_loads_as_its_month():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for values in month_rows():
        sheet.append([dt.datetime(2024, 10, 31), *values[1:]])
    for (cell,) in sheet.iter_rows(min_row=2, max_col=1):
        cell.number_format = "dd/mm/yyyy"
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = load_dataset("cakupan.xlsx", buffer.getvalue())
    assert result.ok, [(p.code, p.row, p.column, p.value) for p in result.errors]
    assert result.data is not None
    assert result.data.periods == ["2024-10"]
