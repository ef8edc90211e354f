"""Who may change what: viewer and editor roles, editor passwords, and the sign-in throttle.

Everyone with the link is a *viewer*: they see everything and may play with the simulator. Only an *editor* may
upload data, activate a data version, fetch boundaries for the server, or save, rename and delete scenarios. The
store checks the role itself (``require_editor``), so hiding a button is never the only guard.

Editors sign in either through the identity provider configured for Streamlit's ``st.login`` (their e-mail must be
listed) or with a password whose salted scrypt hash is kept in the secrets; ``python -m monev hash-password`` makes
the hash. A password sign-in is kept across a page reload by a signed, expiring token (see the last section).
Nothing here imports streamlit.
"""

from __future__ import annotations

import base64
import enum
import functools
import hashlib
import hmac
import json
import re
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field


class Role(enum.StrEnum):
    VIEWER = "viewer"
    EDITOR = "editor"


@dataclass(frozen=True)
class User:
    """Who acts. ``name`` is what the audit log records; ``via`` how they proved it (password, oidc, cli, system)."""

    name: str
    role: Role = Role.VIEWER
    via: str = "anonymous"

    @property
    def can_edit(self) -> bool:
        return self.role is Role.EDITOR


ANONYMOUS = User("anonim")
SYSTEM = User("sistem", Role.EDITOR, "system")  # the app itself, e.g. seeding the demo data on first start
COMMAND_LINE = User("baris-perintah", Role.EDITOR, "cli")  # whoever can run commands on the server


class PermissionDenied(PermissionError):
    """An action that needs the editor role was asked for by a viewer."""

    def __init__(self, user: User, action: str) -> None:
        super().__init__(f"{user.name or 'anonymous'} ({user.role}) may not {action}")
        self.user = user
        self.action = action


def require_editor(user: User, action: str) -> None:
    if not user.can_edit:
        raise PermissionDenied(user, action)


# --- password hashes ------------------------------------------------------------------------------------------

# scrypt with N=2^15, r=8, p=1 needs 32 MiB and ~0.1 s per check: cheap for one sign-in, slow for guessing.
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**15, 8, 1
_SALT_BYTES = 16
_HASH_BYTES = 32
_HASH_FORMAT = re.compile(r"^scrypt\$n=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$")
# The most memory (128·n·r bytes) and parallelism a stored hash may ask for: a typo in the secrets must not make
# every sign-in eat the server.
_MAX_SCRYPT_MEMORY = 256 * 1024 * 1024
_MAX_P = 4


class AccessConfigError(ValueError):
    """The editor settings in the secrets are malformed (an operator error, reported at start, never guessed)."""


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """``scrypt$n=…,r=…,p=…$<salt>$<hash>`` (base64), to be stored in the secrets instead of the password."""
    if not password:
        raise ValueError("an empty password cannot be hashed")
    salt = salt or secrets.token_bytes(_SALT_BYTES)
    digest = _scrypt(password, salt, _SCRYPT_N, _SCRYPT_R, _SCRYPT_P)
    return (f"scrypt$n={_SCRYPT_N},r={_SCRYPT_R},p={_SCRYPT_P}"
            f"${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}")


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=128 * n * r + 1024 * 1024,
                          dklen=_HASH_BYTES)


@dataclass(frozen=True)
class PasswordHash:
    n: int
    r: int
    p: int
    salt: bytes
    digest: bytes

    @classmethod
    def parse(cls, encoded: str) -> PasswordHash:
        match = _HASH_FORMAT.match(encoded.strip())
        if not match:
            raise AccessConfigError("not a hash made by `python -m monev hash-password`")
        n, r, p = (int(group) for group in match.groups()[:3])
        if n < 2 or n & (n - 1) or r < 1 or 128 * n * r > _MAX_SCRYPT_MEMORY or not 1 <= p <= _MAX_P:
            raise AccessConfigError(f"scrypt parameters out of range (n={n}, r={r}, p={p})")
        return cls(n, r, p, base64.b64decode(match.group(4)), base64.b64decode(match.group(5)))

    def matches(self, password: str) -> bool:
        return hmac.compare_digest(_scrypt(password, self.salt, self.n, self.r, self.p), self.digest)


# --- sign-in ----------------------------------------------------------------------------------------------------

