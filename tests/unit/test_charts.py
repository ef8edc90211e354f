"""The Altair charts, read from their Vega-Lite specs (``chart.to_dict()``): labels, order, colours, inline data.

No browser here: the tests look at what the spec asks Vega to draw. Expected orders and counts are recomputed
from the demo indicators with pandas, and texts are written out as a reader sees them ("Nasional 39,0%").
"""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from bench.synthetic import REGION_COUNT, write_synthetic
from monev import charts, i18n
from monev.dataset import load_dataset
from monev.indicators import (
    province_series,
    province_summary,
    region_indicators,
    region_series,
)
from monev.regions import load_registry

PERIOD = "2024-10"
NATIONAL = 0.39
REGISTRY = load_registry()
KAUR, LEBONG, KOTA = (REGISTRY.match(name).code for name in ("Kaur", "Lebong", "Kota Bengkulu"))
ID_MONTHS = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
EN_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@pytest.fixture(scope="module")
def province_rate(demo) -> float:
    return province_summary(demo, PERIOD, NATIONAL).rate


# --- reading specs --------------------------------------------------------------------------------------------


def units(spec: dict, data: str | None = None):
    """Every single-view spec (one with a mark) with the name of the inline dataset it draws."""
    data = spec.get("data", {}).get("name", data)
    if "mark" in spec:
        yield spec, data
    for child in spec.get("layer", []):
        yield from units(child, data)


def mark_type(unit: dict) -> str:
    mark = unit["mark"]
    return mark if isinstance(mark, str) else mark["type"]


def rows_of(spec: dict, unit_data: str) -> list[dict]:
    return spec["datasets"][unit_data]


def all_values(spec: dict, field: str) -> list[object]:
    return [row[field] for rows in spec["datasets"].values() for row in rows if field in row]


def ranking_spec(indicators, province_rate, lang="id", **kwargs) -> dict:
    return charts.build_ranking_chart(indicators, national_rate=NATIONAL, province_rate=province_rate, lang=lang,
                                      **kwargs).to_dict()


# --- ranking --------------------------------------------------------------------------------------------------


def test_ranking_shows_the_national_and_provincial_reference_labels(indicators, province_rate):
    spec = ranking_spec(indicators, province_rate)
    labels = all_values(spec, "label")
    assert labels.count("Nasional 39,0%") == 1
    assert labels.count("Provinsi 37,0%") == 1
    assert not any(str(label).startswith("Target") for label in labels)  # no target given


def test_ranking_reference_labels_in_english(indicators, province_rate):
    labels = all_values(ranking_spec(indicators, province_rate, lang="en", target_rate=0.45), "label")
    assert {"National 39.0%", "Province 37.0%", "Target 45.0%"} <= set(labels)


def test_ranking_shows_a_target_that_differs_from_the_national_rate(indicators, province_rate):
    labels = all_values(ranking_spec(indicators, province_rate, target_rate=0.45), "label")
    assert labels.count("Target 45,0%") == 1
    assert labels.count("Nasional 39,0%") == 1


def test_a_target_equal_to_the_national_rate_is_not_labelled_twice(indicators, province_rate):
    spec = ranking_spec(indicators, province_rate, target_rate=NATIONAL)
    labels = all_values(spec, "label")
    assert not any(str(label).startswith("Target") for label in labels)
    assert labels.count("Nasional 39,0%") == 1
    rules = [row for row in spec["datasets"].values() if row and "dash" in row[0]]
    assert len(rules) == 1 and sorted(r["rate"] for r in rules[0]) == sorted([province_rate, NATIONAL])


def test_ranking_bars_are_ordered_best_first(indicators, province_rate):
    spec = ranking_spec(indicators, province_rate)
    expected = indicators.sort_values("rate", ascending=False)["region_name"].tolist()
    sorts = [unit["encoding"]["y"]["sort"] for unit, _ in units(spec) if "y" in unit["encoding"]
             and unit["encoding"]["y"].get("field") == "region"]
    assert sorts, "no bar encodes the regions"
    for sort in sorts:
        assert sort == expected
        assert sort[0] == "Kaur" and sort[-1] == "Lebong"


