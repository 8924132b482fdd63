"""The load test's replayed sessions: which frames are replayed, when a rerun has finished."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from benchmarks.replay import FINISHED, finish_status, kind, replayable, wait_finished


def _rerun(query: str) -> bytes:
    msg = BackMsg()
    msg.rerun_script.query_string = query
    return bytes(msg.SerializeToString())


def _heartbeat() -> bytes:
    msg = BackMsg()
    msg.app_heartbeat = True
    return bytes(msg.SerializeToString())


def _finished(status: str) -> bytes:
    msg = ForwardMsg()
    msg.script_finished = ForwardMsg.ScriptFinishedStatus.Value(status)
    return bytes(msg.SerializeToString())


def _delta() -> bytes:
    msg = ForwardMsg()
    msg.delta.new_element.markdown.body = "x"
    return bytes(msg.SerializeToString())


def test_reruns_are_replayed_heartbeats_and_text_are_not() -> None:
    frames = [_rerun("a=1"), _heartbeat(), "text frame", bytearray(_rerun("b=2"))]
    out = replayable(frames)
    assert [BackMsg.FromString(f).rerun_script.query_string for f in out] == ["a=1", "b=2"]
    assert kind(_heartbeat()) == "app_heartbeat" and kind(_rerun("")) == "rerun_script"


def test_finish_status_reads_only_script_finished() -> None:
    assert finish_status(_finished("FINISHED_SUCCESSFULLY")) == FINISHED
    assert finish_status(_delta()) is None


class FakeSocket:
    def __init__(self, messages: list[bytes | str]) -> None:
        self.messages = list(messages)

    async def recv(self) -> bytes | str:
        if not self.messages:
            await asyncio.sleep(10)
        return self.messages.pop(0)


def _run(coro: Any) -> Any:
    """``asyncio.run`` in a thread of its own: in the full suite, the browser tests' sync
    Playwright keeps an event loop running in the main thread."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def test_a_run_stopped_for_a_newer_rerun_is_not_the_end() -> None:
    early = _finished("FINISHED_EARLY_FOR_RERUN")
    done = _finished("FINISHED_SUCCESSFULLY")
    ws = FakeSocket([_delta(), early, "hello", _delta(), done])
    assert _run(wait_finished(ws, 2)) is True
    assert ws.messages == []  # it read up to the successful finish, not before
    assert _run(wait_finished(FakeSocket([_delta(), early]), 0.3)) is False  # timeout
    failed = FakeSocket([_finished("FINISHED_WITH_COMPILE_ERROR"), done])
    assert _run(wait_finished(failed, 2)) is False
