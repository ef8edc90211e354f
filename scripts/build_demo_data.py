"""Rebuild data/demo/cakupan_bengkulu_2024.csv, the embedded demo dataset, deterministically.

Run: python scripts/build_demo_data.py. data/README.md explains each step; tests check that the committed file
is exactly what this script writes, so the explanation and the data cannot drift apart.

Reported figures it is calibrated to (sources in data/README.md):
- province potential workers 708,000; province active participants 261,814 = PU 142,786 + BPU 82,900 + Jakon 36,128;
- Kaur 75% (highest) and Lebong 17% (lowest) at the November 2024 Monev; province target 39%.
Everything else is *ilustrasi*.
"""

from __future__ import annotations

import csv
import io
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from monev.dataset import COLUMNS_BY_KEY, DEMO_PATH, SEGMENTS  # noqa: E402
from monev.regions import load_registry  # noqa: E402

PROVINCE_POTENTIAL_WORKERS = 708_000
SEGMENT_TOTALS = {"pu": 142_786, "bpu": 82_900, "jakon": 36_128, "pmi": 0}
REPORTED_RATES = {"17.04": 0.75, "17.07": 0.17}
PROVINCE_TARGET_PCT = 39
FIRST_MONTH, LAST_MONTH, YEAR = 1, 10, 2024

# Illustrative relative coverage levels of the other regions, before scaling to the reported province total.
ILLUSTRATIVE_RATE_GUESS = {
    "17.01": 0.37, "17.02": 0.42, "17.03": 0.31, "17.05": 0.26,
    "17.06": 0.40, "17.08": 0.29, "17.09": 0.27, "17.71": 0.47,
}
# Illustrative segment mix (PU, BPU, Jakon) per region before fitting to the reported province mix.
ILLUSTRATIVE_MIX = {
    "17.01": (0.52, 0.34, 0.14), "17.02": (0.45, 0.42, 0.13), "17.03": (0.58, 0.27, 0.15),
    "17.04": (0.40, 0.47, 0.13), "17.05": (0.50, 0.35, 0.15), "17.06": (0.55, 0.32, 0.13),
    "17.07": (0.45, 0.38, 0.17), "17.08": (0.48, 0.38, 0.14), "17.09": (0.52, 0.32, 0.16),
    "17.71": (0.66, 0.20, 0.14),
}
# Illustrative share of October's participants not yet enrolled in January, per region.
ILLUSTRATIVE_GROWTH = {
    "17.01": 0.17, "17.02": 0.13, "17.03": 0.20, "17.04": 0.22, "17.05": 0.19,
    "17.06": 0.16, "17.07": 0.15, "17.08": 0.18, "17.09": 0.21, "17.71": 0.11,
}
# BPU (programme-funded informal workers) grew faster than wage earners during 2024.
SEGMENT_GROWTH_WEIGHT = {"pu": 0.6, "bpu": 1.6, "jakon": 1.0, "pmi": 1.0}


def largest_remainder(weights: dict[str, float], total: int) -> dict[str, int]:
    """Integers proportional to ``weights`` that add up to exactly ``total``."""
    weight_sum = sum(weights.values())
    exact = {key: total * weight / weight_sum for key, weight in weights.items()}
    result = {key: math.floor(value) for key, value in exact.items()}
    by_remainder = sorted(exact, key=lambda key: exact[key] - result[key], reverse=True)
    for key in by_remainder[: total - sum(result.values())]:
        result[key] += 1
    return result


def october_participants(potential: dict[str, int]) -> dict[str, int]:
    reported = {code: round(rate * potential[code]) for code, rate in REPORTED_RATES.items()}
    rest = sum(SEGMENT_TOTALS.values()) - sum(reported.values())
    guesses = {code: ILLUSTRATIVE_RATE_GUESS[code] * potential[code] for code in ILLUSTRATIVE_RATE_GUESS}
    return {**reported, **largest_remainder(guesses, rest)}


def october_segments(participants: dict[str, int]) -> dict[str, dict[str, int]]:
    """Split each region's total into PU/BPU/Jakon so that the province totals are exactly the reported ones."""
    shares = {code: dict(zip(("pu", "bpu", "jakon"), ILLUSTRATIVE_MIX[code])) for code in participants}
    for _ in range(50):  # iterative proportional fitting to both the region and the segment totals
        for segment in ("pu", "bpu", "jakon"):
            column = sum(participants[c] * shares[c][segment] for c in participants)
            for code in participants:
                shares[code][segment] *= SEGMENT_TOTALS[segment] / column
        for code in participants:
            row = sum(shares[code].values())
            shares[code] = {segment: share / row for segment, share in shares[code].items()}
    split = {code: {s: round(participants[code] * shares[code][s]) for s in ("pu", "bpu")} for code in participants}
    largest = max(participants, key=participants.get)
    for segment in ("pu", "bpu"):  # rounding leftovers go to the largest region
        split[largest][segment] += SEGMENT_TOTALS[segment] - sum(split[c][segment] for c in participants)
    for code in participants:
        split[code]["jakon"] = participants[code] - split[code]["pu"] - split[code]["bpu"]
        split[code]["pmi"] = 0
    return split


def monthly_rows() -> list[dict[str, object]]:
    registry = load_registry()
    potential = largest_remainder({r.code: r.population for r in registry.regions}, PROVINCE_POTENTIAL_WORKERS)
    october = october_segments(october_participants(potential))
    rows = []
    for month in range(FIRST_MONTH, LAST_MONTH + 1):
        months_before_october = LAST_MONTH - month
        for region in registry.regions:
            code = region.code
            counts = {
                segment: round(october[code][segment] * (1 - ILLUSTRATIVE_GROWTH[code] * SEGMENT_GROWTH_WEIGHT[segment]
                                                          * months_before_october / (LAST_MONTH - FIRST_MONTH)))
                for segment in SEGMENTS
            }
            reported = month == LAST_MONTH and code in REPORTED_RATES
            note = (f"cakupan {round(REPORTED_RATES[code] * 100)}% dilaporkan (Monev 20/11/2024); jumlah: ilustrasi"
                    if reported else "ilustrasi")
            rows.append({
                COLUMNS_BY_KEY["period"].header: f"{YEAR}-{month:02d}",
                COLUMNS_BY_KEY["region"].header: region.official_name,
                COLUMNS_BY_KEY["potential_workers"].header: potential[code],
                **{COLUMNS_BY_KEY[segment].header: counts[segment] for segment in SEGMENTS},
                COLUMNS_BY_KEY["target_rate"].header: PROVINCE_TARGET_PCT,
                COLUMNS_BY_KEY["note"].header: note,
            })
    return rows


def render_csv() -> str:
    rows = monthly_rows()
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


if __name__ == "__main__":
    DEMO_PATH.write_text(render_csv(), encoding="utf-8")
    print(f"wrote {DEMO_PATH.relative_to(ROOT)}")
