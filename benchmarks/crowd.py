"""The crowd benchmark's figures, table and targets: pure arithmetic on what a run recorded.

:mod:`benchmarks.concurrency` runs the fans and hands over, per phase, the page views (start,
duration, status), the calls the stand-in answered, and the CPU the gunicorn processes spent.
Everything here is a function of those numbers, so it is tested without a server or a clock.

**A fan-minute** is one minute of one logged-in fan browsing at a person's pace: a page,
then a pause of 5 to 10 seconds (uniform) to read it, then the next, about eight pages a
minute. Not a tight loop: a script clicking as fast as the server answers would be a
hundred fans' worth of pages, and would see every page within ``FAN_CACHE_TTL`` of the
last, so the API calls a minute would be neither what a person costs nor what the
provider's API sees at half-time. Calls per active fan-minute = calls the stand-in answered
in a phase / (fans browsing x the phase's minutes), counted once every fan is past its
first page (login costs are counted apart, per login) and the ages of the fans' cached
data are spread as in a crowd that has been browsing for a while.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from benchmarks.measure import percentile
from benchmarks.report import Verdict

#: p95 of a page at the largest crowd, against one API call plus the render.
P95_FACTOR = 3.0
#: API calls per active fan-minute: what the provider's API sees per fan browsing.
MAX_CALLS_PER_FAN_MINUTE = 6.0


@dataclass(frozen=True)
class View:
    """One page view of the crowd (``started`` on the monotonic clock, in seconds)."""

    page: str
    status: int | str
    seconds: float
    started: float


def gunicorn_settings(dockerfile: str) -> tuple[int, int]:
    """The container's gunicorn workers and threads, from the Dockerfile's ``ENV`` lines.

    Read rather than copied, so the crowd runs what the container runs.
    """
    found = {}
    for name in ("GUNICORN_WORKERS", "GUNICORN_THREADS"):
        match = re.search(rf"\b{name}=(\d+)", dockerfile)
        if match is None:
            raise ValueError(f"The Dockerfile sets no {name}.")
        found[name] = int(match.group(1))
    return found["GUNICORN_WORKERS"], found["GUNICORN_THREADS"]


_LOG_LINE = re.compile(r"^\S+ \S+ (?P<level>WARNING|ERROR|CRITICAL) (?P<what>.*)$")


def log_problems(log: str) -> dict[str, int]:
    """The server log's WARNING and ERROR lines, without their time, counted alike.

    The project's log format is ``time level logger message``; the first 100 characters
    after the time say what happened (a cache that did not answer, an API that refused).
    """
    found: dict[str, int] = {}
    for line in log.splitlines():
        match = _LOG_LINE.match(line)
        if match is not None:
            key = f"{match['level']} {match['what'][:100]}"
            found[key] = found.get(key, 0) + 1
    return found


def pages_per_minute(think: tuple[float, float], page_seconds: float = 0.0) -> float:
    """Pages a fan views a minute, pausing uniformly within ``think`` after each page."""
    low, high = think
    return 60.0 / ((low + high) / 2 + page_seconds)


def arrival_spread(fan_cache_ttl: float, think: tuple[float, float]) -> float:
    """Seconds over which the crowd's first pages are spread: one cycle of a fan's data.

    A fan's data is fetched again at its first page after ``FAN_CACHE_TTL``, on average
    ``E[X²] / 2E[X]`` later for pauses X uniform in ``think`` (the mean residual wait of a
    renewal process: (a² + ab + b²) / 3(a + b)), 3.9 s for 5-10 s. Fans whose first pages
    are spread evenly over that cycle hold data of every age a crowd browsing for a while
    holds, so the calls counted from then on are the steady rate, not a login wave.
    """
    low, high = think
    residual = (low * low + low * high + high * high) / (3 * (low + high)) if high > 0 else 0.0
    return fan_cache_ttl + residual


def fan_minutes(fans: int, seconds: float) -> float:
    """Fan-minutes of ``fans`` browsing for ``seconds``."""
    return fans * seconds / 60.0


def per_fan_minute(calls: int | float, minutes: float) -> float:
    """Calls per fan-minute; NaN with no fan-minute to divide by."""
    return calls / minutes if minutes > 0 else math.nan


def unseen_calls_per_minute(
    intervals: Mapping[str, float | None], *, observed_seconds: float
) -> dict[str, float]:
    """Calls a fan makes once per interval longer than the run could see, per minute.

    The fan record (its tags) is re-read every ``FAN_TAGS_CACHE_TTL`` and the API session
    confirmed every ``SESSION_CHECK_INTERVAL``, five minutes each by default: no fan of a
    run of a minute or two gets that far. Each counts as one call per interval, an upper
    bound (a fan asks at its first page after the interval, so a little less often). An
    interval the run covers was measured with the rest; None (never) adds nothing.
    """
    return {
        name: 60.0 / interval
        for name, interval in intervals.items()
        if interval is not None and interval > observed_seconds
    }


@dataclass(frozen=True)
class Phase:
    """The figures of one phase: fans arriving, or a steady crowd of ``fans``."""

    name: str
    fans: int
    seconds: float
    views: tuple[View, ...]
    calls: int
    cpu_seconds: float
    #: API paths the stand-in did not know, and calls it refused (401), by name.
    unknown: Mapping[str, int] = field(default_factory=dict)
    #: The calls answered, by endpoint.
    endpoints: Mapping[str, int] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return len(self.views)

    @property
    def throughput(self) -> float:
        return self.pages / self.seconds if self.seconds > 0 else math.nan

    def p50(self) -> float:
        return percentile((view.seconds * 1000 for view in self.views), 0.5)

    def p95(self) -> float:
        return percentile((view.seconds * 1000 for view in self.views), 0.95)

    @property
    def errors(self) -> int:
        """Views that were not a page: any status but 200, or no answer at all."""
        return sum(1 for view in self.views if view.status != 200)

    @property
    def cpu_ms_per_page(self) -> float:
        return self.cpu_seconds * 1000 / self.pages if self.pages else math.nan

    @property
    def fan_minutes(self) -> float:
        return fan_minutes(self.fans, self.seconds)

    @property
    def calls_per_fan_minute(self) -> float:
        return per_fan_minute(self.calls, self.fan_minutes)


def phase(
    name: str,
    *,
    fans: int,
    views: Iterable[View],
    start: float,
    end: float,
    calls: int,
    cpu_seconds: float,
    unknown: Mapping[str, int] | None = None,
    endpoints: Mapping[str, int] | None = None,
) -> Phase:
    """A phase from every view of the run: those that started within ``[start, end)``."""
    inside = tuple(view for view in views if start <= view.started < end)
    return Phase(
        name,
        fans,
        end - start,
        inside,
        calls,
        cpu_seconds,
        dict(unknown or {}),
        dict(endpoints or {}),
    )


@dataclass(frozen=True)
class CrowdResult:
    """Everything one crowd run measured, for the table and the targets."""

    workers: int
    threads: int
    latency_ms: float
    quests: int
    rewards: int
    think: tuple[float, float]
    cache: str
    render: tuple[float, ...]
    render_calls: int
    arrival: Phase
    steady: tuple[Phase, ...]
    #: Calls per minute of the intervals no fan of the run reached (name: per minute).
    unseen: Mapping[str, float]
    intervals: Mapping[str, float | None]
    tracebacks: int
    seconds: float
    #: The server log's WARNING and ERROR lines (see :func:`log_problems`).
    log: Mapping[str, int] = field(default_factory=dict)

    def log_errors(self) -> int:
        return sum(count for line, count in self.log.items() if not line.startswith("WARNING"))

    def render_p50(self) -> float:
        return percentile(self.render, 0.5)

    def p95_limit(self) -> float:
        return P95_FACTOR * (self.latency_ms + self.render_p50())

    def largest(self) -> Phase:
        return max(self.steady, key=lambda item: item.fans)

    def seen_calls_per_fan_minute(self) -> float:
        """Calls per fan-minute over every steady phase together (the larger weigh more)."""
        return per_fan_minute(
            sum(item.calls for item in self.steady),
            sum(item.fan_minutes for item in self.steady),
        )

    def calls_per_fan_minute(self) -> float:
        return self.seen_calls_per_fan_minute() + sum(self.unseen.values())

    def calls_per_login(self) -> float:
        return self.arrival.calls / self.arrival.fans if self.arrival.fans else math.nan


def _ms(value: float) -> str:
    return "      -" if math.isnan(value) else f"{value:7.1f}"


def _row(item: Phase, *, label: str) -> str:
    per_minute = "-" if item.name == "arriving" else f"{item.calls_per_fan_minute:.1f}"
    minutes = "-" if item.name == "arriving" else f"{item.fan_minutes:.1f}"
    return (
        f"{label:<10} {item.fans:>4} {item.seconds:>5.0f} {item.pages:>5} "
        f"{item.throughput:>7.2f} {_ms(item.p50())} {_ms(item.p95())} {item.errors:>6} "
        f"{_ms(item.cpu_ms_per_page)} {item.calls:>6} {minutes:>7} {per_minute:>7}"
    )


_LABELS = {
    "FAN_TAGS_CACHE_TTL": "fan record (tags)",
    "SESSION_CHECK_INTERVAL": "session check",
}


def crowd_table(result: CrowdResult) -> str:
    """The crowd's figures as printed by ``make bench``."""
    low, high = result.think
    lines = [
        "",
        f"== Many fans at once: gunicorn {result.workers} workers x {result.threads} "
        f"threads (the container's), stand-in {result.latency_ms:g} ms, "
        f"{result.quests} quests/{result.rewards} rewards ==",
        f"Each fan its own session, one page then a {low:g}-{high:g} s pause "
        f"(~{pages_per_minute(result.think):.0f} pages a minute): the dashboard first, then "
        "dashboard, board or wallet at random. Cache: "
        + result.cache
        + " (sessions, fans' data, catalogue; shared by the workers).",
        f"Render (a page with no API call, through gunicorn): p50 {result.render_p50():.1f} "
        f"ms over {len(result.render)} views ({result.render_calls} API calls).",
        f"{'phase':<10} {'fans':>4} {'secs':>5} {'pages':>5} {'pages/s':>7} {'p50 ms':>7} "
        f"{'p95 ms':>7} {'errors':>6} {'CPU/pg':>7} {'calls':>6} {'fan-min':>7} "
        f"{'/fan-min':>7}",
        _row(result.arrival, label="arriving"),
    ]
    lines.extend(_row(item, label="steady") for item in result.steady)
    unseen = " + ".join(
        f"{per_minute:.1f} {_LABELS.get(name, name)} (every {result.intervals[name]:g} s)"
        for name, per_minute in result.unseen.items()
    )
    lines += [
        "arriving: fans' first pages spread over the phase (each records the portal visit "
        "and reads the fan record); CPU/pg: the gunicorn processes' CPU ms per page.",
        f"Per login: {result.calls_per_login():.1f} API calls. Per active fan-minute: "
        f"{result.seen_calls_per_fan_minute():.2f} seen in the steady phases"
        + (f" + {unseen}, too rare for this run" if unseen else "")
        + f" = {result.calls_per_fan_minute():.2f}.",
        "Calls by endpoint: arriving "
        + _endpoints(result.arrival.endpoints)
        + "; steady "
        + _endpoints(
            {
                name: sum(item.endpoints.get(name, 0) for item in result.steady)
                for item in result.steady
                for name in item.endpoints
            }
        )
        + ".",
        f"Crowd run time {result.seconds:.0f} s; server tracebacks: {result.tracebacks}; "
        f"server log lines at WARNING or above: {sum(result.log.values())}.",
    ]
    lines.extend(f"  {count} x {line}" for line, count in list(result.log.items())[:5])
    refetched = sum(item.endpoints.get("businesses", 0) for item in result.steady)
    if refetched:
        lines.append(
            f"NOTE: the business list was fetched {refetched} times in the steady phases, "
            "where the cache holds it: something emptied the shared cache during the run "
            "(another process on the same Redis database?), and the calls above include "
            "refilling it."
        )
    return "\n".join(lines)


