"""The set-up link in the app: its token gives the first editor's form, creating the account signs in at once and
uploads are open; the link is spent after that, a wrong token shows nothing, and a server with editors offers no
set-up. The token is handed over as scripts/serve.py does (MONEV_SETUP_TOKEN in the process's environment)."""

from __future__ import annotations

import stat
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from components.state import Keys, WidgetKeys
from monev.access import AccessSettings, verify_sign_in_token
from monev.first_run import SETUP_TOKEN_ENV, new_setup_token
from tests.app.support import APP_PATH, DATA_PAGE, go, new_app, run

PASSWORD = "kata-sandi-pertama-1"
# A secrets file as a fresh install has it: settings, but no [editors] (the cookie secret lets the test check the
# sign-in cookie it was given).
COOKIE_SECRET = "rahasia-kue-uji-yang-cukup-panjang"
SECRETS_WITHOUT_EDITORS = {"auth_cookie": {"secret": COOKIE_SECRET}}
SPENT = "Tautan penyiapan ini sudah tidak berlaku"


@pytest.fixture
def secrets_file(tmp_path: Path) -> Iterator[Path]:
    """Where the app writes the first account: Streamlit's ``secrets.files`` pointed at an empty folder."""
    path = tmp_path / ".streamlit" / "secrets.toml"
    before = config.get_option("secrets.files")
    config.set_option("secrets.files", [str(path)])
    yield path
    config.set_option("secrets.files", before)


@pytest.fixture
def token(monkeypatch: pytest.MonkeyPatch) -> str:
    """This "server process's" set-up token."""
    made = new_setup_token()
    monkeypatch.setenv(SETUP_TOKEN_ENV, made)
    return made


def _fresh_install() -> AppTest:
    at = AppTest.from_file(str(APP_PATH), default_timeout=30)
    at.secrets.update(SECRETS_WITHOUT_EDITORS)
    return at


def _opened_with(at: AppTest, offered: str) -> AppTest:
    at.query_params["setup"] = offered
    return run(at)


def _form_shown(at: AppTest) -> bool:
    return WidgetKeys.SETUP_ACCOUNT in {element.key for element in at.text_input}


def _texts(at: AppTest) -> str:
    kinds = ("markdown", "caption", "info", "warning", "error", "success", "subheader")
    return " ".join(str(element.value) for kind in kinds for element in at.get(kind))


def _create(at: AppTest, name: str, password: str = PASSWORD, repeat: str = PASSWORD) -> AppTest:
    at.text_input(key=WidgetKeys.SETUP_ACCOUNT).input(name)
    at.text_input(key=WidgetKeys.SETUP_PASSWORD).input(password)
    at.text_input(key=WidgetKeys.SETUP_REPEAT).input(repeat)
    at.button(key=WidgetKeys.SETUP_SUBMIT).click()
    return run(at)


def test_the_link_creates_the_first_editor_who_can_upload_at_once(secrets_file, token):
    at = _opened_with(_fresh_install(), token)
    assert _form_shown(at)
    assert "Buat akun editor pertama" in _texts(at)
    assert "setup" not in at.query_params  # never carried on into a shared link

    _create(at, "Siti Rahma", repeat="salah-ketik-sekali")
    assert "Kedua kata sandi tidak sama." in _texts(at)
    assert at.session_state[Keys.USER] is None and not secrets_file.exists()

    _create(at, "Siti Rahma")
    user = at.session_state[Keys.USER]
    assert user.name == "Siti Rahma" and user.can_edit
    assert "Akun editor **Siti Rahma** dibuat" in _texts(at)
    assert "Masuk sebagai **Siti Rahma** (editor)." in " ".join(caption.value for caption in at.sidebar.caption)
    assert not _form_shown(at)
    assert stat.S_IMODE(secrets_file.stat().st_mode) == 0o600
    stored = AccessSettings.from_secrets(tomllib.loads(secrets_file.read_text(encoding="utf-8")))
    assert set(stored.passwords) == {"siti rahma"}
    cookie = at.session_state[Keys.SIGN_IN_COOKIE]
    assert verify_sign_in_token(cookie, stored, COOKIE_SECRET.encode()).user == user  # a reload keeps the sign-in

    go(at, DATA_PAGE)
    assert WidgetKeys.UPLOAD in {element.key for element in at.get("file_uploader")}


def test_the_same_link_a_second_time_is_refused(secrets_file, token):
    _create(_opened_with(_fresh_install(), token), "Ani")
    again = _opened_with(_fresh_install(), token)
    assert not _form_shown(again)
    assert SPENT in _texts(again)
    assert again.session_state[Keys.USER] is None
    assert set(AccessSettings.from_secrets(tomllib.loads(secrets_file.read_text(encoding="utf-8"))).passwords) == {
        "ani"}


@pytest.mark.parametrize("offered", ["", "tebakan", "x" * 43])
def test_a_wrong_token_shows_nothing_of_the_set_up(secrets_file, token, offered):
    at = _opened_with(_fresh_install(), offered)
    assert not _form_shown(at)
    assert "Buat akun editor pertama" not in _texts(at) and SPENT not in _texts(at)
    assert "setup" not in at.query_params
    assert not secrets_file.exists()


def test_without_a_token_from_the_server_no_link_works(secrets_file, monkeypatch):
    monkeypatch.delenv(SETUP_TOKEN_ENV, raising=False)
    at = _opened_with(_fresh_install(), "")
    assert not _form_shown(at)
    assert "buka tautan penyiapan yang dicetak di konsol server" in _texts(at)  # the sidebar says where to look


def test_a_server_with_editors_never_offers_set_up(secrets_file, token):
    at = _opened_with(new_app(), token)
    assert not _form_shown(at)
    assert SPENT in _texts(at)
    assert not secrets_file.exists()
