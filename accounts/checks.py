"""System checks: misconfiguration is reported by ``manage.py check``, not found in production.

Ids: ``tbits_accounts.E001``... errors, ``tbits_accounts.W001``... warnings.
"""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit

import phonenumbers
from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.utils.module_loading import import_string

from accounts import app_settings as settings_module
from accounts.app_settings import app_settings
from accounts.ratelimit import parse_rates

# The one line a site adds.
_MIDDLEWARE = "accounts.middleware.TbitsMiddleware"
_SESSION_MIDDLEWARE = "django.contrib.sessions.middleware.SessionMiddleware"
_MESSAGE_MIDDLEWARE = "django.contrib.messages.middleware.MessageMiddleware"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@register(Tags.security, "tbits_accounts")
def check_settings(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """The ``TBITS`` dict: present, complete, no unknown keys, valid values."""
    raw = getattr(settings, "TBITS", None)
    if not isinstance(raw, dict):
        return [
            Error(
                "settings.TBITS must be a dict of the Tradable Bits settings.",
                hint="See accounts/app_settings.py for the keys and their defaults.",
                id="tbits_accounts.E001",
            )
        ]
    problems: list[Any] = []
    for name in ("API_BASE_URL", "API_KEY", "BUSINESS_ID"):
        if not str(getattr(app_settings, name) or "").strip():
            problems.append(Error(f"TBITS['{name}'] is empty.", id="tbits_accounts.E002"))
    if app_settings.OAUTH_ENABLED:
        for name in ("ACCOUNT_ID", "API_SECRET"):
            if not str(getattr(app_settings, name) or "").strip():
                problems.append(
                    Error(
                        f"TBITS['{name}'] is needed when OAUTH_ENABLED is true.",
                        id="tbits_accounts.E002",
                    )
                )
    unknown = sorted(set(raw) - settings_module.KNOWN_KEYS)
    if unknown:
        problems.append(
            Error(
                f"Unknown TBITS keys: {', '.join(unknown)}.",
                hint="A typo? Apps that add keys declare them with register_known_keys().",
                id="tbits_accounts.E003",
            )
        )
    rate_limits = raw.get("RATE_LIMITS", {})
    if not isinstance(rate_limits, dict):
        problems.append(Error("TBITS['RATE_LIMITS'] must be a dict.", id="tbits_accounts.E004"))
    else:
        for action, spec in app_settings.RATE_LIMITS.items():
            try:
                parse_rates(spec)
            except (ValueError, AttributeError) as exc:
                problems.append(
                    Error(
                        f"TBITS['RATE_LIMITS'][{action!r}] is invalid: {exc}",
                        id="tbits_accounts.E004",
                    )
                )
    url = urlsplit(str(app_settings.API_BASE_URL or ""))
    if url.scheme != "https" and not (url.scheme == "http" and _is_loopback(url.hostname or "")):
        problems.append(
            Error(
                "TBITS['API_BASE_URL'] must be https (http only for a loopback sandbox).",
                id="tbits_accounts.E005",
            )
        )
    try:
        import_string(app_settings.ADAPTER)
    except ImportError:
        problems.append(
            Error(
                f"TBITS['ADAPTER'] cannot be imported: {app_settings.ADAPTER}",
                id="tbits_accounts.E006",
            )
        )
    count = app_settings.TRUSTED_PROXY_COUNT
    if not isinstance(count, int) or count < 0:
        problems.append(
            Error("TBITS['TRUSTED_PROXY_COUNT'] must be an integer >= 0.", id="tbits_accounts.E007")
        )
    region = app_settings.PHONE_DEFAULT_REGION
    if region is not None and str(region).upper() not in phonenumbers.SUPPORTED_REGIONS:
        problems.append(
            Error(
                f"TBITS['PHONE_DEFAULT_REGION'] is not a region code: {region!r}.",
                hint='A two-letter ISO 3166 code such as "CA" or "FR", or None.',
                id="tbits_accounts.E013",
            )
        )
    interval = app_settings.SESSION_CHECK_INTERVAL
    if interval is not None and (
        isinstance(interval, bool) or not isinstance(interval, int | float) or interval < 0
    ):
        problems.append(
            Error(
                "TBITS['SESSION_CHECK_INTERVAL'] must be a number of seconds >= 0, or None.",
                hint="300 confirms the fan's API session every five minutes; None never.",
                id="tbits_accounts.E012",
            )
        )
    return problems


@register(Tags.security, "tbits_accounts")
def check_environment(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """Session, cache and middleware settings the fan's login depends on."""
    problems: list[Any] = []
    if getattr(settings, "SESSION_ENGINE", "") == "django.contrib.sessions.backends.signed_cookies":
        problems.append(
            Error(
                "The signed-cookie session engine puts the fan's API session id in a cookie "
                "the browser can read.",
                hint="Use a server-side engine (db, cache or cached_db).",
                id="tbits_accounts.E008",
            )
        )
    middleware = list(getattr(settings, "MIDDLEWARE", []))
    problems.extend(_middleware_problems(middleware))
    problems.extend(_middleware_order_problems(middleware))
    alias = app_settings.CACHE_ALIAS
    caches = getattr(settings, "CACHES", {})
    backend = caches.get(alias, {}).get("BACKEND", "")
    if backend.endswith("DummyCache"):
        problems.append(
            Warning(
                "The cache is a DummyCache: login rate limits are disabled.",
                hint="Use a shared cache such as Redis in production.",
                id="tbits_accounts.W001",
            )
        )
    if getattr(settings, "SESSION_COOKIE_SAMESITE", "Lax") in ("Strict", "None", None, False):
        problems.append(
            Warning(
                "SESSION_COOKIE_SAMESITE should be 'Lax': 'Strict' loses the session on the "
                "return from the OAuth provider, 'None' weakens CSRF protection.",
                id="tbits_accounts.W002",
            )
        )
    return problems


#: Caches each process keeps for itself (or, for files, each host): fine for one process.
PROCESS_LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
    "django.core.cache.backends.filebased.FileBasedCache",
)


@register(Tags.caches, "tbits_accounts", deploy=True)
def check_shared_cache(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """W005 (``check --deploy``, DEBUG off): the portal's caches are shared by all processes.

    Several processes or containers each with a cache of their own each count their own
    rate limits (a limit of 5 becomes 5 per process), keep their own circuit breaker, and
    keep their own copy of the API's data, which ``tbits_setup`` cannot clear.
    """
    if getattr(settings, "DEBUG", False):
        return []
    problems: list[Any] = []
    for alias in sorted({"default", str(app_settings.CACHE_ALIAS)}):
        local = process_local_cache(alias)
        if local is None:
            continue
        problems.append(
            Warning(
                f"The cache {alias!r} ({local.rsplit('.', 1)[-1]}) is not shared between "
                "processes: with several workers or containers each counts its own rate "
                "limits, keeps its own circuit breaker and its own copy of the API's data, "
                "which tbits_setup cannot clear.",
                hint="Use a cache every process shares: Redis (CACHE_URL=redis://...), "
                "Memcached or the database cache. One process on one host may ignore this.",
                id="tbits_accounts.W005",
            )
        )
    return problems


def process_local_cache(alias: str | None = None) -> str | None:
    """The process-local backend the portal's cache (or ``alias``) is, or None when shared."""
    alias = alias or str(app_settings.CACHE_ALIAS)
    return _process_local_base(getattr(settings, "CACHES", {}).get(alias, {}).get("BACKEND", ""))


def _process_local_base(path: str) -> str | None:
    """Which of :data:`PROCESS_LOCAL_CACHES` the backend ``path`` is (or extends), if any."""
    try:
        backend = import_string(path)
    except ImportError:
        return None  # Django's own checks report a backend that does not import
    for local in PROCESS_LOCAL_CACHES:
        if isinstance(backend, type) and issubclass(backend, import_string(local)):
            return local
    return None


def _middleware_problems(middleware: list[str]) -> list[Any]:
    """E009 unless ``TbitsMiddleware`` is listed: no ``request.fan``, API failures as 500s."""
    if _MIDDLEWARE in middleware:
        return []
    return [
        Error(
            f"request.fan is never set and API failures will be 500 pages: add "
            f"{_MIDDLEWARE!r} to MIDDLEWARE.",
            hint="List it after the session, CSRF and message middleware.",
            id="tbits_accounts.E009",
        )
    ]


def _first_index(middleware: list[str], base_path: str) -> int | None:
    """Where ``base_path``, or a subclass of it (a site's own session middleware), is listed."""
    base = import_string(base_path)
    for index, path in enumerate(middleware):
        if path == base_path:
            return index
        try:
            candidate = import_string(path)
        except ImportError:
            continue
        if isinstance(candidate, type) and issubclass(candidate, base):
            return index
    return None


def _middleware_order_problems(middleware: list[str]) -> list[Any]:
    """E010/E011/W004: the portal's middleware must come after the session and messages ones.

    It reads ``request.session`` and may add a message (the fan's session ended) before
    any view runs, so both must be set up by then. Listed before SessionMiddleware, every
    request that carries a session cookie fails with a 500; without MessageMiddleware the
    logout view fails; listed before it, the notice that a session ended is silently lost.
    """
    if _MIDDLEWARE not in middleware:
        return []  # E009 already says it is missing
    position = middleware.index(_MIDDLEWARE)
    ours = _MIDDLEWARE
    hint = (
        f"Move {ours!r} after {_SESSION_MIDDLEWARE!r} and {_MESSAGE_MIDDLEWARE!r}: "
        "the end of MIDDLEWARE is the usual place."
    )
    problems: list[Any] = []
    session = _first_index(middleware, _SESSION_MIDDLEWARE)
    if session is None or session > position:
        where = "is not listed" if session is None else f"is listed after {ours!r}"
        problems.append(
            Error(
                f"{_SESSION_MIDDLEWARE!r} {where}: every request with a session cookie "
                f"fails in {ours!r}, which reads request.session.",
                hint=hint,
                id="tbits_accounts.E010",
            )
        )
    message = _first_index(middleware, _MESSAGE_MIDDLEWARE)
    if message is None:
        problems.append(
            Error(
                f"{_MESSAGE_MIDDLEWARE!r} is not listed: the portal's pages that report "
                "something (logged out, a new code sent, profile saved) fail with a 500.",
                hint=hint,
                id="tbits_accounts.E011",
            )
        )
    elif message > position:
        problems.append(
            Warning(
                f"{_MESSAGE_MIDDLEWARE!r} is listed after {ours!r}: a fan whose session "
                "timed out is logged out without being told why.",
                hint=hint,
                id="tbits_accounts.W004",
            )
        )
    return problems
