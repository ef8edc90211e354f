"""The meeting pack: the Monev slides as data, then the same content as PPTX (python-pptx) and PDF (fpdf2).

``build_meeting_pack`` computes every number and renders every chart once (Altair, drawn offline by vl-convert);
``to_pptx`` and ``to_pdf`` only lay the result out, so both files say exactly the same. Text comes from the
catalogs in the user's language and numbers from ``monev.fmt`` (37,0%, 261.814, Rp1,7 miliar).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import altair as alt
import pandas as pd

from monev import fmt, i18n
from monev.charts import build_dumbbell_chart, build_ranking_chart, build_scenario_chart, build_trend_chart
from monev.dataset import CoverageData
from monev.exports import chart_png
from monev.geo import Boundaries
from monev.indicators import (
    ProvinceSummary,
    participants_needed,
    province_series,
    province_summary,
    region_indicators,
    region_series,
)
from monev.mapping import classify
from monev.regions import Registry, load_registry
from monev.simulation import CostParameters, SimulationResult, observed_pace, summary_text
from monev.static_map import STATIC_MAP_WIDTH_PX, build_static_map
from monev.tables import export_file_name, export_notes, long_date

FOCUS_COUNT = 3
SLIDES_WITHOUT_SCENARIOS = 8
IMAGE_SCALE = 2  # pixels per layout pixel: sharp on a 1920-pixel projector and in print
CHART_WIDTH_PX = 1600
# A slide shows a picture at most ~5 inches high. The screen sizes (34 px per bar, a 380 px trend) would shrink the
# 13-14 px chart texts to 9 pt there; these keep them at 12-13 pt, readable from the back of the room.
SLIDE_BAR_HEIGHT_PX = 26
SLIDE_TREND_HEIGHT_PX = 300
SIDE_CHART_WIDTH_PX = 1120  # the scenario chart shares its slide with the comparison table
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")  # Debian's fonts-dejavu-core

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Kpi:
    """One headline number: what it is, the number, and the line under it."""

    label: str
    value: str
    detail: str


@dataclass(frozen=True)
class Slide:
    """One slide's content: KPI tiles, a picture, a table (first row = header), bullets, a warning in red."""

    kind: str
    title: str
    bullets: tuple[str, ...] = ()
    image: bytes | None = None
    table: tuple[tuple[str, ...], ...] = ()
    kpis: tuple[Kpi, ...] = ()
    warning: str = ""
    notes: str = ""


@dataclass(frozen=True)
class MeetingPack:
    """Every slide of the pack, in order, with what the files need to be named and footed."""

    lang: str
    title: str
    footer: str
    version_id: int | str | None
    period: str
    slides: tuple[Slide, ...]

    def file_name(self, ext: str) -> str:
        """monev_bahan-rapat_v3_2024-10.pptx (the kind in the pack's language)."""
        return export_file_name(i18n.t("export.kind.pack", self.lang), version_id=self.version_id,
                                period=self.period, ext=ext)


def focus_rows(data: CoverageData, indicators: pd.DataFrame, period: str, national_rate: float,
               parameters: CostParameters | None = None) -> pd.DataFrame:
    """The lowest regions, lowest first: gap, pace, participants and months to national, yearly cost to enrol them."""
    cost_year = (parameters or CostParameters()).cost_idr_per_worker_year
    pace = observed_pace(data, period)
    rows = []
    for row in indicators.sort_values("rate").head(FOCUS_COUNT).itertuples():
        needed = int(participants_needed(national_rate, row.potential_workers, row.participants))
        monthly = float(pace.get(row.region_code, math.nan))
        months = 0 if not needed else math.ceil(needed / monthly) if monthly > 0 else math.inf
        rows.append({"region_code": row.region_code, "region_name": row.region_name, "rate": row.rate,
                     "gap": row.rate - national_rate, "pace": monthly, "needed": needed, "months": months,
                     "cost_year": needed * cost_year})
    return pd.DataFrame(rows, columns=["region_code", "region_name", "rate", "gap", "pace", "needed", "months",
                                       "cost_year"])


