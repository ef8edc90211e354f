"""Checks of a deployment (``python -m monev doctor``): database, boundaries, secrets, cache folder.

Each check reads what the app would read at start, changes nothing (no migration, no file created, no download)
and returns a ``Check``: passed, a warning (the app runs, but an administrator should know), or failed, with a
sentence from the ``[doctor]`` catalog section that says what is wrong and what to do. Nothing here imports
streamlit; the command line prints the results.
"""

from __future__ import annotations

import enum
import os
import stat
import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from monev import fmt, i18n
from monev.access import AccessConfigError, AccessSettings, configured_cookie_secret
from monev.geo import (
    BOUNDARIES_ENV,
    CACHE_DIR_ENV,
    DEFAULT_CACHE_DIR,
    PROJECT_DIR,
    GeoProblem,
    cache_file_path,
    load_boundaries,
)
from monev.store import DATABASE_URL_ENV, DEFAULT_SQLITE_PATH, MIGRATIONS_DIR, Store, StoreUnavailable, schema_head

SECRETS_FILES_ENV = "STREAMLIT_SECRETS_FILES"
# Where Streamlit looks when STREAMLIT_SECRETS_FILES is not set: the user's folder, then the app's own (`make run`
# starts the app from the project folder).
DEFAULT_SECRETS_FILES = (Path.home() / ".streamlit" / "secrets.toml", PROJECT_DIR / ".streamlit" / "secrets.toml")
MAX_PROBLEMS_SHOWN = 3  # of a boundary file: enough to start fixing, and the line stays readable


class Status(enum.StrEnum):
    OK = "ok"
    WARNING = "warning"
    FAILED = "failed"


@dataclass(frozen=True)
class Check:
    """One finding: which part (``area``), how it went, and the catalog key ``doctor.<code>`` that words it, with
    its parameters and, for boundaries, the problems found in them (worded in the message's language)."""

    area: str
    status: Status
    code: str
    params: dict[str, object] = field(default_factory=dict)
    problems: tuple[GeoProblem, ...] = ()

    def message(self, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
        """What was found and, unless it passed, what to do, as one sentence in ``lang``."""
        shown = {key: fmt.number(value, lang) if isinstance(value, int) else value
                 for key, value in self.params.items()}
        if self.problems:
            shown["problems"] = " ".join(problem.message(lang) for problem in self.problems[:MAX_PROBLEMS_SHOWN])
        return i18n.t(f"doctor.{self.code}", lang, **shown)


def failed(checks: list[Check]) -> bool:
    """True when any check failed (warnings do not count)."""
    return any(check.status is Status.FAILED for check in checks)


def run_checks(env: Mapping[str, str] = os.environ, *, database_url: str | None = None,
               cache_dir: Path | None = None) -> list[Check]:
    """Every check, in the order an administrator would fix them."""
    secrets_checks, secrets = check_secrets(env)
    url = (database_url or env.get(DATABASE_URL_ENV) or _secrets_database_url(secrets)
           or f"sqlite:///{DEFAULT_SQLITE_PATH}")
    return [*check_database(url), check_boundaries(env, cache_dir), *secrets_checks, check_cache_dir(env, cache_dir)]


# --- database ---------------------------------------------------------------------------------------------------


def check_database(url: str) -> list[Check]:
    """Reachable, and at this app's schema revision (an older one is migrated by the app's next start; a newer,
    unknown one belongs to a newer app and is only reported)."""
    import sqlalchemy as sa
    from sqlalchemy import exc as sa_exc

    try:
        shown = sa.engine.make_url(url).render_as_string(hide_password=True)
    except sa_exc.ArgumentError:
        return [Check("database", Status.FAILED, "database_bad_url", {"env": DATABASE_URL_ENV})]
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).is_file():
        # Connecting would create an empty file; the app creates and seeds it itself on its first start.
        return [Check("database", Status.WARNING, "database_not_created", {"url": shown})]
    try:
        store = Store(url)
    except (sa_exc.ArgumentError, sa_exc.NoSuchModuleError, ImportError) as error:
        return [Check("database", Status.FAILED, "database_unreachable", {"url": shown, "error": error})]
    try:
        revision = store.schema_revision()
    except (StoreUnavailable, sa_exc.DatabaseError) as error:
        return [Check("database", Status.FAILED, "database_unreachable", {"url": shown, "error": _first_line(error)})]
    finally:
        store.engine.dispose()
    reached = Check("database", Status.OK, "database_ok", {"url": shown})
    head = schema_head()
    if revision == head:
        return [reached, Check("schema", Status.OK, "schema_ok", {"revision": head})]
    if revision is None:
        return [reached, Check("schema", Status.FAILED, "schema_empty", {"expected": head})]
    if revision in _known_revisions():
        return [reached, Check("schema", Status.FAILED, "schema_older", {"found": revision, "expected": head})]
    return [reached, Check("schema", Status.FAILED, "schema_newer", {"found": revision, "expected": head})]


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {script.revision for script in ScriptDirectory(str(MIGRATIONS_DIR)).walk_revisions()}


def _first_line(error: Exception) -> str:
    # Driver errors run over several lines (SQL, a background link); the first says what happened.
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def _secrets_database_url(secrets: Mapping[str, object]) -> str | None:
    # The app reads [database] url from the secrets when MONEV_DATABASE_URL is not set (components/data_source.py).
    section = secrets.get("database")
    url = section.get("url") if isinstance(section, Mapping) else None
    return url if isinstance(url, str) and url else None


# --- boundaries -------------------------------------------------------------------------------------------------


