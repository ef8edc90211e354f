"""Roles, editor passwords and the sign-in throttle (monev.access), the store's refusal of viewers, and
``python -m monev hash-password``."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from monev.access import (
    ANONYMOUS,
    FIRST_LOCKOUT_S,
    MAX_FAILURES,
    MAX_LOCKOUT_S,
    SIGN_IN_TOKEN_TTL_S,
    AccessConfigError,
    AccessSettings,
    PasswordHash,
    PermissionDenied,
    Role,
    SignInThrottle,
    User,
    configured_cookie_secret,
    hash_password,
    issue_sign_in_token,
    random_cookie_secret,
    verify_sign_in_token,
)
from monev.dataset import DEMO_PATH, load_dataset, load_demo
from monev.geo import download_boundaries
from monev.scenario import ScenarioBody
from monev.simulation import CostParameters
from monev.store import Store
from tests.unit.cli_runner import run_cli
from tests.users import editor, viewer

PASSWORD = "bengkulu-2024-monev"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def settings_with(**accounts: str) -> AccessSettings:
    return AccessSettings.from_secrets({"editors": {"passwords": {name: hash_password(pw)
                                                                  for name, pw in accounts.items()}}})


# --- password hashes ----------------------------------------------------------------------------------------------


def test_a_hash_verifies_its_password_only():
    encoded = hash_password(PASSWORD)
    assert encoded.startswith("scrypt$n=32768,r=8,p=1$")
    parsed = PasswordHash.parse(encoded)
    assert parsed.matches(PASSWORD)
    assert not parsed.matches(PASSWORD.upper())
    assert not parsed.matches("")
    assert PASSWORD not in encoded


def test_each_hash_has_its_own_salt():
    assert hash_password(PASSWORD) != hash_password(PASSWORD)


def test_an_empty_password_is_not_hashed():
    with pytest.raises(ValueError):
        hash_password("")


@pytest.mark.parametrize("encoded", [
    "", "rahasia", "pbkdf2$n=1,r=8,p=1$c2FsdA==$aGFzaA==", "scrypt$n=32768,r=8,p=1$c2FsdA==",
    "scrypt$n=1000,r=8,p=1$c2FsdA==$aGFzaA==",  # n must be a power of two
    "scrypt$n=1048576,r=8,p=1$c2FsdA==$aGFzaA==",  # 1 GiB per sign-in: refused
    "scrypt$n=32768,r=8,p=64$c2FsdA==$aGFzaA==",
])
def test_malformed_or_excessive_hashes_are_configuration_errors(encoded):
    with pytest.raises(AccessConfigError):
        PasswordHash.parse(encoded)


# --- settings from the secrets ------------------------------------------------------------------------------------


def test_settings_read_accounts_emails_and_oidc_from_the_secrets():
    settings = AccessSettings.from_secrets({
        "editors": {"passwords": {"Budi": hash_password(PASSWORD)}, "emails": ["Kadis@BengkuluProv.go.id"]},
        "auth": {"redirect_uri": "https://monev.example/oauth2callback", "cookie_secret": "x"},
    })
    assert set(settings.passwords) == {"budi"}
    assert settings.editor_emails == {"kadis@bengkuluprov.go.id"}
    assert settings.oidc and settings.editing_possible


def test_no_secrets_means_nobody_can_edit():
    settings = AccessSettings.from_secrets({})
    assert not settings.passwords and not settings.oidc and not settings.editing_possible
    assert settings.sign_in("budi", PASSWORD, SignInThrottle()).user is None


@pytest.mark.parametrize("secrets, names", [
    ({"editors": {"passwords": {"budi": "plain-text-password"}}}, "budi"),
    ({"editors": {"passwords": {"ani": 12345}}}, "ani"),
    ({"editors": {"emails": "kadis@bengkuluprov.go.id"}}, "emails"),
    ({"editors": "budi"}, "[editors]"),
])
def test_malformed_settings_name_the_bad_entry(secrets, names):
    with pytest.raises(AccessConfigError, match=names.replace("[", r"\[").replace("]", r"\]")):
        AccessSettings.from_secrets(secrets)


def test_oidc_users_edit_only_when_their_email_is_listed():
    settings = AccessSettings.from_secrets({"editors": {"emails": ["kadis@bengkuluprov.go.id"]},
                                            "auth": {"redirect_uri": "https://monev.example/oauth2callback"}})
    listed = settings.oidc_user("Kadis@BengkuluProv.go.id", "Kepala Dinas")
    assert (listed.name, listed.role, listed.via) == ("Kadis@BengkuluProv.go.id", Role.EDITOR, "oidc")
    other = settings.oidc_user("warga@example.com", "Warga")
    assert (other.role, other.can_edit) == (Role.VIEWER, False)


# --- sign-in and throttle -----------------------------------------------------------------------------------------


def test_sign_in_accepts_the_right_password_with_any_case_of_the_name():
    settings = settings_with(**{"Budi Santoso": PASSWORD})
    result = settings.sign_in("  budi santoso ", PASSWORD, SignInThrottle())
    assert result.user is not None
    assert (result.user.name, result.user.role, result.user.via) == ("budi santoso", Role.EDITOR, "password")


def test_wrong_passwords_lock_the_account_with_growing_waits():
    clock = FakeClock()
    throttle = SignInThrottle(clock=clock)
    settings = settings_with(budi=PASSWORD)
    for _ in range(MAX_FAILURES):
        assert settings.sign_in("budi", "salah", throttle).user is None
    # Locked: even the right password is not checked now.
    locked = settings.sign_in("budi", PASSWORD, throttle)
    assert locked.user is None and locked.wait_seconds == pytest.approx(FIRST_LOCKOUT_S)
    clock.now += FIRST_LOCKOUT_S + 1
    assert settings.sign_in("budi", "salah lagi", throttle).user is None
    assert throttle.wait_seconds("budi") == pytest.approx(2 * FIRST_LOCKOUT_S)  # doubled
    for _ in range(20):
        clock.now += MAX_LOCKOUT_S
        settings.sign_in("budi", "salah", throttle)
    assert throttle.wait_seconds("budi") == pytest.approx(MAX_LOCKOUT_S)  # capped
    clock.now += MAX_LOCKOUT_S
    assert settings.sign_in("BUDI", PASSWORD, throttle).user is not None
    assert throttle.wait_seconds("budi") == 0  # a success forgets the failures


def test_the_lock_is_per_account_and_covers_unknown_names():
    clock = FakeClock()
    throttle = SignInThrottle(clock=clock)
    settings = settings_with(budi=PASSWORD, ani=PASSWORD)
    for _ in range(MAX_FAILURES):
        settings.sign_in("siapa", "tebakan", throttle)
    assert throttle.wait_seconds("siapa") > 0  # probing names is throttled like guessing passwords
    assert settings.sign_in("ani", PASSWORD, throttle).user is not None


def test_old_failures_are_forgotten():
    clock = FakeClock()
    throttle = SignInThrottle(clock=clock)
    settings = settings_with(budi=PASSWORD)
    for _ in range(MAX_FAILURES - 1):
        settings.sign_in("budi", "salah", throttle)
    clock.now += 16 * 60
    settings.sign_in("budi", "salah", throttle)
    assert throttle.wait_seconds("budi") == 0


# --- the store refuses viewers ------------------------------------------------------------------------------------


# --- the sign-in cookie -------------------------------------------------------------------------------------------

SECRET = b"a-server-secret-of-enough-length"
NOW = 1_800_000_000.0
BUDI = User("Budi Santoso", Role.EDITOR, "password")


def test_a_sign_in_token_names_its_editor_until_it_expires():
    settings = settings_with(**{"Budi Santoso": PASSWORD})
    token = issue_sign_in_token(BUDI, settings, SECRET, now=NOW)
    assert PASSWORD not in token and "Budi" not in token  # the name is encoded, the password is not there at all
    assert verify_sign_in_token(token, settings, SECRET, now=NOW + SIGN_IN_TOKEN_TTL_S - 1).user == BUDI
    expired = verify_sign_in_token(token, settings, SECRET, now=NOW + SIGN_IN_TOKEN_TTL_S)
    assert expired.user is None and "expired" in expired.reason


def _flip_last_payload_char(token: str) -> str:
    payload, mac = token.split(".")
    return f"{payload[:-2]}{'A' if payload[-2] != 'A' else 'B'}{payload[-1]}.{mac}"


@pytest.mark.parametrize(("change", "reason"), [
    (lambda token, settings: (token, settings_with(**{"Budi Santoso": "a-new-password-2025"})), "does not match"),
    (lambda token, settings: (token, settings_with(**{"Siti": PASSWORD})), "no longer configured"),
    (lambda token, settings: (token[:-1] + ("A" if token[-1] != "A" else "B"), settings), "does not match"),
    (lambda token, settings: (_flip_last_payload_char(token), settings), ""),
    (lambda token, settings: ("x" + token, settings), ""),
    (lambda token, settings: ("", settings), "malformed"),
    (lambda token, settings: ("e30.AAAA", settings), "malformed"),
], ids=["password-changed", "account-removed", "signature-tampered", "payload-tampered", "garbled", "empty",
        "short-signature"])
def test_a_token_proves_nobody_after_a_password_change_removal_or_tampering(change, reason):
    settings = settings_with(**{"Budi Santoso": PASSWORD})
    token, settings_now = change(issue_sign_in_token(BUDI, settings, SECRET, now=NOW), settings)
    check = verify_sign_in_token(token, settings_now, SECRET, now=NOW + 60)
    assert check.user is None and check.reason
    assert reason in check.reason


def test_a_token_signed_with_another_secret_proves_nobody():
    settings = settings_with(**{"Budi Santoso": PASSWORD})
    token = issue_sign_in_token(BUDI, settings, random_cookie_secret(), now=NOW)
    assert verify_sign_in_token(token, settings, SECRET, now=NOW).user is None
    assert random_cookie_secret() != random_cookie_secret()


def test_only_a_password_editor_gets_a_token():
    settings = settings_with(**{"Budi Santoso": PASSWORD})
    for who in (User("Budi Santoso"), User("Budi Santoso", Role.EDITOR, "oidc"), User("Siti", Role.EDITOR,
                                                                                          "password")):
        with pytest.raises(ValueError, match="password editor"):
            issue_sign_in_token(who, settings, SECRET, now=NOW)


def test_the_cookie_secret_comes_from_the_secrets_then_the_environment():
    env = {"MONEV_COOKIE_SECRET": "from-the-environment-1234"}
    assert configured_cookie_secret({"auth_cookie": {"secret": "from-the-secrets-file-1234"}}, env) == \
        b"from-the-secrets-file-1234"
    assert configured_cookie_secret({}, env) == b"from-the-environment-1234"
    assert configured_cookie_secret({}, {}) is None
    with pytest.raises(AccessConfigError, match="at least 16"):
        configured_cookie_secret({"auth_cookie": {"secret": "short"}}, {})
    with pytest.raises(AccessConfigError, match="table"):
        configured_cookie_secret({"auth_cookie": "x"}, {})


@pytest.fixture
def seeded(tmp_path) -> Store:
    store = Store(f"sqlite:///{tmp_path}/roles.db")
    store.ensure_ready(load_demo())
    yield store
    store.engine.dispose()


def _body() -> ScenarioBody:
    return ScenarioBody(mode="target", inputs=({"region_code": "17.07", "target_pct": 30.0},),
                        parameters=CostParameters())


def _everything(store: Store) -> tuple:
    return (store.dataset_versions(), store.active_version_id(), store.scenarios(), store.audit_entries(),
            store.column_mapping("shape"))


@pytest.mark.parametrize("who", [ANONYMOUS, viewer("warga@example.com")], ids=["anonymous", "oidc-viewer"])
@pytest.mark.parametrize("action", ["upload", "activate", "save", "update", "rename", "delete", "duplicate",
                                    "mapping"])
def test_every_editor_action_is_refused_to_a_viewer_and_changes_nothing(seeded: Store, who, action):
    content = DEMO_PATH.read_bytes()
    data = load_dataset("revisi.csv", content).data
    scenario = seeded.save_scenario(name="Lebong 30", body=_body(), dataset_version_id=1, period="2024-10",
                                    author=editor("Budi"))
    before = _everything(seeded)
    attempts = {
        "upload": lambda: seeded.add_dataset_version(data, content, file_name="revisi.csv", actor=who),
        "activate": lambda: seeded.activate(1, who),
        "save": lambda: seeded.save_scenario(name="x", body=_body(), dataset_version_id=1, period="2024-10",
                                             author=who),
        "update": lambda: seeded.update_scenario(scenario.id, expected_version=1, actor=who, body=_body()),
        "rename": lambda: seeded.rename_scenario(scenario.id, "y", expected_version=1, actor=who),
        "delete": lambda: seeded.delete_scenario(scenario.id, expected_version=1, actor=who),
        "duplicate": lambda: seeded.duplicate_scenario(scenario.id, name="z", actor=who),
        "mapping": lambda: seeded.save_column_mapping("shape", ["Kab/Kota"], {"kab_kota": "region"}, actor=who),
    }
    with pytest.raises(PermissionDenied) as refused:
        attempts[action]()
    assert refused.value.user == who
    assert _everything(seeded) == before


def test_an_editor_may_do_what_a_viewer_may_not(seeded: Store):
    content = DEMO_PATH.read_bytes()
    version = seeded.add_dataset_version(load_dataset("revisi.csv", content).data, content, file_name="revisi.csv",
                                         actor=editor("Ani"))
    seeded.activate(1, editor("Ani"))
    assert seeded.active_version_id() == 1 and version.created_by == "Ani"
    assert [(e.actor, e.details["via"]) for e in seeded.audit_entries()[:2]] == [("Ani", "password")] * 2


# --- python -m monev hash-password ----------------------------------------------------------------------------------


def test_hash_password_prints_a_toml_line_that_signs_in():
    completed = run_cli("hash-password", "--account", "Budi Santoso", stdin=PASSWORD + "\n")
    assert completed.returncode == 0, completed.stderr
    assert PASSWORD not in completed.stdout
    secrets = {"editors": {"passwords": tomllib.loads(completed.stdout)}}
    result = AccessSettings.from_secrets(secrets).sign_in("Budi Santoso", PASSWORD, SignInThrottle())
    assert result.user is not None and result.user.can_edit


def test_hash_password_refuses_a_short_password():
    completed = run_cli("hash-password", "--lang", "en", stdin="pendek\n")
    assert completed.returncode == 1
    assert completed.stdout == ""
    assert "at least 10 characters" in completed.stderr


# --- the documented settings ----------------------------------------------------------------------------------------


def test_the_secrets_example_documents_both_sign_ins_and_its_placeholder_is_refused():
    example = tomllib.loads((Path(__file__).resolve().parents[2] / ".streamlit" / "secrets.toml.example")
                            .read_text(encoding="utf-8"))
    # What st.login needs for one provider.
    assert {"redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url"} <= set(
        example["auth"])
    with pytest.raises(AccessConfigError, match="Budi Santoso"):  # copied without running hash-password
        AccessSettings.from_secrets(example)
    example["editors"]["passwords"]["Budi Santoso"] = hash_password(PASSWORD)
    settings = AccessSettings.from_secrets(example)
    assert settings.oidc and settings.editor_emails and settings.passwords


def test_a_viewer_cannot_fill_the_servers_boundary_cache(tmp_path):
    with pytest.raises(PermissionDenied):  # refused before anything is fetched: port 9 would not answer anyway
        download_boundaries(viewer(), cache_dir=tmp_path, base_url="http://127.0.0.1:9/", timeout_s=1)
    assert list(tmp_path.iterdir()) == []
