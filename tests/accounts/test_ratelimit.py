"""Abuse limits: parsing the allauth-style strings and counting in the cache."""

from __future__ import annotations

from typing import Any

import pytest

from accounts import ratelimit
from accounts.ratelimit import Rate, RateLimitExceeded, RateScope, consume, parse_rates
from tests.accounts.conftest import cache_keys


def test_parse_rates() -> None:
    assert parse_rates("20/m/ip, 3/5m/key,1/d/key") == [
        Rate(amount=20, period=60, scope=RateScope.IP),
        Rate(amount=3, period=300, scope=RateScope.KEY),
        Rate(amount=1, period=86400, scope=RateScope.KEY),
    ]
    assert parse_rates("") == []


@pytest.mark.parametrize("spec", ["20/m", "x/m/ip", "0/m/ip", "5/w/ip", "5/m/user", "5/am/ip"])
def test_parse_rates_rejects_garbage(spec: str) -> None:
    with pytest.raises(ValueError):
        parse_rates(spec)


@pytest.fixture
def limits(settings: Any) -> None:
    settings.TBITS = {**settings.TBITS, "RATE_LIMITS": {"code_submit": "5/m/ip,2/m/key"}}


def test_counts_per_key(limits: None) -> None:
    consume(action="code_submit", ip="10.0.0.1", key="fan@example.com")
    consume(action="code_submit", ip="10.0.0.2", key="fan@example.com")
    with pytest.raises(RateLimitExceeded) as caught:
        consume(action="code_submit", ip="10.0.0.3", key="FAN@example.com ")
    assert 1 <= caught.value.retry_after <= 60
    # Another address is unaffected.
    consume(action="code_submit", ip="10.0.0.3", key="other@example.com")


def test_counts_per_ip(limits: None) -> None:
    for n in range(5):
        consume(action="code_submit", ip="10.0.0.1", key=f"fan{n}@example.com")
    with pytest.raises(RateLimitExceeded):
        consume(action="code_submit", ip="10.0.0.1", key="fresh@example.com")
    consume(action="code_submit", ip="10.0.0.9", key="fresh@example.com")


def test_window_passes(limits: None, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [1_000_000.0]
    monkeypatch.setattr(ratelimit.time, "time", lambda: clock[0])
    consume(action="code_submit", ip="10.0.0.1", key="k")
    consume(action="code_submit", ip="10.0.0.1", key="k")
    with pytest.raises(RateLimitExceeded) as caught:
        consume(action="code_submit", ip="10.0.0.1", key="k")
    assert caught.value.retry_after == 20  # the minute window ends at 1_000_020
    clock[0] += 21
    consume(action="code_submit", ip="10.0.0.1", key="k")


def test_other_actions_keep_defaults(limits: None) -> None:
    from accounts.app_settings import DEFAULT_RATE_LIMITS, app_settings

    assert app_settings.RATE_LIMITS["password_login"] == DEFAULT_RATE_LIMITS["password_login"]


def test_empty_spec_disables(settings: Any) -> None:
    settings.TBITS = {**settings.TBITS, "RATE_LIMITS": {"password_login": ""}}
    for _ in range(100):
        consume(action="password_login", ip="10.0.0.1", key="k")


def test_cache_keys_do_not_hold_the_address(limits: None) -> None:

    consume(action="code_submit", ip="10.0.0.1", key="secret.fan@example.com")
    keys = cache_keys()
    assert keys
    assert not any("secret.fan" in key or "10.0.0.1" in key for key in keys)


def test_defaults_bound_guesses_per_account() -> None:
    # The documented reasoning: codes per day per address x tries per code.
    from accounts.app_settings import DEFAULT_RATE_LIMITS, DEFAULTS

    per_day = [
        r.amount
        for r in parse_rates(DEFAULT_RATE_LIMITS["code_request"])
        if r.scope is RateScope.KEY and r.period == 86400
    ]
    assert per_day and per_day[0] * DEFAULTS["CODE_MAX_ATTEMPTS"] <= 60
