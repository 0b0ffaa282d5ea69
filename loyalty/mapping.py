"""API models to the rules' inputs: pure functions, no Django, no settings.

The API gives some moments as bare dates (a quest's start and end, a performance's day) and
some as times without a zone. Both are read in the event's time zone, which the caller
passes as ``zone`` (the selectors pass ``EVENT_TIMEZONE``), so these stay plain functions
of their arguments that the rules' tests and scripts can call as they are.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import zoneinfo
from collections.abc import Iterable

from loyalty import rules
from tbits_client import FanPoint, FanReward, Performance, Quest, Reward, Tier

logger = logging.getLogger(__name__)


def zone_named(name: str | None) -> dt.tzinfo:
    """The zone called ``name``; UTC when it is empty or no zone has that name."""
    if name:
        with contextlib.suppress(zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo(name)
    return dt.UTC


def aware(
    value: dt.datetime | None, *, zone: dt.tzinfo, own_zone: str | None = None
) -> dt.datetime | None:
    """``value`` with a zone: its own, else ``own_zone`` (a name the API gave) if it names
    one, else ``zone``."""
    if value is None or value.utcoffset() is not None:
        return value
    if own_zone:
        with contextlib.suppress(zoneinfo.ZoneInfoNotFoundError, ValueError):
            return value.replace(tzinfo=zoneinfo.ZoneInfo(own_zone))
    return value.replace(tzinfo=zone)


def day_start(day: dt.date | None, *, zone: dt.tzinfo) -> dt.datetime | None:
    """Midnight at the start of ``day`` in ``zone``."""
    if day is None:
        return None
    return dt.datetime.combine(day, dt.time.min, tzinfo=zone)


def day_after(day: dt.date | None, *, zone: dt.tzinfo) -> dt.datetime | None:
    """Midnight at the end of ``day``: end dates are inclusive, open all of their last day."""
    return day_start(day + dt.timedelta(days=1), zone=zone) if day is not None else None


def tier_rule(tier: Tier) -> rules.TierRule:
    """A tier as the rules see it."""
    return rules.TierRule(
        tier_id=tier.point_tier_uid, name=tier.tier_name, min_points=tier.min_points
    )


def quest_rule(quest: Quest, *, zone: dt.tzinfo) -> rules.QuestRule:
    """A quest as the rules see it; an unknown restriction kind locks nothing but is logged."""
    restriction: rules.Restriction | None = None
    kind = str(quest.access_restriction_type or "")
    if kind:
        try:
            restriction_kind = rules.RestrictionKind(kind)
        except ValueError:
            logger.warning("Quest %s has unknown restriction %r", quest.page_tab_id, kind)
        else:
            restriction = rules.Restriction(
                kind=restriction_kind,
                points_required=quest.fan_points_required or 0,
                tier_id=quest.point_tier_uid or "",
                required_quest_ids=tuple(quest.required_page_tab_ids),
                tag=quest.tag_name or "",
            )
    return rules.QuestRule(
        quest_id=quest.page_tab_id,
        title=quest.quest_title,
        points_reward=quest.fan_points_reward or 0,
        quest_type=str(quest.quest_type),
        restriction=restriction,
        opens_at=day_start(quest.start_date, zone=zone),
        closes_at=day_after(quest.end_date, zone=zone),
        performance_id=quest.performance_uid or "",
    )


def uses_tags(quests: Iterable[Quest]) -> bool:
    """Whether any quest is tag-restricted (only then is the fan record worth a call)."""
    return any(str(quest.access_restriction_type or "") == "tag" for quest in quests)


def performance_window(
    performance: Performance, *, zone: dt.tzinfo
) -> rules.PerformanceWindow | None:
    """When a performance is on: its own start/end when given, else its whole day."""
    starts = _extra_time(performance.extra.get("start_timestamp"), zone=zone)
    ends = _extra_time(performance.extra.get("end_timestamp"), zone=zone)
    if starts is None:
        starts = day_start(performance.performance_date, zone=zone)
    if ends is None:
        ends = day_after(performance.performance_date, zone=zone)
    if starts is None or ends is None:
        return None
    return rules.PerformanceWindow(
        performance_id=performance.performance_uid,
        name=performance.performance_name or "",
        starts_at=starts,
        ends_at=ends,
    )


def _extra_time(value: object, *, zone: dt.tzinfo) -> dt.datetime | None:
    # Optional enhancement fields (docs/endpoints.md): anything unreadable is as if absent.
    if not isinstance(value, str) or not value:
        return None
    try:
        return aware(dt.datetime.fromisoformat(value.replace("Z", "+00:00")), zone=zone)
    except ValueError:
        return None


def catalogue(
    *,
    tiers: Iterable[Tier],
    quests: Iterable[Quest],
    performances: Iterable[Performance],
    zone: dt.tzinfo,
) -> rules.Catalogue:
    """The rules' view of a business's tiers, quests and performances."""
    windows = (performance_window(p, zone=zone) for p in performances)
    return rules.Catalogue(
        tiers=tuple(tier_rule(tier) for tier in tiers),
        quests=tuple(quest_rule(quest, zone=zone) for quest in quests),
        performances=tuple(window for window in windows if window is not None),
    )


def reward_rule(reward: Reward, *, zone: dt.tzinfo) -> rules.RewardRule:
    """A catalogue reward as the rules see it; ``remaining`` only when the API tells."""
    requirement = {
        "point_tier": rules.RequirementKind.POINT_TIER,
        "quests": rules.RequirementKind.QUESTS,
    }.get(str(reward.requirement_type or ""), rules.RequirementKind.MANUAL)
    remaining: int | None = None
    if str(reward.winner_selection_model or "") == "first" and reward.reward_limit is not None:
        delivered = reward.extra.get("delivered_count")
        if isinstance(delivered, int):
            remaining = max(reward.reward_limit - delivered, 0)
        elif isinstance(reward.extra.get("remaining"), int):
            remaining = reward.extra["remaining"]
    return rules.RewardRule(
        reward_id=reward.reward_uid,
        title=reward.reward_title,
        reward_type=str(reward.reward_type),
        requirement=requirement,
        tier_id=reward.point_tier_uid or "",
        required_quest_ids=tuple(reward.required_page_tab_ids),
        expires_at=aware(reward.expiration_timestamp, zone=zone, own_zone=reward.timezone),
        remaining=remaining,
        performance_id=reward.performance_uid or "",
    )


def held_reward(fan_reward: FanReward, *, zone: dt.tzinfo, key: str = "") -> rules.HeldReward:
    """A reward the fan holds as the rules see it; ``key`` finds the API's copy again."""
    return rules.HeldReward(
        key=key,
        reward_id=fan_reward.reward_uid,
        delivered_at=aware(
            fan_reward.delivered_timestamp or fan_reward.creation_timestamp, zone=zone
        ),
        expires_at=aware(fan_reward.expiration_timestamp, zone=zone),
        valid_from=aware(fan_reward.access_start_timestamp, zone=zone),
        valid_until=aware(fan_reward.access_end_timestamp, zone=zone),
    )


def balance(rows: Iterable[FanPoint], *, point_uid: str | None, point_name: str | None) -> int:
    """The fan's total in the business's currency: the sum of its rows.

    The API may answer balances or transactions; summing the rows of the right point type
    is correct for both. Rows that name no point type count toward it.
    """
    total = 0
    for row in rows:
        if point_uid and row.point_uid and row.point_uid != point_uid:
            continue
        if not row.point_uid and point_name and row.point_name and row.point_name != point_name:
            continue
        total += row.point_count
    return total
