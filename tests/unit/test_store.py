"""The persistence layer (monev.store) against real databases: a fresh SQLite file and a private PostgreSQL.

Every test runs on both backends, each time on an empty database of its own; the outage test is PostgreSQL only
(it stops and restarts the shared server).
"""

from __future__ import annotations

import hashlib
import importlib
import io
import math
import multiprocessing
import multiprocessing.synchronize
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from monev.access import SYSTEM
from monev.dataset import DEMO_PATH, CoverageData, load_dataset, load_demo
from monev.scenario import Scenario, ScenarioBody
from monev.simulation import MODES, CostParameters
from monev.store import ScenarioConflict, ScenarioNotFound, Store, StoreUnavailable
from tests.postgres import PostgresServer
from tests.users import editor

LEBONG = "17.07"
SELUMA = "17.05"
KAUR = "17.04"

# --- databases ---------------------------------------------------------------------------------------------------


@contextmanager
def fresh_postgres_database(server: PostgresServer) -> Iterator[str]:
    """A new, empty database on the shared server (dropped afterwards); yields its URL."""
    name = f"t_{uuid.uuid4().hex}"
    server_url = sa.make_url(server.url)
    admin = sa.create_engine(server_url.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        yield server_url.set(database=name).render_as_string(hide_password=False)
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path) -> Iterator[Store]:
    if request.param == "sqlite":
        database = Store(f"sqlite:///{tmp_path}/t.db")
        yield database
        database.engine.dispose()
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    with fresh_postgres_database(server) as url:
        database = Store(url)
        yield database
        database.engine.dispose()


# --- datasets ------------------------------------------------------------------------------------------------------


def demo_rows() -> pd.DataFrame:
    """The demo CSV as text cells, as a person editing the file sees it."""
    return pd.read_csv(io.BytesIO(DEMO_PATH.read_bytes()), dtype=str, keep_default_na=False)


def region_rows(rows: pd.DataFrame, official_name: str) -> pd.Series:
    return rows["Wilayah"] == official_name


def validated(rows: pd.DataFrame, name: str = "cakupan_revisi.csv") -> tuple[CoverageData, bytes]:
    content = rows.to_csv(index=False).encode("utf-8")
    result = load_dataset(name, content)
    assert result.data is not None, [p.code for p in result.errors]
    return result.data, content


def demo_bytes() -> bytes:
    return DEMO_PATH.read_bytes()


def lebong_bpu_changed() -> tuple[CoverageData, bytes, int, int]:
    """The demo with Lebong's BPU participants in 2024-10 raised by 100; returns also the old and new value."""
    rows = demo_rows()
    cell = (rows["Periode"] == "2024-10") & region_rows(rows, "Kabupaten Lebong")
    assert cell.sum() == 1
    old = int(rows.loc[cell, "Peserta BPU"].iloc[0])
    rows.loc[cell, "Peserta BPU"] = str(old + 100)
    data, content = validated(rows)
    return data, content, old, old + 100


def body_with_gaps() -> ScenarioBody:
    return ScenarioBody(
        mode="add",
        inputs=(
            {"region_code": "17.01", "target_pct": 45.5, "additional": math.nan, "segment": "bpu", "cap": 1200.0},
            {"region_code": LEBONG, "target_pct": math.nan, "additional": 300.0, "segment": "jakon",
             "cap": math.nan},
        ),
        parameters=CostParameters(cost_idr_per_month=20_000.0, months_funded=6, province_share=0.25,
                                  budget_ceiling_idr=1.5e9),
        allocation={"strategy": "gap", "regions": ["17.01", LEBONG]},
    )


