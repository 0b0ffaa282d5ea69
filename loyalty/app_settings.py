"""The loyalty app's settings: keys of the one ``TBITS`` dict, with documented defaults.

Read on every access (never cached at import) so ``override_settings`` and pytest-django's
``settings`` fixture take effect at once. The keys are declared to the accounts app's
unknown-key check in :meth:`loyalty.apps.LoyaltyConfig.ready`.

Defaults, and why:

``CACHE_TTL`` (300 s)
    How long business-wide data (business, point type, tiers, quests, rewards,
    performances, leaderboard) is fresh. It changes when an operator edits the portal,
    rarely; five minutes is how long an edit may take to show.
``CACHE_STALE_TTL`` (86,400 s)
    How long that data is kept after it went stale, to serve (with a notice) while the API
    is down. A day covers an outage through an event.
``CACHE_LOCK_TIMEOUT`` (30 s)
    How long one worker holds the refresh lock; others keep serving the stale copy.
``REFRESH_IN_BACKGROUND`` (True)
    Refresh stale data in a background thread so no fan waits for it. Tests turn it off to
    make the refresh happen inline, deterministically.
``FAN_CACHE_TTL`` (30 s)
    How long a fan's own data (balance, completions, rewards) is reused across pages.
    Short, because rewards arrive from the provider's background task; cleared at once
    when the fan completes a quest.
``FAN_TAGS_CACHE_TTL`` (300 s)
    How long a fan's CRM tags (which only decide who sees a tag-restricted quest) are
    reused. Tags are attributes an operator sets, not progress made on the page, and who
    sees which quest already follows ``CACHE_TTL`` through the catalogue; a new login
    reads them fresh. Saves one API call on most page views of a business that restricts
    quests by tag.
``LEADERBOARD_SIZE`` (10) / ``LEADERBOARD_SCAN`` (500)
    Rows shown, and rows asked for to find the fan's own rank (the API cannot be asked for
    one fan's rank).
``LEADERBOARD_DAYS`` (365) / ``HISTORY_DAYS`` (90)
    The period of the leaderboard and of the points history (the API needs a start date).
``HISTORY_SIZE`` (50)
    Ledger entries shown on the history page.
``DASHBOARD_QUESTS`` (3)
    How many "get to the next tier" quests the dashboard suggests.
``EVENT_TIMEZONE`` (``None`` = ``TIME_ZONE``)
    The zone in which a performance's date is a day; a performance is "on" for that whole
    day unless the API gives ``start_timestamp``/``end_timestamp``.
``BUSINESS_IDS`` (``None`` = every business of the account)
    Which businesses the picker offers when the account has several.
``CAMPAIGN_URL`` (``None``)
    A template like ``"https://example.tbits.me/{target_page_tab_id}"`` for campaign and
    QuickPicks quests; when unset, those quests use their ``link_url`` if any.
``SCAN_MAX_AGE`` (``None``)
    Seconds a printed scan link stays valid; ``None`` means as long as the quest's window.
``LOYALTY_ADAPTER`` (``"loyalty.adapter.DefaultLoyaltyAdapter"``)
    The dotted path of the class holding every loyalty message a fan reads (completions,
    refusals, quest cards); a site subclasses it to reword them, as ``ADAPTER`` does for
    the login pages.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    "CACHE_TTL": 300,
    "CACHE_STALE_TTL": 24 * 60 * 60,
    "CACHE_LOCK_TIMEOUT": 30,
    "REFRESH_IN_BACKGROUND": True,
    "FAN_CACHE_TTL": 30,
    "FAN_TAGS_CACHE_TTL": 300,
    "LEADERBOARD_SIZE": 10,
    "LEADERBOARD_SCAN": 500,
    "LEADERBOARD_DAYS": 365,
    "HISTORY_DAYS": 90,
    "HISTORY_SIZE": 50,
    "DASHBOARD_QUESTS": 3,
    "EVENT_TIMEZONE": None,
    "BUSINESS_IDS": None,
    "CAMPAIGN_URL": None,
    "SCAN_MAX_AGE": None,
    "LOYALTY_ADAPTER": "loyalty.adapter.DefaultLoyaltyAdapter",
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
