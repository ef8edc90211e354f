"""A fresh install in a real browser: the server prints a one-time set-up link, the person who opens it creates
the first editor and uploads at once; the same link opened again is refused. A server with editors prints none."""

from __future__ import annotations

import csv
import io
import re
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import SHARED_BOUNDARIES
from tests.e2e.conftest import upload_new_version, wait_for_app
from tests.streamlit_server import StreamlitServer

pytestmark = pytest.mark.e2e
DEMO_CSV = "data/demo/cakupan_bengkulu_2024.csv"
PASSWORD = "kata-sandi-pertama-1"
SETUP_LINK = re.compile(r"http://\S+/\?setup=[A-Za-z0-9_-]+")


@pytest.fixture
def fresh_install(tmp_path: Path) -> Iterator[tuple[StreamlitServer, Path]]:
    """`make run` on a new machine: a secrets file with no editors (the example's comments only), writable."""
    secrets_file = tmp_path / "secrets.toml"
    secrets_file.write_text("# Copied from .streamlit/secrets.toml.example, no editors yet.\n", encoding="utf-8")
    server = StreamlitServer({"MONEV_BOUNDARIES": str(SHARED_BOUNDARIES),
                              "MONEV_CACHE_DIR": str(tmp_path / "cache"),
                              "MONEV_DATABASE_URL": f"sqlite:///{tmp_path / 'monev.sqlite3'}",
                              "STREAMLIT_SECRETS_FILES": str(secrets_file)})
    yield server, secrets_file
    server.stop()


def _october() -> bytes:
    with open(DEMO_CSV, encoding="utf-8", newline="") as demo:
        rows = list(csv.reader(demo))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([rows[0], *(row for row in rows[1:] if row[0] == "2024-10")])
    return out.getvalue().encode()


def test_the_printed_link_makes_the_first_editor_once(page: Page, fresh_install) -> None:
    server, secrets_file = fresh_install
    (link,) = SETUP_LINK.findall(server.output())
    assert link.startswith(f"{server.url}/?setup=")

    page.goto(link)
    wait_for_app(page)
    panel = page.locator(".st-key-setup-panel")  # the key setup.panel, as Streamlit writes a class
    expect(panel.get_by_role("heading", name="Buat akun editor pertama")).to_be_visible()
    page.wait_for_function("!location.search.includes('setup=')", timeout=15_000)  # gone from the address bar
    panel.get_by_label("Nama akun").fill("Siti Rahma")
    panel.get_by_label("Kata sandi baru").fill(PASSWORD)
    panel.get_by_label("Ulangi kata sandi").fill(PASSWORD)
    panel.get_by_role("button", name="Buat akun dan masuk").click()
    expect(page.get_by_text("Akun editor Siti Rahma dibuat")).to_be_visible(timeout=15_000)
    assert stat.S_IMODE(secrets_file.stat().st_mode) == 0o600
    assert '"Siti Rahma" = "scrypt$' in secrets_file.read_text(encoding="utf-8")

    # A new page load: the sign-in cookie is checked against the secrets Streamlit re-read after the change.
    page.wait_for_function("document.cookie.includes('monev_editor=')", timeout=15_000)
    upload_new_version(page, server, _october(), editor="Siti Rahma", checked="lolos pemeriksaan: 10 baris, 1 periode",
                       version=2)

    page.goto(link)
    wait_for_app(page)
    expect(page.get_by_text("Tautan penyiapan ini sudah tidak berlaku")).to_be_visible(timeout=15_000)
    expect(page.get_by_label("Kata sandi baru")).to_have_count(0)


def test_a_server_with_editor_accounts_prints_no_link(server: StreamlitServer) -> None:
    assert "You can now view your Streamlit app" in server.output()
    assert not SETUP_LINK.search(server.output())
