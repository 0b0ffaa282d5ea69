"""Virtual fans: each logs in through the real forms, then browses and completes quests.

A fan is a thread with one keep-alive connection, its cookies and the CSRF token of the
last form it saw, so the portal sees what a browser sends (``Host``, ``Origin``, the
proxy's ``X-Forwarded-Proto``). Every request is recorded with its page, status and
latency; :class:`Report` turns them into throughput, percentiles and errors by status.
The run is bounded twice: by a deadline and by a total number of requests.
"""

from __future__ import annotations

import http.client
import json
import random
import re
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode, urlsplit

from loadtest.stack import PUBLIC_HOST

#: What a fan does between logins, and how often (weights).
ACTIONS: dict[str, int] = {
    "dashboard": 25,
    "quests": 25,
    "wallet": 15,
    "leaderboard": 10,
    "history": 10,
    "profile": 5,
    "complete": 10,
}
PAGES = {
    "dashboard": "/portal/",
    "quests": "/portal/quests/",
    "wallet": "/portal/rewards/",
    "leaderboard": "/portal/leaderboard/",
    "history": "/portal/history/",
    "profile": "/accounts/profile/",
}
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_COMPLETE = re.compile(r'action="(/portal/quests/\d+/complete/)"')
#: A status the client could not get: the connection failed or timed out.
NO_ANSWER = "no answer"


@dataclass(frozen=True)
class Sample:
    """One request: which page, its status, how long it took, and when it started."""

    page: str
    status: int | str
    seconds: float
    started: float


class Budget:
    """The run's two bounds: a deadline and a number of requests, shared by every fan."""

    def __init__(self, *, seconds: float, requests: int) -> None:
        self.deadline = time.monotonic() + seconds
        self.left = requests
        self._lock = threading.Lock()

    def take(self) -> bool:
        """Whether one more request may be made (and count it)."""
        with self._lock:
            if self.left <= 0 or time.monotonic() >= self.deadline:
                return False
            self.left -= 1
            return True


class LoggedOut(Exception):
    """The portal sent the fan to the login page."""


