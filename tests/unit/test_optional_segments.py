"""Files with only the total of active participants ("Jumlah Peserta", "Peserta Aktif" ...) instead of the four
segments: they load with the coverage of the split file, the split is unknown (NaN) and said so, and a total that
disagrees with its segments, a partial split or no participants at all is an error at its row."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import math

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook

from monev import exports, fmt, tables
from monev.charts import build_segment_chart
from monev.dataset import DEMO_PATH, CoverageData, load_dataset
from monev.indicators import ProvinceSummary, province_series, province_summary, region_indicators, region_series
from monev.month_update import merge_months
from tests.unit.coverage_files import HEADERS, csv_bytes, row

SEGMENT_HEADERS = ["Peserta PU", "Peserta BPU", "Peserta Jakon", "Peserta PMI"]
SEGMENT_KEYS = ["pu", "bpu", "jakon", "pmi"]
TOTALS_HEADERS = ["Periode", "Wilayah", "Pekerja Potensial", "Jumlah Peserta", "Target (%)", "Keterangan"]
BOTH_HEADERS = [*HEADERS[:3], "Jumlah Peserta", *HEADERS[3:]]
OCTOBER = "2024-10"


def _demo_records() -> list[dict[str, str]]:
    """The demo file's rows, read with the csv module rather than the app's loader."""
    return list(csv.DictReader(io.StringIO(DEMO_PATH.read_text(encoding="utf-8-sig"), newline="")))


def _total(record: dict[str, str]) -> int:
    return sum(int(record[header]) for header in SEGMENT_HEADERS)


def _totals_csv(records: list[dict[str, str]], total_header: str = "Jumlah Peserta", delimiter: str = ";",
                encoding: str = "cp1252") -> bytes:
    """The demo as an office keeps it: one participants column, no segments; ';' CSV as Indonesian Excel saves it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([total_header if header == "Jumlah Peserta" else header for header in TOTALS_HEADERS])
    writer.writerows([r["Periode"], r["Wilayah"], r["Pekerja Potensial"], _total(r), r["Target (%)"], r["Keterangan"]]
                     for r in records)
    return buffer.getvalue().encode(encoding)


