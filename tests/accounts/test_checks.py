"""System checks report misconfiguration with stable ids."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.checks import check_environment, check_settings


def ids(messages: list[Any]) -> set[str]:
    return {m.id for m in messages}


def test_test_settings_are_clean() -> None:
    assert check_settings() == []
    assert check_environment() == []


def test_tbits_must_be_a_dict(settings: Any) -> None:
    settings.TBITS = "nope"
    assert ids(check_settings()) == {"tbits_accounts.E001"}


@pytest.mark.parametrize("key", ["API_KEY", "BUSINESS_ID", "API_BASE_URL"])
def test_required_values(settings: Any, key: str) -> None:
    settings.TBITS = {**settings.TBITS, key: ""}
    assert "tbits_accounts.E002" in ids(check_settings())


def test_oauth_needs_account_and_secret(settings: Any) -> None:
    settings.TBITS = {**settings.TBITS, "OAUTH_ENABLED": True, "API_SECRET": ""}
    assert "tbits_accounts.E002" in ids(check_settings())


def test_unknown_key_is_a_typo(settings: Any) -> None:
    settings.TBITS = {**settings.TBITS, "API_SECERT": "x"}
    messages = check_settings()
    assert "tbits_accounts.E003" in ids(messages)
    assert "API_SECERT" in next(m.msg for m in messages if m.id == "tbits_accounts.E003")


def test_bad_rate_limit(settings: Any) -> None:
    settings.TBITS = {**settings.TBITS, "RATE_LIMITS": {"code_submit": "lots"}}
    assert "tbits_accounts.E004" in ids(check_settings())


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://nest.tradablebits.com/", True),
        ("http://127.0.0.1:8000/sandbox/", True),
        ("http://localhost:8000/sandbox/", True),
        ("http://nest.tradablebits.com/", False),
        ("ftp://x/", False),
    ],
)
def test_base_url_scheme(settings: Any, url: str, ok: bool) -> None:
    settings.TBITS = {**settings.TBITS, "API_BASE_URL": url}
    assert ("tbits_accounts.E005" not in ids(check_settings())) is ok


def test_adapter_must_import(settings: Any) -> None:
    settings.TBITS = {**settings.TBITS, "ADAPTER": "nowhere.Adapter"}
    assert "tbits_accounts.E006" in ids(check_settings())


def test_proxy_count(settings: Any) -> None:
    settings.TBITS = {**settings.TBITS, "TRUSTED_PROXY_COUNT": -1}
    assert "tbits_accounts.E007" in ids(check_settings())


def test_signed_cookie_sessions_refused(settings: Any) -> None:
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    assert "tbits_accounts.E008" in ids(check_environment())


def test_middleware_required(settings: Any) -> None:
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.startswith("accounts.")]
    assert {"tbits_accounts.E009", "tbits_accounts.W003"} <= ids(check_environment())


def test_dummy_cache_warns(settings: Any) -> None:
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert "tbits_accounts.W001" in ids(check_environment())


def test_strict_samesite_warns(settings: Any) -> None:
    settings.SESSION_COOKIE_SAMESITE = "Strict"
    assert "tbits_accounts.W002" in ids(check_environment())
