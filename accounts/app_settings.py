"""The app's settings, read lazily from the one ``TBITS`` dict with documented defaults.

Every value is looked up on access, never cached at import, so ``override_settings`` and
pytest-django's ``settings`` fixture take effect at once. A key in ``TBITS`` that no app
knows is reported by ``manage.py check`` (``tbits_accounts.E003``), which catches typos;
other apps that read their own keys from ``TBITS`` declare them with
:func:`register_known_keys` in their ``AppConfig.ready()``.

Each key, its default and why that default: docs/settings.md, grouped by concern
(``tests/operators/test_docs.py`` holds the page to :data:`DEFAULTS`). A key is here only
when an operator has a reason to change it; values that only tests change are module
constants where they are used, and tests patch those.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import caches

DEFAULT_RATE_LIMITS: dict[str, str] = {
    # Each code request sends an email or an SMS (which costs money); per address this caps
    # both spam and the number of codes an attacker can guess at.
    "code_request": "30/m/ip,5/10m/key,20/d/key",
    # Three tries per code are enforced by the flow itself; this bounds tries per address
    # across codes and browser sessions.
    "code_submit": "60/m/ip,10/10m/key,60/d/key",
    # Password guessing: per address is what matters; per IP catches credential stuffing.
    "password_login": "30/m/ip,5/5m/key,30/d/key",
    "register": "20/m/ip,5/10m/key",
    "oauth_callback": "30/m/ip",
}

DEFAULTS: dict[str, Any] = {
    # The API account.
    "API_BASE_URL": "https://nest.tradablebits.com/",
    "API_KEY": "",
    "API_SECRET": "",
    "ACCOUNT_ID": "",
    "BUSINESS_ID": "",
    # The API connection.
    "API_TIMEOUT": (3.0, 10.0),
    "API_MAX_RETRIES": 2,
    # Fan login.
    "OAUTH_ENABLED": None,
    "CODE_TTL": 10 * 60,
    "CODE_MAX_ATTEMPTS": 3,
    "CODE_MAX_RESENDS": 3,
    # The region a phone number typed without "+" is read in (ISO 3166 code, e.g. "CA");
    # None: such a number must start with its country code, as the API reads it.
    "PHONE_DEFAULT_REGION": None,
    "PASSWORD_CHANGE_WINDOW": 15 * 60,
    # None: the portal's home (the loyalty dashboard when mounted, else the login page).
    "LOGIN_REDIRECT_URL": None,
    "LOGOUT_REDIRECT_URL": None,
    # Fan sessions.
    "SESSION_IDLE_TIMEOUT": 2 * 60 * 60,
    "SESSION_ABSOLUTE_TIMEOUT": 12 * 60 * 60,
    # How often the API session is confirmed upstream (GET sessions/{uid}); None: never.
    "SESSION_CHECK_INTERVAL": 5 * 60,
    # Abuse limits.
    "RATE_LIMITS": DEFAULT_RATE_LIMITS,
    "TRUSTED_PROXY_COUNT": 0,
    # Caching.
    "CACHE_ALIAS": "default",
    # Display and hooks.
    # The site's base template, and which of its blocks take the portal's title, stylesheets
    # (head), page (body) and scripts; None: the site's layout has no such block.
    "LAYOUT_TEMPLATE": "base.html",
    "LAYOUT_BLOCKS": {"title": "title", "head": "head", "body": "content", "scripts": "scripts"},
    "IDOL_LABEL_NAME": None,
    "ADAPTER": "accounts.adapter.DefaultFanAdapter",
}

# Keys of ``TBITS`` some installed app reads. Other apps add theirs in ``ready()``.
KNOWN_KEYS: set[str] = set(DEFAULTS)


def register_known_keys(*names: str) -> None:
    """Declare ``TBITS`` keys another app reads, so the unknown-key check accepts them."""
    KNOWN_KEYS.update(names)


def user_settings() -> dict[str, Any]:
    """The raw ``TBITS`` dict as the project set it (empty when absent or not a dict)."""
    value = getattr(settings, "TBITS", None)
    return value if isinstance(value, dict) else {}


class AppSettings:
    """Attribute access to ``TBITS`` values, falling back to :data:`DEFAULTS`."""

    def __getattr__(self, name: str) -> Any:
        if name not in DEFAULTS:
            raise AttributeError(f"Unknown tbits_accounts setting: {name}")
        value = user_settings().get(name, DEFAULTS[name])
        if name == "RATE_LIMITS":
            # A project that tightens one action keeps the defaults of the others.
            return {**DEFAULT_RATE_LIMITS, **(value or {})}
        return value

    @property
    def oauth_enabled(self) -> bool:
        """Whether the OAuth sign-in is offered (explicit, or when its settings are set)."""
        explicit = self.OAUTH_ENABLED
        if explicit is not None:
            return bool(explicit)
        return bool(self.ACCOUNT_ID and self.API_SECRET)

    def cache(self) -> Any:
        """The Django cache this app counts and remembers in."""
        return caches[self.CACHE_ALIAS]


app_settings = AppSettings()
