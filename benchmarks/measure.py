"""Measuring page views: one request at a time through Django's test client, in-process.

Each sample is one page view: wall time around ``Client.get``, the process's CPU time over
the same span (``time.process_time``, which counts the API client's worker threads too,
while the stand-in's CPU is in its own process), and the calls the stand-in answered.

The modes, for one page:

``naive``  the docs' Runtime API Flow (:mod:`benchmarks.naive`), no cache at all;
``cold``   the portal with its data cache emptied just before the view;
``warm``   the portal with business-wide data cached and the fan's own data not (it is
           older than ``FAN_CACHE_TTL``): the common page view of a busy portal;
``hot``    the same fan again within ``FAN_CACHE_TTL``: no upstream call at all, which makes
           it the portal's own cost of a page, the "render" of the targets;
``first``  the first portal page of a fan just logged in, business data cached: like warm,
           plus what the portal does once per login (it records a portal visit).

A round takes one fan through first, cold, warm and hot, then the naive view; rounds repeat,
so a slow patch of the shared machine hits every mode alike.
"""

from __future__ import annotations

import contextlib
import enum
import gc
import itertools
import json
import math
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from accounts.fan import SESSION_KEY
from benchmarks.standin import StandIn

T = TypeVar("T")

#: How many frames deeper each batch of :meth:`PageBench.run_batched` runs than the one
#: before: about a third of the span of one frame chunk in :func:`at_stack_depth`'s frames.
BATCH_DEPTH_STEP = 48


class Mode(enum.StrEnum):
    NAIVE = "naive"
    COLD = "cold"
    WARM = "warm"
    HOT = "hot"
    FIRST = "first"


#: What Chromium sends: the portal gzips pages for it (``GZipMiddleware``).
BROWSER_ACCEPT_ENCODING = "gzip, deflate, br, zstd"

#: The pages measured, and the URL name of each in the portal.
PAGES = {
    "dashboard": "tbits_loyalty:dashboard",
    "quests": "tbits_loyalty:quests",
    "wallet": "tbits_loyalty:wallet",
}

#: The fan's own data each page shows (the business-wide data is cached): balance and
#: tier (``crm_fan_points``), quest statuses (``quest_completions``), tags for hidden
#: quests (``crm_fan``, kept for ``FAN_TAGS_CACHE_TTL``, so a warm view within those
#: minutes does not call it), rewards held (``fan_rewards``). The quest board shows no
#: reward.
FAN_CALLS_USED = {
    "dashboard": frozenset({"crm_fan_points", "quest_completions", "crm_fan", "fan_rewards"}),
    "quests": frozenset({"crm_fan_points", "quest_completions", "crm_fan"}),
    "wallet": frozenset({"crm_fan_points", "quest_completions", "crm_fan", "fan_rewards"}),
}


@dataclass(frozen=True)
class Sample:
    """One page view."""

    wall_ms: float
    cpu_ms: float
    calls: dict[str, int]
    unknown: dict[str, int]
    connections: int
    status: int
    round_trips: int = 0
    #: The response body as sent (gzipped: the client asks for it, as browsers do).
    body_bytes: int = 0

    @property
    def call_count(self) -> int:
        return sum(self.calls.values()) + sum(self.unknown.values())


