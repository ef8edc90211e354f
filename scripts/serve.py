"""Serve the app (``python scripts/serve.py [streamlit run options]``), as ``make run`` does.

Same as ``streamlit run app.py``, except that the app's libraries (pandas, Altair, pydeck, SQLAlchemy and the monev
core, through ``components``) are imported before the server starts listening: otherwise the first visitor after
every (re)start waits for those imports, about a second on a small machine. Streamlit runs app.py in the same
process, so its imports then find the modules already loaded.
"""

import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.web import cli  # noqa: E402

import components.page  # noqa: E402,F401  (imported for its side effect: loading every library the pages use)

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
    cli.main(["run", str(ROOT / "app.py"), *sys.argv[1:]], prog_name="streamlit")