# After this many wrong passwords for one name, further tries wait; each further failure doubles the wait.
MAX_FAILURES = 5
FIRST_LOCKOUT_S = 30.0
MAX_LOCKOUT_S = 15 * 60.0
# Failures older than this are forgotten.
FAILURE_MEMORY_S = 15 * 60.0


@dataclass
class _Failures:
    count: int = 0
    last_at: float = 0.0
    locked_until: float = 0.0


@dataclass
class SignInThrottle:
    """Counts wrong passwords per account name for the whole server (all sessions), so opening a new browser tab
    does not reset the count; thread-safe."""

    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, _Failures] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait_seconds(self, account: str) -> float:
        """How long ``account`` must wait before its next try (0: it may try now)."""
        with self._lock:
            failures = self._failures.get(account)
            return 0.0 if failures is None else max(0.0, failures.locked_until - self.clock())

    def failed(self, account: str) -> None:
        now = self.clock()
        with self._lock:
            failures = self._failures.setdefault(account, _Failures())
            if now - failures.last_at > FAILURE_MEMORY_S:
                failures.count = 0
            failures.count += 1
            failures.last_at = now
            if failures.count >= MAX_FAILURES:
                lockout = min(MAX_LOCKOUT_S, FIRST_LOCKOUT_S * 2 ** (failures.count - MAX_FAILURES))
                failures.locked_until = now + lockout

    def succeeded(self, account: str) -> None:
        with self._lock:
            self._failures.pop(account, None)


@dataclass(frozen=True)
class SignInResult:
    user: User | None
    wait_seconds: float = 0.0  # > 0: refused without checking, the account is locked for this long


def normalise_account(name: str) -> str:
    return name.strip().casefold()


@functools.cache
def _decoy_hash() -> PasswordHash:
    """Compared against when the name is unknown, so a wrong name takes as long as a wrong password (no probing
    for names); made on first use, not at import."""
    return PasswordHash.parse(hash_password(secrets.token_urlsafe(16)))


@dataclass(frozen=True)
class AccessSettings:
    """The editor settings from the secrets: password accounts and/or the e-mails allowed to edit via OIDC."""

    passwords: Mapping[str, PasswordHash] = field(default_factory=dict)  # normalised account name -> hash
    editor_emails: frozenset[str] = frozenset()
    oidc: bool = False  # [auth] is configured for st.login

    @property
    def editing_possible(self) -> bool:
        return bool(self.passwords) or (self.oidc and bool(self.editor_emails))

    @classmethod
    def from_secrets(cls, secrets_: Mapping[str, object]) -> AccessSettings:
        """Read ``[editors]`` (``passwords`` table, ``emails`` list) and whether ``[auth]`` (st.login) is set."""
        editors = secrets_.get("editors", {}) or {}
        if not isinstance(editors, Mapping):
            raise AccessConfigError("[editors] must be a table")
        passwords = {}
        for account, encoded in (editors.get("passwords", {}) or {}).items():
            if not isinstance(encoded, str):
                raise AccessConfigError(f"[editors.passwords] {account}: the hash must be a string")
            try:
                passwords[normalise_account(account)] = PasswordHash.parse(encoded)
            except AccessConfigError as error:
                raise AccessConfigError(f"[editors.passwords] {account}: {error}") from error
        emails = editors.get("emails", []) or []
        if isinstance(emails, str) or not all(isinstance(email, str) for email in emails):
            raise AccessConfigError("[editors] emails must be a list of e-mail addresses")
        auth = secrets_.get("auth", {}) or {}
        return cls(passwords, frozenset(email.strip().casefold() for email in emails),
                   oidc=isinstance(auth, Mapping) and bool(auth.get("redirect_uri")))

    def sign_in(self, account: str, password: str, throttle: SignInThrottle) -> SignInResult:
        """Check a password; repeated failures lock the account name for a while (see SignInThrottle)."""
        key = normalise_account(account)
        wait = throttle.wait_seconds(key)
        if wait > 0:
            return SignInResult(None, wait)
        expected = self.passwords.get(key)
        matches = (expected or _decoy_hash()).matches(password) and expected is not None
        if not matches:
            throttle.failed(key)
            return SignInResult(None)
        throttle.succeeded(key)
        return SignInResult(User(account.strip(), Role.EDITOR, "password"))

    def oidc_user(self, email: str | None, name: str | None) -> User:
        """The role of someone signed in through the identity provider: editor only if their e-mail is listed."""
        address = (email or "").strip()
        role = Role.EDITOR if address.casefold() in self.editor_emails else Role.VIEWER
        return User(address or (name or "").strip(), role, "oidc")


