"""English texts that count something say "1 region", "1 participant", "1 month": one form per count, in every place
that counts (Indonesian has one form for all counts)."""

from __future__ import annotations

import pytest

from monev import fmt, i18n
from monev.geo import GeoProblem

COUNTED_KEYS = ["kpi.gap_needed", "detail.pace_needed", "sim.kpi_added", "present.focus_needed",
                "present.focus_months", "pack.months", "pack.sum_regions_below", "allocation.explain.target",
                "geo.missing_region", "data.period_span"]
# No digits besides the count's: the Indonesian test swaps the count's digit.
PARAMS = {"rate": "R%", "target": "T%", "total": "N", "national": "M%", "workers": "W", "cost": "RpC",
          "budget": "RpB", "source": "x.geojson", "regions": "Kaur", "first": "Oktober 2024", "last": "Oktober 2024"}


@pytest.mark.parametrize("key", COUNTED_KEYS)
def test_one_thing_is_said_in_the_singular_and_several_in_the_plural(key):
    one, several = fmt.counted(key, 1, "en", **PARAMS), fmt.counted(key, 3, "en", **PARAMS)
    assert one != several
    for plural in ("1 more participants", "+1 participants", "1 new participants", "1 months", "1 regions",
                   "1 periods", "regions are"):
        assert plural not in one


@pytest.mark.parametrize("key", COUNTED_KEYS)
def test_indonesian_says_both_counts_alike(key):
    assert fmt.counted(key, 1, "id", **PARAMS).replace("1", "3", 1) == fmt.counted(key, 3, "id", **PARAMS)


def test_a_missing_boundary_for_one_region_is_said_in_the_singular():
    problem = GeoProblem("missing_region", {"source": "batas.geojson", "count": 1, "regions": "Kaur"})
    assert problem.message("en") == "'batas.geojson': no boundary for 1 region: Kaur."
    assert "2 regions" in GeoProblem("missing_region", {"source": "b", "count": 2, "regions": "A, B"}).message("en")
    assert problem.message("id") == "'batas.geojson': tidak ada batas untuk 1 wilayah: Kaur."


def test_one_period_is_named_once_not_as_a_span():
    assert fmt.counted("data.period_span", 1, "en", first="October 2024", last="October 2024") == \
        "1 period (October 2024)"
    assert i18n.t("data.period_span_other", "id", count=10, first="Januari 2024", last="Oktober 2024") == \
        "10 periode (Januari 2024 – Oktober 2024)"
