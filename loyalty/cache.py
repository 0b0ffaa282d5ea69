"""Stale-while-revalidate over the Django cache, for data every fan of a business shares.

A fresh entry is served as is. A stale one is served at once while exactly one worker
(whoever wins ``cache.add`` on the lock key) refreshes it, in a background thread, so no
fan waits for a refresh. When a refresh fails the
stale copy keeps being served, flagged so the page can say the data may be out of date;
only a cold miss with the API down reaches the fan as an error (a 503 page).

Each process keeps the last decoded copy of every shared entry and uses it while the cache
still holds that version (a short key read per page), so a business's catalogue is not
fetched from the cache and unpickled on every page view.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

from accounts.app_settings import app_settings
from loyalty.app_settings import loyalty_settings
from tbits_client import SessionExpired, TbitsError

logger = logging.getLogger(__name__)

T = TypeVar("T")

KEY_PREFIX = "tbits_loyalty:v1:"
# How long one worker holds the refresh lock while the others keep serving the stale copy:
# longer than a refresh with its retries takes, short enough that a crashed one is retried.
LOCK_TIMEOUT = 30
# Stale data is refreshed in a thread so no fan waits. Tests that need the new data on the
# very page that found it stale (and no thread outliving the test) patch this to False.
REFRESH_IN_BACKGROUND = True


@dataclass(frozen=True)
class Cached(Generic[T]):
    """A value with whether it is a stale copy kept because the API failed."""

    value: T
    degraded: bool = False


@dataclass(frozen=True)
class _Entry:
    value: Any
    fetched_at: float
    failed_at: float | None = None
    # New at every store of a shared entry: what the decoded copies are checked against.
    version: str = ""


# The last decoded copy of each shared entry in this process, by key. Values are shared
# between requests and threads, as the frozen dataclasses they are; never mutate them.
_decoded: dict[str, _Entry] = {}
_DECODED_LIMIT = 256


def cache_key(*parts: object) -> str:
    """A namespaced cache key; parts are ids, never secrets."""
    return KEY_PREFIX + ":".join(str(part) for part in parts)


def _store(key: str, entry: _Entry) -> None:
    timeout = int(loyalty_settings.CACHE_TTL) + int(loyalty_settings.CACHE_STALE_TTL)
    entry = replace(entry, version=uuid.uuid4().hex)
    app_settings.cache().set_many({key: entry, key + ":version": entry.version}, timeout)
    _remember(key, entry)


def _remember(key: str, entry: _Entry) -> None:
    if key not in _decoded and len(_decoded) >= _DECODED_LIMIT:
        _decoded.clear()  # keys are per business and period: this is rare and cheap
    _decoded[key] = entry


def _read(key: str) -> _Entry | None:
    """The shared entry under ``key``: this process's decoded copy while still current."""
    cache = app_settings.cache()
    local = _decoded.get(key)
    if local is not None and cache.get(key + ":version") == local.version:
        return local
    entry = cache.get(key)
    if not isinstance(entry, _Entry):
        return None
    if entry.version:
        _remember(key, entry)
    return entry


def _refresh(key: str, loader: Callable[[], Any], stale: _Entry | None) -> Any:
    try:
        value = loader()
    except TbitsError:
        if stale is None:
            raise
        logger.warning("Refreshing %s failed; serving the copy from %.0f", key, stale.fetched_at)
        _store(key, _Entry(stale.value, stale.fetched_at, failed_at=time.time()))
        return stale.value
    finally:
        app_settings.cache().delete(key + ":lock")
    _store(key, _Entry(value, time.time()))
    return value


