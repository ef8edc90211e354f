"""A real Streamlit server on 127.0.0.1 and Debian's headless Chromium driven by Playwright."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.conftest import SHARED_BOUNDARIES
from tests.streamlit_server import StreamlitServer
from tests.users import EDITOR_PASSWORD, write_secrets_file

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


def editors_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A secrets file with the test editor accounts (tests/users.py), as an operator configures a hosted server."""
    secrets_file = write_secrets_file(tmp_path_factory.mktemp("secrets") / "secrets.toml")
    return {"STREAMLIT_SECRETS_FILES": str(secrets_file)}


def _boundaries_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    assert SHARED_BOUNDARIES.is_file(), f"{SHARED_BOUNDARIES} is missing: tests need ../shared/geo beside the checkout"
    return {"MONEV_BOUNDARIES": str(SHARED_BOUNDARIES),
            "MONEV_CACHE_DIR": str(tmp_path_factory.mktemp("e2e-cache")),
            "MONEV_DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('e2e-db') / 'monev.sqlite3'}",
            **editors_env(tmp_path_factory)}


def sign_in(page: Page, name: str = "Penguji", password: str = EDITOR_PASSWORD) -> None:
    """Sign in as an editor through the sidebar, as a person does."""
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Masuk sebagai editor").click()
    sidebar.get_by_label("Nama akun").fill(name)
    sidebar.get_by_label("Kata sandi", exact=True).fill(password)
    sidebar.get_by_role("button", name="Masuk", exact=True).click()
    expect(sidebar.get_by_text(f"Masuk sebagai {name} (editor).")).to_be_visible(timeout=15_000)


def upload_new_version(page: Page, server: StreamlitServer, content: bytes, *, editor: str, checked: str,
                       version: int) -> None:
    """Open the Data page in a new session (the sign-in cookie keeps ``editor`` signed in), upload ``content`` as
    oktober.csv, wait for the check's text ``checked`` and save it as version ``version``."""
    page.goto(server.url + "/data")
    wait_for_app(page)
    expect(page.get_by_test_id("stSidebar").get_by_text(f"Masuk sebagai {editor} (editor).")).to_be_visible(
        timeout=15_000)
    page.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(
        {"name": "oktober.csv", "mimeType": "text/csv", "buffer": content})
    expect(page.get_by_text(checked)).to_be_visible(timeout=15_000)
    page.get_by_role("button", name="Simpan sebagai versi baru").click()
    expect(page.get_by_text(f"Versi {version} (oktober.csv) tersimpan")).to_be_visible(timeout=15_000)


@pytest.fixture
def fresh_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    """A server nobody has visited yet: the first request it sees is the test's deep link."""
    server = StreamlitServer(_boundaries_env(tmp_path_factory))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    """The app with the boundaries from ../shared/geo, as CI runs it."""
    started = StreamlitServer(_boundaries_env(tmp_path_factory))
    yield started
    started.stop()


@pytest.fixture(scope="session")
def server_without_boundaries(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    """The app with no boundary source at all (no MONEV_BOUNDARIES, an empty cache)."""
    env = {**os.environ, "MONEV_CACHE_DIR": str(tmp_path_factory.mktemp("empty-cache")),
           "MONEV_DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('e2e-db') / 'monev.sqlite3'}"}
    env.pop("MONEV_BOUNDARIES", None)
    started = StreamlitServer(env, inherit=False)
    yield started
    started.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: run scripts/install-test-tools"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class OutsideRequests(list):
    """URLs the page asked for outside loopback (the app must work fully offline)."""


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="id-ID")
    opened = context.new_page()
    outside = OutsideRequests()
    opened.on("request", lambda request: _record_outside(request.url, outside))
    opened.outside_requests = outside
    yield opened
    context.close()


def _record_outside(url: str, outside: list[str]) -> None:
    parsed = urlparse(url)
    if parsed.scheme in ("http", "https", "ws", "wss") and parsed.hostname not in LOOPBACK_HOSTS:
        outside.append(url)


def wait_for_app(page: Page, ready: str = '[data-testid="stMainBlockContainer"] h1') -> None:
    """Wait until Streamlit has finished running the page script and ``ready`` (a CSS selector) is there."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=30_000)
    page.wait_for_function(
        "ready => !document.querySelector('[data-testid=\"stStatusWidget\"]') && document.querySelector(ready)",
        arg=ready, timeout=30_000,
    )
