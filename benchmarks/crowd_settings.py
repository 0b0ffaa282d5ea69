"""Settings of the crowd benchmark (``benchmarks.concurrency``): many fans, several processes.

The benchmark's settings (:mod:`benchmarks.settings`: no sandbox, logging at WARNING, the
stand-in's address from the environment), with the two things several gunicorn workers
must share, configured as a deployment configures them (``DATABASE_URL``, ``CACHE_URL``,
read by the project's settings):

- the database, a SQLite file rather than ``:memory:``, which each process would have to
  itself: sessions are ``cached_db``, and a fan whose session exists in one worker only
  would be sent to log in by the other;
- the cache, Redis by default (``benchmarks.concurrency`` picks a database number and a key
  prefix of its own): the sessions, and the fans' data and the catalogue, which a fan's
  next page reads in whichever worker answers it. Local memory would give each worker its
  own copy, and each copy its own calls to the API.

Sessions live in that one cache (no separate cache to empty, as the in-process bench has).
"""

import os

from django.core.exceptions import ImproperlyConfigured

for name in ("DATABASE_URL", "CACHE_URL"):
    if not os.environ.get(name):
        # Without them the project's defaults apply: db.sqlite3 in the checkout and a
        # process-local cache, neither of which this benchmark may use.
        raise ImproperlyConfigured(f"benchmarks.crowd_settings needs {name} (set by the run).")

from benchmarks.settings import *  # noqa: E402, F403
from tbits_portal import settings as deployed  # noqa: E402

# benchmarks.settings replaced these for the in-process bench; the deployed project's own
# reading of DATABASE_URL and CACHE_URL is what this benchmark measures.
DATABASES = deployed.DATABASES
CACHES = deployed.CACHES
# django-environ 0.14 lower-cases every query option of a URL for Django's RedisCache,
# KEY_PREFIX included, which Django then ignores: every run would share one key space.
# The run's prefix is what keeps its keys apart (and lets it delete exactly its own).
if "key_prefix" in CACHES["default"]:
    CACHES["default"]["KEY_PREFIX"] = CACHES["default"].pop("key_prefix")
if not CACHES["default"].get("KEY_PREFIX"):
    raise ImproperlyConfigured("benchmarks.crowd_settings needs a key_prefix in CACHE_URL.")
SESSION_CACHE_ALIAS = "default"
