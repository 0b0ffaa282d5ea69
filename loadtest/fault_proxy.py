"""An HTTP proxy that sits between the portal and the API and misbehaves on request.

Every fault the Tradable Bits API (or the network to it) can produce, on real sockets, so
the portal's client sees exactly what it would see in production: a read timeout is an
answer that arrives too late, a dropped connection is a socket closed without a word, and
the rest are real HTTP answers. Paths no rule matches are forwarded to the upstream
unchanged. Loopback only: it binds 127.0.0.1 and forwards to a loopback upstream.
"""

from __future__ import annotations

import enum
import http.client
import json
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

__all__ = ["Fault", "FaultProxy", "FaultRule"]

# Headers that describe one hop, not the message: never forwarded either way.
_HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailers",
        "transfer-encoding",
        "upgrade",
        "content-length",
        "host",
    }
)


class Fault(enum.StrEnum):
    """What the proxy answers instead of the API."""

    READ_TIMEOUT = "read_timeout"  # the answer comes after the client stopped waiting
    LATE_ANSWER = "late_answer"  # the API does the work, but answers too late
    DROPPED = "dropped"  # the connection is closed without an answer
    SERVER_ERROR = "500"
    UNAVAILABLE = "503"
    RATE_LIMITED = "429"  # with Retry-After
    UNAUTHORIZED = "401"
    BAD_REQUEST = "400"  # with a message in the documented error shape
    NOT_JSON = "not_json"  # 200 with an HTML body
    WRONG_SHAPE = "wrong_shape"  # 200 with JSON of the wrong shape


#: Seconds a ``RATE_LIMITED`` answer asks the client to wait.
RETRY_AFTER_SECONDS = 17
#: The message a ``BAD_REQUEST`` answer carries.
BAD_REQUEST_MESSAGE = "Injected: the API refused these parameters."


@dataclass(frozen=True)
class FaultRule:
    """Answer requests whose path matches ``pattern`` (and ``method``, when set) with ``fault``."""

    pattern: re.Pattern[str]
    fault: Fault
    method: str | None = None

    def matches(self, method: str, path: str) -> bool:
        return (self.method is None or self.method == method) and bool(self.pattern.search(path))


@dataclass(frozen=True)
class Call:
    """One request the proxy saw, and what it did with it."""

    method: str
    path: str
    fault: Fault | None