class _Builder:
    """Holds what every slide needs (language, numbers, progress) while the slides are built one by one."""

    def __init__(self, total: int, progress: Progress | None, lang: str, notes_suffix: str) -> None:
        self.total, self.progress, self.lang, self.notes_suffix = total, progress, lang, notes_suffix
        self.slides: list[Slide] = []

    def t(self, key: str, **params: object) -> str:
        return i18n.t(key, self.lang, **params)

    def add(self, slide: Slide) -> None:
        notes = " ".join(part for part in (slide.notes, self.notes_suffix) if part)
        self.slides.append(dataclasses.replace(slide, notes=notes))
        if self.progress is not None:
            self.progress(len(self.slides), self.total, slide.title)

    def png(self, chart: alt.TopLevelMixin, width_px: int = CHART_WIDTH_PX) -> bytes:
        return chart_png(chart, width_px=width_px, scale=IMAGE_SCALE, lang=self.lang)


def build_meeting_pack(data: CoverageData, *, version_id: int | str | None, period: str,
                       lang: str = i18n.DEFAULT_LANGUAGE, national_rate: float, boundaries: Boundaries | None,
                       scenarios: Sequence[tuple[str, SimulationResult]] = (), meeting_date: dt.date | None = None,
                       map_method: str = "fixed", progress: Progress | None = None,
                       registry: Registry | None = None) -> MeetingPack:
    """The slides: title, KPIs, map, ranking, trend, focus, scenarios, summary, sources; ``progress`` per slide."""
    # progress(step, total, label) is called after each slide is ready; without boundaries the map shows circles.
    lang = i18n.supported(lang)
    registry = registry or load_registry()
    meeting_date = meeting_date or dt.date.today()
    summary = province_summary(data, period, national_rate)
    indicators = region_indicators(data, period, national_rate, registry)
    focus = focus_rows(data, indicators, period, national_rate)
    province = i18n.t("app.province", lang, province=registry.province_name)
    month = fmt.month(period, lang)
    version = fmt.MISSING if version_id is None else str(version_id)
    demo = i18n.t("app.demo_badge", lang) if data.is_demo else ""
    footer = " · ".join(part for part in (province, month, i18n.t("pack.version", lang, version=version), demo)
                        if part)
    total = SLIDES_WITHOUT_SCENARIOS + bool(scenarios)
    build = _Builder(total, progress, lang, i18n.t("present.source_demo", lang) if data.is_demo else "")
    t = build.t

    title = t("pack.title", province=province)
    title_lines = [t("pack.period", period=month), t("pack.meeting_date", date=long_date(meeting_date, lang)),
                   t("export.data_line", source=data.source_name, version=version, period=month)]
    warning = t("pack.demo_warning", badge=demo) if data.is_demo else ""
    build.add(Slide("title", title, tuple(title_lines), warning=warning, notes=t("pack.title_notes")))

    build.add(_kpi_slide(build, summary, indicators))

    values = indicators.set_index("region_code")["rate"]
    classification = classify(values, metric="coverage", method=map_method, national_rate=national_rate)
    static_map = build_static_map(boundaries, values, classification, lang=lang, registry=registry,
                                  potential_workers=indicators.set_index("region_code")["potential_workers"])
    map_notes = t("pack.map_notes", method=t(f"map.method.{map_method}"), period=month)
    if boundaries is None:
        map_notes += " " + t("pack.map_fallback")
    build.add(Slide("map", t("present.title.map"), image=build.png(static_map, STATIC_MAP_WIDTH_PX * IMAGE_SCALE),
                    notes=map_notes))

    ranking = build_ranking_chart(indicators, national_rate=national_rate, province_rate=summary.rate,
                                  target_rate=summary.target_rate, lang=lang).properties(
        height=SLIDE_BAR_HEIGHT_PX * len(indicators))
    build.add(Slide("ranking", t("present.title.ranking"), (t("overview.ranking_caption"),), build.png(ranking)))

    highest, lowest = indicators.iloc[0], indicators.iloc[-1]
    series = region_series(data, registry)
    totals = province_series(data)
    trend = build_trend_chart(series[series["period"] <= period], totals[totals["period"] <= period],
                              highlight=[highest["region_code"], lowest["region_code"]], national_rate=national_rate,
                              lang=lang).properties(height=SLIDE_TREND_HEIGHT_PX)
    build.add(Slide("trend", t("present.title.trend"),
                    (t("pack.trend_caption", highest=highest["region_name"], lowest=lowest["region_name"]),),
                    build.png(trend)))

    build.add(_focus_slide(build, focus, national_rate))
    if scenarios:
        build.add(_scenario_slide(build, scenarios, national_rate))
    build.add(Slide("summary", t("pack.title_summary"),
                    tuple(summary_bullets(summary, indicators, focus, scenarios, lang=lang, province=province))))
    notes = export_notes(lang=lang, version_id=version_id, period=period, source_name=data.source_name,
                         is_demo=data.is_demo, national_rate=national_rate)
    build.add(Slide("sources", t("present.title.sources"), tuple(notes)))
    return MeetingPack(lang, title, footer, version_id, period, tuple(build.slides))


