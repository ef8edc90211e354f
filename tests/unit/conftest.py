"""Shared by the unit tests: the demo dataset and its October 2024 indicators, loaded once per module."""

from __future__ import annotations

import pandas as pd
import pytest

from monev.dataset import CoverageData, load_demo
from monev.indicators import region_indicators
from tests.unit.demo_numbers import PERIOD

# The national coverage rate the unit tests compare regions with (the app's default, written out here).
NATIONAL = 0.39


@pytest.fixture(scope="module")
def demo() -> CoverageData:
    """The demo dataset."""
    return load_demo()


@pytest.fixture(scope="module")
def indicators(demo: CoverageData) -> pd.DataFrame:
    """The demo's regions in October 2024 against a national rate of 39 %."""
    return region_indicators(demo, PERIOD, NATIONAL)
