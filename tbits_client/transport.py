"""The HTTP plumbing under the client: connection pool, retry policy, cooldown, breaker.

Nothing here sleeps on a 429. urllib3 would honour a ``Retry-After`` of hours inside the
caller's thread, which in a web worker means a hung page, so the pool is built with
urllib3's retries off and the client decides everything itself: bounded retries with
backoff for calls that are safe to repeat, and for rate limits a shared cooldown that makes
later calls fail fast instead of waiting.

The cooldown and the circuit breaker keep their state in any cache-like object (Django's
cache fits), so several worker processes share what one of them learned. Without one they
use :class:`MemoryCache`, which is per process.
"""

from __future__ import annotations

import email.utils
import enum
import math
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.cookiejar import DefaultCookiePolicy
from typing import Any, Protocol, runtime_checkable

import requests
from requests.adapters import HTTPAdapter

__all__ = [
    "BreakerDecision",
    "BreakerState",
    "CacheLike",
    "CircuitBreaker",
    "Cooldown",
    "MemoryCache",
    "RetryPolicy",
    "build_http_session",
    "parse_retry_after",
]


@runtime_checkable
class CacheLike(Protocol):
    """The part of Django's cache API the client uses (``add`` and ``incr`` atomic).

    ``incr`` raises ``ValueError`` for a missing key and keeps the key's expiry, as Django's
    caches do.
    """

    def get(self, key: str, default: Any = None) -> Any: ...

    def set(self, key: str, value: Any, timeout: float | None = None) -> None: ...

    def add(self, key: str, value: Any, timeout: float | None = None) -> bool: ...

    def incr(self, key: str, delta: int = 1) -> int: ...

    def delete(self, key: str) -> Any: ...


class MemoryCache:
    """A small thread-safe in-process cache with expiry, the default state store.

    ``clock`` is where expiry times come from (monotonic: a wall-clock jump must not
    expire or resurrect entries); tests pass a fake one instead of sleeping.
    """

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._data: dict[str, tuple[Any, float | None]] = {}
        self._lock = threading.Lock()
        self.clock = clock

    def _live(self, key: str) -> tuple[bool, Any]:
        entry = self._data.get(key)
        if entry is None:
            return False, None
        value, expires = entry
        if expires is not None and expires <= self.clock():
            del self._data[key]
            return False, None
        return True, value

    def _expiry(self, timeout: float | None) -> float | None:
        return None if timeout is None else self.clock() + timeout

    def get(self, key: str, default: Any = None) -> Any:
        with self._lock:
            found, value = self._live(key)
            return value if found else default

    def set(self, key: str, value: Any, timeout: float | None = None) -> None:
        with self._lock:
            self._data[key] = (value, self._expiry(timeout))

    def add(self, key: str, value: Any, timeout: float | None = None) -> bool:
        with self._lock:
            found, _ = self._live(key)
            if found:
                return False
            self._data[key] = (value, self._expiry(timeout))
            return True

    def incr(self, key: str, delta: int = 1) -> int:
        with self._lock:
            found, value = self._live(key)
            if not found:
                raise ValueError(f"Key {key!r} not found")
            _, expires = self._data[key]
            self._data[key] = (value + delta, expires)
            return value + delta

    def delete(self, key: str) -> bool:
        with self._lock:
            return self._data.pop(key, None) is not None

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


def parse_retry_after(value: str | None, *, now: float | None = None) -> int | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or HTTP date); None if absent/bad."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    current = time.time() if now is None else now
    return max(0, math.ceil(when.timestamp() - current))


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how long a retry-safe call may be repeated.

    ``max_retries`` bounds the count, ``budget_seconds`` the total time since the first
    attempt: a retry whose backoff would end past the budget is not made.
    """

    max_retries: int = 2
    budget_seconds: float = 5.0
    base_delay: float = 0.2
    max_delay: float = 2.0

    def delay(self, retry_number: int) -> float:
        """Backoff before retry ``retry_number`` (0-based): exponential, with equal jitter."""
        ceiling = min(self.max_delay, self.base_delay * (2**retry_number))
        return ceiling / 2 + random.uniform(0, ceiling / 2)


class Cooldown:
    """After a 429, every later call to the same endpoint fails fast until it passes."""

    def __init__(
        self,
        cache: CacheLike,
        *,
        default_seconds: int = 5,
        max_seconds: int = 3600,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.cache = cache
        # Wall-clock time: the deadline is stored in a cache other processes read too.
        self.clock = clock
        # Without a Retry-After the API still said "stop"; a short pause spares it a storm.
        self.default_seconds = default_seconds
        # A broken header must not silence an endpoint for days.
        self.max_seconds = max_seconds

    @staticmethod
    def _key(name: str) -> str:
        return f"tbits:cooldown:{name}"

    def remaining(self, name: str) -> int | None:
        """Whole seconds left on ``name``'s cooldown, or None when it may be called."""
        until = self.cache.get(self._key(name))
        if until is None:
            return None
        left = float(until) - self.clock()
        return math.ceil(left) if left > 0 else None

    def start(self, name: str, seconds: int | None) -> int:
        """Start (or extend) ``name``'s cooldown; returns its length in seconds."""
        length = self.default_seconds if seconds is None else seconds
        length = max(1, min(self.max_seconds, length))
        self.cache.set(self._key(name), self.clock() + length, timeout=length)
        return length