def _kpi_slide(build: _Builder, summary: ProvinceSummary, indicators: pd.DataFrame) -> Slide:
    t, lang = build.t, build.lang
    national = t("kpi.national", rate=fmt.percent(summary.national_rate, lang))
    has_previous = not math.isnan(summary.change_prev_month)
    change = summary.participants_change_prev_month
    needed = participants_needed(summary.national_rate, summary.potential_workers, summary.participants)
    kpis = (
        Kpi(t("kpi.coverage"), fmt.percent(summary.rate, lang),
            national + (" · " + t("kpi.coverage_delta", delta=fmt.points(summary.change_prev_month, lang))
                        if has_previous else "")),
        Kpi(t("kpi.participants"), fmt.number(summary.participants, lang),
            t("pack.of_potential", potential=fmt.number(summary.potential_workers, lang))
            + (" · " + t("kpi.participants_delta", delta=("+" if change >= 0 else "-") + fmt.number(abs(change), lang))
               if has_previous else "")),
        Kpi(t("kpi.regions_at_national"),
            t("kpi.regions_value", count=summary.regions_at_or_above_national, total=summary.region_count), national),
        Kpi(t("kpi.gap"), fmt.points(summary.gap_national, lang),
            t("kpi.gap_needed", count=fmt.number(needed, lang), rate=fmt.percent(summary.national_rate, lang))
            if needed else t("kpi.gap_reached", rate=fmt.percent(summary.national_rate, lang))),
    )
    highest, lowest = indicators.iloc[0], indicators.iloc[-1]
    line = t("present.kpi_line", highest=highest["region_name"], highest_rate=fmt.percent(highest["rate"], lang),
             lowest=lowest["region_name"], lowest_rate=fmt.percent(lowest["rate"], lang),
             below=summary.region_count - summary.regions_at_or_above_national, total=summary.region_count)
    return Slide("kpi", t("present.title.kpi"), (line,), kpis=kpis, notes=t("kpi.coverage_help"))


def _focus_slide(build: _Builder, focus: pd.DataFrame, national_rate: float) -> Slide:
    t, lang = build.t, build.lang
    header = (t("table.region"), t("table.rate"), t("table.gap_national"), t("sim.ttt_pace"),
              t("pack.col_needed", rate=fmt.percent(national_rate, lang)), t("pack.col_months"),
              t("sim.cost_year_col"))
    rows = [header]
    for row in focus.itertuples():
        months = (t("pack.months", count=row.months) if math.isfinite(row.months) else t("sim.ttt_never"))
        rows.append((row.region_name, fmt.percent(row.rate, lang), fmt.points(row.gap, lang),
                     fmt.number(row.pace, lang), fmt.number(row.needed, lang), months,
                     fmt.rupiah(row.cost_year, lang)))
    basis = t("present.focus_basis", cost=fmt.rupiah(CostParameters().cost_idr_per_month, lang))
    return Slide("focus", t("present.title.focus"), (basis,), table=tuple(rows))


