"""One log line per request, and a filter that keeps secrets out of every log line."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("tbits_portal.request")

# Values that must never reach a log line, whatever logged them: query-string or form
# style ("api_secret=..."), JSON style ('"password": "..."') and header style.
_SECRET_NAMES = (
    r"api[_-]?secret|password|passwd|verification[_-]?code|code|session[_-]?uid|"
    r"sessionid|session[_-]?id|csrftoken|csrfmiddlewaretoken|verification[_-]?uid|token"
)
_SECRET_PATTERN = re.compile(
    rf"""(?ix)
    (?P<key>["']?(?:{_SECRET_NAMES})["']?\s*[:=]\s*["']?)
    (?P<value>[^"'&\s,;}}]+)
    """
)


def redact(text: str) -> str:
    """Replace the value of every secret-looking ``name=value`` pair with ``***``."""
    return _SECRET_PATTERN.sub(lambda m: f"{m.group('key')}***", text)


class RedactSecretsFilter(logging.Filter):
    """Redact the formatted message of every record, once, before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def loggable_path(request: HttpRequest) -> str:
    """The URL pattern that matched (``/api/v1/sessions/<str:session_uid>``), else the path.

    Paths can carry secrets: API session ids, the OAuth callback's one-time value. The
    pattern names the page without them. The query string (OAuth ``code``) is never logged.
    """
    match = getattr(request, "resolver_match", None)
    if match is not None and match.route:
        return "/" + match.route
    return request.path


class RequestLogMiddleware:
    """Log method, path pattern, status and duration of each request, in one line."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed_ms = (time.perf_counter() - started) * 1000
        logger.info(
            "%s %s %s %.1fms",
            request.method,
            loggable_path(request),
            response.status_code,
            elapsed_ms,
        )
        return response
