"""An editor's column mapping in the loader and the store: a column the loader does not know is mapped once, and
files of the same header shape then load with it; a version is read back with the month and mapping it needed."""

from __future__ import annotations

import csv
import io

import pandas as pd

from monev.column_mapping import IGNORE, header_key
from monev.dataset import LoadOptions, load_dataset, load_demo, to_file_rows
from monev.store import Store
from tests.users import editor

HEADER = ["Periode", "Kab. Tk II", "Pekerja Potensial", "Jumlah Peserta", "Jml Desa"]


def _file(header: list[str] = HEADER, with_period: bool = True) -> bytes:
    rows = to_file_rows(load_demo())
    october = rows[rows["Periode"] == "2024-10"]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(header if with_period else header[1:])
    for record in october.itertuples(index=False):
        cells = [record[0], record[1], record[2], record[3], 12]
        writer.writerow(cells if with_period else cells[1:])
    return out.getvalue().encode("utf-8")


def test_an_unknown_region_column_is_laid_out_for_mapping_then_loads_with_the_mapping():
    unmapped = load_dataset("rekap.csv", _file())
    assert unmapped.data is None
    assert {p.code for p in unmapped.errors} == {"column.missing"}
    (sheet,) = unmapped.layout.sheets
    assert sheet.unmapped_columns == ("Kab. Tk II", "Jml Desa") and not sheet.mapped
    assert unmapped.layout.skipped_sheets == ()  # the sheet laid out for mapping is not also listed as skipped
    mapping = {header_key("Kab. Tk II"): "region", header_key("Jml Desa"): IGNORE}

    mapped = load_dataset("rekap.csv", _file(), mappings={sheet.shape: mapping})
    assert mapped.ok, [(p.code, p.column) for p in mapped.errors]
    assert not [p for p in mapped.warnings if p.code == "column.unknown"]  # the ignored column says nothing
    (laid_out,) = mapped.layout.sheets
    assert laid_out.mapped and laid_out.unmapped_columns == () and "Jml Desa" in laid_out.ignored_columns
    assert mapped.options == LoadOptions(None, {sheet.shape: mapping})
    demo = load_demo().frame
    october = demo[demo["period"] == "2024-10"].reset_index(drop=True)
    pd.testing.assert_series_equal(mapped.data.frame["participants"], october["participants"])


def test_a_mapping_is_used_only_for_files_of_its_shape():
    shape = load_dataset("rekap.csv", _file()).layout.sheets[0].shape
    other = load_dataset("rekap.csv", _file(header=[*HEADER[:4], "Jumlah Desa"]),
                         mappings={shape: {header_key("Kab. Tk II"): "region"}})
    assert other.data is None and not other.layout.sheets[0].mapped


def test_the_same_bytes_with_a_mapping_or_a_given_month_are_other_data():
    shape = load_dataset("rekap.csv", _file()).layout.sheets[0].shape
    mapping = {shape: {header_key("Kab. Tk II"): "region", header_key("Jml Desa"): IGNORE}}
    first = load_dataset("rekap.csv", _file(), mappings=mapping)
    also = load_dataset("rekap.csv", _file(), mappings={**mapping, "0" * 64: {"x": "note"}})
    assert first.data.checksum == also.data.checksum  # only what the file used counts
    no_month = load_dataset("rekap.csv", _file(with_period=False), mappings={
        load_dataset("rekap.csv", _file(with_period=False)).layout.sheets[0].shape: mapping[shape]}, period="2024-10")
    assert no_month.ok and no_month.options.period == "2024-10"
    assert no_month.data.checksum != first.data.checksum


def test_a_version_is_read_back_with_the_month_and_mapping_it_needed(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'monev.sqlite3'}")
    store.migrate()
    content = _file(with_period=False)
    shape = load_dataset("rekap.csv", content).layout.sheets[0].shape
    result = load_dataset("rekap.csv", content, period="2024-10",
                          mappings={shape: {header_key("Kab. Tk II"): "region", header_key("Jml Desa"): IGNORE}})
    assert result.ok
    version = store.add_dataset_version(result.data, content, file_name="rekap.csv", actor=editor("ani"),
                                        options=result.options)
    again = store.load_version(version.id)
    assert again.checksum == result.data.checksum == version.checksum
    pd.testing.assert_frame_equal(again.frame, result.data.frame)


def test_load_options_survive_json_and_ignore_what_is_malformed():
    options = LoadOptions("2024-10", {"s" * 64: {"kab_tk_ii": "region"}})
    assert LoadOptions.from_json(options.to_json()) == options
    assert LoadOptions.from_json(None) == LoadOptions()
    assert LoadOptions.from_json({"period": 3, "mappings": {"x": "not a mapping"}}) == LoadOptions()