def cached_shared(key: str, loader: Callable[[], T]) -> Cached[T]:
    """``loader()``'s value through the cache, refreshed without making a fan wait."""
    cache = app_settings.cache()
    entry = _read(key)
    if entry is None:
        return Cached(_refresh_cold(key, loader))
    age = time.time() - entry.fetched_at
    if age < int(loyalty_settings.CACHE_TTL):
        return Cached(entry.value, degraded=entry.failed_at is not None)
    if not cache.add(key + ":lock", 1, LOCK_TIMEOUT):
        return Cached(entry.value, degraded=entry.failed_at is not None)
    if REFRESH_IN_BACKGROUND:
        thread = threading.Thread(
            target=_refresh_quietly, args=(key, loader, entry), name="tbits-refresh", daemon=True
        )
        thread.start()
        return Cached(entry.value, degraded=entry.failed_at is not None)
    value = _refresh(key, loader, entry)
    fresh = _read(key)
    degraded = fresh is not None and fresh.failed_at is not None
    return Cached(value, degraded=degraded)


def _refresh_cold(key: str, loader: Callable[[], T]) -> T:
    # A cold miss must be fetched now; the lock only stops a stampede of identical
    # background refreshes, so it is not taken here.
    value = loader()
    _store(key, _Entry(value, time.time()))
    return value


def _refresh_quietly(key: str, loader: Callable[[], Any], stale: _Entry) -> None:
    try:
        _refresh(key, loader, stale)
    except Exception:  # a background thread has nobody to raise to
        logger.exception("Background refresh of %s failed", key)


def cached_personal(key: str, loader: Callable[[], T], *, ttl: int) -> Cached[T]:
    """One fan's data: reused for ``ttl`` seconds, then fetched again before the page.

    Unlike shared data it is not served stale by default, since a fan expects to see their
    own progress; the last copy is kept only as a fallback, flagged, for when the API fails.
    """
    cache = app_settings.cache()
    entry = cache.get(key)
    if isinstance(entry, _Entry) and time.time() - entry.fetched_at < ttl:
        return Cached(entry.value)
    try:
        value = loader()
    except SessionExpired:
        raise
    except TbitsError:
        if not isinstance(entry, _Entry):
            raise
        logger.warning("Fan data unavailable; serving the copy from %.0f", entry.fetched_at)
        return Cached(entry.value, degraded=True)
    cache.set(key, _Entry(value, time.time()), ttl + int(loyalty_settings.CACHE_STALE_TTL))
    return Cached(value)


def is_cached(key: str) -> bool:
    """Whether a shared value is cached, fresh or stale: reading it will not wait for the API.

    Asks what :func:`cached_shared` will read, the process's decoded copy included: while that
    copy is current the entry itself is never read, so a cache that evicts the least recently
    read keys first (local memory does) drops it and keeps its version. Checking the entry
    alone then sent every page down the cold path, fetching a catalogue it threw away.
    """
    return _read(key) is not None


def peek_shared(key: str) -> Any | None:
    """A shared value as cached, fresh or stale, without a call; None when it is not cached."""
    entry = _read(key)
    return entry.value if entry is not None else None


def is_fresh(key: str, *, ttl: int) -> bool:
    """Whether a fan's value is cached and younger than ``ttl``: reading it will not call."""
    entry = app_settings.cache().get(key)
    return isinstance(entry, _Entry) and time.time() - entry.fetched_at < ttl


def expire(key: str) -> None:
    """Make a fan's value due for a fetch on its next read, keeping it as the fallback.

    After a change upstream (a completion) the next page must ask the API, but when that
    read fails the last good copy is still what the fan should see, flagged as possibly
    out of date, rather than a 503 page for data the portal had a moment ago.
    """
    cache = app_settings.cache()
    entry = cache.get(key)
    if isinstance(entry, _Entry):
        timeout = int(loyalty_settings.CACHE_STALE_TTL) + int(loyalty_settings.FAN_CACHE_TTL)
        cache.set(key, replace(entry, fetched_at=0.0), timeout)


def forget(key: str) -> None:
    """Drop a cached value (and its lock) so the next read fetches it."""
    cache = app_settings.cache()
    cache.delete_many([key, key + ":lock", key + ":version"])
    _decoded.pop(key, None)
