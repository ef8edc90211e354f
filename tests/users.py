"""People the tests act as: editors signed in with a password, and viewers; the editor accounts of the app under
test (the [editors] section of its secrets, as an operator writes it)."""

from __future__ import annotations

import functools
import json
from pathlib import Path

from monev.access import Role, User, hash_password

# Every account has the same password; anyone else is a viewer.
EDITOR_ACCOUNTS = ("Penguji", "Siti Rahma", "Ani", "Budi", "Citra", "Dedi", "Eko", "Fajar", "Gita")
# Gita is only for the lockout test: the count of wrong passwords is shared by every session of the process.
EDITOR_PASSWORD = "kata-sandi-uji-2024"


def editor(name: str = "Penguji") -> User:
    return User(name, Role.EDITOR, "password")


def viewer(name: str = "Tamu") -> User:
    return User(name, Role.VIEWER, "oidc")


@functools.cache
def _editor_password_hash() -> str:
    return hash_password(EDITOR_PASSWORD)


def editor_secrets() -> dict[str, object]:
    """The secrets' [editors] section with a hash from `python -m monev hash-password` for every test account."""
    return {"editors": {"passwords": dict.fromkeys(EDITOR_ACCOUNTS, _editor_password_hash())}}


def write_secrets_file(path: Path) -> Path:
    """The same settings as a secrets.toml for a real server (STREAMLIT_SECRETS_FILES points at it)."""
    lines = ["[editors.passwords]"]
    lines += [f"{json.dumps(name)} = {json.dumps(encoded)}"
              for name, encoded in editor_secrets()["editors"]["passwords"].items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
