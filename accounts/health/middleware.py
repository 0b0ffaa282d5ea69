"""Answer the liveness probe before host validation and the HTTPS redirect."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse

from accounts.health.views import healthz


class LivenessProbeMiddleware:
    """Answer ``GET`` of the liveness URL before anything else looks at the request.

    Container health checks call the process on ``127.0.0.1`` over plain HTTP, which
    ``ALLOWED_HOSTS`` and ``SECURE_SSL_REDIRECT`` would (rightly) refuse for fans. List it
    first in ``MIDDLEWARE``; it answers wherever the site mounted ``accounts.health.urls``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD") and request.path == _liveness_path():
            return healthz(request)
        return self.get_response(request)


def _liveness_path() -> str | None:
    # reverse() is cached by Django's resolver; a site without the probes' URLs gets None.
    try:
        return reverse("tbits_health:healthz")
    except NoReverseMatch:
        return None
