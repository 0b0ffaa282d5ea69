"""TbitsClient: one object per API account, shared by every thread of a process.

The client validates its configuration, builds the one :class:`Requestor` its calls go
through (headers, timeouts, retries, cooldown, breaker, error mapping, logging), and owns
the worker threads of :meth:`run_concurrently`. The calls themselves are the API-area
services of ``tbits_client/services/``, which the client is made of: ``client.quests()``
is ``QuestService.quests``. Nothing in here imports Django.
"""

from __future__ import annotations

import ipaddress
import math
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

from .concurrency import Result
from .concurrency import run_concurrently as _run_concurrently
from .endpoints import ENDPOINTS
from .errors import ConfigurationError
from .redaction import install_urllib3_filter
from .requestor import Requestor
from .services import (
    AccountService,
    ConnectChannel,
    ConnectService,
    ContentService,
    FanService,
    PointService,
    QuestService,
    RewardService,
    SessionService,
)
from .transport import (
    BreakerState,
    CacheLike,
    CircuitBreaker,
    Cooldown,
    MemoryCache,
    RetryPolicy,
    build_http_session,
)

__all__ = ["DEFAULT_TIMEOUT", "DEFAULT_USER_AGENT", "ConnectChannel", "TbitsClient"]

DEFAULT_TIMEOUT: tuple[float, float] = (3.0, 10.0)
DEFAULT_USER_AGENT = "tbits-portal-client/0.1 (+python-requests)"
_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def _is_loopback(host: str) -> bool:
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _validated_base_url(base_url: str) -> str:
    """The base URL with one trailing slash; https unless the host is loopback."""
    if not isinstance(base_url, str) or not base_url.strip():
        raise ConfigurationError("base_url is required")
    parts = urlsplit(base_url.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ConfigurationError(
            "base_url must be an absolute http(s) URL such as https://nest.tradablebits.com"
        )
    if parts.username or parts.password:
        raise ConfigurationError("base_url must not carry credentials; pass api_key instead")
    if parts.query or parts.fragment:
        raise ConfigurationError("base_url must not have a query string or fragment")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise ConfigurationError(
            "base_url must use https (http is allowed only for loopback hosts, "
            "such as the local sandbox)"
        )
    path = parts.path.rstrip("/") + "/"
    return f"{parts.scheme}://{parts.netloc}{path}"


def _validated_timeout(timeout: float | tuple[float, float]) -> tuple[float, float]:
    if isinstance(timeout, int | float) and not isinstance(timeout, bool):
        pair = (float(timeout), float(timeout))
    elif isinstance(timeout, tuple | list) and len(timeout) == 2:
        pair = (float(timeout[0]), float(timeout[1]))
    else:
        raise ConfigurationError("timeout must be seconds or a (connect, read) pair")
    if not all(value > 0 and math.isfinite(value) for value in pair):
        raise ConfigurationError("timeouts must be positive and finite: never wait forever")
    return pair


def _check_options(
    *,
    api_key: str,
    api_secret: str | None,
    max_retries: int,
    retry_budget_seconds: float,
    cooldown_cache: CacheLike | None,
    circuit_breaker: CircuitBreaker | None,
    pool_maxsize: int,
) -> None:
    """Refuse, at construction, every option that could only fail later."""
    if not isinstance(api_key, str) or not api_key.strip():
        raise ConfigurationError("api_key is required")
    if api_secret is not None and (not isinstance(api_secret, str) or not api_secret):
        raise ConfigurationError("api_secret must be a non-empty string or None")
    if isinstance(max_retries, bool) or not isinstance(max_retries, int):
        raise ConfigurationError("max_retries must be an integer")
    if not 0 <= max_retries <= 10:
        raise ConfigurationError("max_retries must be between 0 and 10")
    if retry_budget_seconds < 0:
        raise ConfigurationError("retry_budget_seconds must not be negative")
    if circuit_breaker is not None and not isinstance(circuit_breaker, CircuitBreaker):
        raise ConfigurationError("circuit_breaker must be a CircuitBreaker or None")
    if cooldown_cache is not None and not isinstance(cooldown_cache, CacheLike):
        raise ConfigurationError("cooldown_cache must have get/set/add/incr/delete")
    if pool_maxsize < 1:
        raise ConfigurationError("pool_maxsize must be at least 1")


class TbitsClient(
    AccountService,
    ConnectService,
    SessionService,
    ContentService,
    PointService,
    QuestService,
    RewardService,
    FanService,
):
    """A typed, resilient client for the Tradable Bits API.

    Thread-safe: one instance (and its connection pool) is meant to be shared by every
    request of a process. Build it once from settings; see docs/endpoints.md for the wire
    conventions it follows.
    """

    def __init__(
        self,
        *,
        base_url: str,
        api_key: str,
        api_secret: str | None = None,
        timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
        max_retries: int = 2,
        retry_budget_seconds: float = 5.0,
        cooldown_cache: CacheLike | None = None,
        circuit_breaker: CircuitBreaker | None = None,
        user_agent: str = DEFAULT_USER_AGENT,
        pool_maxsize: int = 16,
        proxies: Mapping[str, str] | None = None,
    ) -> None:
        base_url = _validated_base_url(base_url)
        _check_options(
            api_key=api_key,
            api_secret=api_secret,
            max_retries=max_retries,
            retry_budget_seconds=retry_budget_seconds,
            cooldown_cache=cooldown_cache,
            circuit_breaker=circuit_breaker,
            pool_maxsize=pool_maxsize,
        )
        requestor = Requestor(
            base_url=base_url,
            api_key=api_key.strip(),
            api_secret=api_secret,
            timeout=_validated_timeout(timeout),
            retry_policy=RetryPolicy(
                max_retries=max_retries, budget_seconds=float(retry_budget_seconds)
            ),
            cooldown=Cooldown(cooldown_cache if cooldown_cache is not None else MemoryCache()),
            circuit_breaker=circuit_breaker,
            http=build_http_session(pool_maxsize=pool_maxsize, user_agent=user_agent),
            proxies=proxies,
        )
        # Every service shares this one requestor (one pool, one cooldown, one breaker).
        super().__init__(requestor)
        self.pool_maxsize = pool_maxsize
        self._executor: ThreadPoolExecutor | None = None
        self._executor_lock = threading.Lock()
        self._thread_prefix = f"tbits-{requestor.namespace}"
        install_urllib3_filter()

    # What the client was built with, read from the requestor that uses it.

    @property
    def base_url(self) -> str:
        return self._requestor.base_url

    @property
    def api_key(self) -> str:
        return self._requestor.api_key

    @property
    def timeout(self) -> tuple[float, float]:
        return self._requestor.timeout

    @property
    def retry_policy(self) -> RetryPolicy:
        return self._requestor.retry_policy

    @property
    def cooldown(self) -> Cooldown:
        return self._requestor.cooldown

    @property
    def circuit_breaker(self) -> CircuitBreaker | None:
        return self._requestor.circuit_breaker

    def breaker_states(self) -> dict[str, BreakerState]:
        """The circuit breaker's state of each endpoint that sends requests, by name.

        Read from the breaker's store (shared by every process when it is a shared cache);
        nothing is sent, so a readiness probe can report the API without calling it. Empty
        when the client has no breaker.
        """
        breaker = self._requestor.circuit_breaker
        if breaker is None:
            return {}
        return {
            row.name: breaker.state(self._requestor.state_key(row))
            for row in ENDPOINTS.values()
            if row.sends_request
        }

    @property
    def has_secret(self) -> bool:
        """Whether server-side (CRM/ent) calls can be made."""
        return self._requestor.has_secret

    def __repr__(self) -> str:
        return f"TbitsClient(base_url={self.base_url!r}, api_key={self.api_key[:4]!r}…)"

    # --- lifecycle --------------------------------------------------------------------

    def close(self) -> None:
        """Release the connection pool and the worker threads."""
        with self._executor_lock:
            if self._executor is not None:
                self._executor.shutdown(wait=True)
                self._executor = None
        self._requestor.http.close()

    def __enter__(self) -> TbitsClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- concurrency ------------------------------------------------------------------

    def run_concurrently(self, calls: Mapping[str, Callable[[], Any]]) -> dict[str, Result[Any]]:
        """Run independent calls at once on the client's threads; ``name -> Result``.

        Example: ``client.run_concurrently({"quests": lambda: client.quests(b), ...})``.
        A call made from one of the client's own threads runs on a private pool instead,
        so nested use cannot deadlock the shared one.
        """
        if threading.current_thread().name.startswith(self._thread_prefix):
            return _run_concurrently(calls)
        return _run_concurrently(calls, executor=self._get_executor())

    def _get_executor(self) -> ThreadPoolExecutor:
        with self._executor_lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(
                    max_workers=self.pool_maxsize, thread_name_prefix=self._thread_prefix
                )
            return self._executor
