"""Browser: headless Chromium on loopback, the app's map against a minimal pydeck app (bench/minimal_app.py).

Two things are timed, each as a ratio to the minimal app measured in the same run, the two taking turns:

- **Cold start until the polygons are drawn**: a freshly started server process (its database already created and
  seeded, as after a restart; no page served yet), a freshly launched browser (new profile, empty HTTP cache, no
  shader cache), from the navigation's start (``performance.timeOrigin``) to the first frame in which the map's
  canvas shows the expected fill colours. The same on a server that has already served the page once ("first
  visit") separates the server's first script run from the browser's share.
- **Input until the map is repainted**: on the simulator page a target is typed into the grid as
  tests/e2e/test_simulator_in_browser.py does; on the minimal app a number is typed into its number input. The
  clock runs from the Enter that commits the value (its ``keydown``) to the first frame in which the map shows the
  new colours (Lebong leaves the lightest class).

How "drawn" is seen: the page is given a script before anything else runs that makes WebGL canvases keep their
last frame (``preserveDrawingBuffer``, for the app and the minimal app alike) and notes every WebGL draw call. After
each animation frame in which the map drew, the probe copies the deck.gl canvas onto a small 2-D canvas over white
(every ``SAMPLE_STEP_PX``-th pixel) and counts the pixels of each expected colour, as the e2e map tests do on
screenshots. The copy waits until Chromium's GPU process has finished drawing (SwiftShader compiles shaders and
rasterises there), so the end of the first copy that shows the colours is when they were on the canvas for sure:
that is the clock's stop (``performance.now()``, 0.1 ms). The last draw call before it is the earliest they can have
been; each row's note gives that bracket. Copying only after frames that drew keeps the probe out of idle frames.

Each row's note also splits the medians where the browser sent its script-run request and where the server's map
element arrived (the probe watches the websocket), so a missed target says whether the browser before the request,
the server, or the browser drawing the map is where the time went.
"""

from __future__ import annotations

import json
import statistics
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from bench import minimal_app
from bench.common import Measurement
from monev import geo, mapping
from tests.conftest import SHARED_BOUNDARIES
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, wait_for_app
from tests.e2e.test_map_in_browser import COLOUR_TOLERANCE, DECK, MIN_PIXELS_PER_CLASS, _coverage_classes
from tests.e2e.test_simulator_in_browser import LEBONG_ROW, TARGET_COLUMN, _select_cell
from tests.streamlit_server import ROOT, StreamlitServer

PART = "browser"
TARGET_RATIO = 1.3
VIEWPORT = {"width": 1920, "height": 1080}
SAMPLE_STEP_PX = 2  # as the e2e tests sample screenshots, so their pixel thresholds apply unchanged
WAIT_TIMEOUT_MS = 60_000
LEBONG_TARGET_PCT = 30  # the e2e test's input: Lebong from 17 % to 30 % leaves the lightest class
MINIMAL_APP = Path(__file__).resolve().parent / "minimal_app.py"
MINIMAL_READY = '[data-testid="stNumberInput"] input'

