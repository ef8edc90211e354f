"""components.group_source.active_group_data(): the target-group data a page reads is the store's active version
(the demo is stored as the first one on first use), follows an editor's upload and rollback on the next run, and is
the demo while the database cannot be reached."""

from __future__ import annotations

import os

import pytest
from streamlit.testing.v1 import AppTest

from monev.dataset import load_demo
from monev.group_dataset import DEMO_GROUPS_PATH, load_group_dataset, load_group_demo
from monev.store import Store
from tests.app.support import run
from tests.app.test_persistence import CLOSED_PORT_URL
from tests.users import editor


def _page() -> None:
    import streamlit as st

    from components.group_source import active_group_data

    data = active_group_data()
    st.text(f"{data.checksum} {data.source_name} {data.is_demo}")


def _shown(at: AppTest) -> list[str]:
    return run(at).text[0].value.split()


def _database() -> Store:
    database = Store(os.environ["MONEV_DATABASE_URL"])
    database.ensure_ready(load_demo())
    return database


def revised_demo() -> bytes:
    """The demo file with one count changed, as an office's revision."""
    return DEMO_GROUPS_PATH.read_bytes().replace(b",4100,4100,", b",4200,4150,", 1)


def test_the_page_reads_the_active_stored_version_and_follows_changes() -> None:
    at = AppTest.from_function(_page, default_timeout=30)
    demo = load_group_demo()
    assert _shown(at) == [demo.checksum, demo.source_name, "True"]
    database = _database()
    (seeded,) = database.group_versions()  # the app stored the demo, once
    assert (seeded.checksum, seeded.is_demo) == (demo.checksum, True)

    content = revised_demo()
    revised = load_group_dataset("kelompok_revisi.csv", content).data
    assert revised is not None
    database.add_group_version(revised, content, file_name="kelompok_revisi.csv", actor=editor("Ani"))
    assert _shown(at) == [revised.checksum, "kelompok_revisi.csv", "False"]

    database.activate_group_version(seeded.id, editor("Budi"))
    assert _shown(at) == [demo.checksum, demo.source_name, "True"]
    assert [v.id for v in database.group_versions()] == [2, 1]
    database.engine.dispose()


def test_while_the_database_is_unreachable_the_page_reads_the_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MONEV_DATABASE_URL", CLOSED_PORT_URL)
    demo = load_group_demo()
    assert _shown(AppTest.from_function(_page, default_timeout=30)) == [demo.checksum, demo.source_name, "True"]
