"""Settings of the demo project, and the only module that reads the environment.

Every value comes from an environment variable (see ``.env.example``) through
django-environ. The defaults are the safe production ones: ``DEBUG`` is off, the
sandbox is off, cookies are secure. ``make run`` turns on what the demo needs
explicitly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import environ
from csp.constants import NONCE

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env file is a convenience for development; real deployments set variables.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="" if not DEBUG else "insecure-development-key-only")
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for local development).")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The embedded emulator of the Tradable Bits API, mounted at /sandbox/.
TBITS_SANDBOX = env.bool("TBITS_SANDBOX", default=False)
# With DEBUG off the sandbox runs only when this says, in tbits_sandbox.checks' exact
# sentence, that this is a test server (a flag could be left on by accident).
TBITS_SANDBOX_TEST_SERVER = env("TBITS_SANDBOX_TEST_SERVER", default="")
TBITS_SANDBOX_LATENCY_MS = env.int("TBITS_SANDBOX_LATENCY_MS", default=0)
TBITS_SANDBOX_ERROR_RATE = env.float("TBITS_SANDBOX_ERROR_RATE", default=0.0)
# "path-regex=status,..." e.g. "/quests$=503,/sessions/connect=429"
TBITS_SANDBOX_FAULTS = env("TBITS_SANDBOX_FAULTS", default="")
# Answer only the fields the provider's reference documents (tbits_sandbox/documented.py),
# to prove the portal needs nothing more. Read at request time, so tests can switch it.
TBITS_SANDBOX_DOCUMENTED_ONLY = env.bool("TBITS_SANDBOX_DOCUMENTED_ONLY", default=False)
TBITS_SANDBOX_FAN_EMAIL = env("TBITS_SANDBOX_FAN_EMAIL", default="fan@example.com")
TBITS_SANDBOX_FAN_PASSWORD = env("TBITS_SANDBOX_FAN_PASSWORD", default="loyal-fan-2026")

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "csp",
    "tbits_portal",
    "accounts",
    "loyalty",
]
if TBITS_SANDBOX:
    INSTALLED_APPS.append("tbits_sandbox")

MIDDLEWARE = [
    # First, so a load balancer's probe needs no allowed host and gets no HTTPS redirect.
    "accounts.health.middleware.LivenessProbeMiddleware",
    "accounts.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages, gzipped for browsers that ask: a quest board of 100 quests is 85 kB of HTML
    # and 5 kB compressed, seconds on a venue's congested network. Below whitenoise, which
    # answers static files (already compressed at build time) before this sees them.
    # Django adds random bytes to each gzip header against BREACH, and cookies are Lax.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # request.fan, and the one place where API errors become pages (re-login, 429,
    # friendly 503): the one line docs/install-into-existing-site.md tells a site to add.
    "accounts.middleware.TbitsMiddleware",
]

ROOT_URLCONF = "tbits_portal.urls"
WSGI_APPLICATION = "tbits_portal.wsgi.application"
ASGI_APPLICATION = "tbits_portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
        },
    }
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several threads (runserver, the live test server, the embedded sandbox) share
    # one SQLite file: wait for a lock instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("timeout", 20)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer is found in seconds, not libpq's default of never.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://tbits-portal")}
# django-environ hands ?key_prefix= back as "key_prefix", which Django ignores (it reads
# KEY_PREFIX): two sites sharing one Redis would then share, and clear, each other's keys.
if "key_prefix" in CACHES["default"]:
    CACHES["default"]["KEY_PREFIX"] = CACHES["default"].pop("key_prefix")
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Redis down: fan pages read through to the API and the database instead of a 500,
    # while rate limits refuse (accounts.cache_backend). A second, not redis-py's default
    # of waiting forever, to find a Redis that does not answer.
    CACHES["default"]["BACKEND"] = "accounts.cache_backend.DegradingRedisCache"
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("socket_connect_timeout", 1)
    CACHES["default"]["OPTIONS"].setdefault("socket_timeout", 1)
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache":
    # Local memory keeps 300 entries by default, shared here by sessions, rate-limit
    # counters and every active fan's data: past ~100 fans it would cull counters (a rate
    # limit forgotten) and cached data. A fan's entries are 0.3-2 KB: 20,000 stay near 40 MB.
    CACHES["default"].setdefault("OPTIONS", {}).setdefault(
        "MAX_ENTRIES", env.int("CACHE_MAX_ENTRIES", default=20_000)
    )

# Fans are not Django users: the fan's API session lives in the Django session.
# cached_db, kept in the cache alone while the database is down (accounts.session_store).
SESSION_ENGINE = "accounts.session_store"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"  # the return from the OAuth provider must keep the session
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_NAME = "__Host-sessionid" if SESSION_COOKIE_SECURE else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if CSRF_COOKIE_SECURE else "csrftoken"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 24 * 14)
# Flash messages live in the server-side session: the default cookie storage would add a
# cookie named "messages" (not __Host-) whose signed payload anyone holding it can read.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "en"
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "tbits_portal" / "locale"]
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Tests and `runserver` serve from the finders; production serves the collected,
# hashed, compressed copies.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# With the sandbox on, the defaults are the credentials `sandbox_seed` creates, so the
# demo works with no configuration; without it they must be set (`manage.py check`).
TBITS = {
    "API_BASE_URL": env(
        "TBITS_API_BASE_URL",
        default="http://127.0.0.1:8000/sandbox/"
        if TBITS_SANDBOX
        else "https://nest.tradablebits.com/",
    ),
    "API_KEY": env("TBITS_API_KEY", default="sandbox-api-key" if TBITS_SANDBOX else ""),
    "API_SECRET": env("TBITS_API_SECRET", default="sandbox-api-secret" if TBITS_SANDBOX else ""),
    "ACCOUNT_ID": env("TBITS_ACCOUNT_ID", default="1001" if TBITS_SANDBOX else ""),
    "BUSINESS_ID": env("TBITS_BUSINESS_ID", default="2002" if TBITS_SANDBOX else ""),
    # The custom quests the fan completes by saving the profile: the sandbox's seeded one.
    "PROFILE_QUESTS": ["Complete your profile"] if TBITS_SANDBOX else [],
}


def _wallet_settings(prefix: str, keys: tuple[str, ...], *, lists: tuple[str, ...] = ()) -> Any:
    """A phone wallet's TBITS dict from ``<prefix>_<KEY>`` variables; None when the first
    is unset (docs/settings.md, "Phone wallets"). Paths only: the keys stay in their files."""
    if not env.str(f"{prefix}_{keys[0]}", default=""):
        return None
    values: dict[str, Any] = {}
    for key in keys:
        if key in lists:
            values[key] = env.list(f"{prefix}_{key}", default=[])
        else:
            values[key] = env.str(f"{prefix}_{key}", default="") or None
    return values


TBITS["APPLE_WALLET"] = _wallet_settings(
    "TBITS_APPLE_WALLET",
    (
        "PASS_TYPE_ID",
        "TEAM_ID",
        "CERTIFICATE",
        "KEY",
        "KEY_PASSWORD",
        "WWDR_CERTIFICATE",
        "ICON",
        "LOGO",
    ),
)
TBITS["GOOGLE_WALLET"] = _wallet_settings(
    "TBITS_GOOGLE_WALLET",
    ("ISSUER_ID", "SERVICE_ACCOUNT_FILE", "CLASS_SUFFIX", "ORIGINS"),
    lists=("ORIGINS",),
)
TBITS["SEASON_START"] = env.str("TBITS_SEASON_START", default="") or None


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


# The API's origin: its media (reward, quest and logo images) and its OAuth sign-in page,
# where the "Log in with Tradable Bits" form's redirect goes (form-action covers redirects).
TBITS_API_ORIGIN = _origin(TBITS["API_BASE_URL"])
# Where images may come from: the API's own media when unset or empty; a site whose
# image_url fields point at a CDN lists its origin(s) here.
CSP_MEDIA_HOSTS = env.list("CSP_MEDIA_HOSTS", default=[]) or [TBITS_API_ORIGIN]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # django-csp 4 substitutes 'nonce-<value>' only for its NONCE sentinel.
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", NONCE],
        # The hosts the pages use, not any https: host (an injected <img> or <form> could
        # otherwise send what it carries anywhere).
        "img-src": ["'self'", *CSP_MEDIA_HOSTS],
        "form-action": ["'self'", TBITS_API_ORIGIN],
        # The offline passes' service worker and the web app manifest: this origin only.
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}

# Fan forms are a few short fields. Django refuses a url-encoded body over this before
# reading it; file uploads to the portal's forms are refused by accounts.request_body.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=64 * 1024)

LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact": {"()": "accounts.logs.RedactSecretsFilter"},
        "loggable_path": {"()": "accounts.logs.LoggablePathFilter"},
        "client_error": {"()": "accounts.logs.ClientErrorFilter"},
    },
    "formatters": {"line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "line",
            # Redacted; a refused request (bad Host, too many fields) one WARNING line.
            "filters": ["redact", "client_error"],
        }
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        # Our own request line replaces Django's, which would log full query strings.
        "django.server": {"handlers": [], "propagate": False},
        "django.request": {
            "handlers": ["stdout"],
            "level": "ERROR",
            "propagate": False,
            # On the logger, not a handler: whatever handler a site adds sees no path value.
            "filters": ["loggable_path"],
        },
    },
}
