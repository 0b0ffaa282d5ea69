"""What a log line may say about a request: the page's URL pattern, never its filled path.

Paths carry what identifies a login step: the OAuth callback's one-time value, an API
session id (in the sandbox's own URLs). Every log line that names a request names it by
:func:`loggable_path`: the request log, the error pages' lines and Django's own
``django.request`` lines (through ``tbits_portal.request_log.LoggablePathFilter``).
"""

from __future__ import annotations

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