_PROBE = """
(() => {
  if (window !== window.top) return;
  const bench = window.__bench = {lastEnterAt: null, lastDrawAt: null, drewSinceCheck: false, sentAt: [],
                                  mapReceivedAt: []};
  // WebGL canvases keep their last frame, so that a copy taken between frames sees what is on screen; every draw
  // call is stamped, so that the map is read back only after frames in which it drew.
  const getContext = HTMLCanvasElement.prototype.getContext;
  const drawCalls = ['clear', 'drawArrays', 'drawElements', 'drawArraysInstanced', 'drawElementsInstanced',
                     'drawRangeElements'];
  HTMLCanvasElement.prototype.getContext = function (type, attributes) {
    const isWebGl = type === 'webgl2' || type === 'webgl';
    const context = getContext.call(this, type, isWebGl ? {...(attributes || {}), preserveDrawingBuffer: true}
                                                       : attributes);
    if (isWebGl && context && !context.__benchStamped) {
      context.__benchStamped = true;
      for (const name of drawCalls.filter(name => typeof context[name] === 'function')) {
        const draw = context[name];
        context[name] = function (...args) {
          bench.lastDrawAt = performance.now();
          bench.drewSinceCheck = true;
          return draw.apply(this, args);
        };
      }
    }
    return context;
  };
  window.addEventListener('keydown', event => {
    if (event.key === 'Enter') bench.lastEnterAt = performance.now();
  }, true);

  // When the browser asked for a script run and when the server's map element arrived, to split a time into the
  // browser's share before the request, the server's share, and the browser's share after the map arrived.
  const mapMarker = new TextEncoder().encode('GeoJsonLayer');
  const holdsMap = bytes => {
    for (let i = 0; i + mapMarker.length <= bytes.length; i++) {
      let k = 0;
      while (k < mapMarker.length && bytes[i + k] === mapMarker[k]) k++;
      if (k === mapMarker.length) return true;
    }
    return false;
  };
  window.WebSocket = class extends window.WebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', event => {
        const receivedAt = performance.now();
        if (event.data instanceof ArrayBuffer && holdsMap(new Uint8Array(event.data))) {
          bench.mapReceivedAt.push(receivedAt);
        }
      });
    }
    send(data) {
      bench.sentAt.push(performance.now());
      super.send(data);
    }
  };

  const sampler = document.createElement('canvas');
  function colourCounts(canvas, colours, step, tolerance) {
    const width = Math.floor(canvas.width / step), height = Math.floor(canvas.height / step);
    if (!width || !height) return null;
    sampler.width = width;
    sampler.height = height;
    const context = sampler.getContext('2d', {willReadFrequently: true});
    context.imageSmoothingEnabled = false;  // nearest pixel: a sample is one drawn pixel, not a blend
    context.fillStyle = '#fff';  // the page behind the map
    context.fillRect(0, 0, width, height);
    context.drawImage(canvas, 0, 0, width, height);
    const pixels = context.getImageData(0, 0, width, height).data;
    const counts = colours.map(() => 0);
    for (let i = 0; i < pixels.length; i += 4) {
      for (let k = 0; k < colours.length; k++) {
        const [r, g, b] = colours[k];
        if (Math.abs(pixels[i] - r) <= tolerance && Math.abs(pixels[i + 1] - g) <= tolerance
            && Math.abs(pixels[i + 2] - b) <= tolerance) {
          counts[k]++;
          break;
        }
      }
    }
    return counts;
  }

  // Resolves when a readback first shows every `present` colour and none of the `absent` ones. The readback waits
  // for the GPU process to finish what the page asked it to draw, so its end is when the pixels were there for
  // sure; the last draw call before it is the earliest they can have been.
  bench.waitForMap = ({selector, present, absent, step, tolerance, minSamples, timeoutMs}) => new Promise(
    (resolve, reject) => {
      const colours = [...present, ...absent];
      const startedAt = performance.now();
      let frames = 0, counts = null;
      bench.drewSinceCheck = true;  // the map may already be on screen: look once
      function check() {
        const checkedAt = performance.now();
        frames++;
        const canvas = document.querySelector(selector);
        if (canvas && bench.drewSinceCheck) {
          bench.drewSinceCheck = false;
          const lastDrawAt = bench.lastDrawAt;
          counts = colourCounts(canvas, colours, step, tolerance);
          const readAt = performance.now();
          const drawn = counts && counts.slice(0, present.length).every(n => n >= minSamples)
            && counts.slice(present.length).every(n => n < minSamples);
          if (drawn) {
            const mapReceivedAt = bench.mapReceivedAt.filter(t => t <= lastDrawAt).pop() ?? null;
            const requestedAt = bench.sentAt.filter(t => mapReceivedAt !== null && t <= mapReceivedAt).pop() ?? null;
            resolve({at: readAt, lastDrawAt, lastEnterAt: bench.lastEnterAt, requestedAt, mapReceivedAt,
                     meanFrameMs: (checkedAt - startedAt) / Math.max(frames - 1, 1)});
            return;
          }
        }
        if (checkedAt - startedAt > timeoutMs) {
          reject(new Error(`map not drawn as expected after ${timeoutMs} ms; colour counts ${JSON.stringify(counts)}`));
        } else {
          requestAnimationFrame(check);
        }
      }
      requestAnimationFrame(check);
    });
})();
"""


