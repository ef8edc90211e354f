"""The view in a link (monev.viewstate): the slide parameter takes ASCII slide numbers only."""

from __future__ import annotations

import pytest

from monev.viewstate import SLIDE_COUNT, parse_view_params


@pytest.mark.parametrize(("text", "slide"), [
    ("1", 1), (str(SLIDE_COUNT), SLIDE_COUNT), ("0", None), (str(SLIDE_COUNT + 1), None), ("²", None), ("٣", None),
    ("+3", None), (" 3", None), ("3.0", None),
])
def test_slide_numbers(text, slide):
    view, ignored = parse_view_params({"slide": text}, periods=["2024-10"], region_codes=["17.01"])
    assert view.slide == slide
    assert ignored == ([] if slide else ["slide"])
