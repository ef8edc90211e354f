"""Backup and restore (monev.backup) between real databases: a SQLite file and a private PostgreSQL.

Round trips compare every row of every table; damaged archives and non-empty targets are refused with nothing
written. Tests that need PostgreSQL start it (tests/postgres.py) and fail when it cannot start, never skip.
"""

from __future__ import annotations

import datetime as dt
import json
import struct
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from monev.backup import MANIFEST, TABLES, BackupRefused, backup, read_archive, restore
from monev.dataset import DEMO_PATH, LoadOptions, load_demo
from monev.group_dataset import DEMO_GROUPS_PATH, load_group_demo
from monev.store import DEMO_NOTE, Store, metadata
from tests.postgres import PostgresServer
from tests.unit.test_store import body_with_gaps, fresh_postgres_database
from tests.users import editor

Rows = dict[str, list[dict[str, object]]]


# --- databases ----------------------------------------------------------------------------------------------------


@pytest.fixture
def sqlite_url(tmp_path: Path) -> Callable[[], str]:
    """URLs of new SQLite files (none exists until used)."""
    made = iter(range(1000))
    return lambda: f"sqlite:///{tmp_path}/db-{next(made)}.sqlite3"


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[Callable[[], str]]:
    """URLs of new empty databases on the shared PostgreSQL (dropped afterwards)."""
    opened = []

    def new() -> str:
        context = fresh_postgres_database(postgres_server)
        opened.append(context)
        return context.__enter__()

    yield new
    for context in reversed(opened):
        context.__exit__(None, None, None)


@pytest.fixture
def new_url(request: pytest.FixtureRequest, sqlite_url: Callable[[], str]) -> Callable[[str], str]:
    """A new empty database of the backend asked for."""
    return lambda backend: sqlite_url() if backend == "sqlite" else request.getfixturevalue("postgres_url")()


def filled(url: str) -> str:
    """The database as a season of use leaves it: versions of both kinds of data (the active one not the newest),
    scenarios changed and deleted, a column mapping, the audit log of it all."""
    store = Store(url)
    store.ensure_ready(load_demo())
    demo = load_demo()
    ani = editor("Ani")
    mapped = LoadOptions(mappings={"f" * 64: {"daerah": "region"}})
    second = store.add_dataset_version(demo, DEMO_PATH.read_bytes() + b"\n", file_name="Cakupan Okt 2024 (revisi).csv",
                                       actor=ani, note="revisi kantor cabang", options=mapped)
    store.activate(1, ani)
    kept = store.save_scenario(name="Target 40 %", body=body_with_gaps(), dataset_version_id=second.id,
                               period="2024-10", author=ani, note="untuk rapat")
    store.rename_scenario(kept.id, "Target 40 % (revisi)", expected_version=1, actor=editor("Budi"))
    dropped = store.save_scenario(name="Coba", body=body_with_gaps(), dataset_version_id=1, period="2024-09",
                                  author=ani)
    store.delete_scenario(dropped.id, expected_version=1, actor=ani)
    store.save_column_mapping("a" * 64, ["No", "Daerah X"], {"daerah_x": "region", "no": ""}, actor=ani)
    store.ensure_group_demo(load_group_demo())
    store.add_group_version(load_group_demo(), DEMO_GROUPS_PATH.read_bytes() + b"\n",
                            file_name="Kelompok sasaran Okt 2024.csv", actor=ani, note="dari Bappeda")
    store.activate_group_version(1, ani)
    store.engine.dispose()
    return url


def _comparable(value: object) -> object:
    # SQLite keeps the UTC time the store wrote without its zone; PostgreSQL gives it back with one.
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
    return value


