"""Hostile and broken files against the loader, one row per attack, each with its exact expected outcome.

An outcome is either the set of error codes the file is rejected with (nothing is loaded), or "loaded" with a check
of what was kept. Whatever the file, the answer is a report in words, never an exception.
"""

from __future__ import annotations

import csv
import io
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from monev.dataset import DEMO_PATH, LoadResult, load_dataset, load_demo
from monev.exports import data_csv, data_xlsx
from monev.spreadsheet import MAX_DATA_ROWS, MAX_FILE_BYTES

DEMO_ROWS = list(csv.reader(io.StringIO(DEMO_PATH.read_text(encoding="utf-8"))))
HEADER, OCTOBER = DEMO_ROWS[0], [row for row in DEMO_ROWS[1:] if row[0] == "2024-10"]
LEBONG_ROW = next(index for index, row in enumerate(OCTOBER) if row[1] == "Kabupaten Lebong")
CELL = {name: index for index, name in enumerate(HEADER)}


def csv_of(rows: list[list[str]], *, encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return text.getvalue().encode(encoding)


def october(*, delimiter: str = ",", **replace: str) -> bytes:
    """The demo's October 2024 as a CSV, with some cells of Lebong's row replaced (column header -> text)."""
    rows = [list(row) for row in OCTOBER]
    for column, value in replace.items():
        rows[LEBONG_ROW][CELL[column]] = value
    return csv_of([HEADER, *rows], delimiter=delimiter)


def lebong(column: str, value: str) -> bytes:
    return october(**{column: value})


def valid_xlsx() -> bytes:
    return data_xlsx(load_demo())


def xlsx_with(member: str, content: bytes) -> bytes:
    """The demo workbook with one member replaced (e.g. the data sheet's XML)."""
    source = zipfile.ZipFile(io.BytesIO(valid_xlsx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, content if info.filename == member else source.read(info.filename))
    return out.getvalue()


def zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


_BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                   + b"".join(b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10)
                              for n in range(1, 10))
                   + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                     b"<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&lol9;</t></is></c></row>"
                     b"</sheetData></worksheet>")


@dataclass(frozen=True)
class Case:
    name: str
    file_name: str
    content: Callable[[], bytes]
    rejected_with: frozenset[str] | None = None  # None: the file loads
    loaded: Callable[[LoadResult], bool] = lambda result: True
    timeout_s: float | None = None


def rejected(*codes: str) -> frozenset[str]:
    return frozenset(codes)


def _lebong_note(result: LoadResult) -> str:
    frame = result.data.frame
    return frame.loc[(frame["region_code"] == "17.07") & (frame["period"] == "2024-10"), "note"].iloc[0]


