"""Pure builders of Altair charts from indicator tables (no Streamlit; testable on their specs).

Every number a chart shows is formatted by ``monev.fmt`` before it reaches Vega, so the screen shows 37,0%
and 1.101.234 whatever the browser's locale.
"""

from __future__ import annotations

import math
from typing import Final, TypeVar

import altair as alt
import pandas as pd

from monev import fmt, i18n
from monev.indicators import split_known

# ColorBrewer RdBu ends: distinguishable with the common colour-vision deficiencies and on a projector.
COLOR_AT_OR_ABOVE = "#2166ac"
COLOR_BELOW = "#d6604d"
COLOR_REFERENCE = "#333333"
BAR_HEIGHT_PX = 34
# Room to the right of the largest value for its label, and never beyond 100 %.
_AXIS_HEADROOM = 1.15
MIN_CHART_HEIGHT_PX = 140  # a chart of one region still needs room for its axis and legend
# A chart of one row per region names at most this many; beyond, it shows the first and last half of its order and
# says so: hundreds of names, one per 34 px row, are a wall nobody reads.
MAX_LABELLED_REGIONS = 30
REGION_LABEL_FONT_PX = 14


# Layered charts are built as alt.LayerChart(layer=[...]), which is what alt.layer returns when no layer has a facet
# encoding (none here has one); alt.layer is typed to return a FacetChart too.
_AnyChart = TypeVar("_AnyChart", alt.Chart, alt.LayerChart)
_STATUS_SCALE = alt.Scale(domain=["above", "below"], range=[COLOR_AT_OR_ABOVE, COLOR_BELOW])


def _region_axis() -> alt.Axis:
    """An axis naming every region whole: Streamlit's theme hides overlapping labels and cuts them at 100 px."""
    return alt.Axis(labelFontSize=REGION_LABEL_FONT_PX, labelOverlap=False, labelLimit=0)


def _rows_height(count: int) -> int:
    """The height that gives each of ``count`` regions a row of its own."""
    return max(MIN_CHART_HEIGHT_PX, BAR_HEIGHT_PX * count)


def readable_regions(order: list[str]) -> list[str]:
    """The regions a chart names, in ``order``: all of them, or the first and last ones when there are too many."""
    if len(order) <= MAX_LABELLED_REGIONS:
        return order
    each = MAX_LABELLED_REGIONS // 2
    return order[:each] + order[-each:]


