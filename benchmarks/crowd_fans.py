"""The crowd's fans and what is measured around them (for :mod:`benchmarks.concurrency`).

A fan is a thread with its own browser (:class:`loadtest.fans.Browser`: its cookies, a
``Host`` and ``Accept-Encoding`` as a browser sends them) and its own session cookie. A
:class:`Window` counts, over one phase, the calls the stand-in answered and the CPU the
gunicorn processes spent; every page view goes to one :class:`Recorder`.
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks import crowd
from benchmarks.measure import BROWSER_ACCEPT_ENCODING
from benchmarks.standin import StandIn
from loadtest.fans import PAGES as PATHS
from loadtest.fans import Browser, Sample
from loadtest.stack import Server

PAGES = ("dashboard", "quests", "wallet")
RENDER_ROUNDS = 8


class Recorder:
    """Every page view of the run, from every fan's thread."""

    def __init__(self) -> None:
        self.views: list[crowd.View] = []
        self._lock = threading.Lock()

    def __call__(self, sample: Sample) -> None:
        with self._lock:
            self.views.append(
                crowd.View(sample.page, sample.status, sample.seconds, sample.started)
            )

    def snapshot(self) -> list[crowd.View]:
        with self._lock:
            return list(self.views)


def browser(port: int, *, cookie: str, session: str, record: Callable[[Sample], None]) -> Browser:
    """A fan's browser: its session cookie, asking for gzip as Chromium does."""
    fan = Browser(
        port,
        record=record,
        timeout=30,
        host="127.0.0.1",
        secure=False,
        headers={"Accept-Encoding": BROWSER_ACCEPT_ENCODING},
    )
    fan.cookies[cookie] = session
    return fan


def browse(
    fan: Browser,
    *,
    rng: random.Random,
    think: tuple[float, float],
    delay: float,
    stop: threading.Event,
) -> None:
    """A fan: the dashboard after ``delay``, then a page after each pause, until ``stop``."""
    if stop.wait(delay):
        return
    page = "dashboard"
    while True:
        fan.request(page, "GET", PATHS[page])
        # gunicorn closes a kept-alive connection idle for 2 s, sooner than a fan reads a
        # page: a browser reconnects for the next one.
        fan.close()
        if stop.wait(rng.uniform(*think)):
            return
        page = rng.choice(PAGES)


def cpu_seconds(server: Server) -> float:
    """User and system CPU time of the gunicorn master and its workers so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in server.pids():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / ticks


class Window:
    """One phase's counters: the stand-in's calls and the server's CPU, from start to end."""

    def __init__(self, standin: StandIn, server: Server) -> None:
        self.standin, self.server = standin, server
        standin.reset()
        self.cpu = cpu_seconds(server)
        self.start = time.monotonic()

    def close(self, name: str, *, fans: int, views: Recorder) -> crowd.Phase:
        end = time.monotonic()
        cpu = cpu_seconds(self.server) - self.cpu
        stats = self.standin.stats()
        unknown = dict(stats.unknown) | ({"401 refused": stats.rejected} if stats.rejected else {})
        return crowd.phase(
            name,
            fans=fans,
            views=views.snapshot(),
            start=self.start,
            end=end,
            calls=stats.total,
            cpu_seconds=cpu,
            unknown=unknown,
            endpoints=stats.calls,
        )


def warm_up(port: int, *, cookie: str, session: str, connections: int) -> None:
    """Every worker's first pages, unrecorded: one fan's pages on parallel connections.

    A worker's first page builds what it keeps for the next (templates, URL patterns, the
    decoded catalogue): a second or so on a busy machine, once per worker start, which a
    portal at half-time paid long before. One fan's dashboard first, so its data is cached
    and these pages call nothing.
    """
    first = browser(port, cookie=cookie, session=session, record=lambda sample: None)
    first.request("dashboard", "GET", PATHS["dashboard"])
    first.close()

    def pages() -> None:
        fan = browser(port, cookie=cookie, session=session, record=lambda sample: None)
        for page in PAGES:
            fan.request(page, "GET", PATHS[page])
            fan.close()

    threads = [threading.Thread(target=pages) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)


def measure_render(
    port: int, standin: StandIn, *, cookie: str, session: str
) -> tuple[list[float], int]:
    """One warmed-up fan's pages, one after another, each on a new connection as the crowd's
    are: the portal's own time for a page with nothing to fetch. Their wall times, and the
    calls made meanwhile (none expected)."""
    record = Recorder()
    fan = browser(port, cookie=cookie, session=session, record=record)
    standin.reset()
    for _ in range(RENDER_ROUNDS):
        for page in PAGES:
            fan.request(page, "GET", PATHS[page])
            fan.close()
    return [view.seconds * 1000 for view in record.snapshot()], standin.stats().total
