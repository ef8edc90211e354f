"""A saved scenario's result on the data it was built on, and the comparison of 2–4 scenarios side by side (table,
downloads and chart)."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import altair as alt
import pandas as pd
import pyarrow as pa
import streamlit as st

from components.caching import cached
from components.context import PageContext
from components.data_panels import arrow_table
from components.data_source import version_data
from components.downloads import render_chart, render_png_download, render_table_downloads
from components.scenario_list import scenario_labels
from components.state import Keys, WidgetKeys, persist
from monev import tables
from monev.charts import build_scenario_chart
from monev.dataset import CoverageData
from monev.scenario import Scenario, simulate_scenario
from monev.simulation import SimulationResult

MAX_COMPARED = 4


class ScenarioResultKey(NamedTuple):
    """What a saved scenario's result depends on: the scenario's revision (its body never changes within one), the
    checksum of the data it was built on, and the national average."""

    scenario_id: str
    scenario_version: int
    data_checksum: str
    national_rate: float


@cached(shared=True)
def _scenario_result(key: ScenarioResultKey, *, scenario: Scenario, data: CoverageData) -> SimulationResult:
    return simulate_scenario(scenario, data, key.national_rate)


def _result_key(context: PageContext, scenario: Scenario) -> tuple[ScenarioResultKey, CoverageData]:
    data = version_data(scenario.dataset_version_id)
    return ScenarioResultKey(scenario.id, scenario.version, data.checksum, context.national_rate), data


def scenario_results(context: PageContext, scenario: Scenario) -> SimulationResult:
    """The simulation of a saved scenario on the dataset version and period it was built on."""
    key, data = _result_key(context, scenario)
    return _scenario_result(key, scenario=scenario, data=data)


class ComparisonKey(NamedTuple):
    """What a comparison shows: each scenario's label and result key (its basis is in its revision), the language."""

    compared: tuple[tuple[str, ScenarioResultKey], ...]
    lang: str


@cached(shared=False)
def _comparison_tables(key: ComparisonKey, *, compared: Callable[[], list[tuple[Scenario, SimulationResult]]],
                       labels: dict[str, str]) -> tuple[pa.Table, tables.ExportTable]:
    """(the table shown — one column per scenario —, the table downloaded — one row per scenario —): one table."""
    chosen = compared()
    table = tables.comparison_table([(labels[scenario.id], result) for scenario, result in chosen],
                                    bases=[(scenario.dataset_version_id, scenario.period) for scenario, _ in chosen],
                                    lang=key.lang)
    name_column = table.frame.columns[0]
    side_by_side = tables.shown(table, key.lang).set_index(name_column).T.astype(str)
    return arrow_table(side_by_side), table


def render_comparison(context: PageContext, scenarios: list[Scenario]) -> None:
    """Choose 2–4 scenarios; their figures side by side, with downloads, and their coverage per region as a chart."""
    t = context.t
    ids = [s.id for s in scenarios]
    st.session_state[WidgetKeys.SCENARIO_COMPARE] = [sid for sid in st.session_state[Keys.COMPARED] if sid in ids]
    labels = scenario_labels(scenarios)
    chosen = st.multiselect(t("scenario.compare"), options=ids, max_selections=MAX_COMPARED,
                            format_func=lambda sid: labels[sid],
                            key=WidgetKeys.SCENARIO_COMPARE, placeholder=t("scenario.compare_placeholder"),
                            on_change=persist, args=(WidgetKeys.SCENARIO_COMPARE, Keys.COMPARED))
    if len(chosen) < 2:
        st.caption(t("scenario.compare_hint", most=MAX_COMPARED))
        return
    by_id = {s.id: s for s in scenarios}
    arguments = [(by_id[sid], *_result_key(context, by_id[sid])) for sid in chosen]

    def compared() -> list[tuple[Scenario, SimulationResult]]:
        """The scenarios and their results: needed only when the table or the chart is not cached yet."""
        return [(scenario, _scenario_result(key, scenario=scenario, data=data)) for scenario, key, data in arguments]

    key = ComparisonKey(tuple((labels[scenario.id], result_key) for scenario, result_key, _ in arguments),
                        context.lang)
    table, download = _comparison_tables(key, compared=compared, labels=labels)
    st.dataframe(table, width="stretch")
    render_table_downloads(context, download, key="download.comparison")

    def build() -> alt.LayerChart:
        results = compared()
        frames = [pd.DataFrame({"scenario": labels[scenario.id], "region": result.regions["region_name"],
                                "rate": result.regions["rate_after"]}) for scenario, result in results]
        today = results[0][1].regions
        frames.insert(0, pd.DataFrame({"scenario": t("sim.map_today"), "region": today["region_name"],
                                       "rate": today["rate"]}))
        return build_scenario_chart(pd.concat(frames), national_rate=context.national_rate, lang=context.lang)

    render_chart(build, chart_key=("scenario_comparison", repr(key.compared), context.lang))
    render_png_download(context, build, kind_key="comparison", key="download.comparison_png")
