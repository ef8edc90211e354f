"""The headless session client's reading of Streamlit's messages, fed by hand-made ForwardMsgs (no server)."""

from __future__ import annotations

import asyncio

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetStates

from bench.session_client import LostRunError, SessionError, StreamlitSession, run_to_completion

PAGE = "page-hash"


def _new_session(run_id: str, fragment_ids: tuple[str, ...] = ()) -> bytes:
    message = ForwardMsg()
    message.new_session.main_script_hash = "main-hash"
    message.new_session.config.max_cached_message_age = 2
    message.metadata.run.script_run_id = run_id
    message.metadata.run.fragment_ids.extend(fragment_ids)
    return message.SerializeToString()


def _finished(run_id: str, status: int = ForwardMsg.FINISHED_SUCCESSFULLY, fragment_ids: tuple[str, ...] = ()) -> bytes:
    message = ForwardMsg(script_finished=status)
    message.metadata.run.script_run_id = run_id
    message.metadata.run.fragment_ids.extend(fragment_ids)
    return message.SerializeToString()


def _element(fill, *, cacheable: bool = False, message_hash: str = "") -> bytes:
    message = ForwardMsg(hash=message_hash)
    message.metadata.active_script_hash = PAGE
    message.metadata.cacheable = cacheable
    fill(message.delta.new_element)
    return message.SerializeToString()


def _selectbox(element) -> None:
    element.selectbox.id = "period-id"
    element.selectbox.label = "Periode"
    element.selectbox.options.extend(["Oktober 2024", "September 2024"])
    element.selectbox.default = 0


def _slider(element) -> None:
    element.slider.id = "share-id"
    element.slider.label = "Porsi"
    element.slider.min, element.slider.max = 0, 100
    element.slider.default.append(50)


class _Recorder:
    """Stands in for the websocket: keeps what the client sends."""

    def __init__(self) -> None:
        self.sent: list[bytes] = []

    async def send(self, payload: bytes) -> None:
        self.sent.append(payload)


def _session() -> tuple[StreamlitSession, _Recorder]:
    session = StreamlitSession("http://127.0.0.1:1", timeout_s=1)
    recorder = _Recorder()
    session._websocket = recorder
    return session, recorder


def _sent_widget_states(payload: bytes) -> WidgetStates:
    return BackMsg.FromString(payload).rerun_script.widget_states


def test_widgets_carry_their_default_and_every_rerun_sends_all_of_them() -> None:
    async def scenario() -> WidgetStates:
        session, recorder = _session()
        for frame in (_new_session("run-1"), _element(_selectbox), _element(_slider), _finished("run-1")):
            session._receive(frame)
        assert session.widget("Periode").value == "Oktober 2024"
        assert session.widget("Porsi").value == [50.0]
        change = asyncio.create_task(session.set_widget("Periode", "September 2024"))
        await asyncio.sleep(0)
        for frame in (_new_session("run-2"), _element(_selectbox), _element(_slider), _finished("run-2")):
            session._receive(frame)
        await change
        return _sent_widget_states(recorder.sent[-1])

    states = {state.id: state for state in run_to_completion(scenario()).widgets}
    assert states["period-id"].string_value == "September 2024"
    assert list(states["share-id"].double_array_value.data) == [50.0]


def test_a_value_the_widget_does_not_offer_is_refused() -> None:
    session, _ = _session()
    session._receive(_element(_selectbox))
    with pytest.raises(ValueError, match="not options"):
        run_to_completion(session.set_widget("Periode", "Desember 2030"))


def test_an_exception_element_fails_the_interaction_when_its_run_ends() -> None:
    def exception(element) -> None:
        element.exception.type = "ValueError"
        element.exception.message = "rusak"

    async def scenario() -> None:
        session, _ = _session()
        change = asyncio.create_task(session._rerun(page_script_hash=""))
        await asyncio.sleep(0)
        for frame in (_new_session("run-1"), _element(exception), _finished("run-1")):
            session._receive(frame)
        with pytest.raises(SessionError, match="ValueError: rusak"):
            await change

    run_to_completion(scenario())


def test_a_fragment_timer_run_does_not_end_the_interaction_and_a_dropped_end_is_reported() -> None:
    async def scenario() -> StreamlitSession:
        session, _ = _session()
        change = asyncio.create_task(session._rerun(page_script_hash=""))
        await asyncio.sleep(0)
        session._receive(_new_session("fragment-run", ("fragment",)))
        session._receive(_finished("fragment-run", ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY, ("fragment",)))
        assert not change.done()
        session._receive(_new_session("full-run"))
        session._receive(_new_session("next-fragment-run", ("fragment",)))
        with pytest.raises(LostRunError, match="full-run"):
            await change
        return session

    session = run_to_completion(scenario())
    assert session.errors == [] and len(session.lost_runs) == 1


def test_a_reference_is_answered_from_the_cache_the_client_announced() -> None:
    async def scenario() -> tuple[StreamlitSession, _Recorder]:
        session, recorder = _session()
        session._receive(_new_session("run-1"))
        session._receive(_element(_selectbox, cacheable=True, message_hash="big"))
        session._receive(_finished("run-1"))
        del session.widgets["period-id"]
        reference = ForwardMsg(ref_hash="big")
        reference.metadata.active_script_hash = PAGE
        change = asyncio.create_task(session._rerun(page_script_hash=""))
        await asyncio.sleep(0)
        for frame in (_new_session("run-2"), reference.SerializeToString(), _finished("run-2")):
            session._receive(frame)
        await change
        return session, recorder

    session, recorder = run_to_completion(scenario())
    assert list(BackMsg.FromString(recorder.sent[-1]).rerun_script.cached_message_hashes) == ["big"]
    assert session.widget("Periode").options == ["Oktober 2024", "September 2024"]