@pytest.mark.parametrize(("lang", "kaur_label"), [("id", "75,0%"), ("en", "75.0%")])
def test_ranking_value_labels_are_formatted_for_the_language(indicators, province_rate, lang, kaur_label):
    spec = ranking_spec(indicators, province_rate, lang=lang)
    texts = [(unit, data) for unit, data in units(spec)
             if mark_type(unit) == "text" and unit["encoding"]["text"]["field"] == "rate_label"]
    assert len(texts) == 1
    rows = {row["region"]: row for row in rows_of(spec, texts[0][1])}
    assert rows["Kaur"]["rate_label"] == kaur_label
    assert len(rows) == len(REGISTRY)
    for row in rows.values():
        assert re.fullmatch(r"\d{1,3}[,.]\d%", row["rate_label"]), row
        assert ("," in row["rate_label"]) == (lang == "id")


def test_ranking_colours_regions_at_or_above_the_national_rate_apart(indicators, province_rate):
    spec = ranking_spec(indicators, province_rate)
    bars = [(unit, data) for unit, data in units(spec) if mark_type(unit) == "bar"]
    assert len(bars) == 1
    rows = rows_of(spec, bars[0][1])
    expected = {name: ("above" if rate >= NATIONAL else "below")
                for name, rate in zip(indicators["region_name"], indicators["rate"])}
    assert {row["region"]: row["status"] for row in rows} == expected


def test_ranking_axis_reaches_every_reference_line(indicators, province_rate):
    """Every reference rule (national, province, target) must lie inside the x axis, or it is drawn off the plot.

    Realistic case: no region has reached 40.7% yet while the province's target is 50%.
    """
    behind = indicators[indicators["rate"] < 0.41]
    target = 0.50
    spec = ranking_spec(behind, province_rate, target_rate=target)
    domains = [unit["encoding"]["x"]["scale"]["domain"] for unit, _ in units(spec)
               if unit["encoding"].get("x", {}).get("scale", {}).get("domain")]
    assert domains
    rule_rates = [row["rate"] for rows in spec["datasets"].values() for row in rows if "dash" in row]
    assert target in rule_rates
    for low, high in domains:
        for rate in rule_rates:
            assert low <= rate <= high, f"reference line at {rate} outside the axis [{low}, {high}]"


# --- trend ----------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def series(demo) -> pd.DataFrame:
    return region_series(demo)


@pytest.fixture(scope="module")
def province(demo) -> pd.DataFrame:
    return province_series(demo)


def trend_spec(series, province, highlight, lang="id") -> dict:
    return charts.build_trend_chart(series, province, highlight=highlight, national_rate=NATIONAL,
                                    lang=lang).to_dict()


def test_highlighted_regions_are_coloured_and_the_others_grey(series, province):
    spec = trend_spec(series, province, [LEBONG, KAUR])
    coloured = [(unit, data) for unit, data in units(spec) if "color" in unit["encoding"]]
    assert len(coloured) == 1
    unit, data = coloured[0]
    assert set(unit["encoding"]["color"]["scale"]["domain"]) == {"Kaur", "Lebong"}
    assert {row["region_name"] for row in rows_of(spec, data)} == {"Kaur", "Lebong"}

    others = set(series["region_name"]) - {"Kaur", "Lebong"}
    context = [(u, d) for u, d in units(spec) if mark_type(u) == "line" and d is not None
               and {row.get("region_name") for row in rows_of(spec, d)} == others]
    assert len(context) == 1
    red, green, blue = (int(context[0][0]["mark"]["color"][i:i + 2], 16) for i in (1, 3, 5))
    assert max(red, green, blue) - min(red, green, blue) <= 24  # grey: no hue to compete with the highlights
    assert "color" not in context[0][0]["encoding"]


def test_trend_chart_shows_the_national_rule_label(series, province):
    spec = trend_spec(series, province, [KOTA])
    assert "Nasional 39,0%" in all_values(spec, "label")
    rules = [(u, d) for u, d in units(spec) if mark_type(u) == "rule"]
    assert len(rules) == 1
    assert [row["rate"] for row in rows_of(spec, rules[0][1])] == [NATIONAL]


def test_trend_months_are_abbreviated_indonesian_in_calendar_order(demo, series, province):
    shuffled = series.sample(frac=1.0, random_state=7)  # the input order must not matter
    spec = trend_spec(shuffled, province.iloc[::-1], [KAUR])
    expected = [f"{ID_MONTHS[int(p[5:]) - 1]} {p[:4]}" for p in sorted(demo.periods)]
    assert expected[-1] == "Okt 2024"
    sorts = [unit["encoding"]["x"]["sort"] for unit, _ in units(spec) if unit["encoding"].get("x", {}).get("sort")]
    assert sorts
    for sort in sorts:
        assert sort == expected
    assert set(all_values(spec, "month")) == set(expected)


