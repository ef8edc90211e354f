"""The meeting pack and the images in it: PPTX opened with python-pptx, PDF text read with pypdf, the static map
read from its Vega-Lite spec and from the SVG that vl-convert draws, PNGs from their header.

Expected numbers are computed here from data/demo/cakupan_bengkulu_2024.csv with the csv module; only their
writing (37,0%, Rp1,7 miliar) uses monev.fmt, which test_fmt covers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import vl_convert
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader

from monev import fmt, i18n
from monev.charts import build_ranking_chart
from monev.dataset import DEMO_PATH, load_dataset
from monev.exports import chart_png
from monev.geo import load_boundaries
from monev.indicators import province_summary
from monev.mapping import build_legend, classify
from monev.regions import load_registry
from monev.report import build_meeting_pack, to_pdf, to_pptx
from monev.scenario import ShownScenario
from monev.sentences import DataOrigin, long_date
from monev.simulation import CostParameters
from monev.simulator_inputs import simulate_inputs
from monev.static_map import build_static_map

ROOT = Path(__file__).resolve().parents[2]
PERIOD = "2024-10"
NATIONAL = 0.39
MEETING = dt.date(2024, 11, 20)
LEBONG_BASIS = "dibuat pada versi 1 (September 2024), dihitung ulang pada versi 2 (Oktober 2024)"
COST_PER_WORKER_YEAR = 16_800 * 12
SEGMENT_HEADERS = ("Peserta PU", "Peserta BPU", "Peserta Jakon", "Peserta PMI")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
REGISTRY = load_registry()
MAX_SECONDS = 15
DEMO_ORIGIN = DataOrigin(DEMO_PATH.name, is_demo=True, version_id=1)


# --- expected numbers, straight from the demo file ---------------------------------------------------------------


def _october() -> dict[str, tuple[int, int]]:
    """Region name as the app shows it -> (participants, potential workers) in October 2024."""
    with DEMO_PATH.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["Periode"] == PERIOD]
    return {row["Wilayah"].removeprefix("Kabupaten "): (sum(int(row[h]) for h in SEGMENT_HEADERS),
                                                         int(row["Pekerja Potensial"])) for row in rows}


def _needed(rate: float, participants: int, potential: int) -> int:
    return max(math.ceil(round(rate * potential, 6)) - participants, 0)


REGIONS = _october()
PARTICIPANTS = sum(p for p, _ in REGIONS.values())
POTENTIAL = sum(w for _, w in REGIONS.values())
LOWEST_THREE = sorted(REGIONS, key=lambda name: REGIONS[name][0] / REGIONS[name][1])[:3]
FOCUS_COSTS = {name: _needed(NATIONAL, *REGIONS[name]) * COST_PER_WORKER_YEAR for name in LOWEST_THREE}
LEBONG_ADDED = _needed(0.30, *REGIONS["Lebong"])
BELOW_NATIONAL = sum(p / w < NATIONAL for p, w in REGIONS.values())


def _normalised(text: str) -> str:
    # PDF text comes out with line breaks wherever a line wrapped.
    return re.sub(r"\s+", " ", text)


def test_the_expected_numbers_are_the_reported_ones():
    # Guards the independent computation above against a silently changed demo file.
    assert (PARTICIPANTS, POTENTIAL) == (261_814, 708_000)
    assert fmt.percent(PARTICIPANTS / POTENTIAL) == "37,0%"
    assert LOWEST_THREE[0] == "Lebong" and len(FOCUS_COSTS) == 3


# --- fixtures ----------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def boundaries():
    shared = ROOT.parent / "shared" / "geo" / "bengkulu_kabkota.geojson"
    assert shared.is_file(), f"{shared} is missing: tests need ../shared/geo beside the checkout"
    result = load_boundaries(env={"MONEV_BOUNDARIES": str(shared)})
    assert result.ok, result.problems
    return result.boundaries


@pytest.fixture(scope="module")
def lebong_scenario(indicators):
    inputs = pd.DataFrame({"region_code": [REGISTRY.match("Lebong").code], "target_pct": [30.0],
                           "additional": [None], "segment": ["bpu"]})
    result, problems = simulate_inputs(indicators, mode="target", inputs=inputs, parameters=CostParameters(),
                                       national_rate=NATIONAL)
    assert problems == []
    return ShownScenario("Lebong 30%", result, LEBONG_BASIS)


@pytest.fixture(scope="module")
def generated(demo, boundaries, lebong_scenario):
    """The demo pack with one scenario, as PPTX and PDF, with the time taken and the progress reported."""
    steps: list[tuple[int, int, str]] = []
    started = time.perf_counter()
    pack = build_meeting_pack(demo, origin=DEMO_ORIGIN, period=PERIOD, lang="id", national_rate=NATIONAL,
                              boundaries=boundaries, scenarios=[lebong_scenario], meeting_date=MEETING,
                              progress=lambda *step: steps.append(step))
    pptx, pdf = to_pptx(pack), to_pdf(pack)
    seconds = time.perf_counter() - started
    print(f"\ndemo meeting pack: {seconds:.2f} s, PPTX {len(pptx) / 1024:.0f} KB, PDF {len(pdf) / 1024:.0f} KB")
    return {"pack": pack, "pptx": pptx, "pdf": pdf, "seconds": seconds, "steps": steps}


@pytest.fixture(scope="module")
def without_scenario(demo, boundaries):
    pack = build_meeting_pack(demo, origin=DEMO_ORIGIN, period=PERIOD, lang="id", national_rate=NATIONAL,
                              boundaries=boundaries, meeting_date=MEETING)
    return {"pack": pack, "pptx": to_pptx(pack), "pdf": to_pdf(pack)}


def _titles(with_scenario: bool, lang: str = "id") -> list[str]:
    province = i18n.t("app.province", lang, province=REGISTRY.province_name)
    kinds = ["kpi", "map", "ranking", "trend", "focus", *(["scenarios"] if with_scenario else [])]
    return [i18n.t("pack.title", lang, province=province), *(i18n.t(f"present.title.{k}", lang) for k in kinds),
            i18n.t("pack.title_summary", lang), i18n.t("present.title.sources", lang)]


def _slide_text(slide) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts += [cell.text for row in shape.table.rows for cell in row.cells]
    return "\n".join(parts)


def _pictures(slide) -> list:
    return [shape for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]


def _key_numbers(with_scenario: bool) -> list[str]:
    numbers = ["37,0%", "39,0%", "261.814", "708.000", fmt.number(PARTICIPANTS), fmt.percent(PARTICIPANTS / POTENTIAL),
               *(fmt.rupiah(cost) for cost in FOCUS_COSTS.values()), fmt.rupiah(sum(FOCUS_COSTS.values())),
               f"{BELOW_NATIONAL} dari 10 wilayah"]
    if with_scenario:
        numbers += [fmt.number(LEBONG_ADDED), fmt.rupiah(LEBONG_ADDED * COST_PER_WORKER_YEAR),
                    fmt.percent((PARTICIPANTS + LEBONG_ADDED) / POTENTIAL)]
    return numbers


# --- PPTX --------------------------------------------------------------------------------------------------------


def test_pptx_has_nine_slides_with_a_scenario_and_eight_without(generated, without_scenario):
    with_one = Presentation(io.BytesIO(generated["pptx"]))
    without = Presentation(io.BytesIO(without_scenario["pptx"]))
    assert len(with_one.slides) == 9
    assert len(without.slides) == 8
    assert [slide.shapes.title.text for slide in with_one.slides] == _titles(True)
    assert [slide.shapes.title.text for slide in without.slides] == _titles(False)
    assert with_one.slide_width * 9 == with_one.slide_height * 16


def test_pptx_chart_slides_carry_one_sharp_picture_each(generated):
    slides = list(Presentation(io.BytesIO(generated["pptx"])).slides)
    by_title = dict(zip(_titles(True), slides))
    for kind in ("map", "ranking", "trend", "scenarios"):
        pictures = _pictures(by_title[i18n.t(f"present.title.{kind}", "id")])
        assert len(pictures) == 1, kind
        image = pictures[0].image
        assert image.content_type == "image/png"
        assert image.size[0] >= 1100  # pixels: presentation resolution, not a thumbnail
    assert sum(len(_pictures(slide)) for slide in slides) == 4


@pytest.mark.parametrize("fixture", ["generated", "without_scenario"])
def test_pptx_text_has_the_key_numbers(request, fixture):
    pack = request.getfixturevalue(fixture)
    text = _normalised("\n".join(_slide_text(s) for s in Presentation(io.BytesIO(pack["pptx"])).slides))
    for number in _key_numbers(fixture == "generated"):
        assert number in text, number


def test_pptx_marks_the_demo_data_on_the_title_slide_and_in_every_slides_notes(generated):
    slides = list(Presentation(io.BytesIO(generated["pptx"])).slides)
    assert "data contoh (ilustrasi)" in _slide_text(slides[0]).lower()
    assert "Rapat: 20 November 2024" in _slide_text(slides[0])
    assert "Periode data: Oktober 2024" in _slide_text(slides[0])
    for slide in slides:
        assert "data contoh" in slide.notes_slide.notes_text_frame.text.lower()
        assert "Data contoh (ilustrasi)" in _slide_text(slide)  # the footer


def test_pptx_focus_slide_shows_the_three_lowest_regions_and_their_cost(generated):
    slides = Presentation(io.BytesIO(generated["pptx"])).slides
    focus = next(s for s in slides if s.shapes.title.text == i18n.t("present.title.focus", "id"))
    table = next(shape.table for shape in focus.shapes if shape.has_table)
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert [row[0] for row in rows[1:]] == LOWEST_THREE
    assert [row[-1] for row in rows[1:]] == [fmt.rupiah(FOCUS_COSTS[name]) for name in LOWEST_THREE]
    assert [row[4] for row in rows[1:]] == [fmt.number(_needed(NATIONAL, *REGIONS[name])) for name in LOWEST_THREE]


def test_pptx_scenario_slide_states_the_scenarios_basis_in_its_table_and_notes(generated):
    slides = Presentation(io.BytesIO(generated["pptx"])).slides
    scenario = next(s for s in slides if s.shapes.title.text == i18n.t("present.title.scenarios", "id"))
    table = next(shape.table for shape in scenario.shapes if shape.has_table)
    rows = {row.cells[0].text: [cell.text for cell in row.cells][1:] for row in table.rows}
    assert rows["Dasar data"] == [LEBONG_BASIS]
    assert f"Lebong 30% ({LEBONG_BASIS}):" in scenario.notes_slide.notes_text_frame.text


def test_summary_has_three_to_five_sentences_with_the_key_numbers(generated, without_scenario):
    summary_title = i18n.t("pack.title_summary", "id")
    with_one = next(s for s in generated["pack"].slides if s.title == summary_title)
    without = next(s for s in without_scenario["pack"].slides if s.title == summary_title)
    assert 3 <= len(without.bullets) < len(with_one.bullets) <= 5
    first = with_one.bullets[0]
    assert "37,0%" in first and "39,0%" in first and "2,0 pp di bawah" in first and "261.814" in first
    assert with_one.bullets[1].startswith(f"{BELOW_NATIONAL} dari 10 wilayah")
    assert fmt.rupiah(sum(FOCUS_COSTS.values())) in with_one.bullets[3]
    assert f"'Lebong 30%' ({LEBONG_BASIS})" in with_one.bullets[4]
    assert fmt.rupiah(LEBONG_ADDED * COST_PER_WORKER_YEAR) in with_one.bullets[4]


def test_progress_is_reported_for_every_slide(generated):
    titles = _titles(True)
    assert generated["steps"] == [(index, len(titles), title) for index, title in enumerate(titles, start=1)]


def test_generation_of_the_demo_pack_takes_seconds(generated):
    assert generated["seconds"] < MAX_SECONDS


def test_english_pack_uses_english_titles_and_number_formats(demo, boundaries):
    pack = build_meeting_pack(demo, origin=DEMO_ORIGIN, period=PERIOD, lang="en", national_rate=NATIONAL,
                              boundaries=boundaries, meeting_date=MEETING)
    presentation = Presentation(io.BytesIO(to_pptx(pack)))
    assert [slide.shapes.title.text for slide in presentation.slides] == _titles(False, "en")
    text = "\n".join(_slide_text(slide) for slide in presentation.slides)
    assert "37.0%" in text and "261,814" in text and "Demo data (illustrative)" in text


@pytest.mark.parametrize(("lang", "written"), [("id", "Rapat: 7 Desember 2026"), ("en", "Meeting: 7 December 2026")])
def test_the_title_slide_and_its_notes_carry_the_chosen_meeting_date(demo, lang, written):
    pack = build_meeting_pack(demo, origin=DEMO_ORIGIN, period=PERIOD, lang=lang, national_rate=NATIONAL,
                              boundaries=None, meeting_date=dt.date(2026, 12, 7))
    title_slide = Presentation(io.BytesIO(to_pptx(pack))).slides[0]
    assert written in _slide_text(title_slide)
    assert written.split(": ")[1] in title_slide.notes_slide.notes_text_frame.text


def test_without_a_meeting_date_the_pack_is_dated_today_in_the_configured_zone(demo, monkeypatch):
    # Kiritimati (UTC+14) is a day ahead of most servers' clocks for much of the day.
    monkeypatch.setenv(fmt.TIMEZONE_ENV, "Pacific/Kiritimati")
    pack = build_meeting_pack(demo, origin=DEMO_ORIGIN, period=PERIOD, lang="id", national_rate=NATIONAL,
                              boundaries=None)
    assert f"Rapat: {long_date(fmt.today(), 'id')}" in pack.slides[0].bullets


def test_pack_of_an_uploaded_dataset_lists_its_origin_and_not_the_demos_press_sources():
    uploaded = load_dataset("okt_2024.csv", DEMO_PATH.read_bytes(), REGISTRY).data
    assert uploaded is not None and not uploaded.is_demo
    origin = DataOrigin("okt_2024.csv", is_demo=False, version_id=4, uploaded_by="Rina", uploaded_on=MEETING,
                        note="Rekap BPJS Ketenagakerjaan Cabang Bengkulu, 31 Oktober 2024")
    pack = build_meeting_pack(uploaded, origin=origin, period=PERIOD, lang="id", national_rate=NATIONAL,
                              boundaries=None, meeting_date=MEETING)
    sources = pack.slides[-1]
    assert sources.kind == "sources"
    assert "Data: versi 4 (okt_2024.csv), diunggah oleh Rina pada 20 November 2024." in sources.bullets
    assert ("Sumber angka (catatan versi data): Rekap BPJS Ketenagakerjaan Cabang Bengkulu, 31 Oktober 2024"
            in sources.bullets)
    text = "\n".join(line for slide in pack.slides for line in (*slide.bullets, slide.warning, slide.notes))
    for press in (i18n.t("present.source_2", "id"), i18n.t("present.source_3", "id"),
                  i18n.t("present.source_demo", "id")):
        assert press not in text
    assert "jarrakpos.com" not in text and "versi 4" in pack.slides[0].bullets[-1]


# --- PDF ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", ["generated", "without_scenario"])
def test_pdf_has_one_page_per_slide_with_the_same_titles_and_numbers(request, fixture):
    pack = request.getfixturevalue(fixture)
    reader = PdfReader(io.BytesIO(pack["pdf"]))
    titles = _titles(fixture == "generated")
    assert len(reader.pages) == len(titles) == len(Presentation(io.BytesIO(pack["pptx"])).slides)
    pages = [_normalised(page.extract_text()) for page in reader.pages]
    for title, page in zip(titles, pages):
        assert title in page
    text = " ".join(pages)
    for number in _key_numbers(fixture == "generated"):
        assert number in text, number
    assert "data contoh (ilustrasi)" in pages[0].lower()


def test_pdf_embeds_the_chart_images(generated):
    reader = PdfReader(io.BytesIO(generated["pdf"]))
    with_images = [index for index, page in enumerate(reader.pages) if page.images]
    assert with_images == [2, 3, 4, 6]  # map, ranking, trend, scenarios


def test_pdf_without_a_unicode_font_falls_back_to_helvetica_and_stays_readable(generated, tmp_path):
    reader = PdfReader(io.BytesIO(to_pdf(generated["pack"], font_dir=tmp_path)))
    assert len(reader.pages) == 9
    fonts = {str(font["/BaseFont"]) for page in reader.pages for font in page["/Resources"]["/Font"].values()}
    assert any("Helvetica" in font for font in fonts) and not any("DejaVu" in font for font in fonts)
    text = _normalised(" ".join(page.extract_text() for page in reader.pages))
    assert "37,0%" in text and "261.814" in text and fmt.rupiah(FOCUS_COSTS["Lebong"]) in text
    assert "peserta aktif ÷ pekerja potensial" in text  # ÷ and · exist in Windows-1252
    assert "Wilayah >= rata-rata nasional" in text  # ≥ does not: an ASCII stand-in
    assert "~ " in text and "≈" not in text


def test_pdf_with_dejavu_keeps_every_character(generated):
    text = _normalised(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(generated["pdf"])).pages))
    assert "Wilayah ≥ rata-rata nasional" in text and "≈" in text


# --- static map --------------------------------------------------------------------------------------------------


def _layers(spec: dict) -> list[dict]:
    return spec["layer"]


def _rates(indicators) -> pd.Series:
    return indicators.set_index("region_code")["rate"]


def test_static_map_has_one_geoshape_per_region_coloured_by_its_class(indicators, boundaries):
    values = _rates(indicators)
    classification = classify(values, metric="coverage", method="fixed", national_rate=NATIONAL)
    spec = build_static_map(boundaries, values, classification, lang="id").to_dict()
    assert spec["projection"]["type"] == "mercator"
    shapes = next(layer for layer in _layers(spec) if layer["mark"]["type"] == "geoshape")
    assert shapes["data"]["format"] == {"type": "json", "property": "features"}
    features = spec["datasets"][shapes["data"]["name"]]["features"]  # Altair moves inline data to "datasets"
    assert sorted(f["properties"]["kode"] for f in features) == sorted(REGISTRY.codes)
    scale = shapes["encoding"]["color"]["scale"]
    fill = dict(zip(scale["domain"], scale["range"]))
    for feature in features:
        code = feature["properties"]["kode"]
        assert fill[feature["properties"]["class_label"]] == classification.color_of(values[code]), code
    # the legend: the interactive map's ranges and counts, in the same colours
    legend = build_legend(classification, values, "id")
    assert scale["domain"] == [f"{entry.label} ({entry.count} wilayah)" for entry in legend]
    assert scale["range"] == [entry.color for entry in legend]


def test_static_map_as_drawn_fills_each_region_with_its_class_colour_inside_the_frame(indicators, boundaries):
    values = _rates(indicators)
    classification = classify(values, metric="coverage", method="fixed", national_rate=NATIONAL)
    chart = build_static_map(boundaries, values, classification, lang="id", width_px=800, height_px=600)
    svg = vl_convert.vegalite_to_svg(chart.to_dict())
    paths = re.findall(r'<path aria-label="properties\.class_label: ([^"]*)"[^>]*aria-roledescription="geoshape"'
                       r'[^>]*d="([^"]*)" fill="(#[0-9a-f]{6})"', svg)
    assert len(paths) == len(REGISTRY)
    drawn = sorted(fill for _, _, fill in paths)
    assert drawn == sorted(classification.color_of(values[code]) for code in REGISTRY.codes)
    coordinates = [float(n) for _, d, _ in paths for n in re.findall(r"-?\d+(?:\.\d+)?", d)]
    assert 0 <= min(coordinates) and max(coordinates[0::2] + coordinates[1::2]) <= 800  # fitted, not cropped
    # one label per region with its name and value
    for code in REGISTRY.codes:
        assert f">{REGISTRY.display_name(code)}<" in svg
        assert f">{fmt.percent(values[code])}<" in svg


def test_static_map_without_boundaries_draws_a_circle_at_each_capital(indicators):
    values = _rates(indicators)
    classification = classify(values, metric="coverage", method="fixed", national_rate=NATIONAL)
    spec = build_static_map(None, values, classification, lang="en",
                            potential_workers=indicators.set_index("region_code")["potential_workers"]).to_dict()
    circles = next(layer for layer in _layers(spec) if layer["mark"]["type"] == "circle")
    rows = spec["datasets"][circles["data"]["name"]]
    assert sorted(row["kode"] for row in rows) == sorted(REGISTRY.codes)
    scale = circles["encoding"]["color"]["scale"]
    fill = dict(zip(scale["domain"], scale["range"]))
    for row in rows:
        region = REGISTRY.get(row["kode"])
        assert (row["lon"], row["lat"]) == (region.lon, region.lat)
        assert fill[row["class_label"]] == classification.color_of(values[row["kode"]])
    largest = max(rows, key=lambda row: row["area_px"])
    assert REGISTRY.display_name(largest["kode"]) == "Kota Bengkulu"  # most potential workers


def test_static_map_legend_lists_regions_without_data(indicators, boundaries):
    values = _rates(indicators).copy()
    values[REGISTRY.match("Kaur").code] = math.nan
    classification = classify(values, metric="coverage", method="fixed", national_rate=NATIONAL)
    spec = build_static_map(boundaries, values, classification, lang="id").to_dict()
    scale = next(layer for layer in _layers(spec) if layer["mark"]["type"] == "geoshape")["encoding"]["color"]["scale"]
    assert scale["domain"][-1] == "tanpa data (1 wilayah)"
    assert scale["range"][-1] == classification.color_of(math.nan)


# --- chart images ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("width_px", "scale"), [(1600, 2), (1200, 1)])
def test_chart_png_is_a_png_of_the_requested_width(demo, indicators, width_px, scale):
    summary = province_summary(demo, PERIOD, NATIONAL)
    chart = build_ranking_chart(indicators, national_rate=NATIONAL, province_rate=summary.rate)
    png = chart_png(chart, width_px=width_px, scale=scale)
    assert png.startswith(PNG_MAGIC)
    assert int.from_bytes(png[16:20], "big") == width_px
    assert chart.to_dict()["width"] == "container"  # the caller's chart is left as the screen needs it


# --- command line ------------------------------------------------------------------------------------------------


def _run(*args: object, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    completed = subprocess.run([sys.executable, "-m", "monev", "report", *map(str, args)], cwd=ROOT,
                               capture_output=True, text=True, encoding="utf-8", timeout=120,
                               env=None if env is None else {**os.environ, **env})
    assert "Traceback" not in completed.stdout + completed.stderr
    return completed


def test_cli_writes_the_demo_pack_as_pptx(tmp_path, shared_boundaries):
    out = tmp_path / "rapat.pptx"
    completed = _run("--demo", "--format", "pptx", "--out", out, "--date", "2024-11-20")
    assert completed.returncode == 0, completed.stderr
    assert str(out) in completed.stdout and "KB" in completed.stdout
    presentation = Presentation(out)
    assert [slide.shapes.title.text for slide in presentation.slides] == _titles(False)
    assert "[8/8]" in completed.stderr  # progress


def test_cli_writes_the_pack_as_pdf_in_english_with_the_fallback_map(tmp_path):
    out = tmp_path / "meeting.pdf"
    completed = _run("--demo", "--format", "pdf", "--lang", "en", "--period", "2024-09", "--out", out)
    assert completed.returncode == 0, completed.stderr
    assert i18n.t("pack.no_boundaries", "en") in completed.stderr
    reader = PdfReader(out)
    assert len(reader.pages) == 8
    assert "September 2024" in reader.pages[0].extract_text()


def test_cli_dates_the_pack_with_the_given_meeting_date(tmp_path):
    out = tmp_path / "meeting.pptx"
    completed = _run("--demo", "--format", "pptx", "--lang", "en", "--out", out, "--date", "2026-12-07")
    assert completed.returncode == 0, completed.stderr
    title_slide = Presentation(out).slides[0]
    assert "Meeting: 7 December 2026" in _slide_text(title_slide)
    assert "7 December 2026" in title_slide.notes_slide.notes_text_frame.text


def test_cli_dates_the_pack_today_in_the_configured_zone_without_a_date(tmp_path):
    out = tmp_path / "rapat.pptx"
    zone = {fmt.TIMEZONE_ENV: "Pacific/Kiritimati"}
    completed = _run("--demo", "--format", "pptx", "--out", out, env=zone)
    assert completed.returncode == 0, completed.stderr
    assert f"Rapat: {long_date(fmt.today(zone), 'id')}" in _slide_text(Presentation(out).slides[0])


@pytest.mark.parametrize(("args", "message"), [
    (("--out", "{tmp}/missing/x.pptx"), "tidak dapat ditulis"),
    (("--out", "{tmp}/x.pptx", "--date", "20-11-2024"), "2024-11-20"),
    (("--out", "{tmp}/x.pptx", "--period", "2023-01"), "2023-01"),
])
def test_cli_reports_problems_as_sentences(tmp_path, args, message):
    completed = _run("--demo", "--format", "pptx", *(a.format(tmp=tmp_path) for a in args))
    assert completed.returncode == 1
    assert message in completed.stderr
    assert not (tmp_path / "x.pptx").exists()
