"""First-run set-up's core: the one-time token, the account appended to the secrets file (private, readable back by
AccessSettings), and every refusal."""

from __future__ import annotations

import stat
import threading
import tomllib
from pathlib import Path

import pytest

from monev.access import AccessSettings, SignInThrottle
from monev.first_run import (
    MIN_PASSWORD_LENGTH,
    FirstRunError,
    SetupGate,
    accounts_file,
    has_editor_accounts,
    new_setup_token,
    read_secrets_files,
    setup_link,
    token_matches,
    write_first_editor,
)
from tests.users import editor_secrets, write_secrets_file

PASSWORD = "kata-sandi-pertama-1"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _settings(path: Path) -> AccessSettings:
    return AccessSettings.from_secrets(tomllib.loads(path.read_text(encoding="utf-8")))


def test_a_token_is_long_random_and_url_safe():
    tokens = {new_setup_token() for _ in range(20)}
    assert len(tokens) == 20
    assert all(len(token) >= 43 and token.replace("-", "").replace("_", "").isalnum() for token in tokens)


def test_only_the_same_token_matches():
    token = new_setup_token()
    assert token_matches(token, token)
    assert not token_matches(token[:-1] + ("A" if token[-1] != "A" else "B"), token)
    assert not token_matches("", token)
    assert not token_matches(None, token)
    assert not token_matches(token, None)  # a server without a token admits nobody
    assert not token_matches("", "")


def test_configured_editors_of_any_kind_count_as_accounts():
    assert not has_editor_accounts({})
    assert not has_editor_accounts({"database": {"url": "sqlite://"}, "editors": {"passwords": {}, "emails": []}})
    assert has_editor_accounts(editor_secrets())
    assert has_editor_accounts({"editors": {"emails": ["kepala@bengkuluprov.go.id"]}})
    assert has_editor_accounts({"editors": {"passwords": {"budi": "not a hash"}}})  # broken, but the operator's
    assert has_editor_accounts({"editors": "everyone"})


def test_the_link_names_the_server_address_and_port():
    assert setup_link("127.0.0.1", 8501, "abc") == "http://127.0.0.1:8501/?setup=abc"
    assert setup_link("0.0.0.0", 8080, "abc") == "http://localhost:8080/?setup=abc"
    assert setup_link("", 8501, "abc") == "http://localhost:8501/?setup=abc"
    assert setup_link("::1", 8501, "abc") == "http://[::1]:8501/?setup=abc"


def test_the_account_goes_into_the_last_secrets_file_which_wins():
    assert accounts_file(["/home/a/.streamlit/secrets.toml", "/app/.streamlit/secrets.toml"]) == Path(
        "/app/.streamlit/secrets.toml")
    assert accounts_file(["/app/secrets.toml", "/run/secrets"]) == Path("/app/secrets.toml")
    with pytest.raises(FirstRunError) as refused:
        accounts_file(["/run/secrets"])
    assert refused.value.code == "no_secrets_file"


def test_a_new_secrets_file_is_private_and_holds_a_working_account(tmp_path):
    path = tmp_path / ".streamlit" / "secrets.toml"
    gate = SetupGate(new_setup_token())
    account, settings = gate.create_first_editor(gate.token, {}, path, "  Siti Rahma ", PASSWORD, PASSWORD)
    assert account == "Siti Rahma"
    assert _mode(path) == 0o600
    assert _settings(path) == settings
    signed_in = _settings(path).sign_in("siti rahma", PASSWORD, SignInThrottle()).user
    assert signed_in is not None and signed_in.can_edit
    assert PASSWORD not in path.read_text(encoding="utf-8")
    assert gate.spent
    assert list(path.parent.iterdir()) == [path]  # no partial file left behind


def test_an_existing_file_keeps_its_settings_and_comments(tmp_path):
    path = tmp_path / "secrets.toml"
    path.write_text('# database of the office\n[database]\nurl = "sqlite:///monev.sqlite3"', encoding="utf-8")
    path.chmod(0o644)
    write_first_editor(path, "Ani Ölçü", "scrypt$n=16384,r=8,p=1$c2FsdA==$aGFzaA==")
    text = path.read_text(encoding="utf-8")
    assert text.startswith('# database of the office\n[database]\nurl = "sqlite:///monev.sqlite3"\n')
    assert tomllib.loads(text)["database"] == {"url": "sqlite:///monev.sqlite3"}
    assert set(_settings(path).passwords) == {"ani ölçü"}
    assert _mode(path) == 0o600  # narrowed: it now holds a password hash
    assert read_secrets_files([tmp_path / "missing.toml", path, tmp_path])["database"] == {
        "url": "sqlite:///monev.sqlite3"}


