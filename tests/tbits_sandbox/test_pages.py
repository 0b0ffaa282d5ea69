"""Outbox, media, fault injection, the production check and the seed."""

from __future__ import annotations

import io
import struct
import time
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings

from tbits_sandbox import checks, faults
from tbits_sandbox.models import (
    Account,
    Business,
    Fan,
    FanActivity,
    FanPoint,
    FanReward,
    MediaAsset,
    PrizeCode,
    Quest,
    Reward,
    Tier,
)
from tbits_sandbox.seed import seed_demo


def test_outbox_json_newest_first_and_page(api: Any) -> None:
    api.connect("verify_email", email="first@example.com")
    api.connect("verify_sms", phone="+44 20 7946 0000")
    messages = api.http.get("/sandbox/outbox.json").json()
    assert [m["to"] for m in messages[:2]] == ["+442079460000", "first@example.com"]
    newest = messages[0]
    assert set(newest) >= {"channel", "to", "code", "message", "created"}
    assert newest["channel"] == "sms" and newest["code"] in newest["message"]
    page = api.http.get("/sandbox/outbox/")
    assert page.status_code == 200 and newest["code"] in page.text
    assert page["Cache-Control"].startswith("max-age=0")


def test_outbox_is_never_faulted(api: Any, settings: Any) -> None:
    settings.TBITS_SANDBOX_FAULTS = ".*=500"
    settings.TBITS_SANDBOX_ERROR_RATE = 1.0
    assert api.http.get("/sandbox/outbox.json").status_code == 200
    assert api.http.get("/sandbox/outbox/").status_code == 200
    assert api.get("api/v1/businesses").status_code == 500


def test_fault_rules_pick_endpoints_and_statuses(api: Any, settings: Any) -> None:
    settings.TBITS_SANDBOX_FAULTS = r"/quests$=503, /sessions/connect=429"
    assert api.get(api.ent("quests")).status_code == 503
    limited = api.connect("email", email="x@example.com")
    assert limited.status_code == 429 and limited["Retry-After"] == "1"
    assert api.get(api.ent("rewards")).status_code == 200
    settings.TBITS_SANDBOX_FAULTS = ""
    assert api.get(api.ent("quests")).status_code == 200


def test_error_rate_and_latency(api: Any, settings: Any) -> None:
    settings.TBITS_SANDBOX_ERROR_RATE = 1.0
    assert api.get("api/v1/businesses").status_code == 503
    settings.TBITS_SANDBOX_ERROR_RATE = 0.0
    settings.TBITS_SANDBOX_LATENCY_MS = 150
    started = time.perf_counter()
    assert api.get("api/v1/businesses").status_code == 200
    assert time.perf_counter() - started >= 0.15


@pytest.mark.parametrize("spec", ["no-status", "/x=abc", "/x=200", "=500"])
def test_malformed_fault_spec_is_an_error(spec: str) -> None:
    with pytest.raises(ValueError, match="TBITS_SANDBOX_FAULTS"):
        faults.parse_rules(spec)


def test_media_serves_real_images_at_the_asked_size(api: Any) -> None:
    header = api.http.get(f"/sandbox/fb_media/{api.seed.media['header']}", {"width": "300"})
    assert header["Content-Type"] == "image/png" and header.content.startswith(b"\x89PNG")
    width, height = struct.unpack(">II", header.content[16:24])
    assert (width, height) == (300, 100)  # 1200x400 kept in proportion
    logo = api.http.get(
        f"/sandbox/fb_media/{api.seed.media['logo']}", {"width": "40", "height": "50"}
    )
    assert logo["Content-Type"] == "image/svg+xml"
    assert b'width="40" height="50"' in logo.content and b"HCFC" in logo.content
    assert (
        api.http.get(f"/sandbox/fb_media/{api.seed.media['logo']}", {"width": "0"}).status_code
        == 400
    )
    assert api.http.get("/sandbox/fb_media/00000000-0000-0000-0000-000000000000").status_code == 404
    assert api.http.get("/sandbox/fb_media/nonsense").status_code == 400


def test_status_and_businesses_carry_branding(api: Any) -> None:
    status = api.post("api/v1/status", secret=False).json()
    assert status["image_url"].endswith(f"/sandbox/fb_media/{api.seed.media['logo']}")
    (business,) = api.get("api/v1/businesses", secret=False).json()
    assert business["style_props"]["primary_color"] == "#0b57d0"
    assert set(business["media_map"]) == {"logo", "header", "background"}
    assert business["point_uid"] == api.seed.point_uid


def test_home_page_shows_ids_but_never_the_secret(api: Any) -> None:
    page = api.http.get("/sandbox/")
    assert page.status_code == 200 and api.seed.api_key in page.text
    assert api.seed.api_secret not in page.text