def _endpoints(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{name} {count}" for name, count in sorted(counts.items())) or "none"


def crowd_verdicts(result: CrowdResult) -> list[Verdict]:
    """The crowd's targets (issue 21), beside the in-process bench's."""
    largest = result.largest()
    limit = result.p95_limit()
    p95 = largest.p95()
    per_minute = result.calls_per_fan_minute()
    errors = sum(item.errors for item in (result.arrival, *result.steady))
    unknown = sorted({name for item in (result.arrival, *result.steady) for name in item.unknown})
    problems = [f"{errors} errors"] if errors else []
    if unknown:
        problems.append("API refused or unknown: " + ", ".join(unknown))
    if result.tracebacks:
        problems.append(f"{result.tracebacks} tracebacks in the server log")
    if result.log_errors():
        problems.append(f"{result.log_errors()} ERROR lines in the server log")
    return [
        Verdict(
            f"p95 at {largest.fans} fans ≤ {P95_FACTOR:g}x (latency + render), gunicorn",
            f"crowd of {largest.fans}",
            f"{p95:.1f} ms ≤ {limit:.1f} ({p95 / limit:.2f}x)",
            p95 <= limit,
        ),
        Verdict(
            f"≤ {MAX_CALLS_PER_FAN_MINUTE:g} API calls per active fan-minute",
            "crowd, steady",
            f"{per_minute:.2f} (seen {result.seen_calls_per_fan_minute():.2f} + rarer "
            f"{sum(result.unseen.values()):.2f})",
            per_minute <= MAX_CALLS_PER_FAN_MINUTE,
        ),
        Verdict(
            "every crowd page 200, no server error",
            "crowd, all phases",
            "; ".join(problems) if problems else f"{_pages(result)} pages, no error",
            not problems,
        ),
    ]


def _pages(result: CrowdResult) -> int:
    return sum(item.pages for item in (result.arrival, *result.steady))


def phase_plan(levels: Sequence[int], seconds: Sequence[float]) -> list[tuple[int, float]]:
    """The steady phases, largest crowd first: each ends by sending the surplus fans away.

    Largest first so that every fan of a smaller crowd is one that has been browsing for a
    while, past its login, like the crowd it stays in.
    """
    if len(levels) != len(seconds):
        raise ValueError("One duration per crowd size.")
    if any(size < 1 for size in levels) or any(length <= 0 for length in seconds):
        raise ValueError("Crowd sizes and durations must be positive.")
    return sorted(zip(levels, seconds, strict=True), key=lambda item: -item[0])
