"""The benchmark's stand-in API, started once for these tests, and the portal pointed at it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import caches

from benchmarks.measure import PageBench
from benchmarks.standin import StandIn

API_KEY = "perf-test-key"
API_SECRET = "perf-test-secret-4b2e9a"
#: Long enough that the calls of one wave always overlap, even on a loaded machine, so
#: counting round trips does not depend on the machine's speed.
LATENCY_MS = 150


@pytest.fixture(scope="module")
def standin() -> Iterator[StandIn]:
    with StandIn() as server:
        yield server


@pytest.fixture
def bench(standin: StandIn, settings: Any, monkeypatch: Any, db: None) -> Iterator[PageBench]:
    """The portal on the stand-in (30 quests, 12 rewards, one tag-restricted quest)."""
    standin.configure(
        quests=30, rewards=12, latency_ms=LATENCY_MS, api_key=API_KEY, api_secret=API_SECRET
    )
    settings.TBITS = {
        "API_BASE_URL": standin.base_url,
        "API_KEY": API_KEY,
        "API_SECRET": API_SECRET,
        "ACCOUNT_ID": "1001",
        "BUSINESS_ID": "2002",
        "API_MAX_RETRIES": 0,
    }
    monkeypatch.setattr("loyalty.cache.REFRESH_IN_BACKGROUND", False)
    caches["default"].clear()
    yield PageBench(standin)
    caches["default"].clear()
