"""Cached wrappers around the core. Keys are explicit and hashable: a dataset is identified by its checksum.

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
import streamlit as st

# Streamlit's own Altair → Vega-Lite conversion (data as Arrow, Streamlit's theme handling), so that a cached spec
# sends exactly what st.altair_chart would. Private in Streamlit 1.67 (pinned in constraints.txt); the chart
# AppTests fail if it moves.
from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

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


@st.cache_data(show_spinner=False, max_entries=64, ttl="1h")
def cached_region_indicators(checksum: str, period: str, national_rate: float, _data: CoverageData) -> pd.DataFrame:
    return region_indicators(_data, period, national_rate)


@st.cache_data(show_spinner=False, max_entries=64, ttl="1h")
def cached_province_summary(checksum: str, period: str, national_rate: float, _data: CoverageData) -> ProvinceSummary:
    return province_summary(_data, period, national_rate)


@st.cache_data(show_spinner=False, max_entries=16, ttl="1h")
def cached_data_files(checksum: str, lang: str, _data: CoverageData) -> tuple[bytes, bytes]:
    """(CSV, XLSX) of the data in use, in the upload format."""
    return exports.data_csv(_data), exports.data_xlsx(_data, lang)


@st.cache_data(show_spinner=False, max_entries=16, ttl="1h")
def cached_template_files(period: str, lang: str) -> tuple[bytes, bytes]:
    """(CSV, XLSX) templates pre-filled with ``period`` and every region."""
    return exports.template_csv(period), exports.template_xlsx(period, lang)


@st.cache_data(show_spinner=False, max_entries=16, ttl="1h")
def cached_region_series(checksum: str, _data: CoverageData) -> pd.DataFrame:
    return region_series(_data)


@st.cache_data(show_spinner=False, max_entries=16, ttl="1h")
def cached_province_series(checksum: str, _data: CoverageData) -> pd.DataFrame:
    return province_series(_data)


@st.cache_data(show_spinner=False, max_entries=64, ttl="1h")
def cached_rate_change(checksum: str, from_period: str, to_period: str, _data: CoverageData) -> pd.Series:
    return rate_change(_data, from_period, to_period)


def frame_digest(frame: pd.DataFrame | pd.Series) -> str:
    """A content digest of a small frame for cache keys: st.cache_data hashes a frame column by column, some fifty
    times slower. Equal pickles mean equal frames; an equal frame pickled differently would only cost a miss."""
    return hashlib.sha256(pickle.dumps(frame, protocol=5)).hexdigest()


# The caches of what pages draw take their key as one tuple: st.cache_data inspects the function's signature again
# for every argument it is given, which costs more than hashing the key itself.


class ViewKey(NamedTuple):
    """What a view of the page's data depends on: data checksum, period, national average, language."""

    checksum: str
    period: str
    national_rate: float
    lang: str


def view_key(context: PageContext) -> ViewKey:
    """The page's ``ViewKey``."""
    return ViewKey(context.data.checksum, context.period, context.national_rate, context.lang)


@st.cache_data(show_spinner=False, max_entries=256, ttl="1h")
def cached_chart_spec(chart_key: tuple, _build: Callable[[], alt.TopLevelMixin]) -> dict:
    """The Vega-Lite spec of the chart ``_build`` makes, built once per ``chart_key``.

    ``_build`` is not part of the key, so ``chart_key`` must name the chart and everything it shows: e.g.
    ("ranking", data checksum, period, national rate, language)."""
    return _convert_altair_to_vega_lite_spec(_build())


class SerialisedDeck(pdk.Deck):
    """A deck whose JSON is written once, when it is built and cached: st.pydeck_chart asks for ``to_json()`` on
    every run, and serialising the same outlines again each time is the largest part of drawing a cached map."""

    def __init__(self, deck: pdk.Deck) -> None:
        # A copy of the built deck's attributes, not super().__init__(): that would build a second deck.
        vars(self).update(vars(deck))
        self._serialised = deck.to_json()

    def to_json(self) -> str:
        return self._serialised


class MapKey(NamedTuple):
    """Everything a map shows: the page's view, its regions in the order of the indicators given, the
    ``frame_digest`` of the values coloured, how they are coloured, the region selected, the height, and the
    ``Boundaries.digest`` of the outlines (None: circles at the capitals)."""

    view: ViewKey
    region_order: tuple[str, ...]
    values_digest: str
    metric: str
    method: str
    selected_code: str | None
    height_px: int
    boundaries_digest: str | None


# A resource, not data: st.cache_data would unpickle a fresh copy of the deck on every hit (30 ms per map at 514
# regions). Every session gets the same objects, which nothing changes after they are built: the deck's JSON is
# fixed (SerialisedDeck) and st.pydeck_chart only reads it.
@st.cache_resource(show_spinner=False, max_entries=64, ttl="1h")
def cached_map(key: MapKey, _values: pd.Series, _indicators: pd.DataFrame, _boundaries: Boundaries | None,
               _registry: Registry) -> mapping.MapView:
    """The map of ``_values`` (by region code) with the tooltips of ``_indicators``, as ``key`` describes it, its deck
    serialised once. Placing the labels is what makes it worth caching."""
    view = mapping.build_map(_values, _indicators, _boundaries, _registry, metric=key.metric, method=key.method,
                             national_rate=key.view.national_rate, selected_code=key.selected_code,
                             lang=key.view.lang, height_px=key.height_px)
    return mapping.MapView(SerialisedDeck(view.deck), view.classification, view.legend)
