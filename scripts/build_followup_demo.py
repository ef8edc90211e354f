"""Rebuild data/demo_followup.csv, the demo of a Monev follow-up (*tindak lanjut*), deterministically.

Run: python scripts/build_followup_demo.py. Tests check that the committed file is exactly what this script writes.

Reported (sources in data/README.md): the Monev of Wed 20 November 2024 at Hotel Mercure, Bengkulu (jarrakpos.com),
and the kinds of agreement such meetings end in (cost-sharing, MoU/PKS, drafting a Perbup, registering a group by a
date; domain notes). Everything else — every recommendation, owner, due date, status and change — is *ilustrasi*:
no public template or results of a Monev follow-up exist. The status changes are chosen so that on 15 March 2025
(DEMO_AT) the demo shows open, overdue, done-since-the-meeting and cancelled items.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from monev.followup import (  # noqa: E402
    DEMO_FOLLOWUP_PATH,
    FollowUp,
    Meeting,
    Recommendation,
    StatusChange,
    followup_csv,
)

ILLUSTRATIVE = "ilustrasi: tidak ada templat atau hasil tindak lanjut Monev yang dipublikasikan"
MEETING = Meeting(
    id="MONEV-2024-11-20",
    date=dt.date(2024, 11, 20),
    place="Hotel Mercure Bengkulu",
    participants="BPJS Ketenagakerjaan Bengkulu, Pemerintah Provinsi Bengkulu, pemerintah kabupaten/kota "
                 "se-Provinsi Bengkulu (daftar peserta: ilustrasi)",
)


def _change(status: str, day: dt.date, by: str, note: str = "") -> StatusChange:
    return StatusChange(status, day, by, note)


RECOMMENDATIONS = (
    Recommendation(
        "R1", MEETING.id, "Menyepakati pembagian biaya iuran pekerja rentan antara provinsi dan kabupaten/kota "
        "untuk APBD 2025", ("17",), "Disnakertrans Provinsi Bengkulu", dt.date(2024, 12, 31), "selesai",
        "Berita acara kesepakatan (ilustrasi)", ILLUSTRATIVE,
        (_change("proses", dt.date(2024, 11, 28), "Sekretariat Monev"),
         _change("selesai", dt.date(2024, 12, 20), "Sekretariat Monev", "Kesepakatan ditandatangani (ilustrasi)"))),
    Recommendation(
        "R2", MEETING.id, "Menandatangani PKS dengan BPJS Ketenagakerjaan tentang perlindungan pekerja rentan",
        ("17.07",), "Dinas Tenaga Kerja Kabupaten Lebong", dt.date(2025, 2, 28), "proses", "", ILLUSTRATIVE,
        (_change("proses", dt.date(2025, 1, 10), "Sekretariat Monev", "Draf PKS dibahas (ilustrasi)"),)),
    Recommendation(
        "R3", MEETING.id, "Menyusun rancangan Perbup tentang perlindungan jaminan sosial ketenagakerjaan",
        ("17.05", "17.09"), "Bagian Hukum Setda kabupaten", dt.date(2025, 6, 30), "belum", "", ILLUSTRATIVE),
    Recommendation(
        "R4", MEETING.id, "Mendaftarkan badan ad hoc Pilkada (KPPS) yang belum terlindungi sebelum pemungutan suara",
        ("17.01",), "KPU Kabupaten Bengkulu Selatan", dt.date(2024, 11, 26), "selesai",
        "Daftar peserta terdaftar (ilustrasi)", ILLUSTRATIVE,
        (_change("proses", dt.date(2024, 11, 21), "Sekretariat Monev"),
         _change("selesai", dt.date(2024, 11, 26), "Sekretariat Monev"))),
    Recommendation(
        "R5", MEETING.id, "Mendaftarkan nelayan dan pedagang pasar sebagai pekerja rentan paling lambat 31 Maret 2025",
        ("17.71",), "Dinas Tenaga Kerja Kota Bengkulu", dt.date(2025, 3, 31), "proses", "", ILLUSTRATIVE,
        (_change("proses", dt.date(2025, 2, 3), "Sekretariat Monev"),)),
    Recommendation(
        "R6", MEETING.id, "Mendaftarkan pengawas ad hoc Bawaslu (Panwascam, PKD, PTPS) untuk masa tugas Pilkada",
        ("17",), "Bawaslu Provinsi Bengkulu", dt.date(2024, 12, 15), "batal", "", ILLUSTRATIVE,
        (_change("batal", dt.date(2024, 12, 10), "Sekretariat Monev", "Masa tugas berakhir (ilustrasi)"),)),
    Recommendation(
        "R7", MEETING.id, "Mengalokasikan iuran non-ASN dalam APBD Perubahan",
        ("17.08",), "BPKAD Kabupaten Kepahiang", dt.date(2025, 1, 31), "belum", "", ILLUSTRATIVE),
)
DEMO_AT = dt.date(2025, 3, 15)  # the later date on which the demo shows every kind of item


def demo_followup() -> FollowUp:
    """The demo meeting and its illustrative recommendations."""
    return FollowUp((MEETING,), RECOMMENDATIONS)


if __name__ == "__main__":
    DEMO_FOLLOWUP_PATH.write_bytes(followup_csv(demo_followup()))
    print(f"wrote {DEMO_FOLLOWUP_PATH.relative_to(ROOT)}")