class FaultProxy:
    """A threaded loopback proxy to ``upstream`` (``http://127.0.0.1:port``) with fault rules.

    ``timeout_delay`` is how long a ``READ_TIMEOUT`` answer is held back; make it longer than
    the client's read timeout. Rules and the call log are thread-safe.
    """

    def __init__(self, upstream: str, *, timeout_delay: float = 1.0) -> None:
        parts = urlsplit(upstream)
        if parts.hostname not in {"127.0.0.1", "localhost", "::1"}:
            raise ValueError("the fault proxy only forwards to a loopback upstream")
        self.upstream_host = parts.hostname
        self.upstream_port = parts.port or 80
        self.timeout_delay = timeout_delay
        self._rules: tuple[FaultRule, ...] = ()
        self._rewrites: tuple[tuple[re.Pattern[str], Callable[[Any], Any]], ...] = ()
        self._calls: list[Call] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------------

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """The proxy's root URL, to use in place of the upstream's."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FaultProxy:
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="fault-proxy", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- rules and the call log ----------------------------------------------------------

    def set_faults(self, *rules: tuple[str, Fault] | tuple[str, Fault, str]) -> None:
        """Replace the rules: ``(path_regex, fault)`` or ``(path_regex, fault, method)``."""
        parsed = tuple(
            FaultRule(re.compile(rule[0]), Fault(rule[1]), rule[2] if len(rule) > 2 else None)
            for rule in rules
        )
        with self._lock:
            self._rules = parsed

    def set_rewrites(self, *rewrites: tuple[str, Callable[[Any], Any]]) -> None:
        """Replace the rewrites: the JSON answer of a matching path goes through ``edit``.

        For hostile data the upstream cannot hold (a ``javascript:`` image URL, markup in a
        field it computes): the real answer, changed in flight.
        """
        parsed = tuple((re.compile(pattern), edit) for pattern, edit in rewrites)
        with self._lock:
            self._rewrites = parsed

    def rewrite_for(self, path: str) -> Callable[[Any], Any] | None:
        with self._lock:
            rewrites = self._rewrites
        return next((edit for pattern, edit in rewrites if pattern.search(path)), None)

    def heal(self) -> None:
        """Forward everything again, unchanged."""
        self.set_faults()
        self.set_rewrites()

    @contextmanager
    def faults(self, *rules: tuple[str, Fault] | tuple[str, Fault, str]) -> Iterator[None]:
        """The rules for the duration of a ``with`` block."""
        self.set_faults(*rules)
        try:
            yield
        finally:
            self.heal()

    def rule_for(self, method: str, path: str) -> FaultRule | None:
        with self._lock:
            rules = self._rules
        return next((rule for rule in rules if rule.matches(method, path)), None)

    def record(self, call: Call) -> None:
        with self._lock:
            self._calls.append(call)

    def calls(self) -> list[Call]:
        """Every request seen since the last :meth:`forget_calls`."""
        with self._lock:
            return list(self._calls)

    def forget_calls(self) -> None:
        with self._lock:
            self._calls.clear()


def _handler_for(proxy: FaultProxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            # The request line carries session ids; the proxy keeps its own log in memory.
            pass

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            path = urlsplit(self.path).path
            rule = proxy.rule_for(self.command, path)
            proxy.record(Call(self.command, path, rule.fault if rule else None))
            if rule is None:
                self._forward(body)
            elif rule.fault is Fault.LATE_ANSWER:
                self._forward(body, delay=proxy.timeout_delay)
            else:
                self._misbehave(rule.fault)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _handle

        def _forward(self, body: bytes, *, delay: float = 0.0) -> None:
            upstream = http.client.HTTPConnection(
                proxy.upstream_host, proxy.upstream_port, timeout=60
            )
            edit = proxy.rewrite_for(urlsplit(self.path).path)
            # A rewrite reads the JSON, so it asks for it uncompressed (the portal gzips its
            # answers, the sandbox's included, for clients that accept it).
            dropped = _HOP_BY_HOP | {"accept-encoding"} if edit is not None else _HOP_BY_HOP
            headers = {
                name: value for name, value in self.headers.items() if name.lower() not in dropped
            }
            headers["Host"] = f"{proxy.upstream_host}:{proxy.upstream_port}"
            try:
                upstream.request(self.command, self.path, body=body or None, headers=headers)
                answer = upstream.getresponse()
                payload = answer.read()
                if edit is not None and answer.status == 200:
                    payload = json.dumps(edit(json.loads(payload))).encode()
                if delay:
                    time.sleep(delay)
                    self.close_connection = True
                pairs = [
                    (name, value)
                    for name, value in answer.getheaders()
                    if name.lower() not in _HOP_BY_HOP
                ]
                self._answer(answer.status, pairs, payload)
            finally:
                upstream.close()

        def _misbehave(self, fault: Fault) -> None:
            if fault is Fault.DROPPED:
                self.close_connection = True
                with suppress(OSError):
                    self.connection.shutdown(socket.SHUT_RDWR)
                return
            if fault is Fault.READ_TIMEOUT:
                time.sleep(proxy.timeout_delay)
                self.close_connection = True
                self._json(503, {"error": "Injected: this answer came too late."})
                return
            if fault is Fault.NOT_JSON:
                html = b"<html><body><h1>Bad gateway</h1></body></html>"
                self._answer(200, [("Content-Type", "text/html")], html)
                return
            if fault is Fault.WRONG_SHAPE:
                # A scalar where every endpoint answers an object or a list.
                self._json(200, "unexpected")
                return
            status = int(fault.value)
            headers = []
            if fault is Fault.RATE_LIMITED:
                headers.append(("Retry-After", str(RETRY_AFTER_SECONDS)))
            message = BAD_REQUEST_MESSAGE if fault is Fault.BAD_REQUEST else f"Injected {status}"
            self._json(status, {"error": message}, headers)

        def _json(
            self, status: int, payload: object, headers: list[tuple[str, str]] | None = None
        ) -> None:
            body = json.dumps(payload).encode()
            self._answer(status, [("Content-Type", "application/json"), *(headers or [])], body)

        def _answer(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
            try:
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                # The client gave up first (it timed out): nothing left to do.
                self.close_connection = True

    return Handler
