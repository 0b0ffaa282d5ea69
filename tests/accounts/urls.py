"""A URLconf for tests: the accounts app plus views that raise API errors or need a fan."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views import View

from accounts.decorators import FanLoginRequiredMixin, fan_login_required
from accounts.ratelimit import RateLimitExceeded
from tbits_client.errors import (
    BadRequest,
    CircuitOpen,
    InvalidResponse,
    RateLimited,
    ServerError,
    SessionExpired,
    TransportError,
    Unauthorized,
)

ERRORS = {
    "session_expired": lambda: SessionExpired("session gone", http_status=401),
    "rate_limited": lambda: RateLimited("slow down", http_status=429, retry_after=17),
    "rate_limited_unknown": lambda: RateLimited("slow down", http_status=429),
    "rate_limited_long": lambda: RateLimited("slow down", http_status=429, retry_after=600),
    "local_rate": lambda: RateLimitExceeded(action="code_submit", retry_after=33),
    "transport": lambda: TransportError("read timed out"),
    "server": lambda: ServerError("boom", http_status=502),
    "invalid": lambda: InvalidResponse("not json", http_status=200),
    "unauthorized": lambda: Unauthorized("bad key", http_status=401),
    "bad_request": lambda: BadRequest("bad", http_status=400),
    "circuit_open": lambda: CircuitOpen("open", retry_after=12),
}


def raising(request: HttpRequest, kind: str) -> HttpResponse:
    if kind == "value_error":
        raise ValueError("not an API error")
    raise ERRORS[kind]()


def whoami(request: HttpRequest) -> HttpResponse:
    fan = request.fan  # type: ignore[attr-defined]
    return HttpResponse("anonymous" if fan is None else f"fan {fan.fan_id}")


@fan_login_required
def protected(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"secret page of fan {request.fan.fan_id}")  # type: ignore[attr-defined]


class ProtectedView(FanLoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return HttpResponse("class-based secret page")


urlpatterns = [
    path("accounts/", include("accounts.urls")),
    path("raise/<str:kind>/", raising),
    path("whoami/", whoami),
    path("protected/", protected),
    path("protected-cbv/", ProtectedView.as_view()),
]
