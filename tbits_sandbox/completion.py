"""Completing a quest: the one write that moves a fan forward."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from tbits_sandbox import delivery
from tbits_sandbox.models import Fan, FanActivity, FanPoint, Quest
from tbits_sandbox.vocabulary import PointType, QuestRewardType


@dataclass(frozen=True)
class Completion:
    """What completing a quest did."""

    activity: FanActivity
    created: bool
    points_awarded: int
    fan_point: FanPoint | None


def complete_quest(*, quest: Quest, fan: Fan, ip_address: str | None) -> Completion:
    """Record the completion once; a repeat answers the first activity and awards nothing.

    The unique constraint on (fan, business, page_tab_id) is what makes this idempotent
    even when two requests race; automatic rewards are then delivered to this fan.
    """
    existing = FanActivity.objects.filter(
        fan=fan, business=quest.business, page_tab_id=quest.page_tab_id
    ).first()
    if existing is not None:
        return Completion(existing, created=False, points_awarded=0, fan_point=None)
    try:
        with transaction.atomic():
            activity = FanActivity.objects.create(
                account_id=fan.account_id,
                business=quest.business,
                fan=fan,
                quest=quest,
                page_tab_id=quest.page_tab_id,
                campaign_title=quest.quest_title,
                ip_address=ip_address,
                props={"quest_type": quest.quest_type},
            )
            fan_point = None
            point_type = quest.point_type or quest.business.point_type
            awarded = 0
            if (
                quest.reward_type == QuestRewardType.FAN_POINTS
                and quest.fan_points_reward
                and point_type is not None
            ):
                awarded = quest.fan_points_reward
                fan_point = FanPoint.objects.create(
                    fan=fan,
                    point_type_record=point_type,
                    point_count=awarded,
                    point_type=PointType.POINTS,
                    point_source="quest",
                    page_tab_id=quest.page_tab_id,
                    activity_id=activity.activity_id,
                    performance_uid=quest.performance_id,
                    ip_address=ip_address,
                )
    except IntegrityError:
        # Another request completed it between our read and our insert.
        existing = FanActivity.objects.get(
            fan=fan, business=quest.business, page_tab_id=quest.page_tab_id
        )
        return Completion(existing, created=False, points_awarded=0, fan_point=None)
    delivery.process_rewards(account_id=fan.account_id, fan_ids=[fan.fan_id])
    return Completion(activity, created=True, points_awarded=awarded, fan_point=fan_point)
