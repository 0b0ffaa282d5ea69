"""Enumeration throttling of the look-up and the code requests: per fan IP and per address."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from tbits_sandbox.models import ThrottleHit


def lookup(api: Any, email: str, **extra: Any) -> Any:
    return api.connect("email", email=email, **extra)


def test_more_than_thirty_a_minute_from_one_ip_is_429_with_retry_after(api: Any) -> None:
    for index in range(30):
        assert lookup(api, f"probe{index}@example.com").status_code == 200
    refused = lookup(api, "probe-last@example.com")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "error" in refused.json()


def test_more_than_ten_a_minute_for_one_email_is_429_whatever_the_ip(api: Any) -> None:
    for index in range(10):
        assert lookup(api, "target@example.com", ip_address=f"10.0.0.{index}").status_code == 200
    assert lookup(api, "target@example.com", ip_address="10.0.1.1").status_code == 429
    # Another address is not affected.
    assert lookup(api, "other@example.com", ip_address="10.0.1.1").status_code == 200


def test_code_requests_count_too(api: Any) -> None:
    for _ in range(5):
        assert api.connect("verify_email", email="codes@example.com").status_code == 200
        assert lookup(api, "codes@example.com").status_code == 200
    assert api.connect("verify_email", email="codes@example.com").status_code == 429


def test_forwarded_fan_ips_are_counted_apart(api: Any) -> None:
    # A portal forwarding each fan's IP is not throttled as one client.
    for fan in range(40):
        answer = lookup(api, f"fan{fan}@example.com", ip_address=f"192.0.2.{fan}")
        assert answer.status_code == 200


def test_window_slides_after_a_minute(api: Any) -> None:
    for index in range(30):
        lookup(api, f"probe{index}@example.com")
    assert lookup(api, "late@example.com").status_code == 429
    ThrottleHit.objects.update(created=timezone.now() - timedelta(seconds=61))
    assert lookup(api, "late@example.com").status_code == 200


def test_limits_are_configurable_and_can_be_turned_off(api: Any, settings: Any) -> None:
    settings.TBITS_SANDBOX_THROTTLE_PER_IP = 2
    settings.TBITS_SANDBOX_THROTTLE_PER_KEY = 0
    assert lookup(api, "a@example.com").status_code == 200
    assert lookup(api, "a@example.com").status_code == 200
    assert lookup(api, "a@example.com").status_code == 429
    settings.TBITS_SANDBOX_THROTTLE_PER_IP = 0
    assert all(lookup(api, "a@example.com").status_code == 200 for _ in range(15))


def test_guest_sessions_are_not_counted_as_lookups(api: Any) -> None:
    for _ in range(35):
        assert api.connect("").status_code == 200
    assert lookup(api, "after-guests@example.com").status_code == 200
