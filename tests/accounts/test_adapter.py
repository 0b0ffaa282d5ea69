"""The adapter's hooks: the client IP behind proxies, and which ``next`` values are safe."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory

from accounts.adapter import DefaultFanAdapter, get_adapter


def request_with(remote: str = "203.0.113.9", forwarded: str | None = None, secure: bool = False):
    meta: dict[str, Any] = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", secure=secure, **meta)


@pytest.mark.parametrize(
    ("count", "remote", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "198.51.100.1", "203.0.113.9"),  # no proxy: header is ignored
        (1, "10.0.0.2", "198.51.100.1", "198.51.100.1"),
        (1, "10.0.0.2", "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # forged left part ignored
        (2, "10.0.0.3", "6.6.6.6, 198.51.100.1, 10.0.0.2", "198.51.100.1"),
        (2, "10.0.0.3", "198.51.100.1", "10.0.0.3"),  # too few entries: nearest hop
        (1, "10.0.0.2", "not-an-ip", "10.0.0.2"),
        (1, "10.0.0.2", "2001:db8::1", "2001:db8::1"),
        (0, "", None, None),
    ],
)
def test_client_ip(
    settings: Any, count: int, remote: str, forwarded: str | None, expected: str | None
) -> None:
    settings.TBITS = {**settings.TBITS, "TRUSTED_PROXY_COUNT": count}
    assert get_adapter().get_client_ip(request_with(remote, forwarded)) == expected


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("/portal/rewards/", True),
        ("/portal/?tab=quests#top", True),
        ("http://testserver/portal/", True),
        ("https://evil.example/", False),
        ("//evil.example/", False),
        ("///evil.example/", False),
        ("/\\evil.example/", False),
        ("\\\\evil.example", False),
        ("javascript:alert(1)", False),
        ("http:evil.example", False),
        ("", False),
        (None, False),
    ],
)
def test_safe_next(url: str | None, safe: bool) -> None:
    adapter = DefaultFanAdapter()
    request = request_with()
    assert adapter.is_safe_url(request, url) is safe
    expected = url if safe else "/"
    assert adapter.get_login_redirect_url(request, url) == expected


def test_https_site_refuses_http_next() -> None:
    request = request_with(secure=True)
    assert not DefaultFanAdapter().is_safe_url(request, "http://testserver/portal/")


def test_site_adapter_is_loaded_from_settings(settings: Any) -> None:
    settings.TBITS = {**settings.TBITS, "ADAPTER": "tests.accounts.test_adapter.LoudAdapter"}
    assert get_adapter().error_message("login_failed") == "NOPE"


class LoudAdapter(DefaultFanAdapter):
    error_messages = {**DefaultFanAdapter.error_messages, "login_failed": "NOPE"}
