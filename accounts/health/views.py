"""The probes: liveness (no I/O) and readiness (database, cache, the API's breaker)."""

from __future__ import annotations

import logging
import uuid

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.api import get_client
from accounts.app_settings import app_settings
from tbits_client import BreakerState

logger = logging.getLogger(__name__)

OK = "ok"

# The API's state is the worst of its endpoints' breakers, in this order.
_SEVERITY = (BreakerState.OPEN, BreakerState.HALF_OPEN, BreakerState.CLOSED)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is up and serving; no I/O, so a slow database never restarts it."""
    return JsonResponse({"status": OK})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Whether this process can serve: 503 naming the part that failed.

    The database and the cache are this process's own: without them it cannot serve, so
    the orchestrator should send fans elsewhere. The API is shared by every process: its
    breaker is reported (``status`` "degraded" when it is not closed), never a 503, because
    taking every container out of service would turn pages served from the cache, and the
    friendly 503 page, into connection errors. The API itself is not called.
    """
    checks = {"database": _database(), "cache": _cache()}
    api, endpoints = _api()
    ready = all(value == OK for value in checks.values())
    if not ready:
        status = "unavailable"
    elif api != BreakerState.CLOSED:
        status = "degraded"
    else:
        status = OK
    body: dict[str, object] = {"status": status, "checks": {**checks, "api": api}}
    if endpoints:
        body["api_endpoints"] = endpoints
    return JsonResponse(body, status=200 if ready else 503)


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "not ready"; its text may name hosts
        return _failed("database", exc)
    return OK


def _cache() -> str:
    cache = app_settings.cache()
    key = f"tbits_health:readyz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "1", timeout=5)
        if cache.get(key) != "1":
            raise RuntimeError("value not read back")
        cache.delete(key)
    except Exception as exc:  # any backend error means "not ready"
        return _failed("cache", exc)
    return OK


def _api() -> tuple[str, dict[str, str]]:
    """The worst breaker state of the API's endpoints, and the endpoints not closed."""
    try:
        states = get_client().breaker_states()
    except Exception as exc:  # the breaker lives in the cache, which may be what failed
        _failed("api breaker", exc)
        return "unknown", {}
    not_closed = {
        name: str(state) for name, state in states.items() if state != BreakerState.CLOSED
    }
    worst = next((state for state in _SEVERITY if state in states.values()), BreakerState.CLOSED)
    return str(worst), dict(sorted(not_closed.items()))


def _failed(part: str, exc: Exception) -> str:
    # The class name only, in the answer and the log: a driver's message may hold a DSN.
    logger.warning("readiness: %s unavailable (%s)", part, type(exc).__name__)
    return f"error: {type(exc).__name__}"
