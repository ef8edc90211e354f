"""What people type (scenario names and notes, file names, account names) is shown as text, never interpreted:
no Markdown link or image (an image would even fetch from the internet), no HTML.

Every text element that carries the hostile string is checked on every page that shows it."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from components.state import Keys, WidgetKeys
from tests.app.support import (
    DATA_PAGE,
    PRESENTER_PAGE,
    SCENARIOS_PAGE,
    SIM_PAGE,
    csv_bytes,
    demo_frame,
    go,
    new_app,
    new_app_with,
    run,
    scenario_body,
    sign_in,
    store,
    upload,
)
from tests.users import editor

HOSTILE = ("<img src=x onerror=alert(1)> ![p](http://contoh.invalid/p.png) [klik](javascript:alert(1)) "
           "**tebal** :red[merah]")
MARKER = "klik"  # a word of HOSTILE that survives escaping, to find the elements that show it
# In Markdown, any of these unescaped would be a link, an image, bold text, raw HTML or a coloured directive.
_LIVE_MARKDOWN = re.compile(r"(?<!\\)(\]\(|!\[|\*\*t|<img|:red\[)")


def _markdown_texts(at: AppTest) -> list[str]:
    kinds = ("markdown", "caption", "info", "success", "warning", "error", "title", "subheader")
    return [element.value for kind in kinds for element in at.get(kind) if MARKER in str(element.value)]


def _html_bodies(at: AppTest) -> list[str]:
    return [element.proto.body for element in at.get("html") if MARKER in element.proto.body]


def _assert_shown_as_text(at: AppTest, *, expected_at_least: int) -> None:
    markdown = _markdown_texts(at)
    for text in markdown:
        assert not _LIVE_MARKDOWN.search(text), text
    for body in _html_bodies(at):
        assert "<img" not in body and "&lt;img" in body, body
    assert len(markdown) + len(_html_bodies(at)) >= expected_at_least


def _saved_hostile_scenario():
    return store().save_scenario(name=HOSTILE, body=scenario_body("target", {"17.07": 30}), dataset_version_id=1,
                                 period="2024-10", author=editor("Ani"), note=HOSTILE)


def test_a_hostile_scenario_name_is_text_in_the_simulator_and_on_the_projector():
    scenario = _saved_hostile_scenario()
    at = run(new_app_with({"skenario": scenario.id}, SIM_PAGE))
    _assert_shown_as_text(at, expected_at_least=1)  # "Skenario terbuka: …"
    go(at, SCENARIOS_PAGE)
    _assert_shown_as_text(at, expected_at_least=0)  # names are in lists and tables there, plain text by nature

    projector = new_app_with({"slide": "6"}, PRESENTER_PAGE)
    projector.session_state[Keys.COMPARED] = [scenario.id]
    run(projector)
    _assert_shown_as_text(projector, expected_at_least=1)


def test_a_hostile_file_name_is_text_in_the_checks_and_the_version_line():
    at = go(run(new_app()), DATA_PAGE)
    frame = demo_frame()
    upload(at, f"{HOSTILE}.csv", csv_bytes(frame[frame["Periode"] == "2024-10"]))
    _assert_shown_as_text(at, expected_at_least=1)  # "… lolos pemeriksaan"
    at.text_input(key=WidgetKeys.UPLOAD_NOTE).set_value(HOSTILE)
    run(at)
    at.button(key=WidgetKeys.UPLOAD_SAVE).click()
    run(at)
    _assert_shown_as_text(at, expected_at_least=3)  # saved notice, version line, its note; and the badge
    go(at, "app.py")
    badges = [element.value for element in at.markdown if MARKER in element.value]
    assert badges and not any(_LIVE_MARKDOWN.search(text) for text in badges)


def test_a_hostile_account_name_is_text_in_the_sidebar():
    account = "[klik](javascript:alert(1)) **tebal** <img src=x>"  # within the field's 80 characters
    at = new_app()
    at.secrets["editors"]["passwords"][account] = at.secrets["editors"]["passwords"]["Penguji"]
    sign_in(run(at), account)
    captions = [caption.value for caption in at.sidebar.caption if MARKER in caption.value]
    assert captions and not any(_LIVE_MARKDOWN.search(text) for text in captions)
