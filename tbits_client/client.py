"""TbitsClient: one object per API account, shared by every thread of a process.

Each public method is one row of the endpoint table: it builds the parameters, lets
``_call`` do the HTTP (headers, timeouts, retries, cooldown, breaker, logging, error
mapping), and parses the answer into a model. Nothing in here imports Django.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import hashlib
import ipaddress
import logging
import math
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar
from urllib.parse import quote, urlencode, urlsplit

import requests

from .concurrency import Result
from .concurrency import run_concurrently as _run_concurrently
from .endpoints import ENDPOINTS, Endpoint
from .errors import (
    CircuitOpen,
    ConfigurationError,
    InvalidResponse,
    RateLimited,
    TbitsError,
    TransportError,
    describe_body,
    error_for_status,
)
from .models import (
    AccountStatus,
    Business,
    Completions,
    ConnectResult,
    DisplayNameCheck,
    Fan,
    FanActivity,
    FanPoint,
    FanPointAward,
    FanRegistration,
    FanReward,
    FanTier,
    Idol,
    IdolEvent,
    LeaderboardRow,
    Performance,
    PointType,
    Quest,
    QuestCompletion,
    QuestRewardType,
    QuestType,
    RequirementType,
    RestrictionType,
    Reward,
    RewardType,
    RewardUpdate,
    SelectionModel,
    Session,
    Tier,
    parse_list,
)
from .redaction import Redactor, install_urllib3_filter
from .transport import (
    CacheLike,
    CircuitBreaker,
    Cooldown,
    MemoryCache,
    RetryPolicy,
    build_http_session,
    parse_retry_after,
)

__all__ = ["DEFAULT_TIMEOUT", "DEFAULT_USER_AGENT", "ConnectChannel", "TbitsClient"]

logger = logging.getLogger("tbits_client")

DEFAULT_TIMEOUT: tuple[float, float] = (3.0, 10.0)
DEFAULT_USER_AGENT = "tbits-portal-client/0.1 (+python-requests)"
_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})
# Cap on how much of a non-JSON error body an exception keeps.
_MAX_TEXT_BODY = 2000

_T = TypeVar("_T")


class ConnectChannel(enum.StrEnum):
    """Where a verification code is sent."""

    EMAIL = "email"
    SMS = "sms"


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


def _form_value(value: Any) -> str:
    """How one Python value travels in a form or query (see docs/endpoints.md)."""
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return ",".join(_form_value(item) for item in value)
    return str(value)


def _encode(params: Mapping[str, Any] | None) -> dict[str, str] | None:
    """Drop the parameters left at None and encode the rest."""
    if not params:
        return None
    return {key: _form_value(value) for key, value in params.items() if value is not None}


def _require_one_identity(email: str | None, phone: str | None) -> None:
    if not email and not phone:
        raise ValueError("pass the fan's email or phone")


def _parses(method: Callable[..., _T]) -> Callable[..., _T]:
    """Give a parsing error the endpoint it came from.

    Models raise InvalidResponse without knowing which call produced the payload; the
    client remembers (per thread) the last call it made, and this fills it in.
    """

    @functools.wraps(method)
    def wrapper(self: TbitsClient, *args: Any, **kwargs: Any) -> _T:
        try:
            return method(self, *args, **kwargs)
        except InvalidResponse as error:
            context = getattr(self._local, "context", None)
            if error.endpoint is None and context:
                error.endpoint = context["endpoint"]
                error.method = context["method"]
                error.path = context["path"]
            raise

    return wrapper


class TbitsClient:
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
        self.base_url = _validated_base_url(base_url)
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

        self.api_key = api_key.strip()
        self._api_secret = api_secret
        self.timeout = _validated_timeout(timeout)
        self.retry_policy = RetryPolicy(
            max_retries=max_retries, budget_seconds=float(retry_budget_seconds)
        )
        self.cooldown = Cooldown(cooldown_cache if cooldown_cache is not None else MemoryCache())
        self.circuit_breaker = circuit_breaker
        self.pool_maxsize = pool_maxsize
        self._proxies = dict(proxies) if proxies else None
        self._http = build_http_session(pool_maxsize=pool_maxsize, user_agent=user_agent)
        self._base_headers = dict(self._http.headers)
        self._redactor = Redactor([api_secret])
        # Cooldown and breaker keys are namespaced by host and account, so clients for
        # different accounts can share one cache without silencing each other.
        digest = hashlib.sha256(f"{self.base_url}|{self.api_key}".encode()).hexdigest()
        self._namespace = digest[:12]
        # Per-thread memory of the last call, for _parses (one client serves many threads).
        self._local = threading.local()
        self._executor: ThreadPoolExecutor | None = None
        self._executor_lock = threading.Lock()
        self._thread_prefix = f"tbits-{self._namespace}"
        # Overridable in tests so backoff does not slow the suite down.
        self._sleep: Callable[[float], None] = time.sleep
        install_urllib3_filter()

    @property
    def has_secret(self) -> bool:
        """Whether server-side (CRM/ent) calls can be made."""
        return self._api_secret is not None

    def __repr__(self) -> str:
        return f"TbitsClient(base_url={self.base_url!r}, api_key={self.api_key[:4]!r}…)"

    # --- lifecycle --------------------------------------------------------------------

    def close(self) -> None:
        """Release the connection pool and the worker threads."""
        with self._executor_lock:
            if self._executor is not None:
                self._executor.shutdown(wait=True)
                self._executor = None
        self._http.close()

    def __enter__(self) -> TbitsClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- plumbing ---------------------------------------------------------------------

    def _url(self, row: Endpoint, path_params: Mapping[str, Any] | None) -> str:
        values: dict[str, str] = {}
        for name in row.path_params:
            raw = (path_params or {}).get(name)
            text = "" if raw is None else str(raw).strip()
            if not text or text in {".", ".."}:
                raise ValueError(f"{name} is required")
            values[name] = quote(text, safe="")
        return self.base_url + row.path.format(**values)

    def _key(self, row: Endpoint, scope: str | None = None) -> str:
        key = f"{self._namespace}:{row.name}"
        if scope:
            # Hashed: the scope is a fan's IP address, which has no business in a cache key.
            key += ":" + hashlib.sha256(scope.encode()).hexdigest()[:12]
        return key

    def _call(
        self,
        name: str,
        *,
        path_params: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        form: Mapping[str, Any] | None = None,
        secrets: Iterable[str | None] = (),
        cooldown_scope: str | None = None,
    ) -> Any:
        """Send one call of the table and return its parsed JSON (None when empty).

        ``secrets`` are the values of this call that must never be logged or put in an
        error (passwords, codes); the session id of a session path is added here.
        ``cooldown_scope`` narrows a 429 cooldown to the calls sharing it; the breaker is
        always per endpoint (a down API is down for everyone).
        """
        row = ENDPOINTS[name]
        url = self._url(row, path_params)
        session_uid = (path_params or {}).get("session_uid")
        redactor = self._redactor.with_secrets([*secrets, session_uid])
        context = {"endpoint": row.name, "method": str(row.method), "path": "/" + row.path}
        self._local.context = context
        cooldown_key = self._key(row, cooldown_scope)
        key = self._key(row)

        headers = {"Api-Key": self.api_key}
        if row.needs_secret:
            if self._api_secret is None:
                raise ConfigurationError(f"{row.name} needs api_secret; build the client with it")
            headers["Api-Secret"] = self._api_secret

        cooling = self.cooldown.remaining(cooldown_key)
        if cooling is not None:
            error: TbitsError = RateLimited(
                f"rate limited; cooling down for {cooling}s",
                retry_after=cooling,
                from_cooldown=True,
                http_status=429,
                **context,
            )
            self._log(row, status=None, outcome="cooldown", started=time.monotonic(), attempts=0)
            raise error

        probe = False
        if self.circuit_breaker is not None:
            decision = self.circuit_breaker.check(key)
            if not decision.allowed:
                self._log(row, status=None, outcome="circuit-open", started=time.monotonic())
                raise CircuitOpen(
                    "circuit open after repeated failures; not calling",
                    retry_after=decision.retry_after,
                    **context,
                )
            probe = decision.probe

        started = time.monotonic()
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self._send(row, url, query=query, form=form, headers=headers)
            except requests.RequestException as exc:
                if self._should_retry(row, attempt, started):
                    continue
                error = TransportError(self._describe_transport(exc, redactor), **context)
                self._record(key, probe, failed=True)
                self._log(
                    row, status=None, outcome=type(exc).__name__, started=started, attempts=attempt
                )
                raise error from None

            status = response.status_code
            if status >= 500 and self._should_retry(row, attempt, started):
                response.close()
                continue
            break

        if 200 <= status < 300:
            self._record(key, probe, failed=False)
            self._log(row, status=status, outcome="ok", started=started, attempts=attempt)
            if not response.content:
                return None
            try:
                return response.json()
            except ValueError:
                raise InvalidResponse(
                    "answer is not JSON", http_status=status, body=None, **context
                ) from None

        body = self._error_body(response, redactor)
        message = describe_body(body)
        message = redactor.text(message) if message else f"HTTP {status}"
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        error = error_for_status(
            status,
            message=message,
            body=body,
            session_bound=row.session_bound,
            retry_after=retry_after,
            **context,
        )
        if status == 429 and isinstance(error, RateLimited):
            error.retry_after = retry_after
            self.cooldown.start(cooldown_key, retry_after)
        # The API answered: only 5xx counts against it (a 4xx is our caller's business).
        self._record(key, probe, failed=status >= 500)
        self._log(
            row, status=status, outcome=type(error).__name__, started=started, attempts=attempt
        )
        raise error

    def _send(
        self,
        row: Endpoint,
        url: str,
        *,
        query: Mapping[str, Any] | None,
        form: Mapping[str, Any] | None,
        headers: Mapping[str, str],
    ) -> requests.Response:
        """One attempt, prepared here and handed to the pooled session's ``send``.

        ``Session.request`` would merge the session's cookies, hooks, auth and environment
        settings into every call; the client uses none of them (no cookies are kept, no
        ``.netrc`` or proxy variables are read), and the merging was a fifth of a call's
        CPU. The session's default headers are merged once, at construction.
        """
        prepared = requests.PreparedRequest()
        prepared.prepare(
            method=str(row.method),
            url=url,
            headers={**self._base_headers, **headers},
            data=_encode(form),
            params=_encode(query),
        )
        return self._http.send(
            prepared,
            timeout=self.timeout,
            allow_redirects=False,
            proxies=self._proxies or {},
            verify=True,
            stream=False,
            cert=None,
        )

    def _should_retry(self, row: Endpoint, attempt: int, started: float) -> bool:
        """Sleep and return True when another attempt is allowed, else False."""
        policy = self.retry_policy
        if not row.retry_safe or attempt > policy.max_retries:
            return False
        delay = policy.delay(attempt - 1)
        if time.monotonic() - started + delay > policy.budget_seconds:
            return False
        self._sleep(delay)
        return True

    def _record(self, key: str, probe: bool, *, failed: bool) -> None:
        if self.circuit_breaker is None:
            return
        if failed:
            self.circuit_breaker.record_failure(key, probe=probe)
        else:
            self.circuit_breaker.record_success(key, probe=probe)

    def _describe_transport(self, exc: requests.RequestException, redactor: Redactor) -> str:
        connect, read = self.timeout
        if isinstance(exc, requests.ConnectTimeout):
            summary = f"connect timeout after {connect:g}s"
        elif isinstance(exc, requests.ReadTimeout):
            summary = f"read timeout after {read:g}s"
        elif isinstance(exc, requests.exceptions.SSLError):
            summary = "TLS verification failed"
        elif isinstance(exc, requests.ConnectionError):
            summary = "connection failed"
        else:
            summary = f"request failed ({type(exc).__name__})"
        # The library's own text names the host and errno (useful) but also the filled
        # URL, hence the redaction.
        detail = redactor.text(str(exc))[:300]
        return f"{summary}: {detail}" if detail else summary

    @staticmethod
    def _error_body(response: requests.Response, redactor: Redactor) -> Any:
        try:
            body: Any = response.json()
        except ValueError:
            body = response.text[:_MAX_TEXT_BODY]
        return redactor.payload(body)

    @staticmethod
    def _log(
        row: Endpoint,
        *,
        status: int | None,
        outcome: str,
        started: float,
        attempts: int = 1,
    ) -> None:
        # Only the path template: the filled path may hold a session id.
        elapsed_ms = round((time.monotonic() - started) * 1000)
        level = logging.DEBUG if outcome == "ok" else logging.INFO
        logger.log(
            level,
            "tbits %s /%s -> %s %s in %dms (attempts %d)",
            row.method,
            row.path,
            status if status is not None else "-",
            outcome,
            elapsed_ms,
            attempts,
            extra={
                "tbits_endpoint": row.name,
                "tbits_status": status,
                "tbits_ms": elapsed_ms,
                "tbits_attempts": attempts,
            },
        )

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

    # --- account and OAuth ------------------------------------------------------------

    @_parses
    def status(self) -> AccountStatus:
        """Branding and legal texts for the login pages."""
        return AccountStatus.from_api(self._call("status"))

    def oauth_url(
        self,
        *,
        account_id: int | str,
        business_id: int | str,
        redirect_url: str,
        login_type: str = "email",
    ) -> str:
        """Where to send the fan's browser to log in with Tradable Bits (no HTTP here)."""
        row = ENDPOINTS["oauth_authorize"]
        query = urlencode(
            {
                "account_id": account_id,
                "business_id": business_id,
                "login_type": login_type,
                "redirect_url": redirect_url,
            }
        )
        return f"{self._url(row, None)}?{query}"

    @_parses
    def exchange_oauth_code(
        self, *, code: str, account_id: int | str, redirect_url: str
    ) -> Session:
        """Trade the one-time OAuth code for a session. Never retried: codes are single-use."""
        if not code:
            raise ValueError("code is required")
        answer = self._call(
            "oauth_access_token",
            query={"code": code, "account_id": account_id, "redirect_url": redirect_url},
            secrets=[code],
        )
        return Session.from_api(answer)

    # --- Sessions/Connect -------------------------------------------------------------

    def _connect(
        self,
        network: str,
        *,
        business_id: int | str,
        ip_address: str | None,
        fields: Mapping[str, Any],
        secrets: Iterable[str | None] = (),
    ) -> ConnectResult:
        if business_id is None or str(business_id).strip() == "":
            raise ValueError("business_id is required")
        form = {"network": network, "business_id": business_id, **fields}
        if ip_address:
            form["ip_address"] = ip_address
        # The provider throttles these look-ups per fan IP (anti-enumeration): one fan's
        # 429 must not put every other fan's login on cooldown.
        answer = self._call(
            "sessions_connect", form=form, secrets=secrets, cooldown_scope=ip_address
        )
        return ConnectResult.from_api(answer)

    @_parses
    def connect_lookup(
        self,
        *,
        business_id: int | str,
        email: str | None = None,
        phone: str | None = None,
        ip_address: str | None = None,
    ) -> ConnectResult:
        """Does this email (or phone) belong to a fan? FAN_EXISTS or MUST_REGISTER."""
        _require_one_identity(email, phone)
        network = "email" if email else "phone"
        return self._connect(
            network,
            business_id=business_id,
            ip_address=ip_address,
            fields={"email": email} if email else {"phone": phone},
        )

    @_parses
    def connect_send_code(
        self,
        *,
        business_id: int | str,
        channel: ConnectChannel | str,
        email: str | None = None,
        phone: str | None = None,
        ip_address: str | None = None,
    ) -> ConnectResult:
        """Send a one-time code by email or SMS; CODE_SENT with ``request_uid``."""
        _require_one_identity(email, phone)
        channel = ConnectChannel(channel)
        network = "verify_email" if channel is ConnectChannel.EMAIL else "verify_sms"
        return self._connect(
            network,
            business_id=business_id,
            ip_address=ip_address,
            fields={"email": email, "phone": phone},
        )

    @_parses
    def connect_submit_code(
        self,
        *,
        business_id: int | str,
        request_uid: str,
        verification_code: str,
        email: str | None = None,
        phone: str | None = None,
        ip_address: str | None = None,
    ) -> ConnectResult:
        """Submit the code: SESSION_CREATED, or MUST_REGISTER with ``verification_uid``."""
        if not request_uid or not verification_code:
            raise ValueError("request_uid and verification_code are required")
        return self._connect(
            "submit_verification_code",
            business_id=business_id,
            ip_address=ip_address,
            fields={
                "email": email,
                "phone": phone,
                "request_uid": request_uid,
                "verification_code": verification_code,
            },
            secrets=[verification_code, request_uid],
        )

    @_parses
    def connect_register(
        self,
        *,
        business_id: int | str,
        first_name: str,
        last_name: str,
        email: str | None = None,
        phone: str | None = None,
        request_uid: str | None = None,
        verification_uid: str | None = None,
        is_accepted: bool | None = None,
        ip_address: str | None = None,
    ) -> ConnectResult:
        """Register a fan: SESSION_CREATED (verified), FAN_EXISTS, or TERMS_REQUIRED.

        After TERMS_REQUIRED, call again with ``is_accepted=True`` once the fan accepted.
        """
        _require_one_identity(email, phone)
        return self._connect(
            "register",
            business_id=business_id,
            ip_address=ip_address,
            fields={
                "email": email,
                "phone": phone,
                "first_name": first_name,
                "last_name": last_name,
                "request_uid": request_uid,
                "verification_uid": verification_uid,
                # The docs call it a flag; "1" is what every server reads as true.
                "is_accepted": "1" if is_accepted else None,
            },
            secrets=[request_uid, verification_uid],
        )

    @_parses
    def connect_password(
        self,
        *,
        business_id: int | str,
        password: str,
        email: str | None = None,
        phone: str | None = None,
        ip_address: str | None = None,
    ) -> ConnectResult:
        """Log in with a password: SESSION_CREATED, or Unauthorized."""
        _require_one_identity(email, phone)
        if not password:
            raise ValueError("password is required")
        return self._connect(
            "password",
            business_id=business_id,
            ip_address=ip_address,
            fields={"email": email, "phone": phone, "password": password},
            secrets=[password],
        )

    @_parses
    def connect_guest(
        self, *, business_id: int | str, ip_address: str | None = None
    ) -> ConnectResult:
        """A guest session (network empty)."""
        return self._connect("", business_id=business_id, ip_address=ip_address, fields={})

    # --- sessions ---------------------------------------------------------------------

    @_parses
    def get_session(self, session_uid: str) -> Session:
        """The session; SessionExpired when it is gone."""
        return Session.from_api(self._call("session", path_params={"session_uid": session_uid}))

    @_parses
    def get_session_fan(self, session_uid: str) -> Fan:
        """The session's fan record (with tags)."""
        return Fan.from_api(self._call("session_fan", path_params={"session_uid": session_uid}))

    @_parses
    def update_session_fan(
        self,
        session_uid: str,
        *,
        first_name: str | None = None,
        last_name: str | None = None,
        display_name: str | None = None,
        password: str | None = None,
        phone: str | None = None,
        birth_date: dt.date | str | None = None,
        is_subscribed: bool | None = None,
        is_phone_subscribed: bool | None = None,
    ) -> Fan:
        """Update the fan; only the fields passed are sent.

        The API answers with little more than ``fan_id``, so the returned Fan holds the
        answer plus the values sent (never the password).
        """
        sent = {
            "first_name": first_name,
            "last_name": last_name,
            "display_name": display_name,
            "phone": phone,
            "birth_date": birth_date,
            "is_subscribed": is_subscribed,
            "is_phone_subscribed": is_phone_subscribed,
        }
        answer = self._call(
            "session_fan_update",
            path_params={"session_uid": session_uid},
            form={**sent, "password": password},
            secrets=[password],
        )
        known = {key: value for key, value in sent.items() if value is not None}
        merged = {**known, **(answer if isinstance(answer, Mapping) else {})}
        merged.pop("password", None)
        return Fan.from_api(merged)

    @_parses
    def get_session_points(self, session_uid: str) -> list[FanPoint]:
        """The session fan's point balances."""
        answer = self._call("session_points", path_params={"session_uid": session_uid})
        return parse_list(FanPoint, answer)

    # --- idols ------------------------------------------------------------------------

    @_parses
    def idols(self, *, label_name: str | None = None) -> list[Idol]:
        return parse_list(Idol, self._call("idols", query={"label_name": label_name}))

    @_parses
    def idol_events(self, *, label_name: str | None = None) -> list[IdolEvent]:
        answer = self._call("idol_events", query={"label_name": label_name})
        if isinstance(answer, Mapping) and isinstance(answer.get("idol_events"), list):
            answer = answer["idol_events"]
        return parse_list(IdolEvent, answer)

    @_parses
    def session_idols(self, session_uid: str, *, label_name: str | None = None) -> list[Idol]:
        answer = self._call(
            "session_idols",
            path_params={"session_uid": session_uid},
            query={"label_name": label_name},
        )
        return parse_list(Idol, answer)

    @_parses
    def like_idol(self, session_uid: str, idol_uid: str) -> None:
        self._call(
            "session_idols_update",
            path_params={"session_uid": session_uid},
            form={"action": "add", "idol_uid": idol_uid},
        )

    @_parses
    def unlike_idol(self, session_uid: str, idol_uid: str) -> None:
        self._call(
            "session_idols_update",
            path_params={"session_uid": session_uid},
            form={"action": "delete", "idol_uid": idol_uid},
        )

    # --- businesses, point types, tiers -----------------------------------------------

    @_parses
    def businesses(self) -> list[Business]:
        return parse_list(Business, self._call("businesses"))

    @_parses
    def point_types(self) -> list[PointType]:
        return parse_list(PointType, self._call("point_types"))

    @_parses
    def create_point_type(self, *, point_name: str) -> PointType:
        answer = self._call("point_type_create", form={"point_name": point_name})
        return PointType.from_api({"point_name": point_name, **_as_mapping(answer)})

    @_parses
    def tiers(self, point_uid: str) -> list[Tier]:
        """Tiers of a point type, lowest first."""
        answer = self._call("point_tiers", path_params={"point_uid": point_uid})
        return sorted(parse_list(Tier, answer), key=lambda tier: tier.min_points)

    @_parses
    def save_tier(
        self,
        point_uid: str,
        *,
        tier_name: str,
        min_points: int,
        point_tier_uid: str | None = None,
    ) -> Tier:
        """Create a tier, or update the one named by ``point_tier_uid``."""
        sent = {
            "tier_name": tier_name,
            "min_points": min_points,
            "point_tier_uid": point_tier_uid,
        }
        answer = self._call("point_tier_save", path_params={"point_uid": point_uid}, form=sent)
        known = {key: value for key, value in sent.items() if value is not None}
        return Tier.from_api({**known, "point_uid": point_uid, **_as_mapping(answer)})

    @_parses
    def fan_tier(self, fan_id: int | str, *, point_name: str) -> FanTier:
        """The fan's current tier for ``point_name`` (``tier`` None below the first)."""
        answer = self._call(
            "fan_point_tier", path_params={"fan_id": fan_id}, query={"point_name": point_name}
        )
        result = FanTier.from_api(answer)
        if result.point_name is None:
            result = dataclasses.replace(result, point_name=point_name)
        return result

    # --- quests -----------------------------------------------------------------------

    @_parses
    def quests(self, business_id: int | str) -> list[Quest]:
        answer = self._call("quests", path_params={"business_id": business_id})
        return parse_list(Quest, answer)

    @_parses
    def create_quest(
        self,
        business_id: int | str,
        *,
        quest_type: QuestType | str,
        quest_title: str,
        quest_description: str | None = None,
        button_text: str | None = None,
        reward_type: QuestRewardType | str | None = None,
        fan_points_reward: int | None = None,
        performance_uid: str | None = None,
        target_page_tab_id: int | None = None,
        link_url: str | None = None,
        scan_group_names: Iterable[str] | None = None,
        site_name: str | None = None,
        access_restriction_type: RestrictionType | str | None = None,
        fan_points_required: int | None = None,
        point_tier_uid: str | None = None,
        required_page_tab_ids: Iterable[int] | None = None,
        tag_name: str | None = None,
        start_date: dt.date | str | None = None,
        end_date: dt.date | str | None = None,
        media_uid: str | None = None,
        idol_uid: str | None = None,
        is_required: bool | None = None,
    ) -> Quest:
        """Create a quest; the API validates the conditional fields (BadRequest says why)."""
        sent: dict[str, Any] = {
            "quest_type": quest_type,
            "quest_title": quest_title,
            "quest_description": quest_description,
            "button_text": button_text,
            "reward_type": reward_type,
            "fan_points_reward": fan_points_reward,
            "performance_uid": performance_uid,
            "target_page_tab_id": target_page_tab_id,
            "link_url": link_url,
            "scan_group_names": tuple(scan_group_names) if scan_group_names else None,
            "site_name": site_name,
            "access_restriction_type": access_restriction_type,
            "fan_points_required": fan_points_required,
            "point_tier_uid": point_tier_uid,
            "required_page_tab_ids": (
                tuple(required_page_tab_ids) if required_page_tab_ids else None
            ),
            "tag_name": tag_name,
            "start_date": start_date,
            "end_date": end_date,
            "media_uid": media_uid,
            "idol_uid": idol_uid,
            "is_required": is_required,
        }
        answer = self._call("quest_create", path_params={"business_id": business_id}, form=sent)
        return Quest.from_api(_merge_sent(sent, answer))

    @_parses
    def delete_quest(self, business_id: int | str, page_tab_id: int | str) -> None:
        self._call(
            "quest_delete",
            path_params={"business_id": business_id, "page_tab_id": page_tab_id},
        )

    # --- rewards ----------------------------------------------------------------------

    @_parses
    def rewards(self, business_id: int | str) -> list[Reward]:
        answer = self._call("rewards", path_params={"business_id": business_id})
        return parse_list(Reward, answer)

    @_parses
    def create_reward(
        self,
        business_id: int | str,
        *,
        reward_title: str,
        reward_type: RewardType | str,
        expiration_timestamp: dt.datetime | str,
        timezone: str,
        winner_selection_model: SelectionModel | str,
        reward_limit: int | None = None,
        requirement_type: RequirementType | str | None = None,
        point_tier_uid: str | None = None,
        required_page_tab_ids: Iterable[int] | None = None,
        description: str | None = None,
        performance_uid: str | None = None,
        access_start_timestamp: dt.datetime | str | None = None,
        access_end_timestamp: dt.datetime | str | None = None,
        access_pass_type: str | None = None,
        prize_codes: Iterable[str] | None = None,
        is_limited: bool | None = None,
        atvenu_sales_event_key: str | None = None,
        atvenu_promo_key: str | None = None,
        atvenu_delivery_method: str | None = None,
        bestring_location_group_id: str | None = None,
        bestring_promotion_id: str | None = None,
        media_uid: str | None = None,
    ) -> Reward:
        """Create a reward; the API validates the conditional fields (BadRequest says why)."""
        sent: dict[str, Any] = {
            "reward_title": reward_title,
            "reward_type": reward_type,
            "expiration_timestamp": expiration_timestamp,
            "timezone": timezone,
            "winner_selection_model": winner_selection_model,
            "reward_limit": reward_limit,
            "requirement_type": requirement_type,
            "point_tier_uid": point_tier_uid,
            "required_page_tab_ids": (
                tuple(required_page_tab_ids) if required_page_tab_ids else None
            ),
            "description": description,
            "performance_uid": performance_uid,
            "access_start_timestamp": access_start_timestamp,
            "access_end_timestamp": access_end_timestamp,
            "access_pass_type": access_pass_type,
            "prize_codes": tuple(prize_codes) if prize_codes else None,
            "is_limited": is_limited,
            "atvenu_sales_event_key": atvenu_sales_event_key,
            "atvenu_promo_key": atvenu_promo_key,
            "atvenu_delivery_method": atvenu_delivery_method,
            "bestring_location_group_id": bestring_location_group_id,
            "bestring_promotion_id": bestring_promotion_id,
            "media_uid": media_uid,
        }
        answer = self._call("reward_create", path_params={"business_id": business_id}, form=sent)
        return Reward.from_api(_merge_sent(sent, answer))

    @_parses
    def delete_reward(self, business_id: int | str, reward_uid: str) -> None:
        self._call(
            "reward_delete",
            path_params={"business_id": business_id, "reward_uid": reward_uid},
        )

    @_parses
    def fan_rewards(self, business_id: int | str, fan_id: int | str) -> list[FanReward]:
        answer = self._call(
            "fan_rewards", path_params={"business_id": business_id, "fan_id": fan_id}
        )
        return parse_list(FanReward, answer)

    @_parses
    def assign_reward(
        self, business_id: int | str, fan_id: int | str, *, reward_uid: str
    ) -> FanReward:
        """Give a reward (one with no automatic requirement) to a fan."""
        answer = self._call(
            "fan_reward_assign",
            path_params={"business_id": business_id, "fan_id": fan_id},
            form={"reward_uid": reward_uid},
        )
        return FanReward.from_api(
            {"reward_uid": reward_uid, "fan_id": fan_id, **_as_mapping(answer)}
        )

    # --- completions ------------------------------------------------------------------

    @_parses
    def completions(self, business_id: int | str, fan_id: int | str) -> Completions:
        answer = self._call(
            "quest_completions", path_params={"business_id": business_id, "fan_id": fan_id}
        )
        return Completions.from_api(answer)

    @_parses
    def complete_quest(
        self, business_id: int | str, page_tab_id: int | str, fan_id: int | str
    ) -> QuestCompletion:
        """Complete a quest; idempotent (a repeat returns the same activity), so retried."""
        answer = self._call(
            "quest_complete",
            path_params={"business_id": business_id, "page_tab_id": page_tab_id, "fan_id": fan_id},
        )
        return QuestCompletion.from_api(answer)

    @_parses
    def reward_updates(self, *, last_update_date: dt.date | str) -> list[RewardUpdate]:
        answer = self._call("reward_updates", query={"last_update_date": last_update_date})
        return parse_list(RewardUpdate, answer)

    def media_url(
        self, media_uid: str, *, width: int | None = None, height: int | None = None
    ) -> str:
        """The URL of a media asset, optionally resized (no HTTP here)."""
        url = self._url(ENDPOINTS["media"], {"media_uid": media_uid})
        query = _encode({"width": width, "height": height})
        return f"{url}?{urlencode(query)}" if query else url

    # --- CRM --------------------------------------------------------------------------

    @_parses
    def fan_points(self, fan_id: int | str) -> list[FanPoint]:
        answer = self._call("crm_fan_points", path_params={"fan_id": fan_id})
        return parse_list(FanPoint, answer)

    @_parses
    def award_fan_points(
        self,
        *,
        point_uid: str,
        fan_id: int | str,
        point_count: int,
        award_key: str | None = None,
        point_type: str | None = None,
        reward_uid: str | None = None,
        page_tab_id: int | None = None,
        activity_id: int | None = None,
        session_uid: str | None = None,
    ) -> FanPointAward:
        """Award (or, negative, remove) points. Never retried; ``award_key`` de-duplicates."""
        answer = self._call(
            "crm_fan_points_award",
            form={
                "point_uid": point_uid,
                "fan_id": fan_id,
                "point_count": point_count,
                "award_key": award_key,
                "point_type": point_type,
                "reward_uid": reward_uid,
                "page_tab_id": page_tab_id,
                "activity_id": activity_id,
                "session_uid": session_uid,
            },
            secrets=[session_uid],
        )
        return FanPointAward.from_api(answer if answer is not None else {})

    @_parses
    def fan_points_ledger(
        self,
        *,
        start_date: dt.date | str,
        end_date: dt.date | str,
        point_uid: str | None = None,
        fan_id: int | str | None = None,
        limit: int | None = None,
    ) -> list[FanPoint]:
        answer = self._call(
            "crm_fan_points_ledger",
            query={
                "start_date": start_date,
                "end_date": end_date,
                "point_uid": point_uid,
                "fan_id": fan_id,
                "limit": limit,
            },
        )
        return parse_list(FanPoint, answer)

    @_parses
    def leaderboard(
        self,
        *,
        point_name: str,
        start_date: dt.date | str | None = None,
        end_date: dt.date | str | None = None,
        limit: int | None = None,
    ) -> list[LeaderboardRow]:
        """Fans ranked by points; the API needs ``start_date`` or ``end_date``."""
        if start_date is None and end_date is None:
            raise ValueError("pass start_date or end_date (the API requires one)")
        answer = self._call(
            "crm_leaderboard",
            query={
                "point_name": point_name,
                "start_date": start_date,
                "end_date": end_date,
                "limit": limit,
            },
        )
        return parse_list(LeaderboardRow, answer)

    @_parses
    def display_name_check(self, *, display_name: str) -> DisplayNameCheck:
        """A usable display name; BadRequest when the name is invalid."""
        answer = self._call("crm_display_name", query={"display_name": display_name})
        return DisplayNameCheck.from_api(answer, requested=display_name)

    @_parses
    def fan(self, fan_id: int | str) -> Fan:
        return Fan.from_api(self._call("crm_fan", path_params={"fan_id": fan_id}))

    @_parses
    def fan_activities(
        self,
        fan_id: int | str,
        *,
        limit: int | None = None,
        campaign_title: str | None = None,
    ) -> list[FanActivity]:
        answer = self._call(
            "crm_fan_activities",
            path_params={"fan_id": fan_id},
            query={"limit": limit, "campaign_title": campaign_title},
        )
        return parse_list(FanActivity, answer)

    @_parses
    def create_fan_activity(
        self, fan_id: int | str, *, campaign_title: str, **fields: Any
    ) -> FanActivity:
        """Record an activity; ``fields`` are custom ``field_*`` values."""
        unknown = [name for name in fields if not name.startswith("field_")]
        if unknown:
            raise ValueError(f"custom activity fields must start with field_: {unknown}")
        answer = self._call(
            "crm_fan_activity_create",
            path_params={"fan_id": fan_id},
            form={"campaign_title": campaign_title, **fields},
        )
        return FanActivity.from_api(
            {"fan_id": fan_id, "campaign_title": campaign_title, **_as_mapping(answer)}
        )

    @_parses
    def fan_registrations(
        self, fan_id: int | str, *, limit: int | None = None
    ) -> list[FanRegistration]:
        answer = self._call(
            "crm_fan_registrations", path_params={"fan_id": fan_id}, query={"limit": limit}
        )
        return parse_list(FanRegistration, answer)

    @_parses
    def create_fan_registration(
        self,
        fan_id: int | str,
        *,
        registration_key: str,
        first_name: str,
        last_name: str,
        email: str,
        event_name: str,
        event_date: dt.date | str,
        registration_timestamp: dt.datetime | str,
        network: str,
        **fields: Any,
    ) -> FanRegistration:
        """Register a wristband/ticket (``fields``: barcode, venue_name, ticket_key...)."""
        if isinstance(registration_timestamp, dt.datetime):
            # Documented as "YYYY-MM-DD HH:MI:SS in GMT", not ISO with a T.
            moment = registration_timestamp
            if moment.tzinfo is not None:
                moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
            registration_timestamp = moment.strftime("%Y-%m-%d %H:%M:%S")
        sent = {
            "registration_key": registration_key,
            "first_name": first_name,
            "last_name": last_name,
            "email": email,
            "event_name": event_name,
            "event_date": event_date,
            "registration_timestamp": registration_timestamp,
            "network": network,
            **fields,
        }
        answer = self._call(
            "crm_fan_registration_create", path_params={"fan_id": fan_id}, form=sent
        )
        keep = {"registration_key", "event_name", "event_date", "barcode", "ticket_key"}
        known = {key: value for key, value in sent.items() if key in keep and value is not None}
        return FanRegistration.from_api({**known, "fan_id": fan_id, **_as_mapping(answer)})

    @_parses
    def performances(self) -> list[Performance]:
        return parse_list(Performance, self._call("performances"))


def _as_mapping(answer: Any) -> Mapping[str, Any]:
    """A creation answer as a mapping ({} when the API sent nothing or just a literal)."""
    if isinstance(answer, Mapping):
        return answer
    if answer is None or isinstance(answer, bool | int | str):
        return {}
    raise InvalidResponse(f"expected a JSON object, got {type(answer).__name__}")


def _merge_sent(sent: Mapping[str, Any], answer: Any) -> dict[str, Any]:
    """What was sent, overlaid with what the API answered (it wins on every key).

    Creation calls answer only the new id; merging gives the caller a complete model.
    """
    known = {
        key: (value.value if isinstance(value, enum.Enum) else value)
        for key, value in sent.items()
        if value is not None
    }
    return {**known, **_as_mapping(answer)}