def _scenario_slide(build: _Builder, scenarios: Sequence[tuple[str, SimulationResult]],
                    national_rate: float) -> Slide:
    t, lang = build.t, build.lang
    if len(scenarios) == 1:
        chart = build_dumbbell_chart(scenarios[0][1].regions, national_rate=national_rate, lang=lang)
    else:
        today = scenarios[0][1].regions
        frames = [pd.DataFrame({"scenario": t("sim.map_today"), "region": today["region_name"],
                                "rate": today["rate"]})]
        frames += [pd.DataFrame({"scenario": name, "region": result.regions["region_name"],
                                 "rate": result.regions["rate_after"]}) for name, result in scenarios]
        chart = build_scenario_chart(pd.concat(frames), national_rate=national_rate, lang=lang)
    chart = chart.properties(height=SLIDE_BAR_HEIGHT_PX * len(scenarios[0][1].regions))
    rows = [("", *(name for name, _ in scenarios))]
    rows += [
        (t("scenario.cmp_coverage"), *(fmt.percent(r.rate_after, lang) for _, r in scenarios)),
        (t("scenario.cmp_change"), *(fmt.points(r.change_points, lang) for _, r in scenarios)),
        (t("scenario.cmp_national"), *(t("kpi.regions_value", count=r.regions_at_national_after,
                                         total=r.region_count) for _, r in scenarios)),
        (t("scenario.cmp_added"), *(fmt.number(r.participants_added, lang) for _, r in scenarios)),
        (t("scenario.cmp_cost"), *(fmt.rupiah(r.cost_idr_per_year, lang) for _, r in scenarios)),
        (t("scenario.cmp_per_point"), *(fmt.rupiah(r.cost_idr_per_point, lang) for _, r in scenarios)),
    ]
    notes = " ".join(f"{name}: {summary_text(result, lang)}" for name, result in scenarios)
    return Slide("scenarios", t("present.title.scenarios"), image=build.png(chart, SIDE_CHART_WIDTH_PX),
                 table=tuple(rows), notes=notes)


def summary_bullets(summary: ProvinceSummary, indicators: pd.DataFrame, focus: pd.DataFrame,
                    scenarios: Sequence[tuple[str, SimulationResult]], *, lang: str, province: str) -> list[str]:
    """3–5 sentences: province vs national, regions below, highest/lowest, cost of the focus, first scenario."""
    national = fmt.percent(summary.national_rate, lang)
    below_national = summary.rate < summary.national_rate
    key = "pack.sum_province_below" if below_national else "pack.sum_province_reached"
    # "2,0 pp below": the sentence says the direction, a minus sign would say it twice.
    gap = fmt.decimal(abs(summary.gap_national) * 100, lang) + " pp" if below_national else \
        fmt.points(summary.gap_national, lang)
    highest, lowest = indicators.iloc[0], indicators.iloc[-1]
    below = summary.region_count - summary.regions_at_or_above_national
    bullets = [
        i18n.t(key, lang, province=province, period=fmt.month(summary.period, lang),
               rate=fmt.percent(summary.rate, lang), gap=gap, national=national,
               participants=fmt.number(summary.participants, lang),
               potential=fmt.number(summary.potential_workers, lang)),
        i18n.t("pack.sum_regions_below", lang, count=below, total=summary.region_count, national=national),
        i18n.t("pack.sum_extremes", lang, highest=highest["region_name"],
               highest_rate=fmt.percent(highest["rate"], lang), lowest=lowest["region_name"],
               lowest_rate=fmt.percent(lowest["rate"], lang)),
    ]
    needing = focus[focus["needed"] > 0]
    if needing.empty:
        bullets.append(i18n.t("pack.sum_focus_reached", lang, regions=", ".join(focus["region_name"]),
                              national=national))
    else:
        details = ", ".join(f"{row.region_name} {fmt.rupiah(row.cost_year, lang)}" for row in needing.itertuples())
        bullets.append(i18n.t("pack.sum_focus", lang, regions=", ".join(needing["region_name"]), national=national,
                              needed=fmt.number(needing["needed"].sum(), lang),
                              cost=fmt.rupiah(needing["cost_year"].sum(), lang), details=details))
    if scenarios:
        name, result = scenarios[0]
        bullets.append(i18n.t("pack.sum_scenario", lang, name=name, text=summary_text(result, lang)))
    return bullets


# --- layout, shared by the PPTX and the PDF ----------------------------------------------------------------------