def check_boundaries(env: Mapping[str, str], cache_dir: Path | None = None) -> Check:
    """The server's boundaries (the file in MONEV_BOUNDARIES, else the verified download in the cache) load and
    outline every region of the registry."""
    result = load_boundaries(env=env, cache_dir=cache_dir)
    if result.boundaries is not None:
        return Check("boundaries", Status.OK, "boundaries_ok",
                     {"count": len(result.boundaries.features), "source": result.boundaries.source})
    params: dict[str, object] = {"env": BOUNDARIES_ENV}
    if env.get(BOUNDARIES_ENV, "").strip():
        return Check("boundaries", Status.FAILED, "boundaries_bad_file", params, result.problems)
    cached = cache_file_path(cache_dir, env)
    if not cached.is_file():
        return Check("boundaries", Status.FAILED, "boundaries_missing", {**params, "cache": cached})
    return Check("boundaries", Status.FAILED, "boundaries_bad_cache", {"cache": cached}, result.problems)


# --- secrets ----------------------------------------------------------------------------------------------------


def secrets_files(env: Mapping[str, str]) -> list[Path]:
    """The secrets files Streamlit reads: STREAMLIT_SECRETS_FILES (paths separated by spaces), else its defaults."""
    configured = env.get(SECRETS_FILES_ENV, "").split()
    return [Path(path).expanduser() for path in configured] if configured else list(DEFAULT_SECRETS_FILES)


def check_secrets(env: Mapping[str, str]) -> tuple[list[Check], dict[str, object]]:
    """Each secrets file readable, valid TOML and not open to every account; then, over all of them (later files
    win, as in Streamlit), valid editor settings and a sign-in cookie secret. Returns the checks and the secrets."""
    paths = [path for path in secrets_files(env) if path.exists() or env.get(SECRETS_FILES_ENV)]
    if not paths:
        return [Check("secrets", Status.WARNING, "secrets_none",
                      {"path": DEFAULT_SECRETS_FILES[-1], "env": SECRETS_FILES_ENV})], {}
    checks: list[Check] = []
    secrets: dict[str, object] = {}
    for path in paths:
        read = _read_secrets_file(path)
        checks.append(read if isinstance(read, Check) else _permissions(path))
        if not isinstance(read, Check):
            secrets.update(read)
    if failed(checks):
        return checks, secrets
    return [*checks, *_editor_checks(secrets, env)], secrets


def _read_secrets_file(path: Path) -> dict[str, object] | Check:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        return Check("secrets", Status.FAILED, "secrets_unreadable", {"path": path, "reason": error.strerror or error})
    except UnicodeDecodeError:
        return Check("secrets", Status.FAILED, "secrets_not_toml", {"path": path, "error": "not UTF-8 text"})
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return Check("secrets", Status.FAILED, "secrets_not_toml", {"path": path, "error": error})


def _permissions(path: Path) -> Check:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & (stat.S_IROTH | stat.S_IWOTH):
        return Check("secrets", Status.FAILED, "secrets_world_readable", {"path": path, "mode": f"{mode:o}"})
    return Check("secrets", Status.OK, "secrets_ok", {"path": path})


def _editor_checks(secrets: Mapping[str, object], env: Mapping[str, str]) -> list[Check]:
    try:
        settings = AccessSettings.from_secrets(secrets)
    except AccessConfigError as error:
        return [Check("editors", Status.FAILED, "editors_invalid", {"error": error})]
    if not settings.editing_possible:
        editors = Check("editors", Status.WARNING, "editors_none")
    else:
        editors = Check("editors", Status.OK, "editors_ok", {"count": len(settings.passwords),
                                                             "emails": len(settings.editor_emails)})
    try:
        cookie_secret = configured_cookie_secret(secrets, env)
    except AccessConfigError as error:
        return [editors, Check("cookie", Status.FAILED, "cookie_invalid", {"error": error})]
    if cookie_secret is None and settings.passwords:
        return [editors, Check("cookie", Status.WARNING, "cookie_missing")]
    return [editors, Check("cookie", Status.OK, "cookie_ok" if cookie_secret else "cookie_not_needed")]


# --- cache folder -----------------------------------------------------------------------------------------------


def check_cache_dir(env: Mapping[str, str], cache_dir: Path | None = None) -> Check:
    """The boundary download can be written: the folder takes a file (tried for real, so it holds for root as well,
    whom permission bits do not stop), or, if it does not exist yet, its nearest existing parent is a folder this
    account may write in."""
    folder = Path(cache_dir or env.get(CACHE_DIR_ENV) or DEFAULT_CACHE_DIR).expanduser()
    params: dict[str, object] = {"path": folder, "env": CACHE_DIR_ENV}
    if folder.is_dir():
        try:
            with tempfile.TemporaryFile(dir=folder, prefix=".monev-doctor-"):
                pass
        except OSError as error:
            return Check("cache", Status.FAILED, "cache_unwritable", {**params, "reason": error.strerror or error})
        return Check("cache", Status.OK, "cache_ok", params)
    parent = next(ancestor for ancestor in folder.parents if ancestor.exists())
    if folder.exists() or not parent.is_dir():
        return Check("cache", Status.FAILED, "cache_not_folder", {**params, "blocker": folder if folder.exists()
                                                                    else parent})
    if not os.access(parent, os.W_OK | os.X_OK):
        return Check("cache", Status.FAILED, "cache_unwritable", {**params, "reason": f"{parent}: read-only"})
    return Check("cache", Status.OK, "cache_will_create", params)
