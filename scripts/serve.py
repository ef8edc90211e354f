"""Serve the app (``python scripts/serve.py [streamlit run options]``), as ``make run`` does.

Same as ``streamlit run app.py``, except that:

- the app's libraries (pandas, Altair, pydeck, SQLAlchemy and the monev core, through ``components``) are imported
  before the server starts listening: otherwise the first visitor after every (re)start waits for those imports,
  about a second on a small machine. Streamlit runs app.py in the same process, so its imports then find the
  modules already loaded;
- while the secrets name no editor, a one-time set-up link for the first editor account is printed (see
  monev.first_run): its token is handed to the app in this process's environment, which nothing else reads;
- the app's own log lines (uploads, activations, scenarios, sign-ins, refusals) are written to stderr.
"""

import logging
import os
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit import config  # noqa: E402
from streamlit.web import bootstrap, cli  # noqa: E402

from monev import i18n  # noqa: E402
from monev.first_run import (  # noqa: E402
    SETUP_TOKEN_ENV,
    accounts_file,
    has_editor_accounts,
    new_setup_token,
    read_secrets_files,
    setup_link,
)


def offer_first_run_setup(streamlit_args: list[str]) -> None:
    """Make this process's set-up token and print the link, unless the secrets already name an editor."""
    os.environ.pop(SETUP_TOKEN_ENV, None)  # only a token made here, for this process, is ever valid
    # Streamlit's own parsing of the same options (flags, STREAMLIT_* variables, config.toml), so the address, port
    # and secrets files are those the server is about to use.
    flags = cli.main_run.make_context("run", list(streamlit_args)).params
    bootstrap.load_config_options({name: value for name, value in flags.items() if name not in ("target", "args")})
    secrets_files = config.get_option("secrets.files")
    try:
        configured = read_secrets_files(secrets_files)
    except (OSError, tomllib.TOMLDecodeError) as error:
        print("", *(f"  {i18n.t('first_run.console_unreadable', lang, error=error)}" for lang in i18n.LANGUAGES),
              sep="\n", flush=True)
        return
    if has_editor_accounts(configured):
        return
    token = new_setup_token()
    os.environ[SETUP_TOKEN_ENV] = token
    link = setup_link(config.get_option("server.address"), config.get_option("server.port"), token)
    lines = [i18n.t("first_run.console", lang, path=accounts_file(secrets_files)) for lang in i18n.LANGUAGES]
    print("", *(f"  {line}" for line in lines), f"  {link}", "", sep="\n", flush=True)


def preload_app_libraries() -> None:
    """Import every library the pages use (pandas, Altair, pydeck, SQLAlchemy, the core) before the server listens."""
    # Defining the app's caches before Streamlit's runtime exists makes Streamlit warn once per cache ("No runtime
    # found"): the check it runs then is only of the cache's parameters, and each cache takes the runtime's storage
    # when it is first used. Eight such warnings at every start would only worry an administrator.
    cache_checks = logging.getLogger("streamlit.runtime.caching.cache_data_api")
    level = cache_checks.level
    cache_checks.setLevel(logging.ERROR)
    try:
        import components.page  # noqa: F401  (imported for its side effect: loading every library the pages use)
    finally:
        cache_checks.setLevel(level)


APP_LOGGERS = ("monev", "components")
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def show_app_logs() -> None:
    """Write the app's own log lines (uploads, activations, scenarios, sign-ins, refusals) to stderr beside
    Streamlit's: Streamlit sets up handlers for its own loggers only, so INFO lines of ours would go nowhere."""
    formatter = logging.Formatter(LOG_FORMAT)
    formatter.default_msec_format = "%s.%03d"  # 23:34:40.901, as Streamlit's own lines
    handler = logging.StreamHandler()
    handler.setFormatter(formatter)
    for name in APP_LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(logging.INFO)
        logger.addHandler(handler)


if __name__ == "__main__":
    show_app_logs()
    preload_app_libraries()
    arguments = [str(ROOT / "app.py"), *sys.argv[1:]]
    offer_first_run_setup(arguments)
    cli.main(["run", *arguments], prog_name="streamlit")
