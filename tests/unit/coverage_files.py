"""Builders of coverage files as officials send them (CSV bytes, XLSX bytes) for the unit tests.

Headers are written out literally, as a person types them, rather than taken from ``monev.dataset``: the tests
check the documented file format, not the code's own constants.
"""

from __future__ import annotations

import csv
import io

from monev.regions import load_registry

HEADERS = [
    "Periode", "Wilayah", "Pekerja Potensial", "Peserta PU", "Peserta BPU", "Peserta Jakon", "Peserta PMI",
    "Target (%)", "Keterangan",
]
# Column positions in HEADERS, to edit one cell of a row by name.
COL = {header: index for index, header in enumerate(HEADERS)}


def row(period: str = "2024-10", region: str = "Kaur", potential: object = 50000, pu: object = 10000,
        bpu: object = 5000, jakon: object = 2000, pmi: object = 0, target: object = 39, note: str = "") -> list[str]:
    """One data row as text cells, valid unless an argument makes it invalid."""
    return [str(v) for v in (period, region, potential, pu, bpu, jakon, pmi, target, note)]


def month_rows(period: str = "2024-10", skip: tuple[str, ...] = (), **overrides: object) -> list[list[str]]:
    """One valid row for every region of the registry in ``period`` (regions written by official name)."""
    return [row(period, region.official_name, **overrides)
            for region in load_registry().regions if region.code not in skip]


def csv_bytes(rows: list[list[str]], headers: list[str] | None = None, delimiter: str = ";",
              encoding: str = "utf-8", leading: str = "") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(HEADERS if headers is None else headers)
    writer.writerows(rows)
    return (leading + buffer.getvalue()).encode(encoding)