class Browser:
    """One fan's browser against the portal on a loopback port."""

    def __init__(
        self,
        port: int,
        *,
        record: Callable[[Sample], None],
        timeout: float = 60,
        host: str = PUBLIC_HOST,
        secure: bool = True,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.port = port
        #: Sent with every request, as a browser sends ``Accept-Encoding`` (a page the
        #: portal gzips costs what it costs a real browser's visit).
        self.headers = dict(headers or {})
        self.record = record
        self.timeout = timeout
        self.host = host
        self.secure = secure
        self.cookies: dict[str, str] = {}
        self.token = ""
        self.connection: http.client.HTTPConnection | None = None
        #: Every header of the last answer, for tests that check them.
        self.last_headers: list[tuple[str, str]] = []

    def _connect(self) -> http.client.HTTPConnection:
        if self.connection is None:
            self.connection = http.client.HTTPConnection(
                "127.0.0.1", self.port, timeout=self.timeout
            )
        return self.connection

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def request(
        self, page: str, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int | str, str, str]:
        """Send one request; ``(status, Location, body)``. Recorded whatever happens."""
        scheme = "https" if self.secure else "http"
        headers = {"Host": self.host, "User-Agent": "tbits-loadtest", **self.headers}
        if self.secure:
            # What the TLS proxy in front of the portal adds.
            headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if method == "POST":
            body = urlencode({**(form or {}), "csrfmiddlewaretoken": self.token})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"{scheme}://{self.host}"
            headers["Referer"] = f"{scheme}://{self.host}{path}"
        started = time.monotonic()
        try:
            connection = self._connect()
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            text = answer.read().decode(errors="replace")
        except (OSError, http.client.HTTPException):
            self.close()
            self.record(Sample(page, NO_ANSWER, time.monotonic() - started, started))
            return NO_ANSWER, "", ""
        self.record(Sample(page, answer.status, time.monotonic() - started, started))
        self.last_headers = list(answer.getheaders())
        self._remember(answer.headers.get_all("Set-Cookie") or [])
        if answer.getheader("Connection", "").lower() == "close":
            self.close()
        token = _TOKEN.search(text)
        if token:
            self.token = token.group(1)
        return answer.status, answer.getheader("Location") or "", text

    def _remember(self, headers: list[str]) -> None:
        for header in headers:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value


@dataclass
class Fan:
    """A virtual fan: its own email, its browser, the run's budget."""

    number: int
    browser: Browser
    budget: Budget
    read_code: Callable[[str], str | None]
    think: float
    rng: random.Random
    email: str = ""
    quests_page: str = ""
    logins: int = 0
    login_failures: int = 0
    #: Times the portal sent this fan, logged in, back to the login page.
    sessions_lost: int = 0

    def run(self) -> None:
        try:
            while not self._spent():
                if not self.logged_in():
                    self._log_in_or_wait()
                    continue
                try:
                    self._act()
                except LoggedOut:
                    self.sessions_lost += 1
                    self.browser.cookies.pop(_session_cookie(self.browser.cookies) or "", None)
                except TimeoutError:
                    return
                if self.think:
                    time.sleep(self.rng.uniform(0, self.think))
        finally:
            self.browser.close()

    def _spent(self) -> bool:
        return time.monotonic() >= self.budget.deadline or self.budget.left <= 0

    def logged_in(self) -> bool:
        return self.logins > 0 and _session_cookie(self.browser.cookies) is not None

    def _get(self, page: str, path: str) -> tuple[int | str, str, str]:
        if not self.budget.take():
            raise TimeoutError("budget spent")
        return self.browser.request(page, "GET", path)

    def _post(self, page: str, path: str, form: dict[str, str]) -> tuple[int | str, str, str]:
        if not self.budget.take():
            raise TimeoutError("budget spent")
        return self.browser.request(page, "POST", path, form)

    def _log_in_or_wait(self) -> None:
        try:
            if self._log_in():
                self.logins += 1
                return
        except TimeoutError:
            return
        self.login_failures += 1
        time.sleep(min(5.0, 0.5 * self.login_failures))

    def _log_in(self) -> bool:
        """Code login as a new fan: email, code from the sandbox outbox, a name."""
        self.browser.cookies.clear()
        self.email = f"loadfan-{self.number}-{uuid.uuid4().hex[:8]}@example.com"
        self._get("login form", "/accounts/login/")
        status, location, _ = self._post(
            "login: send code", "/accounts/login/", {"contact": self.email}
        )
        if status != 302 or not location.endswith("/accounts/login/code/"):
            return False
        code = self.read_code(self.email)
        if code is None:
            return False
        self._get("login: code form", "/accounts/login/code/")
        status, location, _ = self._post("login: code", "/accounts/login/code/", {"code": code})
        if status != 302:
            return False
        if location.endswith("/accounts/register/"):
            self._get("register form", "/accounts/register/")
            names = {"first_name": "Load", "last_name": f"Fan {self.number}", "accept_terms": "on"}
            status, location, _ = self._post("register", "/accounts/register/", names)
            if status != 302 or "/accounts/" in urlsplit(location).path:
                return False
        return _session_cookie(self.browser.cookies) is not None

    def _act(self) -> None:
        action = self.rng.choices(list(ACTIONS), weights=list(ACTIONS.values()))[0]
        if action == "complete":
            targets = _COMPLETE.findall(self.quests_page)
            if not targets:
                action = "quests"
            else:
                status, location, _ = self._post("complete", self.rng.choice(targets), {})
                _check_logged_out(status, location)
                return
        status, location, text = self._get(action, PAGES[action])
        _check_logged_out(status, location)
        if action == "quests" and status == 200:
            self.quests_page = text


def _check_logged_out(status: int | str, location: str) -> None:
    if status == 302 and urlsplit(location).path.startswith("/accounts/login/"):
        raise LoggedOut


def _session_cookie(cookies: dict[str, str]) -> str | None:
    return next((name for name in cookies if name.endswith("sessionid")), None)


def outbox_reader(sandbox_port: int) -> Callable[[str], str | None]:
    """Read the newest code sent to an email from the sandbox's outbox."""

    def read(email: str) -> str | None:
        for _ in range(20):
            connection = http.client.HTTPConnection("127.0.0.1", sandbox_port, timeout=10)
            try:
                connection.request("GET", "/sandbox/outbox.json")
                messages = json.loads(connection.getresponse().read())
            except (OSError, ValueError, http.client.HTTPException):
                messages = []
            finally:
                connection.close()
            for message in messages:
                if message.get("to") == email and message.get("code"):
                    return str(message["code"])
            time.sleep(0.1)
        return None

    return read


@dataclass
class MemorySample:
    seconds: float
    portal_kib: int
    sandbox_kib: int


@dataclass
class Report:
    """The figures of one run."""

    settings: dict[str, Any]
    duration: float
    samples: list[Sample] = field(repr=False)
    memory: list[MemorySample] = field(repr=False)
    logins: int = 0
    login_failures: int = 0
    sessions_lost: int = 0

    @property
    def statuses(self) -> dict[str, int]:
        counts = Counter(str(sample.status) for sample in self.samples)
        return dict(sorted(counts.items()))

    @property
    def server_errors(self) -> int:
        """500s and other 5xx that are not the friendly 503 page."""
        return sum(
            1
            for sample in self.samples
            if isinstance(sample.status, int) and sample.status >= 500 and sample.status != 503
        )

    @property
    def no_answer(self) -> int:
        return sum(1 for sample in self.samples if sample.status == NO_ANSWER)

    @property
    def throughput(self) -> float:
        return len(self.samples) / self.duration if self.duration else 0.0

    def latency(self, page: str | None = None) -> dict[str, float]:
        """p50/p95/p99/max in milliseconds (nearest rank), of one page or of all."""
        values = sorted(s.seconds for s in self.samples if page is None or s.page == page)
        if not values:
            return {}

        def rank(p: float) -> float:
            return round(values[min(len(values) - 1, max(0, round(p * len(values)) - 1))] * 1000, 1)

        return {"p50": rank(0.50), "p95": rank(0.95), "p99": rank(0.99), "max": rank(1.0)}

    def pages(self) -> dict[str, dict[str, Any]]:
        names = sorted({sample.page for sample in self.samples})
        return {
            name: {
                "requests": sum(1 for s in self.samples if s.page == name),
                "statuses": dict(
                    sorted(Counter(str(s.status) for s in self.samples if s.page == name).items())
                ),
                **self.latency(name),
            }
            for name in names
        }

    def memory_summary(self) -> dict[str, Any]:
        if not self.memory:
            return {}
        first, last = self.memory[0], self.memory[-1]
        return {
            "portal_start_mib": round(first.portal_kib / 1024, 1),
            "portal_end_mib": round(last.portal_kib / 1024, 1),
            "portal_max_mib": round(max(m.portal_kib for m in self.memory) / 1024, 1),
            "sandbox_start_mib": round(first.sandbox_kib / 1024, 1),
            "sandbox_end_mib": round(last.sandbox_kib / 1024, 1),
            "samples": len(self.memory),
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "settings": self.settings,
            "duration_s": round(self.duration, 1),
            "requests": len(self.samples),
            "throughput_rps": round(self.throughput, 1),
            "latency_ms": self.latency(),
            "statuses": self.statuses,
            "server_errors": self.server_errors,
            "no_answer": self.no_answer,
            "logins": self.logins,
            "login_failures": self.login_failures,
            "sessions_lost": self.sessions_lost,
            "memory": self.memory_summary(),
            "memory_timeline": [asdict(m) for m in self.memory],
            "pages": self.pages(),
        }

    def text(self) -> str:
        """The report as a person reads it."""
        latency = self.latency()
        memory = self.memory_summary()
        lines = [
            f"settings: {json.dumps(self.settings, sort_keys=True)}",
            f"requests: {len(self.samples)} in {self.duration:.1f} s = "
            f"{self.throughput:.1f} req/s; logins {self.logins} "
            f"(failed attempts {self.login_failures}); sessions lost {self.sessions_lost}",
            "latency ms: " + ", ".join(f"{name} {value}" for name, value in latency.items()),
            "statuses: " + ", ".join(f"{k}: {v}" for k, v in self.statuses.items()),
            f"server errors (5xx other than the friendly 503): {self.server_errors}; "
            f"no answer: {self.no_answer}",
        ]
        if memory:
            lines.append(
                f"portal RSS MiB: start {memory['portal_start_mib']}, end "
                f"{memory['portal_end_mib']}, max {memory['portal_max_mib']}; sandbox RSS MiB: "
                f"start {memory['sandbox_start_mib']}, end {memory['sandbox_end_mib']}"
            )
        lines.append("per page: requests, p50/p95/p99 ms, statuses")
        for name, page in self.pages().items():
            lines.append(
                f"  {name:<18} {page['requests']:>6}  {page.get('p50')}/{page.get('p95')}/"
                f"{page.get('p99')}  {page['statuses']}"
            )
        return "\n".join(lines)


def run_fans(
    *,
    portal_port: int,
    sandbox_port: int,
    fans: int,
    seconds: float,
    max_requests: int,
    think_seconds: float = 0.0,
    seed: int = 2026,
    memory: Callable[[], tuple[int, int]] | None = None,
    settings: dict[str, Any] | None = None,
) -> Report:
    """Run ``fans`` virtual fans against the portal; the figures of the run."""
    samples: list[Sample] = []
    lock = threading.Lock()

    def record(sample: Sample) -> None:
        with lock:
            samples.append(sample)

    budget = Budget(seconds=seconds, requests=max_requests)
    read_code = outbox_reader(sandbox_port)
    crowd = [
        Fan(
            number=number,
            browser=Browser(portal_port, record=record),
            budget=budget,
            read_code=read_code,
            think=think_seconds,
            rng=random.Random(seed + number),
        )
        for number in range(fans)
    ]
    timeline: list[MemorySample] = []
    started = time.monotonic()
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            if memory is not None:
                portal, sandbox = memory()
                timeline.append(MemorySample(round(time.monotonic() - started, 1), portal, sandbox))
            stop.wait(1.0)

    watcher = threading.Thread(target=watch, name="loadtest-memory", daemon=True)
    watcher.start()
    threads = [threading.Thread(target=fan.run, name=f"fan-{fan.number}") for fan in crowd]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    duration = time.monotonic() - started
    stop.set()
    watcher.join(timeout=5)
    return Report(
        settings=settings or {},
        duration=duration,
        samples=samples,
        memory=timeline,
        logins=sum(fan.logins for fan in crowd),
        login_failures=sum(fan.login_failures for fan in crowd),
        sessions_lost=sum(fan.sessions_lost for fan in crowd),
    )
