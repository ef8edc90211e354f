"""Every page of the app's own navigation list runs on the demo data without an exception, under its heading.

The pages come from ``components.page.PAGES``, the list the sidebar draws its links from, so a page added there
is smoke-tested without touching this file.
"""

from __future__ import annotations

import pytest

from components.page import PAGES
from monev import i18n
from tests.app.support import PRESENTER_PAGE, go, new_app, run, slide_title

NAVIGATION_LABELS = [i18n.t(label_key, i18n.DEFAULT_LANGUAGE) for _, label_key, _ in PAGES]


@pytest.mark.parametrize(("page", "label_key", "icon"), PAGES, ids=[page for page, _, _ in PAGES])
def test_every_page_of_the_navigation_renders_on_the_demo_data(page: str, label_key: str, icon: str):
    at = go(run(new_app()), page)  # run() fails on any exception the page rendered
    if page == PRESENTER_PAGE:
        # The projector view is drawn without sidebar and title: its heading is the first slide's title.
        assert [link.proto.label for link in at.sidebar.get("page_link")] == []
        assert slide_title(at) == i18n.t("present.title.kpi", i18n.DEFAULT_LANGUAGE)
        return
    assert [link.proto.label for link in at.sidebar.get("page_link")] == NAVIGATION_LABELS
    titles = [title.value for title in at.title]
    assert len(titles) == 1, titles
    # Each page's heading begins with the name the navigation gives it ("Peta" -> "Peta cakupan per wilayah").
    assert titles[0].startswith(i18n.t(label_key, i18n.DEFAULT_LANGUAGE)), titles
