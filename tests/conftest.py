"""Shared by every test: where ../shared/geo is, and a private boundary cache so a developer's cache never leaks in."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_GEO = ROOT.parent / "shared" / "geo"
SHARED_BOUNDARIES = SHARED_GEO / "bengkulu_kabkota.geojson"


@pytest.fixture(autouse=True)
def _private_boundary_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MONEV_CACHE_DIR", str(tmp_path_factory.mktemp("boundary-cache")))
    monkeypatch.delenv("MONEV_BOUNDARIES", raising=False)


@pytest.fixture
def shared_boundaries(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point MONEV_BOUNDARIES at ../shared/geo, as CI does; missing files fail the test, they never skip it."""
    assert SHARED_BOUNDARIES.is_file(), f"{SHARED_BOUNDARIES} is missing: tests need ../shared/geo beside the checkout"
    monkeypatch.setenv("MONEV_BOUNDARIES", str(SHARED_BOUNDARIES))
    return SHARED_BOUNDARIES
