"""Where the target-group pages get their data: for now the demo (the store's active version comes later)."""

from __future__ import annotations

from typing import NamedTuple

from components.caching import cached
from monev.group_dataset import DEMO_GROUPS_PATH, GroupData, load_group_demo


class DemoGroupsKey(NamedTuple):
    """The demo target-group file, by its name: it changes only with the app."""

    name: str


@cached(shared=True, max_entries=1, ttl=None)
def _demo_groups(key: DemoGroupsKey) -> GroupData:
    """The demo target-group dataset, read and validated once for every session."""
    return load_group_demo()


def active_group_data() -> GroupData:
    """The target-group data the pages show."""
    return _demo_groups(DemoGroupsKey(DEMO_GROUPS_PATH.name))
