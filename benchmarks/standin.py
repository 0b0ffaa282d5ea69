"""A stand-in for the Tradable Bits API: fixed latency per call, calls counted per endpoint.

It runs in a child process (``python -m benchmarks.standin``: a threaded ``http.server``
on 127.0.0.1, on a free port) so that the CPU it spends answering is not counted as the
portal's, which is measured with ``time.process_time`` in the parent. HTTP/1.1 keep-alive
is supported, so a client that reuses connections is seen to do so (``connections``
counts the TCP connections opened).

Every call waits ``latency_ms`` before answering, like a distant API would. Paths are the
client's endpoint table (ENDPOINTS.md); an unknown path answers 404 and is reported. The
benchmark drives it through ``/__bench__/`` control paths, which are neither delayed nor
counted.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from benchmarks.dataset import Dataset

REPO = Path(__file__).resolve().parent.parent

CONTROL_PREFIX = "/__bench__/"
ENT = r"/api/v1/ent/businesses/(?P<business_id>\d+)"
FAN = r"(?P<fan_id>\d+)"


@dataclass(frozen=True)
class Route:
    """One endpoint: the client's name for it, its method and path, and its answer."""

    name: str
    method: str
    pattern: re.Pattern[str]
    answer: Callable[[Dataset, dict[str, str]], Any]
    needs_secret: bool = True


def _route(
    name: str,
    method: str,
    path: str,
    answer: Callable[[Dataset, dict[str, str]], Any],
    *,
    needs_secret: bool = True,
) -> Route:
    return Route(name, method, re.compile(path + r"/?"), answer, needs_secret)


def _fan(values: dict[str, str]) -> int:
    return int(values["fan_id"])


ROUTES: tuple[Route, ...] = (
    _route("status", "POST", r"/api/v1/status", lambda d, v: d.status(), needs_secret=False),
    _route(
        "businesses", "GET", r"/api/v1/businesses", lambda d, v: d.businesses(), needs_secret=False
    ),
    _route("point_types", "GET", r"/api/v1/crm/points", lambda d, v: d.point_types()),
    _route("point_tiers", "GET", r"/api/v1/crm/point_tiers/[\w-]+", lambda d, v: d.tiers()),
    _route(
        "fan_point_tier",
        "GET",
        rf"/api/v1/crm/fans/{FAN}/point_tier",
        lambda d, v: d.fan_tier(_fan(v)),
    ),
    _route("quests", "GET", rf"{ENT}/quests", lambda d, v: d.quest_list()),
    _route(
        "quest_completions",
        "GET",
        rf"{ENT}/quests/fans/{FAN}/complete",
        lambda d, v: d.completions(_fan(v)),
    ),
    _route("rewards", "GET", rf"{ENT}/rewards", lambda d, v: d.reward_list()),
    _route("fan_rewards", "GET", rf"{ENT}/fans/{FAN}/rewards", lambda d, v: d.fan_rewards(_fan(v))),
    _route(
        "crm_fan_points",
        "GET",
        rf"/api/v1/crm/fans/{FAN}/points",
        lambda d, v: d.fan_points(_fan(v)),
    ),
    _route("crm_fan", "GET", rf"/api/v1/crm/fans/{FAN}", lambda d, v: d.fan(_fan(v))),
    _route(
        "crm_fan_activity_create",
        "POST",
        rf"/api/v1/crm/fans/{FAN}/activities",
        lambda d, v: d.activity(_fan(v)),
    ),
    _route("performances", "GET", r"/api/v1/performances", lambda d, v: d.performances()),
    _route("crm_leaderboard", "GET", r"/api/v1/crm/leaderboard", lambda d, v: d.leaderboard()),
    _route("crm_fan_points_ledger", "GET", r"/api/v1/crm/fan_points", lambda d, v: []),
)


