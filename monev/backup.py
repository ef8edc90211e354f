"""Backup and restore: every table of the store in one portable zip archive, checked member by member on restore.

The archive holds ``manifest.json`` (format version, schema revision, creation time, rows per table, sha256 and size
of every other member), one ``tables/<table>.jsonl`` per table (one JSON object per row, in primary-key order) and
each dataset version's original file as ``files/version-<id><suffix>`` (a target-group version's as
``files/group-version-<id><suffix>``). Restoring reads and checks the whole archive
before it touches the database, then migrates the schema, inserts every row as it was and moves PostgreSQL's id
sequences past the restored ids, all in one transaction: a refused or failed restore writes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import tempfile
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy import exc as sa_exc

from monev import fmt, i18n
from monev.store import (
    Store,
    StoreUnavailable,
    active_dataset,
    active_group_dataset,
    audit_log,
    column_mappings,
    dataset_versions,
    group_dataset_versions,
    scenarios,
    schema_head,
    upgrade_schema,
)

FORMAT = "monev-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
# Parents before the rows that point at them (the migrations declare foreign keys the metadata does not repeat).
TABLES: tuple[sa.Table, ...] = (dataset_versions, active_dataset, scenarios, column_mappings,
                                 group_dataset_versions, active_group_dataset, audit_log)
# Where a table's stored files go in the archive (the ids of the two kinds of version overlap).
_FILE_PREFIX = {dataset_versions.name: "version", group_dataset_versions.name: "group-version"}
_ALEMBIC_VERSION = sa.table("alembic_version", sa.column("version_num", sa.String))
_FILE_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,8}$")


class BackupRefused(Exception):
    """A backup or restore that was not done, for a reason worded in the catalog (``backup.<code>``)."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(f"{code}: {params}")
        self.code, self.params = code, params

    def message(self, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
        """The reason as a sentence in ``lang``."""
        shown = {key: fmt.number(value, lang) if isinstance(value, int) else value
                 for key, value in self.params.items()}
        return i18n.t(f"backup.{self.code}", lang, **shown)


@dataclass(frozen=True)
class BackupSummary:
    """What an archive holds: rows per table, the active version, the schema revision."""

    counts: dict[str, int]
    active_version_id: int | None
    schema_revision: str
    size_bytes: int = 0

    def contents(self, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
        """What the archive holds, in words: '3 dataset versions, 1 target-group data version, 2 scenarios,
        1 column mapping, 9 audit entries'."""
        parts = [fmt.counted(f"backup.{noun}", self.counts.get(table.name, 0), lang)
                 for noun, table in (("versions", dataset_versions), ("group_versions", group_dataset_versions),
                                     ("scenarios", scenarios),
                                     ("mappings", column_mappings), ("audit", audit_log))]
        return ", ".join(parts)


@dataclass
class _Archive:
    """An archive read and checked in full: rows per table, decoded to the values the columns take."""

    manifest: dict[str, object]
    rows: dict[str, list[dict[str, object]]] = field(default_factory=dict)


# --- values ---------------------------------------------------------------------------------------------------


def _utc(value: dt.datetime) -> dt.datetime:
    # SQLite hands back the UTC time the store wrote, without its zone; PostgreSQL an aware time.
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _content_member(table: sa.Table, row: sa.RowMapping) -> str:
    suffix = _FILE_SUFFIX.search(str(row["file_name"]))
    return f"files/{_FILE_PREFIX[table.name]}-{row['id']}{suffix.group(0).lower() if suffix else '.bin'}"


def _encode(table: sa.Table, row: sa.RowMapping, files: dict[str, bytes]) -> dict[str, object]:
    encoded: dict[str, object] = {}
    for column in table.columns:
        value = row[column.name]
        if isinstance(value, dt.datetime):
            value = _utc(value).isoformat()
        elif isinstance(column.type, sa.LargeBinary) and value is not None:
            member = _content_member(table, row)
            files[member] = bytes(value)
            value = member
        encoded[column.name] = value
    return encoded


def _decode(table: sa.Table, encoded: object, files: Mapping[str, bytes], member: str) -> dict[str, object]:
    if not isinstance(encoded, dict) or set(encoded) != {column.name for column in table.columns}:
        raise BackupRefused("bad_row", member=member)
    row: dict[str, object] = {}
    for column in table.columns:
        value = encoded[column.name]
        try:
            if value is not None and isinstance(column.type, sa.DateTime):
                value = _utc(dt.datetime.fromisoformat(str(value)))
            elif value is not None and isinstance(column.type, sa.LargeBinary):
                value = files[str(value)]
        except (ValueError, KeyError):
            raise BackupRefused("bad_row", member=member) from None
        row[column.name] = value
    return row


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


# --- database ---------------------------------------------------------------------------------------------------


@contextmanager
def _transaction(engine: sa.Engine) -> Iterator[sa.Connection]:
    try:
        with engine.begin() as connection:
            yield connection
    except (sa_exc.OperationalError, sa_exc.InterfaceError) as error:
        raise StoreUnavailable(str(error.orig or error)) from error


def _transactional_ddl(engine: sa.Engine) -> None:
    """Make SQLite's CREATE TABLE part of the transaction too, so a failed restore leaves no schema behind.

    Python's sqlite3 begins a transaction only before a data change; the SQLAlchemy documentation's recipe
    ("Serializable isolation / Savepoints / Transactional DDL") hands BEGIN to SQLAlchemy instead.
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _no_implicit_transactions(dbapi_connection: object, _record: object) -> None:
        dbapi_connection.isolation_level = None  # type: ignore[attr-defined]

    @event.listens_for(engine, "begin")
    def _begin(connection: sa.Connection) -> None:
        connection.exec_driver_sql("BEGIN")


def _schema_revision(connection: sa.Connection) -> str | None:
    if not sa.inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(sa.select(_ALEMBIC_VERSION.c.version_num)).scalar()


def _row_counts(connection: sa.Connection) -> dict[str, int]:
    present = set(sa.inspect(connection).get_table_names())
    return {table.name: int(connection.execute(sa.select(sa.func.count()).select_from(table)).scalar() or 0)
            for table in TABLES if table.name in present}


def _ordered(table: sa.Table) -> sa.Select:
    return sa.select(table).order_by(*table.primary_key.columns)


# --- backup -----------------------------------------------------------------------------------------------------


def backup(url: str, out: Path) -> BackupSummary:
    """Write every row of the database at ``url`` into a new archive at ``out`` (replaced only once complete)."""
    head = schema_head()
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).is_file():
        raise BackupRefused("source_schema", found="-", expected=head)  # not a new empty file for a mistyped path
    store = Store(url)
    try:
        files: dict[str, bytes] = {}
        members: dict[str, bytes] = {}
        counts: dict[str, int] = {}
        # One transaction, so the archive is one moment of the database even while the app is writing.
        with _transaction(store.engine) as connection:
            revision = _schema_revision(connection)
            if revision != head:
                raise BackupRefused("source_schema", found=revision or "-", expected=head)
            for table in TABLES:
                lines = [json.dumps(_encode(table, row._mapping, files), ensure_ascii=False, sort_keys=True)
                         for row in connection.execute(_ordered(table))]
                members[f"tables/{table.name}.jsonl"] = "".join(f"{line}\n" for line in lines).encode()
                counts[table.name] = len(lines)
            active = connection.execute(sa.select(active_dataset.c.version_id)).scalar()
    finally:
        store.engine.dispose()
    members.update(files)
    manifest = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "schema_revision": head,
        "created_at": dt.datetime.now(dt.UTC).isoformat(), "database": store.engine.dialect.name,
        "tables": counts, "active_version_id": active,
        "members": {name: {"sha256": _sha256(content), "size": len(content)} for name, content in members.items()},
    }
    _write_atomically(out, manifest, members)
    return BackupSummary(counts, active, head, out.stat().st_size)


def _write_atomically(out: Path, manifest: dict[str, object], members: Mapping[str, bytes]) -> None:
    # A backup cut short (disk full, killed by cron's timeout) must not leave a half archive under the real name.
    handle, temporary = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent)
    os.close(handle)
    try:
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True))
            for name, content in members.items():
                archive.writestr(name, content)
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# --- restore ----------------------------------------------------------------------------------------------------


def read_archive(path: Path) -> BackupSummary:
    """Check an archive in full (members, checksums, counts, rows) without touching any database."""
    archive = _read(path)
    return _summary(archive, path)


def _summary(archive: _Archive, path: Path) -> BackupSummary:
    counts = {name: len(rows) for name, rows in archive.rows.items()}
    active = archive.manifest.get("active_version_id")
    return BackupSummary(counts, active if isinstance(active, int) else None, str(archive.manifest["schema_revision"]),
                         path.stat().st_size)


def _read(path: Path) -> _Archive:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if MANIFEST not in names:
                raise BackupRefused("no_manifest", path=path)
            manifest = _manifest(archive.read(MANIFEST))
            listed: dict[str, object] = manifest["members"]  # type: ignore[assignment]
            if names - {MANIFEST} != set(listed):
                missing, extra = sorted(set(listed) - names), sorted(names - {MANIFEST} - set(listed))
                raise BackupRefused("members_differ", missing=", ".join(missing) or "-", extra=", ".join(extra) or "-")
            contents = {name: archive.read(name) for name in listed}
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as error:
        # A truncated or altered zip fails here: its directory is gone or a member's CRC does not match.
        raise BackupRefused("unreadable", path=path, reason=str(error)) from None
    for name, content in contents.items():
        expected = listed[name]
        if not isinstance(expected, dict) or expected.get("sha256") != _sha256(content):
            raise BackupRefused("checksum", member=name)
    result = _Archive(manifest)
    counts: dict[str, object] = manifest["tables"]  # type: ignore[assignment]
    for table in TABLES:
        member = f"tables/{table.name}.jsonl"
        if member not in contents:
            raise BackupRefused("members_differ", missing=member, extra="-")
        try:
            lines = [json.loads(line) for line in contents[member].decode().splitlines() if line]
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise BackupRefused("bad_row", member=member) from None
        if counts.get(table.name) != len(lines):
            raise BackupRefused("count", table=table.name, expected=counts.get(table.name), found=len(lines))
        result.rows[table.name] = [_decode(table, line, contents, member) for line in lines]
    return result


def _manifest(content: bytes) -> dict[str, object]:
    try:
        manifest = json.loads(content)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BackupRefused("bad_manifest") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupRefused("bad_manifest")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupRefused("format_version", found=manifest.get("format_version"), expected=FORMAT_VERSION)
    if not isinstance(manifest.get("members"), dict) or not isinstance(manifest.get("tables"), dict):
        raise BackupRefused("bad_manifest")
    if manifest.get("schema_revision") != schema_head():
        raise BackupRefused("archive_schema", found=manifest.get("schema_revision"), expected=schema_head())
    if set(manifest["tables"]) != {table.name for table in TABLES}:
        raise BackupRefused("bad_manifest")
    return manifest


def restore(path: Path, url: str, *, replace: bool = False) -> BackupSummary:
    """Recreate the archive's rows in the database at ``url``: empty, or emptied first when ``replace`` is given."""
    archive = _read(path)  # every check before the database is opened: a refused archive writes nothing
    store = Store(url)
    _transactional_ddl(store.engine)
    try:
        with _transaction(store.engine) as connection:
            upgrade_schema(connection)
            present = {name: count for name, count in _row_counts(connection).items() if count}
            if present and not replace:
                raise BackupRefused("not_empty", rows=sum(present.values()))
            for table in reversed(TABLES):
                connection.execute(table.delete())
            for table in TABLES:
                if archive.rows[table.name]:
                    connection.execute(table.insert(), archive.rows[table.name])
            _advance_sequences(connection)
    finally:
        store.engine.dispose()
    return _summary(archive, path)


def _advance_sequences(connection: sa.Connection) -> None:
    """PostgreSQL: the next id of a table with generated ids comes after the highest restored one."""
    if connection.dialect.name != "postgresql":
        return  # SQLite gives a new row the highest id plus one by itself
    for table in TABLES:
        column = table.autoincrement_column
        if column is None:
            continue
        highest = sa.func.max(column)
        sequence = sa.func.pg_get_serial_sequence(table.name, column.name)
        connection.execute(sa.select(sa.func.setval(sequence, sa.func.coalesce(highest, 1), highest.is_not(None))))
