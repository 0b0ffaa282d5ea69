"""Issue 17, "not tested so far": rate-limit window edges, idle and absolute session timeouts.

Time travels (``time.time`` is a clock the test moves); nothing sleeps. The portal's
timeouts and fixed windows are counted with ``time.time``; so is the local-memory cache's
expiry, which moves with it.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.contrib.messages import get_messages

from accounts import ratelimit
from accounts.app_settings import DEFAULT_RATE_LIMITS, DEFAULTS
from accounts.ratelimit import RateLimitExceeded, RateScope, consume
from tests.accounts.conftest import log_in

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.urls")]

IDLE = int(DEFAULTS["SESSION_IDLE_TIMEOUT"])
ABSOLUTE = int(DEFAULTS["SESSION_ABSOLUTE_TIMEOUT"])
START = 1_800_000_000.0  # a multiple of 60 and of 600: window edges fall on round numbers


class Clock:
    """``time.time`` for the whole process, moved by the test."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now

    def at(self, moment: float) -> None:
        self.now = moment


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    travelling = Clock()
    monkeypatch.setattr(time, "time", travelling)
    return travelling


def _who(client: Any) -> str:
    return client.get("/whoami/").content.decode()


# --- rate-limit windows -------------------------------------------------------------------


@pytest.fixture
def three_a_minute(settings: Any) -> None:
    settings.TBITS = {**settings.TBITS, "RATE_LIMITS": {"code_submit": "3/m/key"}}


def _allowed(count: int, *, key: str = "fan@example.com") -> int:
    passed = 0
    for _ in range(count):
        try:
            consume(action="code_submit", ip=None, key=key)
        except RateLimitExceeded:
            continue
        passed += 1
    return passed


def test_a_burst_across_a_window_edge_gets_at_most_twice_the_limit(
    clock: Clock, three_a_minute: None
) -> None:
    """Fixed windows: the limit of the ending window, then the new window's, a second apart;
    never more (docs/reliability.md, "Rate-limit windows")."""
    clock.at(START + 59.5)
    assert _allowed(10) == 3
    clock.at(START + 60.0)  # the edge itself belongs to the new window
    assert _allowed(10) == 3
    clock.at(START + 119.999)
    assert _allowed(10) == 0


def test_retry_after_points_at_the_window_edge_and_is_honest_there(
    clock: Clock, three_a_minute: None
) -> None:
    clock.at(START + 10)
    _allowed(3)
    with pytest.raises(RateLimitExceeded) as caught:
        consume(action="code_submit", ip=None, key="fan@example.com")
    assert caught.value.retry_after == 50
    clock.at(START + 59.999)  # a thousandth of a second before the edge: wait 1 s, not 0
    with pytest.raises(RateLimitExceeded) as caught:
        consume(action="code_submit", ip=None, key="fan@example.com")
    assert caught.value.retry_after == 1
    clock.at(START + 60 + caught.value.retry_after - 1)  # told to wait 1 s: it is enough
    assert _allowed(1) == 1


def test_a_counter_outlives_its_window_in_the_cache_but_never_counts_in_the_next(
    clock: Clock, three_a_minute: None
) -> None:
    """Each window has its own key (kept ``period + 1`` s): the last second of a window
    and the first of the next never add up, and a full window ago is forgotten."""
    clock.at(START + 59.9)
    _allowed(3)
    clock.at(START + 60.1)
    assert _allowed(3) == 3
    clock.at(START + 180)
    assert _allowed(4) == 3


def test_the_default_daily_code_limit_over_a_day_straddling_the_edge_allows_twice(
    clock: Clock, settings: Any
) -> None:
    """The defaults' bound (accounts.ratelimit's docstring: codes per address per day) is
    per calendar window; a day straddling the edge gets at most twice as many, never more.
    (The default's 10-minute limit alone here: it would hide the daily one.)"""
    (per_day,) = [
        rate
        for rate in ratelimit.parse_rates(DEFAULT_RATE_LIMITS["code_request"])
        if rate.scope is RateScope.KEY and rate.period == 86_400
    ]
    spec = f"{per_day.amount}/d/key"
    settings.TBITS = {**settings.TBITS, "RATE_LIMITS": {"code_request": spec}}
    midnight = (START // per_day.period + 1) * per_day.period
    sent = 0
    for moment in (midnight - 1, midnight, midnight + per_day.period - 1):
        clock.at(moment)
        for _ in range(3 * per_day.amount):
            try:
                consume(action="code_request", ip=None, key="victim@example.com")
            except RateLimitExceeded:
                continue
            sent += 1
        if moment == midnight:
            assert sent == 2 * per_day.amount  # two seconds, two windows
    assert sent == 2 * per_day.amount  # and nothing more until the next edge


# --- session timeouts ----------------------------------------------------------------------


def test_idle_timeout_ends_the_session_one_second_after_the_limit_not_before(
    client: Any, clock: Clock
) -> None:
    log_in(client)
    clock.at(START + IDLE)  # exactly the limit: still in
    assert _who(client) == "fan 501"
    clock.at(clock.now + IDLE + 1)
    response = client.get("/whoami/")
    assert response.content == b"anonymous"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "You were logged out to keep your account safe. Please log in again."
    ]


def test_a_fan_who_keeps_clicking_is_never_idle_however_short_the_timeout(
    client: Any, clock: Clock, settings: Any
) -> None:
    """The idle clock is written at most every so often (not on every page); with a short
    timeout that lag logged an active fan out: a click every 50 s, timeout 60 s."""
    settings.TBITS = {**settings.TBITS, "SESSION_IDLE_TIMEOUT": 60}
    log_in(client)
    for step in range(1, 13):
        clock.at(START + 50 * step)
        assert _who(client) == "fan 501", f"logged out after {50 * step} s of activity"


def test_the_default_idle_clock_is_early_by_under_a_minute_at_most(
    client: Any, clock: Clock
) -> None:
    """With the defaults, a fan who clicked ``IDLE - 60`` seconds ago is still logged in,
    whatever the clicks before."""
    log_in(client)
    for step in range(1, 60):
        clock.at(START + 59 * step)  # just under a minute apart: most clicks write nothing
        assert _who(client) == "fan 501"
    last_click = clock.now
    clock.at(last_click + IDLE - 60)
    assert _who(client) == "fan 501"


def test_absolute_timeout_ends_an_active_session_at_the_limit(client: Any, clock: Clock) -> None:
    log_in(client)
    half_hour = 30 * 60
    steps = ABSOLUTE // half_hour
    for step in range(1, steps + 1):  # active every half hour, up to the limit itself
        clock.at(START + half_hour * step)
        assert _who(client) == "fan 501", step
    clock.at(START + ABSOLUTE + 1)
    assert _who(client) == "anonymous"