def percentile(values: Iterable[float], fraction: float) -> float:
    """Nearest-rank percentile (p50 is the median)."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    if fraction == 0.5:
        return statistics.median(ordered)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Series:
    """The samples of one page in one mode."""

    page: str
    mode: Mode
    samples: list[Sample] = field(default_factory=list)
    #: Where each batch of back-to-back views ends in ``samples`` (batched runs only).
    batch_ends: list[int] = field(default_factory=list)

    def p50(self) -> float:
        return percentile((s.wall_ms for s in self.samples), 0.5)

    def cpu_best_batch(self) -> float:
        """The lowest of the batches' CPU medians (the CPU p50 when not run in batches).

        What a page's work costs, as ``timeit`` reads a timing: noise on a shared machine
        (another tenant, a core clocked down) only ever adds time, so the quietest
        batch's median is the repeatable figure; the p50 of every view is printed beside it.
        """
        if not self.batch_ends:
            return self.cpu_p50()
        starts = [0, *self.batch_ends[:-1]]
        return min(
            percentile((s.cpu_ms for s in self.samples[start:end]), 0.5)
            for start, end in zip(starts, self.batch_ends, strict=True)
        )

    def p95(self) -> float:
        return percentile((s.wall_ms for s in self.samples), 0.95)

    def cpu_p50(self) -> float:
        return percentile((s.cpu_ms for s in self.samples), 0.5)

    def calls_max(self) -> int:
        return max((s.call_count for s in self.samples), default=0)

    def calls_median(self) -> float:
        return statistics.median(s.call_count for s in self.samples) if self.samples else 0

    def round_trips_max(self) -> int:
        return max((s.round_trips for s in self.samples), default=0)

    def connections_median(self) -> float:
        return statistics.median(s.connections for s in self.samples) if self.samples else 0

    def endpoints(self) -> Counter[str]:
        """Calls per endpoint, summed over the samples."""
        total: Counter[str] = Counter()
        for sample in self.samples:
            total.update(sample.calls)
        return total

    def unknown(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for sample in self.samples:
            total.update(sample.unknown)
        return total

    def body_bytes_median(self) -> float:
        return statistics.median(s.body_bytes for s in self.samples) if self.samples else 0

    def statuses(self) -> set[int]:
        return {sample.status for sample in self.samples}


class PageBench:
    """Drives page views against the stand-in and records samples."""

    def __init__(self, standin: StandIn) -> None:
        self.standin = standin
        self._fan_ids = itertools.count(100_001)

    def new_fan(self) -> Client:
        """A browser with a fresh logged-in fan, the way ``accounts.fan.login_fan`` stores it."""
        # Browsers ask for compressed pages, and compressing them is part of a page's CPU.
        client = Client(headers={"accept-encoding": BROWSER_ACCEPT_ENCODING})
        now = time.time()
        session = client.session
        session[SESSION_KEY] = {
            "session_uid": f"bench-session-{next(self._fan_ids)}",
            "fan_id": next(self._fan_ids),
            "expires_at": None,
            "logged_in_at": now,
            "last_seen": now,
        }
        session.save()
        return client

    def view(self, client: Client, url: str) -> Sample:
        """One measured page view."""
        self.standin.reset()
        started_cpu = time.process_time()
        started = time.perf_counter()
        response = client.get(url)
        wall = time.perf_counter() - started
        cpu = time.process_time() - started_cpu
        stats = self.standin.stats()
        return Sample(
            wall_ms=wall * 1000,
            cpu_ms=cpu * 1000,
            calls=stats.calls,
            unknown={
                **stats.unknown,
                **({"401 rejected": stats.rejected} if stats.rejected else {}),
            },
            connections=stats.connections,
            status=response.status_code,
            round_trips=stats.round_trips,
            body_bytes=len(response.content),
        )

    @staticmethod
    def url(page: str, mode: Mode) -> str:
        if mode is Mode.NAIVE:
            return reverse("naive", args=[page])
        return reverse(PAGES[page])

    def run(
        self, pages: Iterable[str], modes: Iterable[Mode], *, samples: int, warmup: int = 2
    ) -> dict[tuple[str, Mode], Series]:
        """``samples`` views of each page in each mode, interleaved; ``warmup`` unrecorded."""
        modes = tuple(modes)
        results: dict[tuple[str, Mode], Series] = {}
        for page in pages:
            for mode in modes:
                results[(page, mode)] = Series(page, mode)
            for round_number in range(warmup + samples):
                for mode, sample in self._round(page, modes):
                    if round_number >= warmup:
                        results[(page, mode)].samples.append(sample)
        return results

    def run_batched(
        self,
        pages: Iterable[str],
        modes: Iterable[Mode],
        *,
        samples: int,
        batches: int = 1,
        warmup: int = 2,
    ) -> dict[tuple[str, Mode], Series]:
        """``batches`` times :meth:`_run_batch`, each batch's views kept apart.

        Each batch runs :data:`BATCH_DEPTH_STEP` frames deeper than the one before (see
        :func:`at_stack_depth`), so a frame-chunk edge the harness happens to sit on costs
        one batch at most, and :meth:`Series.cpu_best_batch` leaves it out like other noise.
        """
        modes = tuple(modes)
        pages = tuple(pages)
        results: dict[tuple[str, Mode], Series] = {}
        for batch in range(batches):
            measured = at_stack_depth(
                batch * BATCH_DEPTH_STEP,
                lambda: self._run_batch(pages, modes, samples=samples, warmup=warmup),
            )
            for key, series in measured.items():
                merged = results.setdefault(key, Series(series.page, series.mode))
                merged.samples.extend(series.samples)
                merged.batch_ends.append(len(merged.samples))
        return results

    def _run_batch(
        self, pages: Iterable[str], modes: Iterable[Mode], *, samples: int, warmup: int = 2
    ) -> dict[tuple[str, Mode], Series]:
        """``samples`` views of each page in each mode, back to back.

        For CPU per page: a busy server goes from one page straight to the next. Each fan
        (logged in and shown the page once before) has its views in ``modes`` one after
        another, and the fans follow one another with
        nothing in between, not even a question to the stand-in: its counters are read
        once per page, and only warm views call it (hot views make no call; the
        tests say so), so each warm view is given the batch's average. The processor is
        thus not measured waking up from an idle gap (see :func:`idle_penalty`).
        ``warmup`` fans are not recorded.
        """
        modes = tuple(modes)
        results: dict[tuple[str, Mode], Series] = {}
        for page in pages:
            url = self.url(page, Mode.WARM)
            fans = [self.new_fan() for _ in range(warmup + samples)]
            for fan in fans:
                fan.get(url)
            for fan in fans[:warmup]:
                for mode in modes:
                    self._view_in_mode(mode, fan, url)
            timed: dict[Mode, list[tuple[float, float, int]]] = {mode: [] for mode in modes}
            self.standin.reset()
            for fan in fans[warmup:]:
                for mode in modes:
                    started_cpu = time.process_time()
                    started = time.perf_counter()
                    status = self._view_in_mode(mode, fan, url)
                    timed[mode].append(
                        (
                            (time.perf_counter() - started) * 1000,
                            (time.process_time() - started_cpu) * 1000,
                            status,
                        )
                    )
            stats = self.standin.stats()
            for mode in modes:
                calls: dict[str, float] = {}
                connections = 0.0
                if mode is Mode.WARM:  # hot views make no call
                    calls = {name: count / samples for name, count in stats.calls.items()}
                    connections = stats.connections / samples
                series = results[(page, mode)] = Series(page, mode)
                series.samples = [
                    Sample(
                        wall_ms=wall,
                        cpu_ms=cpu,
                        calls=calls,  # type: ignore[arg-type] - an average over the batch
                        unknown=dict(stats.unknown),
                        connections=connections,  # type: ignore[arg-type] - an average
                        status=status,
                    )
                    for wall, cpu, status in timed[mode]
                ]
        return results

    @staticmethod
    def _view_in_mode(mode: Mode, fan: Client, url: str) -> int:
        if mode is Mode.WARM:
            with fan_data_expired():
                return fan.get(url).status_code
        if mode is not Mode.HOT:
            raise ValueError(f"{mode} is not measured in batches")
        return fan.get(url).status_code

    def _round(self, page: str, modes: tuple[Mode, ...]) -> list[tuple[Mode, Sample]]:
        taken: list[tuple[Mode, Sample]] = []
        url = self.url(page, Mode.WARM)
        fan = self.new_fan()
        first = self.view(fan, url)
        if Mode.FIRST in modes:
            taken.append((Mode.FIRST, first))
        if Mode.COLD in modes:
            caches["default"].clear()
            gc.collect()
            taken.append((Mode.COLD, self.view(fan, url)))
        with fan_data_expired():
            warm = self.view(fan, url)
        if Mode.WARM in modes:
            taken.append((Mode.WARM, warm))
        if Mode.HOT in modes:
            taken.append((Mode.HOT, self.view(fan, url)))
        if Mode.NAIVE in modes:
            taken.append((Mode.NAIVE, self.view(self.new_fan(), self.url(page, Mode.NAIVE))))
        return taken


def at_stack_depth(frames: int, work: Callable[[], T]) -> T:
    """``work()``, called ``frames`` Python frames deeper than the caller.

    CPython 3.11 keeps its frames in chunks of 16 KiB and hands a chunk back to the system
    (``munmap``) as soon as the stack retreats from it. A page view rendered right at a
    chunk's edge crosses it again and again, each time mapping a fresh chunk: a few hundred
    page faults and up to twice the CPU of the same view a few frames higher or lower (see
    docs/performance.md). Where the edge falls depends on how deep the harness's own stack
    is, not on the page, so the batches are measured at several depths.
    """
    if frames <= 0:
        return work()
    return at_stack_depth(frames - 1, work)


@contextlib.contextmanager
def fan_data_expired(*, tags: bool = False) -> Iterator[None]:
    """Within: the fan's cached data counts as expired, as it is ``FAN_CACHE_TTL`` later.

    The tags (``FAN_TAGS_CACHE_TTL``, five minutes) expire too only with ``tags=True``: a
    warm view is the common one, within those minutes.

    ``settings.TBITS`` is changed in place rather than with ``override_settings``: the
    latter sends ``setting_changed``, on which the API client (and its connection pool) is
    rebuilt, and a warm page would then be measured on new connections.
    """
    configured = settings.TBITS
    names = ("FAN_CACHE_TTL", "FAN_TAGS_CACHE_TTL") if tags else ("FAN_CACHE_TTL",)
    before = {name: configured[name] for name in names if name in configured}
    configured.update(dict.fromkeys(names, 0))
    try:
        yield
    finally:
        for name in names:
            if name in before:
                configured[name] = before[name]
            else:
                del configured[name]


def summary(series: Series) -> dict[str, Any]:
    """The figures of one series, for the report."""
    return {
        "p50": series.p50(),
        "p95": series.p95(),
        "cpu": series.cpu_p50(),
        "calls": series.calls_median(),
        "calls_max": series.calls_max(),
        "round_trips": series.round_trips_max(),
        "connections": series.connections_median(),
        "kb": series.body_bytes_median() / 1000,
    }


def idle_penalty(*, wait_seconds: float, rounds: int = 40) -> float:
    """How much more CPU time the same work takes right after an idle wait than back to back.

    A page waits on the API, and on some machines (virtual ones especially) the processor
    runs the next few milliseconds of work markedly slower after such a wait: caches gone
    cold, a core clocked down. That slowness is the machine's, not the portal's, so it is
    measured here, on a fixed piece of work (decoding a catalogue-sized JSON document),
    alternating "straight after the previous run" with "after ``wait_seconds`` asleep".
    """
    document = json.dumps(
        [{"uid": n, "name": f"Quest {n}", "tags": ["a", "b"], "points": n} for n in range(400)]
    )

    def work() -> float:
        started = time.process_time()
        for _ in range(4):
            json.loads(document)
        return time.process_time() - started

    busy: list[float] = []
    after_wait: list[float] = []
    work()
    for _ in range(rounds):
        busy.append(work())
        time.sleep(wait_seconds)
        after_wait.append(work())
    return statistics.median(after_wait) / statistics.median(busy)
