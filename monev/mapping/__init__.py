"""The map of the regions (pure; drawn by components.map_panel), one job per module:

- ``metrics``: what a metric colours, per region, and the months the change metric can span;
- ``classes``: colour classes of the values, their colours and legend;
- ``labels``: where the labels go, remembered per layout;
- ``decks``: the pydeck Decks (choropleth, or circles at the capitals), their view, tooltip and picking.

``build_map`` puts them together: it is the one call that makes a map.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pydeck as pdk

from monev.geo import Boundaries
from monev.mapping.classes import (
    CLASSIFICATIONS,
    NO_DATA_COLOR,
    Classification,
    LegendEntry,
    build_legend,
    classify,
    value_formatter,
)
from monev.mapping.decks import (
    LABEL_LAYER_ID,
    LAYER_ID,
    MAP_HEIGHT_PX,
    MAP_WIDTH_PX,
    build_choropleth,
    build_fallback_map,
    height_to_frame,
    picked_region,
    region_properties,
    view_for_bounds,
)
from monev.mapping.labels import LABEL_SIZE_PX, LabelAnchor, place_labels
from monev.mapping.metrics import METRICS, change_start, change_start_options, metric_values
from monev.regions import Registry

__all__ = [
    "CLASSIFICATIONS", "LABEL_LAYER_ID", "LABEL_SIZE_PX", "LAYER_ID", "MAP_HEIGHT_PX", "MAP_WIDTH_PX", "METRICS",
    "NO_DATA_COLOR", "Classification", "LabelAnchor", "LegendEntry", "MapView", "build_choropleth",
    "build_fallback_map", "build_legend", "build_map", "change_start", "change_start_options", "classify",
    "height_to_frame", "metric_values", "picked_region", "place_labels", "region_properties", "value_formatter",
    "view_for_bounds",
]


@dataclass(frozen=True)
class MapView:
    """A map as it is drawn: the deck, the colour classes of its values and their legend."""

    deck: pdk.Deck
    classification: Classification
    legend: tuple[LegendEntry, ...]


def build_map(values: pd.Series, indicators: pd.DataFrame, boundaries: Boundaries | None, registry: Registry, *,
              metric: str, method: str, national_rate: float, selected_code: str | None, lang: str,
              height_px: int = MAP_HEIGHT_PX, width_px: int = MAP_WIDTH_PX) -> MapView:
    """The map of ``values`` (``metric`` by region code) classed by ``method``, with the tooltips of ``indicators``:
    the choropleth of ``boundaries``, or without them a circle at each capital of ``registry``; framed to show every
    region in a map of ``width_px`` × ``height_px``."""
    classification = classify(values, metric=metric, method=method, national_rate=national_rate)
    properties = region_properties(indicators, values, classification, metric=metric, lang=lang,
                                   selected_code=selected_code)
    if boundaries is None:
        deck = build_fallback_map(registry, indicators, properties, lang, height_px=height_px, width_px=width_px)
    else:
        deck = build_choropleth(boundaries, properties, lang, height_px=height_px, width_px=width_px)
    return MapView(deck, classification, tuple(build_legend(classification, values, lang)))