class _State:
    """What the server threads share: the data, the credentials and the counters."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.dataset = Dataset(quests=10, rewards=4)
        self.latency = 0.05
        self.api_key = ""
        self.api_secret = ""
        self.calls: Counter[str] = Counter()
        self.unknown: Counter[str] = Counter()
        self.rejected = 0
        self.connections = 0
        # (endpoint, started, ended) of every call since the reset, on this process's clock.
        self.timeline: list[tuple[str, float, float]] = []

    def configure(self, settings: dict[str, Any]) -> None:
        with self.lock:
            self.dataset = Dataset(quests=int(settings["quests"]), rewards=int(settings["rewards"]))
            self.latency = float(settings["latency_ms"]) / 1000
            self.api_key = str(settings["api_key"])
            self.api_secret = str(settings["api_secret"])
            _encoded.cache_clear()

    def reset(self) -> None:
        with self.lock:
            self.calls.clear()
            self.unknown.clear()
            self.rejected = 0
            self.connections = 0
            self.timeline.clear()

    def stats(self) -> dict[str, Any]:
        with self.lock:
            return {
                "calls": dict(self.calls),
                "unknown": dict(self.unknown),
                "rejected": self.rejected,
                "connections": self.connections,
                "timeline": list(self.timeline),
            }


_STATE = _State()


@lru_cache(maxsize=256)
def _encoded(route_name: str, key: tuple[tuple[str, str], ...]) -> bytes:
    # Catalogue answers are the same for every fan: serialise them once per dataset, so the
    # stand-in's own CPU stays small next to the latency it simulates.
    route = next(item for item in ROUTES if item.name == route_name)
    return json.dumps(route.answer(_STATE.dataset, dict(key)), separators=(",", ":")).encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "tbits-standin/1"
    # Headers and body are two writes: with Nagle's algorithm on, a kept-alive connection
    # would stall ~40 ms per answer on the client's delayed ACK, measured as API latency.
    disable_nagle_algorithm = True

    def setup(self) -> None:
        super().setup()
        with _STATE.lock:
            _STATE.connections += 1

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: a line per request would swamp the benchmark's output."""

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, payload: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _handle(self, method: str) -> None:
        parts = urlsplit(self.path)
        body = self._body()
        if parts.path.startswith(CONTROL_PREFIX):
            self._control(method, parts.path[len(CONTROL_PREFIX) :], body)
            return
        started = time.monotonic()
        time.sleep(_STATE.latency)
        params = dict(parse_qsl(parts.query))
        if body:
            params |= dict(parse_qsl(body.decode("utf-8", "replace")))
        for route in ROUTES:
            match = route.pattern.fullmatch(parts.path)
            if match is None or route.method != method:
                continue
            if not self._authorised(params, needs_secret=route.needs_secret):
                with _STATE.lock:
                    _STATE.rejected += 1
                self._send(401, b'{"error":"Invalid api_key or api_secret."}')
                return
            payload = _encoded(route.name, tuple(sorted(match.groupdict().items())))
            with _STATE.lock:
                _STATE.calls[route.name] += 1
                _STATE.timeline.append((route.name, started, time.monotonic()))
            self._send(200, payload)
            return
        with _STATE.lock:
            _STATE.unknown[f"{method} {parts.path}"] += 1
        self._send(404, b'{"error":"Not found."}')

    def _authorised(self, params: dict[str, str], *, needs_secret: bool) -> bool:
        key = self.headers.get("Api-Key") or params.get("api_key")
        secret = self.headers.get("Api-Secret") or params.get("api_secret")
        if key != _STATE.api_key:
            return False
        return not needs_secret or secret == _STATE.api_secret

    def _control(self, method: str, action: str, body: bytes) -> None:
        if action == "configure" and method == "POST":
            _STATE.configure(json.loads(body))
            self._send(200, b"{}")
        elif action == "reset" and method == "POST":
            _STATE.reset()
            self._send(200, b"{}")
        elif action == "stats" and method == "GET":
            self._send(200, json.dumps(_STATE.stats()).encode())
        else:
            self._send(404, b'{"error":"Unknown control action."}')


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # The portal opens several connections at once, the naive flow one per call.
    request_queue_size = 128


def serve() -> None:
    """Serve until killed; the first line on stdout is the port."""
    server = _Server(("127.0.0.1", 0), _Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever(poll_interval=0.2)


@dataclass(frozen=True)
class CallStats:
    """Calls the stand-in answered since the last reset."""

    calls: dict[str, int]
    unknown: dict[str, int]
    rejected: int
    connections: int
    timeline: tuple[tuple[str, float, float], ...] = ()

    @property
    def total(self) -> int:
        return sum(self.calls.values()) + sum(self.unknown.values()) + self.rejected

    @property
    def round_trips(self) -> int:
        """How many calls had to wait for one another: the longest chain of calls each
        starting after the previous one ended. Calls made at the same time count once.

        With a latency well above the time it takes to send a batch of calls, this counts
        the waves of calls a page made, whatever the machine's speed.
        """
        chain: list[tuple[float, int]] = []  # (ended, chain length up to that call)
        longest = 0
        for _name, started, ended in sorted(self.timeline, key=lambda call: call[2]):
            length = 1 + max((n for end, n in chain if end <= started), default=0)
            chain.append((ended, length))
            longest = max(longest, length)
        return longest


class StandIn:
    """Start, drive and stop the stand-in API process."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[str] | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> StandIn:
        """Start the server process and wait for its port."""
        self._process = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.standin"],
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line.strip().isdigit():
            self.stop()
            raise RuntimeError("The stand-in API did not start.")
        self.port = int(line)
        return self

    def stop(self) -> None:
        """Stop the server process (ours, by its handle)."""
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(5)
            if self._process.stdout is not None:
                self._process.stdout.close()
            self._process = None

    def _control(self, action: str, payload: dict[str, Any] | None = None) -> Any:
        data = json.dumps(payload).encode() if payload is not None else None
        request = urllib.request.Request(  # noqa: S310 - our own loopback server
            self.base_url + CONTROL_PREFIX.lstrip("/") + action,
            data=data,
            method="POST" if data is not None or action == "reset" else "GET",
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return json.loads(response.read())

    def configure(
        self, *, quests: int, rewards: int, latency_ms: float, api_key: str, api_secret: str
    ) -> None:
        """Serve a catalogue of this size, with this latency, to these credentials."""
        self._control(
            "configure",
            {
                "quests": quests,
                "rewards": rewards,
                "latency_ms": latency_ms,
                "api_key": api_key,
                "api_secret": api_secret,
            },
        )

    def reset(self) -> None:
        """Zero the counters."""
        self._control("reset", {})

    def stats(self) -> CallStats:
        """The counters since the last reset."""
        raw = self._control("stats")
        return CallStats(
            calls=dict(raw["calls"]),
            unknown=dict(raw["unknown"]),
            rejected=int(raw["rejected"]),
            connections=int(raw["connections"]),
            timeline=tuple((str(n), float(a), float(b)) for n, a, b in raw["timeline"]),
        )

    def __enter__(self) -> StandIn:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


if __name__ == "__main__":
    serve()
