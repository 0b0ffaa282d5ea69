"""The loyalty keys of TBITS: defaults, overrides, and known to the unknown-key check."""

from __future__ import annotations

import pytest
from django.core import checks

from loyalty.app_settings import DEFAULTS, loyalty_settings


def test_defaults_and_overrides(settings):
    assert loyalty_settings.CACHE_TTL == DEFAULTS["CACHE_TTL"] == 300
    settings.TBITS = {**settings.TBITS, "CACHE_TTL": 5}
    assert loyalty_settings.CACHE_TTL == 5
    with pytest.raises(AttributeError):
        _ = loyalty_settings.NOT_A_SETTING


def test_loyalty_keys_pass_the_unknown_key_check_and_typos_do_not(settings, db):
    # ``db``: all checks run, and on Django 6 a model's JSONField check asks SQLite whether
    # it supports JSON the first time; run alone, nothing else has opened a connection.
    settings.TBITS = {**settings.TBITS, **{key: value for key, value in DEFAULTS.items()}}
    ids = {message.id for message in checks.run_checks()}
    assert "tbits_accounts.E003" not in ids
    settings.TBITS = {**settings.TBITS, "CACHE_TLL": 5}
    assert "tbits_accounts.E003" in {message.id for message in checks.run_checks()}


@pytest.mark.parametrize(
    "key",
    [
        "REFRESH_IN_BACKGROUND",
        "CACHE_LOCK_TIMEOUT",
        "LEADERBOARD_SCAN",
        "HISTORY_DAYS",
        "HISTORY_SIZE",
        "DASHBOARD_QUESTS",
    ],
)
def test_a_key_that_is_no_longer_a_setting_is_reported(settings, db, key):
    # Fixed values now (docs/settings.md): a site that still sets one is told, not ignored.
    settings.TBITS = {**settings.TBITS, key: 1}
    assert "tbits_accounts.E003" in {message.id for message in checks.run_checks()}
