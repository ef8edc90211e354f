"""Rebuild data/demo_target_groups.csv, the target-group demo dataset, deterministically.

Run: python scripts/build_group_demo_data.py. data/README.md lists every reported row with its source; tests check
that the committed file is exactly what this script writes.

Reported figures reproduced exactly (one period, November 2024, the Monev's month):
- province (region "17"): vulnerable workers eligible 114,883, protected by the provincial budget 39,487;
- KPU ad hoc staff of the Pilkada 2024 per regency (36,386 in all), 30,872 of them not yet protected, Bengkulu Utara
  fully covered;
- the regencies' programmes: Rejang Lebong 10,000 vulnerable workers + 2,800 non-ASN; Mukomuko 2,329 non-ASN and
  1,500 vulnerable workers + 670 mosque staff; Kepahiang 1,984 vulnerable workers; Bengkulu Utara 16,000 plantation
  workers.
Everything else is *ilustrasi*, and its Keterangan says so.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from monev.group_dataset import DEMO_GROUPS_PATH, TEMPLATE_HEADERS  # noqa: E402
from monev.regions import load_registry  # noqa: E402

PERIOD = "2024-11"
PROVINCE = "17"
PROVINCE_VULNERABLE_ELIGIBLE = 114_883
PROVINCE_VULNERABLE_PROTECTED = 39_487
# KPU ad hoc staff of the Pilkada 2024 per regency (satujuang.com) and the province's unprotected total (betv.disway).
KPU_AD_HOC = {
    "17.02": 5_060, "17.03": 4_999, "17.05": 4_690, "17.04": 4_276, "17.71": 3_858,
    "17.08": 3_322, "17.09": 2_899, "17.01": 2_839, "17.07": 2_815, "17.06": 1_628,
}
KPU_AD_HOC_TOTAL = 36_386
KPU_AD_HOC_UNPROTECTED = 30_872
FULLY_COVERED = "17.03"  # Bengkulu Utara
# Bengkulu Selatan protected only its PPK and PPS: the rest of the registered 5,514 (36,386 − 30,872 − Bengkulu
# Utara's 4,999 = 515) is put there. The split into bodies is ilustrasi: 11 kecamatan × 5 PPK, 158 villages × 3 PPS,
# 288 polling stations × 7 KPPS + 1 Pantarlih (about 8 per station), adding up to the reported 2,839.
BENGKULU_SELATAN_BODIES = {"ppk": (55, 55), "pps": (474, 460), "kpps": (2_016, 0), "pantarlih": (294, 0)}
AD_HOC_MONTHS = {"ppk": 3, "pps": 3, "kpps": 1, "pantarlih": 1}

SATUJUANG = "satujuang.com"
BETV = "betv.disway 53032"


def _row(region: str, group: str, eligible: int, registered: int, note: str, *, subgroup: str = "",
         funder: str = "", months: int | None = None) -> dict[str, object]:
    registry = load_registry()
    name = f"Provinsi {registry.province_name}" if region == PROVINCE else registry.get(region).official_name
    return dict(zip(TEMPLATE_HEADERS, (
        PERIOD, region, name, group, subgroup, eligible, registered, funder,
        "" if months is None else months, note, "tidak")))


def province_rows() -> list[dict[str, object]]:
    return [
        _row(PROVINCE, "pekerja_rentan", PROVINCE_VULNERABLE_ELIGIBLE, PROVINCE_VULNERABLE_PROTECTED,
             "dilaporkan: terdata 114.883 (harianbengkuluekspress 22834, Monev 20/11/2024); dilindungi APBD Provinsi "
             "39.487 pada 2024 (harianrakyatbengkulu amp/21350)", funder="apbd_provinsi", months=12),
        _row(PROVINCE, "non_asn", 4_100, 4_100, "ilustrasi", funder="apbd_provinsi", months=12),
        _row(PROVINCE, "jakon", 1_800, 1_650, "ilustrasi", funder="pemberi_kerja"),
        _row(PROVINCE, "bumd", 420, 380, "ilustrasi", funder="pemberi_kerja"),
    ]


def ad_hoc_rows() -> list[dict[str, object]]:
    registered_elsewhere = KPU_AD_HOC_TOTAL - KPU_AD_HOC_UNPROTECTED - KPU_AD_HOC[FULLY_COVERED]
    assert sum(KPU_AD_HOC.values()) == KPU_AD_HOC_TOTAL
    assert sum(registered for _, registered in BENGKULU_SELATAN_BODIES.values()) == registered_elsewhere
    assert sum(eligible for eligible, _ in BENGKULU_SELATAN_BODIES.values()) == KPU_AD_HOC["17.01"]
    rows = []
    for region, count in KPU_AD_HOC.items():
        reported = f"badan ad hoc KPU Pilkada 2024: {count:,} dilaporkan ({SATUJUANG})".replace(",", ".")
        if region == FULLY_COVERED:
            rows.append(_row(region, "adhoc_pemilu", count, count,
                             f"{reported}; seluruhnya terlindungi dilaporkan ({BETV})"))
        elif region == "17.01":
            for body, (eligible, registered) in BENGKULU_SELATAN_BODIES.items():
                rows.append(_row(region, "adhoc_pemilu", eligible, registered,
                                 f"{reported} untuk semua badan; hanya PPK dan PPS terlindungi ({BETV}); "
                                 "pembagian per badan: ilustrasi", subgroup=body.upper(),
                                 months=AD_HOC_MONTHS[body] if registered else None))
        else:
            rows.append(_row(region, "adhoc_pemilu", count, 0,
                             f"{reported}; terlindungi 0: ilustrasi (provinsi: 30.872 belum terlindungi, {BETV})"))
    return rows


def regency_programme_rows() -> list[dict[str, object]]:
    return [
        _row("17.02", "pekerja_rentan", 14_000, 10_000, "terdaftar 10.000 dilaporkan, sejak Nov 2023 "
             "(bengkulu.antaranews 324093); terdata: ilustrasi", funder="apbd_kabkota", months=12),
        _row("17.02", "non_asn", 3_400, 2_800, "terdaftar 2.800 dilaporkan (bengkulu.antaranews 324093); "
             "terdata: ilustrasi", funder="apbd_kabkota", months=12),
        _row("17.06", "pekerja_rentan", 6_000, 2_170, "terdaftar 1.500 pekerja rentan + 670 pengurus masjid "
             "dilaporkan (radarmukomuko 656301); terdata: ilustrasi", funder="apbd_kabkota", months=12),
        _row("17.06", "non_asn", 2_600, 2_329, "terdaftar 2.329 dilaporkan (radarmukomuko 656301); terdata: ilustrasi",
             funder="apbd_kabkota", months=12),
        _row("17.08", "pekerja_rentan", 5_000, 1_984, "terdaftar 1.984 dilaporkan, didanai mulai Okt 2025 sekitar "
             "Rp100 juta per 3 bulan (tribun bengkulu 89164); waktu dan terdata: ilustrasi",
             funder="apbd_kabkota", months=3),
        _row("17.03", "pekerja_rentan", 22_000, 16_000, "16.000 pekerja perkebunan dianggarkan 2025 dari DBH sawit "
             "dilaporkan (repoeblik); waktu dan terdata: ilustrasi", funder="apbd_kabkota", months=12),
        _row("17.71", "non_asn", 3_200, 2_100, "ilustrasi", funder="apbd_kabkota", months=12),
    ]


# Village officials (heads, staff, BPD), illustrative: about 14 people per village, an illustrative share covered.
ILLUSTRATIVE_VILLAGE_OFFICIALS = {
    "17.01": (1_988, 1_410), "17.02": (1_708, 1_520), "17.03": (3_010, 2_150), "17.04": (2_688, 2_420),
    "17.05": (2_548, 1_330), "17.06": (2_072, 1_860), "17.07": (1_302, 540), "17.08": (1_470, 1_010),
    "17.09": (1_988, 1_120),
}


def village_rows() -> list[dict[str, object]]:
    return [_row(region, "aparatur_desa", eligible, registered, "ilustrasi", funder="apbdes", months=12)
            for region, (eligible, registered) in ILLUSTRATIVE_VILLAGE_OFFICIALS.items()]


def demo_rows() -> list[dict[str, object]]:
    return [*province_rows(), *ad_hoc_rows(), *regency_programme_rows(), *village_rows()]


def render_csv() -> str:
    return pd.DataFrame(demo_rows(), columns=TEMPLATE_HEADERS).to_csv(index=False, lineterminator="\n")


if __name__ == "__main__":
    DEMO_GROUPS_PATH.write_text(render_csv(), encoding="utf-8")
    print(f"wrote {DEMO_GROUPS_PATH.relative_to(ROOT)}")
