"""Persistence (SQLAlchemy 2): dataset versions and the active version (coverage data, and target-group data
alike), saved scenarios, the audit log.

SQLite by default (a file, created and migrated on first use, seeded with the demo dataset), PostgreSQL when
``MONEV_DATABASE_URL`` says so. Schema changes are Alembic migrations (monev/migrations), applied on start, so an
existing database upgrades in place. Every failure to reach the database surfaces as ``StoreUnavailable``;
editing a scenario that someone else changed in the meantime raises ``ScenarioConflict``.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import os
import secrets
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from monev.access import SYSTEM, PermissionDenied, User, require_editor
from monev.column_mapping import ColumnMapping
from monev.dataset import CoverageData, LoadOptions, demo_path, load_dataset
from monev.group_dataset import DEMO_GROUPS_PATH, GroupData, load_group_dataset
from monev.month_update import VersionDiff, compare
from monev.scenario import Scenario, ScenarioBody

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

DATABASE_URL_ENV = "MONEV_DATABASE_URL"
DEFAULT_SQLITE_PATH = Path(__file__).resolve().parent.parent / "var" / "monev.sqlite3"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
ACTIVE_ROW_ID = 1
DEMO_NOTE = "data contoh (ilustrasi)"  # the note of a demo stored on first start
SCENARIO_ID_BYTES = 6  # 12 hex characters: short in a link, not guessable by counting
_MIGRATION_THREAD_LOCK = threading.Lock()
_SETUP_LOCK_KEY = 7_170_001  # PostgreSQL advisory lock id for migrating and seeding ("17" for Bengkulu)
# One line per change, written after its transaction committed, for the administrator (README, "Health check and
# logs"): what changed and the account name, never a file's content. Text that people typed is quoted with %r, so a
# line break in it cannot start a line of its own.
_log = logging.getLogger(__name__)

metadata = sa.MetaData()
dataset_versions = sa.Table(
    "dataset_versions", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_by", sa.String(200), nullable=False),
    sa.Column("file_name", sa.String(300), nullable=False),
    sa.Column("checksum", sa.String(64), nullable=False),
    sa.Column("row_count", sa.Integer, nullable=False),
    sa.Column("period_first", sa.String(7), nullable=False),
    sa.Column("period_last", sa.String(7), nullable=False),
    sa.Column("period_count", sa.Integer, nullable=False),
    sa.Column("is_demo", sa.Boolean, nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("content", sa.LargeBinary, nullable=False),
    sa.Column("load_options", sa.JSON, nullable=True),  # LoadOptions the file needed (None: its bytes alone)
)
active_dataset = sa.Table(
    "active_dataset", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("version_id", sa.Integer, nullable=False),
    sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("changed_by", sa.String(200), nullable=False),
)
# Target-group data (issue 16) is kept in tables of its own rather than with a kind column on the two above: a
# scenario points at a coverage version, the single-row pointer stays one row per kind, and every coverage query
# stays as it was.
group_dataset_versions = sa.Table(
    "group_dataset_versions", metadata,
    *(sa.Column(column.name, column.type, primary_key=column.primary_key, nullable=column.nullable,
                autoincrement=column.autoincrement) for column in dataset_versions.columns),
)
active_group_dataset = sa.Table(
    "active_group_dataset", metadata,
    *(sa.Column(column.name, column.type, primary_key=column.primary_key, nullable=column.nullable)
      for column in active_dataset.columns),
)
scenarios = sa.Table(
    "scenarios", metadata,
    sa.Column("id", sa.String(16), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("author", sa.String(200), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_by", sa.String(200), nullable=False),
    sa.Column("dataset_version_id", sa.Integer, nullable=False),
    sa.Column("period", sa.String(7), nullable=False),
    sa.Column("body", sa.JSON, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
)
column_mappings = sa.Table(
    "column_mappings", metadata,
    sa.Column("shape", sa.String(64), primary_key=True),
    sa.Column("headers", sa.JSON, nullable=False),
    sa.Column("mapping", sa.JSON, nullable=False),
    sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("saved_by", sa.String(200), nullable=False),
)
audit_log = sa.Table(
    "audit_log", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("object_type", sa.String(20), nullable=False),
    sa.Column("object_id", sa.String(40), nullable=False),
    sa.Column("details", sa.JSON, nullable=False),
)


class StoreUnavailable(RuntimeError):
    """The database cannot be reached or answered with an error; nothing was changed."""


class GroupVersionInvalid(LookupError):
    """A stored target-group version the configured regions no longer accept (a province set up anew, say)."""


class ScenarioConflict(RuntimeError):
    """The scenario was changed by someone else since it was opened (optimistic lock)."""

    def __init__(self, scenario_id: str, expected: int, found: int) -> None:
        super().__init__(f"scenario {scenario_id} is at version {found}, not {expected}")
        self.scenario_id, self.expected, self.found = scenario_id, expected, found


class ScenarioNotFound(LookupError):
    """No (undeleted) scenario has this id."""


def _require_editor(actor: User, action: str) -> None:
    """The role check of every write, logged when it refuses (a viewer's session, or a replayed click)."""
    try:
        require_editor(actor, action)
    except PermissionDenied:
        _log.warning("refused: %r (%s) may not %s", actor.name, actor.role, action)
        raise


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def database_url(env: Mapping[str, str] = os.environ) -> str:
    """The configured database, or the embedded SQLite file."""
    return env.get(DATABASE_URL_ENV) or f"sqlite:///{DEFAULT_SQLITE_PATH}"


def _alembic_config() -> AlembicConfig:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade_schema(connection: sa.Connection) -> None:
    """Create or upgrade the schema to the newest migration, inside the caller's transaction."""
    from alembic import command

    config = _alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def schema_head() -> str:
    """The newest migration's revision: the schema this code reads and writes."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None, "monev/migrations has no revision"
    return head


@dataclass(frozen=True)
class DatasetVersion:
    id: int
    created_at: dt.datetime
    created_by: str
    file_name: str
    checksum: str
    row_count: int
    period_first: str
    period_last: str
    period_count: int
    is_demo: bool
    note: str


@dataclass(frozen=True)
class _Kind:
    """Which data a version holds: its tables, its name in the audit log and in the server log."""

    versions: sa.Table
    active: sa.Table
    object_type: str
    label: str


_COVERAGE = _Kind(dataset_versions, active_dataset, "dataset", "dataset")
_GROUPS = _Kind(group_dataset_versions, active_group_dataset, "group_dataset", "target-group dataset")


@dataclass(frozen=True)
class AuditEntry:
    at: dt.datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    details: dict[str, object]


class Store:
    """One database; methods are safe to call from several threads and several app servers at once."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or database_url()
        if self.url.startswith("sqlite:///"):
            Path(self.url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        connect_args = {"timeout": 15} if self.url.startswith("sqlite") else {"connect_timeout": 3}
        self.engine = sa.create_engine(self.url, pool_pre_ping=True, connect_args=connect_args)

    @contextmanager
    def _transaction(self) -> Iterator[sa.Connection]:
        try:
            with self.engine.begin() as connection:
                yield connection
        except sa_exc.OperationalError as error:
            raise StoreUnavailable(str(error.orig or error)) from error
        except sa_exc.InterfaceError as error:
            raise StoreUnavailable(str(error.orig or error)) from error

    # --- schema ---------------------------------------------------------------------------------------------

    def migrate(self) -> None:
        """Create or upgrade the schema to the newest migration."""
        with self._transaction() as connection:
            upgrade_schema(connection)

    def schema_revision(self) -> str | None:
        with self._transaction() as connection:
            if not sa.inspect(connection).has_table("alembic_version"):
                return None
            return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()

    @contextmanager
    def _setup_lock(self) -> Iterator[None]:
        """Only one process at a time migrates and seeds: app servers may start together on an empty database."""
        if self.engine.dialect.name == "sqlite":
            lock_path = Path(self.url.removeprefix("sqlite:///") + ".setup-lock")
            with lock_path.open("a") as lock_file:
                fcntl.flock(lock_file, fcntl.LOCK_EX)  # released when the file is closed
                yield
            return
        try:
            with self.engine.connect() as connection:
                connection.execute(sa.select(sa.func.pg_advisory_lock(_SETUP_LOCK_KEY)))
                try:
                    yield
                finally:
                    connection.execute(sa.select(sa.func.pg_advisory_unlock(_SETUP_LOCK_KEY)))
                    connection.commit()
        except sa_exc.OperationalError as error:
            raise StoreUnavailable(str(error.orig or error)) from error

    def ensure_ready(self, demo: CoverageData) -> None:
        """Migrate, and on an empty database store the demo dataset as the first, active version."""
        self._seed_once(dataset_versions, lambda: self.add_dataset_version(
            demo, demo_path().read_bytes(), file_name=demo.source_name, actor=SYSTEM, note=DEMO_NOTE, activate=True))

    def _seed_once(self, versions: sa.Table, store_demo: Callable[[], object]) -> None:
        """Migrate, then ``store_demo()`` if ``versions`` holds no version yet."""
        # Alembic keeps its context per process: threads must take turns too, not only processes.
        with _MIGRATION_THREAD_LOCK, self._setup_lock():
            self.migrate()
            with self._transaction() as connection:
                if connection.execute(sa.select(sa.func.count()).select_from(versions)).scalar():
                    return
            store_demo()

    # --- dataset versions -------------------------------------------------------------------------------------

    def add_dataset_version(self, data: CoverageData, content: bytes, *, file_name: str, actor: User, note: str = "",
                            activate: bool = True, options: LoadOptions | None = None) -> DatasetVersion:
        """Store a validated upload (its original bytes, and the ``options`` it was loaded with: a month given, a
        column mapping) as a new immutable version, and make it the active one."""
        _require_editor(actor, "upload data")
        stored_options = options.to_json() if options is not None and options != LoadOptions() else None
        version_id = self._add_version(_COVERAGE, data.frame, data.periods, data.checksum, data.is_demo, content,
                                       file_name=file_name, actor=actor, note=note, activate=activate,
                                       load_options=stored_options)
        return self.dataset_version(version_id)

    def _add_version(self, kind: _Kind, frame: pd.DataFrame, periods: list[str], checksum: str, is_demo: bool,
                     content: bytes, *, file_name: str, actor: User, note: str, activate: bool,
                     load_options: dict[str, object] | None) -> int:
        # One transaction: the version, its audit entry and (when asked) the switch to it happen together or not.
        values = {
            "created_at": _now(), "created_by": actor.name, "file_name": file_name[:300], "checksum": checksum,
            "row_count": len(frame), "period_first": periods[0], "period_last": periods[-1],
            "period_count": len(periods), "is_demo": is_demo, "note": note, "content": content,
            "load_options": load_options,
        }
        with self._transaction() as connection:
            version_id = connection.execute(kind.versions.insert().values(**values)).inserted_primary_key[0]
            self._audit(connection, actor, "upload", kind.object_type, version_id,
                        {"file_name": file_name, "rows": len(frame), "checksum": checksum})
            if activate:
                self._activate(connection, version_id, actor, kind)
        _log.info("%s uploaded: version %s, file %r, %d rows, checksum %s, by %r", kind.label, version_id, file_name,
                  len(frame), checksum, actor.name)
        if activate:
            _log.info("%s activated: version %s, by %r", kind.label, version_id, actor.name)
        return version_id

    def _activate(self, connection: sa.Connection, version_id: int, actor: User, kind: _Kind) -> None:
        now = _now()
        updated = connection.execute(kind.active.update().where(kind.active.c.id == ACTIVE_ROW_ID)
                                     .values(version_id=version_id, changed_at=now, changed_by=actor.name)).rowcount
        if not updated:
            connection.execute(kind.active.insert().values(id=ACTIVE_ROW_ID, version_id=version_id,
                                                           changed_at=now, changed_by=actor.name))
        self._audit(connection, actor, "activate", kind.object_type, version_id, {})

    def activate(self, version_id: int, actor: User) -> None:
        """Make an existing version the active one (also a rollback to an earlier version)."""
        _require_editor(actor, "activate a data version")
        self._activate_existing(_COVERAGE, version_id, actor)

    def _activate_existing(self, kind: _Kind, version_id: int, actor: User) -> None:
        with self._transaction() as connection:
            exists = connection.execute(sa.select(kind.versions.c.id).where(kind.versions.c.id == version_id))
            if exists.first() is None:
                raise LookupError(version_id)
            self._activate(connection, version_id, actor, kind)
        _log.info("%s activated: version %s, by %r", kind.label, version_id, actor.name)

    def dataset_version(self, version_id: int) -> DatasetVersion:
        return self._version(_COVERAGE, version_id)

    def _version(self, kind: _Kind, version_id: int) -> DatasetVersion:
        with self._transaction() as connection:
            row = connection.execute(self._version_query(kind).where(kind.versions.c.id == version_id)).first()
        if row is None:
            raise LookupError(version_id)
        return DatasetVersion(**row._mapping)

    @staticmethod
    def _version_query(kind: _Kind) -> sa.Select:
        # A version's file and how to read it are for load_version; the rest describes the version.
        return sa.select(*(column for column in kind.versions.c if column.name not in ("content", "load_options")))

    def dataset_versions(self) -> list[DatasetVersion]:
        """Every version, newest first."""
        return self._versions(_COVERAGE)

    def _versions(self, kind: _Kind) -> list[DatasetVersion]:
        with self._transaction() as connection:
            rows = connection.execute(self._version_query(kind).order_by(kind.versions.c.id.desc())).all()
        return [DatasetVersion(**row._mapping) for row in rows]

    def active_version(self) -> DatasetVersion | None:
        """The version in use (one query, so it is cheap to ask on every page run)."""
        return self._active_version(_COVERAGE)

    def _active_version(self, kind: _Kind) -> DatasetVersion | None:
        query = self._version_query(kind).join(kind.active, kind.active.c.version_id == kind.versions.c.id)
        with self._transaction() as connection:
            row = connection.execute(query.where(kind.active.c.id == ACTIVE_ROW_ID)).first()
        return None if row is None else DatasetVersion(**row._mapping)

    def active_version_id(self) -> int | None:
        return self._active_version_id(_COVERAGE)

    def _active_version_id(self, kind: _Kind) -> int | None:
        with self._transaction() as connection:
            return connection.execute(sa.select(kind.active.c.version_id)
                                      .where(kind.active.c.id == ACTIVE_ROW_ID)).scalar()

    def _stored_file(self, kind: _Kind, version_id: int) -> tuple[sa.Row, LoadOptions]:
        """A version's original file, name, demo flag, and the options it was loaded with."""
        with self._transaction() as connection:
            row = connection.execute(sa.select(kind.versions.c.content, kind.versions.c.file_name,
                                               kind.versions.c.is_demo, kind.versions.c.load_options)
                                     .where(kind.versions.c.id == version_id)).first()
        if row is None:
            raise LookupError(version_id)
        return row, LoadOptions.from_json(row.load_options)

    def load_version(self, version_id: int) -> CoverageData:
        """The data of a version: its original file, read back through the same validation as on upload."""
        row, options = self._stored_file(_COVERAGE, version_id)
        result = load_dataset(row.file_name, row.content, is_demo=row.is_demo, period=options.period,
                              mappings=options.mappings)
        if result.data is None:
            raise StoreUnavailable(f"dataset version {version_id} no longer validates: "
                                   f"{[p.code for p in result.errors]}")
        return result.data

    def diff_versions(self, old_id: int, new_id: int) -> VersionDiff:
        """Regions and periods added or removed, and the values that changed, from ``old_id`` to ``new_id``."""
        return compare(self.load_version(old_id), self.load_version(new_id))

    # --- target-group dataset versions ----------------------------------------------------------------------

    def ensure_group_demo(self, demo: GroupData) -> None:
        """Migrate, and when no target-group version is stored yet, store the demo as the first, active one."""
        self._seed_once(group_dataset_versions, lambda: self.add_group_version(
            demo, DEMO_GROUPS_PATH.read_bytes(), file_name=demo.source_name, actor=SYSTEM, note=DEMO_NOTE,
            activate=True))

    def add_group_version(self, data: GroupData, content: bytes, *, file_name: str, actor: User, note: str = "",
                          activate: bool = True, period: str | None = None) -> DatasetVersion:
        """Store a validated target-group upload (its original bytes, and the month ``period`` given for sheets
        that name none) as a new immutable version, and make it the active one."""
        _require_editor(actor, "upload target-group data")
        stored_options = LoadOptions(period).to_json() if period is not None else None
        version_id = self._add_version(_GROUPS, data.frame, data.periods, data.checksum, data.is_demo, content,
                                       file_name=file_name, actor=actor, note=note, activate=activate,
                                       load_options=stored_options)
        return self.group_version(version_id)

    def activate_group_version(self, version_id: int, actor: User) -> None:
        """Make an existing target-group version the active one (also a rollback to an earlier version)."""
        _require_editor(actor, "activate a target-group data version")
        self._activate_existing(_GROUPS, version_id, actor)

    def group_version(self, version_id: int) -> DatasetVersion:
        return self._version(_GROUPS, version_id)

    def group_versions(self) -> list[DatasetVersion]:
        """Every target-group version, newest first."""
        return self._versions(_GROUPS)

    def active_group_version(self) -> DatasetVersion | None:
        """The target-group version in use (one query)."""
        return self._active_version(_GROUPS)

    def active_group_version_id(self) -> int | None:
        return self._active_version_id(_GROUPS)

    def load_group_version(self, version_id: int) -> GroupData:
        """The data of a target-group version: its original file, read back through the same validation."""
        row, options = self._stored_file(_GROUPS, version_id)
        result = load_group_dataset(row.file_name, row.content, is_demo=row.is_demo, period=options.period)
        if result.data is None:
            raise GroupVersionInvalid(f"target-group version {version_id} no longer validates: "
                                      f"{[p.code for p in result.errors]}")
        return result.data

    # --- scenarios --------------------------------------------------------------------------------------------

    def save_scenario(self, *, name: str, body: ScenarioBody, dataset_version_id: int, period: str, author: User,
                      note: str = "") -> Scenario:
        _require_editor(author, "save a scenario")
        now = _now()
        scenario_id = secrets.token_hex(SCENARIO_ID_BYTES)
        with self._transaction() as connection:
            connection.execute(scenarios.insert().values(
                id=scenario_id, name=name[:200], note=note, author=author.name, created_at=now, updated_at=now,
                updated_by=author.name, dataset_version_id=dataset_version_id, period=period,
                body=body.to_json(), version=1, deleted_at=None))
            self._audit(connection, author, "scenario_create", "scenario", scenario_id, {"name": name})
        _log.info("scenario saved: %s %r, by %r", scenario_id, name, author.name)
        return self.scenario(scenario_id)

    def scenario(self, scenario_id: str) -> Scenario:
        with self._transaction() as connection:
            row = connection.execute(sa.select(scenarios).where(scenarios.c.id == scenario_id,
                                                                scenarios.c.deleted_at.is_(None))).first()
        if row is None:
            raise ScenarioNotFound(scenario_id)
        return self._scenario(row)

    @staticmethod
    def _scenario(row: sa.Row) -> Scenario:
        values = dict(row._mapping)
        values.pop("deleted_at")
        values["body"] = ScenarioBody.from_json(values["body"])
        return Scenario(**values)

    def scenarios(self) -> list[Scenario]:
        """Scenarios that are not deleted, most recently changed first."""
        with self._transaction() as connection:
            rows = connection.execute(sa.select(scenarios).where(scenarios.c.deleted_at.is_(None))
                                      .order_by(scenarios.c.updated_at.desc(), scenarios.c.id)).all()
        return [self._scenario(row) for row in rows]

    def update_scenario(self, scenario_id: str, *, expected_version: int, actor: User, action: str = "scenario_update",
                        **changes: object) -> Scenario:
        """Change a scenario only if nobody else changed it since ``expected_version`` (else ScenarioConflict)."""
        self._change_scenario(scenario_id, expected_version, actor, action, changes)
        return self.scenario(scenario_id)

    def _change_scenario(self, scenario_id: str, expected_version: int, actor: User, action: str,
                         changes: dict[str, object]) -> None:
        _require_editor(actor, f"change a scenario ({action})")
        values = dict(changes)
        if "body" in values:
            body = values["body"]
            if not isinstance(body, ScenarioBody):
                raise TypeError(f"a scenario body must be a ScenarioBody, not {type(body).__name__}")
            values["body"] = body.to_json()
        values.update(updated_at=_now(), updated_by=actor.name, version=expected_version + 1)
        with self._transaction() as connection:
            updated = connection.execute(
                scenarios.update()
                .where(scenarios.c.id == scenario_id, scenarios.c.version == expected_version,
                       scenarios.c.deleted_at.is_(None))
                .values(**values)).rowcount
            if not updated:
                found = connection.execute(sa.select(scenarios.c.version).where(
                    scenarios.c.id == scenario_id, scenarios.c.deleted_at.is_(None))).scalar()
                if found is None:
                    raise ScenarioNotFound(scenario_id)
                raise ScenarioConflict(scenario_id, expected_version, found)
            self._audit(connection, actor, action, "scenario", scenario_id,
                        {key: str(value) for key, value in changes.items() if key in ("name", "note", "period")})
        _log.info("%s: %s, version %d, by %r", action, scenario_id, expected_version + 1, actor.name)

    def rename_scenario(self, scenario_id: str, name: str, *, expected_version: int, actor: User) -> Scenario:
        return self.update_scenario(scenario_id, expected_version=expected_version, actor=actor,
                                    action="scenario_rename", name=name[:200])

    def delete_scenario(self, scenario_id: str, *, expected_version: int, actor: User) -> None:
        """Soft delete: the row stays (and its audit trail), it no longer lists or opens."""
        self._change_scenario(scenario_id, expected_version, actor, "scenario_delete", {"deleted_at": _now()})

    def duplicate_scenario(self, scenario_id: str, *, name: str, actor: User) -> Scenario:
        _require_editor(actor, "duplicate a scenario")
        original = self.scenario(scenario_id)
        return self.save_scenario(name=name, body=original.body, dataset_version_id=original.dataset_version_id,
                                  period=original.period, author=actor, note=original.note)

    # --- audit --------------------------------------------------------------------------------------------------

    # --- column mappings -----------------------------------------------------------------------------------

    def save_column_mapping(self, shape: str, headers: list[str], mapping: ColumnMapping, *, actor: User) -> None:
        """Remember how the columns of files of this header shape map to our fields (replacing what was there)."""
        _require_editor(actor, "save a column mapping")
        values = {"headers": list(headers), "mapping": dict(mapping), "saved_at": _now(), "saved_by": actor.name}
        with self._transaction() as connection:
            updated = connection.execute(column_mappings.update().where(column_mappings.c.shape == shape)
                                         .values(**values)).rowcount
            if not updated:
                connection.execute(column_mappings.insert().values(shape=shape, **values))
            self._audit(connection, actor, "mapping_save", "mapping", shape[:12], {"mapping": dict(mapping)})
        _log.info("column mapping saved: %s, by %r", shape[:12], actor.name)

    def column_mappings(self) -> dict[str, dict[str, str]]:
        """Every remembered column mapping, by header shape (a few per office at most)."""
        with self._transaction() as connection:
            rows = connection.execute(sa.select(column_mappings.c.shape, column_mappings.c.mapping)).all()
        return {row.shape: {str(key): str(value) for key, value in dict(row.mapping).items()} for row in rows}

    def column_mapping(self, shape: str) -> dict[str, str] | None:
        """The mapping remembered for files of this header shape, if any."""
        with self._transaction() as connection:
            row = connection.execute(sa.select(column_mappings.c.mapping)
                                     .where(column_mappings.c.shape == shape)).first()
        return None if row is None else {str(key): str(value) for key, value in dict(row.mapping).items()}

    def _audit(self, connection: sa.Connection, actor: User, action: str, object_type: str, object_id: object,
               details: dict[str, object]) -> None:
        # The name alone could be anyone's; how they signed in (password, oidc, cli, system) says who vouched for it.
        connection.execute(audit_log.insert().values(at=_now(), actor=actor.name, action=action,
                                                     object_type=object_type, object_id=str(object_id),
                                                     details={**details, "via": actor.via}))

    def change_stamp(self) -> int:
        """A number that grows with every upload, activation and scenario change (the newest audit entry), so a
        screen can ask "anything new?" with one indexed query instead of re-reading the data."""
        with self._transaction() as connection:
            return int(connection.execute(sa.select(sa.func.max(audit_log.c.id))).scalar() or 0)

    def audit_entries(self, limit: int = 200) -> list[AuditEntry]:
        """The newest entries first."""
        with self._transaction() as connection:
            rows = connection.execute(sa.select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)).all()
        return [AuditEntry(**{k: v for k, v in row._mapping.items() if k != "id"}) for row in rows]
