"""The hosted deployment in a real browser: Debian's nginx, run with the shipped site (deploy/nginx/monev.conf,
plain HTTP on loopback), in front of two app servers sharing one PostgreSQL, the editor accounts and the cookie
secret, as deploy/monev@.service runs them.

nginx pins each browser to one server with a route cookie it sets itself. A fresh browser gets a random route; to
put two browsers on two different servers the test looks up, through nginx, a route value that lands on each one
and gives each browser its cookie (the test's copy of the site adds a header naming the server that answered).
"""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, BrowserContext, Response, expect

from tests.conftest import SHARED_BOUNDARIES
from tests.e2e.conftest import StreamlitServer, editors_env, sign_in, wait_for_app
from tests.e2e.test_map_in_browser import _wait_for_map
from tests.e2e.test_persistence_in_browser import _demo_with_more_lebong_participants
from tests.e2e.test_simulator_in_browser import LEBONG_ROW, TARGET_COLUMN, _select_cell
from tests.nginx import UPSTREAM_HEADER, Nginx, free_port, site_on_loopback
from tests.postgres import PostgresServer

pytestmark = pytest.mark.e2e
ROUTE_COOKIE = "monev_route"
ROUTE_PROBES = 64  # route values tried to find one per server: each lands on a given one of two with odds 1/2
LIVE_DEADLINE_MS = 10_000
COOKIE_SECRET = "rahasia-bersama-untuk-uji-penyebaran"
SLIDE_READY = ".monev-slide-title"


@dataclass
class Deployment:
    url: str
    servers: list[StreamlitServer]


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """nginx on a free loopback port in front of two app servers and one PostgreSQL, all started here."""
    postgres = PostgresServer()
    env = {"MONEV_DATABASE_URL": postgres.url, "MONEV_COOKIE_SECRET": COOKIE_SECRET,
           "MONEV_BOUNDARIES": str(SHARED_BOUNDARIES), "MONEV_CACHE_DIR": str(tmp_path_factory.mktemp("cache")),
           **editors_env(tmp_path_factory)}
    servers: list[StreamlitServer] = []
    nginx: Nginx | None = None
    try:
        servers = [StreamlitServer(env) for _ in range(2)]
        port = free_port()
        nginx = Nginx(site_on_loopback(port, [server.url for server in servers]))
        nginx.start(port)
        yield Deployment(f"http://127.0.0.1:{port}", servers)
    finally:
        if nginx is not None:
            nginx.stop()
        for server in servers:
            if server.process.poll() is None:
                server.stop()
        postgres.destroy()


def _answered_by(response: Response | None) -> str:
    """The app server (host:port) that finally answered ``response`` through nginx (after any retry)."""
    assert response is not None and response.ok, response
    return response.headers[UPSTREAM_HEADER.lower()].split(", ")[-1]


