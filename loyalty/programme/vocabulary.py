"""The API's words a setup file may use, re-declared here so validation stays pure.

Validation and planning import neither Django nor ``tbits_client`` (they run on plain data
and are tested without a server), so the documented values of the quest and reward
creation tables live here too. A value the provider adds later is one line to add.
"""

from __future__ import annotations

import enum

# The documented cap of every point count (fan_points_reward, "max 10,000,000"); the
# sandbox applies it to every count, and so do we.
MAX_POINTS = 10_000_000
TITLE_MAX = 128  # quest_title ("max 128 chars"); reward titles share the column size
BUTTON_MAX = 32  # button_text ("max 32 chars")
SITE_MAX = 128  # site_name ("max 128 chars")
NAME_MAX = 128  # point, tier and tag names
KEY_MAX = 128  # partner keys (AtVenu, BestRing) and each prize code


class QuestType(enum.StrEnum):
    """What the fan does to complete a quest."""

    CAMPAIGN = "campaign"
    QUICKPICKS = "quickpicks"
    LINK_URL = "link_url"
    SCAN = "scan"
    WRISTBAND = "wristband"
    CUSTOM = "custom"


class QuestRewardType(enum.StrEnum):
    """What completing a quest gives: points, or (``none``) nothing."""

    FAN_POINTS = "fan_points"
    NONE = "none"


class RestrictionType(enum.StrEnum):
    """What locks a quest until the fan meets it (a tag hides it instead)."""

    FAN_POINTS = "fan_points"
    POINT_TIER = "point_tier"
    QUESTS = "quests"
    TAG = "tag"


class RewardType(enum.StrEnum):
    """What the fan receives."""

    BADGE = "badge"
    PASS = "pass"
    PRIZE_CODE = "prize_code"
    ATVENU = "atvenu"
    BESTRING = "bestring"


class RequirementType(enum.StrEnum):
    """How a reward is earned; ``none`` means it is assigned by hand."""

    POINT_TIER = "point_tier"
    QUESTS = "quests"
    NONE = "none"


class SelectionModel(enum.StrEnum):
    """``all``: every qualifying fan; ``first``: the first ``reward_limit`` fans."""

    ALL = "all"
    FIRST = "first"


class AtvenuDeliveryMethod(enum.StrEnum):
    """Where an AtVenu promotion is pushed."""

    WRISTBAND = "wristband"
    QRCODE = "qrcode"


# Quest types that only make sense at an event: the API requires a performance for them.
EVENT_QUEST_TYPES = frozenset({QuestType.SCAN, QuestType.WRISTBAND})
# Quest types that point at a Tradable Bits campaign (target_page_tab_id).
CAMPAIGN_QUEST_TYPES = frozenset({QuestType.CAMPAIGN, QuestType.QUICKPICKS})
# Reward types pushed through a partner at an event: the API requires a performance.
EVENT_REWARD_TYPES = frozenset({RewardType.ATVENU, RewardType.BESTRING})
