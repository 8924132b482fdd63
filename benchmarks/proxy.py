"""A TCP proxy that counts the bytes between the browser and the server, as on the wire.

browser -> proxy port -> server port. Every connection is counted in both directions;
a connection whose first request asks to upgrade to a websocket (Streamlit's
/_stcore/stream) is counted as websocket, every other one as HTTP. What Chromium's devtools
report leaves out websocket framing and compression; a proxy sees the real bytes.
Runs its own asyncio loop in a daemon thread so Playwright's sync API can drive the browser.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from dataclasses import dataclass

HEADER_LIMIT = 64 * 1024  # a request's headers are classified within this many bytes


@dataclass(frozen=True)
class Counts:
    """Bytes so far: ``down`` = server -> browser, ``up`` = browser -> server."""

    http_down: int = 0
    http_up: int = 0
    ws_down: int = 0
    ws_up: int = 0

    @property
    def down(self) -> int:
        return self.http_down + self.ws_down

    @property
    def up(self) -> int:
        return self.http_up + self.ws_up

    def __sub__(self, other: Counts) -> Counts:
        return Counts(
            self.http_down - other.http_down,
            self.http_up - other.http_up,
            self.ws_down - other.ws_down,
            self.ws_up - other.ws_up,
        )

    def as_dict(self) -> dict[str, int]:
        return {
            "http_down": self.http_down,
            "http_up": self.http_up,
            "ws_down": self.ws_down,
            "ws_up": self.ws_up,
            "down": self.down,
            "up": self.up,
        }


def is_websocket_request(head: bytes) -> bool | None:
    """True/False once ``head`` holds a whole request head (or too much to be one); None while
    more bytes are needed."""
    if b"\r\n\r\n" not in head and len(head) < HEADER_LIMIT:
        return None
    lines = head.split(b"\r\n\r\n", 1)[0].lower().split(b"\r\n")
    headers = dict(line.split(b":", 1) for line in lines[1:] if b":" in line)
    return headers.get(b"upgrade", b"").strip() == b"websocket"


class CountingProxy:
    """Listen on a free local port and forward to ``target_port``; :meth:`counts` any time."""

    def __init__(self, target_port: int, host: str = "127.0.0.1") -> None:
        self.target = (host, target_port)
        self.host = host
        self.port = 0
        self._lock = threading.Lock()
        self._totals = {"http_down": 0, "http_up": 0, "ws_down": 0, "ws_up": 0}
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.base_events.Server | None = None

    def counts(self) -> Counts:
        with self._lock:
            return Counts(**self._totals)

    def _add(self, key: str, n: int) -> None:
        with self._lock:
            self._totals[key] += n

    def start(self) -> int:
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(self._listen(), self._loop)
        self.port = future.result(timeout=10)
        return self.port

    def stop(self) -> None:
        async def close() -> None:
            if self._server is not None:
                self._server.close()
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        if self._thread.is_alive():
            asyncio.run_coroutine_threadsafe(close(), self._loop).result(timeout=10)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)

    def __enter__(self) -> CountingProxy:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def _listen(self) -> int:
        self._server = await asyncio.start_server(self._handle, self.host, 0)
        return int(self._server.sockets[0].getsockname()[1])

    async def _handle(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        try:
            server_r, server_w = await asyncio.open_connection(*self.target)
        except OSError:
            client_w.close()
            return
        kind: list[str] = []  # "http" or "ws" once the first request head is read
        head = bytearray()
        pending_up = 0  # bytes sent up before the connection was classified
        pending_down = 0

        async def pump(
            reader: asyncio.StreamReader, writer: asyncio.StreamWriter, up: bool
        ) -> None:
            nonlocal pending_up, pending_down
            try:
                while data := await reader.read(65536):
                    if not kind:
                        if up:
                            head.extend(data)
                            ws = is_websocket_request(bytes(head))
                            if ws is not None:
                                kind.append("ws" if ws else "http")
                        if not kind:
                            if up:
                                pending_up += len(data)
                            else:
                                pending_down += len(data)
                        else:
                            self._add(f"{kind[0]}_up", pending_up + (len(data) if up else 0))
                            self._add(f"{kind[0]}_down", pending_down + (0 if up else len(data)))
                            pending_up = pending_down = 0
                    else:
                        self._add(f"{kind[0]}_{'up' if up else 'down'}", len(data))
                    writer.write(data)
                    await writer.drain()
            except (OSError, asyncio.IncompleteReadError):
                pass
            finally:
                with contextlib.suppress(Exception):
                    writer.close()

        try:
            await asyncio.gather(pump(client_r, server_w, True), pump(server_r, client_w, False))
        except asyncio.CancelledError:  # the proxy is stopping
            pass
        finally:
            if not kind and (pending_up or pending_down):  # closed before a whole head
                self._add("http_up", pending_up)
                self._add("http_down", pending_down)
