"""The projector's live indicator says when it last looked, in the configured local time with the zone named."""

from __future__ import annotations

import re

import pytest

from tests.app.support import PRESENTER_PAGE, html_texts, new_app_with, run


@pytest.mark.parametrize(("zone", "name"), [(None, "WIB"), ("Asia/Makassar", "WITA")])
def test_the_live_indicator_shows_the_local_time_and_its_zone(monkeypatch, zone, name):
    if zone is None:
        monkeypatch.delenv("MONEV_TIMEZONE", raising=False)
    else:
        monkeypatch.setenv("MONEV_TIMEZONE", zone)
    at = run(new_app_with(page=PRESENTER_PAGE))
    live, = html_texts(at, "monev-live")
    assert re.search(rf"Langsung · diperbarui \d\d:\d\d:\d\d {name}$", live.strip()), live
