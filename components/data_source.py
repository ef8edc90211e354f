"""Where a page's data comes from: the store's active dataset version, or, while the database cannot be
reached, the last data this session had (read-only, with a banner), so a meeting never goes blank."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple, TypeVar

import streamlit as st

from components.caching import cached
from components.state import Keys
from monev.access import PermissionDenied
from monev.dataset import CoverageData, load_demo
from monev.geo import Boundaries, load_boundaries
from monev.store import DATABASE_URL_ENV, DatasetVersion, Store, StoreUnavailable, database_url

Written = TypeVar("Written")

# After a failed attempt, pages do not wait on the database again for this long (a meeting must not stall).
RETRY_AFTER_S = 5.0
_last_failure_at: dict[str, float] = {}  # database URL -> monotonic time of its last failure, for all sessions
_log = logging.getLogger(__name__)
_UNREACHABLE_LOG = "database unreachable, pages read-only and writes refused for %.0f s: %s"


def configured_url() -> str:
    """MONEV_DATABASE_URL, else [database] url in the Streamlit secrets, else the embedded SQLite file."""
    if os.environ.get(DATABASE_URL_ENV):
        return os.environ[DATABASE_URL_ENV]
    try:
        from_secrets = st.secrets.get("database", {}).get("url")
    except (FileNotFoundError, KeyError, AttributeError, st.errors.StreamlitSecretNotFoundError):
        from_secrets = None
    return from_secrets or database_url({})


class StoreKey(NamedTuple):
    """A database, by its URL."""

    url: str


class VersionKey(NamedTuple):
    """A dataset version of a database: versions never change, so this names its data."""

    url: str
    version_id: int


@cached(shared=True, max_entries=None, ttl=None)
def _store(key: StoreKey) -> Store:
    """One store (engine and connection pool) per database for the whole server; migrated and seeded once."""
    store = Store(key.url)
    store.ensure_ready(load_demo())
    return store


# A resource, not st.cache_data: versions never change and nothing modifies a CoverageData or its frame, so every
# session can share one object instead of unpickling a copy of the whole dataset on every page run.
@cached(shared=True, max_entries=16, ttl=None)
def _version_data(key: VersionKey) -> CoverageData:
    """A version's data."""
    return _store(StoreKey(key.url)).load_version(key.version_id)


def version_data(version_id: int) -> CoverageData:
    """The data of any stored version (e.g. the one a scenario was built on)."""
    get_store()
    return _version_data(VersionKey(configured_url(), version_id))


@dataclass(frozen=True)
class DataSource:
    data: CoverageData
    version: DatasetVersion | None
    available: bool  # False: the database could not be reached; what is shown is the last data, read-only
    problem: str | None = None


def get_store() -> Store:
    """The store, or StoreUnavailable while the database is down (without waiting on it again too soon)."""
    url = configured_url()
    failed_at = _last_failure_at.get(url)
    if failed_at is not None and time.monotonic() - failed_at < RETRY_AFTER_S:
        raise StoreUnavailable("recently unreachable")
    try:
        return _store(StoreKey(url))
    except StoreUnavailable as error:
        _log.warning(_UNREACHABLE_LOG, RETRY_AFTER_S, error)
        _last_failure_at[url] = time.monotonic()
        raise


def run_on_store(action):
    """Run ``action(store)``; a database failure is remembered so that pages switch to read-only at once."""
    store = get_store()
    try:
        return action(store)
    except StoreUnavailable as error:
        _log.warning(_UNREACHABLE_LOG, RETRY_AFTER_S, error)
        _last_failure_at[configured_url()] = time.monotonic()
        raise


def refusal_key(refused: StoreUnavailable | PermissionDenied) -> str:
    """The text key that says why a write did not happen: the database is unreachable, or this session may not
    write."""
    return "auth.denied" if isinstance(refused, PermissionDenied) else "store.unavailable_action"


def write_on_store(action: Callable[[Store], Written]) -> tuple[Written | None, str | None]:
    """Run a store write: (its result, None), or (None, the text key of why it was refused)."""
    try:
        return run_on_store(action), None
    except (StoreUnavailable, PermissionDenied) as refused:
        return None, refusal_key(refused)


def resolve_data() -> DataSource:
    """The active dataset version, or the last one this session saw when the database is unreachable."""
    try:
        version = run_on_store(lambda store: store.active_version())
        data = _version_data(VersionKey(configured_url(), version.id))
    except StoreUnavailable as error:
        last = st.session_state[Keys.LAST_GOOD_DATA]
        data, version = last if last is not None else (load_demo(), None)
        return DataSource(data, version, available=False, problem=str(error))
    _last_failure_at.pop(configured_url(), None)
    st.session_state[Keys.LAST_GOOD_DATA] = (data, version)
    return DataSource(data, version, available=True)


def active_boundaries() -> Boundaries | None:
    """This session's uploaded boundaries, else those configured for the server (path or cache), else None."""
    return st.session_state[Keys.BOUNDARY_UPLOAD] or load_boundaries().boundaries
