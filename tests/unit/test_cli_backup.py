"""`python -m monev backup` and `restore`, run as an operator runs them (a subprocess on real databases)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from monev.dataset import DEMO_PATH, load_demo
from monev.store import Store, database_url
from tests.postgres import PostgresServer
from tests.unit.cli_runner import run_cli
from tests.unit.test_backup import all_rows, filled, table_names
from tests.unit.test_store import fresh_postgres_database
from tests.users import editor


@pytest.fixture
def postgres_target(postgres_server: PostgresServer) -> Iterator[str]:
    with fresh_postgres_database(postgres_server) as url:
        yield url


def test_backup_of_the_configured_database_restores_into_an_empty_one(tmp_path):
    source = filled(database_url())  # MONEV_DATABASE_URL, as the app and the command read it
    archive, target = tmp_path / "monev.zip", f"sqlite:///{tmp_path}/restored.sqlite3"

    written = run_cli("backup", "--out", archive)
    assert written.returncode == 0, written.stderr
    assert written.stdout.startswith(f"Cadangan ditulis ke {archive}")
    assert "2 versi data, 2 versi data kelompok sasaran, 2 skenario, 1 pemetaan kolom" in written.stdout

    restored = run_cli("restore", archive, "--database-url", target)
    assert restored.returncode == 0, restored.stderr
    assert "versi data aktif: 1." in restored.stdout
    assert all_rows(target) == all_rows(source)


def test_restore_into_postgresql_gives_new_uploads_fresh_ids(tmp_path, postgres_target):
    filled(database_url())
    assert run_cli("backup", "--out", tmp_path / "monev.zip").returncode == 0

    restored = run_cli("restore", tmp_path / "monev.zip", "--database-url", postgres_target, "--lang", "en")
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout == (f"Restored from {tmp_path / 'monev.zip'}: 2 dataset versions, 2 target-group data "
                               "versions, 2 scenarios, 1 column mapping, 15 audit entries; "
                               "active dataset version: 1.\n")
    store = Store(postgres_target)
    added = store.add_dataset_version(load_demo(), DEMO_PATH.read_bytes(), file_name="baru.csv", actor=editor())
    assert added.id == 3
    store.engine.dispose()


def test_a_damaged_archive_is_refused_with_a_sentence_and_nothing_is_written(tmp_path):
    filled(database_url())
    archive = tmp_path / "monev.zip"
    assert run_cli("backup", "--out", archive).returncode == 0
    archive.write_bytes(archive.read_bytes()[:-200])
    target = f"sqlite:///{tmp_path}/restored.sqlite3"

    refused = run_cli("restore", archive, "--database-url", target, "--lang", "en")
    assert refused.returncode == 1
    assert refused.stderr.startswith(f"{archive} is not a whole backup archive (damaged or truncated")
    assert refused.stderr.rstrip().endswith("Nothing was restored.")
    assert table_names(target) == []


def test_a_database_in_use_needs_replace(tmp_path):
    filled(database_url())
    archive = tmp_path / "monev.zip"
    assert run_cli("backup", "--out", archive).returncode == 0
    target = Store(f"sqlite:///{tmp_path}/in-use.sqlite3")
    target.ensure_ready(load_demo())

    refused = run_cli("restore", archive, "--database-url", target.url)
    assert refused.returncode == 1
    assert "tidak kosong" in refused.stderr
    assert "--replace" in refused.stderr
    assert len(target.dataset_versions()) == 1

    replaced = run_cli("restore", archive, "--database-url", target.url, "--replace")
    assert replaced.returncode == 0, replaced.stderr
    assert len(target.dataset_versions()) == 2
    target.engine.dispose()


def test_what_cannot_be_done_is_said_in_a_sentence(tmp_path):
    missing = run_cli("restore", tmp_path / "nothing.zip", "--lang", "en")
    assert (missing.returncode, missing.stderr) == (1, f"File not found: {tmp_path / 'nothing.zip'}\n")

    no_folder = run_cli("backup", "--out", tmp_path / "absent" / "monev.zip", "--lang", "en")
    assert no_folder.returncode == 1
    assert no_folder.stderr.startswith(f"The archive cannot be written to {tmp_path / 'absent' / 'monev.zip'}")

    filled(database_url())
    assert run_cli("backup", "--out", tmp_path / "monev.zip").returncode == 0
    closed_port = "postgresql+psycopg://postgres@127.0.0.1:9/monev"
    unreachable = run_cli("restore", tmp_path / "monev.zip", "--database-url", closed_port, "--lang", "en")
    assert unreachable.returncode == 1
    assert unreachable.stderr.startswith("The database cannot be reached:")
    assert os.listdir(tmp_path) == ["monev.zip"]