def test_an_empty_editors_table_is_completed(tmp_path):
    path = tmp_path / "secrets.toml"
    path.write_text("[editors]\nemails = []\n", encoding="utf-8")
    write_first_editor(path, "Budi", "scrypt$n=16384,r=8,p=1$c2FsdA==$aGFzaA==")
    assert set(_settings(path).passwords) == {"budi"}


def test_a_file_that_names_editors_is_never_written(tmp_path):
    path = write_secrets_file(tmp_path / "secrets.toml")
    before = path.read_text(encoding="utf-8")
    gate = SetupGate(new_setup_token())
    with pytest.raises(FirstRunError) as refused:
        gate.create_first_editor(gate.token, {}, path, "Penyusup", PASSWORD, PASSWORD)
    assert refused.value.code == "accounts_exist"
    assert path.read_text(encoding="utf-8") == before
    assert not gate.spent


def test_editors_in_the_secrets_in_use_refuse_set_up_too(tmp_path):
    path = tmp_path / "secrets.toml"
    gate = SetupGate(new_setup_token())
    with pytest.raises(FirstRunError) as refused:
        gate.create_first_editor(gate.token, editor_secrets(), path, "Penyusup", PASSWORD, PASSWORD)
    assert refused.value.code == "accounts_exist"
    assert not path.exists()


def test_a_broken_secrets_file_is_reported_not_overwritten(tmp_path):
    path = tmp_path / "secrets.toml"
    path.write_text("[database\nurl = ", encoding="utf-8")
    with pytest.raises(FirstRunError) as refused:
        write_first_editor(path, "Budi", "scrypt$n=16384,r=8,p=1$c2FsdA==$aGFzaA==")
    assert refused.value.code == "secrets_unreadable"
    assert path.read_text(encoding="utf-8") == "[database\nurl = "


def test_the_token_is_spent_after_one_account(tmp_path):
    path = tmp_path / "secrets.toml"
    gate = SetupGate(new_setup_token())
    gate.create_first_editor(gate.token, {}, path, "Ani", PASSWORD, PASSWORD)
    path.unlink()  # even if the account is removed again, the link stays spent until a restart makes a new token
    with pytest.raises(FirstRunError) as refused:
        gate.create_first_editor(gate.token, {}, path, "Budi", PASSWORD, PASSWORD)
    assert refused.value.code == "accounts_exist"
    assert not path.exists()


def test_a_wrong_token_creates_nothing(tmp_path):
    path = tmp_path / "secrets.toml"
    gate = SetupGate(new_setup_token())
    for offered in ("", None, new_setup_token()):
        with pytest.raises(FirstRunError) as refused:
            gate.create_first_editor(offered, {}, path, "Penyusup", PASSWORD, PASSWORD)
        assert refused.value.code == "token_wrong"
    assert not path.exists() and not gate.spent
    with pytest.raises(FirstRunError):
        SetupGate(None).create_first_editor(None, {}, path, "Penyusup", PASSWORD, PASSWORD)


def test_two_people_at_once_make_one_first_editor(tmp_path):
    path = tmp_path / "secrets.toml"
    gate = SetupGate(new_setup_token())
    outcomes: list[str] = []

    def attempt(name: str) -> None:
        try:
            gate.create_first_editor(gate.token, {}, path, name, PASSWORD, PASSWORD)
            outcomes.append("created")
        except FirstRunError as error:
            outcomes.append(error.code)

    threads = [threading.Thread(target=attempt, args=(name,)) for name in ("Ani", "Budi", "Citra")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["accounts_exist", "accounts_exist", "created"]
    assert len(_settings(path).passwords) == 1


@pytest.mark.parametrize(("name", "password", "repeat", "code"), [
    ("  ", PASSWORD, PASSWORD, "account_missing"),
    ("A" * 81, PASSWORD, PASSWORD, "account_invalid"),
    ("Ani\nBudi", PASSWORD, PASSWORD, "account_invalid"),
    ("Ani", "x" * (MIN_PASSWORD_LENGTH - 1), "x" * (MIN_PASSWORD_LENGTH - 1), "password_too_short"),
    ("Ani", "x" * 201, "x" * 201, "password_too_long"),
    ("Ani", PASSWORD, PASSWORD + "!", "password_mismatch"),
])
def test_names_and_passwords_follow_the_rules_of_hash_password(tmp_path, name, password, repeat, code):
    path = tmp_path / "secrets.toml"
    gate = SetupGate(new_setup_token())
    with pytest.raises(FirstRunError) as refused:
        gate.create_first_editor(gate.token, {}, path, name, password, repeat)
    assert refused.value.code == code
    assert not path.exists() and not gate.spent
