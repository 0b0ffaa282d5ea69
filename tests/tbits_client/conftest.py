"""Fixtures for the client's tests: a client on a fake base URL, and a real local server.

Most tests use ``responses`` (no socket). Timeouts, concurrency and urllib3's own logging
need real sockets, so ``local_api`` runs a tiny threaded HTTP server on 127.0.0.1 whose
answers each test scripts.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import responses

from tbits_client import TbitsClient

BASE_URL = "https://api.test/prefix/"
API_KEY = "test-api-key-123"
API_SECRET = "sandbox-api-secret-TEST-7f3a9c"


def build_client(**overrides: Any) -> TbitsClient:
    options: dict[str, Any] = {
        "base_url": BASE_URL,
        "api_key": API_KEY,
        "api_secret": API_SECRET,
    }
    options.update(overrides)
    client = TbitsClient(**options)
    # Backoff is tested through the recorded delays, not by waiting them out.
    client.slept = []  # type: ignore[attr-defined]
    client._requestor.sleep = client.slept.append
    return client


@dataclass
class FakeClock:
    """A time source a test moves by hand, passed where the code would read the real one.

    Callable like ``time.time``/``time.monotonic``; ``sleep`` advances it instantly.
    """

    now: float = 1_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    def sleep(self, seconds: float) -> None:
        self.advance(seconds)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def client() -> Iterator[TbitsClient]:
    instance = build_client()
    yield instance
    instance.close()


@pytest.fixture
def mocked() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    form: dict[str, list[str]]
    headers: dict[str, str]


Handler = Callable[[Recorded], tuple[int, dict[str, str], Any]]


@dataclass
class LocalApi:
    """A scripted HTTP server: ``route(method, path, handler)``; records every request."""

    base_url: str
    routes: dict[tuple[str, str], Handler] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    connections: set[int] = field(default_factory=set)

    def route(self, method: str, path: str, handler: Handler) -> None:
        self.routes[(method, path)] = handler

    def json(
        self,
        method: str,
        path: str,
        payload: Any,
        *,
        status: int = 200,
        delay: float = 0.0,
        headers: dict[str, str] | None = None,
    ) -> None:
        def handler(_: Recorded) -> tuple[int, dict[str, str], Any]:
            if delay:
                time.sleep(delay)
            return status, headers or {}, payload

        self.route(method, path, handler)


@pytest.fixture
def local_api() -> Iterator[LocalApi]:
    api: LocalApi

    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def _handle(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode() if length else ""
            recorded = Recorded(
                method=self.command,
                path=parts.path,
                query=parse_qs(parts.query, keep_blank_values=True),
                form=parse_qs(raw, keep_blank_values=True),
                headers={key.lower(): value for key, value in self.headers.items()},
            )
            with api.lock:
                api.requests.append(recorded)
                api.connections.add(self.client_address[1])
            handler = api.routes.get((self.command, parts.path))
            if handler is None:
                status, headers, payload = 404, {}, {"error": "no such route"}
            else:
                status, headers, payload = handler(recorded)
            body = payload.encode() if isinstance(payload, str) else json.dumps(payload).encode()
            try:
                self.send_response(status)
                content_type = "text/plain" if isinstance(payload, str) else "application/json"
                self.send_header("Content-Type", content_type)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test): nothing to answer

        do_GET = do_POST = do_DELETE = _handle

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    host, port = server.server_address[:2]
    api = LocalApi(base_url=f"http://{host}:{port}/sandbox/")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()
