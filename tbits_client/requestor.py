"""The requestor: one call of the endpoint table, from parameters to a parsed answer.

Everything every call shares lives here and nowhere else: headers and the secret, the
URL, the wire encoding of values, the 429 cooldown and the circuit breaker, bounded
retries, turning a status into an exception, redaction and the log line. The API-area
services (``tbits_client/services/``) only say which row they call, with what, and how
the answer is parsed.

A call's context (endpoint, method, path template) travels with the call as a
:class:`CallContext` and is given to every error raised for it, including a parsing error
raised by the caller's ``parse`` function, so no per-thread memory of "the last call" is
needed.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote

import requests

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
from .redaction import Redactor
from .tally import note_requests
from .transport import CircuitBreaker, Cooldown, RetryPolicy, parse_retry_after

__all__ = ["BRACKETED_LISTS", "CallContext", "Requestor", "encode_params"]

logger = logging.getLogger("tbits_client")

# Cap on how much of a non-JSON error body an exception keeps.
_MAX_TEXT_BODY = 2000

_T = TypeVar("_T")


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


# List parameters the reference names with brackets (api-reference.txt, "Create quest for a
# performance": ``scan_group_names[]``, ``required_page_tab_ids[]``): each item travels as
# its own ``name[]=value`` pair. Any other list (``prize_codes``, documented as "comma or
# newline-separated") stays one comma-joined value.
BRACKETED_LISTS = frozenset({"required_page_tab_ids", "scan_group_names"})

_Wire = dict[str, str | list[str]]


def encode_params(params: Mapping[str, Any] | None) -> _Wire | None:
    """Drop the parameters left at None and encode the rest for the wire.

    A list named in :data:`BRACKETED_LISTS` becomes ``name[]`` with one value per item
    (requests sends a list value as repeated keys, in order).
    """
    if not params:
        return None
    wire: _Wire = {}
    for key, value in params.items():
        if value is None:
            continue
        if key in BRACKETED_LISTS and isinstance(value, list | tuple | set | frozenset):
            wire[f"{key}[]"] = [_form_value(item) for item in value]
        else:
            wire[key] = _form_value(value)
    return wire


def _unchanged(answer: Any) -> Any:
    return answer


@dataclass(frozen=True, slots=True)
class CallContext:
    """What an error of one call names: the endpoint, its method and its path *template*.

    Never the filled path: it may carry a fan's session id.
    """

    endpoint: str
    method: str
    path: str

    @classmethod
    def of(cls, row: Endpoint) -> CallContext:
        return cls(endpoint=row.name, method=str(row.method), path="/" + row.path)

    def fields(self) -> dict[str, str]:
        """The keyword arguments every TbitsError takes to say where it came from."""
        return {"endpoint": self.endpoint, "method": self.method, "path": self.path}

    def locate(self, error: InvalidResponse) -> None:
        """Name this call in a parsing error raised without knowing it (models do not)."""
        if error.endpoint is None:
            error.endpoint, error.method, error.path = self.endpoint, self.method, self.path


@dataclass(frozen=True, slots=True)
class _Call:
    """One call about to be sent: its row, URL, headers, redactor and state keys."""

    row: Endpoint
    context: CallContext
    url: str
    headers: dict[str, str]
    redactor: Redactor
    cooldown_key: str
    breaker_key: str


class Requestor:
    """Sends the calls of one API account; shared by every thread of a process.

    ``sleep`` and ``monotonic`` are the clock the retries use; tests pass fakes so backoff
    is checked by the delays asked for rather than waited out.
    """

    def __init__(
        self,
        *,
        base_url: str,
        api_key: str,
        api_secret: str | None,
        timeout: tuple[float, float],
        retry_policy: RetryPolicy,
        cooldown: Cooldown,
        circuit_breaker: CircuitBreaker | None,
        http: requests.Session,
        proxies: Mapping[str, str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.base_url = base_url
        self.api_key = api_key
        self._api_secret = api_secret
        self.timeout = timeout
        self.retry_policy = retry_policy
        self.cooldown = cooldown
        self.circuit_breaker = circuit_breaker
        self.http = http
        self._proxies = dict(proxies) if proxies else {}
        # Merged once here rather than by requests on every call (see _send).
        self._base_headers = dict(http.headers)
        self._redactor = Redactor([api_secret])
        # Cooldown and breaker keys are namespaced by host and account, so clients for
        # different accounts can share one cache without silencing each other.
        self.namespace = hashlib.sha256(f"{base_url}|{api_key}".encode()).hexdigest()[:12]
        self.sleep = sleep
        self.monotonic = monotonic

    @property
    def has_secret(self) -> bool:
        return self._api_secret is not None

    # --- addressing -------------------------------------------------------------------

    def url(self, row: Endpoint, path_params: Mapping[str, Any] | None = None) -> str:
        """The row's URL with its placeholders filled; a blank or dot segment is refused."""
        values: dict[str, str] = {}
        for name in row.path_params:
            raw = (path_params or {}).get(name)
            text = "" if raw is None else str(raw).strip()
            if not text or text in {".", ".."}:
                raise ValueError(f"{name} is required")
            values[name] = quote(text, safe="")
        return self.base_url + row.path.format(**values)

    def state_key(self, row: Endpoint, scope: str | None = None) -> str:
        """The cooldown/breaker key of ``row``, narrowed to ``scope`` when one is given."""
        key = f"{self.namespace}:{row.name}"
        if scope:
            # Hashed: the scope is a fan's IP address, which has no business in a cache key.
            key += ":" + hashlib.sha256(scope.encode()).hexdigest()[:12]
        return key

    # --- one call ---------------------------------------------------------------------

    def request(
        self,
        name: str,
        *,
        path_params: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        form: Mapping[str, Any] | None = None,
        secrets: Iterable[str | None] = (),
        cooldown_scope: str | None = None,
        parse: Callable[[Any], _T] = _unchanged,
    ) -> _T:
        """Send the row ``name`` and return ``parse`` of its JSON (None when empty).

        ``secrets`` are the values of this call that must never be logged or put in an
        error (passwords, codes); the session id of a session path is added here.
        ``cooldown_scope`` narrows a 429 cooldown to the calls sharing it; the breaker is
        always per endpoint (a down API is down for everyone).
        """
        call = self._prepare(ENDPOINTS[name], path_params, secrets, cooldown_scope)
        probe = self._admit(call)
        started = self.monotonic()
        response, attempts = self._send_with_retries(call, query, form, started, probe)
        answer = self._answer(call, response, started, attempts, probe)
        try:
            return parse(answer)
        except InvalidResponse as error:
            call.context.locate(error)
            raise

    def _prepare(
        self,
        row: Endpoint,
        path_params: Mapping[str, Any] | None,
        secrets: Iterable[str | None],
        cooldown_scope: str | None,
    ) -> _Call:
        url = self.url(row, path_params)
        headers = {"Api-Key": self.api_key}
        if row.needs_secret:
            if self._api_secret is None:
                raise ConfigurationError(f"{row.name} needs api_secret; build the client with it")
            headers["Api-Secret"] = self._api_secret
        session_uid = (path_params or {}).get("session_uid")
        return _Call(
            row=row,
            context=CallContext.of(row),
            url=url,
            headers=headers,
            redactor=self._redactor.with_secrets([*secrets, session_uid]),
            cooldown_key=self.state_key(row, cooldown_scope),
            breaker_key=self.state_key(row),
        )

    def _admit(self, call: _Call) -> bool:
        """Raise when a cooldown or an open breaker forbids the call; True for a probe."""
        cooling = self.cooldown.remaining(call.cooldown_key)
        if cooling is not None:
            self._log(call.row, status=None, outcome="cooldown", started=None, attempts=0)
            raise RateLimited(
                f"rate limited; cooling down for {cooling}s",
                retry_after=cooling,
                from_cooldown=True,
                http_status=429,
                **call.context.fields(),
            )
        if self.circuit_breaker is None:
            return False
        decision = self.circuit_breaker.check(call.breaker_key)
        if not decision.allowed:
            self._log(call.row, status=None, outcome="circuit-open", started=None)
            raise CircuitOpen(
                "circuit open after repeated failures; not calling",
                retry_after=decision.retry_after,
                **call.context.fields(),
            )
        return decision.probe

    def _send_with_retries(
        self,
        call: _Call,
        query: Mapping[str, Any] | None,
        form: Mapping[str, Any] | None,
        started: float,
        probe: bool,
    ) -> tuple[requests.Response, int]:
        """Attempts until one answers below 500 or retrying is no longer allowed."""
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self._send(call, query=query, form=form)
            except requests.RequestException as exc:
                if self._may_retry(call.row, attempt, started):
                    continue
                self._record(call.breaker_key, probe, failed=True)
                self._log(
                    call.row,
                    status=None,
                    outcome=type(exc).__name__,
                    started=started,
                    attempts=attempt,
                )
                message = self._describe_transport(exc, call.redactor)
                raise TransportError(message, **call.context.fields()) from None
            if response.status_code >= 500 and self._may_retry(call.row, attempt, started):
                response.close()
                continue
            return response, attempt

    def _send(
        self,
        call: _Call,
        *,
        query: Mapping[str, Any] | None,
        form: Mapping[str, Any] | None,
    ) -> requests.Response:
        """One attempt, prepared here and handed to the pooled session's ``send``.

        ``Session.request`` would merge the session's cookies, hooks, auth and environment
        settings into every call; the client uses none of them (no cookies are kept, no
        ``.netrc`` or proxy variables are read), and the merging was a fifth of a call's
        CPU. The session's default headers are merged once, at construction.
        """
        prepared = requests.PreparedRequest()
        prepared.prepare(
            method=str(call.row.method),
            url=call.url,
            headers={**self._base_headers, **call.headers},
            data=encode_params(form),
            params=encode_params(query),
        )
        return self.http.send(
            prepared,
            timeout=self.timeout,
            allow_redirects=False,
            proxies=self._proxies,
            verify=True,
            stream=False,
            cert=None,
        )

    def _may_retry(self, row: Endpoint, attempt: int, started: float) -> bool:
        """Sleep and return True when another attempt is allowed, else False."""
        policy = self.retry_policy
        if not row.retry_safe or attempt > policy.max_retries:
            return False
        delay = policy.delay(attempt - 1)
        if self.monotonic() - started + delay > policy.budget_seconds:
            return False
        self.sleep(delay)
        return True

    def _answer(
        self, call: _Call, response: requests.Response, started: float, attempts: int, probe: bool
    ) -> Any:
        """The JSON of a 2xx answer (None when empty); any other status raises its error."""
        status = response.status_code
        if 200 <= status < 300:
            self._record(call.breaker_key, probe, failed=False)
            self._log(call.row, status=status, outcome="ok", started=started, attempts=attempts)
            if not response.content:
                return None
            try:
                return response.json()
            except ValueError:
                raise InvalidResponse(
                    "answer is not JSON", http_status=status, body=None, **call.context.fields()
                ) from None
        error = self._error_for(call, response)
        # The API answered: only 5xx counts against it (a 4xx is our caller's business).
        self._record(call.breaker_key, probe, failed=status >= 500)
        self._log(
            call.row,
            status=status,
            outcome=type(error).__name__,
            started=started,
            attempts=attempts,
        )
        raise error

    def _error_for(self, call: _Call, response: requests.Response) -> TbitsError:
        """The exception of a non-2xx answer; a 429 also starts the shared cooldown."""
        status = response.status_code
        try:
            raw: Any = response.json()
        except ValueError:
            raw = response.text[:_MAX_TEXT_BODY]
        body = call.redactor.payload(raw)
        message = describe_body(body)
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        error = error_for_status(
            status,
            message=call.redactor.text(message) if message else f"HTTP {status}",
            body=body,
            session_bound=call.row.session_bound,
            retry_after=retry_after,
            **call.context.fields(),
        )
        if status == 429 and isinstance(error, RateLimited):
            error.retry_after = retry_after
            self.cooldown.start(call.cooldown_key, retry_after)
        return error

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

    def _log(
        self,
        row: Endpoint,
        *,
        status: int | None,
        outcome: str,
        started: float | None,
        attempts: int = 1,
    ) -> None:
        # Only the path template: the filled path may hold a session id.
        elapsed_ms = 0 if started is None else round((self.monotonic() - started) * 1000)
        if started is not None:  # refused by a cooldown or an open breaker: nothing was sent
            note_requests(attempts, elapsed_ms)
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
