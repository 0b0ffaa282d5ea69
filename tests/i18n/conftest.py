"""Fixtures of the translation tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import caches


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    # Login rate limits and cached API answers are counted in the cache: start afresh.
    caches["default"].clear()
    yield
    caches["default"].clear()
