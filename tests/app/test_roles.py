"""Roles in the UI: what a viewer sees instead of an editor's controls, password sign-in with its lockout, st.login
(OIDC) users, missing or broken settings, and a refusal by the store when a session lost its editor right."""

from __future__ import annotations

import re
import shutil

from streamlit.testing.v1 import AppTest

from components.state import Keys, WidgetKeys
from monev.access import MAX_FAILURES, AccessSettings, Role, User, verify_sign_in_token
from monev.geo import load_source
from tests.app.support import (
    DATA_PAGE,
    SCENARIOS_PAGE,
    SIM_PAGE,
    edit_data_editor,
    go,
    metric_values,
    new_app,
    run,
    scenario_body,
    sign_in,
    store,
)
from tests.users import EDITOR_PASSWORD, editor, editor_secrets

OIDC_SETTINGS = {"redirect_uri": "https://monev.example.go.id/oauth2callback", "cookie_secret": "uji-rahasia-kue",
                 "client_id": "monev", "client_secret": "uji",
                 "server_metadata_url": "https://login.example.go.id/.well-known/openid-configuration"}


def _texts(elements) -> list[str]:
    return [element.value for element in elements]


def _sidebar_captions(at: AppTest) -> str:
    return " ".join(_texts(at.sidebar.caption))


def _keys(at: AppTest, kind: str) -> set[str]:
    return {element.key for element in at.get(kind)}


def _lebong_row(at: AppTest) -> int:
    return list(at.data_editor[0].value["region"]).index("Lebong")


def test_a_viewer_tries_the_simulator_but_sees_no_save():
    at = go(run(new_app()), SIM_PAGE)
    assert "Anda melihat sebagai **penampil**" in _sidebar_captions(at)
    before = metric_values(at)
    edit_data_editor(at, {_lebong_row(at): {"target_pct": 30}})
    assert metric_values(at) != before  # playing with the simulator is for everyone
    drawn = _keys(at, "text_input") | _keys(at, "button")
    assert not {WidgetKeys.SCENARIO_NAME, WidgetKeys.SCENARIO_SAVE_NEW} & drawn
    assert ("Anda dapat mencoba simulasi sepuasnya; hanya editor yang dapat menyimpan, mengganti nama atau menghapus "
            "skenario.") in _texts(at.info)


def test_a_viewer_may_open_a_scenario_but_not_change_it():
    saved = store().save_scenario(name="Lebong 30", body=scenario_body("target", {"17.07": 30}),
                                  dataset_version_id=1, period="2024-10", author=editor("Ani"))
    at = go(run(new_app()), SCENARIOS_PAGE)
    buttons = _keys(at, "button")
    assert WidgetKeys.SCENARIO_OPEN in buttons
    assert not {WidgetKeys.SCENARIO_DUPLICATE, WidgetKeys.SCENARIO_DELETE, WidgetKeys.SCENARIO_RENAME} & buttons
    at.button(key=WidgetKeys.SCENARIO_OPEN).click()
    run(at)
    assert at.session_state[Keys.SCENARIO]["id"] == saved.id  # opened in the simulator, read-only
    assert WidgetKeys.SCENARIO_SAVE not in _keys(at, "button")


def test_a_viewer_cannot_upload_data_or_boundaries():
    at = go(run(new_app()), DATA_PAGE)
    assert not at.get("file_uploader")
    assert not {WidgetKeys.VERSION_ACTIVATE, WidgetKeys.BOUNDARY_DOWNLOAD} & _keys(at, "button")
    infos = _texts(at.info)
    assert "Hanya editor yang dapat mengunggah atau mengunduh batas wilayah." in infos
    sign_in(at)
    assert {WidgetKeys.UPLOAD, WidgetKeys.BOUNDARY_UPLOAD} <= _keys(at, "file_uploader")
    assert WidgetKeys.BOUNDARY_DOWNLOAD in _keys(at, "button")


def _all_texts(at: AppTest) -> str:
    kinds = ("markdown", "caption", "info", "warning", "error")
    return " ".join(element.value for kind in kinds for element in at.get(kind))


def _boundary_source_lines(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("Peta memakai batas wilayah")]


def test_a_viewer_sees_which_server_boundaries_are_in_use_but_not_where_they_lie(shared_boundaries, tmp_path,
                                                                              monkeypatch):
    # Named like the verified download's cache file, so that the panel also names the source and its licence.
    server_file = tmp_path / "rahasiaserver" / load_source().cache_file
    server_file.parent.mkdir()
    shutil.copyfile(shared_boundaries, server_file)
    monkeypatch.setenv("MONEV_BOUNDARIES", str(server_file))
    at = go(run(new_app()), DATA_PAGE)
    assert _boundary_source_lines(at) == ["Peta memakai batas wilayah yang disiapkan di server: "
                                          "**bengkulu\\_kabkota\\.geojson**."]
    assert "rahasiaserver" not in _all_texts(at)
    assert any(caption.value.startswith("Sumber dan lisensi: MIT") for caption in at.caption)
    sign_in(at)
    editor_lines = _boundary_source_lines(at)
    assert len(editor_lines) == 1 and "rahasiaserver" in editor_lines[0]  # editors see the path


def test_only_an_editor_hears_which_server_boundary_file_is_missing(tmp_path, monkeypatch):
    monkeypatch.setenv("MONEV_BOUNDARIES", str(tmp_path / "rahasiaserver" / "batas.geojson"))
    at = go(run(new_app()), DATA_PAGE)
    assert "Belum ada batas wilayah. Peta menampilkan lingkaran di ibu kota setiap wilayah." in _texts(at.warning)
    assert "rahasiaserver" not in _all_texts(at)
    sign_in(at)
    assert "rahasiaserver" in _all_texts(at)


