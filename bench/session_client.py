"""A headless browser session: speaks Streamlit's websocket protocol to a server on loopback, as the frontend does.

The client mirrors what the Streamlit frontend sends and keeps: it fetches the XSRF cookie and offers it as the
second websocket subprotocol; it asks for a page with a ``rerun_script`` BackMsg; it keeps the widgets the runs draw
(by id, with their current values) and sends them all with every rerun; it keeps the ForwardMsg cache (messages
marked cacheable, their hashes listed in each rerun, ``ref_hash`` answers resolved from it); it reruns the
``run_every`` fragments on their timers. Each interaction is timed from sending the input to the ``script_finished``
of the run it caused, told apart from fragment runs by the run identity in the message metadata.

Anything a person would see as broken makes the interaction raise :class:`SessionError` and is kept in
``StreamlitSession.errors``: an exception element, a run that does not finish successfully, a page that is not
found, a closed websocket, a timeout.
"""

from __future__ import annotations

import asyncio
import time
import urllib.request
from collections.abc import Coroutine, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any, TypeVar
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ContextInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg, ForwardMsgMetadata
from streamlit.proto.Navigation_pb2 import Navigation
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

T = TypeVar("T")

XSRF_COOKIE = "_streamlit_xsrf"
# What the frontend offers when it has no XSRF cookie (or XSRF protection is off).
NO_XSRF_TOKEN = "PLACEHOLDER_AUTH_TOKEN"
DEFAULT_TIMEOUT_S = 60.0
# The widget kinds a caller can set; the names are the Element oneof fields (segmented_control and pills are
# "button_group", toggle is "checkbox", select_slider is "slider").
SETTABLE_KINDS = ("selectbox", "radio", "button_group", "slider", "number_input", "checkbox", "text_input",
                  "multiselect")
CLICKABLE_KINDS = ("button",)
# The browser's context for an Indonesian user in Bengkulu (WIB); getTimezoneOffset() counts minutes west of UTC.
BROWSER_CONTEXT = {"timezone": "Asia/Jakarta", "timezone_offset": -420, "locale": "id-ID", "is_embedded": False,
                   "color_scheme": "light"}


