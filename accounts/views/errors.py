"""Branded error pages inside the portal's shell: 403, 404, 405 and 500.

A site points Django's handlers at them (``handler404 = "accounts.views.errors.page_not_found"``
and so on in its root URLconf; the demo project does); the 405 page is drawn by
``TbitsMiddleware`` for the empty answer of ``require_POST``. The 429 and 503 pages of API
failures are :func:`accounts.failures.error_page`'s. Without ``DEBUG`` a bad URL would
otherwise get Django's bare "Not Found".
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from accounts.shell import home_url, shell_context

logger = logging.getLogger(__name__)


def error_response(request: HttpRequest, status: int, *, with_shell: bool = True) -> HttpResponse:
    """The branded page of ``status``; ``with_shell`` adds the fan's header and navigation.

    The 500 page goes without: whatever broke may be what the shell needs (the API, the
    cache), and that page must render whatever else is down.
    """
    context: dict[str, object] = {"home_url": home_url()}
    if with_shell:
        try:
            context.update(shell_context(request))
        except Exception:
            logger.warning("error page %s without the shell", status, exc_info=True)
    html = render_to_string(f"tbits_accounts/errors/{status}.html", context, request=request)
    response = HttpResponse(html, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return error_response(request, 500, with_shell=False)
