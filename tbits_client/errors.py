"""One exception hierarchy for everything the Tradable Bits API can do wrong.

The web layer turns each class into exactly one kind of page (login again, "try again in N
seconds", "we are having trouble"), so the class says *what the caller should do*, and the
attributes carry the detail an operator needs. Messages are redacted before they get here:
an exception string may end up in a log or an error tracker, so it must never contain the
API secret, a password, a verification code or a session id.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = [
    "BadRequest",
    "CircuitOpen",
    "ConfigurationError",
    "InvalidResponse",
    "NotFound",
    "RateLimited",
    "ServerError",
    "SessionExpired",
    "TbitsError",
    "TransportError",
    "Unauthorized",
    "error_for_status",
]


class ConfigurationError(ValueError):
    """The client was built or called with settings that cannot work (a programming error)."""


class TbitsError(Exception):
    """Base of every error raised because of what the API answered, or failed to answer.

    ``http_status`` is None when no response arrived. ``message`` is the API's own message
    when it sent one (redacted). ``body`` is the parsed JSON body or the text, with sensitive
    keys masked. ``endpoint`` is the endpoint name and ``path`` the path *template* (never
    the filled path, which may carry a session id).
    """

    def __init__(
        self,
        message: str,
        *,
        http_status: int | None = None,
        body: Any = None,
        endpoint: str | None = None,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.http_status = http_status
        self.body = body
        self.endpoint = endpoint
        self.method = method
        self.path = path

    def __str__(self) -> str:
        where = f"{self.method} {self.path}" if self.method and self.path else self.endpoint
        status = f" [{self.http_status}]" if self.http_status is not None else ""
        prefix = f"{where}{status}: " if where else ""
        return f"{prefix}{self.message}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self!s})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only constructors do not survive pickling by default; errors cross
        # process boundaries (caches, task queues), so rebuild them explicitly.
        return (
            _rebuild_error,
            (type(self), self.message, self.__dict__.copy()),
        )


def _rebuild_error(cls: type[TbitsError], message: str, state: dict[str, Any]) -> TbitsError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


class BadRequest(TbitsError):
    """400: the API rejected the parameters; ``message`` says why (show it to an operator)."""


class Unauthorized(TbitsError):
    """401/403: wrong key or secret, wrong fan credentials, or an OAuth code that is no good."""


class SessionExpired(Unauthorized):
    """401 on a call bound to a fan session: the fan has to log in again."""


class NotFound(TbitsError):
    """404: the object (quest, reward, fan, session...) does not exist."""


class RateLimited(TbitsError):
    """429, or a shared cooldown still running after one: do not call again before ``retry_after``.

    ``retry_after`` is whole seconds (None when the API did not say). ``from_cooldown`` is
    True when no request was sent because an earlier 429 put this endpoint on cooldown.
    """

    def __init__(
        self,
        message: str,
        *,
        retry_after: int | None = None,
        from_cooldown: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after
        self.from_cooldown = from_cooldown


class ServerError(TbitsError):
    """5xx: the API failed; retried already where repeating is harmless."""


class TransportError(TbitsError):
    """No usable HTTP answer: timeout, connection refused, DNS or TLS failure."""


class CircuitOpen(TransportError):
    """The circuit breaker is open after repeated failures: no request was sent.

    A subclass of TransportError because, for a caller, it means the same thing: the API is
    unreachable right now. ``retry_after`` says when a probe request will be let through.
    """

    def __init__(self, message: str, *, retry_after: int | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class InvalidResponse(TbitsError):
    """The answer was not JSON, not the documented shape, or an unexpected redirect."""


# The one table that decides which class an HTTP status becomes. Ranges are checked in
# order, so the specific rows come before the catch-all ones.
_STATUS_TABLE: tuple[tuple[range, type[TbitsError]], ...] = (
    (range(400, 401), BadRequest),
    (range(401, 402), Unauthorized),
    (range(403, 404), Unauthorized),
    (range(404, 405), NotFound),
    (range(410, 411), NotFound),
    (range(429, 430), RateLimited),
    (range(402, 500), BadRequest),
    (range(500, 600), ServerError),
)


def error_for_status(
    status: int,
    *,
    message: str,
    body: Any = None,
    endpoint: str | None = None,
    method: str | None = None,
    path: str | None = None,
    session_bound: bool = False,
    retry_after: int | None = None,
) -> TbitsError:
    """Map a non-2xx HTTP status to the one error class the caller should handle.

    ``session_bound`` turns a 401 into SessionExpired: on a call made with a fan's session
    id, "unauthorized" means the session is gone, not that the portal is misconfigured.
    Statuses no row covers (1xx, 3xx: redirects are never followed) are InvalidResponse.
    """
    context: dict[str, Any] = {
        "http_status": status,
        "body": body,
        "endpoint": endpoint,
        "method": method,
        "path": path,
    }
    if status == 401 and session_bound:
        return SessionExpired(message, **context)
    for statuses, error_class in _STATUS_TABLE:
        if status in statuses:
            if error_class is RateLimited:
                return RateLimited(message, retry_after=retry_after, **context)
            return error_class(message, **context)
    return InvalidResponse(message, **context)


def describe_body(body: Any) -> str | None:
    """The human message an error body carries, if it carries one."""
    if isinstance(body, Mapping):
        for key in ("error", "message", "detail", "error_description"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value
        errors = body.get("errors")
        if isinstance(errors, list | tuple) and errors:
            return "; ".join(str(item) for item in errors)
        return None
    if isinstance(body, str) and body.strip():
        text = " ".join(body.split())
        return text[:200]
    return None
