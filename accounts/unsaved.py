"""When the API fails while a fan submits a form: keep what they typed, say it was not saved.

A friendly error page would be truthful, but it throws away the names or details the fan
just typed on a phone at a venue. Views that save something (registration, the profile, the
password) catch the failure, show the same form again with the fan's input and a message
that nothing was saved, and answer 503 (or 429 with ``Retry-After``) so that nothing,
including a monitoring probe or a test, can mistake it for success.

An expired fan session is not handled here: the fan has to log in again, which
``TbitsErrorMiddleware`` does.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.utils.translation import ngettext

from accounts.adapter import get_adapter
from accounts.ratelimit import RateLimitExceeded
from tbits_client import RateLimited, SessionExpired, TbitsError

#: What a form view catches around the call that saves (SessionExpired is re-raised).
UPSTREAM_FAILURES = (TbitsError, RateLimitExceeded)


@dataclass(frozen=True)
class NotSaved:
    """Why a submitted form was not saved: the message, the status and when to retry."""

    message: str
    status: int
    retry_after: int | None = None

    def apply(self, response: HttpResponse, *, request: HttpRequest) -> HttpResponse:
        """Give the re-rendered form page this failure's status and headers."""
        session = getattr(request, "session", None)
        if session is not None and session.modified and session.session_key:
            # Django does not save the session of a 5xx answer; what the flow learned before
            # the failure (an attempt counted, an answer that never came) must still count.
            session.save()
        response.status_code = self.status
        if self.retry_after is not None:
            response["Retry-After"] = str(self.retry_after)
        response["Cache-Control"] = "no-store"
        return response


def not_saved(error: Exception) -> NotSaved:
    """The failure to show for ``error``; an expired session is raised again."""
    if isinstance(error, SessionExpired):
        raise error
    if isinstance(error, RateLimited | RateLimitExceeded):
        seconds = max(1, int(error.retry_after or 60))
        message = ngettext(
            "Nothing was saved: too many requests right now. Please try again in %(seconds)d "
            "second.",
            "Nothing was saved: too many requests right now. Please try again in %(seconds)d "
            "seconds.",
            seconds,
        ) % {"seconds": seconds}
        return NotSaved(message=message, status=429, retry_after=seconds)
    return NotSaved(message=get_adapter().error_message("not_saved"), status=503)
