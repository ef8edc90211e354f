"""Serve the app (``python scripts/serve.py [streamlit run options]``), as ``make run`` does.

Same as ``streamlit run app.py``, except that the app's libraries (pandas, Altair, pydeck, SQLAlchemy and the monev
core, through ``components``) are imported before the server starts listening: otherwise the first visitor after
every (re)start waits for those imports, about a second on a small machine. Streamlit runs app.py in the same
process, so its imports then find the modules already loaded.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.web import cli  # noqa: E402

import components.page  # noqa: E402,F401  (imported for its side effect: loading every library the pages use)

if __name__ == "__main__":
    cli.main(["run", str(ROOT / "app.py"), *sys.argv[1:]], prog_name="streamlit")
