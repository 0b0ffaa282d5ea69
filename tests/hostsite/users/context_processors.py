"""The host site's own context processor: a tagline and a notice kept in the cache."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.http import HttpRequest

NOTICE_KEY = "club:notice"


def club(request: HttpRequest) -> dict[str, Any]:
    notice = cache.get(NOTICE_KEY)
    if notice is None:
        notice = "Season tickets on sale now"
        cache.set(NOTICE_KEY, notice, 300)
    return {
        "club_tagline": "Harbour City Club, since 1887",
        "club_notice": notice,
        "club_section": getattr(request, "club_section", ""),
    }
