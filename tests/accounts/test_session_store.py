"""Issue 17, "PostgreSQL down": sessions kept in the cache alone while the database is away.

The database is taken away by making its connection refuse to open, as a stopped server
does (``tests/reliability/test_postgres_down.py`` stops a real PostgreSQL under gunicorn).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import OperationalError, connection

from accounts.session_store import SessionStore

pytestmark = pytest.mark.django_db


class Outage:
    """Switch the database off and on inside one test."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch

    def start(self) -> None:
        def refuse() -> None:
            raise OperationalError("connection refused")

        self.monkeypatch.setattr(connection, "ensure_connection", refuse)

    def end(self) -> None:
        self.monkeypatch.undo()


@pytest.fixture
def outage(monkeypatch: pytest.MonkeyPatch) -> Iterator[Outage]:
    cache.clear()
    yield Outage(monkeypatch)
    cache.clear()


def _row(key: str) -> Session | None:
    return Session.objects.filter(session_key=key).first()


def test_a_session_created_while_the_database_is_down_lives_in_the_cache(
    outage: Outage,
) -> None:
    outage.start()
    store = SessionStore()
    store["fan"] = "501"
    store.save()  # Django's cached_db raised OperationalError here: a 500 at every login
    key = store.session_key
    assert key
    store["fan"] = "502"
    store.save()  # and UpdateError here: a 400 on the next page that changed the session
    assert SessionStore(key)["fan"] == "502"
    outage.end()
    assert _row(key) is None


def test_the_first_save_after_the_database_returns_writes_the_row(outage: Outage) -> None:
    outage.start()
    store = SessionStore()
    store["fan"] = "501"
    store.save()
    key = store.session_key
    outage.end()

    later = SessionStore(key)
    later["page"] = "dashboard"
    later.save()  # an update of a row never written: Django's UpdateError, here an insert

    row = _row(key)
    assert row is not None
    assert row.get_decoded() == {"fan": "501", "page": "dashboard"}
    cache.clear()
    assert dict(SessionStore(key).items()) == {"fan": "501", "page": "dashboard"}


def test_a_read_that_misses_the_cache_with_the_database_down_is_no_session(
    outage: Outage,
) -> None:
    store = SessionStore()
    store["fan"] = "501"
    store.save()
    key = store.session_key
    cache.clear()
    outage.start()
    again = SessionStore(key)
    assert dict(again.items()) == {}
    assert again.session_key is None  # a save creates a new session, never writes this key


def test_a_session_deleted_while_the_database_is_down_stays_deleted(outage: Outage) -> None:
    store = SessionStore()
    store["fan"] = "501"
    store.save()
    key = store.session_key
    assert key
    racing = SessionStore(key)
    assert racing["fan"] == "501"  # another request of the same fan, still running
    outage.start()
    SessionStore(key).flush()  # logout

    assert dict(SessionStore(key).items()) == {}  # the cache's tombstone hides the row
    racing["fan"] = "501"
    with pytest.raises(UpdateError):  # the racing save does not bring the session back
        racing.save()
    outage.end()
    assert _row(key) is not None  # deleted for good by the database at its expiry
    assert dict(SessionStore(key).items()) == {}


def test_a_session_deleted_meanwhile_is_still_refused_with_the_database_up(
    outage: Outage,
) -> None:
    """Not an outage: Django's own answer to a save of a deleted session is kept."""
    store = SessionStore()
    store["fan"] = "501"
    store.save()
    key = store.session_key
    racing = SessionStore(key)
    assert racing["fan"] == "501"
    SessionStore(key).flush()
    racing["fan"] = "502"
    with pytest.raises(UpdateError):
        racing.save()
    assert _row(key) is None
