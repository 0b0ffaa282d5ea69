"""Settings of the benchmark: the demo project as deployed, pointed at the stand-in API.

Only defaults are set, the way tests/settings.py does it; ``benchmarks.run`` sets
``TBITS_API_BASE_URL`` to the stand-in's address before Django reads this module. What
differs from production, and why:

- the sandbox is off: the portal talks to the stand-in over real HTTP on loopback;
- an in-memory SQLite database holds the Django sessions (the fans' logins);
- Django sessions live in their own cache, so "cold" can empty the portal's data cache
  without logging every fan out;
- static files come from the finders (no collectstatic needed for a benchmark);
- logging is at WARNING: one request line per page would drown the table. The request
  log middleware still runs, so its cost is still measured.
"""

import os

os.environ.setdefault("SECRET_KEY", "benchmark-secret-key-not-for-production")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("TBITS_SANDBOX", "0")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SESSION_COOKIE_SECURE", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("TBITS_API_BASE_URL", "http://127.0.0.1:9/")
os.environ.setdefault("TBITS_API_KEY", "bench-api-key")
os.environ.setdefault("TBITS_API_SECRET", "bench-api-secret-5e1d7c")
os.environ.setdefault("TBITS_ACCOUNT_ID", "1001")
os.environ.setdefault("TBITS_BUSINESS_ID", "2002")

from benchmarks.dataset import POINT_UID
from tbits_portal.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"

# The currency configured as docs/settings.md recommends for production, by uid: the tiers
# of a cold page go out with every other call, in one round trip (issue 21).
TBITS = {**TBITS, "POINT_TYPE": POINT_UID}  # noqa: F405

DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "data"},
    "sessions": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "sessions",
    },
}
SESSION_CACHE_ALIAS = "sessions"

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# No collectstatic output to serve: whitenoise would warn that STATIC_ROOT does not exist
# (no page measured asks for a static file; the finders would answer one).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