def test_trend_months_across_a_new_year_stay_in_calendar_order(series, province):
    moved = {f"2024-{m:02d}": p for m, p in zip(range(1, 11), ["2023-09", "2023-10", "2023-11", "2023-12",
                                                                "2024-01", "2024-02", "2024-03", "2024-04",
                                                                "2024-05", "2024-06"])}
    spec = trend_spec(series.assign(period=series["period"].map(moved)),
                      province.assign(period=province["period"].map(moved)), [KAUR], lang="en")
    expected = ["Sep 2023", "Oct 2023", "Nov 2023", "Dec 2023", "Jan 2024", "Feb 2024", "Mar 2024", "Apr 2024",
                "May 2024", "Jun 2024"]
    for unit, _ in units(spec):
        if unit["encoding"].get("x", {}).get("sort"):
            assert unit["encoding"]["x"]["sort"] == expected


# --- segments -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["id", "en"])
def test_segment_counts_are_the_demo_counts_and_add_up_to_participants(indicators, lang):
    spec = charts.build_segment_chart(indicators, lang).to_dict()
    (unit, data), = list(units(spec))
    rows = rows_of(spec, data)
    names = {segment: i18n.catalog(lang)[f"segment.{segment}"] for segment in ("pu", "bpu", "jakon", "pmi")}
    assert unit["encoding"]["color"]["scale"]["domain"] == list(names.values())
    assert {row["segment"] for row in rows} == set(names.values())
    by_region: dict[str, dict[str, int]] = {}
    for row in rows:
        by_region.setdefault(row["region"], {})[row["segment"]] = row["count"]
    assert len(by_region) == len(REGISTRY)
    for record in indicators.itertuples():
        counts = by_region[record.region_name]
        assert counts == {names[s]: int(getattr(record, s)) for s in ("pu", "bpu", "jakon", "pmi")}
        assert sum(counts.values()) == record.participants


def test_segment_names_follow_the_language(indicators):
    indonesian = {row["segment"] for row in all_rows(charts.build_segment_chart(indicators, "id").to_dict())}
    english = {row["segment"] for row in all_rows(charts.build_segment_chart(indicators, "en").to_dict())}
    assert "Penerima Upah (PU)" in indonesian
    assert "Wage earners (PU)" in english
    assert indonesian.isdisjoint(english)


def all_rows(spec: dict) -> list[dict]:
    return [row for rows in spec["datasets"].values() for row in rows]


@pytest.mark.parametrize(("lang", "expected"), [("id", "12.000"), ("en", "12,000")])
def test_thousands_on_the_segment_axis_use_the_language_separator(indicators, lang, expected):
    spec = charts.build_segment_chart(indicators, lang).to_dict()
    (unit, _), = list(units(spec))
    expression = unit["encoding"]["x"]["axis"]["labelExpr"]
    separator = "." if lang == "id" else ","
    assert f"'{separator}'" in expression
    # Evaluate the two Vega functions it uses: format(value, ',d') then a global replace of ','.
    found = re.fullmatch(r"replace\(format\(datum\.value, ',d'\), /,/g, '(.)'\)", expression)
    assert found, expression
    assert format(12000, ",d").replace(",", found.group(1)) == expected
    assert format(1101234, ",d").replace(",", found.group(1)) == ("1.101.234" if lang == "id" else "1,101,234")


# --- target ---------------------------------------------------------------------------------------------------


def with_targets(indicators: pd.DataFrame, targets: dict[str, float]) -> pd.DataFrame:
    frame = indicators.copy()
    frame["target_rate"] = frame["region_code"].map(targets).fillna(frame["target_rate"])
    frame["gap_target"] = frame["rate"] - frame["target_rate"]
    return frame


def test_target_chart_puts_the_region_furthest_behind_first(indicators):
    # Targets that make the order by gap differ from the order by coverage.
    frame = with_targets(indicators, {KAUR: 0.90, LEBONG: 0.15, KOTA: 0.60})
    spec = charts.build_target_chart(frame, national_rate=NATIONAL).to_dict()
    gaps = {name: rate - target
            for name, rate, target in zip(frame["region_name"], frame["rate"], frame["target_rate"])}
    expected = sorted(gaps, key=gaps.get)
    assert expected[0] == "Kaur" and expected[-1] == "Lebong"  # best coverage, yet furthest from its target
    sorts = [unit["encoding"]["y"]["sort"] for unit, _ in units(spec) if "y" in unit["encoding"]]
    assert sorts
    for sort in sorts:
        assert sort == expected


