"""Sentences built from the rules' gaps, and brand colours turned into safe CSS."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from loyalty import branding, wording
from loyalty.links import safe_destination
from loyalty.rules import LockKind, LockReason, RewardProgress
from loyalty.scan import quest_id_from_scan_token, scan_token


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    # A page requested in French earlier in the run leaves French active in this thread.
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("reason", "sentence"),
    [
        (LockReason(LockKind.POINTS, points_to_go=300), "Earn 300 more points"),
        (LockReason(LockKind.POINTS, points_to_go=1), "Earn 1 more point"),
        (LockReason(LockKind.POINTS, points_to_go=1200), "Earn 1,200 more points"),
        (
            LockReason(LockKind.TIER, points_to_go=120, tier_name="Silver"),
            "Reach Silver \u2014 120 points to go",
        ),
        (LockReason(LockKind.TIER), "Reach a higher tier to unlock this quest"),
        (
            LockReason(LockKind.QUESTS, missing_quests=("Follow us", "Visit the site")),
            "Complete \u2018Follow us\u2019 and \u2018Visit the site\u2019 first",
        ),
        (
            LockReason(LockKind.QUESTS, missing_quests=("A", "B", "C")),
            "Complete \u2018A\u2019, \u2018B\u2019 and \u2018C\u2019 first",
        ),
        (
            LockReason(LockKind.QUESTS, missing_quests=("A",), unnamed_missing=2),
            "Complete \u2018A\u2019 and 2 other quests first",
        ),
        (LockReason(LockKind.QUESTS, unnamed_missing=1), "Complete 1 more quest first"),
    ],
)
def test_lock_text(reason, sentence):
    with translation.override("en"):
        assert wording.lock_text(reason) == sentence


@pytest.mark.parametrize(
    ("progress", "sentence"),
    [
        (None, "Given out by the team"),
        (RewardProgress(fraction=1.0), "Requirement met \u2014 on its way to you"),
        (
            RewardProgress(fraction=0.5, quests_done=1, quests_total=2, missing_quests=("B",)),
            "1 of 2 quests done. Next: \u2018B\u2019",
        ),
        (
            RewardProgress(fraction=0.0, quests_done=0, quests_total=1, missing_quests=("C",)),
            "0 of 1 quest done. Next: \u2018C\u2019",
        ),
        (
            RewardProgress(fraction=0.5, points_to_go=5, tier_name="Gold"),
            "Reach Gold \u2014 5 points to go",
        ),
        (RewardProgress(fraction=0.0), "Reach a higher tier"),
    ],
)
def test_reward_requirement_text(progress, sentence):
    assert wording.reward_requirement_text(progress) == sentence


@pytest.mark.parametrize(
    ("span", "sentence"),
    [
        (dt.timedelta(seconds=20), "less than a minute"),
        (dt.timedelta(minutes=45), "45 min"),
        (dt.timedelta(hours=2, minutes=15), "2 h 15 min"),
        (dt.timedelta(days=3), "3 days"),
    ],
)
def test_duration_text(span, sentence):
    assert wording.duration_text(span) == sentence


def test_css_variables_accept_only_hex_colours_and_pick_readable_text():
    pairs = dict(
        branding.css_variables(
            {
                "primary_color": "#FFD600",
                "secondary_color": "#123",
                "accent_color": "red; } body { display:none",
                "text_color": "url(javascript:alert(1))",
                "font_family": "Comic Sans",
                "Bad Key_color": "#000000",
                "other_color": "#0b57d0",
            }
        )
    )
    assert pairs == {
        "--tb-primary": "#ffd600",
        "--tb-primary-text": "#000000",
        "--tb-secondary": "#112233",
        "--tb-secondary-text": "#ffffff",
        "--tb-brand-other": "#0b57d0",
        "--tb-brand-other-text": "#ffffff",
    }


@pytest.mark.parametrize(
    ("link", "safe"),
    [
        ("https://club.example/a?b=1", True),
        ("http://club.example/", True),
        ("javascript:alert(1)", False),
        ("//evil.example", False),
        ("/relative", False),
        ("https://club.example/\nLocation: x", False),
        ("https:\\\\evil.example", False),
        (None, False),
    ],
)
def test_safe_destination(link, safe):
    from tbits_client import Quest

    quest = Quest(page_tab_id=1, quest_type="link_url", quest_title="x", link_url=link)
    assert (safe_destination(quest) is not None) is safe


def test_scan_token_round_trip_and_tamper():
    token = scan_token(42)
    assert quest_id_from_scan_token(token) == 42
    assert quest_id_from_scan_token(token[:-2] + "xx") is None
    assert quest_id_from_scan_token("42") is None


def test_scan_token_expiry(settings):
    settings.TBITS = {**settings.TBITS, "SCAN_MAX_AGE": 60}
    old = scan_token(7)
    import time as time_module

    real = time_module.time
    try:
        time_module.time = lambda: real() + 120  # type: ignore[assignment]
        assert quest_id_from_scan_token(old) is None
    finally:
        time_module.time = real  # type: ignore[assignment]


@pytest.mark.django_db
def test_scan_link_command(sandbox_api, tmp_path):
    out = io.StringIO()
    svg = tmp_path / "gate.svg"
    call_command(
        "loyalty_scan_link", "7", "--site", "https://fans.example", "--svg", str(svg), stdout=out
    )
    url = out.getvalue().splitlines()[0]
    assert url.startswith("https://fans.example/portal/scan/")
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert quest_id_from_scan_token(token) == 7
    assert svg.read_text().startswith("<?xml")
    with pytest.raises(CommandError, match="not a scan quest"):
        call_command("loyalty_scan_link", "1", "--site", "https://fans.example")
    with pytest.raises(CommandError, match="absolute"):
        call_command("loyalty_scan_link", "7", "--site", "fans.example")
