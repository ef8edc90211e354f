"""The demo's October 2024 counts read straight from the CSV, so expectations never come from the code under test."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from monev.regions import load_registry

DEMO_CSV = Path(__file__).resolve().parents[2] / "data" / "demo" / "cakupan_bengkulu_2024.csv"
PERIOD = "2024-10"
SEGMENT_HEADERS = ("Peserta PU", "Peserta BPU", "Peserta Jakon", "Peserta PMI")


def demo_rows() -> dict[str, tuple[int, int]]:
    """(potential workers, participants) per region code in October 2024, read from the CSV."""
    table = pd.read_csv(DEMO_CSV, dtype=str)
    code_of = {region.official_name: region.code for region in load_registry().regions}
    result = {}
    for _, row in table[table["Periode"] == PERIOD].iterrows():
        participants = sum(int(row[c]) for c in SEGMENT_HEADERS)
        result[code_of[row["Wilayah"]]] = (int(row["Pekerja Potensial"]), participants)
    return result