def _route_to_each_server(deployment: Deployment) -> dict[str, str]:
    """A route cookie value that nginx sends to each app server, keyed by the server's host:port."""
    routes: dict[str, str] = {}
    for probe in range(ROUTE_PROBES):
        request = urllib.request.Request(f"{deployment.url}/_stcore/health",
                                         headers={"Cookie": f"{ROUTE_COOKIE}=route-{probe}"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            routes.setdefault(answer.headers[UPSTREAM_HEADER], f"route-{probe}")
        if len(routes) == len(deployment.servers):
            return routes
    raise AssertionError(f"nginx sent {ROUTE_PROBES} different routes to {sorted(routes)} only")


def _pinned(browser: Browser, deployment: Deployment, route: str | None) -> BrowserContext:
    """A browser of its own, holding the route cookie ``route`` (None: a first visit, nginx chooses)."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="id-ID")
    if route is not None:
        context.add_cookies([{"name": ROUTE_COOKIE, "value": route, "url": deployment.url}])
    return context


def _address(server: StreamlitServer) -> str:
    return server.url.removeprefix("http://")


def test_the_overview_draws_and_a_simulator_edit_repaints_through_nginx(browser: Browser,
                                                                         deployment: Deployment) -> None:
    context = _pinned(browser, deployment, None)
    page = context.new_page()
    try:
        first = page.goto(deployment.url + "/")
        wait_for_app(page)
        _wait_for_map(page)
        expect(page.get_by_test_id("stMetric").filter(has_text="Cakupan provinsi").first).to_be_visible()
        route = [cookie for cookie in context.cookies() if cookie["name"] == ROUTE_COOKIE]
        assert len(route) == 1, "nginx gave the browser no route cookie (or the browser refused it)"

        simulator = page.goto(deployment.url + "/simulasi")
        assert _answered_by(simulator) == _answered_by(first)  # the route cookie keeps the browser on one server
        wait_for_app(page)
        _wait_for_map(page)  # the grid settles below it
        _select_cell(page, column=TARGET_COLUMN, row=LEBONG_ROW)
        page.keyboard.press("Enter")  # opens the cell's editor
        cell_editor = page.locator(".gdg-input")
        expect(cell_editor).to_be_visible(timeout=10_000)
        cell_editor.fill("30")
        cell_editor.press("Enter")
        # Lebong to 30 %: 4 997 new participants × Rp16.800 × 12 = Rp1 007 395 200, as without a proxy.
        expect(page.get_by_test_id("stMetric").filter(has_text="Biaya per tahun").get_by_test_id("stMetricValue")
               ).to_have_text("Rp1 miliar", timeout=15_000)
    finally:
        context.close()


def test_an_upload_through_one_server_reaches_the_other_and_survives_that_server_stopping(
        browser: Browser, deployment: Deployment) -> None:
    laptop_server, projector_server = deployment.servers
    routes = _route_to_each_server(deployment)
    projector_context = _pinned(browser, deployment, routes[_address(projector_server)])
    laptop_context = _pinned(browser, deployment, routes[_address(laptop_server)])
    try:
        projector = projector_context.new_page()
        assert _answered_by(projector.goto(deployment.url + "/presentasi?slide=1")) == _address(projector_server)
        wait_for_app(projector, SLIDE_READY)
        coverage = projector.get_by_test_id("stMetric").filter(has_text="Cakupan provinsi").get_by_test_id(
            "stMetricValue")
        expect(coverage).to_have_text("37,0%")

        laptop = laptop_context.new_page()
        assert _answered_by(laptop.goto(deployment.url + "/data")) == _address(laptop_server)
        wait_for_app(laptop)
        sign_in(laptop)
        # The file goes to /_stcore/upload_file, which only the server holding the laptop's session accepts.
        uploads: list[str] = []
        laptop.on("response", lambda response: uploads.append(_answered_by(response))
                  if "/_stcore/upload_file/" in response.url else None)
        laptop.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(
            {"name": "revisi.csv", "mimeType": "text/csv", "buffer": _demo_with_more_lebong_participants()})
        laptop.get_by_role("button", name="Simpan sebagai versi baru").click()
        expect(laptop.get_by_text("Versi 2 (revisi.csv) tersimpan")).to_be_visible(timeout=15_000)
        assert uploads and set(uploads) == {_address(laptop_server)}

        # The projector, on the other server, follows the shared database: 262 814 ÷ 708 000 = 37,12 %.
        expect(coverage).to_have_text("37,1%", timeout=LIVE_DEADLINE_MS)
        expect(projector.get_by_text("data versi 2").first).to_be_visible()

        laptop_server.stop()
        # A new visitor whose route led to the stopped server, and the laptop reloading: both served by the other.
        stranded = _pinned(browser, deployment, routes[_address(laptop_server)]).new_page()
        assert _answered_by(stranded.goto(deployment.url + "/")) == _address(projector_server)
        wait_for_app(stranded)
        expect(stranded.get_by_test_id("stMetric").filter(has_text="Cakupan provinsi").get_by_test_id(
            "stMetricValue").first).to_have_text("37,1%")  # the version saved through the stopped server
        stranded.context.close()

        assert _answered_by(laptop.reload()) == _address(projector_server)
        wait_for_app(laptop)
        # Same cookie secret on both servers: the editor's sign-in holds on the other one.
        expect(laptop.get_by_test_id("stSidebar").get_by_text("Masuk sebagai Penguji (editor).")).to_be_visible(
            timeout=15_000)
        expect(laptop.get_by_text("revisi.csv").first).to_be_visible()
    finally:
        projector_context.close()
        laptop_context.close()
