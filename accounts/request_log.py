"""One log line per request: method, URL pattern, status, duration and API requests sent.

Optional: a site lists :class:`RequestLogMiddleware` near the top of ``MIDDLEWARE`` to get
it (the demo project does; docs/operations.md). The line goes to the ``tbits.request``
logger at INFO, for example::

    GET /portal/quests/ 200 84.2ms api=3/61ms

The path is :func:`accounts.logs.loggable_path`: the URL pattern, never the query string
(an OAuth ``code``) nor a value in the path (a session id). ``api`` counts the requests
sent to the Tradable Bits API while the page was made (each retry is one) and the time
they took, added up: what to look at first when a page is slow.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from accounts.logs import loggable_path
from tbits_client import counting_calls

logger = logging.getLogger("tbits.request")


class RequestLogMiddleware:
    """Log method, path pattern, status, duration and API requests of each request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        with counting_calls() as tally:
            response = self.get_response(request)
        elapsed_ms = (time.perf_counter() - started) * 1000
        logger.info(
            "%s %s %s %.1fms api=%d/%dms",
            request.method,
            loggable_path(request),
            response.status_code,
            elapsed_ms,
            tally.requests,
            tally.milliseconds,
        )
        return response
