"""Target-group dataset versions in the store (issue 16): stored, listed, activated and audited like the coverage
data, read back through the same validation, the demo stored once. Real SQLite files, and PostgreSQL for the
whole round."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from monev.access import SYSTEM, PermissionDenied
from monev.dataset import load_demo
from monev.group_dataset import DEMO_GROUPS_PATH, GroupData, load_group_dataset, load_group_demo
from monev.store import DEMO_NOTE, Store
from tests.postgres import PostgresServer
from tests.unit.test_store import fresh_postgres_database
from tests.users import editor, viewer


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    database = Store(f"sqlite:///{tmp_path}/t.db")
    yield database
    database.engine.dispose()


def revised_file() -> tuple[GroupData, bytes]:
    """The demo file with one count changed, as an office's revision of it, validated as on upload."""
    content = DEMO_GROUPS_PATH.read_bytes().replace(b",4100,4100,", b",4200,4150,", 1)
    assert content != DEMO_GROUPS_PATH.read_bytes()
    result = load_group_dataset("kelompok_revisi.csv", content)
    assert result.data is not None, result.errors
    return result.data, content


def test_the_schema_has_the_group_tables(sqlite_store: Store) -> None:
    sqlite_store.migrate()
    tables = set(sa.inspect(sqlite_store.engine).get_table_names())
    assert {"group_dataset_versions", "active_group_dataset"} <= tables
    assert sqlite_store.group_versions() == []
    assert sqlite_store.active_group_version() is None
    assert sqlite_store.active_group_version_id() is None


def test_the_demo_is_stored_once_as_the_active_version(sqlite_store: Store) -> None:
    demo = load_group_demo()
    sqlite_store.ensure_group_demo(demo)
    sqlite_store.ensure_group_demo(demo)
    (seeded,) = sqlite_store.group_versions()
    assert sqlite_store.active_group_version() == seeded
    assert (seeded.is_demo, seeded.created_by, seeded.file_name, seeded.note) == (
        True, SYSTEM.name, DEMO_GROUPS_PATH.name, DEMO_NOTE)
    assert seeded.checksum == hashlib.sha256(DEMO_GROUPS_PATH.read_bytes()).hexdigest() == demo.checksum
    assert (seeded.row_count, seeded.period_first, seeded.period_last, seeded.period_count) == (
        len(demo.frame), demo.periods[0], demo.latest_period, len(demo.periods))
    again = sqlite_store.load_group_version(seeded.id)
    pd.testing.assert_frame_equal(again.frame, demo.frame)
    assert again.is_demo
    assert [(e.actor, e.action, e.object_type) for e in reversed(sqlite_store.audit_entries())] == [
        (SYSTEM.name, "upload", "group_dataset"), (SYSTEM.name, "activate", "group_dataset")]


def test_the_coverage_and_group_demos_are_stored_side_by_side(sqlite_store: Store) -> None:
    sqlite_store.ensure_ready(load_demo())
    sqlite_store.ensure_group_demo(load_group_demo())
    assert [v.id for v in sqlite_store.dataset_versions()] == [1]
    assert [v.id for v in sqlite_store.group_versions()] == [1]
    assert sqlite_store.active_version_id() == sqlite_store.active_group_version_id() == 1
    assert sqlite_store.load_version(1).checksum != sqlite_store.load_group_version(1).checksum


def test_upload_list_activate_and_audit(sqlite_store: Store) -> None:
    check_upload_list_activate_and_audit(sqlite_store)


def test_upload_list_activate_and_audit_on_postgresql(postgres_server: PostgresServer) -> None:
    with fresh_postgres_database(postgres_server) as url:
        database = Store(url)
        try:
            check_upload_list_activate_and_audit(database)
        finally:
            database.engine.dispose()