_SLIDE_W_IN, _SLIDE_H_IN = 40 / 3, 7.5  # 16:9, 13⅓ by 7½ inches
_MARGIN_IN = 0.55
_TITLE_TOP_IN, _TITLE_H_IN = 0.3, 0.95
_BODY_TOP_IN, _BODY_BOTTOM_IN = 1.4, 6.85
_FOOTER_TOP_IN = 7.0
_DARK = (0x14, 0x21, 0x3D)
_ACCENT = (0x1F, 0x4E, 0x79)
_GREY = (0x5A, 0x64, 0x78)
_WARNING = (0xA6, 0x1B, 0x1B)
_TILE_FILL = (0xEE, 0xF2, 0xF7)
_TITLE_PT, _BODY_PT, _SMALL_PT, _FOOTER_PT = 30, 20, 16, 11
_KPI_VALUE_PT, _KPI_LABEL_PT, _KPI_DETAIL_PT = 32, 15, 13
_TABLE_PT = 17
_TITLE_ONLY_LAYOUT = 5  # in python-pptx's default template; its title is placed anew on every slide


def _image_size(png: bytes) -> tuple[int, int]:
    # Width and height sit at fixed offsets of a PNG's IHDR chunk.
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def _fit(png: bytes, box_w: float, box_h: float) -> tuple[float, float]:
    """The largest (width, height) with the image's aspect ratio that fits the box."""
    width, height = _image_size(png)
    scale = min(box_w / width, box_h / height)
    return width * scale, height * scale


def _layout(slide: Slide) -> dict[str, tuple[float, float, float, float]]:
    """Where each part of a content slide goes, in inches (left, top, width, height); shared by PPTX and PDF."""
    left, width = _MARGIN_IN, _SLIDE_W_IN - 2 * _MARGIN_IN
    top, bottom = _BODY_TOP_IN, _BODY_BOTTOM_IN
    parts: dict[str, tuple[float, float, float, float]] = {}
    if slide.kpis:
        parts["kpis"] = (left, top, width, 2.4)
        parts["bullets"] = (left, top + 2.8, width, bottom - top - 2.8)
    elif slide.image is not None and slide.table:
        image_w = width * 0.6
        parts["image"] = (left, top, image_w - 0.2, bottom - top)
        parts["table"] = (left + image_w, top + 0.2, width - image_w, bottom - top - 0.2)
    elif slide.image is not None:
        caption_h = 0.55 if slide.bullets else 0.0
        parts["image"] = (left, top, width, bottom - top - caption_h)
        if slide.bullets:
            parts["bullets"] = (left, bottom - caption_h, width, caption_h)
    elif slide.table:
        parts["table"] = (left, top + 0.2, width, 2.6)
        parts["bullets"] = (left, top + 3.3, width, bottom - top - 3.3)
    else:
        parts["bullets"] = (left, top, width, bottom - top)
    return parts


def _bullet_size(slide: Slide) -> int:
    # Sources and notes run to nine lines; everything else is read from the back of the room.
    return _SMALL_PT if slide.kind == "sources" or slide.image is not None or slide.table else _BODY_PT


# --- PPTX --------------------------------------------------------------------------------------------------------


