"""Downloads in a real browser: the meeting pack and a chart image arrive as valid files."""

from __future__ import annotations

import io
import zipfile

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import StreamlitServer, wait_for_app

pytestmark = pytest.mark.e2e


def test_meeting_pack_download_gives_a_valid_pptx_and_pdf(page: Page, server: StreamlitServer, tmp_path) -> None:
    page.goto(server.url)
    wait_for_app(page)
    page.get_by_text("Bahan paparan Monev (PPTX dan PDF)").click()
    page.get_by_role("button", name="Buat bahan paparan").click()
    expect(page.get_by_text("Bahan paparan siap diunduh.")).to_be_visible(timeout=60_000)

    with page.expect_download(timeout=30_000) as pptx_download:
        page.get_by_role("button", name="PPTX").click()
    pptx = pptx_download.value
    assert pptx.suggested_filename.endswith(".pptx") and "_v1_2024-10" in pptx.suggested_filename
    content = (tmp_path / "pack.pptx")
    pptx.save_as(content)
    with zipfile.ZipFile(content) as archive:  # a PPTX is a zip with the presentation part inside
        assert "ppt/presentation.xml" in archive.namelist()
        slides = [name for name in archive.namelist() if name.startswith("ppt/slides/slide")]
        assert len(slides) >= 8

    with page.expect_download(timeout=30_000) as pdf_download:
        page.get_by_role("button", name="PDF").click()
    pdf = pdf_download.value
    pdf_path = tmp_path / "pack.pdf"
    pdf.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF-")
    assert page.outside_requests == []


def test_a_chart_downloads_as_a_png(page: Page, server: StreamlitServer, tmp_path) -> None:
    page.goto(server.url)
    wait_for_app(page)
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Gambar (PNG)", exact=True).first.click()
    path = tmp_path / "chart.png"
    download.value.save_as(path)
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width = int.from_bytes(data[16:20], "big")
    assert width >= 1600  # presentation resolution
    assert "peringkat" in download.value.suggested_filename and "_v1_2024-10" in download.value.suggested_filename
    assert io.BytesIO(data).getbuffer().nbytes > 10_000


def test_the_map_downloads_as_an_image(page: Page, server: StreamlitServer, tmp_path) -> None:
    page.goto(server.url)
    wait_for_app(page)
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Peta sebagai gambar (PNG)").first.click()
    path = tmp_path / "map.png"
    download.value.save_as(path)
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert int.from_bytes(data[16:20], "big") >= 1200
    assert "_v1_2024-10" in download.value.suggested_filename
