"""Fault injection, so the portal's resilience can be tried against a misbehaving API.

Read from settings at request time (tests change them with pytest-django's ``settings``):

- ``TBITS_SANDBOX_LATENCY_MS``: every call waits this long before answering.
- ``TBITS_SANDBOX_ERROR_RATE``: this fraction of calls (0.0-1.0) answer 503.
- ``TBITS_SANDBOX_FAULTS``: ``"path-regex=status,..."``; a call whose path matches a regex
  (``re.search`` on the full path) answers that status. 429 answers carry ``Retry-After``.

The outbox is never faulted: it is how a person or a test reads codes, not part of the API.
"""

from __future__ import annotations

import random
import re
import time
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, JsonResponse

_EXEMPT = re.compile(r"/outbox(?:/|\.json)?$")


@dataclass(frozen=True)
class FaultRule:
    """One ``regex=status`` entry of ``TBITS_SANDBOX_FAULTS``."""

    pattern: re.Pattern[str]
    status: int


@lru_cache(maxsize=32)
def parse_rules(spec: str) -> tuple[FaultRule, ...]:
    """Parse ``"regex=status,regex=status"``; a malformed entry is a configuration error."""
    rules = []
    for entry in filter(None, (part.strip() for part in spec.split(","))):
        pattern, sep, status = entry.rpartition("=")
        if not sep or not pattern or not status.strip().isdigit():
            raise ValueError(f"TBITS_SANDBOX_FAULTS entry {entry!r} is not 'path-regex=status'.")
        code = int(status)
        if not 400 <= code <= 599:
            raise ValueError(f"TBITS_SANDBOX_FAULTS status {code} is not an error status.")
        rules.append(FaultRule(re.compile(pattern), code))
    return tuple(rules)


def _fault(status: int) -> JsonResponse:
    response = JsonResponse(
        {"error": f"Injected fault: the sandbox answers {status}."}, status=status
    )
    if status in {429, 503}:
        response["Retry-After"] = "1"
    return response


def apply(request: HttpRequest) -> JsonResponse | None:
    """Wait and/or answer an injected error for this request, per the current settings."""
    if _EXEMPT.search(request.path):
        return None
    latency_ms = int(getattr(settings, "TBITS_SANDBOX_LATENCY_MS", 0) or 0)
    if latency_ms > 0:
        time.sleep(latency_ms / 1000)
    for rule in parse_rules(str(getattr(settings, "TBITS_SANDBOX_FAULTS", "") or "")):
        if rule.pattern.search(request.path):
            return _fault(rule.status)
    rate = float(getattr(settings, "TBITS_SANDBOX_ERROR_RATE", 0.0) or 0.0)
    if rate > 0 and random.random() < rate:
        return _fault(503)
    return None
