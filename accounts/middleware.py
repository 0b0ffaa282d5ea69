"""``request.fan``, and the one place where API errors become pages.

The supported entry point is :class:`TbitsMiddleware`, one line in ``MIDDLEWARE`` after
the session, message and CSRF middleware (the demo project lists exactly this)::

    "accounts.middleware.TbitsMiddleware",

Its two halves, :class:`FanMiddleware` and :class:`TbitsErrorMiddleware`, stay importable,
and ``manage.py check`` accepts them listed as a pair, only so that sites that listed them
before the combined class existed keep working. New sites list the one line.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from accounts.adapter import get_adapter
from accounts.fan import current_fan, end_fan_session
from accounts.ratelimit import RateLimitExceeded
from tbits_client import CircuitOpen, RateLimited, SessionExpired, TbitsError

logger = logging.getLogger(__name__)


class FanMiddleware:
    """Set ``request.fan`` to the logged-in :class:`~accounts.fan.FanSession` or ``None``.

    One half of :class:`TbitsMiddleware`, kept for sites that list it; list that instead.

    Computed up front rather than as a lazy proxy, because views test ``request.fan is
    None`` and a proxy object is never ``None``. A request without a session cookie costs
    nothing: the session store is only read when the browser has a session.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        attach_fan(request)
        return self.get_response(request)


def attach_fan(request: HttpRequest) -> None:
    """Set ``request.fan``; free for a request that has no session cookie."""
    has_session = settings.SESSION_COOKIE_NAME in request.COOKIES
    request.fan = current_fan(request) if has_session else None  # type: ignore[attr-defined]


def login_url_with_next(request: HttpRequest) -> str:
    """The login URL carrying this request's path as ``next`` (GET only, else the path)."""
    target = request.get_full_path() if request.method in ("GET", "HEAD") else request.path
    return f"{reverse('tbits_accounts:login')}?{urlencode({'next': target})}"


class TbitsErrorMiddleware:
    """Turn API errors raised by any view into the page a fan should see.

    The other half of :class:`TbitsMiddleware` (its base class), kept for sites that list
    it; list :class:`TbitsMiddleware` instead.

    * the fan's API session expired -> the fan's session ends (only the fan's: see
      :func:`accounts.fan.end_fan_session`) and the fan is sent to log in again with a
      message, keeping ``next``;
    * rate limited (by the API or by our own limits) -> a 429 page saying when to retry,
      with ``Retry-After``; no worker ever sleeps waiting for it;
    * anything else the API did wrong (down, timeout, 5xx, malformed answer, misconfigured
      key) -> a friendly 503 page with a retry link, never a 500 or a traceback.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, SessionExpired):
            return self._session_expired(request)
        if isinstance(exception, RateLimitExceeded):
            return self._rate_limited(request, exception.retry_after)
        if isinstance(exception, RateLimited):
            return self._rate_limited(request, exception.retry_after)
        if isinstance(exception, TbitsError):
            # The message is redacted by the client; the traceback helps the operator.
            logger.error("API unavailable for %s: %s", request.path, exception, exc_info=True)
            retry_after = exception.retry_after if isinstance(exception, CircuitOpen) else None
            return self._unavailable(request, retry_after)
        return None

    def _session_expired(self, request: HttpRequest) -> HttpResponse:
        target = login_url_with_next(request)
        end_fan_session(request)
        messages.warning(
            request, get_adapter().error_message("session_expired"), fail_silently=True
        )
        return HttpResponseRedirect(target)

    def _rate_limited(self, request: HttpRequest, retry_after: int | None) -> HttpResponse:
        seconds = max(1, int(retry_after)) if retry_after else 60
        response = TemplateResponse(
            request,
            "tbits_accounts/errors/429.html",
            {
                "retry_after": seconds,
                # Past a minute and a half, "3 minutes" reads better than "170 seconds".
                "retry_minutes": math.ceil(seconds / 60) if seconds > 90 else None,
                "retry_url": _retry_url(request),
            },
            status=429,
        )
        response["Retry-After"] = str(seconds)
        return _finish(response)

    def _unavailable(self, request: HttpRequest, retry_after: int | None) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.modified and session.session_key:
            # Django skips saving the session on 5xx answers; a code attempt counted before
            # the API timed out must still count, or timeouts would hand out free guesses.
            session.save()
        response = TemplateResponse(
            request,
            "tbits_accounts/errors/503.html",
            {"retry_url": _retry_url(request)},
            status=503,
        )
        if retry_after:
            response["Retry-After"] = str(int(retry_after))
        return _finish(response)


def _finish(response: TemplateResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    # The failing URL may be the OAuth callback, whose query holds a code: never leak it.
    response["Referrer-Policy"] = "no-referrer"
    return response.render()


def _retry_url(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name == "tbits_accounts:oauth_callback":
        # Its one-time value is spent: "try again" means signing in again.
        return reverse("tbits_accounts:login")
    # Retrying a GET repeats it; a failed POST is retried by showing its form again, from
    # the page the fan submitted it on: several POST-only actions (complete a quest, change
    # the password) have no page of their own, and a link to one would answer 405.
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = request.META.get("HTTP_REFERER")
    if referer and get_adapter().is_safe_url(request, referer):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.path


class TbitsMiddleware(TbitsErrorMiddleware):
    """The portal's middleware: the one ``MIDDLEWARE`` line a site adds (the supported way).

    What a site that adds the portal to its own pages needs: ``request.fan`` on every
    request (as :class:`FanMiddleware` sets it), and API errors raised by the portal's
    views turned into pages (as :class:`TbitsErrorMiddleware`, which it extends, does).
    """

    def __call__(self, request: HttpRequest) -> HttpResponse:
        attach_fan(request)
        return self.get_response(request)
