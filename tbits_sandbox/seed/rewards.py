"""Seed the rewards: one of every type and every way of winning, and one that has expired."""

from __future__ import annotations

from typing import Any

from tbits_sandbox.models import Business, MediaAsset, PrizeCode, Quest, Reward, Tier
from tbits_sandbox.seed.dates import days_from_today, local_time
from tbits_sandbox.seed.events import SeededEvents
from tbits_sandbox.seed.quests import Q_FOLLOW, Q_PLAYLIST, Q_SCAN, Q_SHOP
from tbits_sandbox.vocabulary import (
    AtVenuDeliveryMethod,
    RequirementType,
    RewardType,
    SelectionModel,
)

REWARD_TIMEZONE = "America/Vancouver"
FIRST_N_LIMIT = 3

R_BRONZE = "Bronze Member Badge"
R_SILVER_PASS = "Silver Lounge Pass"
R_GOLD_CODE = "Gold Merch Discount"
R_CHAIN = "Superfan Chain Badge"
R_CONCESSION = "Concession Voucher"
R_WRISTBAND = "Wristband Upgrade"
R_WELCOME = "Welcome Gift Code"
R_EXPIRED = "Last Season Badge"


def _reward(
    business: Business, title: str, *, codes: tuple[str, ...] = (), **fields: Any
) -> Reward:
    defaults = {"timezone": REWARD_TIMEZONE, **fields}
    reward, _ = Reward.objects.update_or_create(
        business=business, reward_title=title, defaults=defaults
    )
    known = set(reward.prize_codes.values_list("code", flat=True))
    PrizeCode.objects.bulk_create(
        PrizeCode(reward=reward, code=code) for code in codes if code not in known
    )
    return reward


def seed_rewards(
    *,
    business: Business,
    tiers: dict[str, Tier],
    art: dict[str, MediaAsset],
    events: SeededEvents,
    quests: dict[str, Quest],
) -> dict[str, Reward]:
    """Create or update the rewards, in creation order."""
    today = days_from_today(0)
    matchday = events.matchday
    season_end = local_time(days_from_today(365), 23, 59)
    r_bronze = _reward(
        business,
        R_BRONZE,
        reward_type=RewardType.BADGE,
        description="For fans who reach Bronze.",
        expiration_timestamp=season_end,
        winner_selection_model=SelectionModel.ALL,
        requirement_type=RequirementType.POINT_TIER,
        point_tier=tiers["Bronze"],
        media=art["reward-badge"],
    )
    r_pass = _reward(
        business,
        R_SILVER_PASS,
        reward_type=RewardType.PASS,
        description="Entry to the members' lounge on matchday.",
        expiration_timestamp=season_end,
        winner_selection_model=SelectionModel.ALL,
        requirement_type=RequirementType.POINT_TIER,
        point_tier=tiers["Silver"],
        performance=matchday,
        access_start_timestamp=local_time(today, 17),
        access_end_timestamp=local_time(today, 23),
        access_pass_type="qrcode",
        media=art["reward-pass"],
    )
    r_gold = _reward(
        business,
        R_GOLD_CODE,
        codes=tuple(f"GOLD-{index:04d}" for index in range(1, FIRST_N_LIMIT + 3)),
        reward_type=RewardType.PRIZE_CODE,
        description=f"20% off in the club shop, for the first {FIRST_N_LIMIT} fans to reach Gold.",
        expiration_timestamp=season_end,
        winner_selection_model=SelectionModel.FIRST,
        reward_limit=FIRST_N_LIMIT,
        requirement_type=RequirementType.POINT_TIER,
        point_tier=tiers["Gold"],
        is_limited=True,
    )
    r_chain = _reward(
        business,
        R_CHAIN,
        reward_type=RewardType.BADGE,
        description="Finished the follow, shop and playlist chain.",
        expiration_timestamp=season_end,
        winner_selection_model=SelectionModel.ALL,
        requirement_type=RequirementType.QUESTS,
        required_page_tab_ids=[
            quests[Q_FOLLOW].page_tab_id,
            quests[Q_SHOP].page_tab_id,
            quests[Q_PLAYLIST].page_tab_id,
        ],
        media=art["reward-badge"],
    )
    r_concession = _reward(
        business,
        R_CONCESSION,
        reward_type=RewardType.ATVENU,
        description="A free drink at any concession stand, sent to your wristband.",
        expiration_timestamp=local_time(today, 23, 59),
        winner_selection_model=SelectionModel.ALL,
        requirement_type=RequirementType.QUESTS,
        required_page_tab_ids=[quests[Q_SCAN].page_tab_id],
        performance=matchday,
        atvenu_sales_event_key="hcfc-matchday",
        atvenu_promo_key="free-drink",
        atvenu_delivery_method=AtVenuDeliveryMethod.WRISTBAND,
    )
    r_wristband = _reward(
        business,
        R_WRISTBAND,
        reward_type=RewardType.BESTRING,
        description="Fast-lane entry on your wristband (assigned by the club).",
        expiration_timestamp=season_end,
        winner_selection_model=SelectionModel.ALL,
        requirement_type="",
        performance=matchday,
        bestring_location_group_id="hcfc-gates",
        bestring_promotion_id="fast-lane",
    )
    r_welcome = _reward(
        business,
        R_WELCOME,
        codes=tuple(f"WELCOME-{index:03d}" for index in range(1, 51)),
        reward_type=RewardType.PRIZE_CODE,
        description="A welcome discount code, assigned by the club.",
        expiration_timestamp=season_end,
        winner_selection_model=SelectionModel.ALL,
        requirement_type="",
        is_limited=True,
    )
    r_expired = _reward(
        business,
        R_EXPIRED,
        reward_type=RewardType.BADGE,
        description="Last season's loyalty badge.",
        expiration_timestamp=local_time(days_from_today(-30), 23, 59),
        winner_selection_model=SelectionModel.ALL,
        requirement_type="",
    )
    rewards = [r_bronze, r_pass, r_gold, r_chain, r_concession, r_wristband, r_welcome, r_expired]
    return {reward.reward_title: reward for reward in rewards}
