"""The API's vocabulary, re-declared on this side of the wire.

The sandbox must not import ``tbits_client`` (it is the other party of the contract, and a
shared enum would hide a disagreement between the two), so the documented values live here.
"""

from __future__ import annotations

from enum import StrEnum


class QuestType(StrEnum):
    """What the fan does to complete a quest."""

    CAMPAIGN = "campaign"
    QUICKPICKS = "quickpicks"
    LINK_URL = "link_url"
    SCAN = "scan"
    WRISTBAND = "wristband"
    CUSTOM = "custom"


class RestrictionType(StrEnum):
    """What locks a quest until the fan meets it."""

    FAN_POINTS = "fan_points"
    QUESTS = "quests"
    POINT_TIER = "point_tier"
    TAG = "tag"


class QuestRewardType(StrEnum):
    """What a quest awards on completion (or nothing)."""

    FAN_POINTS = "fan_points"


class RewardType(StrEnum):
    """What the fan receives when a reward is delivered."""

    BADGE = "badge"
    PASS = "pass"
    PRIZE_CODE = "prize_code"
    ATVENU = "atvenu"
    BESTRING = "bestring"


class RequirementType(StrEnum):
    """How a reward is triggered; none means manual assignment."""

    POINT_TIER = "point_tier"
    QUESTS = "quests"


class SelectionModel(StrEnum):
    """Whether a reward goes to everyone who qualifies or to the first ``reward_limit``."""

    ALL = "all"
    FIRST = "first"


class AtVenuDeliveryMethod(StrEnum):
    """How an AtVenu promotion reaches the fan."""

    WRISTBAND = "wristband"
    QRCODE = "qrcode"


class PointType(StrEnum):
    """The ``point_type`` of a fan point transaction."""

    POINTS = "points"
    ATVENU = "atvenu"
    BESTRING = "bestring"


class Channel(StrEnum):
    """How the sandbox "sent" a message to a fan."""

    EMAIL = "email"
    SMS = "sms"


class Network(StrEnum):
    """The ``network`` values of Sessions/Connect."""

    GUEST = ""
    REGISTER = "register"
    EMAIL = "email"
    PHONE = "phone"
    VERIFY_SMS = "verify_sms"
    VERIFY_EMAIL = "verify_email"
    SUBMIT_VERIFICATION_CODE = "submit_verification_code"
    PASSWORD = "password"


class FanRewardStatus(StrEnum):
    """Where a delivered reward stands."""

    DELIVERED = "delivered"
    # AtVenu and BestRing promotions are pushed to a wristband or QR code by a partner;
    # the sandbox pretends the push succeeded.
    PUSHED = "pushed"
