"""`python -m monev doctor`, run as an administrator runs it on a deployment (a subprocess, real files)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monev.store import database_url
from tests.unit.cli_runner import run_cli
from tests.unit.test_doctor import COOKIE_SECRET, ready_database
from tests.users import write_secrets_file


@pytest.fixture
def healthy(tmp_path: Path, shared_boundaries: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The environment (inherited by the command) of a healthy deployment; returns the secrets file."""
    ready_database(Path(database_url().removeprefix("sqlite:///")))
    secrets = write_secrets_file(tmp_path / "secrets.toml")
    secrets.write_text(secrets.read_text() + f'\n[auth_cookie]\nsecret = "{COOKIE_SECRET}"\n')
    secrets.chmod(0o600)
    monkeypatch.setenv("STREAMLIT_SECRETS_FILES", str(secrets))
    return secrets


def test_a_healthy_deployment_gets_one_tick_per_check_and_exit_code_0(healthy):
    done = run_cli("doctor")
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert [line.split(":")[0] for line in lines[:-1]] == [
        "✓ Basis data", "✓ Skema", "✓ Batas wilayah", "✓ Secrets", "✓ Akun editor", "✓ Cookie masuk", "✓ Cache"]
    assert lines[-1] == "Semua pemeriksaan lulus."


def test_a_failed_check_says_what_to_do_and_exits_with_1(healthy):
    healthy.chmod(0o644)
    done = run_cli("doctor", "--lang", "en")
    assert done.returncode == 1
    assert f"✗ Secrets: {healthy} can be read by every account on the server (mode 644). Run: chmod 600 {healthy}" \
        in done.stdout.splitlines()
    assert done.stdout.splitlines()[-1] == "1 check needs attention (✗ must be fixed, ! should be read)."


def test_a_warning_alone_keeps_exit_code_0(healthy, tmp_path):
    done = run_cli("doctor", "--lang", "en", "--database-url", f"sqlite:///{tmp_path}/later.sqlite3")
    assert done.returncode == 0, done.stdout
    assert done.stdout.splitlines()[0].startswith(f"! Database: The file sqlite:///{tmp_path}/later.sqlite3 does "
                                                  "not exist yet.")


def test_json_lists_every_check_with_its_status(healthy, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    done = run_cli("doctor", "--json", "--lang", "en", "--cache-dir", blocker / "cache")
    assert done.returncode == 1
    checks = json.loads(done.stdout)
    assert {check["area"]: check["status"] for check in checks} == {
        "database": "ok", "schema": "ok", "boundaries": "ok", "secrets": "ok", "editors": "ok", "cookie": "ok",
        "cache": "failed"}
    assert checks[-1]["message"].startswith(f"The cache folder {blocker / 'cache'} cannot be made")
