"""The default cache is big enough for a busy portal; an explicit cache URL is left alone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def caches_with(**env: str) -> dict:
    """``CACHES`` as tbits_portal/settings.py builds it from ``env`` in a fresh interpreter."""
    clean = {k: v for k, v in os.environ.items() if k not in {"CACHE_URL", "CACHE_MAX_ENTRIES"}}
    code = "import json, tbits_portal.settings as s; print(json.dumps(s.CACHES))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "SECRET_KEY": "test-only-secret-key", "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)["default"]


def test_default_local_memory_cache_keeps_twenty_thousand_entries():
    # Django's 300 would be shared by sessions, rate-limit counters and every fan's data.
    default = caches_with()
    assert default["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert default["OPTIONS"]["MAX_ENTRIES"] == 20_000


def test_local_memory_size_is_configurable():
    assert caches_with(CACHE_MAX_ENTRIES="500")["OPTIONS"]["MAX_ENTRIES"] == 500


def test_redis_cache_gets_no_local_memory_option():
    default = caches_with(CACHE_URL="redis://127.0.0.1:6379/1")
    assert default["BACKEND"] == "accounts.cache_backend.DegradingRedisCache"
    assert "MAX_ENTRIES" not in default.get("OPTIONS", {})


def test_a_key_prefix_in_the_cache_url_reaches_django():
    # django-environ returns it as "key_prefix", which Django's caches ignore.
    default = caches_with(CACHE_URL="redis://127.0.0.1:6379/1?key_prefix=club-a")
    assert default["KEY_PREFIX"] == "club-a"
    assert "key_prefix" not in default
