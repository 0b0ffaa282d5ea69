"""What the emulated provider stores: accounts, fans, sessions, loyalty setup and history.

Identifiers follow the API: integer ``account_id``, ``business_id``, ``fan_id``,
``page_tab_id`` and ``activity_id``; UUIDs for everything else. Every row hangs off an
account, so one sandbox can hold several accounts without them seeing each other.

The models live in one module per concern (``account``, ``fans``, ``loyalty``, ``trackers``);
this package re-exports them all, so ``from tbits_sandbox.models import Quest`` keeps working.
"""

from tbits_sandbox.models.account import (
    Account,
    Business,
    Idol,
    IdolEvent,
    MediaAsset,
    Performance,
    PointTypeRecord,
    Tier,
)
from tbits_sandbox.models.fans import (
    Fan,
    FanSession,
    OAuthCode,
    OutboxMessage,
    ThrottleHit,
    VerificationRequest,
)
from tbits_sandbox.models.loyalty import (
    FanActivity,
    FanPoint,
    FanRegistration,
    FanReward,
    PrizeCode,
    Quest,
    Reward,
)
from tbits_sandbox.models.trackers import Tracker, TrackerEvent

__all__ = [
    "Account",
    "Business",
    "Fan",
    "FanActivity",
    "FanPoint",
    "FanRegistration",
    "FanReward",
    "FanSession",
    "Idol",
    "IdolEvent",
    "MediaAsset",
    "OAuthCode",
    "OutboxMessage",
    "Performance",
    "PointTypeRecord",
    "PrizeCode",
    "Quest",
    "Reward",
    "ThrottleHit",
    "Tier",
    "Tracker",
    "TrackerEvent",
    "VerificationRequest",
]