COOKIE_SECRET = "uji-rahasia-kue-masuk-editor"


def _cookie_scripts(at: AppTest) -> list[str]:
    return [element.proto.body for element in at.sidebar.get("html") if "document.cookie" in element.proto.body]


def test_a_password_sign_in_writes_a_signed_session_cookie_and_sign_out_clears_it():
    at = new_app()
    at.secrets["auth_cookie"] = {"secret": COOKIE_SECRET}
    assert not _cookie_scripts(run(at))  # a viewer's page writes no cookie
    sign_in(at, "Siti Rahma")
    (script,) = _cookie_scripts(at)
    token = re.search(r"monev_editor=([A-Za-z0-9_.-]+); Path=/; SameSite=Strict\"", script).group(1)
    assert "Max-Age" not in script and EDITOR_PASSWORD not in script  # a session cookie, never the password
    settings = AccessSettings.from_secrets(editor_secrets())
    assert verify_sign_in_token(token, settings, COOKIE_SECRET.encode()).user == User("Siti Rahma", Role.EDITOR,
                                                                                      "password")
    go(at, DATA_PAGE)
    assert _cookie_scripts(at) == [script]  # the same token on every page: nothing new to write

    at.sidebar.button(key=WidgetKeys.SIGN_OUT).click()
    (cleared,) = _cookie_scripts(run(at))
    assert "monev_editor=; Path=/; SameSite=Strict; Max-Age=0" in cleared


def test_a_wrong_password_says_so_and_leaves_a_viewer():
    at = sign_in(run(new_app()), "Penguji", "bukan-kata-sandinya")
    assert "Nama akun atau kata sandi salah." in _texts(at.sidebar.error)
    assert at.session_state[Keys.USER] is None


def test_repeated_failures_lock_the_account_even_for_the_right_password():
    at = run(new_app())
    for _ in range(MAX_FAILURES):
        sign_in(at, "Gita", "tebakan")
    sign_in(at, "Gita", EDITOR_PASSWORD)
    assert at.session_state[Keys.USER] is None
    (locked,) = _texts(at.sidebar.error)
    assert locked.startswith("Terlalu banyak percobaan yang salah untuk akun ini: coba lagi dalam ")
    other = sign_in(run(new_app()), "Penguji")  # another account, another session: unaffected
    assert other.session_state[Keys.USER].name == "Penguji"


def test_without_editor_settings_nobody_is_offered_a_sign_in():
    at = AppTest.from_file(str(new_app()._script_path), default_timeout=30)
    run(at)
    assert "Server ini belum punya akun editor" in _sidebar_captions(at)
    assert WidgetKeys.SIGN_IN_SUBMIT not in _keys(at, "button")


def test_broken_editor_settings_are_reported_and_nobody_can_edit():
    at = new_app()
    at.secrets["editors"] = {"passwords": {"budi": "kata-sandi-asli"}}  # a password pasted instead of its hash
    run(at)
    (error,) = _texts(at.sidebar.error)
    assert error.startswith("Pengaturan editor di secrets tidak valid") and "budi" in error
    assert WidgetKeys.SIGN_IN_SUBMIT not in _keys(at, "button")


def test_oidc_users_are_editors_only_when_listed():
    listed = new_app()
    listed.secrets.update({"auth": OIDC_SETTINGS, "editors": {"emails": ["kadis@bengkuluprov.go.id"]}})
    listed.user = {"is_logged_in": True, "email": "kadis@bengkuluprov.go.id", "name": "Kepala Dinas"}
    go(run(listed), DATA_PAGE)
    assert "Masuk sebagai **kadis@bengkuluprov\\.go\\.id** (editor)." in _sidebar_captions(listed)
    assert WidgetKeys.UPLOAD in _keys(listed, "file_uploader")

    unlisted = new_app()
    unlisted.secrets.update({"auth": OIDC_SETTINGS, "editors": {"emails": ["kadis@bengkuluprov.go.id"]}})
    unlisted.user = {"is_logged_in": True, "email": "warga@example.com", "name": "Warga"}
    go(run(unlisted), DATA_PAGE)
    assert "(penampil): akun ini tidak terdaftar sebagai editor" in _sidebar_captions(unlisted)
    assert not unlisted.get("file_uploader")

    signed_out = new_app()
    signed_out.secrets.update({"auth": OIDC_SETTINGS, "editors": {"emails": ["kadis@bengkuluprov.go.id"]}})
    signed_out.user = {"is_logged_in": False}
    run(signed_out)
    assert WidgetKeys.SIGN_IN_OIDC in _keys(signed_out, "button")


def test_the_store_refuses_a_save_from_a_session_that_is_no_longer_an_editor():
    """The button was drawn while the session was an editor; by the click it is not (signed out elsewhere, say).
    The store's own check refuses, the user reads why, and nothing is saved."""
    at = go(sign_in(run(new_app())), SIM_PAGE)
    edit_data_editor(at, {_lebong_row(at): {"target_pct": 30}})
    at.text_input(key=WidgetKeys.SCENARIO_NAME).set_value("Lebong 30")
    run(at)
    at.session_state[Keys.USER] = None
    at.button(key=WidgetKeys.SCENARIO_SAVE_NEW).click()
    run(at)
    assert "Ditolak: hanya editor yang dapat melakukan ini. Masuk sebagai editor di bilah samping." in _texts(at.error)
    assert store().scenarios() == []
