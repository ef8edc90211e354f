"""The browser benchmark's baseline: the least Streamlit app that draws the app's boundaries as one GeoJsonLayer.

It reads the same boundaries (``MONEV_BOUNDARIES``) and draws them with the app's map settings: no basemap, the
app's view and canvas size (handed over by bench/browser.py in ``BENCH_MAP_VIEW``), the app's fill alpha and white
outlines. One number input, a target for Lebong, recolours Lebong when it crosses 30 %, as typing a target into the
simulator does, so "input → repainted map" has a floor too. Nothing else: no labels, tooltip, picking or data.

Streamlit runs this file as ``__main__``; the benchmark imports it only for the colours it must look for.
"""

from __future__ import annotations

import json
import os

MAP_VIEW_ENV = "BENCH_MAP_VIEW"  # JSON: longitude, latitude, zoom, width_px, height_px
LEBONG_CODE = "17.07"
TARGET_THRESHOLD_PCT = 30
TARGET_START_PCT = 17  # Lebong's coverage today
FILL_BELOW_TARGET = "#ffffcc"  # the app's lightest coverage class
FILL_AT_TARGET = "#41b6c4"  # the app's class of 30–39 %
FILL_OTHER_REGIONS = "#a1dab4"
FILL_ALPHA = 235  # as in monev.mapping


def _rgba(hex_color: str) -> list[int]:
    return [int(hex_color[i:i + 2], 16) for i in (1, 3, 5)] + [FILL_ALPHA]


def main() -> None:
    import pydeck as pdk
    import streamlit as st

    st.set_page_config(layout="wide")
    view = json.loads(os.environ[MAP_VIEW_ENV])
    with open(os.environ["MONEV_BOUNDARIES"], encoding="utf-8") as file:
        boundaries = json.load(file)
    target_pct = st.number_input("Target Lebong (%)", min_value=0, max_value=100, value=TARGET_START_PCT)
    lebong_fill = FILL_AT_TARGET if target_pct >= TARGET_THRESHOLD_PCT else FILL_BELOW_TARGET
    for feature in boundaries["features"]:
        is_lebong = feature["properties"]["kode"] == LEBONG_CODE
        feature["properties"]["fill"] = _rgba(lebong_fill if is_lebong else FILL_OTHER_REGIONS)
    regions = pdk.Layer("GeoJsonLayer", data=boundaries, get_fill_color="properties.fill",
                        get_line_color=[255, 255, 255], line_width_units=pdk.types.String("pixels"),
                        get_line_width=1, line_width_min_pixels=1, stroked=True, filled=True)
    deck = pdk.Deck(layers=[regions], map_provider=None, height=view["height_px"],
                    initial_view_state=pdk.ViewState(longitude=view["longitude"], latitude=view["latitude"],
                                                     zoom=view["zoom"]))
    st.pydeck_chart(deck, width=view["width_px"], height=view["height_px"])


if __name__ == "__main__":
    main()
