"""Replayed sessions for ``cli.py loadtest``: a real browser's websocket messages, sent again.

On this 2-core machine, 20 headless Chromium sessions saturate the CPU by themselves (the
floor page, ``benchmarks/floor_app.py``, shows it), so an all-browser load test measures the
browsers more than the server. In a deployment each visitor's browser runs on the visitor's
machine and only the server is shared. To measure that, the load is also run as a mix: a few
real browser sessions, timed from the click to the map redrawn as everywhere else, while the
other sessions are plain websocket clients that send the server exactly what a browser sent.

The messages are recorded once from a real Chromium session (``record``): the frames it sent
from navigation until its map was drawn (the opening), then those of each action of the load
cycle (remove a type, pick it back, ...). Widget ids are the same in every session of the same
page, so a recorded ``rerun_script`` message is valid in a new session: the server sees a
session asking for the same reruns, with the same widget states, as a browser would. Heartbeats
are not replayed. A replayed action is timed from sending its first message to the server's
``script_finished`` of the rerun it asked for (the server's part of a redraw).
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field
from typing import Any

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

FINISHED = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_SUCCESSFULLY")
FAILED = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_WITH_COMPILE_ERROR")
SKIPPED = frozenset({"app_heartbeat"})


@dataclass
class Recording:
    """The frames one browser session sent: at opening, and for each action of the cycle."""

    opening: list[bytes] = field(default_factory=list)
    actions: list[list[bytes]] = field(default_factory=list)


def kind(frame: bytes) -> str | None:
    """The BackMsg's kind (``rerun_script``, ``app_heartbeat``, ...), None if not one."""
    try:
        which: str | None = BackMsg.FromString(frame).WhichOneof("type")
    except Exception:
        return None
    return which


def replayable(frames: list[Any]) -> list[bytes]:
    """The binary BackMsg frames worth sending again (heartbeats left out)."""
    out = []
    for frame in frames:
        if isinstance(frame, bytes | bytearray) and kind(bytes(frame)) not in (None, *SKIPPED):
            out.append(bytes(frame))
    return out


def finish_status(message: bytes) -> int | None:
    """The ``script_finished`` status a ForwardMsg carries, None for any other message."""
    try:
        msg = ForwardMsg.FromString(message)
    except Exception:
        return None
    return msg.script_finished if msg.WhichOneof("type") == "script_finished" else None


async def wait_finished(ws: Any, timeout_s: float) -> bool:
    """Read until the server reports a script run finished successfully (a run stopped early
    for a newer rerun is not the end); False on a compile error or the timeout."""
    deadline = time.monotonic() + timeout_s
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        try:
            message = await asyncio.wait_for(ws.recv(), timeout=left)
        except TimeoutError:
            return False
        if isinstance(message, str):
            continue
        status = finish_status(message)
        if status == FINISHED:
            return True
        if status == FAILED:
            return False


async def replayed_session(
    url: str,
    recording: Recording,
    name: str,
    seconds: float,
    think: tuple[float, float],
    rng: random.Random,
    timeout_s: float = 60.0,
) -> dict[str, Any]:
    """One replayed session: open (the recorded opening), then for ``seconds`` send the
    recorded actions in turn with ``think`` seconds between them; the server's time for each
    and every error."""
    import websockets
    from websockets.typing import Subprotocol

    ws_url = url.replace("http://", "ws://", 1) + "/_stcore/stream"
    times: list[float] = []
    errors: list[str] = []
    try:
        async with websockets.connect(
            ws_url, subprotocols=[Subprotocol("streamlit")], max_size=None, compression="deflate"
        ) as ws:
            for frame in recording.opening:
                await ws.send(frame)
            if not await wait_finished(ws, timeout_s * 3):
                errors.append(f"{name}: the opening run did not finish")
                return {"server_s": times, "errors": errors}
            until = time.monotonic() + seconds
            step = 0
            while True:
                await asyncio.sleep(rng.uniform(*think))
                if time.monotonic() >= until:
                    break
                frames = recording.actions[step % len(recording.actions)]
                step += 1
                start = time.monotonic()
                for frame in frames:
                    await ws.send(frame)
                if await wait_finished(ws, timeout_s):
                    times.append(time.monotonic() - start)
                else:
                    errors.append(f"{name}: action {step} did not finish within {timeout_s} s")
    except Exception as exc:  # a refused or dropped connection: an error, not a crash
        errors.append(f"{name}: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
    return {"server_s": times, "errors": errors}