def to_pptx(pack: MeetingPack) -> bytes:
    """The pack as a 16:9 PowerPoint file: one slide per ``Slide``, large type, speaker notes."""
    from pptx import Presentation  # imported here: only the pack needs python-pptx
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Inches, Pt

    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = Inches(_SLIDE_W_IN), Inches(_SLIDE_H_IN)
    presentation.core_properties.title = pack.title
    presentation.core_properties.language = pack.lang

    def style(run, size: int, *, bold: bool = False, color: tuple[int, int, int] = _DARK) -> None:
        run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, RGBColor(*color)

    def text_box(slide, box, lines, size: int, *, bold: bool = False, color=_DARK, bullet: bool = False) -> None:
        frame = slide.shapes.add_textbox(*(Inches(v) for v in box)).text_frame
        frame.word_wrap = True
        for index, line in enumerate(lines):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            paragraph.space_after = Pt(size * 0.5)
            run = paragraph.add_run()
            run.text = f"• {line}" if bullet else line
            style(run, size, bold=bold, color=color)

    def place_title(shape, box, text: str, size: int) -> None:
        shape.left, shape.top, shape.width, shape.height = (Inches(v) for v in box)
        shape.text_frame.text = text
        shape.text_frame.word_wrap = True
        for paragraph in shape.text_frame.paragraphs:
            paragraph.alignment = PP_ALIGN.LEFT
            for run in paragraph.runs:
                style(run, size, bold=True)

    full_width = _SLIDE_W_IN - 2 * _MARGIN_IN
    for content in pack.slides:
        slide = presentation.slides.add_slide(presentation.slide_layouts[_TITLE_ONLY_LAYOUT])
        if content.kind == "title":
            place_title(slide.shapes.title, (_MARGIN_IN, 1.5, full_width, 1.6), content.title, 36)
            text_box(slide, (_MARGIN_IN, 3.3, full_width, 1.8), content.bullets, 22, color=_ACCENT)
            if content.warning:
                text_box(slide, (_MARGIN_IN, 5.2, full_width, 1.2), [content.warning], 22, bold=True,
                         color=_WARNING)
        else:
            place_title(slide.shapes.title, (_MARGIN_IN, _TITLE_TOP_IN, full_width, _TITLE_H_IN), content.title,
                        _TITLE_PT)
            parts = _layout(content)
            if "kpis" in parts:
                left, top, width, height = parts["kpis"]
                tile_w = (width - 0.3 * (len(content.kpis) - 1)) / len(content.kpis)
                for index, kpi in enumerate(content.kpis):
                    tile = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(left + index * (tile_w + 0.3)),
                                                  Inches(top), Inches(tile_w), Inches(height))
                    tile.fill.solid()
                    tile.fill.fore_color.rgb = RGBColor(*_TILE_FILL)
                    tile.line.fill.background()
                    frame = tile.text_frame
                    frame.word_wrap = True
                    for number, (text, size, bold, color) in enumerate((
                            (kpi.label, _KPI_LABEL_PT, True, _GREY), (kpi.value, _KPI_VALUE_PT, True, _DARK),
                            (kpi.detail, _KPI_DETAIL_PT, False, _GREY))):
                        paragraph = frame.paragraphs[0] if number == 0 else frame.add_paragraph()
                        run = paragraph.add_run()
                        run.text = text
                        style(run, size, bold=bold, color=color)
            if "image" in parts:
                left, top, width, height = parts["image"]
                image_w, image_h = _fit(content.image, width, height)
                slide.shapes.add_picture(io.BytesIO(content.image), Inches(left + (width - image_w) / 2),
                                         Inches(top), Inches(image_w), Inches(image_h))
            if "table" in parts:
                left, top, width, _ = parts["table"]
                rows, columns = len(content.table), len(content.table[0])
                shape = slide.shapes.add_table(rows, columns, Inches(left), Inches(top), Inches(width),
                                               Inches(0.5 * rows))
                for r, values in enumerate(content.table):
                    for c, value in enumerate(values):
                        cell = shape.table.cell(r, c)
                        cell.text = value
                        for paragraph in cell.text_frame.paragraphs:
                            for run in paragraph.runs:
                                style(run, _TABLE_PT, bold=r == 0 or c == 0,
                                      color=(0xFF, 0xFF, 0xFF) if r == 0 else _DARK)
            if "bullets" in parts and content.bullets:
                text_box(slide, parts["bullets"], content.bullets, _bullet_size(content),
                         bullet=len(content.bullets) > 1 or content.kind == "summary")
        text_box(slide, (_MARGIN_IN, _FOOTER_TOP_IN, full_width, 0.35), [pack.footer], _FOOTER_PT, color=_GREY)
        if content.notes:
            slide.notes_slide.notes_text_frame.text = content.notes
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


# --- PDF ---------------------------------------------------------------------------------------------------------

# Core PDF fonts know only Windows-1252: these characters get ASCII stand-ins when no Unicode font is at hand.
_CP1252_STAND_INS = str.maketrans({"≥": ">=", "≤": "<=", "→": "->", "≈": "~", "−": "-", "\u00a0": " "})


