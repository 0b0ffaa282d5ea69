"""The one error a flow raises for something the fan can fix, and how a failed send reads."""

from __future__ import annotations

from accounts.adapter import get_adapter
from accounts.ratelimit import RateLimitExceeded
from accounts.unsaved import NotSaved
from tbits_client import CircuitOpen, RateLimited, SessionExpired


class FlowError(Exception):
    """A step the fan can retry or correct; ``key`` names an adapter error message.

    Errors of the API that are not the fan's doing (down, rate limited, session expired)
    are not turned into this: they propagate to the view, or to ``TbitsErrorMiddleware``.
    """

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def code_not_sent(error: Exception) -> NotSaved:
    """Why no code was sent, for the login form shown again: API or our limits, or an outage.

    Rate limits keep the 429 status and ``Retry-After`` of every other throttled form;
    anything else that kept the API from answering is a 503. An expired fan session cannot
    happen on this anonymous call, but is raised again rather than mislabelled.
    """
    if isinstance(error, SessionExpired):
        raise error
    adapter = get_adapter()
    if isinstance(error, RateLimited | RateLimitExceeded):
        seconds = max(1, int(error.retry_after or 60))
        message = adapter.error_message("code_not_sent_rate_limited", seconds=seconds)
        return NotSaved(message=message, status=429, retry_after=seconds)
    # An open circuit knows when it will let a request through again; say so, as the 503
    # page would.
    retry_after = error.retry_after if isinstance(error, CircuitOpen) else None
    return NotSaved(
        message=adapter.error_message("code_not_sent_unavailable"),
        status=503,
        retry_after=int(retry_after) if retry_after else None,
    )
