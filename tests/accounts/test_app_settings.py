"""The TBITS settings object, its defaults and the unknown-key registry."""

from __future__ import annotations

from typing import Any

import pytest

from accounts import app_settings as module
from accounts.app_settings import DEFAULTS, app_settings, register_known_keys
from accounts.checks import check_settings


def test_reads_tbits_lazily(settings: Any) -> None:
    settings.TBITS = {**settings.TBITS, "CODE_TTL": 42}
    assert app_settings.CODE_TTL == 42
    settings.TBITS = {**settings.TBITS, "CODE_TTL": 43}
    assert app_settings.CODE_TTL == 43


def test_defaults_apply(settings: Any) -> None:
    settings.TBITS = {"API_KEY": "k"}
    assert DEFAULTS["SESSION_IDLE_TIMEOUT"] == app_settings.SESSION_IDLE_TIMEOUT
    assert app_settings.CACHE_ALIAS == "default"
    assert app_settings.TRUSTED_PROXY_COUNT == 0


@pytest.mark.parametrize(
    "key",
    [
        "LOGIN_TYPE",
        "OAUTH_TRANSACTION_TTL",
        "CIRCUIT_BREAKER_THRESHOLD",
        "CIRCUIT_BREAKER_RESET",
        "BRANDING_CACHE_TIMEOUT",
    ],
)
def test_a_key_that_is_no_longer_a_setting_is_reported(settings: Any, key: str) -> None:
    # Fixed values now (docs/settings.md): a site that still sets one is told, not ignored.
    settings.TBITS = {**settings.TBITS, key: 1}
    assert "tbits_accounts.E003" in {message.id for message in check_settings()}


def test_unknown_attribute_is_an_error() -> None:
    with pytest.raises(AttributeError):
        app_settings.NOT_A_SETTING  # noqa: B018


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"ACCOUNT_ID": "1", "API_SECRET": "s"}, True),
        ({"ACCOUNT_ID": "", "API_SECRET": "s"}, False),
        ({"ACCOUNT_ID": "1", "API_SECRET": ""}, False),
        ({"ACCOUNT_ID": "1", "API_SECRET": "s", "OAUTH_ENABLED": False}, False),
        ({"OAUTH_ENABLED": True}, True),
    ],
)
def test_oauth_enabled(settings: Any, values: dict[str, Any], expected: bool) -> None:
    settings.TBITS = values
    assert app_settings.oauth_enabled is expected


def test_register_known_keys() -> None:
    before = set(module.KNOWN_KEYS)
    try:
        register_known_keys("LOYALTY_SOMETHING")
        assert "LOYALTY_SOMETHING" in module.KNOWN_KEYS
    finally:
        module.KNOWN_KEYS.clear()
        module.KNOWN_KEYS.update(before)
