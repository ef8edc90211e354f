"""Pure builders of Altair charts from indicator tables (no Streamlit; testable on their specs).

Every number a chart shows is formatted by ``monev.fmt`` before it reaches Vega, so the screen shows 37,0%
and 1.101.234 whatever the browser's locale.
"""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from monev import fmt, i18n

# ColorBrewer RdBu ends: distinguishable with the common colour-vision deficiencies and on a projector.
COLOR_AT_OR_ABOVE = "#2166ac"
COLOR_BELOW = "#d6604d"
COLOR_REFERENCE = "#333333"
BAR_HEIGHT_PX = 34


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
    return alt.layer(rules, *labels)


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
    order = frame.sort_values(["rate", "region"], ascending=[False, True])["region"].tolist()
    x_max = min(1.0, max(frame["rate"].max(), national_rate, province_rate) * 1.15)
    x = alt.X("rate:Q", title=i18n.t("chart.rate_axis", lang), scale=alt.Scale(domain=[0, x_max]),
              axis=alt.Axis(format=".0%", labelFontSize=13, titleFontSize=14))
    y = alt.Y("region:N", sort=order, title=None, axis=alt.Axis(labelFontSize=14, labelLimit=220))
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
                        scale=alt.Scale(domain=["above", "below"], range=[COLOR_AT_OR_ABOVE, COLOR_BELOW])),
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
    return (
        alt.layer(*layers)
        .properties(height=BAR_HEIGHT_PX * len(frame), width="container", padding={"top": 44, "right": 12})
    )
