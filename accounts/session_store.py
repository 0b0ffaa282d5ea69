"""Django's ``cached_db`` sessions, kept in the cache alone while the database is down.

``cached_db`` reads a session from the cache and writes it to both. With PostgreSQL
stopped, every write (a login, a flash message, the idle clock moved once a minute) raised
and the fan got a 500, although the cache (Redis, shared by every worker) held the session
and could keep it. Here a write the database cannot take goes to the cache alone, one
WARNING line, and the session is written to the database again by the first save after
the database is back. A read that misses the cache with the database down is no session
(the fan logs in again), never a 500.

Deleting (logout, a timeout, the key cycled at login) with the database down leaves a
tombstone in the cache for the longest a session can live, so the database's copy cannot
be read back while the tombstone lasts, and a save racing the logout is refused as
Django refuses it (``UpdateError``). If the cache also loses the tombstone before the
database is back, the old row may be read again until the middleware's session check asks
the API, which ended that API session at logout (``docs/reliability.md``).

Only connection-level errors (``OperationalError``, ``InterfaceError``) mean "down": a
forced update that found no row (the session was deleted meanwhile) stays Django's.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.base import CreateError, UpdateError
from django.db import InterfaceError, OperationalError

logger = logging.getLogger(__name__)

_DOWN = (OperationalError, InterfaceError)
#: Stored in place of a session deleted while the database could not delete its row.
_TOMBSTONE = {"tbits_session_deleted": True}
#: Set in a session kept only in the cache, so the first save after the database returns
#: inserts its row rather than updating a row that was never written.
_ONLY_IN_CACHE = "tbits_session_only_in_cache"


def _database_down(error: BaseException) -> bool:
    """Whether ``error`` (or the database error Django's session code re-raised it from)
    is the database being unreachable."""
    return isinstance(error, _DOWN) or isinstance(error.__context__, _DOWN)


class SessionStore(cached_db.SessionStore):
    """``cached_db`` whose writes fall back to the cache alone while the database is down."""

    _only_in_cache = False

    def load(self) -> dict[str, Any]:
        try:
            data = super().load()
        except _DOWN as error:
            logger.warning("session not read: database unavailable (%s)", type(error).__name__)
            self._session_key = None
            return {}
        if data == _TOMBSTONE:
            self._session_key = None
            return {}
        if data.pop(_ONLY_IN_CACHE, False):
            self._only_in_cache = True
        return data

    def exists(self, session_key: str | None) -> bool:
        try:
            return bool(super().exists(session_key))
        except _DOWN:
            # The cache, asked first, does not hold it; keys are random, and the cache's
            # add() refuses a clash when the session is then created there.
            return False

    def save(self, must_create: bool = False) -> None:
        if self.session_key is None:
            self.create()
            return
        try:
            super().save(must_create)
        except (*_DOWN, UpdateError) as error:
            if not _database_down(error):
                if not (isinstance(error, UpdateError) and self._only_in_cache):
                    raise
                # Created while the database was down: its row was never written.
                super().save(must_create=True)
                self._only_in_cache = False
                return
            self._save_in_cache_only(must_create, error)

    def _save_in_cache_only(self, must_create: bool, error: BaseException) -> None:
        data = {**self._get_session(no_load=must_create), _ONLY_IN_CACHE: True}
        key, age = self.cache_key, self.get_expiry_age()
        if must_create:
            if not self._cache.add(key, data, age):
                raise CreateError
        else:
            if self._cache.get(key) == _TOMBSTONE:
                raise UpdateError  # deleted (logged out) meanwhile: Django's answer
            self._cache.set(key, data, age)
        self._only_in_cache = True
        logger.warning(
            "session kept in the cache only: database unavailable (%s)",
            type(error.__context__ if isinstance(error, UpdateError) else error).__name__,
        )

    def delete(self, session_key: str | None = None) -> None:
        key = session_key if session_key is not None else self.session_key
        try:
            super().delete(session_key)
        except _DOWN as error:
            if key is None:
                return
            self._cache.set(self.cache_key_prefix + key, _TOMBSTONE, settings.SESSION_COOKIE_AGE)
            logger.warning(
                "session deleted in the cache only: database unavailable (%s)",
                type(error).__name__,
            )
