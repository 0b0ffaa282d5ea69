"""What a log line may say: the page's URL pattern, never its filled path, and no secret.

Paths carry what identifies a login step: the OAuth callback's one-time value, an API
session id (in the sandbox's own URLs). Every log line that names a request names it by
:func:`loggable_path`: the request log (:mod:`accounts.request_log`), the error pages'
lines and Django's own ``django.request`` lines (through :class:`LoggablePathFilter`).

The filters here are for a site's ``LOGGING`` (docs/operations.md has the snippet):
:class:`RedactSecretsFilter` on its handlers, :class:`ClientErrorFilter` too, and
:class:`LoggablePathFilter` on the ``django.request`` logger.
"""

from __future__ import annotations

import logging
import re

from django.http import HttpRequest


def loggable_path(request: HttpRequest) -> str:
    """The URL pattern that matched (``/api/v1/sessions/<str:session_uid>``), else the path.

    The pattern names the page without the values in it. The query string (an OAuth
    ``code``) is never logged. A path no pattern matched (a 404) is logged as it is: it
    reached no view, so it carries nothing the portal issued.
    """
    match = getattr(request, "resolver_match", None)
    if match is not None and match.route:
        return "/" + match.route
    return request.path


# Values that must never reach a log line, whatever logged them: query-string or form
# style ("api_secret=..."), JSON style ('"password": "..."') and header style.
_SECRET_NAMES = (
    r"api[_-]?secret|password|passwd|verification[_-]?code|code|session[_-]?uid|"
    r"sessionid|session[_-]?id|csrftoken|csrfmiddlewaretoken|verification[_-]?uid|token|"
    # The OAuth redirect_url ends in the sign-in's one-time value (urllib3 logs the URL).
    r"redirect[_-]?url"
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


class ClientErrorFilter(logging.Filter):
    """A refused request (a 4xx answer) is one WARNING line without a traceback.

    Django logs every ``SuspiciousOperation`` (a bad ``Host``, too many fields, an
    unreadable body) at ERROR with its traceback on ``django.security.<name>``: anyone can
    send those, so a flood of them would bury the real errors, a dozen lines each.
    Tracebacks stay for the 5xx answers, the bugs. On the handler, because a filter on the
    ``django.security`` logger would not see its children's records.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.levelno = min(record.levelno, logging.WARNING)
            record.levelname = logging.getLevelName(record.levelno)
            record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True


class LoggablePathFilter(logging.Filter):
    """Django's ``django.request`` lines name the request by its pattern, not its path.

    Django logs ``"Service Unavailable: /accounts/oauth/callback/<value>/"`` for a 5xx
    answer; the path is rewritten to :func:`loggable_path` on the logger itself, so no
    handler ever sees the one-time value or an API session id.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if isinstance(request, HttpRequest) and isinstance(record.args, tuple):
            record.args = tuple(
                loggable_path(request) if arg == request.path else arg for arg in record.args
            )
        return True