def _drawn_rgb(hex_color: str, alpha: int = minimal_app.FILL_ALPHA) -> list[int]:
    """A fill of ``hex_color`` at the maps' alpha over white, as the copied canvas shows it."""
    return [round((int(hex_color[i:i + 2], 16) * alpha + 255 * (255 - alpha)) / 255) for i in (1, 3, 5)]


@dataclass(frozen=True)
class MapPicture:
    """What the map must show to count as drawn: each ``present`` colour, none of the ``absent`` ones."""

    present: tuple[str, ...]
    absent: tuple[str, ...] = ()

    def wait_spec(self) -> dict[str, object]:
        return {"selector": f"{DECK} canvas", "present": [_drawn_rgb(c) for c in self.present],
                "absent": [_drawn_rgb(c) for c in self.absent], "step": SAMPLE_STEP_PX,
                "tolerance": COLOUR_TOLERANCE, "minSamples": MIN_PIXELS_PER_CLASS, "timeoutMs": WAIT_TIMEOUT_MS}


_CLASSES = _coverage_classes()
APP_MAP_DRAWN = MapPicture(present=_CLASSES.colors)  # the demo's October regions fall in all five classes
APP_MAP_REPAINTED = MapPicture(present=(_CLASSES.color_of(LEBONG_TARGET_PCT / 100),), absent=(_CLASSES.colors[0],))
MINIMAL_MAP_DRAWN = MapPicture(present=(minimal_app.FILL_OTHER_REGIONS, minimal_app.FILL_BELOW_TARGET))
MINIMAL_MAP_REPAINTED = MapPicture(present=(minimal_app.FILL_AT_TARGET,), absent=(minimal_app.FILL_BELOW_TARGET,))


@dataclass(frozen=True)
class Timing:
    """One timed run in milliseconds, split where the browser asked the server for a script run and where the map
    element arrived; and how finely the probe saw the end: the pixels were there between ``bracket_ms`` before it
    (the last draw call) and it (the readback's end)."""

    ms: float
    until_request_ms: float
    server_ms: float
    browser_ms: float
    frame_ms: float
    bracket_ms: float


@dataclass(frozen=True)
class CanvasSize:
    width_px: int
    height_px: int


def _app_env(workdir: Path) -> dict[str, str]:
    return {"MONEV_BOUNDARIES": str(SHARED_BOUNDARIES), "MONEV_CACHE_DIR": str(workdir / "cache"),
            "MONEV_DATABASE_URL": f"sqlite:///{workdir / 'monev.sqlite3'}"}


def _minimal_env(size: CanvasSize) -> dict[str, str]:
    """The minimal app framed like the app's map of this size (the app frames its view with the same function)."""
    boundaries = geo.load_boundaries(env={"MONEV_BOUNDARIES": str(SHARED_BOUNDARIES)}).boundaries
    view = mapping.view_for_bounds(boundaries.bounds, height_px=size.height_px)
    return {"MONEV_BOUNDARIES": str(SHARED_BOUNDARIES),
            minimal_app.MAP_VIEW_ENV: json.dumps({"longitude": view.longitude, "latitude": view.latitude,
                                                  "zoom": view.zoom, "width_px": size.width_px,
                                                  "height_px": size.height_px})}


@contextmanager
def _server(env: dict[str, str], script: Path | str | None = None) -> Iterator[StreamlitServer]:
    # cwd: the app's .streamlit/config.toml applies to both apps. No file watcher: others edit this checkout while
    # the benchmark runs, and a changed file would put a "file changed, rerun?" prompt on the page.
    server = StreamlitServer({**env, "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"}, script=script, cwd=ROOT)
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def _browser(playwright: Playwright) -> Iterator[Browser]:
    launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        yield launched
    finally:
        launched.close()


