"""Shared by every test: where ../shared/geo is, a private boundary cache and database per test, PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.postgres import PostgresServer

ROOT = Path(__file__).resolve().parent.parent
SHARED_GEO = ROOT.parent / "shared" / "geo"
SHARED_BOUNDARIES = SHARED_GEO / "bengkulu_kabkota.geojson"


@pytest.fixture(autouse=True)
def _private_cache_and_database(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test gets an empty boundary cache and its own SQLite database, so no state leaks between tests."""
    monkeypatch.setenv("MONEV_CACHE_DIR", str(tmp_path_factory.mktemp("boundary-cache")))
    monkeypatch.delenv("MONEV_BOUNDARIES", raising=False)
    database = tmp_path_factory.mktemp("database") / "monev.sqlite3"
    monkeypatch.setenv("MONEV_DATABASE_URL", f"sqlite:///{database}")


@pytest.fixture
def shared_boundaries(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point MONEV_BOUNDARIES at ../shared/geo, as CI does; missing files fail the test, they never skip it."""
    assert SHARED_BOUNDARIES.is_file(), f"{SHARED_BOUNDARIES} is missing: tests need ../shared/geo beside the checkout"
    monkeypatch.setenv("MONEV_BOUNDARIES", str(SHARED_BOUNDARIES))
    return SHARED_BOUNDARIES


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A real PostgreSQL on loopback for the whole run (started here, as CI starts nothing for us)."""
    server = PostgresServer()
    yield server
    server.destroy()
