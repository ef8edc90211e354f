"""Periods: what people type for a month, and month arithmetic across year boundaries."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monev import periods


@pytest.mark.parametrize(
    ("typed", "period"),
    [
        ("2024-10", "2024-10"),
        ("2024/10", "2024-10"),
        ("2024-10-01", "2024-10"),
        ("2024-10-01 00:00:00", "2024-10"),
        ("10/2024", "2024-10"),
        ("10-2024", "2024-10"),
        ("Okt 2024", "2024-10"),
        ("Oktober 2024", "2024-10"),
        ("oct 2024", "2024-10"),
        ("October 2024", "2024-10"),
        ("Agt 2024", "2024-08"),
        ("Agustus 2024", "2024-08"),
        ("Des-24", "2024-12"),
        ("Mei 2024", "2024-05"),
        ("202410", "2024-10"),
        ("  2024-01  ", "2024-01"),
        (dt.date(2024, 10, 5), "2024-10"),
        (dt.datetime(2024, 10, 31, 23, 59), "2024-10"),
    ],
)
def test_parse_period_accepts_common_spellings(typed, period):
    assert periods.parse_period(typed) == period


@pytest.mark.parametrize("typed", ["13/2024", "2024-13", "0/2024", "Oktobre 2024", "", "abc", "2024", "Okt"])
def test_parse_period_rejects_what_is_not_a_month(typed):
    assert periods.parse_period(typed) is None


@pytest.mark.parametrize(
    ("period", "months", "expected"),
    [("2024-12", 1, "2025-01"), ("2025-01", -1, "2024-12"), ("2024-10", -10, "2023-12"), ("2024-01", 24, "2026-01")],
)
def test_shift_crosses_year_boundaries(period, months, expected):
    assert periods.shift(period, months) == expected


# No example database: the tests write nothing outside tests/unit.
_settings = settings(database=None)

_years = st.integers(min_value=1900, max_value=2200)
_months = st.integers(min_value=1, max_value=12)


@st.composite
def _periods(draw) -> str:
    return f"{draw(_years):04d}-{draw(_months):02d}"


@_settings
@given(_periods(), st.integers(min_value=-1200, max_value=1200))
def test_shift_moves_month_index_by_exactly_that_many_months_and_back(period, months):
    shifted = periods.shift(period, months)
    assert periods.month_index(shifted) - periods.month_index(period) == months
    assert periods.shift(shifted, -months) == period
    assert 1 <= periods.month_of(shifted) <= 12


@_settings
@given(_periods())
def test_month_index_round_trips_and_consecutive_months_differ_by_one(period):
    index = periods.month_index(period)
    assert periods.from_month_index(index) == period
    following = periods.shift(period, 1)
    if periods.month_of(period) == 12:
        assert following == f"{periods.year_of(period) + 1:04d}-01"
    else:
        assert periods.year_of(following) == periods.year_of(period)
        assert periods.month_of(following) == periods.month_of(period) + 1


@_settings
@given(_years, _months)
def test_parse_period_reads_back_every_written_form(year, month):
    period = f"{year:04d}-{month:02d}"
    assert periods.parse_period(period) == period
    assert periods.parse_period(f"{month}/{year}") == period
    assert periods.parse_period(f"{year}{month:02d}") == period
    assert periods.parse_period(dt.date(year, month, 28)) == period
    assert periods.to_date(period) == dt.date(year, month, 1)
