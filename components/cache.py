"""Cached wrappers around the core that several pages share, and their typed keys (``components.caching`` states
the rule they follow). A dataset is identified by its checksum.

Besides results, what a page draws is cached too — chart specs and map decks — because building them (Altair's
schema validation, the map's label placement) costs far more than a page run otherwise does.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from typing import NamedTuple

import altair as alt
import pandas as pd
import pydeck as pdk

# Streamlit's own Altair → Vega-Lite conversion (data as Arrow, Streamlit's theme handling), so that a cached spec
# sends exactly what st.altair_chart would. Private in Streamlit 1.67 (pinned in constraints.txt); the chart
# AppTests fail if it moves.
from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

from components.caching import cached
from components.context import PageContext
from monev import exports, mapping
from monev.dataset import CoverageData
from monev.geo import Boundaries
from monev.indicators import (
    ProvinceSummary,
    province_series,
    province_summary,
    rate_change,
    region_indicators,
    region_series,
)
from monev.regions import Registry


class DataKey(NamedTuple):
    """A dataset, by its checksum: what its series depend on."""

    checksum: str


class PeriodKey(NamedTuple):
    """What a month's indicators depend on: data checksum, period, national average."""

    checksum: str
    period: str
    national_rate: float


class SpanKey(NamedTuple):
    """What a change between two months depends on: data checksum and the two periods."""

    checksum: str
    from_period: str
    to_period: str


class FilesKey(NamedTuple):
    """What a download of the data in use depends on: data checksum and language (the XLSX notes sheet)."""

    checksum: str
    lang: str


class TemplateKey(NamedTuple):
    """What the upload templates depend on: the period they are pre-filled with and the language."""

    period: str
    lang: str


def period_key(context: PageContext) -> PeriodKey:
    """The page's ``PeriodKey``."""
    return PeriodKey(context.data.checksum, context.period, context.national_rate)


@cached(shared=False)
def cached_region_indicators(key: PeriodKey, *, data: CoverageData) -> pd.DataFrame:
    """``region_indicators`` of the key's data, period and national average."""
    return region_indicators(data, key.period, key.national_rate)


@cached(shared=False)
def cached_province_summary(key: PeriodKey, *, data: CoverageData) -> ProvinceSummary:
    """``province_summary`` of the key's data, period and national average."""
    return province_summary(data, key.period, key.national_rate)


def page_indicators(context: PageContext) -> pd.DataFrame:
    """The indicators of the page's data, period and national average."""
    return cached_region_indicators(period_key(context), data=context.data)


def page_summary(context: PageContext) -> ProvinceSummary:
    """The province summary of the page's data, period and national average."""
    return cached_province_summary(period_key(context), data=context.data)


@cached(shared=False, max_entries=16)
def cached_data_files(key: FilesKey, *, data: CoverageData) -> tuple[bytes, bytes]:
    """(CSV, XLSX) of the data in use, in the upload format."""
    return exports.data_csv(data), exports.data_xlsx(data, key.lang)


@cached(shared=False, max_entries=16)
def cached_template_files(key: TemplateKey) -> tuple[bytes, bytes]:
    """(CSV, XLSX) templates pre-filled with the key's period and every region."""
    return exports.template_csv(key.period), exports.template_xlsx(key.period, key.lang)


@cached(shared=False, max_entries=16)
def cached_region_series(key: DataKey, *, data: CoverageData) -> pd.DataFrame:
    """``region_series`` of the data."""
    return region_series(data)


@cached(shared=False, max_entries=16)
def cached_province_series(key: DataKey, *, data: CoverageData) -> pd.DataFrame:
    """``province_series`` of the data."""
    return province_series(data)


def page_series(context: PageContext) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(region series, province series) of the page's data."""
    key = DataKey(context.data.checksum)
    return cached_region_series(key, data=context.data), cached_province_series(key, data=context.data)


@cached(shared=False)
def cached_rate_change(key: SpanKey, *, data: CoverageData) -> pd.Series:
    """``rate_change`` of the data between the key's periods."""
    return rate_change(data, key.from_period, key.to_period)


def frame_digest(frame: pd.DataFrame | pd.Series) -> str:
    """A content digest of a small frame for cache keys: st.cache_data hashes a frame column by column, some fifty
    times slower. Equal pickles mean equal frames; an equal frame pickled differently would only cost a miss."""
    return hashlib.sha256(pickle.dumps(frame, protocol=5)).hexdigest()


class ViewKey(NamedTuple):
    """What a view of the page's data depends on: data checksum, period, national average, language."""

    checksum: str
    period: str
    national_rate: float
    lang: str


def view_key(context: PageContext) -> ViewKey:
    """The page's ``ViewKey``."""
    return ViewKey(context.data.checksum, context.period, context.national_rate, context.lang)


# The charts Streamlit draws (what alt.Chart and its combinations build).
AltairChart = alt.Chart | alt.LayerChart | alt.ConcatChart | alt.HConcatChart | alt.VConcatChart | alt.FacetChart \
    | alt.RepeatChart


class ChartKey(NamedTuple):
    """A chart: its name and everything it shows, e.g. ("ranking", (data checksum, period, national rate,
    language))."""

    name: str
    shows: tuple


@cached(shared=False, max_entries=256)
def cached_chart_spec(key: ChartKey, *, build: Callable[[], AltairChart]) -> dict:
    """The Vega-Lite spec of the chart ``build`` makes, built once per key."""
    return _convert_altair_to_vega_lite_spec(build())


class SerialisedDeck(pdk.Deck):
    """A deck whose JSON is written once, when it is built and cached: st.pydeck_chart asks for ``to_json()`` on
    every run, and serialising the same outlines again each time is the largest part of drawing a cached map."""

    def __init__(self, deck: pdk.Deck) -> None:
        # A copy of the built deck's attributes, not super().__init__(): that would build a second deck.
        self.__dict__.update(deck.__dict__)
        self._serialised = deck.to_json()

    def to_json(self) -> str:
        return self._serialised


class MapKey(NamedTuple):
    """Everything a map shows: the page's view, its regions in the order of the indicators given, the
    ``frame_digest`` of the values coloured, how they are coloured, the region selected, the height, the
    ``Boundaries.digest`` of the outlines (None: circles at the capitals), and the width the view is framed for."""

    view: ViewKey
    region_order: tuple[str, ...]
    values_digest: str
    metric: str
    method: str
    selected_code: str | None
    height_px: int
    boundaries_digest: str | None
    width_px: int = mapping.MAP_WIDTH_PX


# A resource, not data: st.cache_data would unpickle a fresh copy of the deck on every hit (30 ms per map at 514
# regions). Every session gets the same objects, which nothing changes after they are built: the deck's JSON is
# fixed (SerialisedDeck) and st.pydeck_chart only reads it.
@cached(shared=True)
def cached_map(key: MapKey, *, values: pd.Series, indicators: pd.DataFrame, boundaries: Boundaries | None,
               registry: Registry) -> mapping.MapView:
    """The map of ``values`` (by region code) with the tooltips of ``indicators``, as ``key`` describes it, its deck
    serialised once. Placing the labels is what makes it worth caching."""
    view = mapping.build_map(values, indicators, boundaries, registry, metric=key.metric, method=key.method,
                             national_rate=key.view.national_rate, selected_code=key.selected_code,
                             lang=key.view.lang, height_px=key.height_px, width_px=key.width_px)
    return mapping.MapView(SerialisedDeck(view.deck), view.classification, view.legend)
