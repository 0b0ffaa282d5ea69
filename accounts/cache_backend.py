"""Django's Redis cache, read as a miss and written as a no-op while Redis is down.

Everything the portal keeps in the cache can be done without for a while: a fan's data is
fetched from the API again, a session is read from the database (``cached_db``). Django's
``RedisCache`` raises on every call while Redis is unreachable, which turned each fan page
into a 500. Here reads miss and writes are dropped, one WARNING line each, and redis-py's
pool reconnects by itself when Redis is back.

Not the counters: ``add``, ``incr`` and ``decr`` still raise, because a rate limit or a
code's try counter that silently counted nothing would let every guess through
(:mod:`accounts.ratelimit` refuses the action instead: it fails closed).
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)


def _unreachable(operation: str, error: Exception) -> None:
    logger.warning("cache unavailable: %s %s", operation, type(error).__name__)


class DegradingRedisCache(RedisCache):
    """``RedisCache`` whose reads miss and writes do nothing while Redis cannot be reached."""

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        try:
            return super().get(key, default, version)
        except Exception as error:  # any client error: the server is away
            _unreachable("get", error)
            return default

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        try:
            return super().get_many(keys, version)
        except Exception as error:
            _unreachable("get_many", error)
            return {}

    def has_key(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().has_key(key, version)
        except Exception as error:
            _unreachable("has_key", error)
            return False

    def set(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> None:
        try:
            super().set(key, value, timeout, version)
        except Exception as error:
            _unreachable("set", error)

    def set_many(self, data: Any, timeout: Any = None, version: int | None = None) -> list[Any]:
        try:
            return super().set_many(data, timeout, version)
        except Exception as error:
            _unreachable("set_many", error)
            return list(data)

    def touch(self, key: Any, timeout: Any = None, version: int | None = None) -> bool:
        try:
            return super().touch(key, timeout, version)
        except Exception as error:
            _unreachable("touch", error)
            return False

    def delete(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().delete(key, version)
        except Exception as error:
            _unreachable("delete", error)
            return False

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        try:
            super().delete_many(keys, version)
        except Exception as error:
            _unreachable("delete_many", error)
