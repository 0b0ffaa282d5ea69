"""Issue 17, finding 1: parallel guesses at one code, through two processes sharing Redis.

The attack: one browser session (one cookie, one CSRF token) sends twelve wrong codes at
once. Gunicorn with two workers of four threads answers them side by side, so a count kept
in the session (read, add one, save) is read by every request before any saves it. The
count must be one the shared cache keeps atomically: at most three reach the API.

The API is reached through :class:`loadtest.fault_proxy.FaultProxy`, which counts every
call it forwards, so what reached the API is counted where it arrives, not guessed from
the pages.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from loadtest.fans import Browser, outbox_reader
from loadtest.fault_proxy import FaultProxy
from loadtest.stack import Credentials, manage, portal_env, sandbox_env, start_gunicorn

#: A database of the machine's Redis of this test's own, flushed before and after.
REDIS_URL = "redis://127.0.0.1:6379/13"
PARALLEL_GUESSES = 12


def _redis() -> Any:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_timeout=2)
    client.ping()  # Redis runs on 127.0.0.1:6379 on dev and CI machines
    return client


@pytest.fixture
def portal_behind_a_counting_proxy(tmp_path: Path) -> Iterator[tuple[Any, FaultProxy, Any]]:
    """The sandbox, a proxy counting calls to it, and a portal of two workers on Redis."""
    redis = _redis()
    redis.flushdb()
    credentials = Credentials()
    api_env = sandbox_env(tmp_path, credentials)
    manage(api_env, "migrate", "--noinput", "-v0")
    manage(api_env, "sandbox_seed")
    sandbox = start_gunicorn("sandbox", api_env, workdir=tmp_path, workers=1, threads=8)
    proxy = FaultProxy(sandbox.url).start()
    portal = None
    try:
        env = portal_env(
            tmp_path, credentials, api_url=f"{proxy.url}/sandbox/", cache_url=REDIS_URL
        )
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "collectstatic", "--noinput", "-v0")
        portal = start_gunicorn("portal", env, workdir=tmp_path, workers=2, threads=4)
        yield portal, proxy, sandbox
    finally:
        if portal is not None:
            portal.stop()
        proxy.stop()
        sandbox.stop()
        redis.flushdb()


def test_finding_1_parallel_code_guesses_reach_the_api_three_times(
    portal_behind_a_counting_proxy: tuple[Any, FaultProxy, Any],
) -> None:
    portal, proxy, sandbox = portal_behind_a_counting_proxy
    email = "racer@example.com"
    first = Browser(portal.port, record=lambda sample: None)
    first.request("login form", "GET", "/accounts/login/")
    status, location, _ = first.request("send", "POST", "/accounts/login/", {"contact": email})
    assert status == 302 and location.endswith("/accounts/login/code/"), (status, location)
    code = outbox_reader(sandbox.port)(email)
    assert code, "the sandbox sent no code"
    first.request("code form", "GET", "/accounts/login/code/")
    wrong = f"{(int(code) + 1) % 100000:05d}"

    # Twelve browsers' worth of connections, one cookie jar and one token: one attacker.
    browsers = []
    for _ in range(PARALLEL_GUESSES):
        browser = Browser(portal.port, record=lambda sample: None)
        browser.cookies = dict(first.cookies)
        browser.token = first.token
        browsers.append(browser)
    proxy.forget_calls()
    start = threading.Barrier(PARALLEL_GUESSES)
    statuses: list[int | str] = []

    def guess(browser: Browser) -> None:
        start.wait()
        status, _, _ = browser.request("guess", "POST", "/accounts/login/code/", {"code": wrong})
        statuses.append(status)

    threads = [threading.Thread(target=guess, args=(browser,)) for browser in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    reached = [call for call in proxy.calls() if "sessions/connect" in call.path]
    assert len(statuses) == PARALLEL_GUESSES and 500 not in statuses, statuses
    assert 1 <= len(reached) <= 3, f"{len(reached)} of {PARALLEL_GUESSES} guesses reached the API"
    # And the code is dead for this browser session now, the right code included.
    first.request("code form", "GET", "/accounts/login/code/")
    status, _, body = first.request("right code", "POST", "/accounts/login/code/", {"code": code})
    assert status == 200 and "entered wrongly too many times" in body
    assert len([c for c in proxy.calls() if "sessions/connect" in c.path]) == len(reached)
