"""The loyalty rules: pure functions from plain data to plain data.

Nothing here imports Django or ``tbits_client`` and nothing does I/O, so every rule can be
tested exhaustively and reused in any script. Selectors map API models to the inputs in
:mod:`loyalty.rules.inputs`; views phrase the results (the rules return structured gaps,
not sentences, so the wording stays translatable).
"""

from __future__ import annotations

from loyalty.rules.board import (
    VENUE_QUEST_TYPES,
    EventGroup,
    QuestBoard,
    is_live,
    live_performances,
    quest_board,
)
from loyalty.rules.inputs import (
    Catalogue,
    FanStanding,
    HeldReward,
    PerformanceWindow,
    QuestRule,
    RequirementKind,
    Restriction,
    RestrictionKind,
    RewardRule,
    TierRule,
)
from loyalty.rules.quests import (
    Availability,
    LockKind,
    LockReason,
    QuestCard,
    QuestState,
    QuestStatus,
    TierPath,
    availability_at,
    is_hidden,
    lock_reason,
    quest_cards,
    quest_status,
    quest_window,
    quests_toward_next_tier,
)
from loyalty.rules.rewards import (
    RewardCard,
    RewardProgress,
    RewardStanding,
    Wallet,
    held_reward_expired,
    reward_card,
    reward_progress,
    reward_wallet,
    rewards_since,
)
from loyalty.rules.tiers import TierProgress, ordered_tiers, tier_progress

__all__ = [
    "VENUE_QUEST_TYPES",
    "Availability",
    "Catalogue",
    "EventGroup",
    "FanStanding",
    "HeldReward",
    "LockKind",
    "LockReason",
    "PerformanceWindow",
    "QuestBoard",
    "QuestCard",
    "QuestRule",
    "QuestState",
    "QuestStatus",
    "RequirementKind",
    "Restriction",
    "RestrictionKind",
    "RewardCard",
    "RewardProgress",
    "RewardRule",
    "RewardStanding",
    "TierPath",
    "TierProgress",
    "TierRule",
    "Wallet",
    "availability_at",
    "held_reward_expired",
    "is_hidden",
    "is_live",
    "live_performances",
    "lock_reason",
    "ordered_tiers",
    "quest_board",
    "quest_cards",
    "quest_status",
    "quest_window",
    "quests_toward_next_tier",
    "reward_card",
    "reward_progress",
    "reward_wallet",
    "rewards_since",
    "tier_progress",
]