class BreakerState(enum.StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


@dataclass(frozen=True, slots=True)
class BreakerDecision:
    """Whether a call may go out, and whether it is the half-open probe."""

    allowed: bool
    probe: bool = False
    retry_after: int | None = None


class CircuitBreaker:
    """Stops calling an endpoint after repeated 5xx/transport failures, then probes it.

    Closed: calls go out; ``failure_threshold`` failures within ``window_seconds`` open it.
    Open: calls fail fast for ``recovery_seconds``. Half-open: exactly one call (the probe)
    goes out; success closes the breaker, failure re-opens it. State is per key (the client
    uses one key per endpoint, so one failing listing does not take down login). Failures
    are counted with the cache's atomic ``add`` and ``incr`` (the window runs from the
    first failure), so workers failing at once open it at exactly the threshold; the
    probe uses ``add`` too, so only one worker probes.
    """

    def __init__(
        self,
        *,
        failure_threshold: int = 5,
        recovery_seconds: float = 30.0,
        window_seconds: float = 60.0,
        cache: CacheLike | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if failure_threshold < 1:
            raise ValueError("failure_threshold must be at least 1")
        if recovery_seconds <= 0 or window_seconds <= 0:
            raise ValueError("recovery_seconds and window_seconds must be positive")
        self.failure_threshold = failure_threshold
        self.recovery_seconds = recovery_seconds
        self.window_seconds = window_seconds
        self.cache: CacheLike = cache if cache is not None else MemoryCache()
        # Wall-clock time: the open-until mark is shared with other processes via the cache.
        self.clock = clock

    @staticmethod
    def _keys(key: str) -> tuple[str, str, str]:
        base = f"tbits:breaker:{key}"
        return f"{base}:failures", f"{base}:open_until", f"{base}:probe"

    def _open_timeout(self) -> float:
        # Long enough that the open mark outlives the recovery period and waits for a probe.
        return max(self.recovery_seconds * 20, 600.0)

    def state(self, key: str) -> BreakerState:
        _, open_key, _ = self._keys(key)
        open_until = self.cache.get(open_key)
        if open_until is None:
            return BreakerState.CLOSED
        return BreakerState.OPEN if self.clock() < float(open_until) else BreakerState.HALF_OPEN

    def check(self, key: str) -> BreakerDecision:
        """Ask before calling; a probe decision must be followed by a record_* call."""
        _, open_key, probe_key = self._keys(key)
        open_until = self.cache.get(open_key)
        if open_until is None:
            return BreakerDecision(allowed=True)
        left = float(open_until) - self.clock()
        if left > 0:
            return BreakerDecision(allowed=False, retry_after=math.ceil(left))
        # The probe mark expires on its own, so a probe lost with its process is replaced.
        if self.cache.add(probe_key, 1, timeout=self.recovery_seconds):
            return BreakerDecision(allowed=True, probe=True)
        return BreakerDecision(allowed=False, retry_after=1)

    def record_success(self, key: str, *, probe: bool = False) -> None:
        failures_key, open_key, probe_key = self._keys(key)
        if probe:
            self.cache.delete(open_key)
            self.cache.delete(probe_key)
            self.cache.delete(failures_key)
        elif self.cache.get(failures_key):
            self.cache.delete(failures_key)

    def record_failure(self, key: str, *, probe: bool = False) -> None:
        failures_key, open_key, probe_key = self._keys(key)
        if probe:
            self._open(open_key)
            self.cache.delete(probe_key)
            return
        failures = self._count_failure(failures_key)
        if failures >= self.failure_threshold:
            self._open(open_key)
            self.cache.delete(failures_key)

    def _count_failure(self, failures_key: str) -> int:
        """This failure's number within the window, counted atomically across workers."""
        if self.cache.add(failures_key, 1, timeout=self.window_seconds):
            return 1
        try:
            return int(self.cache.incr(failures_key))
        except ValueError:  # the window ended between add and incr: this one starts anew
            self.cache.add(failures_key, 1, timeout=self.window_seconds)
            return 1

    def _open(self, open_key: str) -> None:
        self.cache.set(open_key, self.clock() + self.recovery_seconds, timeout=self._open_timeout())

    def reset(self, key: str) -> None:
        for cache_key in self._keys(key):
            self.cache.delete(cache_key)


def build_http_session(*, pool_maxsize: int, user_agent: str) -> requests.Session:
    """One pooled session for a client: no urllib3 retries, no cookies, TLS verified."""
    session = requests.Session()
    # max_retries=0: urllib3 neither retries nor sleeps on Retry-After; the client decides.
    adapter = HTTPAdapter(pool_connections=4, pool_maxsize=pool_maxsize, max_retries=0)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers["User-Agent"] = user_agent
    session.headers["Accept"] = "application/json"
    # The API is stateless per call; a cookie set by a proxy must not leak between fans
    # whose calls share this session.
    session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
    session.verify = True
    # A ~/.netrc must not add credentials the caller did not ask for.
    session.trust_env = False
    return session
