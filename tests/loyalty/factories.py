"""Small builders for rule inputs, so tests read as the scenario they describe."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from loyalty.rules import (
    Catalogue,
    PerformanceWindow,
    QuestRule,
    Restriction,
    RestrictionKind,
    TierRule,
)

NOW = datetime(2026, 6, 13, 20, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)

BRONZE = TierRule("t-bronze", "Bronze", 100)
SILVER = TierRule("t-silver", "Silver", 500)
GOLD = TierRule("t-gold", "Gold", 1500)
TIERS = (BRONZE, SILVER, GOLD)


def quest(quest_id: int, title: str = "", *, points: int = 10, **fields: object) -> QuestRule:
    """A quest with sensible defaults; ``fields`` override any QuestRule field."""
    return QuestRule(
        quest_id=quest_id, title=title or f"Quest {quest_id}", points_reward=points, **fields
    )  # type: ignore[arg-type]


def needs_points(points: int) -> Restriction:
    return Restriction(kind=RestrictionKind.FAN_POINTS, points_required=points)


def needs_tier(tier: TierRule | str) -> Restriction:
    tier_id = tier if isinstance(tier, str) else tier.tier_id
    return Restriction(kind=RestrictionKind.POINT_TIER, tier_id=tier_id)


def needs_quests(*quest_ids: int) -> Restriction:
    return Restriction(kind=RestrictionKind.QUESTS, required_quest_ids=quest_ids)


def needs_tag(tag: str) -> Restriction:
    return Restriction(kind=RestrictionKind.TAG, tag=tag)


def show(
    performance_id: str = "perf-1", *, start: datetime = NOW - HOUR, hours: int = 4
) -> PerformanceWindow:
    return PerformanceWindow(
        performance_id=performance_id,
        name=f"Show {performance_id}",
        starts_at=start,
        ends_at=start + hours * HOUR,
    )


def catalogue(*quests: QuestRule, performances: tuple[PerformanceWindow, ...] = ()) -> Catalogue:
    return Catalogue(tiers=TIERS, quests=tuple(quests), performances=performances)