def to_pdf(pack: MeetingPack, *, font_dir: Path = FONT_DIR) -> bytes:
    """The pack as a PDF with one landscape 16:9 page per slide; DejaVu Sans embedded (Helvetica without it)."""
    from fpdf import FPDF, FontFace  # imported here: only the pack needs fpdf2

    pdf = FPDF(orientation="landscape", unit="in", format=(_SLIDE_H_IN, _SLIDE_W_IN))
    pdf.set_auto_page_break(False)  # one page per slide, as in the PPTX
    pdf.set_margins(_MARGIN_IN, _MARGIN_IN)
    pdf.set_title(pack.title)
    pdf.set_lang(pack.lang)
    regular, bold = font_dir / "DejaVuSans.ttf", font_dir / "DejaVuSans-Bold.ttf"
    if regular.is_file() and bold.is_file():
        pdf.add_font("DejaVu", "", str(regular))
        pdf.add_font("DejaVu", "B", str(bold))
        family = "DejaVu"

        def clean(text: str) -> str:
            return text
    else:
        family = "Helvetica"
        pdf.core_fonts_encoding = "cp1252"  # has – · • ÷ …, which latin-1 lacks

        def clean(text: str) -> str:
            return text.translate(_CP1252_STAND_INS).encode("cp1252", "replace").decode("cp1252")

    heading = FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=_ACCENT)

    def write(box, lines, size: int, *, bold_text: bool = False, colour=_DARK, bullet: bool = False) -> None:
        left, top, width, _ = box  # the text flows down from the top; the layout keeps it inside its box
        pdf.set_font(family, "B" if bold_text else "", size)
        pdf.set_text_color(*colour)
        pdf.set_xy(left, top)
        line_h = size * 1.3 / 72
        for line in lines:
            pdf.set_x(left)
            pdf.multi_cell(width, line_h, clean(f"• {line}" if bullet else line), align="L", new_x="LMARGIN",
                           new_y="NEXT")
            pdf.set_y(pdf.get_y() + size * 0.5 / 72)

    full_width = _SLIDE_W_IN - 2 * _MARGIN_IN
    for content in pack.slides:
        pdf.add_page()
        if content.kind == "title":
            write((_MARGIN_IN, 1.8, full_width, 1.4), [content.title], 36, bold_text=True)
            write((_MARGIN_IN, 3.4, full_width, 1.8), content.bullets, 22, colour=_ACCENT)
            if content.warning:
                write((_MARGIN_IN, 5.2, full_width, 1.2), [content.warning], 22, bold_text=True, colour=_WARNING)
        else:
            write((_MARGIN_IN, _TITLE_TOP_IN + 0.2, full_width, _TITLE_H_IN), [content.title], _TITLE_PT,
                  bold_text=True)
            parts = _layout(content)
            if "kpis" in parts:
                left, top, width, height = parts["kpis"]
                tile_w = (width - 0.3 * (len(content.kpis) - 1)) / len(content.kpis)
                for index, kpi in enumerate(content.kpis):
                    x = left + index * (tile_w + 0.3)
                    pdf.set_fill_color(*_TILE_FILL)
                    pdf.rect(x, top, tile_w, height, style="F")
                    write((x + 0.12, top + 0.12, tile_w - 0.24, 0.4), [kpi.label], _KPI_LABEL_PT, bold_text=True,
                          colour=_GREY)
                    write((x + 0.12, pdf.get_y(), tile_w - 0.24, 0.7), [kpi.value], _KPI_VALUE_PT, bold_text=True)
                    write((x + 0.12, pdf.get_y(), tile_w - 0.24, 0.6), [kpi.detail], _KPI_DETAIL_PT, colour=_GREY)
            if "image" in parts:
                left, top, width, height = parts["image"]
                image_w, image_h = _fit(content.image, width, height)
                pdf.image(io.BytesIO(content.image), x=left + (width - image_w) / 2, y=top, w=image_w, h=image_h)
            if "table" in parts:
                left, top, width, _ = parts["table"]
                pdf.set_xy(left, top)
                pdf.set_font(family, "", _TABLE_PT)
                pdf.set_text_color(*_DARK)
                with pdf.table(width=min(width, pdf.epw), align="LEFT", line_height=_TABLE_PT * 1.5 / 72,
                               headings_style=heading, first_row_as_headings=True, text_align="LEFT") as table:
                    for values in content.table:
                        row = table.row()
                        for value in values:
                            row.cell(clean(value))
            if "bullets" in parts and content.bullets:
                write(parts["bullets"], content.bullets, _bullet_size(content),
                      bullet=len(content.bullets) > 1 or content.kind == "summary")
        write((_MARGIN_IN, _FOOTER_TOP_IN, full_width, 0.35), [pack.footer], _FOOTER_PT, colour=_GREY)
    return bytes(pdf.output())