def all_rows(url: str) -> Rows:
    """Every row of every table of the store, in primary-key order, comparable across backends."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return {table.name: [{key: _comparable(value) for key, value in row._mapping.items()}
                                 for row in connection.execute(sa.select(table).order_by(*table.primary_key))]
                    for table in TABLES}
    finally:
        engine.dispose()


def scenario_lines(store: Store) -> list[tuple[object, ...]]:
    """The scenarios the app lists, as comparable values (a body's gaps are NaN, which equals nothing)."""
    return [(scenario.id, scenario.name, scenario.version, scenario.updated_by, _comparable(scenario.updated_at),
             json.dumps(scenario.body.to_json(), sort_keys=True)) for scenario in store.scenarios()]


def table_names(url: str) -> list[str]:
    engine = sa.create_engine(url)
    try:
        return sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()


# --- round trips --------------------------------------------------------------------------------------------------


def test_every_table_of_the_store_is_in_the_archive():
    assert set(TABLES) == set(metadata.tables.values())


@pytest.mark.parametrize(("first", "second"), [("sqlite", "postgresql"), ("postgresql", "sqlite")])
def test_a_round_trip_between_backends_keeps_every_row(tmp_path, new_url, first, second):
    source = filled(new_url(first))
    original = all_rows(source)
    assert all(original[table.name] for table in TABLES), "every table holds rows, so every table is compared"

    backup(source, tmp_path / "one.zip")
    middle = new_url(second)
    restore(tmp_path / "one.zip", middle)
    assert all_rows(middle) == original

    backup(middle, tmp_path / "two.zip")
    back = new_url(first)
    restore(tmp_path / "two.zip", back)
    assert all_rows(back) == original


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_after_a_restore_the_app_reads_it_and_new_rows_get_fresh_ids(tmp_path, new_url, backend):
    source = Store(filled(new_url("sqlite")))
    backup(source.url, tmp_path / "backup.zip")
    target = Store(new_url(backend))
    restore(tmp_path / "backup.zip", target.url)

    target.ensure_ready(load_demo())  # as an app server starting on it: no demo seeded over the restored data
    assert target.active_version_id() == source.active_version_id() == 1
    assert target.load_version(1).checksum == source.load_version(1).checksum
    assert target.load_version(2).checksum == source.load_version(2).checksum  # read back with its column mapping
    assert scenario_lines(target) == scenario_lines(source)
    assert target.column_mappings() == source.column_mappings()
    assert target.active_group_version_id() == source.active_group_version_id() == 1
    assert [(v.id, v.file_name, v.checksum, v.note) for v in target.group_versions()] == [
        (2, "Kelompok sasaran Okt 2024.csv", source.group_version(2).checksum, "dari Bappeda"),
        (1, DEMO_GROUPS_PATH.name, source.group_version(1).checksum, DEMO_NOTE)]
    assert target.load_group_version(2).checksum == source.load_group_version(2).checksum
    stamp = target.change_stamp()

    added = target.add_dataset_version(load_demo(), DEMO_PATH.read_bytes(), file_name="baru.csv", actor=editor())
    assert added.id == 3
    assert target.active_version_id() == 3
    assert target.change_stamp() == stamp + 2  # the upload and the activation: audit ids go on from the restored ones
    target.engine.dispose()
    source.engine.dispose()


def test_the_archive_holds_the_uploaded_files_as_they_were(tmp_path, sqlite_url):
    source = filled(sqlite_url())
    summary = backup(source, tmp_path / "backup.zip")
    with zipfile.ZipFile(tmp_path / "backup.zip") as archive:
        manifest = json.loads(archive.read(MANIFEST))
        assert archive.read("files/version-1.csv") == DEMO_PATH.read_bytes()
        assert archive.read("files/version-2.csv") == DEMO_PATH.read_bytes() + b"\n"
        assert archive.read("files/group-version-1.csv") == DEMO_GROUPS_PATH.read_bytes()
        assert archive.read("files/group-version-2.csv") == DEMO_GROUPS_PATH.read_bytes() + b"\n"
    assert manifest["schema_revision"] == summary.schema_revision == "0003"
    assert manifest["active_version_id"] == 1
    assert manifest["tables"] == {name: len(rows) for name, rows in all_rows(source).items()}
    assert read_archive(tmp_path / "backup.zip").counts == manifest["tables"]


# --- refusals -----------------------------------------------------------------------------------------------------


def _rewritten(path: Path, change: Callable[[dict[str, bytes]], None]) -> None:
    """The archive rewritten as a valid zip whose members were changed by ``change``."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    change(members)
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)


def _flip_member_byte(members: dict[str, bytes]) -> None:
    content = bytearray(members["files/version-1.csv"])
    content[100] ^= 0x01
    members["files/version-1.csv"] = bytes(content)


def _manifest_edit(edit: Callable[[dict], None]) -> Callable[[dict[str, bytes]], None]:
    def change(members: dict[str, bytes]) -> None:
        manifest = json.loads(members[MANIFEST])
        edit(manifest)
        members[MANIFEST] = json.dumps(manifest).encode()
    return change


def _flip_stored_byte(path: Path) -> None:
    """One bit of the uploaded file's compressed bytes flipped in place, as a failing disk does."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("files/version-1.csv")
    content = bytearray(path.read_bytes())
    local_header = info.header_offset
    name_length, extra_length = struct.unpack("<HH", content[local_header + 26:local_header + 30])
    data_start = local_header + 30 + name_length + extra_length
    content[data_start + info.compress_size // 2] ^= 0x01
    path.write_bytes(bytes(content))


DAMAGES: dict[str, tuple[Callable[[Path], None], str]] = {
    "flipped byte in a member": (lambda path: _rewritten(path, _flip_member_byte), "checksum"),
    "flipped byte in the zip": (_flip_stored_byte, "unreadable"),
    "truncated": (lambda path: path.write_bytes(path.read_bytes()[: path.stat().st_size // 2]), "unreadable"),
    "missing manifest": (lambda path: _rewritten(path, lambda members: members.pop(MANIFEST)), "no_manifest"),
    "missing member": (lambda path: _rewritten(path, lambda members: members.pop("tables/scenarios.jsonl")),
                       "members_differ"),
    "edited count": (lambda path: _rewritten(path, _manifest_edit(lambda m: m["tables"].update(audit_log=3))),
                     "count"),
    "unknown format version": (lambda path: _rewritten(path, _manifest_edit(lambda m: m.update(format_version=9))),
                               "format_version"),
    "not a zip": (lambda path: path.write_bytes(b"dataset_versions,id\n1,2\n"), "unreadable"),
}


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
@pytest.mark.parametrize("damage", list(DAMAGES))
def test_a_damaged_archive_is_refused_and_nothing_is_written(tmp_path, sqlite_url, new_url, backend, damage):
    archive = tmp_path / "backup.zip"
    backup(filled(sqlite_url()), archive)
    damaged, code = DAMAGES[damage]
    damaged(archive)
    target = new_url(backend)

    with pytest.raises(BackupRefused) as refused:
        restore(archive, target)
    assert refused.value.code == code
    assert refused.value.message("en").endswith("Nothing was restored.")
    assert table_names(target) == []


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_database_in_use_is_refused_unless_replacing_is_asked_for(tmp_path, sqlite_url, new_url, backend):
    source = filled(sqlite_url())
    backup(source, tmp_path / "backup.zip")
    target = Store(new_url(backend))
    target.ensure_ready(load_demo())
    target.save_scenario(name="Milik target", body=body_with_gaps(), dataset_version_id=1, period="2024-10",
                         author=editor())
    before = all_rows(target.url)

    with pytest.raises(BackupRefused) as refused:
        restore(tmp_path / "backup.zip", target.url)
    assert refused.value.code == "not_empty"
    assert "--replace" in refused.value.message("en")
    assert all_rows(target.url) == before

    restore(tmp_path / "backup.zip", target.url, replace=True)
    assert all_rows(target.url) == all_rows(source)
    target.engine.dispose()


def test_a_database_that_is_not_migrated_is_not_backed_up(tmp_path, sqlite_url):
    mistyped, empty = sqlite_url(), sqlite_url()
    sa.create_engine(empty).connect().close()
    for url in (mistyped, empty):
        with pytest.raises(BackupRefused) as refused:
            backup(url, tmp_path / "backup.zip")
        assert refused.value.code == "source_schema"
    assert not Path(mistyped.removeprefix("sqlite:///")).exists()
    assert not (tmp_path / "backup.zip").exists()
    assert list(tmp_path.glob("*.partial")) == []


def test_an_archive_from_another_schema_revision_is_refused(tmp_path, sqlite_url):
    archive = tmp_path / "backup.zip"
    backup(filled(sqlite_url()), archive)
    _rewritten(archive, _manifest_edit(lambda manifest: manifest.update(schema_revision="0099")))
    target = sqlite_url()
    with pytest.raises(BackupRefused) as refused:
        restore(archive, target)
    assert refused.value.code == "archive_schema"
    assert table_names(target) == []