def _timing(result: dict[str, float], since: float) -> Timing:
    requested, received, drawn = result["requestedAt"], result["mapReceivedAt"], result["at"]
    return Timing(ms=drawn - since, until_request_ms=requested - since, server_ms=received - requested,
                  browser_ms=drawn - received, frame_ms=result["meanFrameMs"], bracket_ms=drawn - result["lastDrawAt"])


def _load_until_drawn(browser: Browser, url: str, drawn: MapPicture) -> tuple[Timing, Page]:
    """A new context (empty cache) opens ``url``; the time from the navigation's start to the map drawn."""
    context = browser.new_context(viewport=VIEWPORT, locale="id-ID")
    first_drawn = f"window.__bench.firstDrawn = window.__bench.waitForMap({json.dumps(drawn.wait_spec())});"
    context.add_init_script(_PROBE + first_drawn)
    page = context.new_page()
    page.goto(url, wait_until="commit")
    return _timing(page.evaluate("() => window.__bench.firstDrawn"), since=0.0), page


def _cold_start(playwright: Playwright, env: dict[str, str], script: Path | str, path: str,
                drawn: MapPicture) -> Timing:
    """A server started for this run and a browser launched for it: nothing of either is warm."""
    with _server(env, script) as server, _browser(playwright) as browser:
        timing, _ = _load_until_drawn(browser, server.url + path, drawn)
        return timing


def _first_visit(browser: Browser, server: StreamlitServer, path: str, drawn: MapPicture) -> Timing:
    timing, page = _load_until_drawn(browser, server.url + path, drawn)
    page.context.close()
    return timing


def _commit_and_time_repaint(page: Page, repainted: MapPicture) -> Timing:
    """Presses the Enter that commits a typed value; the time from its keydown to the repainted map."""
    page.evaluate("spec => { window.__bench.repainted = window.__bench.waitForMap(spec); }", repainted.wait_spec())
    page.keyboard.press("Enter")
    result = page.evaluate("() => window.__bench.repainted")
    return _timing(result, since=result["lastEnterAt"])


def _simulator_input(browser: Browser, server: StreamlitServer) -> Timing:
    """Lebong's target typed into the simulator's grid, as the e2e test does, on a new session."""
    _, page = _load_until_drawn(browser, server.url + "/simulasi", APP_MAP_DRAWN)
    wait_for_app(page)
    _select_cell(page, column=TARGET_COLUMN, row=LEBONG_ROW)
    page.keyboard.press("Enter")
    page.wait_for_selector(".gdg-input", timeout=10_000)
    page.locator(".gdg-input").fill(str(LEBONG_TARGET_PCT))
    timing = _commit_and_time_repaint(page, APP_MAP_REPAINTED)
    page.context.close()
    return timing


def _minimal_input(browser: Browser, server: StreamlitServer) -> Timing:
    _, page = _load_until_drawn(browser, server.url, MINIMAL_MAP_DRAWN)
    wait_for_app(page, ready=MINIMAL_READY)
    page.locator(MINIMAL_READY).fill(str(LEBONG_TARGET_PCT))
    timing = _commit_and_time_repaint(page, MINIMAL_MAP_REPAINTED)
    page.context.close()
    return timing


def _canvas_sizes(browser: Browser, server: StreamlitServer, paths: tuple[str, ...]) -> dict[str, CanvasSize]:
    """The map canvas of each page at the benchmark's viewport; visiting them also fills the server's caches."""
    sizes = {}
    for path in paths:
        _, page = _load_until_drawn(browser, server.url + path, APP_MAP_DRAWN)
        width, height = page.evaluate(f"() => {{ const c = document.querySelector('{DECK} canvas');"
                                      " return [c.clientWidth, c.clientHeight]; }")
        sizes[path] = CanvasSize(width, height)
        page.context.close()
    return sizes


def _interleaved(runs: int, app: Callable[[], Timing], baseline: Callable[[], Timing]
                 ) -> tuple[list[Timing], list[Timing]]:
    """One untimed round, then ``runs`` rounds of app then baseline, so load from elsewhere hits both alike."""
    app(), baseline()
    app_timings, baseline_timings = [], []
    for _ in range(runs):
        app_timings.append(app())
        baseline_timings.append(baseline())
    return app_timings, baseline_timings


