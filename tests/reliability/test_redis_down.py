"""Issue 17, "Redis down": the portal's shared cache stops under logged-in fans, then returns.

The portal runs as production does (gunicorn, two workers, DEBUG off) on a Redis server of
the test's own (never the machine's 6379). A fan logs in and browses; Redis is stopped;
each page is checked for what it does (docs/reliability.md, "Redis down", is this test
written out); Redis is started again on the same port, empty, and the portal recovers with
no restart.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from loadtest.fans import Browser, outbox_reader
from loadtest.stack import Stack, start_stack
from tests.reliability.services import RedisServer

FAN_PAGES = ("/portal/", "/portal/quests/", "/portal/rewards/", "/accounts/profile/")


@pytest.fixture
def portal_on_its_own_redis(tmp_path: Path) -> Iterator[tuple[Stack, RedisServer]]:
    redis = RedisServer(tmp_path).start()
    stack = None
    try:
        stack = start_stack(tmp_path / "stack", cache_url=redis.url, portal_workers=2)
        yield stack, redis
    finally:
        if stack is not None:
            stack.stop()
        redis.stop()


def _send(browser: Browser, method: str, path: str, form: dict[str, str] | None = None) -> tuple:
    """One request on a new connection: gunicorn closes idle keep-alive ones after 2 s, and
    a browser would simply reconnect."""
    browser.close()
    return browser.request(path, method, path, form)


def _log_in(browser: Browser, read_code: object, email: str) -> None:
    browser.request("login", "GET", "/accounts/login/")
    status, location, _ = browser.request("send", "POST", "/accounts/login/", {"contact": email})
    assert status == 302 and location.endswith("/accounts/login/code/"), (status, location)
    code = read_code(email)  # type: ignore[operator]
    browser.request("code form", "GET", "/accounts/login/code/")
    status, location, _ = browser.request("code", "POST", "/accounts/login/code/", {"code": code})
    assert status == 302 and "/accounts/" not in location, (status, location)


def test_redis_down_fan_pages_served_rate_limited_actions_refused_and_recovery(
    portal_on_its_own_redis: tuple[Stack, RedisServer],
) -> None:
    stack, redis = portal_on_its_own_redis
    started = time.monotonic()
    read_code = outbox_reader(stack.sandbox.port)
    fan = Browser(stack.portal.port, record=lambda sample: None)
    _log_in(fan, read_code, "fan@example.com")
    for page in FAN_PAGES:
        assert _send(fan, "GET", page)[0] == 200, page
    assert (
        Browser(stack.portal.port, record=lambda s: None).request("ready", "GET", "/readyz")[0]
        == 200
    )

    redis.stop()

    # Fan pages: served from the API and the session's database copy, no 500.
    for page in FAN_PAGES:
        status, _, body = _send(fan, "GET", page)
        assert status == 200, (page, status, body[:300])
    # Rate-limited actions: refused with the form's "not available" message (503), the
    # address typed still in the form, and no code sent.
    visitor = Browser(stack.portal.port, record=lambda s: None)
    _send(visitor, "GET", "/accounts/login/")
    email = "while-redis-is-down@example.com"
    status, _, body = _send(visitor, "POST", "/accounts/login/", {"contact": email})
    assert status == 503, (status, body[:300])
    assert "No code was sent" in body and f'value="{email}"' in body
    assert read_code(email) is None
    # Readiness fails, naming the cache; liveness stays up (no restart loop).
    probe = Browser(stack.portal.port, record=lambda s: None)
    status, _, body = probe.request("ready", "GET", "/readyz")
    assert status == 503 and '"cache": "error' in body, body
    assert (
        Browser(stack.portal.port, record=lambda s: None).request("alive", "GET", "/healthz")[0]
        == 200
    )

    redis.start()  # same port, empty: what a restarted Redis without persistence holds

    assert (
        Browser(stack.portal.port, record=lambda s: None).request("ready", "GET", "/readyz")[0]
        == 200
    )
    for page in FAN_PAGES:
        assert _send(fan, "GET", page)[0] == 200, page
    _send(visitor, "GET", "/accounts/login/")
    status, location, _ = _send(visitor, "POST", "/accounts/login/", {"contact": email})
    assert status == 302 and location.endswith("/accounts/login/code/"), status
    assert read_code(email)
    assert "Traceback" not in stack.portal.log()
    assert time.monotonic() - started < 30