def test_finding_5_the_sandbox_without_debug_needs_the_test_server_sentence(
    settings: Any,
) -> None:
    """Issue 17 finding 5: a flag let ``check --deploy`` pass with the sandbox public."""
    settings.DEBUG = False
    settings.TBITS_SANDBOX_TEST_SERVER = ""
    (error,) = checks.sandbox_needs_debug()
    assert error.id == "tbits_sandbox.E001"
    for by_accident in (True, "1", "yes", "True", checks.TEST_SERVER_SENTENCE.upper()):
        settings.TBITS_SANDBOX_TEST_SERVER = by_accident
        assert len(checks.sandbox_needs_debug()) == 1, by_accident
    settings.TBITS_SANDBOX_TEST_SERVER = checks.TEST_SERVER_SENTENCE
    assert checks.sandbox_needs_debug() == []
    settings.DEBUG = True
    settings.TBITS_SANDBOX_TEST_SERVER = ""
    assert checks.sandbox_needs_debug() == []


def test_check_is_registered_with_manage_py_check(settings: Any) -> None:
    from django.core.management.base import SystemCheckError

    settings.DEBUG = False
    settings.TBITS_SANDBOX_TEST_SERVER = ""
    with pytest.raises(SystemCheckError, match=r"tbits_sandbox\.E001"):
        call_command("check", stdout=io.StringIO(), stderr=io.StringIO())


def _counts() -> dict[str, int]:
    models = (
        Account,
        Business,
        Tier,
        Quest,
        Reward,
        PrizeCode,
        Fan,
        FanActivity,
        FanPoint,
        FanReward,
        MediaAsset,
    )
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.django_db
def test_seed_shows_every_feature_and_is_idempotent() -> None:
    first = seed_demo()
    before = _counts()
    second = seed_demo()
    assert _counts() == before
    assert first == second
    quests = Quest.objects.filter(business_id=first.business_id)
    assert set(quests.values_list("quest_type", flat=True)) == {
        "campaign",
        "quickpicks",
        "link_url",
        "scan",
        "wristband",
        "custom",
    }
    assert set(quests.values_list("access_restriction_type", flat=True)) - {""} == {
        "fan_points",
        "quests",
        "point_tier",
        "tag",
    }
    assert quests.filter(performance__isnull=False, start_date__isnull=False).exists()
    assert quests.filter(media__isnull=False).exists()
    chained = quests.get(quest_title="Share the matchday playlist")
    shop = quests.get(quest_title="Visit the club shop")
    assert shop.page_tab_id in chained.required_page_tab_ids
    assert shop.required_page_tab_ids == [quests.get(quest_title="Follow us on Instagram").pk]
    rewards = Reward.objects.filter(business_id=first.business_id)
    assert set(rewards.values_list("reward_type", flat=True)) == {
        "badge",
        "pass",
        "prize_code",
        "atvenu",
        "bestring",
    }
    assert set(rewards.values_list("requirement_type", flat=True)) == {"point_tier", "quests", ""}
    assert rewards.filter(winner_selection_model="first", reward_limit__gte=1).exists()
    tiers = Tier.objects.filter(point_type__point_uid=first.point_uid)
    assert [(t.tier_name, t.min_points) for t in tiers] == [
        ("Bronze", 100),
        ("Silver", 500),
        ("Gold", 1500),
        ("Platinum", 5000),
    ]
    assert len(first.idols) == 2
    fan = Fan.objects.get(fan_id=first.fan_id)
    assert fan.password_hash and first.fan_tag in fan.tags
    assert FanActivity.objects.filter(fan=fan).exists() and FanReward.objects.filter(fan=fan)


@pytest.mark.django_db
def test_seed_uses_the_portals_credentials(settings: Any) -> None:
    settings.TBITS = {
        **settings.TBITS,
        "API_KEY": "k-1",
        "API_SECRET": "s-1",
        "ACCOUNT_ID": "42",
        "BUSINESS_ID": "43",
    }
    settings.TBITS_SANDBOX_FAN_EMAIL = "Someone@Example.com"
    settings.TBITS_SANDBOX_FAN_PASSWORD = "another-password"
    info = seed_demo()
    assert (info.api_key, info.api_secret, info.account_id, info.business_id) == (
        "k-1",
        "s-1",
        42,
        43,
    )
    assert info.fan_email == "someone@example.com" and info.fan_password == "another-password"
    assert Account.objects.get(account_id=42).api_secret == "s-1"


@pytest.mark.django_db
@override_settings(
    TBITS={
        "API_KEY": "cmd-key",
        "API_SECRET": "cmd-secret-value-123",
        "ACCOUNT_ID": "1001",
        "BUSINESS_ID": "2002",
    }
)
def test_seed_command_prints_credentials_with_the_secret_masked() -> None:
    out = io.StringIO()
    call_command("sandbox_seed", stdout=out)
    call_command("sandbox_seed", stdout=out)
    text = out.getvalue()
    assert "cmd-key" in text and "1001" in text and "2002" in text
    assert "fan@example.com" in text and "loyal-fan-2026" in text
    assert "cmd-secret-value-123" not in text and "cmd-************-123" in text
    assert Account.objects.count() == 1


def test_page_styles_carry_the_nonce_the_csp_header_allows(api: Any) -> None:
    import re

    page = api.http.get("/sandbox/outbox/")
    (nonce,) = re.findall(r'<style nonce="([^"]+)">', page.text)
    assert f"'nonce-{nonce}'" in page["Content-Security-Policy"]
