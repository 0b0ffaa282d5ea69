"""The process-wide API client: one per configuration, shared cooldowns and breaker."""

from __future__ import annotations

from typing import Any

import pytest
import responses

from accounts.api import business_id, get_client
from tbits_client import CircuitOpen, RateLimited, ServerError
from tests.accounts.conftest import API, FakeApi, cache_keys


def test_one_client_per_configuration(settings: Any) -> None:
    first = get_client()
    assert get_client() is first
    settings.TBITS = {**settings.TBITS, "API_KEY": "another-key"}
    second = get_client()
    assert second is not first
    assert second.api_key == "another-key"


def test_in_place_edits_are_noticed(settings: Any) -> None:
    first = get_client()
    settings.TBITS["API_BASE_URL"] = "https://other.tbits.test/"
    assert get_client() is not first
    assert get_client().base_url.startswith("https://other.tbits.test/")


def test_business_id(settings: Any) -> None:
    settings.TBITS = {**settings.TBITS, "BUSINESS_ID": 2002}
    assert business_id() == "2002"


def test_rate_limit_cooldown_lives_in_the_django_cache(api: FakeApi) -> None:
    api.mock.add(
        responses.POST, f"{API}api/v1/status", json={}, status=429, headers={"Retry-After": "30"}
    )
    with pytest.raises(RateLimited):
        get_client().status()
    assert any("cooldown" in key for key in cache_keys())
    with pytest.raises(RateLimited) as caught:
        get_client().status()
    assert caught.value.from_cooldown
    assert len(api.requests_to("api/v1/status")) == 1  # the second call never went out


def test_circuit_breaker_lives_in_the_django_cache(api: FakeApi, monkeypatch: Any) -> None:
    monkeypatch.setattr("accounts.api.CIRCUIT_BREAKER_THRESHOLD", 2)
    api.mock.add(responses.GET, f"{API}api/v1/idols", json={}, status=503)
    for _ in range(2):
        with pytest.raises(ServerError):
            get_client().idols()
    with pytest.raises(CircuitOpen):
        get_client().idols()
    assert len(api.requests_to("api/v1/idols")) == 2
    assert any("breaker" in key for key in cache_keys())