def test_target_chart_has_a_target_tick_and_a_national_rule(indicators):
    spec = charts.build_target_chart(indicators, national_rate=NATIONAL).to_dict()
    ticks = [(u, d) for u, d in units(spec) if mark_type(u) == "tick"]
    assert len(ticks) == 1
    assert ticks[0][0]["encoding"]["x"]["field"] == "target"
    assert sorted(row["target"] for row in rows_of(spec, ticks[0][1])) == sorted(indicators["target_rate"])
    rules = [(u, d) for u, d in units(spec) if mark_type(u) == "rule"]
    assert len(rules) == 1
    assert [row["rate"] for row in rows_of(spec, rules[0][1])] == [NATIONAL]


def test_target_chart_axis_includes_every_target(indicators):
    frame = with_targets(indicators, {KAUR: 0.90})
    spec = charts.build_target_chart(frame, national_rate=NATIONAL).to_dict()
    domains = [unit["encoding"]["x"]["scale"]["domain"] for unit, _ in units(spec)
               if unit["encoding"].get("x", {}).get("scale", {}).get("domain")]
    assert domains
    for low, high in domains:
        assert low <= 0.90 <= high
        assert math.isclose(low, 0.0)


# --- every region labelled ------------------------------------------------------------------------------------

# Vega draws a 14 px label legibly in a row of this many pixels; a chart whose rows are thinner crowds its names.
MIN_ROW_PX = 24


def region_charts(indicators, province_rate, lang: str = "id") -> dict[str, dict]:
    """The spec of every chart with a row per region, built from ``indicators``."""
    names = indicators["region_name"].tolist()
    regions = indicators.assign(rate_after=indicators["rate"] + 0.05, change_points=5.0, additional=100,
                                at_national_after=indicators["rate"] + 0.05 >= NATIONAL)
    compared = pd.concat([pd.DataFrame({"scenario": "Hari ini", "region": names, "rate": indicators["rate"]}),
                          pd.DataFrame({"scenario": "Semua ke nasional", "region": names,
                                        "rate": regions["rate_after"]})])
    return {
        "ranking": charts.build_ranking_chart(indicators, national_rate=NATIONAL, province_rate=province_rate,
                                              lang=lang).to_dict(),
        "segments": charts.build_segment_chart(indicators, lang).to_dict(),
        "target": charts.build_target_chart(indicators, national_rate=NATIONAL, lang=lang).to_dict(),
        "dumbbell": charts.build_dumbbell_chart(regions, national_rate=NATIONAL, lang=lang).to_dict(),
        "scenario": charts.build_scenario_chart(compared, national_rate=NATIONAL, lang=lang).to_dict(),
    }


def region_axes(spec: dict) -> list[tuple[list[str], dict]]:
    """(the regions in axis order, the axis) of every unit whose y axis names regions."""
    return [(unit["encoding"]["y"]["sort"], unit["encoding"]["y"].get("axis", {})) for unit, _ in units(spec)
            if unit["encoding"].get("y", {}).get("field") == "region"]


def labelled_regions(spec: dict) -> list[str]:
    """The region names the chart writes on its axis, checked to be the same on every layer."""
    axes = region_axes(spec)
    assert axes, "no unit puts the regions on its y axis"
    shown = axes[0][0]
    for sort, axis in axes:
        assert sort == shown
        assert axis.get("labelOverlap") is False, "Vega (and Streamlit's theme) would hide overlapping names"
        assert axis.get("labelLimit") == 0, "a name longer than the label limit would be cut short"
    return shown


def test_every_chart_names_each_of_the_ten_demo_regions_in_a_row_of_its_own(indicators, province_rate):
    everyone = set(indicators["region_name"])
    assert len(everyone) == 10
    for name, spec in region_charts(indicators, province_rate).items():
        shown = labelled_regions(spec)
        assert sorted(shown) == sorted(everyone), name
        assert spec["height"] >= MIN_ROW_PX * len(shown), name
        drawn = {row["region"] for rows in spec["datasets"].values() for row in rows if "region" in row}
        assert drawn == everyone, name
        assert "title" not in spec, f"{name}: nothing left out, so nothing to say about it"


