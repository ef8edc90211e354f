"""Store.change_stamp(): the number the presenter view polls every few seconds to learn that something changed.
It must grow with every upload, activation and scenario change, stay put otherwise, and cost next to nothing."""

from __future__ import annotations

import math
import time
from pathlib import Path

import pandas as pd
import pytest

from monev.dataset import DEMO_PATH, load_dataset, load_demo
from monev.scenario import ScenarioBody
from monev.simulation import CostParameters
from monev.store import Store
from tests.users import editor

POLLS = 200
POLL_BUDGET_S = 2.0


@pytest.fixture
def database(tmp_path: Path) -> Store:
    """An empty SQLite database of this test, migrated but not seeded."""
    store = Store(f"sqlite:///{tmp_path / 'stamp.sqlite3'}")
    store.migrate()
    return store


def _body(target_pct: float) -> ScenarioBody:
    row = {"region_code": "17.07", "target_pct": target_pct, "additional": math.nan, "segment": "bpu",
           "cap": math.nan}
    return ScenarioBody(mode="target", inputs=(row,), parameters=CostParameters())


def _revised_demo() -> tuple[bytes, object]:
    """The demo file with 1 000 more BPU participants for Lebong in October 2024, validated as an upload is."""
    frame = pd.read_csv(DEMO_PATH, dtype={"Periode": str})
    frame.loc[(frame["Periode"] == "2024-10") & (frame["Wilayah"] == "Kabupaten Lebong"), "Peserta BPU"] += 1000
    content = frame.to_csv(index=False).encode("utf-8")
    loaded = load_dataset("revisi.csv", content)
    assert loaded.data is not None, [problem.code for problem in loaded.errors]
    return content, loaded.data


def test_an_empty_migrated_database_has_stamp_zero(database: Store):
    assert database.change_stamp() == 0
    assert database.change_stamp() == 0


def test_every_kind_of_change_moves_the_stamp_up(database: Store):
    stamps = [database.change_stamp()]

    def changed() -> int:
        stamp = database.change_stamp()
        assert stamp > stamps[-1], f"the stamp did not grow: {stamps[-1]} -> {stamp}"
        stamps.append(stamp)
        return stamp

    database.ensure_ready(load_demo())  # seeding the demo writes audit entries (upload, activate)
    changed()
    database.ensure_ready(load_demo())  # already seeded: nothing happens, nothing moves
    assert database.change_stamp() == stamps[-1]

    content, data = _revised_demo()
    second = database.add_dataset_version(data, content, file_name="revisi.csv", actor=editor("Penguji"))
    changed()
    database.activate(1, editor("Penguji"))  # rollback to the demo
    changed()
    database.activate(second.id, editor("Penguji"))
    changed()

    scenario = database.save_scenario(name="Lebong 30", body=_body(30), dataset_version_id=second.id,
                                      period="2024-10", author=editor("Penguji"))
    changed()
    renamed = database.rename_scenario(scenario.id, "Lebong ke 30 persen", expected_version=scenario.version,
                                       actor=editor("Penguji"))
    changed()
    updated = database.update_scenario(scenario.id, expected_version=renamed.version, actor=editor("Penguji"),
                                       body=_body(35))
    changed()
    database.delete_scenario(scenario.id, expected_version=updated.version, actor=editor("Penguji"))
    changed()
    assert stamps == sorted(set(stamps))


def test_stamp_stays_equal_while_nothing_changes(database: Store):
    database.ensure_ready(load_demo())
    database.save_scenario(name="Lebong 30", body=_body(30), dataset_version_id=1, period="2024-10",
                           author=editor("Penguji"))
    first = database.change_stamp()
    # Reading is not changing: versions, scenarios, data and the audit log leave the stamp alone.
    database.dataset_versions()
    database.active_version()
    database.scenarios()
    database.load_version(1)
    database.audit_entries()
    assert [database.change_stamp() for _ in range(5)] == [first] * 5


def test_stamp_is_seen_by_another_store_on_the_same_database(database: Store):
    """The projector and the laptop are different sessions (or servers): each has its own Store object."""
    other = Store(database.url)
    database.ensure_ready(load_demo())
    assert other.change_stamp() == database.change_stamp() > 0
    database.save_scenario(name="Lebong 30", body=_body(30), dataset_version_id=1, period="2024-10",
                           author=editor("Penguji"))
    assert other.change_stamp() == database.change_stamp()


def test_polling_the_stamp_is_cheap(database: Store):
    database.ensure_ready(load_demo())
    for number in range(20):  # some history, so the query has rows to look at
        database.save_scenario(name=f"S{number}", body=_body(30), dataset_version_id=1, period="2024-10",
                               author=editor("Penguji"))
    expected = database.change_stamp()
    started = time.perf_counter()
    stamps = [database.change_stamp() for _ in range(POLLS)]
    elapsed = time.perf_counter() - started
    assert stamps == [expected] * POLLS
    assert elapsed < POLL_BUDGET_S, f"{POLLS} calls took {elapsed:.3f} s ({elapsed / POLLS * 1000:.2f} ms each)"
