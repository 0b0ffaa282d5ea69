"""Reward standing: held, expired, on its way, working toward, sold out, closed, manual."""

from __future__ import annotations

import pytest

from loyalty.rules import (
    Catalogue,
    FanStanding,
    HeldReward,
    RequirementKind,
    RewardRule,
    RewardStanding,
    reward_card,
    reward_progress,
    reward_wallet,
    rewards_since,
)
from tests.loyalty.factories import HOUR, NOW, SILVER, TIERS, needs_tag, quest

QUESTS = (
    quest(1, "Follow us"),
    quest(2, "Visit the site"),
    quest(3, "Secret", restriction=needs_tag("vip")),
)
CAT = Catalogue(tiers=TIERS, quests=QUESTS)

SILVER_BADGE = RewardRule(
    "r-silver", "Silver badge", requirement=RequirementKind.POINT_TIER, tier_id=SILVER.tier_id
)
QUEST_SET = RewardRule(
    "r-set", "Set", requirement=RequirementKind.QUESTS, required_quest_ids=(1, 2, 3)
)
MANUAL = RewardRule("r-manual", "Thanks")


def card(reward, held=None, *, points=0, completed=(), tags=(), now=NOW):
    fan = FanStanding.of(total_points=points, completed=completed, tags=tags)
    return reward_card(reward, held=held, fan=fan, catalogue=CAT, now=now)


def test_tier_reward_progress_and_gap():
    result = card(SILVER_BADGE, points=380)
    assert result.standing is RewardStanding.WORKING_TOWARD
    assert result.progress.points_to_go == 120
    assert result.progress.tier_name == "Silver"
    # The one progress model: from the floor of the fan's tier (Bronze, 100) to Silver.
    assert result.progress.fraction == pytest.approx((380 - 100) / (500 - 100))
    assert result.progress.percent == 70


def test_one_progress_model_for_the_tier_bar_and_the_reward_bar():
    # Issue 16: the dashboard said 12% and the wallet 30%, both under "350 points to Silver".
    from loyalty.rules import tier_progress

    tier = tier_progress(points=150, tiers=TIERS)
    reward = card(SILVER_BADGE, points=150)
    assert tier.next == SILVER and tier.points_to_next == reward.progress.points_to_go == 350
    assert tier.fraction == reward.progress.fraction == pytest.approx(50 / 400)
    assert tier.percent == reward.progress.percent == 12


def test_met_requirement_not_delivered_is_on_its_way():
    assert card(SILVER_BADGE, points=500).standing is RewardStanding.ON_ITS_WAY
    assert card(QUEST_SET, completed={1, 2, 3}).standing is RewardStanding.ON_ITS_WAY


def test_quest_set_progress_names_visible_missing_quests():
    result = card(QUEST_SET, completed={2})
    assert result.standing is RewardStanding.WORKING_TOWARD
    assert (result.progress.quests_done, result.progress.quests_total) == (1, 3)
    assert result.progress.missing_quests == ("Follow us",)
    assert card(QUEST_SET, completed={2}, tags={"vip"}).progress.missing_quests == (
        "Follow us",
        "Secret",
    )


def test_unknown_tier_reward_has_zero_progress():
    reward = RewardRule("r", "R", requirement=RequirementKind.POINT_TIER, tier_id="gone")
    assert (
        reward_progress(reward, fan=FanStanding(total_points=10**6), catalogue=CAT).fraction == 0.0
    )


def test_held_reward_is_held_until_expiry_or_pass_end():
    held = HeldReward("r-silver", delivered_at=NOW - HOUR)
    assert card(SILVER_BADGE, held).standing is RewardStanding.HELD
    expiring = RewardRule("r-silver", "Silver badge", expires_at=NOW)
    assert card(expiring, held).standing is RewardStanding.EXPIRED
    own_expiry = HeldReward("r-silver", expires_at=NOW - HOUR)
    assert card(SILVER_BADGE, own_expiry).standing is RewardStanding.EXPIRED
    pass_over = HeldReward("r-silver", valid_from=NOW - 3 * HOUR, valid_until=NOW - HOUR)
    assert card(SILVER_BADGE, pass_over).standing is RewardStanding.EXPIRED


def test_pass_before_its_window_is_held_but_not_yet_valid():
    future = HeldReward("r-pass", valid_from=NOW + HOUR, valid_until=NOW + 5 * HOUR)
    result = card(None, future)
    assert result.standing is RewardStanding.HELD
    assert result.not_yet_valid
    assert result.reward is None


def test_sold_out_and_closed_and_manual():
    limited = RewardRule(
        "r", "R", requirement=RequirementKind.POINT_TIER, tier_id=SILVER.tier_id, remaining=0
    )
    assert card(limited).standing is RewardStanding.SOLD_OUT
    assert card(limited, points=999).standing is RewardStanding.SOLD_OUT
    assert card(limited, HeldReward("r")).standing is RewardStanding.HELD
    closed = RewardRule(
        "r",
        "R",
        requirement=RequirementKind.POINT_TIER,
        tier_id=SILVER.tier_id,
        expires_at=NOW - HOUR,
    )
    assert card(closed).standing is RewardStanding.CLOSED
    assert card(MANUAL).standing is RewardStanding.MANUAL
    assert card(MANUAL).progress is None