# --- the sign-in cookie -----------------------------------------------------------------------------------------

# A password sign-in is kept across a browser reload by a signed, expiring token in a session cookie: the account
# name, role and expiry, with an HMAC-SHA256 over them and over a digest of the account's configured password hash
# (so a changed password ends the account's sign-ins). The password itself is never in it.
SIGN_IN_COOKIE = "monev_editor"
SIGN_IN_TOKEN_TTL_S = 12 * 3600
COOKIE_SECRET_ENV = "MONEV_COOKIE_SECRET"
_MIN_SECRET_CHARS = 16
_TOKEN_FORMAT = re.compile(r"^[A-Za-z0-9_-]{1,2000}\.[A-Za-z0-9_-]{43}$")


def configured_cookie_secret(secrets_: Mapping[str, object], env: Mapping[str, str]) -> bytes | None:
    """The secret that signs sign-in cookies: ``[auth_cookie] secret`` in the secrets, else ``MONEV_COOKIE_SECRET``;
    None when neither is set (then a random one per server process does, and a restart signs everyone out)."""
    section = secrets_.get("auth_cookie", {}) or {}
    if not isinstance(section, Mapping):
        raise AccessConfigError("[auth_cookie] must be a table")
    secret = section.get("secret") or env.get(COOKIE_SECRET_ENV, "")
    if not isinstance(secret, str):
        raise AccessConfigError("[auth_cookie] secret must be a string")
    if secret and len(secret.strip()) < _MIN_SECRET_CHARS:
        raise AccessConfigError(f"the sign-in cookie secret must have at least {_MIN_SECRET_CHARS} characters")
    return secret.strip().encode("utf-8") or None


def random_cookie_secret() -> bytes:
    """A secret for this server process only, when none is configured."""
    return secrets.token_bytes(32)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _token_mac(secret: bytes, payload: bytes, password: PasswordHash) -> bytes:
    password_digest = hashlib.sha256(password.salt + password.digest).digest()
    return hmac.new(secret, payload + b"\0" + password_digest, hashlib.sha256).digest()


@dataclass(frozen=True)
class TokenCheck:
    """What a sign-in cookie proved: the editor, or None and why not (for the log)."""

    user: User | None
    reason: str = ""


def issue_sign_in_token(user: User, settings: AccessSettings, secret: bytes, *, now: float | None = None,
                        ttl_s: float = SIGN_IN_TOKEN_TTL_S) -> str:
    """A token naming a password editor until ``now + ttl_s``, signed with ``secret``."""
    password = settings.passwords.get(normalise_account(user.name))
    if password is None or user.via != "password" or not user.can_edit:
        raise ValueError("only a signed-in password editor gets a sign-in token")
    expires = int((time.time() if now is None else now) + ttl_s)
    payload = json.dumps([user.name, user.role.value, expires], ensure_ascii=False).encode("utf-8")
    return f"{_b64(payload)}.{_b64(_token_mac(secret, payload, password))}"


def verify_sign_in_token(token: str, settings: AccessSettings, secret: bytes, *,
                         now: float | None = None) -> TokenCheck:
    """The editor a token names, if its signature holds for the account as configured now and it has not expired;
    anything else (malformed, tampered, expired, an account removed or its password changed) proves nobody."""
    if not _TOKEN_FORMAT.match(token):
        return TokenCheck(None, "malformed")
    encoded_payload, encoded_mac = token.split(".")
    try:
        payload = _unb64(encoded_payload)
        name, role, expires = json.loads(payload.decode("utf-8"))
    except (ValueError, TypeError):
        return TokenCheck(None, "malformed")
    if not isinstance(name, str) or role != Role.EDITOR.value or not isinstance(expires, int):
        return TokenCheck(None, "malformed")
    password = settings.passwords.get(normalise_account(name))
    if password is None:
        return TokenCheck(None, f"account {name[:80]!r} is no longer configured")
    if not hmac.compare_digest(_token_mac(secret, payload, password), _unb64(encoded_mac)):
        return TokenCheck(None, f"signature of {name[:80]!r} does not match (tampered, or password or secret changed)")
    if expires <= (time.time() if now is None else now):
        return TokenCheck(None, f"token of {name[:80]!r} expired")
    return TokenCheck(User(name, Role.EDITOR, "password"))
