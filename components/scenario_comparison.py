"""A saved scenario's figures on the data the page shows (the active version, the session's period) with their basis
and, one click away, its original figures; and 2–4 scenarios compared side by side (table, downloads, chart)."""

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
from monev import fmt, tables
from monev.charts import build_scenario_chart
from monev.dataset import CoverageData
from monev.scenario import Scenario, ShownScenario, simulate_scenario
from monev.sentences import basis_line, data_basis
from monev.simulation import SimulationResult
from monev.store import StoreUnavailable

MAX_COMPARED = 4


class ScenarioResultKey(NamedTuple):
    """What a saved scenario's result depends on: the scenario's revision (its body never changes within one), the
    checksum of the data it is simulated on, the period, and the national average."""

    scenario_id: str
    scenario_version: int
    data_checksum: str
    period: str
    national_rate: float


@cached(shared=True)
def _scenario_result(key: ScenarioResultKey, *, scenario: Scenario, data: CoverageData) -> SimulationResult:
    return simulate_scenario(scenario, data, key.national_rate, key.period)


def _result_key(context: PageContext, scenario: Scenario) -> ScenarioResultKey:
    return ScenarioResultKey(scenario.id, scenario.version, context.data.checksum, context.period,
                             context.national_rate)


def scenario_results(context: PageContext, scenario: Scenario) -> SimulationResult:
    """A saved scenario's inputs simulated on the data the page shows: the active version, the session's period."""
    return _scenario_result(_result_key(context, scenario), scenario=scenario, data=context.data)


def original_results(context: PageContext, scenario: Scenario) -> SimulationResult:
    """The scenario simulated on the dataset version and period it was built on: its original figures."""
    data = version_data(scenario.dataset_version_id)
    key = ScenarioResultKey(scenario.id, scenario.version, data.checksum, scenario.period, context.national_rate)
    return _scenario_result(key, scenario=scenario, data=data)


def scenario_basis(context: PageContext, built_on: tuple[int, str]) -> str:
    """The data a scenario built on ``built_on`` (version, period) is shown on here, in the one wording."""
    shown_version = context.source.version.id if context.source.version else None
    return basis_line(built_on, (shown_version, context.period), context.lang)


def shown_scenarios(context: PageContext, scenarios: list[Scenario]) -> list[ShownScenario]:
    """The scenarios as this page shows them (name, result on the page's data, basis): what the meeting pack gets."""
    return [ShownScenario(scenario.name, scenario_results(context, scenario),
                          scenario_basis(context, (scenario.dataset_version_id, scenario.period)))
            for scenario in scenarios]


def render_headline_figures(context: PageContext, result: SimulationResult) -> None:
    """A scenario's headline figures in a row: coverage after (with its change), participants added, cost per year."""
    t, lang = context.t, context.lang
    coverage, added, cost = st.columns(3)
    coverage.metric(t("sim.kpi_coverage"), fmt.percent(result.rate_after, lang),
                    delta=fmt.points(result.change_points, lang))
    added.metric(t("scenario.cmp_added"), fmt.number(result.participants_added, lang))
    cost.metric(t("sim.kpi_cost_year"), fmt.rupiah(result.cost_idr_per_year, lang))


def render_original_figures(context: PageContext, scenario: Scenario) -> None:
    """One click away: the scenario's figures on the version and period it was built on (shown only when the page
    computes it on other data)."""
    built_on = (scenario.dataset_version_id, scenario.period)
    if scenario_basis(context, built_on) == data_basis(*built_on, context.lang):
        return
    with st.expander(context.t("scenario.original", basis=data_basis(*built_on, context.lang)),
                     icon=":material/history:"):
        try:
            result = original_results(context, scenario)
        except (LookupError, StoreUnavailable):
            st.caption(context.t("scenario.original_missing", version=scenario.dataset_version_id))
            return
        st.caption(context.t("scenario.original_explain"))
        render_headline_figures(context, result)


def render_scenario_figures(context: PageContext, scenario: Scenario) -> None:
    """A scenario where a person reads it: its basis, its headline figures on the page's data, the original ones."""
    st.caption(context.t("scenario.basis_line",
                         basis=scenario_basis(context, (scenario.dataset_version_id, scenario.period))))
    render_headline_figures(context, scenario_results(context, scenario))
    render_original_figures(context, scenario)


class ComparisonKey(NamedTuple):
    """What a comparison shows: each scenario's label, result key and basis in words, the language."""

    compared: tuple[tuple[str, ScenarioResultKey, str], ...]
    lang: str


@cached(shared=False)
def _comparison_tables(key: ComparisonKey, *, compared: Callable[[], list[tuple[Scenario, SimulationResult]]],
                       labels: dict[str, str]) -> tuple[pa.Table, tables.ExportTable]:
    """(the table shown — one column per scenario —, the table downloaded — one row per scenario —): one table."""
    chosen = compared()
    table = tables.comparison_table([(labels[scenario.id], result) for scenario, result in chosen],
                                    bases=[basis for _, _, basis in key.compared], lang=key.lang)
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
    picked = [by_id[sid] for sid in chosen]

    def compared() -> list[tuple[Scenario, SimulationResult]]:
        """The scenarios and their results: needed only when the table or the chart is not cached yet."""
        return [(scenario, scenario_results(context, scenario)) for scenario in picked]

    key = ComparisonKey(tuple((labels[scenario.id], _result_key(context, scenario),
                               scenario_basis(context, (scenario.dataset_version_id, scenario.period)))
                              for scenario in picked), context.lang)
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
