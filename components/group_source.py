"""Where the target-group pages' data comes from: the store's active target-group version (the demo is stored as
the first one, once per database), or the demo while the database cannot be reached (pages are then read-only and
writes refused, as for the coverage data: ``components.data_source``).

The demo is Bengkulu's: a province configured with other regions gets no demo, and has no target-group data until
one is uploaded. A stored version whose regions the configured province no longer has is no data either (logged),
never a database fault."""

from __future__ import annotations

import logging
import os
from typing import NamedTuple

from components.caching import cached
from components.data_source import StoreKey, VersionKey, configured_url, run_on_store
from monev.group_dataset import DEMO_GROUPS_PATH, GroupData, load_group_dataset
from monev.regions import REGIONS_DIR_ENV
from monev.store import GroupVersionInvalid, Store, StoreUnavailable

_log = logging.getLogger(__name__)


class GroupDemoKey(NamedTuple):
    """The target-group demo, by its file and the region registry it is checked against."""

    path: str
    regions_dir: str


@cached(shared=True, max_entries=4, ttl=None)
def _group_demo_in(key: GroupDemoKey) -> GroupData | None:
    """The demo target-group data, None when the configured province is not the one it describes (read once per
    registry for the whole server; nothing modifies it)."""
    result = load_group_dataset(DEMO_GROUPS_PATH.name, DEMO_GROUPS_PATH.read_bytes(), is_demo=True)
    return result.data


def _group_demo() -> GroupData | None:
    return _group_demo_in(GroupDemoKey(str(DEMO_GROUPS_PATH), os.environ.get(REGIONS_DIR_ENV, "")))


@cached(shared=True, max_entries=None, ttl=None)
def _seeded(key: StoreKey, *, store: Store) -> Store:
    """The store once it holds a target-group version: the demo is stored on first use, once per server."""
    demo = _group_demo()
    if demo is not None:
        store.ensure_group_demo(demo)
    return store


# Shared like the coverage versions: a version never changes and nothing modifies a GroupData or its frame.
@cached(shared=True, max_entries=16, ttl=None)
def _group_version_data(key: VersionKey, *, store: Store) -> GroupData:
    """A target-group version's data."""
    return store.load_group_version(key.version_id)


def _active(store: Store) -> GroupData | None:
    url = configured_url()
    seeded = _seeded(StoreKey(url), store=store)
    version_id = seeded.active_group_version_id()
    if version_id is None:  # none uploaded in a province without a demo (or a version removed by hand)
        return _group_demo()
    try:
        return _group_version_data(VersionKey(url, version_id), store=seeded)
    except GroupVersionInvalid as invalid:
        _log.warning("target-group data not shown: %s", invalid)
        return None


def active_group_data() -> GroupData | None:
    """The active target-group version's data, or the demo while the database cannot be reached; None when there is
    no target-group data for the configured province."""
    try:
        return run_on_store(_active)
    except StoreUnavailable:
        return _group_demo()
