"""Placeholder until the accounts issue: gives every request ``request.fan = None``."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class FanMiddleware:
    """Attach the logged-in fan (if any) to the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.fan = None  # type: ignore[attr-defined]
        return self.get_response(request)