def check_upload_list_activate_and_audit(any_store: Store) -> None:
    """The whole round on one database: the demo, an editor's upload, a rollback, what the audit log says."""
    any_store.ensure_group_demo(load_group_demo())
    data, content = revised_file()
    upload = any_store.add_group_version(data, content, file_name="kelompok_revisi.csv", actor=editor("Ani"),
                                         note="revisi Bappeda")
    assert [v.id for v in any_store.group_versions()] == [upload.id, 1]  # newest first
    assert any_store.active_group_version() == upload
    assert (upload.created_by, upload.note, upload.is_demo, upload.checksum) == (
        "Ani", "revisi Bappeda", False, hashlib.sha256(content).hexdigest())
    loaded = any_store.load_group_version(upload.id)
    pd.testing.assert_frame_equal(loaded.frame, data.frame)
    assert (loaded.checksum, loaded.source_name, loaded.is_demo) == (data.checksum, "kelompok_revisi.csv", False)

    any_store.activate_group_version(1, editor("Budi"))
    assert any_store.active_group_version_id() == 1
    assert any_store.dataset_versions() == []  # the coverage data is a separate history
    assert any_store.active_version_id() is None

    entries = list(reversed(any_store.audit_entries()))
    assert [(e.actor, e.action, e.object_type, e.object_id) for e in entries] == [
        (SYSTEM.name, "upload", "group_dataset", "1"),
        (SYSTEM.name, "activate", "group_dataset", "1"),
        ("Ani", "upload", "group_dataset", str(upload.id)),
        ("Ani", "activate", "group_dataset", str(upload.id)),
        ("Budi", "activate", "group_dataset", "1"),
    ]
    assert entries[2].details == {"file_name": "kelompok_revisi.csv", "rows": len(data.frame),
                                  "checksum": data.checksum, "via": "password"}


def test_an_upload_without_activation_keeps_the_active_version(sqlite_store: Store) -> None:
    sqlite_store.ensure_group_demo(load_group_demo())
    data, content = revised_file()
    kept = sqlite_store.add_group_version(data, content, file_name="draf.csv", actor=editor(), activate=False)
    assert sqlite_store.active_group_version_id() == 1
    assert [e.action for e in sqlite_store.audit_entries(limit=1)] == ["upload"]
    assert sqlite_store.group_version(kept.id) == kept


def test_a_month_given_on_upload_reads_the_version_back(sqlite_store: Store) -> None:
    sqlite_store.migrate()
    lines = DEMO_GROUPS_PATH.read_bytes().decode().splitlines()
    without_period = "\n".join(line.split(",", 1)[1] for line in lines).encode()
    result = load_group_dataset("kelompok.csv", without_period, period="2024-12")
    assert result.data is not None, result.errors
    version = sqlite_store.add_group_version(result.data, without_period, file_name="kelompok.csv", actor=editor(),
                                             period="2024-12")
    loaded = sqlite_store.load_group_version(version.id)
    assert loaded.periods == ["2024-12"] and (version.period_first, version.period_last) == ("2024-12", "2024-12")
    assert loaded.checksum == result.data.checksum
    pd.testing.assert_frame_equal(loaded.frame, result.data.frame)


def test_a_viewer_may_neither_upload_nor_activate(sqlite_store: Store) -> None:
    sqlite_store.ensure_group_demo(load_group_demo())
    data, content = revised_file()
    before = (sqlite_store.group_versions(), sqlite_store.active_group_version_id(), sqlite_store.audit_entries())
    with pytest.raises(PermissionDenied):
        sqlite_store.add_group_version(data, content, file_name="x.csv", actor=viewer())
    with pytest.raises(PermissionDenied):
        sqlite_store.activate_group_version(1, viewer())
    assert (sqlite_store.group_versions(), sqlite_store.active_group_version_id(),
            sqlite_store.audit_entries()) == before


def test_unknown_group_versions_raise_lookup_error(sqlite_store: Store) -> None:
    sqlite_store.ensure_group_demo(load_group_demo())
    with pytest.raises(LookupError):
        sqlite_store.group_version(99)
    with pytest.raises(LookupError):
        sqlite_store.load_group_version(99)
    with pytest.raises(LookupError):
        sqlite_store.activate_group_version(99, editor())
    assert sqlite_store.active_group_version_id() == 1
