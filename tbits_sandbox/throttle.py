"""Enumeration throttling of the fan look-up and the code requests.

The documented API throttles look-ups "to prevent enumeration". The sandbox counts per fan
IP (the ``ip_address`` parameter when the portal forwards it, else the caller's address) and
per email or phone, in a sliding one-minute window. Limits come from settings at request
time: ``TBITS_SANDBOX_THROTTLE_PER_IP`` (default 30) and ``TBITS_SANDBOX_THROTTLE_PER_KEY``
(default 10) requests a minute; 0 turns a limit off.
"""

from __future__ import annotations

import math
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from tbits_sandbox.models import ThrottleHit
from tbits_sandbox.wire import ApiError

WINDOW = timedelta(minutes=1)
DEFAULT_PER_IP = 30
DEFAULT_PER_KEY = 10


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def check(*, account_id: int, ip: str | None, identifier: str | None) -> None:
    """Count one look-up or code request, or raise 429 with Retry-After when over a limit."""
    now = timezone.now()
    since = now - WINDOW
    ThrottleHit.objects.filter(created__lt=since).delete()
    buckets = []
    if ip:
        buckets.append(
            (f"{account_id}:ip:{ip}", _limit("TBITS_SANDBOX_THROTTLE_PER_IP", DEFAULT_PER_IP))
        )
    if identifier:
        buckets.append(
            (
                f"{account_id}:key:{identifier.lower()}",
                _limit("TBITS_SANDBOX_THROTTLE_PER_KEY", DEFAULT_PER_KEY),
            )
        )
    for bucket, limit in buckets:
        if limit <= 0:
            continue
        hits = ThrottleHit.objects.filter(bucket=bucket, created__gte=since).order_by("created")
        if hits.count() >= limit:
            oldest = hits.first()
            wait = (oldest.created + WINDOW - now).total_seconds() if oldest else 60
            raise ApiError(
                429,
                "Too many requests; try again later.",
                retry_after=max(1, math.ceil(wait)),
            )
    ThrottleHit.objects.bulk_create([ThrottleHit(bucket=bucket) for bucket, _ in buckets])