def test_reward_card_needs_something():
    with pytest.raises(ValueError, match="needs a catalogue reward"):
        card(None)


def test_wallet_groups_each_reward_once():
    catalogue_rewards = [
        SILVER_BADGE,
        QUEST_SET,
        MANUAL,
        RewardRule("r-old", "Old", expires_at=NOW - HOUR),
        RewardRule(
            "r-gone",
            "Gone",
            requirement=RequirementKind.QUESTS,
            required_quest_ids=(1,),
            remaining=0,
        ),
        RewardRule("r-near", "Near", requirement=RequirementKind.POINT_TIER, tier_id="t-bronze"),
    ]
    held = [
        HeldReward("r-manual", delivered_at=NOW - 2 * HOUR),
        HeldReward("r-manual", delivered_at=NOW - HOUR),
        HeldReward("r-deleted", delivered_at=NOW - 5 * HOUR, expires_at=NOW - HOUR),
    ]
    fan = FanStanding.of(total_points=90, completed={1, 2})
    wallet = reward_wallet(catalogue_rewards, held, fan=fan, catalogue=CAT, now=NOW)
    assert [c.held.delivered_at for c in wallet.held] == [NOW - HOUR, NOW - 2 * HOUR]
    assert [c.reward_id for c in wallet.expired] == ["r-deleted"]
    assert [c.reward_id for c in wallet.working_toward] == ["r-near", "r-set", "r-silver"]
    assert sorted(c.reward_id for c in wallet.unavailable) == ["r-gone", "r-old"]
    assert wallet.on_its_way == ()
    assert wallet.manual == ()


def test_rewards_since():
    old = HeldReward("a", delivered_at=NOW - 2 * HOUR)
    new = HeldReward("b", delivered_at=NOW)
    undated = HeldReward("c")
    assert rewards_since([old, new, undated], since=NOW - HOUR) == [new]
    assert rewards_since([old, new, undated], since=None) == [old, new]


# --- difference 6: a reward tied to a performance is given only during it ----------------


def test_difference_6_a_reward_tied_to_a_performance_is_promised_only_during_it() -> None:
    """Performance: "Quests and rewards can be tied to a specific performance so they only
    appear during that event's timeframe" (loyalty-portal-integration.txt, Key Concepts).
    """
    from loyalty.rules import PerformanceWindow

    match = PerformanceWindow("p-1", "Cup final", starts_at=NOW + 4 * HOUR, ends_at=NOW + 28 * HOUR)
    cat = Catalogue(tiers=TIERS, quests=QUESTS, performances=(match,))
    scarf = RewardRule(
        "r-scarf",
        "Final scarf",
        requirement=RequirementKind.POINT_TIER,
        tier_id=SILVER.tier_id,
        performance_id="p-1",
    )
    fan = FanStanding.of(total_points=600)

    before = reward_card(scarf, held=None, fan=fan, catalogue=cat, now=NOW)
    assert before.standing is RewardStanding.AT_EVENT  # met, but not "on its way" yet
    assert before.event == match
    during = reward_card(scarf, held=None, fan=fan, catalogue=cat, now=NOW + 5 * HOUR)
    assert during.standing is RewardStanding.ON_ITS_WAY
    after = reward_card(scarf, held=None, fan=fan, catalogue=cat, now=NOW + 29 * HOUR)
    assert after.standing is RewardStanding.CLOSED
    short = reward_card(scarf, held=None, fan=FanStanding.of(), catalogue=cat, now=NOW)
    assert short.standing is RewardStanding.WORKING_TOWARD and short.event == match

    wallet = reward_wallet([scarf], [], fan=fan, catalogue=cat, now=NOW)
    assert wallet.on_its_way == ()
    assert [card.reward_id for card in wallet.working_toward] == ["r-scarf"]


def test_rewards_to_earn_come_in_the_order_a_fan_reaches_them():
    # Issue 16: "rewards to earn are not sorted (Gold before Silver)". A new fan is 0% toward
    # every tier, so progress alone ties; what the fan still needs breaks the tie.
    by_tier = [
        RewardRule(
            f"{prefix}-{tier.name}",
            tier.name,
            requirement=RequirementKind.POINT_TIER,
            tier_id=tier.tier_id,
        )
        for prefix, tier in (("a", TIERS[2]), ("b", TIERS[1]), ("c", TIERS[0]))
    ]
    fan = FanStanding.of(total_points=0)
    wallet = reward_wallet(by_tier, [], fan=fan, catalogue=CAT, now=NOW)
    assert [card.reward.title for card in wallet.working_toward] == ["Bronze", "Silver", "Gold"]