def _subset_note(shown: list[str], order: list[str], lang: str) -> list[str]:
    """The line that says a chart shows a subset of the regions, or none when it shows them all."""
    if len(shown) == len(order):
        return []
    return [i18n.t("chart.regions_subset", lang, shown=fmt.number(len(shown), lang),
                   total=fmt.number(len(order), lang), each=fmt.number(len(shown) // 2, lang))]


def _with_title(chart: _AnyChart, lines: list[str]) -> _AnyChart:
    """``chart`` with ``lines`` above it, if any."""
    if not lines:
        return chart
    text = lines[0] if len(lines) == 1 else lines
    return chart.properties(title=alt.TitleParams(text, anchor="start", fontSize=13, fontWeight="normal"))


def _rate_axis_max(*rates: float) -> float:
    """The end of a coverage axis that shows every given rate (NaNs ignored) with room for its label."""
    shown = [rate for rate in rates if not math.isnan(rate)]
    return min(1.0, max(shown, default=0.0) * _AXIS_HEADROOM)


def _reference_lines(references: list[tuple[str, float, str]]) -> alt.LayerChart | None:
    """Vertical rules with their labels above the plot; the lower of two neighbours is labelled on its left."""
    rows = [{"label": label, "rate": rate, "dash": dash} for label, rate, dash in references if not math.isnan(rate)]
    if not rows:
        return None
    frame = pd.DataFrame(rows).sort_values("rate").reset_index(drop=True)
    frame["align"] = ["right" if i == 0 and len(frame) > 1 else "left" for i in range(len(frame))]
    frame["label_y"] = [-8 - 18 * (i // 2) for i in range(len(frame))]  # a third label gets a row of its own
    base = alt.Chart(frame)
    rules = base.mark_rule(strokeWidth=2, color=COLOR_REFERENCE).encode(
        x="rate:Q",
        strokeDash=alt.StrokeDash("dash:N", scale=alt.Scale(domain=["solid", "dashed", "dotted"],
                                                            range=[[1, 0], [8, 4], [2, 3]]), legend=None),
    )
    labels = [
        base.transform_filter(alt.datum.align == align)
        .mark_text(align=align, dx=4 if align == "left" else -4, fontSize=13, fontWeight="bold", color=COLOR_REFERENCE)
        .encode(x="rate:Q", y=alt.Y("label_y:Q", scale=None), text="label:N")
        for align in ("left", "right")
    ]
    return alt.LayerChart(layer=[rules, *labels])


def build_ranking_chart(indicators: pd.DataFrame, *, national_rate: float, province_rate: float,
                        target_rate: float = math.nan, lang: str = i18n.DEFAULT_LANGUAGE) -> alt.LayerChart:
    """Horizontal bars of coverage per region, best first, with national/provincial/target reference lines."""
    frame = pd.DataFrame({
        "region": indicators["region_name"],
        "rate": indicators["rate"],
        "rank": indicators["rank"],
        "rate_label": [fmt.percent(r, lang) for r in indicators["rate"]],
        "participants_label": [fmt.number(v, lang) for v in indicators["participants"]],
        "potential_label": [fmt.number(v, lang) for v in indicators["potential_workers"]],
        "gap_label": [fmt.points(v, lang) for v in indicators["gap_national"]],
        "status": ["above" if v else "below" for v in indicators["at_or_above_national"]],
    })
    every = frame.sort_values(["rate", "region"], ascending=[False, True])["region"].tolist()
    order = readable_regions(every)
    frame = frame[frame["region"].isin(order)]
    x_max = _rate_axis_max(frame["rate"].max(), national_rate, province_rate, target_rate)
    x = alt.X("rate:Q", title=i18n.t("chart.rate_axis", lang), scale=alt.Scale(domain=[0, x_max]),
              axis=alt.Axis(format=".0%", labelFontSize=13, titleFontSize=14))
    y = alt.Y("region:N", sort=order, title=None, axis=_region_axis())
    tooltip = [
        alt.Tooltip("region:N", title=i18n.t("table.region", lang)),
        alt.Tooltip("rate_label:N", title=i18n.t("table.rate", lang)),
        alt.Tooltip("participants_label:N", title=i18n.t("table.participants", lang)),
        alt.Tooltip("potential_label:N", title=i18n.t("table.potential_workers", lang)),
        alt.Tooltip("gap_label:N", title=i18n.t("table.gap_national", lang)),
        alt.Tooltip("rank:Q", title=i18n.t("table.rank", lang)),
    ]
    base = alt.Chart(frame)
    bars = base.mark_bar(cornerRadiusEnd=3).encode(
        x=x, y=y, tooltip=tooltip,
        color=alt.Color("status:N", legend=None,
                        scale=_STATUS_SCALE),
    )
    values = base.mark_text(align="left", dx=4, fontSize=14, fontWeight="bold").encode(x=x, y=y, text="rate_label:N")
    layers: list[alt.Chart | alt.LayerChart] = [bars]
    lines = [
        (i18n.t("chart.national_line", lang, rate=fmt.percent(national_rate, lang)), national_rate, "dashed"),
        (i18n.t("chart.province_line", lang, rate=fmt.percent(province_rate, lang)), province_rate, "solid"),
    ]
    # A target equal to the national average would draw a second label over the first.
    if not math.isnan(target_rate) and not math.isclose(target_rate, national_rate, abs_tol=5e-4):
        lines.append((i18n.t("chart.target_line", lang, rate=fmt.percent(target_rate, lang)), target_rate, "dotted"))
    references = _reference_lines(lines)
    if references is not None:
        layers.append(references)
    layers.append(values)  # value labels over the reference lines, so the lines never hide a number
    chart = alt.LayerChart(layer=layers).properties(height=_rows_height(len(order)), width="container",
                                                    padding={"top": 44, "right": 12})
    return _with_title(chart, _subset_note(order, every, lang))


# Okabe–Ito: a qualitative palette that stays distinguishable with colour-vision deficiencies.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#000000")
COLOR_CONTEXT_LINE = "#c9ced6"
SEGMENT_ORDER = ("pu", "bpu", "jakon", "pmi")
# The trend legend wraps after this many regions: one row of ten names runs off the chart and Vega drops the rest.
TREND_LEGEND_COLUMNS = 3
# Twelve distinct hues for the highlighted trend lines: Okabe–Ito's seven (its black is the province's line here),
# then the five of Paul Tol's colour-blind-safe "muted" set that differ most from them (wine, indigo, olive, rose,
# dark green). More highlighted regions than that take Vega's twenty-colour scheme: distinct, if less kind to
# colour-vision deficiencies.
TREND_PALETTE = (*OKABE_ITO[:7], "#882255", "#332288", "#999933", "#CC6677", "#117733")
TREND_MANY_SCHEME: Final = "category20"


def _month_axis(periods: list[str], lang: str) -> tuple[list[str], dict[str, str]]:
    labels = {period: fmt.month(period, lang, abbreviated=True) for period in periods}
    return [labels[p] for p in sorted(periods)], labels


def _national_rule(national_rate: float, lang: str) -> alt.LayerChart:
    frame = pd.DataFrame({"rate": [national_rate],
                          "label": [i18n.t("chart.national_line", lang, rate=fmt.percent(national_rate, lang))]})
    base = alt.Chart(frame)
    return base.mark_rule(strokeDash=[8, 4], strokeWidth=2, color=COLOR_REFERENCE).encode(y="rate:Q") + \
        base.mark_text(align="left", dx=4, dy=-8, fontSize=13, fontWeight="bold", color=COLOR_REFERENCE).encode(
            y="rate:Q", x=alt.value(0), text="label:N")


def build_trend_chart(series: pd.DataFrame, province: pd.DataFrame, *, highlight: list[str],
                      national_rate: float, lang: str = i18n.DEFAULT_LANGUAGE) -> alt.LayerChart:
    """Coverage over time: every region in grey, the highlighted ones in colour, the province dashed."""
    order, labels = _month_axis(sorted(series["period"].unique()), lang)
    regions = series.assign(
        month=series["period"].map(labels),
        rate_label=[fmt.percent(v, lang) for v in series["rate"]],
        highlighted=series["region_code"].isin(highlight),
    )
    x = alt.X("month:O", sort=order, title=None, axis=alt.Axis(labelAngle=0, labelFontSize=13))
    y = alt.Y("rate:Q", title=i18n.t("chart.rate_axis", lang), axis=alt.Axis(format=".0%", labelFontSize=13),
              scale=alt.Scale(zero=True))
    tooltip = [alt.Tooltip("region_name:N", title=i18n.t("table.region", lang)),
               alt.Tooltip("month:N", title=i18n.t("sidebar.period", lang)),
               alt.Tooltip("rate_label:N", title=i18n.t("table.rate", lang))]
    context = alt.Chart(regions[~regions["highlighted"]]).mark_line(strokeWidth=1.5, color=COLOR_CONTEXT_LINE).encode(
        x=x, y=y, detail="region_name:N", tooltip=tooltip)
    highlighted = regions[regions["highlighted"]]
    names = list(dict.fromkeys(highlighted["region_name"]))
    scale = (alt.Scale(domain=names, range=list(TREND_PALETTE[:max(1, len(names))]))
             if len(names) <= len(TREND_PALETTE) else alt.Scale(domain=names, scheme=TREND_MANY_SCHEME))
    color = alt.Color("region_name:N", title=None, scale=scale,
                      legend=alt.Legend(orient="top", labelFontSize=13, columns=TREND_LEGEND_COLUMNS,
                                        labelLimit=0, symbolLimit=0))
    focus = alt.Chart(highlighted).mark_line(strokeWidth=3.5, point=alt.OverlayMarkDef(size=50)).encode(
        x=x, y=y, color=color, tooltip=tooltip)
    province_frame = province.assign(
        month=province["period"].map(labels), rate_label=[fmt.percent(v, lang) for v in province["rate"]],
        region_name=i18n.t("cli.province", lang))
    province_line = alt.Chart(province_frame).mark_line(strokeWidth=2.5, strokeDash=[2, 2], color="#000000").encode(
        x=x, y=y, tooltip=tooltip)
    last = province_frame.sort_values("period").tail(1)
    province_label = alt.Chart(last).mark_text(align="left", dx=6, fontSize=13, fontWeight="bold").encode(
        x=x, y=y, text="region_name:N")
    layers = [context, _national_rule(national_rate, lang), province_line, province_label, focus]
    return alt.LayerChart(layer=layers).properties(height=380, width="container", padding={"right": 80})


def build_segment_chart(indicators: pd.DataFrame, lang: str = i18n.DEFAULT_LANGUAGE) -> alt.Chart:
    """Active participants per region, stacked by segment (PU, BPU, Jakon, PMI), best coverage first.

    Regions whose split is unknown (their file gave only the total) are left out, and the title names them."""
    names = {segment: i18n.t(f"segment.{segment}", lang) for segment in SEGMENT_ORDER}
    known = split_known(indicators)
    split, left_out = indicators[known], list(indicators.loc[~known, "region_name"])
    every = list(split["region_name"])
    order = readable_regions(every)
    split = split[split["region_name"].isin(order)]
    rows = []
    for row in split.itertuples():
        for position, segment in enumerate(SEGMENT_ORDER):
            count = int(getattr(row, segment))
            rows.append({"region": row.region_name, "segment": names[segment], "order": position, "count": count,
                         "count_label": fmt.number(count, lang),
                         "share_label": fmt.percent(count / row.participants if row.participants else math.nan, lang)})
    frame = pd.DataFrame(rows, columns=["region", "segment", "order", "count", "count_label", "share_label"])
    chart = alt.Chart(frame).mark_bar().encode(
        x=alt.X("count:Q", stack="zero", title=i18n.t("table.participants", lang),
                axis=alt.Axis(labelExpr=_thousands_expr(lang), labelFontSize=13)),
        y=alt.Y("region:N", sort=order, title=None, axis=_region_axis()),
        color=alt.Color("segment:N", title=None, sort=[names[s] for s in SEGMENT_ORDER],
                        scale=alt.Scale(domain=[names[s] for s in SEGMENT_ORDER], range=list(OKABE_ITO[:4])),
                        legend=alt.Legend(orient="top", columns=2, labelFontSize=13, labelLimit=0)),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("region:N", title=i18n.t("table.region", lang)),
                 alt.Tooltip("segment:N", title=i18n.t("chart.segment", lang)),
                 alt.Tooltip("count_label:N", title=i18n.t("table.participants", lang)),
                 alt.Tooltip("share_label:N", title=i18n.t("chart.share", lang))],
    ).properties(height=_rows_height(len(order)), width="container")
    return _with_title(chart, [*_subset_note(order, every, lang),
                               *([segments_left_out_text(left_out, lang)] if left_out else [])])


# A title names this many regions at most; the rest are counted.
_LEFT_OUT_NAMED = 5


def segments_left_out_text(region_names: list[str], lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """'Segment split not available for A, B (+3)': the regions a segment view leaves out."""
    named = ", ".join(region_names[:_LEFT_OUT_NAMED])
    more = len(region_names) - _LEFT_OUT_NAMED
    return i18n.t("chart.segments_left_out", lang, regions=named + (f" (+{more})" if more > 0 else ""))


def _thousands_expr(lang: str) -> str:
    """Vega expression writing axis numbers with the language's thousands separator (1.000 in Indonesian)."""
    separator = "." if lang == "id" else ","
    return f"replace(format(datum.value, ',d'), /,/g, '{separator}')"


def build_target_chart(indicators: pd.DataFrame, *, national_rate: float,
                       lang: str = i18n.DEFAULT_LANGUAGE) -> alt.LayerChart:
    """Bullet chart: each region's coverage (bar) against its target (black tick), furthest behind first."""
    frame = pd.DataFrame({
        "region": indicators["region_name"],
        "rate": indicators["rate"],
        "target": indicators["target_rate"],
        "rate_label": [fmt.percent(v, lang) for v in indicators["rate"]],
        "target_label": [fmt.percent(v, lang) for v in indicators["target_rate"]],
        "gap_label": [fmt.points(v, lang) for v in indicators["gap_target"]],
        "status": ["above" if g >= 0 else "below" for g in indicators["gap_target"].fillna(-1)],
    })
    every = frame.assign(gap=indicators["gap_target"].to_numpy()).sort_values("gap")["region"].tolist()
    order = readable_regions(every)
    frame = frame[frame["region"].isin(order)]
    y = alt.Y("region:N", sort=order, title=None, axis=_region_axis())
    x_max = _rate_axis_max(frame["rate"].max(), frame["target"].max(skipna=True), national_rate)
    x = alt.X("rate:Q", title=i18n.t("chart.rate_axis", lang), scale=alt.Scale(domain=[0, x_max]),
              axis=alt.Axis(format=".0%", labelFontSize=13))
    tooltip = [alt.Tooltip("region:N", title=i18n.t("table.region", lang)),
               alt.Tooltip("rate_label:N", title=i18n.t("table.rate", lang)),
               alt.Tooltip("target_label:N", title=i18n.t("table.target", lang)),
               alt.Tooltip("gap_label:N", title=i18n.t("table.gap_target", lang))]
    base = alt.Chart(frame)
    target_band = base.mark_bar(color="#e3e8ef", size=26).encode(
        x=alt.X("target:Q", scale=alt.Scale(domain=[0, x_max])), y=y, tooltip=tooltip)
    bars = base.mark_bar(size=12).encode(
        x=x, y=y, tooltip=tooltip,
        color=alt.Color("status:N", legend=None,
                        scale=_STATUS_SCALE))
    ticks = base.mark_tick(color="#000000", thickness=3, size=30).encode(x="target:Q", y=y, tooltip=tooltip)
    values = base.mark_text(align="left", dx=6, fontSize=13, fontWeight="bold").encode(
        x=alt.X("target:Q"), y=y, text="gap_label:N")
    national = alt.Chart(pd.DataFrame({"rate": [national_rate]})).mark_rule(strokeDash=[8, 4], strokeWidth=2,
                                                                            color=COLOR_REFERENCE).encode(x="rate:Q")
    chart = alt.LayerChart(layer=[target_band, bars, ticks, national, values]).properties(
        height=_rows_height(len(order)), width="container", padding={"right": 60})
    return _with_title(chart, _subset_note(order, every, lang))


def build_dumbbell_chart(regions: pd.DataFrame, *, national_rate: float,
                         lang: str = i18n.DEFAULT_LANGUAGE) -> alt.LayerChart:
    """Before → after per region: today's coverage (grey dot) joined to the projected one (coloured dot)."""
    frame = pd.DataFrame({
        "region": regions["region_name"],
        "before": regions["rate"],
        "after": regions["rate_after"],
        "before_label": [fmt.percent(v, lang) for v in regions["rate"]],
        "after_label": [fmt.percent(v, lang) for v in regions["rate_after"]],
        "change_label": [fmt.points(v, lang) for v in regions["change_points"]],
        "added_label": [fmt.number(v, lang) for v in regions["additional"]],
        "status": ["above" if v else "below" for v in regions["at_national_after"]],
    })
    every = frame.sort_values(["after", "region"], ascending=[False, True])["region"].tolist()
    order = readable_regions(every)
    frame = frame[frame["region"].isin(order)]
    y = alt.Y("region:N", sort=order, title=None, axis=_region_axis())
    x_max = _rate_axis_max(frame["after"].max(), national_rate)
    scale = alt.Scale(domain=[0, x_max])
    tooltip = [alt.Tooltip("region:N", title=i18n.t("table.region", lang)),
               alt.Tooltip("before_label:N", title=i18n.t("sim.before", lang)),
               alt.Tooltip("after_label:N", title=i18n.t("sim.after", lang)),
               alt.Tooltip("change_label:N", title=i18n.t("sim.change", lang)),
               alt.Tooltip("added_label:N", title=i18n.t("sim.col_additional", lang))]
    base = alt.Chart(frame)
    link = base.mark_rule(strokeWidth=3, color=COLOR_CONTEXT_LINE).encode(
        x=alt.X("before:Q", scale=scale, title=i18n.t("chart.rate_axis", lang),
                axis=alt.Axis(format=".0%", labelFontSize=13)), x2="after:Q", y=y, tooltip=tooltip)
    before = base.mark_circle(size=110, color="#8a94a6", opacity=1).encode(x="before:Q", y=y, tooltip=tooltip)
    after = base.mark_circle(size=170, opacity=1).encode(
        x="after:Q", y=y, tooltip=tooltip,
        color=alt.Color("status:N", legend=None,
                        scale=_STATUS_SCALE))
    labels = base.mark_text(align="left", dx=10, fontSize=13, fontWeight="bold").encode(
        x="after:Q", y=y, text="after_label:N")
    national = alt.Chart(pd.DataFrame({"rate": [national_rate], "label": [
        i18n.t("chart.national_line", lang, rate=fmt.percent(national_rate, lang))]}))
    rule = national.mark_rule(strokeDash=[8, 4], strokeWidth=2, color=COLOR_REFERENCE).encode(x="rate:Q")
    rule_label = national.mark_text(align="left", dx=4, dy=-8, fontSize=13, fontWeight="bold",
                                    color=COLOR_REFERENCE).encode(x="rate:Q", y=alt.value(0), text="label:N")
    chart = alt.LayerChart(layer=[link, rule, rule_label, before, after, labels]).properties(
        height=_rows_height(len(order)), width="container", padding={"top": 24, "right": 60})
    return _with_title(chart, _subset_note(order, every, lang))


def build_scenario_chart(frame: pd.DataFrame, *, national_rate: float,
                         lang: str = i18n.DEFAULT_LANGUAGE) -> alt.LayerChart:
    """Coverage per region under each scenario (columns: scenario, region, rate), today first."""
    order = list(dict.fromkeys(frame["scenario"]))
    data = frame.assign(rate_label=[fmt.percent(v, lang) for v in frame["rate"]])
    every = data[data["scenario"] == order[0]].sort_values("rate")["region"].tolist()
    regions = readable_regions(every)
    data = data[data["region"].isin(regions)]
    y = alt.Y("region:N", sort=regions, title=None, axis=_region_axis())
    x_max = _rate_axis_max(data["rate"].max(), national_rate)
    points = alt.Chart(data).mark_point(filled=True, size=140, opacity=0.9).encode(
        x=alt.X("rate:Q", title=i18n.t("chart.rate_axis", lang), scale=alt.Scale(domain=[0, x_max]),
                axis=alt.Axis(format=".0%", labelFontSize=13)),
        y=y,
        color=alt.Color("scenario:N", title=None, sort=order,
                        scale=alt.Scale(domain=order, range=["#8a94a6", *OKABE_ITO[:len(order) - 1]]),
                        legend=alt.Legend(orient="top", labelFontSize=13, labelLimit=0)),
        shape=alt.Shape("scenario:N", sort=order, legend=None),
        tooltip=[alt.Tooltip("scenario:N", title=i18n.t("scenario.name", lang)),
                 alt.Tooltip("region:N", title=i18n.t("table.region", lang)),
                 alt.Tooltip("rate_label:N", title=i18n.t("table.rate", lang))],
    )
    rule = alt.Chart(pd.DataFrame({"rate": [national_rate]})).mark_rule(
        strokeDash=[8, 4], strokeWidth=2, color=COLOR_REFERENCE).encode(x="rate:Q")
    chart = alt.LayerChart(layer=[rule, points]).properties(height=_rows_height(len(regions)), width="container")
    return _with_title(chart, _subset_note(regions, every, lang))


# A share's colour runs from red (nobody registered) to blue (everyone): RdBu, kind to colour-vision deficiencies.
GROUP_SHARE_SCHEME: Final = "redblue"
COLOR_NO_ELIGIBLE = "#d9d9d9"
GROUP_CELL_HEIGHT_PX = 44
GROUP_SELECTION = "cell"  # the name of the heatmap's click selection (its fields: region_code, group_code)


def build_group_heatmap(cells: pd.DataFrame, *, region_names: dict[str, str], group_names: dict[str, str],
                        lang: str = i18n.DEFAULT_LANGUAGE) -> alt.LayerChart:
    """The region × group matrix coloured by share registered, each cell with its share and counts, a row per
    region in ``region_names``' order and a column per group in ``group_names``' order (all labelled); ``cells``
    has region_code, group_code, eligible, registered, share (NaN when nobody is eligible)."""
    frame = cells.assign(
        region=cells["region_code"].map(region_names), group=cells["group_code"].map(group_names),
        share_label=[fmt.percent(share, lang) if not math.isnan(share) else fmt.MISSING for share in cells["share"]],
        counts_label=[f"{fmt.number(int(registered), lang)}/{fmt.number(int(eligible), lang)}"
                      for registered, eligible in zip(cells["registered"], cells["eligible"])],
    )
    click = alt.selection_point(name=GROUP_SELECTION, fields=["region_code", "group_code"])
    x = alt.X("group:N", sort=list(group_names.values()), scale=alt.Scale(domain=list(group_names.values())),
              title=None, axis=alt.Axis(orient="bottom", labelAngle=0, labelLimit=0, labelFontSize=13,
                                        labelExpr="split(datum.label, ' ')"))
    y = alt.Y("region:N", sort=list(region_names.values()), title=None, axis=_region_axis())
    tooltip = [alt.Tooltip("region:N", title=i18n.t("groups.region", lang)),
               alt.Tooltip("group:N", title=i18n.t("groups.group", lang)),
               alt.Tooltip("share_label:N", title=i18n.t("groups.share", lang)),
               alt.Tooltip("counts_label:N", title=i18n.t("groups.counts", lang))]
    rects = alt.Chart().mark_rect(stroke="white", strokeWidth=2).encode(
        x=x, y=y, tooltip=tooltip,
        color=alt.condition("isValid(datum.share)",
                            alt.Color("share:Q", scale=alt.Scale(scheme=GROUP_SHARE_SCHEME, domain=[0, 1]),
                                      legend=alt.Legend(format=".0%", title=i18n.t("groups.share", lang))),
                            alt.value(COLOR_NO_ELIGIBLE)),
        opacity=alt.condition(click, alt.value(1.0), alt.value(0.55)),
    ).add_params(click)
    # White on the dark ends of the scale, black in its light middle.
    ink = alt.condition("isValid(datum.share) && abs(datum.share - 0.5) > 0.3", alt.value("white"), alt.value("black"))
    share_text = alt.Chart().mark_text(dy=-7, fontSize=13, fontWeight="bold").encode(
        x=x, y=y, text="share_label:N", color=ink)
    count_text = alt.Chart().mark_text(dy=9, fontSize=11).encode(x=x, y=y, text="counts_label:N", color=ink)
    return alt.LayerChart(layer=[rects, share_text, count_text], data=frame).properties(
        width="container", height=alt.Step(GROUP_CELL_HEIGHT_PX))
