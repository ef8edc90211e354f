"""Cached wrappers around the core. Keys are explicit and hashable: a dataset is identified by its checksum."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from monev import exports
from monev.dataset import CoverageData
from monev.indicators import (
    ProvinceSummary,
    province_series,
    province_summary,
    rate_change,
    region_indicators,
    region_series,
)


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
