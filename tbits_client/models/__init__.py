"""Typed results of the Tradable Bits API, one module per API area.

Every model is a frozen dataclass built by ``from_api(payload)``; how a payload is read
(strict on what a page needs, lenient on the rest, unknown keys kept in ``extra``) is
described once, in :mod:`tbits_client.models.parsing`. Sensitive values (session ids,
verification tokens) are excluded from ``repr`` so a model printed into a log does not
leak them.
"""

from __future__ import annotations

from .account import AccountStatus, ConnectOutcome, ConnectResult, Session
from .content import Business, Idol, IdolEvent, Performance
from .fans import DisplayNameCheck, Fan, FanActivity, FanRegistration
from .parsing import ApiModel, parse_list
from .points import FanPoint, FanPointAward, FanTier, LeaderboardRow, PointType, Tier
from .quests import Completions, Quest, QuestCompletion, QuestRewardType, QuestType, RestrictionType
from .rewards import (
    AtvenuDeliveryMethod,
    FanReward,
    RequirementType,
    Reward,
    RewardType,
    RewardUpdate,
    SelectionModel,
)

__all__ = [
    "AccountStatus",
    "ApiModel",
    "AtvenuDeliveryMethod",
    "Business",
    "Completions",
    "ConnectOutcome",
    "ConnectResult",
    "DisplayNameCheck",
    "Fan",
    "FanActivity",
    "FanPoint",
    "FanPointAward",
    "FanRegistration",
    "FanReward",
    "FanTier",
    "Idol",
    "IdolEvent",
    "LeaderboardRow",
    "Performance",
    "PointType",
    "Quest",
    "QuestCompletion",
    "QuestRewardType",
    "QuestType",
    "RequirementType",
    "RestrictionType",
    "Reward",
    "RewardType",
    "RewardUpdate",
    "SelectionModel",
    "Session",
    "Tier",
    "parse_list",
]
