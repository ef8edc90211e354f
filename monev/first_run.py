"""First-run set-up: while a server has no editor account, a one-time link creates the first one.

The server (``scripts/serve.py``, as ``make run`` starts it) makes a random set-up token when the secrets name no
editor, hands it to the app through the ``MONEV_SETUP_TOKEN`` environment variable of its own process (Streamlit
runs the app in that process; nothing else sees it) and prints the link ``…/?setup=<token>``. Whoever opens the
link may create one editor account: name and password, hashed with the same scrypt as ``hash-password``, appended
to the secrets file the server reads (created readable by its owner only). Then the token is spent; a restart makes
a new one, and a server whose secrets already name an editor makes none. Nothing here imports streamlit.
"""

from __future__ import annotations

import hmac
import json
import os
import secrets
import threading
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from monev.access import AccessConfigError, AccessSettings, hash_password, normalise_account

SETUP_TOKEN_ENV = "MONEV_SETUP_TOKEN"
SETUP_PARAM = "setup"  # the link's query parameter
TOKEN_BYTES = 32
# The same rule as `python -m monev hash-password`: shorter passwords fall to guessing too quickly.
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200
MAX_ACCOUNT_CHARS = 80
SECRETS_FILE_MODE = 0o600


class FirstRunError(ValueError):
    """The first editor cannot be created; ``code`` names the reason (catalog key ``first_run.<code>``)."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def new_setup_token() -> str:
    """A fresh token with 32 random bytes, URL-safe."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_matches(offered: str | None, expected: str | None) -> bool:
    """Whether a link's token is this server's, compared in constant time; no token matches nothing."""
    if not offered or not expected:
        return False
    return hmac.compare_digest(offered.encode("utf-8"), expected.encode("utf-8"))


def has_editor_accounts(secrets_: Mapping[str, object]) -> bool:
    """Whether the secrets name any editor (a password account or an e-mail), valid or not: a server whose
    operator configured editors, even wrongly, never offers set-up."""
    editors = secrets_.get("editors")
    if not isinstance(editors, Mapping):
        return editors is not None  # a malformed [editors] is still the operator's
    return bool(editors.get("passwords")) or bool(editors.get("emails"))


def read_secrets_files(paths: Sequence[str | Path]) -> dict[str, object]:
    """The secrets as Streamlit merges them (later files win, missing files and secret folders skipped); a file
    that is not valid TOML raises ``tomllib.TOMLDecodeError``."""
    merged: dict[str, object] = {}
    for path in map(Path, paths):
        if path.suffix == ".toml" and path.is_file():
            merged.update(tomllib.loads(path.read_text(encoding="utf-8")))
    return merged


def accounts_file(paths: Sequence[str | Path]) -> Path:
    """Where the first account is written: the last TOML file of Streamlit's ``secrets.files``, whose settings win
    (by default the project's ``.streamlit/secrets.toml``)."""
    toml_files = [Path(path) for path in paths if str(path).endswith(".toml")]
    if not toml_files:
        raise FirstRunError("no_secrets_file")
    return toml_files[-1]


def setup_link(address: str | None, port: int, token: str) -> str:
    """The link the server prints; a wildcard or empty address is shown as localhost (the person at the server)."""
    host = address if address and address not in ("0.0.0.0", "::") else "localhost"  # noqa: S104
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/?{SETUP_PARAM}={token}"


def check_new_account(name: str, password: str, repeat: str) -> str:
    """The account name as it will be stored (trimmed), if name and password follow the rules."""
    account = name.strip()
    if not account:
        raise FirstRunError("account_missing")
    if len(account) > MAX_ACCOUNT_CHARS or any(not char.isprintable() for char in account):
        raise FirstRunError("account_invalid", limit=MAX_ACCOUNT_CHARS)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise FirstRunError("password_too_short", minimum=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        raise FirstRunError("password_too_long", limit=MAX_PASSWORD_LENGTH)
    if password != repeat:
        raise FirstRunError("password_mismatch")
    return account


def write_first_editor(path: Path, account: str, password_hash: str) -> AccessSettings:
    """Append ``[editors.passwords]`` with one account to the secrets file (created, readable by its owner only,
    if missing) and return the settings it now gives; refuses when the file already names an editor."""
    existing = path.read_text(encoding="utf-8") if path.is_file() else ""
    try:
        current = tomllib.loads(existing)
    except tomllib.TOMLDecodeError as error:
        raise FirstRunError("secrets_unreadable", path=str(path), error=str(error)) from error
    if has_editor_accounts(current):
        raise FirstRunError("accounts_exist")
    editors = current.get("editors")
    if isinstance(editors, Mapping) and "passwords" in editors:
        # An empty [editors.passwords] is already there: a second header would make the file invalid.
        raise FirstRunError("secrets_unreadable", path=str(path), error="[editors.passwords] exists but is empty")
    # Appended, not rewritten, so the operator's comments and other settings stay as they were. JSON strings with
    # non-ASCII kept as is are valid TOML basic strings.
    separator = "" if not existing or existing.endswith("\n") else "\n"
    line = f"{json.dumps(account, ensure_ascii=False)} = {json.dumps(password_hash)}"
    text = f"{existing}{separator}\n# The first editor, created with the set-up link.\n[editors.passwords]\n{line}\n"
    try:
        settings = AccessSettings.from_secrets(tomllib.loads(text))
    except (tomllib.TOMLDecodeError, AccessConfigError) as error:
        raise FirstRunError("secrets_unreadable", path=str(path), error=str(error)) from error
    if normalise_account(account) not in settings.passwords:
        raise FirstRunError("secrets_unreadable", path=str(path), error="the new account does not read back")
    _replace_privately(path, text)
    return settings


def _replace_privately(path: Path, text: str) -> None:
    # Written beside the file and renamed over it: a reader (Streamlit's secrets watcher) sees the old file or the
    # new one, never half of it; the file is created 0600 from the start, not opened up and then narrowed.
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, SECRETS_FILE_MODE)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


@dataclass
class SetupGate:
    """This server process's set-up token and whether it was spent; one for all sessions, thread-safe."""

    token: str | None
    _spent: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def admits(self, offered: str | None) -> bool:
        """Whether ``offered`` is this process's token (spent or not)."""
        return token_matches(offered, self.token)

    @property
    def spent(self) -> bool:
        return self._spent

    def create_first_editor(self, offered: str | None, configured: Mapping[str, object], path: Path,
                            name: str, password: str, repeat: str) -> tuple[str, AccessSettings]:
        """Create the first editor once: the token must match and be unspent, and neither the secrets in use
        (``configured``) nor the file may name an editor. Returns the account name and the new settings."""
        account = check_new_account(name, password, repeat)
        with self._lock:  # two people submitting at once: only one becomes the first editor
            if not self.admits(offered):
                raise FirstRunError("token_wrong")
            if self._spent or has_editor_accounts(configured):
                raise FirstRunError("accounts_exist")
            settings = write_first_editor(path, account, hash_password(password))
            self._spent = True
        return account, settings
