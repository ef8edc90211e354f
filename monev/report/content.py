"""What the meeting pack says: the Monev slides as data, every number computed and every chart drawn once.

``build_meeting_pack`` renders the charts with Altair, drawn offline by vl-convert; ``monev.report.pptx`` and
``monev.report.pdf`` only lay the result out, so both files say exactly the same. Text comes from the catalogs in
the user's language and numbers from ``monev.fmt`` (37,0%, 261.814, Rp1,7 miliar).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import altair as alt
import pandas as pd

from monev import fmt, i18n
from monev.charts import build_dumbbell_chart, build_ranking_chart, build_scenario_chart, build_trend_chart
from monev.dataset import CoverageData
from monev.exports import chart_png
from monev.focus import focus_rows
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
from monev.scenario import ShownScenario
from monev.sentences import (
    DataOrigin,
    data_line,
    extremes,
    highest_and_lowest,
    kpi_line,
    long_date,
    regions_below_national,
)
from monev.simulation import CostParameters, summary_text
from monev.static_map import STATIC_MAP_WIDTH_PX, build_static_map
from monev.tables import export_file_name, export_notes

SLIDES_WITHOUT_SCENARIOS = 8
IMAGE_SCALE = 2  # pixels per layout pixel: sharp on a 1920-pixel projector and in print
CHART_WIDTH_PX = 1600
# A slide shows a picture at most ~5 inches high. The screen sizes (34 px per bar, a 380 px trend) would shrink the
# 13-14 px chart texts to 9 pt there; these keep them at 12-13 pt, readable from the back of the room.
SLIDE_BAR_HEIGHT_PX = 26
SLIDE_TREND_HEIGHT_PX = 300
SIDE_CHART_WIDTH_PX = 1120  # the scenario chart shares its slide with the comparison table

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


def build_meeting_pack(data: CoverageData, *, origin: DataOrigin, period: str,
                       lang: str = i18n.DEFAULT_LANGUAGE, national_rate: float, boundaries: Boundaries | None,
                       scenarios: Sequence[ShownScenario] = (), meeting_date: dt.date | None = None,
                       map_method: str = "fixed", progress: Progress | None = None,
                       registry: Registry | None = None) -> MeetingPack:
    """The slides: title, KPIs, map, ranking, trend, focus, scenarios, summary, sources; ``progress`` per slide.

    ``origin`` says where ``data`` comes from (its version, file, uploader and note), for the title and the sources."""
    # progress(step, total, label) is called after each slide is ready; without boundaries the map shows circles.
    lang = i18n.supported(lang)
    registry = registry or load_registry()
    meeting_date = meeting_date or fmt.today()
    summary = province_summary(data, period, national_rate)
    indicators = region_indicators(data, period, national_rate, registry)
    focus = focus_rows(data, indicators, period, national_rate)
    province = i18n.t("app.province", lang, province=registry.province_name)
    month = fmt.month(period, lang)
    version_id = origin.version_id
    version = fmt.MISSING if version_id is None else str(version_id)
    demo = i18n.t("app.demo_badge", lang) if data.is_demo else ""
    footer = " · ".join(part for part in (province, month, i18n.t("pack.version", lang, version=version), demo)
                        if part)
    total = SLIDES_WITHOUT_SCENARIOS + bool(scenarios)
    build = _Builder(total, progress, lang, i18n.t("present.source_demo", lang) if data.is_demo else "")
    t = build.t

    title = t("pack.title", province=province)
    title_lines = [t("pack.period", period=month), t("pack.meeting_date", date=long_date(meeting_date, lang)),
                   data_line(lang, source_name=origin.file_name, version_id=version_id, period=period)]
    warning = t("pack.demo_warning", badge=demo) if data.is_demo else ""
    build.add(Slide("title", title, tuple(title_lines), warning=warning,
                    notes=t("pack.title_notes", date=long_date(meeting_date, lang))))

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

    highest, lowest = highest_and_lowest(indicators)
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
    notes = export_notes(lang=lang, origin=origin, period=period, national_rate=national_rate)
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
            fmt.counted("kpi.gap_needed", needed, lang, rate=fmt.percent(summary.national_rate, lang))
            if needed else t("kpi.gap_reached", rate=fmt.percent(summary.national_rate, lang))),
    )
    return Slide("kpi", t("present.title.kpi"), (kpi_line(summary, indicators, lang),), kpis=kpis,
                 notes=t("kpi.coverage_help"))


def _focus_slide(build: _Builder, focus: pd.DataFrame, national_rate: float) -> Slide:
    t, lang = build.t, build.lang
    header = (t("table.region"), t("table.rate"), t("table.gap_national"), t("sim.ttt_pace"),
              t("pack.col_needed", rate=fmt.percent(national_rate, lang)), t("pack.col_months"),
              t("sim.cost_year_col"))
    rows = [header]
    for row in focus.itertuples():
        months = (fmt.counted("pack.months", round(row.months), lang) if math.isfinite(row.months)
                  else t("sim.ttt_never"))
        rows.append((row.region_name, fmt.percent(row.rate, lang), fmt.points(row.gap, lang),
                     fmt.number(row.pace, lang), fmt.number(row.needed, lang), months,
                     fmt.rupiah(row.cost_year, lang)))
    basis = t("present.focus_basis", cost=fmt.rupiah(CostParameters().cost_idr_per_month, lang))
    return Slide("focus", t("present.title.focus"), (basis,), table=tuple(rows))


def _scenario_slide(build: _Builder, scenarios: Sequence[ShownScenario], national_rate: float) -> Slide:
    t, lang = build.t, build.lang
    first = scenarios[0].result.regions
    if len(scenarios) == 1:
        chart = build_dumbbell_chart(first, national_rate=national_rate, lang=lang)
    else:
        frames = [pd.DataFrame({"scenario": t("sim.map_today"), "region": first["region_name"],
                                "rate": first["rate"]})]
        frames += [pd.DataFrame({"scenario": shown.name, "region": shown.result.regions["region_name"],
                                 "rate": shown.result.regions["rate_after"]}) for shown in scenarios]
        chart = build_scenario_chart(pd.concat(frames), national_rate=national_rate, lang=lang)
    chart = chart.properties(height=SLIDE_BAR_HEIGHT_PX * len(first))
    results = [shown.result for shown in scenarios]
    rows = [("", *(shown.name for shown in scenarios))]
    rows += [
        (t("scenario.cmp_coverage"), *(fmt.percent(r.rate_after, lang) for r in results)),
        (t("scenario.cmp_change"), *(fmt.points(r.change_points, lang) for r in results)),
        (t("scenario.cmp_national"), *(t("kpi.regions_value", count=r.regions_at_national_after,
                                         total=r.region_count) for r in results)),
        (t("scenario.cmp_added"), *(fmt.number(r.participants_added, lang) for r in results)),
        (t("scenario.cmp_cost"), *(fmt.rupiah(r.cost_idr_per_year, lang) for r in results)),
        (t("scenario.cmp_per_point"), *(fmt.rupiah(r.cost_idr_per_point, lang) for r in results)),
        (t("scenario.cmp_basis"), *(shown.basis for shown in scenarios)),
    ]
    notes = " ".join(f"{shown.name} ({shown.basis}): {summary_text(shown.result, lang)}" for shown in scenarios)
    return Slide("scenarios", t("present.title.scenarios"), image=build.png(chart, SIDE_CHART_WIDTH_PX),
                 table=tuple(rows), notes=notes)


def summary_bullets(summary: ProvinceSummary, indicators: pd.DataFrame, focus: pd.DataFrame,
                    scenarios: Sequence[ShownScenario], *, lang: str, province: str) -> list[str]:
    """3–5 sentences: province vs national, regions below, highest/lowest, cost of the focus, first scenario."""
    national = fmt.percent(summary.national_rate, lang)
    below_national = summary.rate < summary.national_rate
    key = "pack.sum_province_below" if below_national else "pack.sum_province_reached"
    # "2,0 pp below": the sentence says the direction, a minus sign would say it twice.
    gap = fmt.decimal(abs(summary.gap_national) * 100, lang) + " pp" if below_national else \
        fmt.points(summary.gap_national, lang)
    bullets = [
        i18n.t(key, lang, province=province, period=fmt.month(summary.period, lang),
               rate=fmt.percent(summary.rate, lang), gap=gap, national=national,
               participants=fmt.number(summary.participants, lang),
               potential=fmt.number(summary.potential_workers, lang)),
        fmt.counted("pack.sum_regions_below", regions_below_national(summary), lang, total=summary.region_count,
               national=national),
        i18n.t("pack.sum_extremes", lang, **extremes(indicators, lang)),
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
        first = scenarios[0]
        bullets.append(i18n.t("pack.sum_scenario", lang, name=first.name, basis=first.basis,
                              text=summary_text(first.result, lang)))
    return bullets
