"""The host site's own middleware: which section of the club site a page belongs to."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class ClubSectionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        first = request.path.strip("/").split("/", 1)[0]
        request.club_section = first or "home"  # type: ignore[attr-defined]
        response = self.get_response(request)
        response["X-Club-Section"] = request.club_section  # type: ignore[attr-defined]
        return response
