"""The administrator's log: one line per upload, activation, scenario change, sign-in and refusal, with the account
name and nothing more personal (no password, no file content), and shown on the server's stderr under `make run`."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from components.state import Keys, WidgetKeys
from monev.access import ANONYMOUS, PermissionDenied
from monev.dataset import DEMO_PATH, load_demo
from monev.store import Store
from tests.app.support import SIM_PAGE, go, new_app, run, sign_in
from tests.unit.test_store import body_with_gaps
from tests.users import EDITOR_PASSWORD, editor

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """A real SQLite store, migrated and seeded with the demo as version 1."""
    database = Store(f"sqlite:///{tmp_path}/monev.sqlite3")
    database.ensure_ready(load_demo())
    return database


def store_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "monev.store"]


def test_an_upload_logs_the_file_rows_checksum_version_and_account_after_it_is_saved(store, caplog):
    demo = load_demo()
    content = DEMO_PATH.read_bytes() + b"\n"
    with caplog.at_level(logging.INFO, logger="monev"):
        version = store.add_dataset_version(demo, content, file_name="Cakupan Okt\n2024.csv", actor=editor("Ani"))
    assert store_lines(caplog) == [
        f"dataset uploaded: version {version.id}, file 'Cakupan Okt\\n2024.csv', {len(demo.frame)} rows, "
        f"checksum {demo.checksum}, by 'Ani'",
        f"dataset activated: version {version.id}, by 'Ani'",
    ]
    assert all(record.levelno == logging.INFO for record in caplog.records)
    assert content.decode().splitlines()[1] not in caplog.text  # a data row: the file's content is never logged


def test_activations_and_scenario_changes_log_one_line_each(store, caplog):
    ani = editor("Ani")
    with caplog.at_level(logging.INFO, logger="monev"):
        store.activate(1, ani)
        scenario = store.save_scenario(name="Target 40 %", body=body_with_gaps(), dataset_version_id=1,
                                       period="2024-10", author=ani)
        store.rename_scenario(scenario.id, "Target 40 % (revisi)", expected_version=1, actor=editor("Budi"))
        store.update_scenario(scenario.id, expected_version=2, actor=ani, note="untuk rapat")
        store.delete_scenario(scenario.id, expected_version=3, actor=ani)
        store.save_column_mapping("a" * 64, ["No", "Daerah X"], {"daerah_x": "region"}, actor=ani)
    assert store_lines(caplog) == [
        "dataset activated: version 1, by 'Ani'",
        f"scenario saved: {scenario.id} 'Target 40 %', by 'Ani'",
        f"scenario_rename: {scenario.id}, version 2, by 'Budi'",
        f"scenario_update: {scenario.id}, version 3, by 'Ani'",
        f"scenario_delete: {scenario.id}, version 4, by 'Ani'",
        "column mapping saved: aaaaaaaaaaaa, by 'Ani'",
    ]


def test_a_write_refused_to_a_viewer_is_logged_and_nothing_else(store, caplog):
    with caplog.at_level(logging.INFO, logger="monev"), pytest.raises(PermissionDenied):
        store.activate(1, ANONYMOUS)
    (record,) = caplog.records
    assert (record.levelname, record.getMessage()) == ("WARNING",
                                                       "refused: 'anonim' (viewer) may not activate a data version")


def test_a_conflicting_scenario_change_logs_no_change(store, caplog):
    ani = editor("Ani")
    scenario = store.save_scenario(name="Coba", body=body_with_gaps(), dataset_version_id=1, period="2024-10",
                                   author=ani)
    with caplog.at_level(logging.INFO, logger="monev"), pytest.raises(RuntimeError):
        store.rename_scenario(scenario.id, "Lain", expected_version=5, actor=ani)
    assert store_lines(caplog) == []


def test_sign_in_sign_out_and_a_refused_save_in_the_app_are_logged_without_the_password(caplog):
    with caplog.at_level(logging.INFO):
        at = go(sign_in(run(new_app()), "Siti Rahma"), SIM_PAGE)
        at.text_input(key=WidgetKeys.SCENARIO_NAME).set_value("Lebong 30")
        run(at)
        at.session_state[Keys.USER] = None  # signed out elsewhere while the save button was still drawn
        at.button(key=WidgetKeys.SCENARIO_SAVE_NEW).click()
        run(at)
        sign_in(at, "Siti Rahma").sidebar.button(key=WidgetKeys.SIGN_OUT).click()
        sign_in(run(at), "Siti Rahma", "bukan-kata-sandinya")
    lines = [(record.levelname, record.name, record.getMessage()) for record in caplog.records
             if record.name.startswith(("monev", "components"))]
    assert lines[2:] == [  # after the app's first start stored the demo (by 'sistem')
        ("INFO", "components.auth", "editor signed in: Siti Rahma"),
        ("WARNING", "monev.store", "refused: 'anonim' (viewer) may not save a scenario"),
        ("INFO", "components.auth", "editor signed in: Siti Rahma"),
        ("INFO", "components.auth", "editor signed out: Siti Rahma"),
        ("WARNING", "components.auth", "failed editor sign-in for account 'Siti Rahma'"),
    ]
    assert EDITOR_PASSWORD not in caplog.text and "bukan-kata-sandinya" not in caplog.text


def test_the_app_logs_reach_stderr_as_make_run_starts_the_server(tmp_path):
    """scripts/serve.py (what `make run` starts) sends INFO lines of monev and components to stderr, formatted like
    Streamlit's own lines: Streamlit sets up handlers for its own loggers only."""
    program = (
        "import runpy; serve = runpy.run_path('scripts/serve.py'); serve['show_app_logs']()\n"
        "from monev.dataset import load_demo; from monev.store import Store\n"
        f"Store('sqlite:///{tmp_path}/monev.sqlite3').ensure_ready(load_demo())\n"
    )
    completed = subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True,
                               timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert completed.returncode == 0, completed.stderr
    (line,) = [line for line in completed.stderr.splitlines() if "dataset uploaded" in line]
    assert line.split(" ", 4)[2:4] == ["INFO", "monev.store:"]
    assert line.endswith(f"dataset uploaded: version 1, file 'cakupan_bengkulu_2024.csv', {len(load_demo().frame)} "
                         f"rows, checksum {load_demo().checksum}, by 'sistem'")
