"""`monev.doctor`: the checks of a deployment, on real files, folders and databases (SQLite, and PostgreSQL, which the
tests start themselves and fail without, never skip)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from monev.dataset import load_demo
from monev.doctor import Status, failed, run_checks
from monev.store import Store, schema_head
from tests.postgres import PostgresServer
from tests.unit.test_store import fresh_postgres_database
from tests.users import write_secrets_file

COOKIE_SECRET = "rahasia-kue-uji-yang-cukup-panjang"


def ready_database(path: Path) -> str:
    """A SQLite database as the app leaves it after its first start."""
    url = f"sqlite:///{path}"
    store = Store(url)
    store.ensure_ready(load_demo())
    store.engine.dispose()
    return url


@pytest.fixture
def deployment(tmp_path: Path, shared_boundaries: Path) -> dict[str, str]:
    """The environment of a healthy deployment: a migrated database, boundaries, a private secrets file with editor
    accounts and a cookie secret, a writable cache folder."""
    secrets = write_secrets_file(tmp_path / "secrets.toml")
    secrets.write_text(secrets.read_text() + f'\n[auth_cookie]\nsecret = "{COOKIE_SECRET}"\n')
    secrets.chmod(0o600)
    (tmp_path / "cache").mkdir()
    return {"MONEV_DATABASE_URL": ready_database(tmp_path / "monev.sqlite3"),
            "MONEV_BOUNDARIES": str(shared_boundaries), "STREAMLIT_SECRETS_FILES": str(secrets),
            "MONEV_CACHE_DIR": str(tmp_path / "cache")}


def by_area(env: dict[str, str], *, cache_dir: Path | None = None) -> dict[str, tuple[Status, str]]:
    return {check.area: (check.status, check.code) for check in run_checks(env, cache_dir=cache_dir)}


def message(env: dict[str, str], area: str, lang: str = "en") -> str:
    (check,) = [check for check in run_checks(env) if check.area == area]
    return check.message(lang)


def test_a_healthy_deployment_passes_every_check(deployment):
    checks = run_checks(deployment)
    assert [(check.area, check.status) for check in checks] == [
        ("database", Status.OK), ("schema", Status.OK), ("boundaries", Status.OK), ("secrets", Status.OK),
        ("editors", Status.OK), ("cookie", Status.OK), ("cache", Status.OK)]
    assert not failed(checks)
    assert message(deployment, "schema") == f"The schema is at revision {schema_head()}, this app's revision."
    assert message(deployment, "boundaries", "id").startswith("10 wilayah dari ")
    assert message(deployment, "editors") == ("9 editor accounts with a password, 0 editor e-mails for the "
                                              "organisation's sign-in.")


def test_doctor_changes_nothing_in_a_database_it_checks(deployment, tmp_path):
    missing = tmp_path / "not-yet.sqlite3"
    env = {**deployment, "MONEV_DATABASE_URL": f"sqlite:///{missing}"}
    assert by_area(env)["database"] == (Status.WARNING, "database_not_created")
    assert "schema" not in by_area(env)
    assert not missing.exists()


def test_an_empty_database_is_reported_unmigrated(deployment, tmp_path):
    sqlite3.connect(tmp_path / "empty.sqlite3").close()
    env = {**deployment, "MONEV_DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    assert by_area(env)["schema"] == (Status.FAILED, "schema_empty")
    assert failed(run_checks(env))


@pytest.mark.parametrize(("revision", "code"), [("0001", "schema_older"), ("9999_from_a_newer_app", "schema_newer")])
def test_a_database_at_another_revision_is_reported_and_left_as_it_is(deployment, revision, code):
    engine = sa.create_engine(deployment["MONEV_DATABASE_URL"])
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = :revision"), {"revision": revision})
    assert by_area(deployment)["schema"] == (Status.FAILED, code)
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == revision
    engine.dispose()
    assert revision in message(deployment, "schema")


def test_an_unreachable_database_says_so_without_its_password(deployment, postgres_server: PostgresServer):
    # A port nobody listens on: the server is shut for this test's purposes.
    closed = sa.make_url(postgres_server.url).set(port=1, password="geheim")
    env = {**deployment, "MONEV_DATABASE_URL": closed.render_as_string(hide_password=False)}
    assert by_area(env)["database"] == (Status.FAILED, "database_unreachable")
    text = message(env, "database")
    assert "geheim" not in text and "127.0.0.1:1/monev_test" in text
    assert text.endswith("Check that the database server runs and that its address, user name and password are right.")


def test_a_postgresql_database_is_checked_before_and_after_the_app_migrates_it(deployment, postgres_server):
    with fresh_postgres_database(postgres_server) as url:
        env = {**deployment, "MONEV_DATABASE_URL": url}
        assert by_area(env)["schema"] == (Status.FAILED, "schema_empty")
        store = Store(url)
        store.ensure_ready(load_demo())
        store.engine.dispose()
        assert by_area(env)["database"] == (Status.OK, "database_ok")
        assert by_area(env)["schema"] == (Status.OK, "schema_ok")


def test_the_database_named_in_the_secrets_is_the_one_checked_when_no_variable_names_one(deployment, tmp_path):
    secrets = Path(deployment["STREAMLIT_SECRETS_FILES"])
    secrets.write_text(secrets.read_text() + f'\n[database]\nurl = "sqlite:///{tmp_path / "elsewhere.sqlite3"}"\n')
    env = {key: value for key, value in deployment.items() if key != "MONEV_DATABASE_URL"}
    assert by_area(env)["database"] == (Status.WARNING, "database_not_created")
    assert "elsewhere.sqlite3" in message(env, "database")


def test_missing_boundaries_say_how_to_get_them(deployment):
    env = {key: value for key, value in deployment.items() if key != "MONEV_BOUNDARIES"}
    assert by_area(env)["boundaries"] == (Status.FAILED, "boundaries_missing")
    assert "python -m monev boundaries download" in message(env, "boundaries")


def test_a_verified_download_in_the_cache_is_enough(deployment, shared_boundaries):
    env = {key: value for key, value in deployment.items() if key != "MONEV_BOUNDARIES"}
    cache = Path(env["MONEV_CACHE_DIR"]) / "bengkulu_kabkota.geojson"
    cache.write_bytes(shared_boundaries.read_bytes())
    assert by_area(env)["boundaries"] == (Status.OK, "boundaries_ok")
    cache.write_text('{"type": "FeatureCollection", "features": []}')
    assert by_area(env)["boundaries"] == (Status.FAILED, "boundaries_bad_cache")


def test_a_boundary_file_that_does_not_outline_the_regions_is_explained_in_the_chosen_language(deployment, tmp_path):
    wrong = tmp_path / "wrong.geojson"
    wrong.write_text(json.dumps({"type": "FeatureCollection", "features": []}))
    env = {**deployment, "MONEV_BOUNDARIES": str(wrong)}
    assert by_area(env)["boundaries"] == (Status.FAILED, "boundaries_bad_file")
    english, indonesian = message(env, "boundaries"), message(env, "boundaries", "id")
    assert english.startswith("The file in MONEV_BOUNDARIES cannot be used: ")
    assert indonesian.startswith("Berkas di MONEV_BOUNDARIES tidak dapat dipakai: ")
    assert "': no boundary for 10 regions: Bengkulu Selatan, " in english
    assert "': tidak ada batas untuk 10 wilayah: Bengkulu Selatan, " in indonesian


def test_secrets_that_are_not_toml_point_at_the_line(deployment):
    secrets = Path(deployment["STREAMLIT_SECRETS_FILES"])
    secrets.write_text('[editors.passwords]\n"Ani" = scrypt$n=…\n')
    areas = by_area(deployment)
    assert areas["secrets"] == (Status.FAILED, "secrets_not_toml")
    assert "editors" not in areas  # nothing more can be said of settings that cannot be read
    assert "(at line 2, column 9)" in message(deployment, "secrets")


def test_secrets_readable_by_every_account_fail_with_the_chmod_to_run(deployment):
    secrets = Path(deployment["STREAMLIT_SECRETS_FILES"])
    secrets.chmod(0o644)
    assert by_area(deployment)["secrets"] == (Status.FAILED, "secrets_world_readable")
    assert message(deployment, "secrets").endswith(f"(mode 644). Run: chmod 600 {secrets}")


def test_a_named_secrets_file_that_is_missing_fails(deployment, tmp_path):
    env = {**deployment, "STREAMLIT_SECRETS_FILES": str(tmp_path / "nowhere.toml")}
    assert by_area(env)["secrets"] == (Status.FAILED, "secrets_unreadable")


def test_editor_settings_and_the_cookie_secret_are_checked_as_the_app_reads_them(deployment):
    secrets = Path(deployment["STREAMLIT_SECRETS_FILES"])
    secrets.write_text('[editors.passwords]\n"Ani" = "sandi-biasa"\n')
    assert by_area(deployment)["editors"] == (Status.FAILED, "editors_invalid")
    assert "[editors.passwords] Ani: not a hash made by `python -m monev hash-password`" in message(deployment,
                                                                                                  "editors")
    write_secrets_file(secrets)
    assert by_area(deployment)["cookie"] == (Status.WARNING, "cookie_missing")  # a restart signs editors out
    assert not failed(run_checks(deployment))
    secrets.write_text(secrets.read_text() + '\n[auth_cookie]\nsecret = "pendek"\n')
    assert by_area(deployment)["cookie"] == (Status.FAILED, "cookie_invalid")
    secrets.write_text("[editors]\nemails = []\n")
    assert by_area(deployment)["editors"] == (Status.WARNING, "editors_none")
    assert by_area(deployment)["cookie"] == (Status.OK, "cookie_not_needed")


def test_a_cache_folder_that_cannot_be_made_fails(deployment, tmp_path):
    # Root writes through any permission bits, so a folder under a regular file is what stops everyone alike.
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    for folder in (blocker / "cache", blocker):
        env = {**deployment, "MONEV_CACHE_DIR": str(folder)}
        assert by_area(env)["cache"] == (Status.FAILED, "cache_not_folder")
        assert message(env, "cache").startswith(f"The cache folder {folder} cannot be made: {blocker} is a file")


def test_a_cache_folder_not_made_yet_passes_when_its_parent_is_writable(deployment, tmp_path):
    env = {**deployment, "MONEV_CACHE_DIR": str(tmp_path / "new" / "cache")}
    assert by_area(env)["cache"] == (Status.OK, "cache_will_create")
    assert not (tmp_path / "new").exists()


def test_the_cache_folder_option_wins_over_the_variable(deployment, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    assert by_area(deployment, cache_dir=blocker)["cache"] == (Status.FAILED, "cache_not_folder")
