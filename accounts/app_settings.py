"""The app's settings, read lazily from the one ``TBITS`` dict with documented defaults.

Every value is looked up on access, never cached at import, so ``override_settings`` and
pytest-django's ``settings`` fixture take effect at once. A key in ``TBITS`` that no app
knows is reported by ``manage.py check`` (``tbits_accounts.E003``), which catches typos;
other apps that read their own keys from ``TBITS`` declare them with
:func:`register_known_keys` in their ``AppConfig.ready()``.

Defaults, and why:

``API_BASE_URL``, ``API_KEY``, ``API_SECRET``, ``ACCOUNT_ID``, ``BUSINESS_ID``
    The credentials and ids of the Tradable Bits account. No useful default; the demo
    project fills them for the sandbox. The secret is only sent by the server, on the OAuth
    code exchange and on CRM calls; it is never rendered.
``LOGIN_TYPE`` (``"email"``)
    The ``login_type`` of the OAuth sign-in link, the only value the docs show.
``OAUTH_ENABLED`` (``None``)
    Whether the login page offers the OAuth sign-in. ``None`` means "when ``ACCOUNT_ID``
    and ``API_SECRET`` are set", the two values the OAuth flow needs.
``SESSION_IDLE_TIMEOUT`` (2 hours) / ``SESSION_ABSOLUTE_TIMEOUT`` (12 hours)
    A fan who leaves a shared phone idle is logged out after two hours; nobody stays logged
    in longer than a long event day, whatever the API session allows. The API session's own
    ``expiration_timestamp`` ends the fan's session earlier when it comes first.
``CODE_TTL`` (600 s), ``CODE_MAX_ATTEMPTS`` (3), ``CODE_MAX_RESENDS`` (3)
    A verification code is dead locally after 10 minutes or 3 wrong tries; the fan asks for
    a new one. Together with the rate limits this is what protects a 5-digit code.
``OAUTH_TRANSACTION_TTL`` (600 s)
    How long the one-time value in the OAuth callback path stays valid.
``PASSWORD_CHANGE_WINDOW`` (900 s)
    A password can be set or changed only this long after the fan logged in. The API asks
    for no current password, so without it anyone holding a phone left logged in could set
    a password of their own and log in as the fan later; within it, the fan has just proved
    who they are with a code or their password. After it, the profile offers to log in
    again. 0 refuses every change, which a site that manages passwords elsewhere may want.
``RATE_LIMITS``
    Per action, in django-allauth's ``"20/m/ip,3/m/key"`` form (amount / period / per ip or
    per email-or-phone); see :mod:`accounts.ratelimit` for the defaults and their reasons.
    Setting a subset overrides only those actions; an empty string disables an action's
    limit. Counted in the Django cache: a ``DummyCache`` disables them (``W001``).
``TRUSTED_PROXY_COUNT`` (0)
    How many reverse proxies in front of Django append to ``X-Forwarded-For``. 0 means
    ``REMOTE_ADDR`` is the fan's address. Too high lets a fan forge their address.
``API_TIMEOUT`` ((3.0, 10.0)), ``API_MAX_RETRIES`` (2)
    Connect and read timeouts and retry count of the API client.
``CIRCUIT_BREAKER_THRESHOLD`` (5), ``CIRCUIT_BREAKER_RESET`` (30 s)
    After that many consecutive failures the client fails fast for that long, so a down
    API costs fans a quick error page instead of a 10-second wait each.
``BRANDING_CACHE_TIMEOUT`` (600 s)
    How long the account's branding from ``/api/v1/status`` is cached.
``IDOL_LABEL_NAME`` (``None``)
    The ``label_name`` that limits the idols shown on the profile page.
``LOGIN_REDIRECT_URL`` (``"/"``), ``LOGOUT_REDIRECT_URL`` (``None`` = the login page)
    Where a fan lands after login when no safe ``next`` was given, and after logout.
``ADAPTER`` (``"accounts.adapter.DefaultFanAdapter"``)
    The dotted path of the class holding every hook and message a site may change.
``CACHE_ALIAS`` (``"default"``)
    The Django cache that holds rate-limit counters, the API cooldowns and the branding.
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
    "API_BASE_URL": "https://nest.tradablebits.com/",
    "API_KEY": "",
    "API_SECRET": "",
    "ACCOUNT_ID": "",
    "BUSINESS_ID": "",
    "LOGIN_TYPE": "email",
    "OAUTH_ENABLED": None,
    "SESSION_IDLE_TIMEOUT": 2 * 60 * 60,
    "SESSION_ABSOLUTE_TIMEOUT": 12 * 60 * 60,
    "CODE_TTL": 10 * 60,
    "CODE_MAX_ATTEMPTS": 3,
    "CODE_MAX_RESENDS": 3,
    "OAUTH_TRANSACTION_TTL": 10 * 60,
    "PASSWORD_CHANGE_WINDOW": 15 * 60,
    "RATE_LIMITS": DEFAULT_RATE_LIMITS,
    "TRUSTED_PROXY_COUNT": 0,
    "API_TIMEOUT": (3.0, 10.0),
    "API_MAX_RETRIES": 2,
    "CIRCUIT_BREAKER_THRESHOLD": 5,
    "CIRCUIT_BREAKER_RESET": 30,
    "BRANDING_CACHE_TIMEOUT": 10 * 60,
    "IDOL_LABEL_NAME": None,
    "LOGIN_REDIRECT_URL": "/",
    "LOGOUT_REDIRECT_URL": None,
    "ADAPTER": "accounts.adapter.DefaultFanAdapter",
    "CACHE_ALIAS": "default",
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
