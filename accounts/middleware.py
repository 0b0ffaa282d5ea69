"""``request.fan`` on every request, and API errors raised by any view turned into pages.

One line in ``MIDDLEWARE``, after the session, message and CSRF middleware (the demo
project lists exactly this; ``manage.py check`` says so when it is missing or misplaced)::

    "accounts.middleware.TbitsMiddleware",
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from accounts.decorators import post_after_session_ended
from accounts.failures import error_page
from accounts.fan import current_fan
from accounts.request_body import refused_body
from accounts.session_check import confirm_api_session
from accounts.views.errors import error_response


class TbitsMiddleware:
    """The portal's middleware: ``request.fan``, and the error pages of the portal's views.

    ``request.fan`` is the logged-in :class:`~accounts.fan.FanSession` or ``None``,
    computed up front rather than as a lazy proxy, because views test ``request.fan is
    None`` and a proxy object is never ``None``. A request without a session cookie costs
    nothing: the session store is only read when the browser has a session. Every
    ``SESSION_CHECK_INTERVAL`` seconds the API session is confirmed upstream
    (:func:`accounts.session_check.confirm_api_session`): one revoked there ends here.

    A file upload or an oversized body to a portal form is refused before anything reads
    it (:func:`accounts.request_body.refused_body`).

    An API error a view lets through becomes the login redirect, the 429 page or the 503
    page (:func:`accounts.failures.error_page`), never a 500 or a traceback.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Before the CSRF check, which would read the whole body to find its token.
        refused = refused_body(request)
        if refused is not None:
            return refused
        has_session = settings.SESSION_COOKIE_NAME in request.COOKIES
        fan = current_fan(request) if has_session else None
        if fan is not None:
            fan = confirm_api_session(request, fan)
        request.fan = fan  # type: ignore[attr-defined]
        # A form posted as the session ended: to the login page, not the CSRF 403.
        ended = post_after_session_ended(request) if fan is None and has_session else None
        if ended is not None:
            return ended
        response = self.get_response(request)
        if response.status_code == 405 and not response.content and request.method == "GET":
            # ``require_POST``'s bare answer to a GET (a bookmarked or followed form URL):
            # the branded page instead, with the Allow header that says what would work.
            branded = error_response(request, 405)
            if response.has_header("Allow"):
                branded["Allow"] = response["Allow"]
            return branded
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return error_page(request, exception)