def _totals_xlsx(records: list[dict[str, str]], total_header: str = "Total Peserta Aktif") -> bytes:
    """The same as a workbook: Excel date cells for the month, numbers as number cells."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([total_header if header == "Jumlah Peserta" else header for header in TOTALS_HEADERS])
    for r in records:
        year, month = (int(part) for part in r["Periode"].split("-"))
        sheet.append([dt.datetime(year, month, 1), r["Wilayah"], int(r["Pekerja Potensial"]), _total(r),
                      int(r["Target (%)"]), r["Keterangan"]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _loaded(name: str, content: bytes) -> CoverageData:
    result = load_dataset(name, content)
    assert result.data is not None, [(p.code, p.row, p.column) for p in result.errors]
    return result.data


def _only_error(name: str, content: bytes):
    result = load_dataset(name, content)
    assert result.data is None
    assert len(result.errors) == 1, [(p.code, p.row, p.column) for p in result.errors]
    return result.errors[0]


@pytest.fixture(scope="module")
def split() -> CoverageData:
    """The demo file itself: the template format with the four segments."""
    return _loaded(DEMO_PATH.name, DEMO_PATH.read_bytes())


@pytest.fixture(scope="module")
def totals() -> CoverageData:
    return _loaded("rekap_peserta.csv", _totals_csv(_demo_records()))


# --- loading -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("total_header", ["Jumlah Peserta", "Peserta Aktif", "Total Peserta Aktif",
                                          "JUMLAH PESERTA AKTIF", "Total Peserta", "participants"])
@pytest.mark.parametrize(("delimiter", "encoding"), [(";", "cp1252"), (",", "utf-8")], ids=["semicolon_cp1252", "utf8"])
def test_a_totals_only_csv_has_the_province_coverage_of_the_split_file(split, total_header, delimiter, encoding):
    content = _totals_csv(_demo_records(), total_header, delimiter, encoding)
    result = load_dataset("rekap.csv", content)
    assert result.data is not None, [(p.code, p.row, p.column) for p in result.errors]
    assert [p.code for p in result.problems] == []
    pd.testing.assert_frame_equal(province_series(result.data), province_series(split))


def test_a_totals_only_workbook_has_the_province_coverage_of_the_split_file(split):
    data = _loaded("rekap_peserta.xlsx", _totals_xlsx(_demo_records()))
    pd.testing.assert_frame_equal(province_series(data), province_series(split))
    assert province_summary(data, OCTOBER).rate == pytest.approx(261_814 / 708_000)


def test_a_totals_only_file_keeps_the_total_and_leaves_the_split_unknown(totals, split):
    frame = totals.frame
    assert str(frame["participants"].dtype) == "int64"
    assert frame[SEGMENT_KEYS].isna().all().all()
    assert frame["participants"].tolist() == split.frame["participants"].tolist()
    assert split.frame["participants"].tolist() == split.frame[SEGMENT_KEYS].sum(axis=1).astype("int64").tolist()


def _assert_same_summary(actual: ProvinceSummary, expected: ProvinceSummary) -> None:
    """Field by field, a NaN (no previous month) equal to a NaN."""
    for name, value in dataclasses.asdict(expected).items():
        got = getattr(actual, name)
        assert got == value or (isinstance(value, float) and math.isnan(value) and math.isnan(got)), name


def test_the_indicators_of_a_totals_only_dataset_equal_those_of_the_split_dataset(totals, split):
    for period in split.periods:
        of_split, of_totals = region_indicators(split, period), region_indicators(totals, period)
        assert of_totals[SEGMENT_KEYS].isna().all().all()
        pd.testing.assert_frame_equal(of_totals.drop(columns=SEGMENT_KEYS), of_split.drop(columns=SEGMENT_KEYS))
        summary_of_split, summary_of_totals = province_summary(split, period), province_summary(totals, period)
        assert summary_of_totals.segments is None
        assert summary_of_split.segments is not None
        _assert_same_summary(dataclasses.replace(summary_of_totals, segments=summary_of_split.segments),
                             summary_of_split)
    series_of_totals, series_of_split = region_series(totals), region_series(split)
    pd.testing.assert_frame_equal(series_of_totals.drop(columns=SEGMENT_KEYS),
                                  series_of_split.drop(columns=SEGMENT_KEYS))


def test_months_with_and_without_a_split_load_together(split):
    """September split by segment, October with its total only: the split is unknown for October alone."""
    records = [r for r in _demo_records() if r["Periode"] in ("2024-09", OCTOBER)]
    cells = [[r["Periode"], r["Wilayah"], r["Pekerja Potensial"], _total(r),
              *((r[h] for h in SEGMENT_HEADERS) if r["Periode"] == "2024-09" else ("",) * 4), r["Target (%)"], ""]
             for r in records]
    data = _loaded("dua_bulan.csv", csv_bytes(cells, headers=BOTH_HEADERS))
    months = data.frame.set_index("period")
    assert months.loc["2024-09", SEGMENT_KEYS].notna().all().all()
    assert months.loc[OCTOBER, SEGMENT_KEYS].isna().all().all()
    assert province_summary(data, "2024-09").segments == province_summary(split, "2024-09").segments
    assert province_summary(data, OCTOBER).segments is None
    assert province_summary(data, OCTOBER).participants == province_summary(split, OCTOBER).participants


def test_a_total_that_agrees_with_its_segments_loads_with_the_split():
    cells = row()
    data = _loaded("c.csv", csv_bytes([[*cells[:3], "17000", *cells[3:]]], headers=BOTH_HEADERS))
    assert data.frame.loc[0, ["participants", *SEGMENT_KEYS]].tolist() == [17000, 10000, 5000, 2000, 0]


# --- errors ----------------------------------------------------------------------------------------------------------


def test_a_total_that_disagrees_with_its_segments_is_an_error_naming_row_column_and_sum():
    cells = row()  # segments 10000 + 5000 + 2000 + 0 = 17000
    rows = [[*cells[:3], "17000", *cells[3:]], [*row(region="Lebong")[:3], "18.500", *row(region="Lebong")[3:]]]
    problem = _only_error("c.csv", csv_bytes(rows, headers=BOTH_HEADERS))
    assert (problem.code, problem.row, problem.column, problem.value) == (
        "value.participants_mismatch", 3, "Jumlah Peserta", "18.500")  # the cell as the file wrote it
    assert problem.message("id") == (
        "'Jumlah Peserta' berisi 18.500, tetapi jumlah segmen "
        "(Peserta PU + Peserta BPU + Peserta Jakon + Peserta PMI) adalah 17.000.")
    assert "18,500" in problem.message("en") and "17,000" in problem.message("en")
    assert "'Jumlah Peserta'" in problem.fix("id")


@pytest.mark.parametrize("total", ["17000", ""], ids=["with_total", "without_total"])
def test_only_some_segments_is_a_partial_split_naming_the_empty_ones(total):
    cells = row(jakon="", pmi="")
    problem = _only_error("c.csv", csv_bytes([[*cells[:3], total, *cells[3:]]], headers=BOTH_HEADERS))
    assert (problem.code, problem.row, problem.column) == ("value.segments_partial", 2, "Peserta Jakon, Peserta PMI")
    assert problem.message("en") == "Incomplete segment split; empty: Peserta Jakon, Peserta PMI."
    assert "'Jumlah Peserta'" in problem.fix("en")


def test_a_file_without_one_segment_column_is_a_partial_split_on_every_row():
    headers = [h for h in HEADERS if h != "Peserta BPU"]
    rows = [[cell for header, cell in zip(HEADERS, row(region=name)) if header != "Peserta BPU"]
            for name in ("Kaur", "Lebong")]
    result = load_dataset("c.csv", csv_bytes(rows, headers=headers))
    assert result.data is None
    assert [(p.code, p.row, p.column) for p in result.errors] == [
        ("value.segments_partial", 2, "Peserta BPU"), ("value.segments_partial", 3, "Peserta BPU")]


def test_a_row_without_total_or_segments_is_an_error_naming_both():
    cells = row(pu="", bpu="", jakon="", pmi="")
    problem = _only_error("c.csv", csv_bytes([[*cells[:3], "", *cells[3:]]], headers=BOTH_HEADERS))
    assert (problem.code, problem.row, problem.column) == ("value.participants_missing", 2, "Jumlah Peserta")
    assert problem.message("id") == (
        "Jumlah peserta aktif tidak diisi: 'Jumlah Peserta' maupun segmen "
        "(Peserta PU + Peserta BPU + Peserta Jakon + Peserta PMI) kosong.")


def test_a_file_with_no_participant_column_at_all_is_an_error_at_every_row():
    headers = ["Periode", "Wilayah", "Pekerja Potensial"]
    result = load_dataset("c.csv", csv_bytes([["2024-10", "Kaur", "50000"], ["2024-10", "Lebong", "40000"]],
                                             headers=headers))
    assert result.data is None
    assert [(p.code, p.row, p.column) for p in result.errors] == [
        ("value.participants_missing", 2, "Jumlah Peserta"), ("value.participants_missing", 3, "Jumlah Peserta")]


def test_a_total_that_is_not_a_number_is_reported_in_its_column():
    problem = _only_error("c.csv", csv_bytes([["2024-10", "Kaur", "50000", "banyak", "39", ""]],
                                             headers=TOTALS_HEADERS))
    assert (problem.code, problem.row, problem.column, problem.value) == (
        "value.not_number", 2, "Jumlah Peserta", "banyak")


def test_a_total_above_the_potential_workers_names_the_total_column():
    problem = _only_error("c.csv", csv_bytes([["2024-10", "Kaur", "50000", "60000", "39", ""]],
                                             headers=TOTALS_HEADERS))
    assert (problem.code, problem.row, problem.column) == ("value.participants_exceed", 2, "Jumlah Peserta")


def test_a_jump_in_the_total_is_warned_about_in_the_total_column():
    rows = [["2024-09", "Kaur", "50000", "10000", "39", ""], ["2024-10", "Kaur", "50000", "20000", "39", ""]]
    result = load_dataset("c.csv", csv_bytes(rows, headers=TOTALS_HEADERS))
    jumps = [p for p in result.warnings if p.code == "coverage.jump"]
    assert [(p.row, p.column, p.params["current"]) for p in jumps] == [(3, "Jumlah Peserta", 20000)]


# --- what is shown and downloaded ------------------------------------------------------------------------------


@pytest.mark.parametrize("export", [exports.data_csv, exports.data_xlsx], ids=["csv", "xlsx"])
def test_the_data_download_writes_the_total_and_no_segments_and_loads_again(totals, export):
    again = _loaded("unduhan", export(totals))
    pd.testing.assert_frame_equal(again.frame, totals.frame)


def test_the_data_csv_leaves_unknown_segments_empty(totals):
    records = list(csv.DictReader(io.StringIO(exports.data_csv(totals).decode("utf-8-sig"), newline=""),
                                  delimiter=";"))
    assert list(records[0])[:8] == BOTH_HEADERS[:8]
    assert [int(r["Jumlah Peserta"]) for r in records] == totals.frame["participants"].tolist()
    assert {r[header] for r in records for header in SEGMENT_HEADERS} == {""}


def test_the_segment_chart_leaves_out_regions_without_a_split_and_names_them(split):
    indicators = region_indicators(split, OCTOBER)
    kaur_unknown = indicators.assign(**{key: np.where(indicators["region_name"] == "Kaur", np.nan, indicators[key])
                                        for key in SEGMENT_KEYS})
    spec = build_segment_chart(kaur_unknown, "id").to_dict()
    (dataset,) = spec["datasets"].values()
    assert "Kaur" not in {record["region"] for record in dataset}
    assert len({record["region"] for record in dataset}) == len(indicators) - 1
    assert spec["title"]["text"] == "Rincian segmen tidak tersedia untuk Kaur"
    assert "title" not in build_segment_chart(indicators, "id").to_dict()


def test_the_segment_chart_names_at_most_five_regions_it_leaves_out(totals):
    spec = build_segment_chart(region_indicators(totals, OCTOBER), "en").to_dict()
    assert spec["title"]["text"].startswith("Segment split not available for ")
    assert spec["title"]["text"].endswith(" (+5)")
    assert list(spec["datasets"].values()) == [[]]


def test_the_region_table_shows_unknown_segments_as_missing(totals):
    table = tables.region_detail_table(region_series(totals), "17.07", national_rate=0.39, lang="id")
    shown = tables.shown(table, "id")
    assert set(shown[["PU", "BPU", "Jakon", "PMI"]].to_numpy().ravel()) == {fmt.MISSING}
    assert fmt.MISSING not in set(shown["Peserta aktif"])


def test_a_totals_only_month_laid_over_the_split_demo_keeps_the_other_months_split(split):
    october = _loaded("rekap_oktober.csv", _totals_csv([r for r in _demo_records() if r["Periode"] == OCTOBER]))
    update = merge_months(split, october)
    merged = update.result.data
    assert merged is not None, [(p.code, p.row, p.column) for p in update.result.errors]
    is_october = merged.frame["period"] == OCTOBER
    assert merged.frame.loc[is_october, SEGMENT_KEYS].isna().all().all()
    pd.testing.assert_frame_equal(merged.frame[~is_october].reset_index(drop=True),
                                  split.frame[split.frame["period"] != OCTOBER].reset_index(drop=True))
    pd.testing.assert_frame_equal(province_series(merged), province_series(split))
    # October's four segments became unknown in every region; no total changed.
    assert update.diff is not None and update.diff.changed_values == 4 * int(is_october.sum())
