"""Reads: what a portal page needs from the API, fetched once and mapped to rule inputs.

Three caches, each with one job. Business-wide data (the business and its branding, point
type, tiers, quests, rewards, performances, leaderboard) goes through the shared
stale-while-revalidate cache (:mod:`.business`). A fan's own data (balance, completions,
rewards, tags) is kept briefly per fan and, whatever of it is missing, fetched in one round
trip (:mod:`.fan`). Everything a page asks for during one request is memoised on the
request (:mod:`.memo`), so nothing is fetched twice for one page; :mod:`.state` combines
them into what the rules decide for the page, and :mod:`.batch` makes the calls of a cold
page together. API models become rule inputs in :mod:`loyalty.mapping`.
"""

from __future__ import annotations

from loyalty.mapping import balance, tier_rule
from loyalty.selectors.business import (
    BUSINESS_SESSION_KEY,
    LEADERBOARD_SCAN,
    BusinessNotFound,
    BusinessSnapshot,
    business_snapshot,
    cached_business_snapshot,
    event_timezone,
    leaderboard,
    list_businesses,
    reward_rule,
    selected_business_id,
)
from loyalty.selectors.fan import (
    HISTORY_DAYS,
    HISTORY_SIZE,
    FanSnapshot,
    fan_snapshot,
    fan_tags_key,
    forget_fan,
    held_reward,
    points_history,
)
from loyalty.selectors.memo import reset_request_memo
from loyalty.selectors.state import PortalState, portal_state
from tbits_client import RewardType

__all__ = [
    "BUSINESS_SESSION_KEY",
    "HISTORY_DAYS",
    "HISTORY_SIZE",
    "LEADERBOARD_SCAN",
    "BusinessNotFound",
    "BusinessSnapshot",
    "FanSnapshot",
    "PortalState",
    "RewardType",
    "balance",
    "business_snapshot",
    "cached_business_snapshot",
    "event_timezone",
    "fan_snapshot",
    "fan_tags_key",
    "forget_fan",
    "held_reward",
    "leaderboard",
    "list_businesses",
    "points_history",
    "portal_state",
    "reset_request_memo",
    "reward_rule",
    "selected_business_id",
    "tier_rule",
]