def run_to_completion(coroutine: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run`` in a thread of its own: callers may already have an event loop running in theirs (Playwright's
    synchronous API keeps one in the main thread while a browser is open), and asyncio.run refuses to nest."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="streamlit-sessions") as worker:
        return worker.submit(asyncio.run, coroutine).result()


class SessionError(Exception):
    """What a person would see as broken: an exception on the page, a failed run, a lost connection, a timeout."""


class LostRunError(SessionError):
    """The server started another run before reporting the end of the one an input caused.

    Streamlit 1.67 does this when a request (typically a ``run_every`` fragment's timer) reaches a session whose
    script runner has just finished but not yet shut down: ``AppSession.request_rerun`` starts a new runner, and
    the old one's last events (its ``script_finished``, possibly its last deltas) are dropped as coming from a
    non-current runner. The browser shows whatever had arrived; the session itself stays usable.
    """


@dataclass
class Widget:
    """A widget the last runs drew, with the value the browser would send for it."""

    id: str
    kind: str
    label: str
    proto: Any
    fragment_id: str
    script_hash: str  # the script that drew it: the entry point's widgets survive a page change
    run_id: str  # the run that last drew it; widgets a finished run did not draw are gone
    value: Any  # in wire form: str, bool, int, float, list[str] or list[float]; None = no value

    @property
    def options(self) -> list[str]:
        if self.kind == "button_group":
            return [option.content for option in self.proto.options]
        return list(getattr(self.proto, "options", []))


@dataclass
class _PendingRun:
    """The run an interaction waits for: a full run (no fragment) or a run of ``fragment_id``."""

    fragment_id: str
    done: asyncio.Future[float]
    run_ids: set[str] = field(default_factory=set)
    open_run_id: str | None = None  # started for this input, end not yet reported
    errors: list[str] = field(default_factory=list)

    def matches_start(self, run: ForwardMsgMetadata) -> bool:
        fragment_ids = list(run.run.fragment_ids)
        return self.fragment_id in fragment_ids if self.fragment_id else not fragment_ids


@dataclass
class _CacheEntry:
    frame: bytes
    fragment_id: str
    run_count: int


class _MessageCache:
    """The frontend's ForwardMsg cache: the server replaces messages the client lists as cached by ``ref_hash``."""

    def __init__(self) -> None:
        self._entries: dict[str, _CacheEntry] = {}
        self._run_count = 0

    def hashes(self) -> list[str]:
        return list(self._entries)

    def remember(self, message_hash: str, frame: bytes, fragment_id: str) -> None:
        if message_hash in self._entries:
            self._entries[message_hash].run_count = self._run_count
        else:
            self._entries[message_hash] = _CacheEntry(frame, fragment_id, self._run_count)

    def resolve(self, message_hash: str) -> bytes | None:
        entry = self._entries.get(message_hash)
        if entry is None:
            return None
        entry.run_count = self._run_count
        return entry.frame

    def finish_run(self, max_age: int, fragment_ids: Sequence[str]) -> None:
        """Age the entries as the frontend does; a fragment run only ages its own fragment's messages."""
        self._run_count += 1
        for message_hash, entry in list(self._entries.items()):
            if fragment_ids and entry.fragment_id not in fragment_ids:
                continue
            if self._run_count - entry.run_count > max_age:
                del self._entries[message_hash]


def _initial_value(kind: str, proto: Any) -> Any:
    """The value the frontend shows for a widget the server just sent: its set value, else its default."""
    if kind in ("selectbox", "radio"):
        if proto.set_value:
            return proto.raw_value if proto.HasField("raw_value") else None
        return proto.options[proto.default] if proto.HasField("default") and proto.options else None
    if kind == "button_group":
        if proto.set_value:
            return list(proto.raw_values)
        return [proto.options[index].content for index in proto.default if 0 <= index < len(proto.options)]
    if kind == "multiselect":
        return list(proto.raw_values) if proto.set_value else [proto.options[index] for index in proto.default]
    if kind == "slider":
        if proto.type == proto.SELECT_SLIDER:
            return list(proto.raw_value) if proto.set_value else [proto.options[int(i)] for i in proto.default]
        return list(proto.value) if proto.set_value else list(proto.default)
    if kind == "number_input":
        if proto.set_value:
            number = proto.value if proto.HasField("value") else None
        else:
            number = proto.default if proto.HasField("default") else None
        if number is not None and proto.data_type == proto.INT:
            return int(number)
        return number
    if kind in ("checkbox", "text_input"):
        return proto.value if proto.set_value else proto.default
    return None


def _checked_options(widget: Widget, value: str | Sequence[str]) -> list[str]:
    chosen = [value] if isinstance(value, str) else list(value)
    unknown = [option for option in chosen if option not in widget.options]
    if unknown:
        raise ValueError(f"{unknown} are not options of {widget.label!r}: {widget.options}")
    return chosen


def _checked_value(widget: Widget, value: Any) -> Any:
    """``value`` in the widget's wire form, refused (ValueError) where the browser would not let a person pick it."""
    proto = widget.proto
    if widget.kind in ("selectbox", "radio"):
        return _checked_options(widget, value)[0]
    if widget.kind in ("button_group", "multiselect"):
        return _checked_options(widget, value)
    if widget.kind == "slider":
        if proto.type == proto.SELECT_SLIDER:
            return _checked_options(widget, value)
        chosen = [float(value)] if isinstance(value, int | float) else [float(v) for v in value]
        if any(not proto.min <= v <= proto.max for v in chosen):
            raise ValueError(f"{value!r} is outside {widget.label!r}: {proto.min}…{proto.max}")
        return chosen
    if widget.kind == "number_input":
        if (proto.has_min and value < proto.min) or (proto.has_max and value > proto.max):
            raise ValueError(f"{value!r} is outside the bounds of {widget.label!r}")
        return int(value) if proto.data_type == proto.INT else float(value)
    if widget.kind == "checkbox":
        return bool(value)
    return str(value)


def _widget_state(widget: Widget) -> WidgetState | None:
    """The WidgetState the frontend sends for ``widget`` (each kind has its own wire type)."""
    if widget.value is None:
        return None
    state = WidgetState(id=widget.id)
    if widget.kind in ("selectbox", "radio", "text_input"):
        state.string_value = widget.value
    elif widget.kind in ("button_group", "multiselect") or (
            widget.kind == "slider" and widget.proto.type == widget.proto.SELECT_SLIDER):
        state.string_array_value.data.extend(widget.value)
    elif widget.kind == "slider":
        state.double_array_value.data.extend(widget.value)
    elif widget.kind == "number_input":
        if widget.proto.data_type == widget.proto.INT:
            state.int_value = widget.value
        else:
            state.double_value = widget.value
    elif widget.kind == "checkbox":
        state.bool_value = widget.value
    return state


def _xsrf_token(base_url: str) -> str | None:
    """The XSRF cookie the frontend gets from its first health check and hands over as a subprotocol."""
    with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=10) as answer:
        for header in answer.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            if XSRF_COOKIE in cookie:
                return cookie[XSRF_COOKIE].value
    return None