CASES = [
    # --- what the file is --------------------------------------------------------------------------------------------
    Case("zero bytes", "kosong.csv", lambda: b"", rejected("file.empty")),
    Case("only whitespace", "spasi.csv", lambda: b" \r\n\t\n ", rejected("file.empty")),
    Case("only a UTF-8 BOM", "bom.csv", lambda: b"\xef\xbb\xbf", rejected("file.empty")),
    Case("header and no rows", "judul.csv", lambda: csv_of([HEADER]), rejected("file.no_rows")),
    Case("PDF renamed .csv", "laporan.csv", lambda: b"%PDF-1.7\n1 0 obj<<>>endobj\n", rejected("file.type")),
    Case("PNG renamed .xlsx", "gambar.xlsx", lambda: b"\x89PNG\r\n\x1a\n" + bytes(64), rejected("file.type")),
    Case("legacy .xls (OLE2)", "lama.xls", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512),
         rejected("file.xls")),
    Case("a Word document (zip, not a workbook)", "surat.xlsx",
         lambda: zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}),
         rejected("file.type")),
    Case("random binary with NUL bytes", "acak.csv", lambda: bytes(range(256)) * 8, rejected("file.type")),
    Case("UTF-16 'Unicode Text' export of Excel (tabs)", "unicode.txt",
         lambda: csv_of([HEADER, *OCTOBER], encoding="utf-16", delimiter="\t"),
         loaded=lambda result: len(result.data.frame) == len(OCTOBER)),
    Case("UTF-16 with a broken surrogate", "rusak16.csv", lambda: b"\xff\xfe" + "Periode".encode("utf-16-le")
         + b"\x00\xd8\x41\x00", rejected("file.unreadable")),
    Case("a truncated workbook", "terpotong.xlsx", lambda: valid_xlsx()[:3000], rejected("file.unreadable")),
    Case("CSV cell larger than the CSV parser's field limit", "panjang.csv",
         lambda: csv_of([HEADER, ["2024-10", "A" * 200_000]]), rejected("file.unreadable")),
    Case("NUL byte in a count deep inside a CSV", "nul.csv",
         lambda: october() + b"\n" * 5000 + b"2024-11,Kaur,1\x00,1,1,1,1,,\n", rejected("value.not_number")),
    # --- size and resource limits ------------------------------------------------------------------------------------
    Case("just over the size limit", "besar.csv", lambda: october() + b" " * MAX_FILE_BYTES,
         rejected("file.too_large")),
    Case("50 MB file", "lima_puluh_mb.csv", lambda: b"a" * (50 * 1024 * 1024), rejected("file.too_large")),
    Case("more rows than any coverage file", "baris.csv",
         lambda: csv_of([HEADER, *([["2024-10", "17.07", "1", "0", "0", "0", "0", "", ""]] * (MAX_DATA_ROWS + 1))]),
         rejected("file.too_many_rows")),
    Case("zip bomb: one sheet that unpacks to 120 MB", "bom_zip.xlsx",
         lambda: xlsx_with("xl/worksheets/sheet1.xml", b"<a>" + b"0" * (120 * 1024 * 1024) + b"</a>"),
         rejected("file.xlsx_bomb")),
    Case("zip bomb: 3 000 members", "banyak.xlsx",
         lambda: zip_of({"xl/workbook.xml": b"<workbook/>", **{f"xl/m{n}.xml": b"<a/>" for n in range(3000)}}),
         rejected("file.xlsx_bomb")),
    Case("XML entity expansion (billion laughs) in a sheet", "tawa.xlsx",
         lambda: xlsx_with("xl/worksheets/sheet1.xml", _BILLION_LAUGHS), rejected("file.unreadable")),
    Case("reading slower than the time limit", "lambat.csv", lambda: csv_of([HEADER, *(OCTOBER * 200)]),
         rejected("file.timeout"), timeout_s=0.0),
    # --- what the cells say ------------------------------------------------------------------------------------------
    Case("script tag as a region name", "skrip.csv", lambda: lebong("Wilayah", "<script>alert(1)</script>"),
         rejected("region.unknown")),
    Case("HTML image with onerror as a region name", "gambar.csv",
         lambda: lebong("Wilayah", '<img src=x onerror="alert(1)">'), rejected("region.unknown")),
    Case("right-to-left override in a region name", "rtl.csv", lambda: lebong("Wilayah", "Lebong\u202egnobeL"),
         rejected("region.unknown_suggest")),
    Case("formula as a count", "rumus.csv", lambda: lebong("Peserta BPU", "=1+1"), rejected("value.not_number")),
    Case("formula calling out (DDE) as a count", "dde.csv",
         lambda: lebong("Peserta PU", "=cmd|' /C calc'!A0"), rejected("value.not_number")),
    Case("huge count", "besar_sekali.csv", lambda: lebong("Pekerja Potensial", "9" * 40), rejected("value.too_large")),
    Case("NaN as a count", "nan.csv", lambda: lebong("Peserta BPU", "NaN"), rejected("value.not_number")),
    Case("infinity as a count", "inf.csv", lambda: lebong("Peserta BPU", "inf"), rejected("value.not_number")),
    Case("1e308 as a count", "eksponen.csv", lambda: lebong("Peserta BPU", "1e308"), rejected("value.not_number")),
    Case("negative count", "negatif.csv", lambda: lebong("Peserta PMI", "-5"), rejected("value.negative")),
    Case("more participants than workers", "lebih.csv", lambda: lebong("Peserta PU", "9000000"),
         rejected("value.participants_exceed")),
    Case("target of 1 000 %", "target.csv", lambda: lebong("Target (%)", "1000"), rejected("target.out_of_range")),
    Case("impossible month", "bulan.csv", lambda: lebong("Periode", "2024-13"), rejected("period.invalid")),
    # --- hostile but harmless: loaded, kept as text, neutralised on the way out -------------------------------------
    Case("formula in the free-text note", "catatan.csv",
         lambda: lebong("Keterangan", '=HYPERLINK("http://contoh.invalid","klik")'),
         loaded=lambda result: _lebong_note(result) == '=HYPERLINK("http://contoh.invalid","klik")'
         and "'=HYPERLINK" in data_csv(result.data).decode("utf-8-sig")),
    Case("script tag in the free-text note", "catatan_skrip.csv",
         lambda: lebong("Keterangan", "<script>alert(1)</script>"),
         loaded=lambda result: _lebong_note(result) == "<script>alert(1)</script>"),
    Case("Windows-1252 text with a BOM-less header", "ansi.csv",
         lambda: lebong("Keterangan", "catatan dinas - Mukomuko").decode().replace("- Mukomuko", "\u2013 Muko")
         .encode("cp1252"), loaded=lambda result: _lebong_note(result) == "catatan dinas \u2013 Muko"),
    Case("UTF-8 with BOM and semicolons", "bom_titik_koma.csv",
         lambda: b"\xef\xbb\xbf" + october(delimiter=";"),
         loaded=lambda result: len(result.data.frame) == len(OCTOBER)),
    Case("workbook claiming a sheet size of A1:XFD1048576", "dimensi.xlsx",
         lambda: _claiming_huge_dimension(), loaded=lambda result: len(result.data.frame) == 100),
]


def _claiming_huge_dimension() -> bytes:
    workbook = zipfile.ZipFile(io.BytesIO(valid_xlsx()))
    sheet = workbook.read("xl/worksheets/sheet1.xml")
    start = sheet.index(b"<dimension ref=\"")
    end = sheet.index(b"/>", start)
    return xlsx_with("xl/worksheets/sheet1.xml", sheet[:start] + b'<dimension ref="A1:XFD1048576"' + sheet[end:])


def test_there_are_at_least_thirty_hostile_inputs():
    assert len(CASES) >= 30
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_input_gets_its_exact_outcome(case: Case):
    content = case.content()
    started = time.monotonic()
    options = {} if case.timeout_s is None else {"timeout_s": case.timeout_s}
    result = load_dataset(case.file_name, content, **options)
    took = time.monotonic() - started
    assert took < 20, f"{case.name} took {took:.1f} s"
    if case.rejected_with is None:
        assert result.ok, [(p.code, p.row, p.value) for p in result.errors]
        assert case.loaded(result)
        return
    assert result.data is None
    assert {problem.code for problem in result.errors} == case.rejected_with, [
        (p.code, p.row, p.column, p.value) for p in result.errors]
    for problem in result.errors:  # said in words, in both languages, with a fix
        assert problem.message("id") and problem.message("en") and problem.fix("id") and problem.fix("en")
