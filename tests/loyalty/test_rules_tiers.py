"""Tier progress: current tier is the highest reached, the next is the lowest not reached."""

from __future__ import annotations

import pytest

from loyalty.rules import TierRule, ordered_tiers, progress_toward, tier_progress

BRONZE = TierRule("t-bronze", "Bronze", 100)
SILVER = TierRule("t-silver", "Silver", 500)
GOLD = TierRule("t-gold", "Gold", 1500)
PLATINUM = TierRule("t-platinum", "Platinum", 5000)
TIERS = (GOLD, BRONZE, PLATINUM, SILVER)  # deliberately unordered


@pytest.mark.parametrize(
    ("points", "current", "upcoming", "to_go", "fraction"),
    [
        (0, None, BRONZE, 100, 0.0),
        (40, None, BRONZE, 60, 0.4),
        (99, None, BRONZE, 1, 0.99),
        (100, BRONZE, SILVER, 400, 0.0),
        (300, BRONZE, SILVER, 200, 0.5),
        (499, BRONZE, SILVER, 1, 399 / 400),
        (500, SILVER, GOLD, 1000, 0.0),
        (1499, SILVER, GOLD, 1, 999 / 1000),
        (1500, GOLD, PLATINUM, 3500, 0.0),
        (5000, PLATINUM, None, None, 1.0),
        (99999, PLATINUM, None, None, 1.0),
    ],
)
def test_tier_progress_at_each_threshold(points, current, upcoming, to_go, fraction):
    progress = tier_progress(points=points, tiers=TIERS)
    assert progress.current == current
    assert progress.next == upcoming
    assert progress.points_to_next == to_go
    assert progress.fraction == pytest.approx(fraction)
    assert progress.at_top is (upcoming is None)


def test_no_tiers_means_top_with_full_bar():
    progress = tier_progress(points=42, tiers=())
    assert progress.current is None
    assert progress.next is None
    assert progress.fraction == 1.0
    assert progress.percent == 100


def test_negative_balance_stays_below_first_tier():
    progress = tier_progress(points=-50, tiers=TIERS)
    assert progress.current is None
    assert progress.next == BRONZE
    assert progress.points_to_next == 150
    assert progress.fraction == pytest.approx(0.0)


def test_zero_threshold_tier_is_reached_at_once():
    starter = TierRule("t-0", "Starter", 0)
    progress = tier_progress(points=0, tiers=(starter, BRONZE))
    assert progress.current == starter
    assert progress.next == BRONZE
    assert progress.points_to_next == 100


def test_equal_thresholds_pick_one_deterministically():
    a = TierRule("a", "Alpha", 100)
    b = TierRule("b", "Beta", 100)
    assert tier_progress(points=100, tiers=(a, b)).current == b
    assert tier_progress(points=100, tiers=(b, a)).current == b
    assert tier_progress(points=0, tiers=(b, a)).next == a


def test_percent_rounds_down():
    assert tier_progress(points=499, tiers=TIERS).percent == 99


def test_ordered_tiers():
    assert ordered_tiers(TIERS) == [BRONZE, SILVER, GOLD, PLATINUM]


@pytest.mark.parametrize(
    ("points", "target", "expected"),
    [
        (0, BRONZE, 0.0),  # below the first tier: from zero
        (50, BRONZE, 0.5),
        (150, SILVER, 0.125),  # from Bronze's floor
        (150, GOLD, 50 / 1400),  # a tier beyond the next: still from the fan's floor
        (500, SILVER, 1.0),
        (2000, GOLD, 1.0),
    ],
)
def test_progress_toward_is_measured_from_the_fans_tier_floor(points, target, expected):
    assert progress_toward(points=points, target=target, tiers=TIERS) == pytest.approx(expected)
    if target == tier_progress(points=points, tiers=TIERS).next:
        assert tier_progress(points=points, tiers=TIERS).fraction == pytest.approx(expected)
