"""The app unchanged on a synthetic country of 514 regions × 24 months: only settings and data differ.

``bench.synthetic`` writes the registry, the example dataset and the boundaries; the three settings that
data/README.md documents point the app at them. Every page then renders without an exception, with the data
loaded from the database (no read-only banner), the map drawing every region and the ranking listing every one.
"""

from __future__ import annotations

import os

import pytest
from streamlit.testing.v1 import AppTest

from bench.synthetic import REGION_COUNT, SyntheticFiles, write_synthetic
from components.page import PAGES as NAVIGATION
from monev import i18n
from monev.dataset import load_demo
from monev.store import Store
from tests.app.support import (
    APP_PATH,
    OVERVIEW_PAGE,
    deck_spec,
    ranking_table,
    region_features,
)

PAGES = [page for page, _, _ in NAVIGATION]  # every page of the sidebar's navigation
# The first run validates 514 × 24 rows and lays out the map's labels; a loaded machine needs a margin.
RUN_TIMEOUT_S = 180
READ_ONLY_BANNER = i18n.t("store.unavailable_banner", "id")
GROUPS_PAGE = "pages/kelompok.py"


@pytest.fixture
def synthetic_country(tmp_path, monkeypatch) -> SyntheticFiles:
    files = write_synthetic(tmp_path)
    for name, value in files.environment().items():
        monkeypatch.setenv(name, value)
    return files


def test_every_page_renders_at_514_regions(synthetic_country):
    at = AppTest.from_file(str(APP_PATH), default_timeout=RUN_TIMEOUT_S)
    for page in PAGES:
        at.switch_page(page)
        at.run()
        assert not at.exception, (page, [exception.value for exception in at.exception])
        assert READ_ONLY_BANNER not in [warning.value for warning in at.warning], page
        if page == OVERVIEW_PAGE:
            assert len(ranking_table(at)) == REGION_COUNT
            assert len(region_features(deck_spec(at))) == REGION_COUNT
        if page == GROUPS_PAGE:  # Bengkulu's target-group demo is not this province's: no data, said so
            assert [info.value for info in at.info] == [i18n.t("groups.no_data", "id")]


def test_an_empty_database_is_seeded_with_the_configured_example_dataset(synthetic_country):
    store = Store(os.environ["MONEV_DATABASE_URL"])
    store.ensure_ready(load_demo())
    assert len(store.load_version(store.active_version().id).region_codes) == REGION_COUNT