def same_value(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def assert_same_body(actual: ScenarioBody, expected: ScenarioBody) -> None:
    assert actual.mode == expected.mode
    assert actual.parameters == expected.parameters
    assert actual.allocation == expected.allocation
    assert len(actual.inputs) == len(expected.inputs)
    for got, want in zip(actual.inputs, expected.inputs):
        assert got.keys() == want.keys()
        for key in want:
            assert same_value(got[key], want[key]), (key, got[key], want[key])


def save(store: Store, name: str = "Skenario", author: str = "ani", body: ScenarioBody | None = None,
         version_id: int | None = None) -> Scenario:
    if version_id is None:
        version_id = store.active_version_id()
    assert version_id is not None
    return store.save_scenario(name=name, body=body or body_with_gaps(), dataset_version_id=version_id,
                               period="2024-10", author=editor(author), note="catatan")


def run_together(workers: list[Callable[[], object]]) -> list[object]:
    """Run the callables in threads released at the same instant; each result is a value or the exception."""
    barrier = threading.Barrier(len(workers))
    results: list[object] = [None] * len(workers)

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = workers[index]()
        except Exception as error:  # noqa: BLE001 - collected and asserted on by the caller
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(workers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return results


# --- schema and seeding ----------------------------------------------------------------------------------------------


def test_migrate_creates_the_schema_on_an_empty_database_and_is_repeatable(store: Store) -> None:
    assert store.schema_revision() is None
    store.migrate()
    assert store.schema_revision() == "0003"
    store.migrate()
    assert store.schema_revision() == "0003"
    tables = set(sa.inspect(store.engine).get_table_names())
    assert {"dataset_versions", "active_dataset", "scenarios", "audit_log", "alembic_version"} <= tables
    assert store.dataset_versions() == []
    assert store.active_version_id() is None
    assert store.active_version() is None
    assert store.scenarios() == []


def test_ensure_ready_seeds_the_demo_once(store: Store) -> None:
    demo = load_demo()
    store.ensure_ready(demo)
    assert store.schema_revision() == "0003"
    (seeded,) = store.dataset_versions()
    assert seeded.is_demo is True
    assert store.active_version_id() == seeded.id
    assert seeded.file_name == DEMO_PATH.name
    assert seeded.checksum == hashlib.sha256(demo_bytes()).hexdigest()
    assert seeded.created_by == SYSTEM.name
    assert (seeded.row_count, seeded.period_first, seeded.period_last, seeded.period_count) == (
        100, "2024-01", "2024-10", 10)
    pd.testing.assert_frame_equal(store.load_version(seeded.id).frame, demo.frame)

    store.ensure_ready(demo)
    assert [v.id for v in store.dataset_versions()] == [seeded.id]
    assert store.active_version_id() == seeded.id


def test_an_existing_database_upgrades_without_loss(store: Store) -> None:
    store.migrate()
    data, content, _, _ = lebong_bpu_changed()
    version = store.add_dataset_version(data, content, file_name="revisi.csv", actor=editor("ani"),
                                        note="revisi Oktober")
    scenario = save(store, name="Target 2025", version_id=version.id)
    store.engine.dispose()

    reopened = Store(store.url)
    try:
        reopened.ensure_ready(load_demo())
        assert reopened.schema_revision() == "0003"
        assert reopened.dataset_versions() == [version]  # the demo is not seeded into a database that has data
        assert reopened.active_version_id() == version.id
        pd.testing.assert_frame_equal(reopened.load_version(version.id).frame, data.frame)
        assert reopened.scenarios() == [scenario]
        again = reopened.scenario(scenario.id)
        assert (again.name, again.version, again.dataset_version_id) == ("Target 2025", 1, version.id)
        assert_same_body(again.body, body_with_gaps())
    finally:
        reopened.engine.dispose()


# --- dataset versions ----------------------------------------------------------------------------------------------


def test_versions_keep_metadata_and_the_newest_is_active(store: Store) -> None:
    store.ensure_ready(load_demo())
    (demo_version,) = store.dataset_versions()
    data, content, _, _ = lebong_bpu_changed()
    added = store.add_dataset_version(data, content, file_name="cakupan_revisi.csv", actor=editor("budi"),
                                      note="koreksi BPU Lebong")

    assert store.active_version_id() == added.id
    assert store.active_version() == added
    assert [v.id for v in store.dataset_versions()] == [added.id, demo_version.id]
    assert added.id != demo_version.id
    assert added.file_name == "cakupan_revisi.csv"
    assert added.checksum == hashlib.sha256(content).hexdigest()
    assert added.row_count == 100
    assert (added.period_first, added.period_last, added.period_count) == ("2024-01", "2024-10", 10)
    assert added.created_by == "budi"
    assert added.note == "koreksi BPU Lebong"
    assert added.is_demo is False
    assert store.dataset_version(added.id) == added

    expected = load_dataset("cakupan_revisi.csv", content).data
    assert expected is not None
    loaded = store.load_version(added.id)
    pd.testing.assert_frame_equal(loaded.frame, expected.frame)
    assert loaded.checksum == hashlib.sha256(content).hexdigest()


def test_adding_without_activation_keeps_the_active_version(store: Store) -> None:
    store.ensure_ready(load_demo())
    active = store.active_version_id()
    data, content, _, _ = lebong_bpu_changed()
    added = store.add_dataset_version(data, content, file_name="draf.csv", actor=editor("budi"), activate=False)
    assert store.active_version_id() == active != added.id
    assert len(store.dataset_versions()) == 2


def test_rollback_activates_an_older_version_and_versions_stay_immutable(store: Store) -> None:
    demo = load_demo()
    store.ensure_ready(demo)
    (first,) = store.dataset_versions()
    data, content, _, _ = lebong_bpu_changed()
    second = store.add_dataset_version(data, content, file_name="revisi.csv", actor=editor("budi"))
    assert store.active_version_id() == second.id

    store.activate(first.id, actor=editor("citra"))
    assert store.active_version_id() == first.id
    assert store.active_version() == first
    assert store.dataset_versions() == [second, first]
    pd.testing.assert_frame_equal(store.load_version(first.id).frame, demo.frame)
    pd.testing.assert_frame_equal(store.load_version(second.id).frame, data.frame)

    store.activate(second.id, actor=editor("citra"))
    assert store.active_version_id() == second.id


def test_unknown_versions_raise_lookup_error(store: Store) -> None:
    store.ensure_ready(load_demo())
    active = store.active_version_id()
    with pytest.raises(LookupError):
        store.activate(9999, actor=editor("citra"))
    assert store.active_version_id() == active
    with pytest.raises(LookupError):
        store.load_version(9999)
    with pytest.raises(LookupError):
        store.dataset_version(9999)


def test_diff_counts_changed_values_and_rows(store: Store) -> None:
    store.ensure_ready(load_demo())
    (base,) = store.dataset_versions()
    rows = demo_rows()
    lebong = (rows["Periode"] == "2024-10") & region_rows(rows, "Kabupaten Lebong")
    seluma = (rows["Periode"] == "2024-05") & region_rows(rows, "Kabupaten Seluma")
    old_bpu, old_pu = int(rows.loc[lebong, "Peserta BPU"].iloc[0]), int(rows.loc[seluma, "Peserta PU"].iloc[0])
    rows.loc[lebong, "Peserta BPU"] = str(old_bpu + 100)
    rows.loc[seluma, "Peserta PU"] = str(old_pu + 7)
    rows.loc[seluma, "Target (%)"] = "45"  # was 39
    rows.loc[seluma, "Keterangan"] = "diperbarui"  # a note is not a value
    data, content = validated(rows)
    changed = store.add_dataset_version(data, content, file_name="revisi.csv", actor=editor("budi"))

    diff = store.diff_versions(base.id, changed.id)
    assert diff.changed_values == 3
    assert (diff.regions_added, diff.regions_removed, diff.periods_added, diff.periods_removed) == ((), (), (), ())
    assert len(diff.changed_rows) == 2
    by_key = diff.changed_rows.set_index(["period", "region_code"])
    assert set(by_key.index) == {("2024-10", LEBONG), ("2024-05", SELUMA)}
    assert (by_key.at[("2024-10", LEBONG), "bpu_old"], by_key.at[("2024-10", LEBONG), "bpu_new"]) == (
        old_bpu, old_bpu + 100)
    assert (by_key.at[("2024-05", SELUMA), "pu_old"], by_key.at[("2024-05", SELUMA), "pu_new"]) == (
        old_pu, old_pu + 7)
    assert by_key.at[("2024-05", SELUMA), "target_rate_old"] == pytest.approx(0.39)
    assert by_key.at[("2024-05", SELUMA), "target_rate_new"] == pytest.approx(0.45)

    same = store.diff_versions(base.id, base.id)
    assert same.changed_values == 0 and same.changed_rows.empty


def test_diff_reports_added_periods_and_removed_regions(store: Store) -> None:
    store.ensure_ready(load_demo())
    (base,) = store.dataset_versions()

    rows = demo_rows()
    november = rows[rows["Periode"] == "2024-10"].assign(Periode="2024-11")
    longer, longer_bytes = validated(pd.concat([rows, november], ignore_index=True), "tambah_november.csv")
    extra_month = store.add_dataset_version(longer, longer_bytes, file_name="tambah_november.csv", actor=editor("budi"))
    assert (extra_month.row_count, extra_month.period_last, extra_month.period_count) == (110, "2024-11", 11)

    rows = demo_rows()
    fewer, fewer_bytes = validated(rows[~region_rows(rows, "Kabupaten Kaur")], "tanpa_kaur.csv")
    without_kaur = store.add_dataset_version(fewer, fewer_bytes, file_name="tanpa_kaur.csv", actor=editor("budi"))
    assert without_kaur.row_count == 90

    diff = store.diff_versions(base.id, extra_month.id)
    assert diff.periods_added == ("2024-11",)
    assert (diff.periods_removed, diff.regions_added, diff.regions_removed) == ((), (), ())
    assert diff.changed_values == 0 and diff.changed_rows.empty

    back = store.diff_versions(extra_month.id, base.id)
    assert back.periods_removed == ("2024-11",) and back.periods_added == ()

    diff = store.diff_versions(base.id, without_kaur.id)
    assert diff.regions_removed == (KAUR,)
    assert (diff.regions_added, diff.periods_added, diff.periods_removed) == ((), (), ())
    assert diff.changed_values == 0 and diff.changed_rows.empty

    both = store.diff_versions(without_kaur.id, extra_month.id)
    assert both.regions_added == (KAUR,) and both.periods_added == ("2024-11",)
    assert both.regions_removed == () and both.periods_removed == ()



def totals_only(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows with one 'Jumlah Peserta' column instead of the four segments, as many offices keep them."""
    segments = ["Peserta PU", "Peserta BPU", "Peserta Jakon", "Peserta PMI"]
    total = rows[segments].astype(int).sum(axis=1).astype(str)
    return rows.drop(columns=segments).assign(**{"Jumlah Peserta": total})


def test_diff_counts_a_changed_total_once_with_or_without_a_split(store: Store) -> None:
    store.ensure_ready(load_demo())
    (base,) = store.dataset_versions()
    rows = totals_only(demo_rows())
    first, first_bytes = validated(rows, "rekap.csv")
    totals = store.add_dataset_version(first, first_bytes, file_name="rekap.csv", actor=editor("budi"))
    lebong = (rows["Periode"] == "2024-10") & region_rows(rows, "Kabupaten Lebong")
    old_total = int(rows.loc[lebong, "Jumlah Peserta"].iloc[0])
    rows.loc[lebong, "Jumlah Peserta"] = str(old_total + 100)
    revised, revised_bytes = validated(rows, "rekap_revisi.csv")
    changed = store.add_dataset_version(revised, revised_bytes, file_name="rekap_revisi.csv", actor=editor("budi"))

    diff = store.diff_versions(totals.id, changed.id)
    assert diff.changed_values == 1
    (changed_row,) = diff.changed_rows.itertuples()
    assert (changed_row.region_code, changed_row.participants_old, changed_row.participants_new) == (
        LEBONG, old_total, old_total + 100)
    # From the split demo: the four segments of every row are now unknown, and no total changed.
    assert store.diff_versions(base.id, totals.id).changed_values == 4 * len(rows)

# --- scenarios -----------------------------------------------------------------------------------------------------


def test_save_and_open_a_scenario(store: Store) -> None:
    store.ensure_ready(load_demo())
    version_id = store.active_version_id()
    body = body_with_gaps()
    saved = save(store, name="Target BPU 2025", author="ani", body=body)

    assert re.fullmatch(r"[0-9a-f]{12}", saved.id)
    assert saved.version == 1
    assert (saved.name, saved.author, saved.updated_by, saved.note) == ("Target BPU 2025", "ani", "ani", "catatan")
    assert saved.dataset_version_id == version_id
    assert saved.period == "2024-10"
    assert_same_body(saved.body, body)

    opened = store.scenario(saved.id)
    assert (opened.id, opened.name, opened.version, opened.period) == (saved.id, "Target BPU 2025", 1, "2024-10")
    assert_same_body(opened.body, body)
    assert math.isnan(opened.body.inputs[0]["additional"])
    assert math.isnan(opened.body.inputs[1]["target_pct"]) and math.isnan(opened.body.inputs[1]["cap"])
    frame = opened.body.input_frame()
    assert frame["additional"].isna().tolist() == [True, False]


def test_the_stored_body_holds_null_for_empty_cells(store: Store) -> None:
    store.ensure_ready(load_demo())
    saved = save(store)
    with store.engine.connect() as connection:
        raw = connection.execute(sa.select(sa.table("scenarios", sa.column("body", sa.JSON)).c.body)
                                 .where(sa.column("id") == saved.id)).scalar_one()
    assert raw["inputs"][0]["additional"] is None
    assert raw["inputs"][1]["target_pct"] is None
    assert raw["inputs"][0]["target_pct"] == 45.5


def test_list_rename_duplicate(store: Store) -> None:
    store.ensure_ready(load_demo())
    first, second, third = (save(store, name=name) for name in ("satu", "dua", "tiga"))
    assert [s.id for s in store.scenarios()] == [third.id, second.id, first.id]

    renamed = store.rename_scenario(first.id, "satu (revisi)", expected_version=1, actor=editor("budi"))
    assert (renamed.id, renamed.name, renamed.version, renamed.updated_by, renamed.author) == (
        first.id, "satu (revisi)", 2, "budi", "ani")
    assert store.scenario(first.id).name == "satu (revisi)"
    assert [s.id for s in store.scenarios()] == [first.id, third.id, second.id]  # most recently changed first

    copy = store.duplicate_scenario(second.id, name="dua (salinan)", actor=editor("citra"))
    assert copy.id != second.id and re.fullmatch(r"[0-9a-f]{12}", copy.id)
    assert (copy.name, copy.version, copy.author) == ("dua (salinan)", 1, "citra")
    assert (copy.dataset_version_id, copy.period, copy.note) == (second.dataset_version_id, second.period,
                                                                 second.note)
    assert_same_body(copy.body, second.body)
    assert store.scenario(second.id).name == "dua"  # the original is untouched
    assert [s.id for s in store.scenarios()] == [copy.id, first.id, third.id, second.id]


def test_update_changes_the_body_and_counts_versions(store: Store) -> None:
    store.ensure_ready(load_demo())
    saved = save(store)
    new_body = ScenarioBody(mode="target", inputs=({"region_code": KAUR, "target_pct": 60.0, "additional": math.nan,
                                                    "segment": "pu", "cap": math.nan},),
                            parameters=CostParameters())
    updated = store.update_scenario(saved.id, expected_version=1, actor=editor("budi"), body=new_body, period="2024-09")
    assert (updated.version, updated.period, updated.updated_by) == (2, "2024-09", "budi")
    assert_same_body(store.scenario(saved.id).body, new_body)
    again = store.update_scenario(saved.id, expected_version=2, actor=editor("ani"), note="lagi")
    assert (again.version, again.note) == (3, "lagi")


def test_delete_scenario_returns_normally(store: Store) -> None:
    store.ensure_ready(load_demo())
    saved = save(store)
    assert store.delete_scenario(saved.id, expected_version=1, actor=editor("budi")) is None


def test_soft_delete_hides_the_scenario_but_keeps_the_row(store: Store) -> None:
    store.ensure_ready(load_demo())
    kept, gone = save(store, name="tetap"), save(store, name="hapus")
    store.delete_scenario(gone.id, expected_version=1, actor=editor("budi"))

    with pytest.raises(ScenarioNotFound):
        store.scenario(gone.id)
    assert [s.id for s in store.scenarios()] == [kept.id]
    with store.engine.connect() as connection:
        row = connection.execute(sa.text("SELECT name, version, deleted_at FROM scenarios WHERE id = :id"),
                                 {"id": gone.id}).one()
    assert row.name == "hapus"
    assert row.version == 2
    assert row.deleted_at is not None

    with pytest.raises(ScenarioNotFound):
        store.rename_scenario(gone.id, "bangkit", expected_version=2, actor=editor("budi"))
    with pytest.raises(ScenarioNotFound):
        store.duplicate_scenario(gone.id, name="salinan", actor=editor("budi"))


def test_a_stale_version_raises_conflict_and_unknown_ids_not_found(store: Store) -> None:
    store.ensure_ready(load_demo())
    saved = save(store)
    store.rename_scenario(saved.id, "baru", expected_version=1, actor=editor("budi"))
    with pytest.raises(ScenarioConflict) as conflict:
        store.rename_scenario(saved.id, "lama", expected_version=1, actor=editor("citra"))
    assert (conflict.value.scenario_id, conflict.value.expected, conflict.value.found) == (saved.id, 1, 2)
    current = store.scenario(saved.id)
    assert (current.name, current.version, current.updated_by) == ("baru", 2, "budi")

    with pytest.raises(ScenarioConflict):
        store.delete_scenario(saved.id, expected_version=1, actor=editor("citra"))
    assert store.scenario(saved.id).version == 2

    for call in (lambda: store.scenario("000000000000"),
                 lambda: store.update_scenario("000000000000", expected_version=1, actor=editor("x"), name="y"),
                 lambda: store.rename_scenario("000000000000", "y", expected_version=1, actor=editor("x")),
                 lambda: store.delete_scenario("000000000000", expected_version=1, actor=editor("x")),
                 lambda: store.duplicate_scenario("000000000000", name="y", actor=editor("x"))):
        with pytest.raises(ScenarioNotFound):
            call()


# --- concurrency ---------------------------------------------------------------------------------------------------


def test_concurrent_saves_all_persist(store: Store) -> None:
    store.ensure_ready(load_demo())
    version_id = store.active_version_id()

    def saver(thread: int) -> Callable[[], list[str]]:
        def run() -> list[str]:
            return [save(store, name=f"t{thread}-{n}", author=f"user{thread}", version_id=version_id).id
                    for n in range(5)]
        return run

    results = run_together([saver(thread) for thread in range(8)])
    errors = [r for r in results if isinstance(r, BaseException)]
    assert not errors, errors
    ids = [scenario_id for batch in results for scenario_id in batch]  # type: ignore[union-attr]
    assert len(ids) == 40 and len(set(ids)) == 40
    listed = store.scenarios()
    assert {s.id for s in listed} == set(ids)
    assert sorted(s.name for s in listed) == sorted(f"t{t}-{n}" for t in range(8) for n in range(5))
    created = [e for e in store.audit_entries() if e.action == "scenario_create"]
    assert {e.object_id for e in created} == set(ids)


def test_concurrent_updates_of_one_scenario_let_exactly_one_win(store: Store) -> None:
    store.ensure_ready(load_demo())
    saved = save(store)
    version = saved.version
    for round_number in range(5):
        results = run_together([
            lambda who=who, name=f"{who}-{round_number}", expected=version: store.rename_scenario(
                saved.id, name, expected_version=expected, actor=editor(who))
            for who in ("ani", "budi")
        ])
        winners = [r for r in results if isinstance(r, Scenario)]
        conflicts = [r for r in results if isinstance(r, ScenarioConflict)]
        assert len(winners) == 1 and len(conflicts) == 1, results
        assert (conflicts[0].expected, conflicts[0].found) == (version, version + 1)
        current = store.scenario(saved.id)
        assert current.version == version + 1
        assert current.name == winners[0].name and current.updated_by == winners[0].updated_by
        version = current.version


SERVERS = 6
# How long another server holds its open migration while the others start: they are all past their first look at
# the schema by then.
HOLD_S = 2.0


def start_app_server(url: str, barrier: multiprocessing.synchronize.Barrier, outcomes: multiprocessing.Queue) -> None:
    """What an app server does on start (in a forked process: its own engine, its own Alembic)."""
    store, demo = Store(url), load_demo()
    for module in ("alembic.command", "alembic.config"):  # what migrate() imports, loaded before the start line
        importlib.import_module(module)
    barrier.wait()
    try:
        store.ensure_ready(demo)
        outcomes.put("ok")
    except Exception as error:  # noqa: BLE001 - reported to the test
        outcomes.put(f"failed {type(error).__name__}: {str(error).splitlines()[0]}")
    finally:
        store.engine.dispose()


def test_app_servers_starting_together_on_an_empty_database_all_start(store: Store) -> None:
    """The Store is documented safe for several app servers at once: several start on one empty database.

    To line them up, one more server is caught in the middle of its own migration (its schema transaction open:
    the write lock on SQLite, the first table created but not committed on PostgreSQL) while the others start,
    and then gives up (rolls back). The database is empty again; what follows is up to the servers.
    """
    context = multiprocessing.get_context("fork")
    barrier, outcomes = context.Barrier(SERVERS + 1), context.Queue()
    servers = [context.Process(target=start_app_server, args=(store.url, barrier, outcomes)) for _ in range(SERVERS)]
    for server in servers:
        server.start()  # forked before this process opens the database (SQLite connections must not cross a fork)
    other_server = sa.create_engine(store.url, poolclass=NullPool)
    try:
        with other_server.connect() as migrating:
            if other_server.dialect.name == "sqlite":
                migrating.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                migrating.exec_driver_sql("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
            barrier.wait(timeout=60)
            time.sleep(HOLD_S)
            migrating.rollback()
        results = sorted(outcomes.get(timeout=120) for _ in servers)
    finally:
        other_server.dispose()
        for server in servers:
            server.join(timeout=30)
            if server.is_alive():
                server.kill()
    assert results == ["ok"] * SERVERS
    assert store.schema_revision() == "0003"
    (seeded,) = store.dataset_versions()
    assert seeded.is_demo and store.active_version_id() == seeded.id


# --- audit log ------------------------------------------------------------------------------------------------------


def test_audit_log_records_who_did_what_in_order(store: Store) -> None:
    store.ensure_ready(load_demo())
    (demo_version,) = store.dataset_versions()
    data, content, _, _ = lebong_bpu_changed()
    upload = store.add_dataset_version(data, content, file_name="revisi.csv", actor=editor("ani"))
    store.activate(demo_version.id, actor=editor("budi"))
    scenario = save(store, name="awal", author="citra", version_id=demo_version.id)
    store.rename_scenario(scenario.id, "akhir", expected_version=1, actor=editor("dedi"))
    store.delete_scenario(scenario.id, expected_version=2, actor=editor("eka"))

    entries = list(reversed(store.audit_entries()))
    assert [(e.actor, e.action, e.object_type, e.object_id) for e in entries] == [
        (SYSTEM.name, "upload", "dataset", str(demo_version.id)),
        (SYSTEM.name, "activate", "dataset", str(demo_version.id)),
        ("ani", "upload", "dataset", str(upload.id)),
        ("ani", "activate", "dataset", str(upload.id)),
        ("budi", "activate", "dataset", str(demo_version.id)),
        ("citra", "scenario_create", "scenario", scenario.id),
        ("dedi", "scenario_rename", "scenario", scenario.id),
        ("eka", "scenario_delete", "scenario", scenario.id),
    ]
    assert entries[0].details["via"] == "system"
    assert entries[2].details == {"file_name": "revisi.csv", "rows": 100,
                                  "checksum": hashlib.sha256(content).hexdigest(), "via": "password"}
    assert entries[5].details == {"name": "awal", "via": "password"}
    assert entries[6].details == {"name": "akhir", "via": "password"}
    assert all(a.at <= b.at for a, b in zip(entries, entries[1:]))
    assert [e.action for e in store.audit_entries(limit=2)] == ["scenario_delete", "scenario_rename"]


# --- tampered scenario JSON ----------------------------------------------------------------------------------------

TAMPERED = {
    "mode": "sulap",
    "inputs": [
        {"target_pct": 50, "segment": "bpu"},  # no region_code
        {"region_code": 1701, "target_pct": 50},  # region_code not text
        "bukan baris",
        {"region_code": "17.01", "target_pct": "banyak", "additional": [1, 2], "segment": "asing", "cap": {}},
        {"region_code": "17.02", "target_pct": 40, "additional": None, "segment": None, "cap": 900},
    ],
    "parameters": {"cost_idr_per_month": "mahal", "months_funded": "dua belas", "province_share": None,
                   "budget_ceiling_idr": "tanpa batas"},
    "allocation": None,
}


def assert_tampered_defaults(body: ScenarioBody) -> None:
    assert body.mode == MODES[0]
    assert [row["region_code"] for row in body.inputs] == ["17.01", "17.02"]
    first, second = body.inputs
    assert math.isnan(first["target_pct"]) and math.isnan(first["additional"]) and math.isnan(first["cap"])
    assert first["segment"] == "bpu"
    assert second["target_pct"] == 40.0 and second["cap"] == 900.0 and math.isnan(second["additional"])
    assert second["segment"] == "bpu"
    assert body.parameters == CostParameters()
    assert body.allocation == {}
    assert list(body.input_frame().columns) == ["region_code", "target_pct", "additional", "segment", "cap"]


def test_from_json_tolerates_tampered_values() -> None:
    assert_tampered_defaults(ScenarioBody.from_json(TAMPERED))
    empty = ScenarioBody.from_json({})
    assert (empty.mode, empty.inputs, empty.parameters, empty.allocation) == (MODES[0], (), CostParameters(), {})


def test_a_hand_edited_stored_body_still_opens(store: Store) -> None:
    store.ensure_ready(load_demo())
    saved = save(store)
    scenarios_table = sa.table("scenarios", sa.column("id"), sa.column("body", sa.JSON))
    with store.engine.begin() as connection:
        connection.execute(scenarios_table.update().where(scenarios_table.c.id == saved.id).values(body=TAMPERED))
    assert_tampered_defaults(store.scenario(saved.id).body)
    assert_tampered_defaults(next(s for s in store.scenarios() if s.id == saved.id).body)


@pytest.mark.parametrize("tampered", [
    {"mode": "add", "inputs": 5},
    {"mode": "add", "inputs": [], "parameters": ["cost_idr_per_month", 1]},
    {"mode": "add", "inputs": [], "parameters": "murah"},
    {"mode": "add", "inputs": [], "allocation": "semua"},
    {"mode": "add", "inputs": [], "allocation": [1, 2]},
], ids=["inputs-number", "parameters-list", "parameters-text", "allocation-text", "allocation-list"])
def test_from_json_tolerates_wrongly_shaped_sections(tampered: dict[str, object]) -> None:
    body = ScenarioBody.from_json(tampered)
    assert body.mode == "add"
    assert isinstance(body.inputs, tuple)
    assert isinstance(body.parameters, CostParameters)
    assert isinstance(body.allocation, dict)


# --- outage (PostgreSQL only) -----------------------------------------------------------------------------------

OUTAGE_LIMIT_S = 10


def test_postgres_outage_raises_store_unavailable_and_the_store_recovers(postgres_server: PostgresServer) -> None:
    with fresh_postgres_database(postgres_server) as url:
        store = Store(url)
        try:
            store.ensure_ready(load_demo())
            version_id = store.active_version_id()
            before = save(store, name="sebelum")
            stopped = False
            try:
                postgres_server.stop()
                stopped = True
                calls: list[Callable[[], object]] = [
                    store.scenarios,
                    lambda: store.scenario(before.id),
                    lambda: save(store, name="selama", version_id=version_id),
                    lambda: store.rename_scenario(before.id, "x", expected_version=1, actor=editor("ani")),
                    store.dataset_versions,
                    store.active_version_id,
                    lambda: store.load_version(version_id),
                    lambda: store.activate(version_id, actor=editor("ani")),
                    store.audit_entries,
                    store.schema_revision,
                    lambda: store.ensure_ready(load_demo()),
                ]
                for call in calls:
                    started = time.monotonic()
                    with pytest.raises(StoreUnavailable):
                        call()
                    assert time.monotonic() - started < OUTAGE_LIMIT_S
                postgres_server.start()
                stopped = False
            finally:
                if stopped:
                    postgres_server.start()

            # the same Store object, not recreated
            assert [s.id for s in store.scenarios()] == [before.id]
            after = save(store, name="sesudah", version_id=version_id)
            assert {s.id for s in store.scenarios()} == {before.id, after.id}
            assert store.rename_scenario(before.id, "pulih", expected_version=1, actor=editor("ani")).version == 2
            assert store.active_version_id() == version_id
            pd.testing.assert_frame_equal(store.load_version(version_id).frame, load_demo().frame)
        finally:
            store.engine.dispose()


# --- column mappings -------------------------------------------------------------------------------------------------


def test_a_column_mapping_is_remembered_per_header_shape_replaced_by_the_next_and_audited(store: Store) -> None:
    store.migrate()
    assert store.column_mapping("a" * 64) is None
    store.save_column_mapping("a" * 64, ["No", "Daerah X"], {"daerah_x": "region", "no": ""}, actor=editor("ani"))
    assert store.column_mapping("a" * 64) == {"daerah_x": "region", "no": ""}
    store.save_column_mapping("a" * 64, ["No", "Daerah X"], {"daerah_x": "region", "no": "note"},
                              actor=editor("budi"))
    assert store.column_mapping("a" * 64) == {"daerah_x": "region", "no": "note"}
    assert store.column_mapping("b" * 64) is None
    latest = store.audit_entries()[0]
    assert (latest.actor, latest.action, latest.object_type) == ("budi", "mapping_save", "mapping")
