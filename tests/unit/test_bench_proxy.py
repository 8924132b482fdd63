"""The benchmark's counting proxy: bytes each way, HTTP and websocket connections apart."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from benchmarks.proxy import CountingProxy, Counts, is_websocket_request

REPLY = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"


@pytest.fixture
def upstream() -> Iterator[int]:
    """A server that reads one chunk and answers REPLY, then for an upgrade echoes frames."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen()

    def serve() -> None:
        while True:
            try:
                conn, _ = srv.accept()
            except OSError:
                return
            with conn:
                data = conn.recv(65536)
                conn.sendall(REPLY)
                if b"websocket" in data.lower():
                    while chunk := conn.recv(65536):
                        conn.sendall(chunk * 2)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield int(srv.getsockname()[1])
    srv.close()


def _exchange(port: int, request: bytes, then: bytes = b"") -> bytes:
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(request)
        got = b""
        while len(got) < len(REPLY):
            got += s.recv(65536)
        if then:
            s.sendall(then)
            want = len(REPLY) + 2 * len(then)
            while len(got) < want:
                got += s.recv(65536)
        return got


def _wait_for(proxy: CountingProxy, ok: object) -> Counts:
    import time

    for _ in range(100):
        counts = proxy.counts()
        if callable(ok) and ok(counts):
            return counts
        time.sleep(0.02)
    return proxy.counts()


def test_http_and_websocket_bytes_are_counted_apart(upstream: int) -> None:
    get = b"GET /static/app.js HTTP/1.1\r\nHost: x\r\n\r\n"
    upgrade = (
        b"GET /_stcore/stream HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\n"
        b"Upgrade: websocket\r\n\r\n"
    )
    with CountingProxy(upstream) as proxy:
        assert _exchange(proxy.port, get) == REPLY  # forwarded unchanged
        counts = _wait_for(proxy, lambda c: c.http_down == len(REPLY))
        assert (counts.http_up, counts.http_down) == (len(get), len(REPLY))
        assert (counts.ws_up, counts.ws_down) == (0, 0)
        before = proxy.counts()
        _exchange(proxy.port, upgrade, then=b"frame")
        delta = _wait_for(proxy, lambda c: c.ws_down == len(REPLY) + 10) - before
    assert delta.ws_up == len(upgrade) + 5
    assert delta.ws_down == len(REPLY) + 10  # the upgrade's answer, then the doubled frame
    assert delta.http_up == delta.http_down == 0
    assert delta.down == delta.ws_down and delta.as_dict()["up"] == delta.ws_up


def test_a_request_head_is_classified_once_whole() -> None:
    assert is_websocket_request(b"GET / HTTP/1.1\r\nHost: x") is None
    assert is_websocket_request(b"GET / HTTP/1.1\r\nUpgrade: WebSocket\r\n\r\n") is True
    assert is_websocket_request(b"GET / HTTP/1.1\r\nHost: x\r\n\r\nupgrade: websocket") is False


def test_counts_subtract() -> None:
    assert Counts(5, 4, 3, 2) - Counts(1, 1, 1, 1) == Counts(4, 3, 2, 1)
