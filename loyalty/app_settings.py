"""The loyalty app's settings: keys of the one ``TBITS`` dict, with documented defaults.

Read on every access (never cached at import) so ``override_settings`` and pytest-django's
``settings`` fixture take effect at once. The keys are declared to the accounts app's
unknown-key check in :meth:`loyalty.apps.LoyaltyConfig.ready`, and their values are checked
by :mod:`loyalty.checks` (``manage.py check``). Each key, its default and why that default:
docs/settings.md.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # Caching.
    "CACHE_TTL": 300,
    "CACHE_STALE_TTL": 24 * 60 * 60,
    "FAN_CACHE_TTL": 30,
    "FAN_TAGS_CACHE_TTL": 300,
    # The programme as fans see it.
    "BUSINESS_IDS": None,
    "POINT_TYPE": None,
    "EVENT_TIMEZONE": None,
    "LEADERBOARD_SIZE": 10,
    "LEADERBOARD_DAYS": 365,
    # The day this season began (ISO date): the leaderboard's "This season" counts from it.
    "SEASON_START": None,
    "CAMPAIGN_URL": None,
    # Custom quests the fan completes by saving their profile (ids or exact titles).
    "PROFILE_QUESTS": (),
    "SCAN_MAX_AGE": None,
    # The programme (quests, tiers, rewards) shown to visitors at /portal/programme/.
    "PUBLIC_BOARD": True,
    "LOYALTY_ADAPTER": "loyalty.adapter.DefaultLoyaltyAdapter",
    # Days a recorded reward delivery is kept (tbits_prune_deliveries); None: for ever.
    "DELIVERY_RETENTION_DAYS": 180,
    # Phone wallets: dicts of ids and file paths (docs/settings.md), None to offer none.
    "APPLE_WALLET": None,
    "GOOGLE_WALLET": None,
}


class LoyaltySettings:
    """Attribute access to the loyalty keys of ``TBITS``, falling back to :data:`DEFAULTS`."""

    def __getattr__(self, name: str) -> Any:
        if name not in DEFAULTS:
            raise AttributeError(f"Unknown tbits_loyalty setting: {name}")
        configured = getattr(settings, "TBITS", None)
        if isinstance(configured, dict) and name in configured:
            return configured[name]
        return DEFAULTS[name]


loyalty_settings = LoyaltySettings()


def configured_point_type(business_id: str | int) -> str | None:
    """``POINT_TYPE`` for one business: a name or uid for all, or a per-business mapping.

    The API documents no way to read which point type a business uses (see
    :mod:`loyalty.point_type`), so an account with several names it here.
    """
    value = loyalty_settings.POINT_TYPE
    if isinstance(value, dict):
        by_id = {str(key).strip(): item for key, item in value.items()}
        value = by_id.get(str(business_id).strip())
    text = str(value).strip() if value else ""
    return text or None


def configured_season_start() -> dt.date | None:
    """``SEASON_START`` as a date (a ``date`` or an ISO ``"YYYY-MM-DD"``), else None.

    A value that is neither is None here and ``tbits_loyalty.E013`` in ``manage.py check``.
    """
    value = loyalty_settings.SEASON_START
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None
