"""Write data/demo_compliance.csv: the demo compliance checklist of Bengkulu.

The entries the news reported carry their source (listed in data/README.md, "Compliance checklist demo"); every other
entry is made up to show the checklist and the scorecard at work and says so: its source is *ilustrasi*.
Run: python scripts/build_compliance_demo.py
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from monev.compliance import Checklist, ComplianceEntry, checklist_csv, read_checklist  # noqa: E402
from monev.regions import DATA_DIR  # noqa: E402

OUT = DATA_DIR / "demo_compliance.csv"
RECORDED_BY = "demo"
RECORDED_AT = dt.date(2025, 12, 1)
ILLUSTRATIVE = "ilustrasi"

# The reported entries, in the file's own columns: read by the same reader as any office's file.
_REPORTED_ROWS = """\
Kode wilayah;Kode butir;Status;Jenis regulasi;Nomor dokumen;Pagu (Rp);Catatan;Sumber
17;regulasi;ada;Surat Edaran;500.15.14.2/3/DKTTRANS/08/2025;;\
SE Gubernur (SERTAKAN): imbauan perlindungan BPJS Ketenagakerjaan bagi pekerja rentan, kepada OPD Pemprov Bengkulu, \
Agustus 2025;\
bengkulunews.co.id/pemprov-bengkulu-terbitkan-surat-edaran-perlindungan-pekerja-rentan, \
reformasinews.com/pemprov-bengkulu-dan-bpjs-ketenagakerjaan-perkuat-perlindungan-pekerja-rentan
17;apbd;ada;;;5000000000;\
Sekitar Rp5 miliar APBD provinsi untuk 39.487 pekerja rentan (2024), realisasi tidak dilaporkan;\
harianrakyatbengkulu amp/21350 (Sep 2024)
17.02;apbd;ada;;;;Membiayai 10.000 pekerja rentan sejak Nov 2023 dan 2.800 non-ASN, pagu tidak dilaporkan;\
bengkulu.antaranews 324093
17.06;apbd;ada;;;;Membiayai 2.329 non-ASN, 670 pegawai masjid, 1.500 pekerja rentan, pagu tidak dilaporkan;\
radarmukomuko 656301
17.08;apbd;ada;;;;\
Sekitar Rp100 juta per triwulan untuk 1.984 pekerja rentan sejak Okt 2025, pagu tahunan tidak dilaporkan;\
tribun bengkulu 89164
17.03;apbd;ada;;;;Dana bagi hasil sawit untuk 16.000 pekerja kebun (2025), pagu tidak dilaporkan;\
repoeblik (BPJSTK Arga Makmur, 2025)
17.03;nphd_adhoc;ada;;;;Badan ad hoc KPU Pilkada 2024 terlindungi seluruhnya;\
betv.disway 53032, satujuang.com (13 Nov 2024)
17.01;nphd_adhoc;sebagian;;;;Pilkada 2024: hanya PPK dan PPS yang terlindungi;\
betv.disway 53032, satujuang.com (13 Nov 2024)
"""


def _reported_entries() -> tuple[ComplianceEntry, ...]:
    result = read_checklist("reported.csv", _REPORTED_ROWS.encode())
    if result.checklist is None:
        raise SystemExit(f"the reported rows do not load: {[p.code for p in result.problems]}")
    return result.checklist.entries


REPORTED = _reported_entries()

# Made up, region by region, so that the matrix and the ranking have something to show: (regulation kind or None,
# RKPD, APBD status, pagu, realisation, MoU, sanctions, innovation).
_ILLUSTRATIVE_ROWS = {
    "17.01": ("perkada", "ada", "ada", 600_000_000, 540_000_000, "ada", "belum", "sebagian"),
    "17.02": ("perda", "ada", None, None, None, "ada", "sebagian", "ada"),
    "17.03": ("perkada", "ada", None, None, None, "ada", "belum", "belum"),
    "17.04": ("surat_edaran", "ada", "ada", 450_000_000, 450_000_000, "ada", "sebagian", "belum"),
    "17.05": (None, "belum", "belum", None, None, "belum", "belum", "belum"),
    "17.06": ("perkada", "ada", None, None, None, "ada", "belum", "sebagian"),
    "17.07": (None, "sebagian", "sebagian", 300_000_000, 90_000_000, "belum", "belum", "belum"),
    "17.08": ("surat_edaran", "ada", None, None, None, "ada", "belum", "belum"),
    "17.09": ("surat_edaran", "sebagian", "ada", 400_000_000, 220_000_000, "ada", "belum", "belum"),
    "17.71": ("perkada", "ada", "ada", 800_000_000, 600_000_000, "ada", "ada", "ada"),
    "17": (None, "ada", None, None, None, "ada", "sebagian", "sebagian"),
}
_MOU_SIGNED = dt.date(2023, 3, 1)
_MOU_EXPIRY = {"17.07": None, "17.05": None, "17.09": dt.date(2025, 2, 28)}  # one agreement has run out


def illustrative_entries(region: str) -> list[ComplianceEntry]:
    """The made-up entries of one region (all marked *ilustrasi*)."""
    kind, rkpd, apbd, pagu, realised, mou, sanctions, innovation = _ILLUSTRATIVE_ROWS[region]
    entries = [ComplianceEntry(region, "regulasi", "ada" if kind else "belum", regulation_kind=kind),
               ComplianceEntry(region, "rkpd", rkpd), ComplianceEntry(region, "sanksi", sanctions),
               ComplianceEntry(region, "inovasi", innovation)]
    if apbd:
        entries.append(ComplianceEntry(region, "apbd", apbd, pagu_idr=pagu, realisation_idr=realised))
    if mou == "ada":
        expiry = _MOU_EXPIRY.get(region, dt.date(2027, 12, 31))
        entries.append(ComplianceEntry(region, "mou_pks", "ada", document_number=f"PKS/{region}/2023",
                                       document_date=_MOU_SIGNED, expiry_date=expiry))
    else:
        entries.append(ComplianceEntry(region, "mou_pks", mou))
    return [_stamped(entry, ILLUSTRATIVE) for entry in entries]


def _stamped(entry: ComplianceEntry, source: str) -> ComplianceEntry:
    return dataclasses.replace(entry, source=source, recorded_by=RECORDED_BY, recorded_at=RECORDED_AT)


def demo_checklist() -> Checklist:
    """The reported entries, and made-up ones wherever nothing was reported."""
    checklist = Checklist(tuple(entry for region in _ILLUSTRATIVE_ROWS for entry in illustrative_entries(region)))
    for entry in REPORTED:
        checklist = checklist.with_entry(_stamped(entry, entry.source))
    return checklist


def main() -> None:
    content = checklist_csv(demo_checklist())
    result = read_checklist(OUT.name, content)
    if result.checklist is None:
        raise SystemExit(f"the demo checklist does not load: {[p.code for p in result.problems]}")
    OUT.write_bytes(content)
    print(f"{OUT}: {len(result.checklist.entries)} entries")


if __name__ == "__main__":
    main()