class StreamlitSession:
    """One browser tab on a Streamlit app: ``connect`` opens a page, then set widgets, click buttons, switch pages.

    Every interaction returns the seconds from sending the input to the ``script_finished`` of the run it caused.
    """

    def __init__(self, base_url: str, *, timeout_s: float = DEFAULT_TIMEOUT_S) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout_s = timeout_s
        self.errors: list[str] = []
        self.lost_runs: list[str] = []  # see LostRunError; kept apart from errors, which are the app's own
        self.widgets: dict[str, Widget] = {}
        self.pages: dict[str, str] = {}  # url pathname ("" for the default page) -> page_script_hash
        self._url_path = ""  # the page's path in the address bar
        self.page_script_hash = ""
        self.query_string = ""
        self.session_id = ""
        self._main_script_hash = ""
        self._page_link_queries: dict[str, str] = {}  # page_script_hash -> query string of its rendered link
        self._cache = _MessageCache()
        self._max_cached_message_age = 2
        self._run = ForwardMsgMetadata()  # the metadata of the run whose messages are arriving
        self._pending: _PendingRun | None = None
        self._auto_reruns: dict[str, tuple[float, asyncio.Task[None]]] = {}
        self._websocket: ClientConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._closed_reason: str | None = None
        self._closing = False

    async def connect(self, page: str = "", query_string: str = "") -> float:
        """Open ``/<page>?<query_string>`` as a new tab does; returns the seconds to the first run's end."""
        token = await asyncio.to_thread(_xsrf_token, self.base_url)
        host = urlsplit(self.base_url).netloc
        headers = {"Cookie": f"{XSRF_COOKIE}={token}"} if token else {}
        # The server takes the first subprotocol as the one to select and the second as the XSRF token.
        self._websocket = await connect(
            f"ws://{host}/_stcore/stream", subprotocols=["streamlit", token or NO_XSRF_TOKEN],
            origin=self.base_url, additional_headers=headers, max_size=None, proxy=None,
            open_timeout=self.timeout_s)
        self._reader = asyncio.create_task(self._read(), name=f"streamlit-session-{host}")
        self.query_string = query_string
        return await self._rerun(page_script_hash="", page_name=page)

    async def close(self) -> None:
        self._closing = True
        self._stop_auto_reruns()
        if self._websocket is not None:
            await self._websocket.close()
        if self._reader is not None:
            await self._reader

    def widget(self, label: str, kind: str | None = None) -> Widget:
        """The one drawn widget with this label (and kind); KeyError if there is none or more than one."""
        found = [w for w in self.widgets.values() if w.label == label and (kind is None or w.kind == kind)]
        if len(found) != 1:
            drawn = sorted(f"{w.kind}:{w.label}" for w in self.widgets.values())
            raise KeyError(f"{len(found)} widgets labelled {label!r} (kind {kind}); drawn: {drawn}")
        return found[0]

    async def set_widget(self, label: str, value: Any, kind: str | None = None) -> float:
        """Give the widget labelled ``label`` a new value as a person would, and rerun (its fragment only, if it
        is in one)."""
        widget = self.widget(label, kind)
        if widget.kind not in SETTABLE_KINDS:
            raise ValueError(f"{label!r} is a {widget.kind}, which this client cannot set")
        widget.value = _checked_value(widget, value)
        return await self._rerun(fragment_id=widget.fragment_id)

    async def click(self, label: str) -> float:
        """Press the button labelled ``label``."""
        widget = self.widget(label, "button")
        return await self._rerun(fragment_id=widget.fragment_id, trigger_id=widget.id)

    async def switch_page(self, url_pathname: str) -> float:
        """Follow the page link to ``url_pathname`` ("" for the default page), with the query string the link
        carries, as a click on it does."""
        page_script_hash = self.pages[url_pathname]
        # Leaving a page drops its elements; only what the entry script itself drew (outside any page) stays.
        self.widgets = {wid: w for wid, w in self.widgets.items() if w.script_hash == self._main_script_hash}
        self._stop_auto_reruns()
        self.query_string = self._page_link_queries.get(page_script_hash, "")
        return await self._rerun(page_script_hash=page_script_hash)

    async def _rerun(self, *, page_script_hash: str | None = None, page_name: str = "", fragment_id: str = "",
                     trigger_id: str | None = None) -> float:
        if self._closed_reason:
            raise SessionError(self._closed_reason)
        if self._pending is not None:
            raise RuntimeError("one interaction at a time, as a person clicks")
        pending = _PendingRun(fragment_id, asyncio.get_running_loop().create_future())
        self._pending = pending
        started = time.perf_counter()
        try:
            await self._send_rerun(page_script_hash=page_script_hash, page_name=page_name, fragment_id=fragment_id,
                                   trigger_id=trigger_id)
            finished = await asyncio.wait_for(pending.done, self.timeout_s)
        except TimeoutError:
            started_run = f"its run {pending.open_run_id} started" if pending.open_run_id else "no run of it started"
            message = f"no script_finished within {self.timeout_s:g} s ({started_run})"
            self.errors.append(message)
            raise SessionError(message) from None
        except ConnectionClosed as closed:
            self._closed_reason = f"websocket closed: {closed}"
            self.errors.append(self._closed_reason)
            raise SessionError(self._closed_reason) from None
        finally:
            self._pending = None
        return finished - started

    async def _send_rerun(self, *, page_script_hash: str | None = None, page_name: str = "", fragment_id: str = "",
                          trigger_id: str | None = None, is_auto_rerun: bool = False) -> None:
        message = BackMsg()
        rerun = message.rerun_script
        rerun.query_string = self.query_string
        rerun.page_script_hash = self.page_script_hash if page_script_hash is None else page_script_hash
        rerun.page_name = page_name
        rerun.fragment_id = fragment_id
        rerun.is_auto_rerun = is_auto_rerun
        rerun.cached_message_hashes.extend(self._cache.hashes())
        rerun.context_info.CopyFrom(ContextInfo(url=self._address(page_name), **BROWSER_CONTEXT))
        for widget in self.widgets.values():
            state = _widget_state(widget)
            if state is not None:
                rerun.widget_states.widgets.append(state)
        if trigger_id is not None:
            rerun.widget_states.widgets.append(WidgetState(id=trigger_id, trigger_value=True))
        assert self._websocket is not None, "connect() first"
        await self._websocket.send(message.SerializeToString())

    def _address(self, page_name: str) -> str:
        path = page_name or self._url_path
        return f"{self.base_url}/{path}" + (f"?{self.query_string}" if self.query_string else "")

    async def _read(self) -> None:
        assert self._websocket is not None
        try:
            async for frame in self._websocket:
                if not isinstance(frame, bytes):
                    raise TypeError(f"a text frame, where Streamlit only sends protobufs: {frame[:80]!r}")
                self._receive(frame)
        except ConnectionClosed:
            pass
        except Exception as error:  # a message this client cannot read: the session cannot go on
            self._closed_reason = f"unreadable message from the server: {error!r}"
            self._fail(self._closed_reason)
            await self._websocket.close()
        finally:
            if not self._closing and self._closed_reason is None:
                code, reason = self._websocket.close_code, self._websocket.close_reason
                self._closed_reason = f"websocket closed by the server (code {code}: {reason!r})"
                self._fail(self._closed_reason)
            self._stop_auto_reruns()

    def _fail(self, message: str) -> None:
        self.errors.append(message)
        if self._pending is not None:
            self._pending.errors.append(message)
            if not self._pending.done.done():
                self._pending.done.set_exception(SessionError(message))

    def _record_error(self, message: str) -> None:
        """An error shown on the page: it fails the interaction waiting for this run when the run ends."""
        self.errors.append(message)
        if self._pending is not None:
            self._pending.errors.append(message)

    def _receive(self, frame: bytes) -> None:
        message = ForwardMsg.FromString(frame)
        if message.WhichOneof("type") == "ref_hash":
            cached = self._cache.resolve(message.ref_hash)
            if cached is None:
                self._fail(f"the server referred to a message this client never cached: {message.ref_hash}")
                return
            metadata = message.metadata
            message = ForwardMsg.FromString(cached)
            message.metadata.CopyFrom(metadata)
        elif message.metadata.cacheable:
            self._cache.remember(message.hash, frame, message.delta.fragment_id)
        kind = message.WhichOneof("type")
        if kind == "new_session":
            self._on_new_session(message)
        elif kind == "delta":
            self._on_delta(message)
        elif kind == "script_finished":
            self._on_script_finished(message)
        elif kind == "navigation":
            self._on_navigation(message.navigation)
        elif kind == "page_info_changed":
            self.query_string = message.page_info_changed.query_string
        elif kind == "page_not_found":
            self._record_error(f"page not found: {message.page_not_found.page_name!r}")
        elif kind == "session_event" and message.session_event.HasField("script_compilation_exception"):
            error = message.session_event.script_compilation_exception
            self._record_error(f"script compilation error: {error.type}: {error.message}")
        elif kind == "auto_rerun":
            self._start_auto_rerun(message.auto_rerun.fragment_id, message.auto_rerun.interval)
        elif kind == "stop_auto_rerun":
            for fragment_id in message.stop_auto_rerun.fragment_ids:
                self._stop_auto_reruns(fragment_id)

    def _on_new_session(self, message: ForwardMsg) -> None:
        session = message.new_session
        self._run = message.metadata
        if not message.metadata.run.fragment_ids:
            # As the frontend does: a full run restarts the fragments' timers (its auto_rerun messages set them anew).
            self._stop_auto_reruns()
        self.session_id = session.initialize.session_id or self.session_id
        self.page_script_hash = session.page_script_hash
        self._main_script_hash = session.main_script_hash
        self._max_cached_message_age = session.config.max_cached_message_age
        pending, run = self._pending, message.metadata.run
        if pending is None:
            return
        if pending.open_run_id is not None:
            # One script runs at a time per session: a new run means the open one has ended, unreported.
            lost = (f"the server never reported the end of run {pending.open_run_id}; a run of "
                    f"{'fragment ' + run.fragment_ids[0] if run.fragment_ids else 'the app'} started instead")
            self.lost_runs.append(lost)
            pending.done.set_exception(LostRunError(lost))
            self._pending = None
        elif pending.matches_start(message.metadata):
            pending.run_ids.add(run.script_run_id)
            pending.open_run_id = run.script_run_id

    def _on_navigation(self, navigation: Navigation) -> None:
        """The pages and the current one: Streamlit 1.67 drives a pages/ folder through st.navigation too, so the
        page hashes a browser reruns with come from here, not from new_session."""
        self.page_script_hash = navigation.page_script_hash
        self.pages = {("" if page.is_default else page.url_pathname): page.page_script_hash
                      for page in navigation.app_pages}
        self._url_path = next(("" if page.is_default else page.url_pathname for page in navigation.app_pages
                               if page.page_script_hash == navigation.page_script_hash), self._url_path)

    def _on_delta(self, message: ForwardMsg) -> None:
        if message.delta.WhichOneof("type") != "new_element":
            return
        element = message.delta.new_element
        kind = element.WhichOneof("type")
        if kind == "exception":
            error = element.exception
            self._record_error(f"exception on the page: {error.type}: {error.message}")
        elif kind == "page_link":
            self._page_link_queries[element.page_link.page_script_hash] = element.page_link.query_string
        elif kind in SETTABLE_KINDS or kind in CLICKABLE_KINDS:
            proto = getattr(element, kind)
            known = self.widgets.get(proto.id)
            keeps_value = known is not None and known.kind == kind and not getattr(proto, "set_value", False)
            self.widgets[proto.id] = Widget(
                id=proto.id, kind=kind, label=proto.label, proto=proto, fragment_id=message.delta.fragment_id,
                script_hash=message.metadata.active_script_hash, run_id=self._run.run.script_run_id,
                value=known.value if keeps_value else _initial_value(kind, proto))

    def _on_script_finished(self, message: ForwardMsg) -> None:
        status = message.script_finished
        run_id = message.metadata.run.script_run_id
        fragment_ids = list(message.metadata.run.fragment_ids)
        if status != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
            self._cache.finish_run(self._max_cached_message_age, fragment_ids)
        if status in (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY):
            # Widgets this run could have drawn but did not are gone from the page (the frontend drops them too).
            self.widgets = {wid: w for wid, w in self.widgets.items()
                            if w.run_id == run_id or (fragment_ids and w.fragment_id not in fragment_ids)}
        elif status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
            self._record_error("the script did not compile")
        pending = self._pending
        if pending is None or run_id not in pending.run_ids:
            return  # a fragment's timer run
        pending.open_run_id = None
        if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
            return  # replaced by the next run (st.rerun, st.switch_page), which ends the interaction instead
        if pending.errors:
            pending.done.set_exception(SessionError("; ".join(pending.errors)))
        else:
            pending.done.set_result(time.perf_counter())

    def _start_auto_rerun(self, fragment_id: str, interval_s: float) -> None:
        if not fragment_id or (fragment_id in self._auto_reruns and self._auto_reruns[fragment_id][0] == interval_s):
            return
        self._stop_auto_reruns(fragment_id)
        task = asyncio.create_task(self._auto_rerun(fragment_id, interval_s), name=f"auto-rerun-{fragment_id}")
        self._auto_reruns[fragment_id] = (interval_s, task)

    async def _auto_rerun(self, fragment_id: str, interval_s: float) -> None:
        while True:
            await asyncio.sleep(interval_s)
            try:
                await self._send_rerun(fragment_id=fragment_id, is_auto_rerun=True)
            except ConnectionClosed:
                return  # the reader reports the lost connection

    def _stop_auto_reruns(self, fragment_id: str | None = None) -> None:
        for stopped in [fragment_id] if fragment_id else list(self._auto_reruns):
            if stopped in self._auto_reruns:
                self._auto_reruns.pop(stopped)[1].cancel()
