"""Where the target-group pages' data comes from: the store's active target-group version (the demo is stored as
the first one, once per database), or the demo while the database cannot be reached (pages are then read-only and
writes refused, as for the coverage data: ``components.data_source``)."""

from __future__ import annotations

from typing import NamedTuple

from components.caching import cached
from components.data_source import StoreKey, VersionKey, configured_url, run_on_store
from monev.group_dataset import DEMO_GROUPS_PATH, GroupData, load_group_demo
from monev.store import Store, StoreUnavailable


class GroupDemoKey(NamedTuple):
    """The target-group demo, by its file."""

    path: str


@cached(shared=True, max_entries=1, ttl=None)
def _group_demo(key: GroupDemoKey) -> GroupData:
    """The demo target-group data (read once for the whole server; nothing modifies it)."""
    return load_group_demo()


@cached(shared=True, max_entries=None, ttl=None)
def _seeded(key: StoreKey, *, store: Store) -> Store:
    """The store once it holds a target-group version: the demo is stored on first use, once per server."""
    store.ensure_group_demo(_group_demo(GroupDemoKey(str(DEMO_GROUPS_PATH))))
    return store


# Shared like the coverage versions: a version never changes and nothing modifies a GroupData or its frame.
@cached(shared=True, max_entries=16, ttl=None)
def _group_version_data(key: VersionKey, *, store: Store) -> GroupData:
    """A target-group version's data."""
    return store.load_group_version(key.version_id)


def _active(store: Store) -> GroupData:
    url = configured_url()
    seeded = _seeded(StoreKey(url), store=store)
    version_id = seeded.active_group_version_id()
    if version_id is None:  # only a version removed by hand from the database leaves no pointer
        return _group_demo(GroupDemoKey(str(DEMO_GROUPS_PATH)))
    return _group_version_data(VersionKey(url, version_id), store=seeded)


def active_group_data() -> GroupData:
    """The active target-group version's data, or the demo while the database cannot be reached."""
    try:
        return run_on_store(_active)
    except StoreUnavailable:
        return _group_demo(GroupDemoKey(str(DEMO_GROUPS_PATH)))