def _measurement(name: str, baseline: str, app: list[Timing], minimal: list[Timing], *, unit_ms: float,
                 unit: str, target: float | None, note: str) -> Measurement:
    frame_ms = statistics.median(t.frame_ms for t in app + minimal)
    note = (f"{note}; medians: app {_phases(app)}; minimal app {_phases(minimal)}; "
            f"clock: performance.now() (0.1 ms) at the end of the canvas readback that first showed the colours; "
            f"animation frames every {frame_ms:.1f} ms")
    return Measurement(part=PART, name=name, value=statistics.median(t.ms for t in app) / unit_ms, unit=unit,
                       baseline=baseline, baseline_value=statistics.median(t.ms for t in minimal) / unit_ms,
                       target=target, runs=len(app), note=note)


def _phases(timings: list[Timing]) -> str:
    """Where the time went: before the script-run request, on the server until the map element arrived, after it."""
    def median(phase: str) -> float:
        return statistics.median(getattr(t, phase) for t in timings)

    return (f"{median('until_request_ms'):.0f} ms until the script-run request + {median('server_ms'):.0f} ms until "
            f"the map element arrived + {median('browser_ms'):.0f} ms until drawn (drawn at most "
            f"{median('bracket_ms'):.0f} ms before: the readback's wait for the GPU process and copy)")


PAGES = {"/": "overview (app.py)", "/peta": "pages/peta.py"}


def run(runs: int) -> list[Measurement]:
    measurements = []
    with tempfile.TemporaryDirectory(prefix="monev-bench-browser-") as directory, sync_playwright() as playwright:
        workdir = Path(directory)
        app_env = _app_env(workdir)
        with _server(app_env) as server, _browser(playwright) as browser:
            # The first server creates and seeds the database: later ones start as after a restart.
            sizes = _canvas_sizes(browser, server, (*PAGES, "/simulasi"))

        for path, page_name in PAGES.items():
            minimal_env = _minimal_env(sizes[path])
            size = f"{sizes[path].width_px}×{sizes[path].height_px} px"
            app, minimal = _interleaved(
                runs,
                partial(_cold_start, playwright, app_env, "app.py", path, APP_MAP_DRAWN),
                partial(_cold_start, playwright, minimal_env, MINIMAL_APP, "", MINIMAL_MAP_DRAWN))
            measurements.append(_measurement(
                f"cold start → map drawn, {page_name}", f"minimal app, {size}", app, minimal, unit_ms=1000,
                unit="s", target=TARGET_RATIO,
                note="server process and browser started for each run; from navigation start to polygons drawn"))

            with _server(app_env) as server, _server(minimal_env, MINIMAL_APP) as minimal_server, \
                    _browser(playwright) as browser:
                app, minimal = _interleaved(
                    runs,
                    partial(_first_visit, browser, server, path, APP_MAP_DRAWN),
                    partial(_first_visit, browser, minimal_server, "", MINIMAL_MAP_DRAWN))
            measurements.append(_measurement(
                f"first visit → map drawn, {page_name}", f"minimal app, {size}", app, minimal, unit_ms=1000,
                unit="s", target=None,
                note="running server (page served before), new browser context with an empty cache"))

        simulator_size = sizes["/simulasi"]
        with _server(app_env) as server, _server(_minimal_env(simulator_size), MINIMAL_APP) as minimal_server, \
                _browser(playwright) as browser:
            app, minimal = _interleaved(runs, partial(_simulator_input, browser, server),
                                        partial(_minimal_input, browser, minimal_server))
        measurements.append(_measurement(
            "simulator input → map repainted", f"minimal app, {simulator_size.width_px}×{simulator_size.height_px} px",
            app, minimal, unit_ms=1, unit="ms", target=TARGET_RATIO,
            note="Lebong's target typed into the grid; from the committing Enter's keydown to the new colours"))
    return measurements
