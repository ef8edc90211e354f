"""One data version per story, in a real browser: a scenario saved on version 1 is, once version 2 arrives, shown on
version 2 with the same basis and the same figure by the simulator, the scenarios page, the projector, its shared
link and the meeting pack."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from pptx import Presentation

from tests.e2e.conftest import upload_new_version, wait_for_app
from tests.e2e.test_persistence_in_browser import _save_scenario_with_lebong_target
from tests.streamlit_server import StreamlitServer

pytestmark = pytest.mark.e2e
DEMO_CSV = "data/demo/cakupan_bengkulu_2024.csv"
NAME = "Semua ke nasional"
COVERAGE = "Cakupan provinsi (proyeksi)"
BASIS = "dibuat pada versi 1 (Oktober 2024), dihitung ulang pada versi 2 (Oktober 2024)"


def _october_with_more_participants_in_the_city() -> bytes:
    """October again, with 3.000 more BPU participants in Kota Bengkulu: a region above the national average, which
    the scenario leaves alone, so its projected provincial coverage changes."""
    demo = pd.read_csv(DEMO_CSV, dtype=str)
    october = demo[demo["Periode"] == "2024-10"].copy()
    city = october["Wilayah"] == "Kota Bengkulu"
    october.loc[city, "Peserta BPU"] = (october.loc[city, "Peserta BPU"].astype(int) + 3_000).astype(str)
    return october.to_csv(index=False).encode()


def _new_page(browser: Browser) -> Page:
    return browser.new_context(viewport={"width": 1920, "height": 1080}, locale="id-ID").new_page()


def _shown_kpi(page: Page, label: str) -> Locator:
    """The visible metric named ``label`` (a closed 'original figures' expander holds one of the same name)."""
    return page.get_by_test_id("stMetric").filter(has_text=label).locator("visible=true").first \
        .get_by_test_id("stMetricValue")


def _save_scenario(page: Page, server: StreamlitServer) -> tuple[str, str]:
    """Save 'every region below national up to it' on version 1; its link and its projected coverage."""
    _save_scenario_with_lebong_target(page, server, NAME)
    expect(page.get_by_text("Dasar angka: versi 1, Oktober 2024.")).to_be_visible()
    page.wait_for_function("() => location.search.includes('skenario=')", timeout=10_000)
    return page.url, _shown_kpi(page, COVERAGE).inner_text()


def _upload_version_2(page: Page, server: StreamlitServer) -> None:
    upload_new_version(page, server, _october_with_more_participants_in_the_city(), editor="Penguji",
                       checked="Tambahkan bulan ke data aktif", version=2)


def _pack_text(page: Page, tmp_path) -> str:
    page.get_by_text("Bahan paparan Monev (PPTX dan PDF)").click()
    page.get_by_role("button", name="Buat bahan paparan").click()
    expect(page.get_by_text("Bahan paparan siap diunduh.")).to_be_visible(timeout=90_000)
    with page.expect_download(timeout=30_000) as download:
        page.get_by_role("button", name="PPTX").click()
    path = tmp_path / "pack.pptx"
    download.value.save_as(path)
    texts = []
    for slide in Presentation(str(path)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                texts += [cell.text for row in shape.table.rows for cell in row.cells]
        texts.append(slide.notes_slide.notes_text_frame.text)
    return "\n".join(texts)


def test_a_scenario_says_the_same_basis_and_figure_everywhere_after_new_data(
        browser: Browser, fresh_server: StreamlitServer, tmp_path) -> None:
    author = _new_page(browser)
    link, on_version_1 = _save_scenario(author, fresh_server)
    _upload_version_2(author, fresh_server)

    # The shared link, opened in a new browser: the simulator on version 2.
    shared = _new_page(browser)
    shared.goto(link)
    wait_for_app(shared)
    expect(shared.get_by_text(f"Dasar angka: {BASIS}.")).to_be_visible(timeout=15_000)
    coverage = _shown_kpi(shared, COVERAGE).inner_text()
    assert coverage != on_version_1, "the figures did not follow the new data"
    shared.get_by_text("Angka asli (versi 1, Oktober 2024)").click()
    original = shared.get_by_test_id("stExpander").filter(has_text="Angka asli (versi 1, Oktober 2024)")
    expect(original.get_by_test_id("stMetricValue").first).to_have_text(on_version_1)
    scenario_id = re.search(r"skenario=([0-9a-f]+)", link).group(1)

    # The author's own simulator, reloaded.
    author.goto(link)
    wait_for_app(author)
    expect(author.get_by_text(f"Dasar angka: {BASIS}.")).to_be_visible(timeout=15_000)
    expect(_shown_kpi(author, COVERAGE)).to_have_text(coverage)

    # The scenarios page, with the scenario chosen (the only one).
    scenarios = _new_page(browser)
    scenarios.goto(fresh_server.url + "/skenario")
    wait_for_app(scenarios)
    expect(scenarios.get_by_text(f"Dasar angka: {BASIS}.")).to_be_visible(timeout=15_000)
    expect(_shown_kpi(scenarios, COVERAGE)).to_have_text(coverage)

    # The projector's scenario slide.
    projector = _new_page(browser)
    projector.goto(f"{fresh_server.url}/presentasi?skenario={scenario_id}&slide=6")
    wait_for_app(projector, ready='[data-testid="stMetric"]')
    expect(projector.get_by_text(BASIS)).to_be_visible(timeout=15_000)
    expect(_shown_kpi(projector, COVERAGE)).to_have_text(coverage)

    # The meeting pack, made on the overview with the scenario open.
    overview = _new_page(browser)
    overview.goto(f"{fresh_server.url}/?skenario={scenario_id}")
    wait_for_app(overview)
    text = _pack_text(overview, tmp_path)
    assert BASIS in text
    assert coverage in text