def test_the_trend_legend_lists_every_highlighted_region(indicators, series, province):
    codes = indicators["region_code"].tolist()
    spec = trend_spec(series, province, codes)
    (unit, _), = [(u, d) for u, d in units(spec) if "color" in u["encoding"]]
    color = unit["encoding"]["color"]
    assert sorted(color["scale"]["domain"]) == sorted(indicators["region_name"])
    legend = color["legend"]
    # No entry dropped (symbolLimit 0 is no limit), none cut short, and rows that wrap instead of running off.
    assert legend["symbolLimit"] == 0
    assert legend["labelLimit"] == 0
    assert 1 <= legend["columns"] < len(codes)


def test_ten_highlighted_regions_get_ten_distinct_colours_none_black_like_the_province(indicators, series, province):
    codes = indicators["region_code"].tolist()
    assert len(codes) == 10
    spec = trend_spec(series, province, codes)
    (unit, _), = [(u, d) for u, d in units(spec) if "color" in u["encoding"]]
    palette = unit["encoding"]["color"]["scale"]["range"]
    assert len(palette) == len(set(palette)) == 10
    assert "#000000" not in palette  # black is the province's dashed line


def test_more_highlighted_regions_than_the_palette_take_a_twenty_colour_scheme(country):
    frame = country.head(len(charts.TREND_PALETTE) + 1)
    series = pd.DataFrame({"region_code": frame["region_code"], "region_name": frame["region_name"],
                           "period": "2024-10", "rate": frame["rate"]})
    province = pd.DataFrame({"period": ["2024-10"], "rate": [0.3]})
    spec = trend_spec(series, province, frame["region_code"].tolist())
    (unit, _), = [(u, d) for u, d in units(spec) if "color" in u["encoding"]]
    assert unit["encoding"]["color"]["scale"] == {"domain": frame["region_name"].tolist(), "scheme": "category20"}


@pytest.fixture(scope="module")
def country(tmp_path_factory):
    """The synthetic country of 514 regions: its indicators in its last month."""
    files = write_synthetic(tmp_path_factory.mktemp("synthetic"))
    registry = load_registry(files.regions_dir)
    data = load_dataset(files.data_path.name, files.data_path.read_bytes(), registry).data
    assert data is not None
    return region_indicators(data, data.periods[-1], NATIONAL, registry)


@pytest.mark.parametrize(("lang", "note"), [
    ("id", "30 dari 514 wilayah ditampilkan: 15 di awal dan 15 di akhir urutan"),
    ("en", "30 of 514 regions shown: the 15 at each end of the order"),
])
def test_at_514_regions_a_chart_names_both_ends_of_its_order_and_says_so(country, lang, note):
    indicators = country
    assert len(indicators) == REGION_COUNT
    everyone = indicators["region_name"].tolist()
    full_orders = {
        "ranking": indicators.sort_values(["rate", "region_name"], ascending=[False, True])["region_name"].tolist(),
        "segments": everyone,
        "target": indicators.sort_values("gap_target")["region_name"].tolist(),
        "dumbbell": indicators.assign(after=indicators["rate"] + 0.05)
        .sort_values(["after", "region_name"], ascending=[False, True])["region_name"].tolist(),
        "scenario": indicators.sort_values("rate")["region_name"].tolist(),
    }
    for name, spec in region_charts(indicators, 0.37, lang).items():
        shown = labelled_regions(spec)
        order = full_orders[name]
        assert shown == order[:15] + order[-15:], name
        assert spec["height"] >= MIN_ROW_PX * len(shown), name
        drawn = {row["region"] for rows in spec["datasets"].values() for row in rows if "region" in row}
        assert drawn == set(shown), f"{name}: a region drawn without its name"
        assert spec["title"]["text"] == note, name


def test_a_subset_note_comes_before_the_regions_left_out_of_the_segments(country):
    indicators = country
    unknown = indicators.index[:2]
    without_split = indicators.assign(**{segment: indicators[segment].astype(float) for segment in
                                         ("pu", "bpu", "jakon", "pmi")})
    without_split.loc[unknown, ["pu", "bpu", "jakon", "pmi"]] = math.nan
    spec = charts.build_segment_chart(without_split, "en").to_dict()
    lines = spec["title"]["text"]
    assert lines[0] == "30 of 512 regions shown: the 15 at each end of the order"
    assert lines[1].startswith("Segment split not available for ")
