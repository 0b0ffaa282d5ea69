"""Issue 17, "PostgreSQL down": the portal's database stops under logged-in fans, then returns.

The portal runs as production does (gunicorn, two workers, ``DEBUG`` off) on a PostgreSQL
cluster and a Redis server of the test's own (spare ports, never the machine's 5432 or
6379). Fans log in and browse; PostgreSQL is stopped (fast: connections cut, as in a
crash); each page is checked for what it does (docs/reliability.md, "PostgreSQL down", is
this test written out); PostgreSQL is started again on the same port and the portal
recovers with no restart. The sandbox API keeps its own database: only the portal's stops.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from loadtest.fans import Browser, outbox_reader
from loadtest.stack import Stack, start_stack
from tests.reliability.services import PostgresServer, RedisServer
from tests.reliability.test_redis_down import FAN_PAGES, _log_in, _send


@pytest.fixture
def portal_on_its_own_postgres(
    tmp_path: Path,
) -> Iterator[tuple[Stack, PostgresServer, RedisServer]]:
    # Not under tmp_path: pytest's directory is root's alone, and PostgreSQL runs as its user.
    pg_dir = Path(tempfile.mkdtemp(prefix="tbits-pg-"))
    postgres = PostgresServer(pg_dir)
    cache = RedisServer(tmp_path)
    stack = None
    try:
        postgres.start()
        cache.start()
        stack = start_stack(
            tmp_path / "stack", cache_url=cache.url, database_url=postgres.url, portal_workers=2
        )
        yield stack, postgres, cache
    finally:
        if stack is not None:
            stack.stop()
        cache.stop()
        postgres.stop()
        shutil.rmtree(pg_dir, ignore_errors=True)


def _probe(stack: Stack, path: str) -> tuple[int | str, str]:
    status, _, body = Browser(stack.portal.port, record=lambda s: None).request(path, "GET", path)
    return status, body


def test_postgres_down_fan_pages_served_logins_kept_in_the_cache_and_recovery(
    portal_on_its_own_postgres: tuple[Stack, PostgresServer, RedisServer],
) -> None:
    stack, postgres, cache = portal_on_its_own_postgres
    started = time.monotonic()
    read_code = outbox_reader(stack.sandbox.port)
    browsing = Browser(stack.portal.port, record=lambda sample: None)
    _log_in(browsing, read_code, "fan@example.com")
    for page in FAN_PAGES:
        assert _send(browsing, "GET", page)[0] == 200, page
    # A second fan, logged in but not yet on the dashboard: nothing of theirs is cached.
    cold = Browser(stack.portal.port, record=lambda sample: None)
    _log_in(cold, read_code, "demo-fan-1@example.com")
    leaving = Browser(stack.portal.port, record=lambda sample: None)
    _log_in(leaving, read_code, "demo-fan-2@example.com")
    assert _send(leaving, "GET", "/portal/")[0] == 200
    assert _probe(stack, "/readyz")[0] == 200

    postgres.stop()

    # Fan pages: the session read from the cache, the data from the API; no 500.
    for page in FAN_PAGES:
        status, _, body = _send(browsing, "GET", page)
        assert status == 200, (page, status, body[:300])
    # The dashboard of a fan whose reward deliveries (the database's) were never cached.
    status, _, body = _send(cold, "GET", "/portal/")
    assert status == 200, (status, body[:300])
    # Logging in works: the new session is kept in the cache alone.
    arriving = Browser(stack.portal.port, record=lambda sample: None)
    _log_in(arriving, read_code, "demo-fan-3@example.com")
    # Not the dashboard or the quest board yet: they save the session (the visit recorded).
    for page in FAN_PAGES[2:]:
        assert _send(arriving, "GET", page)[0] == 200, page
    # Logging out works, and the old cookie opens nothing (a tombstone in the cache hides
    # the database's row until it can be deleted).
    old_cookies = dict(leaving.cookies)
    _send(leaving, "GET", "/portal/")
    status, location, _ = _send(leaving, "POST", "/accounts/logout/")
    assert status == 302, status
    replay = Browser(stack.portal.port, record=lambda sample: None)
    replay.cookies = old_cookies
    status, location, _ = _send(replay, "GET", "/portal/")
    assert status == 302 and "/accounts/login/" in location, (status, location)
    # Readiness fails, naming the database; liveness stays up (no restart loop).
    status, body = _probe(stack, "/readyz")
    assert status == 503 and '"database": "error' in body, body
    assert _probe(stack, "/healthz")[0] == 200

    postgres.start()  # same port, same data: what a restarted server holds

    assert _probe(stack, "/readyz")[0] == 200
    for fan in (browsing, cold, arriving):
        for page in FAN_PAGES:
            status, location, _ = _send(fan, "GET", page)
            assert status == 200, (page, status, location)
    assert _send(replay, "GET", "/portal/")[0] == 302  # the tombstone still holds
    # The fan who logged in meanwhile: the session's first save since (the dashboard
    # records the visit) writes its row, so it outlives the cache: Redis emptied, the
    # fan is still logged in, read back from PostgreSQL.
    assert _send(arriving, "GET", "/portal/")[0] == 200
    redis.Redis.from_url(cache.url).flushdb()
    for page in FAN_PAGES:
        status, location, _ = _send(arriving, "GET", page)
        assert status == 200, (page, status, location)
    log = stack.portal.log()
    assert "Traceback" not in log and "Internal Server Error" not in log
    assert time.monotonic() - started < 30
