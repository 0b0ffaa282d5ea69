"""Models of rewards: their vocabulary, the reward itself, what fans hold, deliveries."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import Any

from .parsing import READ_ONLY, ApiModel

__all__ = [
    "AtvenuDeliveryMethod",
    "FanReward",
    "RequirementType",
    "Reward",
    "RewardType",
    "RewardUpdate",
    "SelectionModel",
]


class RewardType(enum.StrEnum):
    """What the fan receives."""

    BADGE = "badge"
    PASS = "pass"
    PRIZE_CODE = "prize_code"
    ATVENU = "atvenu"
    BESTRING = "bestring"


class RequirementType(enum.StrEnum):
    """How a reward is earned; None (no requirement) means assigned by hand."""

    POINT_TIER = "point_tier"
    QUESTS = "quests"


class SelectionModel(enum.StrEnum):
    """``all``: every qualifying fan; ``first``: the first ``reward_limit`` fans."""

    ALL = "all"
    FIRST = "first"


class AtvenuDeliveryMethod(enum.StrEnum):
    WRISTBAND = "wristband"
    QRCODE = "qrcode"


@dataclass(frozen=True, slots=True)
class Reward(ApiModel):
    """A reward: every field of the reward creation table and the type-specific ones.

    ``prize_codes`` (the pool) is normally not sent back by reads; it is here because it
    is part of the creation table.
    """

    reward_uid: str = field(metadata=READ_ONLY)
    reward_title: str
    reward_type: RewardType | str
    expiration_timestamp: dt.datetime | None = None
    timezone: str | None = None
    winner_selection_model: SelectionModel | str | None = None
    reward_limit: int | None = None
    requirement_type: RequirementType | str | None = None
    point_tier_uid: str | None = None
    required_page_tab_ids: tuple[int, ...] = ()
    description: str | None = None
    performance_uid: str | None = None
    access_start_timestamp: dt.datetime | None = None
    access_end_timestamp: dt.datetime | None = None
    access_pass_type: str | None = None
    prize_codes: tuple[str, ...] = field(default=(), repr=False)
    is_limited: bool | None = None
    atvenu_sales_event_key: str | None = None
    atvenu_promo_key: str | None = None
    atvenu_delivery_method: AtvenuDeliveryMethod | str | None = None
    bestring_location_group_id: str | None = None
    bestring_promotion_id: str | None = None
    fan_points_required: int | None = field(default=None, metadata=READ_ONLY)
    point_uid: str | None = field(default=None, metadata=READ_ONLY)
    media_uid: str | None = None
    creation_timestamp: dt.datetime | None = field(default=None, metadata=READ_ONLY)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class FanReward(ApiModel):
    """A reward a fan holds, with what the wallet shows (pass window, QR value, code)."""

    reward_uid: str
    reward_title: str | None = None
    reward_type: RewardType | str | None = None
    fan_id: int | None = None
    creation_timestamp: dt.datetime | None = None
    delivered_timestamp: dt.datetime | None = None
    expiration_timestamp: dt.datetime | None = None
    prize_code: str | None = None
    access_start_timestamp: dt.datetime | None = None
    access_end_timestamp: dt.datetime | None = None
    access_pass_type: str | None = None
    pass_code: str | None = None
    status: str | None = None
    description: str | None = None
    media_uid: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RewardUpdate(ApiModel):
    """One reward delivery change since a date (shape undocumented; identifiers kept)."""

    reward_uid: str
    fan_id: int | None = None
    reward_title: str | None = None
    reward_type: RewardType | str | None = None
    status: str | None = None
    last_update_timestamp: dt.datetime | None = None
    creation_timestamp: dt.datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)
