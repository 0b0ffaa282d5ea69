"""The loyalty keys' system checks: each fails on a value that cannot work, silent on good."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import checks

from loyalty.app_settings import DEFAULTS
from loyalty.checks import check_settings

BAD: list[tuple[str, Any, str]] = [
    ("CACHE_TTL", -1, "tbits_loyalty.E001"),
    ("CACHE_TTL", "300", "tbits_loyalty.E001"),
    ("CACHE_TTL", 1.5, "tbits_loyalty.E001"),
    ("CACHE_STALE_TTL", -60, "tbits_loyalty.E001"),
    ("CACHE_STALE_TTL", None, "tbits_loyalty.E001"),
    ("FAN_CACHE_TTL", True, "tbits_loyalty.E001"),
    ("FAN_TAGS_CACHE_TTL", -5, "tbits_loyalty.E001"),
    ("LEADERBOARD_SIZE", 0, "tbits_loyalty.E001"),
    ("LEADERBOARD_DAYS", 0, "tbits_loyalty.E001"),
    ("LEADERBOARD_DAYS", "365", "tbits_loyalty.E001"),
    ("SCAN_MAX_AGE", 0, "tbits_loyalty.E002"),
    ("PUBLIC_BOARD", "false", "tbits_loyalty.E010"),
    ("PUBLIC_BOARD", 0, "tbits_loyalty.E010"),
    ("PUBLIC_BOARD", None, "tbits_loyalty.E010"),
    ("SCAN_MAX_AGE", -3600, "tbits_loyalty.E002"),
    ("SCAN_MAX_AGE", "3600", "tbits_loyalty.E002"),
    ("EVENT_TIMEZONE", "Mars/Olympus_Mons", "tbits_loyalty.E003"),
    ("EVENT_TIMEZONE", "America", "tbits_loyalty.E003"),
    ("EVENT_TIMEZONE", "../etc/passwd", "tbits_loyalty.E003"),
    ("EVENT_TIMEZONE", -5, "tbits_loyalty.E003"),
    ("BUSINESS_IDS", "2002", "tbits_loyalty.E004"),
    ("BUSINESS_IDS", "2002,2003", "tbits_loyalty.E004"),
    ("BUSINESS_IDS", 2002, "tbits_loyalty.E004"),
    ("BUSINESS_IDS", [2002, "harbour"], "tbits_loyalty.E004"),
    ("BUSINESS_IDS", [2002, None], "tbits_loyalty.E004"),
    ("BUSINESS_IDS", [0], "tbits_loyalty.E004"),
    ("CAMPAIGN_URL", "https://play.example/c/", "tbits_loyalty.E005"),
    ("CAMPAIGN_URL", "https://play.example/c/{target_page_tab}", "tbits_loyalty.E005"),
    ("CAMPAIGN_URL", "https://play.example/c/{}", "tbits_loyalty.E005"),
    ("CAMPAIGN_URL", "https://play.example/c/{page_tab_id.real}", "tbits_loyalty.E005"),
    ("CAMPAIGN_URL", "https://play.example/c/{target_page_tab_id", "tbits_loyalty.E005"),
    ("CAMPAIGN_URL", "https://play.example/c/{page_tab_id:%Y}", "tbits_loyalty.E005"),
    ("CAMPAIGN_URL", "javascript:alert({page_tab_id})", "tbits_loyalty.E005"),
    ("CAMPAIGN_URL", "/c/{target_page_tab_id}", "tbits_loyalty.E005"),
    ("CAMPAIGN_URL", "ftp://play.example/{target_page_tab_id}", "tbits_loyalty.E005"),
    ("CAMPAIGN_URL", ["https://play.example/{target_page_tab_id}"], "tbits_loyalty.E005"),
    ("PROFILE_QUESTS", "Complete your profile", "tbits_loyalty.E008"),
    ("PROFILE_QUESTS", [""], "tbits_loyalty.E008"),
    ("PROFILE_QUESTS", [True], "tbits_loyalty.E008"),
    ("PROFILE_QUESTS", None, "tbits_loyalty.E008"),
    ("POINT_TYPE", 42, "tbits_loyalty.E007"),
    ("POINT_TYPE", "   ", "tbits_loyalty.E007"),
    ("POINT_TYPE", ["Fan Points"], "tbits_loyalty.E007"),
    ("POINT_TYPE", {"harbour": "Fan Points"}, "tbits_loyalty.E007"),
    ("POINT_TYPE", {2002: ""}, "tbits_loyalty.E007"),
    ("POINT_TYPE", {}, "tbits_loyalty.E007"),
    ("LOYALTY_ADAPTER", "myclub.loyalty.Missing", "tbits_loyalty.E006"),
    ("LOYALTY_ADAPTER", "loyalty.adapter.NoSuchAdapter", "tbits_loyalty.E006"),
    # The poll reads a day back: a day's rows must stay for it to recognise them.
    ("DELIVERY_RETENTION_DAYS", 1, "tbits_loyalty.E009"),
    ("DELIVERY_RETENTION_DAYS", 0, "tbits_loyalty.E009"),
    ("DELIVERY_RETENTION_DAYS", "180", "tbits_loyalty.E009"),
    ("DELIVERY_RETENTION_DAYS", True, "tbits_loyalty.E009"),
    ("DELIVERY_RETENTION_DAYS", 30.5, "tbits_loyalty.E009"),
    ("SEASON_START", "2999-08-01", "tbits_loyalty.E013"),
    ("SEASON_START", "August", "tbits_loyalty.E013"),
    ("SEASON_START", 20260801, "tbits_loyalty.E013"),
    ("APPLE_WALLET", "/etc/tbits/pass.pem", "tbits_loyalty.E011"),
    ("APPLE_WALLET", {"PASS_TYPE_ID": "pass.example"}, "tbits_loyalty.E011"),
    ("GOOGLE_WALLET", {"ISSUER_ID": "3388000000012345678"}, "tbits_loyalty.E012"),
    ("GOOGLE_WALLET", ["3388000000012345678"], "tbits_loyalty.E012"),
]

GOOD: list[tuple[str, Any]] = [
    ("CACHE_TTL", 0),
    ("CACHE_STALE_TTL", 3600),
    ("FAN_CACHE_TTL", 0),
    ("FAN_TAGS_CACHE_TTL", 60),
    ("LEADERBOARD_SIZE", 25),
    ("LEADERBOARD_DAYS", 120),
    ("SCAN_MAX_AGE", None),
    ("SCAN_MAX_AGE", 6 * 60 * 60),
    ("EVENT_TIMEZONE", None),
    ("EVENT_TIMEZONE", "America/Toronto"),
    ("EVENT_TIMEZONE", ""),
    ("BUSINESS_IDS", None),
    ("BUSINESS_IDS", []),
    ("CAMPAIGN_URL", None),
    ("CAMPAIGN_URL", ""),
    ("CAMPAIGN_URL", "https://example.tbits.me/{target_page_tab_id}"),
    ("CAMPAIGN_URL", "http://play.example/c/{page_tab_id:06d}?from={target_page_tab_id}"),
    ("LOYALTY_ADAPTER", "loyalty.adapter.DefaultLoyaltyAdapter"),
    ("PROFILE_QUESTS", []),
    ("PROFILE_QUESTS", ["Complete your profile", 12345]),
    ("POINT_TYPE", None),
    ("POINT_TYPE", "Fan Points"),
    ("POINT_TYPE", "9a1e0000-0000-4000-8000-0000000000f9"),
    ("POINT_TYPE", {2002: "Fan Points", "2003": "Club XP"}),
    ("DELIVERY_RETENTION_DAYS", None),
    ("DELIVERY_RETENTION_DAYS", 2),
    ("DELIVERY_RETENTION_DAYS", 365),
    ("SEASON_START", None),
    ("SEASON_START", ""),
    ("SEASON_START", "2026-08-01"),
    ("SEASON_START", dt.date(2026, 8, 1)),
    ("APPLE_WALLET", None),
    ("GOOGLE_WALLET", None),
]


def ids(messages: list[Any]) -> set[str]:
    return {message.id for message in messages}


def test_the_defaults_and_the_test_settings_are_clean() -> None:
    assert check_settings() == []


@pytest.mark.parametrize(("key", "value", "expected"), BAD)
def test_a_value_that_cannot_work_is_an_error(
    settings: Any, key: str, value: Any, expected: str
) -> None:
    settings.TBITS = {**settings.TBITS, key: value}
    messages = check_settings()
    assert ids(messages) == {expected}
    assert f"TBITS['{key}']" in messages[0].msg


@pytest.mark.parametrize(("key", "value"), GOOD)
def test_a_good_value_is_silent(settings: Any, key: str, value: Any) -> None:
    settings.TBITS = {**settings.TBITS, key: value}
    assert check_settings() == []


def test_every_loyalty_key_is_checked() -> None:
    assert {key for key, _, _ in BAD} == set(DEFAULTS)


def test_business_ids_as_a_list_of_ids_including_the_configured_one(settings: Any) -> None:
    business_id = settings.TBITS["BUSINESS_ID"]
    for value in ([int(business_id)], [str(business_id), 9999], (int(business_id), "9999")):
        settings.TBITS = {**settings.TBITS, "BUSINESS_IDS": value}
        assert check_settings() == [], value


def test_business_ids_without_the_configured_business_is_a_warning(settings: Any) -> None:
    settings.TBITS = {**settings.TBITS, "BUSINESS_IDS": [9998, 9999]}
    assert ids(check_settings()) == {"tbits_loyalty.W001"}


def test_the_checks_run_with_manage_py_check(settings: Any, db: None) -> None:
    # ``db``: all checks run, and on Django 6 a model's JSONField check asks SQLite whether
    # it supports JSON the first time; run alone, nothing else has opened a connection.
    settings.TBITS = {**settings.TBITS, "EVENT_TIMEZONE": "Europe/Nowhere"}
    assert "tbits_loyalty.E003" in ids(checks.run_checks())
