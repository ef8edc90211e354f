from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.support import new_app, run


@pytest.fixture
def app() -> AppTest:
    """A fresh session of the app, already run once on the overview page."""
    return run(new_app())
