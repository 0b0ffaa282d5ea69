"""Reward delivery, automatic and manual, with the documented rules.

- Automatic rewards (requirement ``point_tier`` or ``quests``) go only to fans with at least
  one activity associated with the reward's business: "The background reward system only
  considers fans who have at least one activity record associated with the business"
  (loyalty-portal-integration.txt, "Fan Activities"). An activity without a business counts
  for none.
- A fan never receives the same reward twice: a unique constraint, not a read, decides.
- A reward with a ``reward_limit`` (required for ``winner_selection_model=first``, optional
  for ``all``) goes to at most that many fans: a slot is claimed with one conditional
  UPDATE, which the database applies atomically even when several processes deliver at
  once. The background task hands rewards out in the order fans qualified.
- Each code of a limited (``is_limited``, single-use) prize code pool is drawn at most once,
  also by a conditional UPDATE; an unlimited pool hands its codes out again when spent.
- Expired rewards are not delivered.
- A reward tied to a performance is delivered, automatically or by hand, only during that
  performance: "Quests and rewards can be tied to a specific performance so they only
  appear during that event's timeframe" (loyalty-portal-integration.txt, Key Concepts).
  The docs give a performance only its ``performance_date``, so its timeframe is that day
  as wide as any zone makes it (:mod:`tbits_sandbox.days`): a fan at the event is never
  refused for the event's zone.
"""

from __future__ import annotations

import secrets
import string
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from tbits_sandbox import days, ledger
from tbits_sandbox.models import (
    Fan,
    FanActivity,
    FanPoint,
    FanReward,
    OutboxMessage,
    PrizeCode,
    Reward,
)
from tbits_sandbox.vocabulary import (
    Channel,
    FanRewardStatus,
    PointType,
    RequirementType,
    RewardType,
)

PASS_CODE_ALPHABET = string.ascii_uppercase + string.digits
PASS_CODE_LENGTH = 8  # the documented Event Pass code: "8 digit alphanumeric code"


class NotDeliverable(Exception):
    """Why a reward cannot go to a fan now (sold out, pool empty, expired, already held)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Outcome:
    """The result of one delivery attempt."""

    fan_reward: FanReward
    created: bool


def is_expired(reward: Reward) -> bool:
    """Whether the reward's expiration has passed."""
    return reward.expiration_timestamp <= timezone.now()


def outside_performance(reward: Reward, *, now: datetime) -> bool:
    """Whether ``now`` is outside the timeframe of the performance the reward is tied to."""
    performance = reward.performance
    return performance is not None and not days.within_day(now, performance.performance_date)


def qualified_at(reward: Reward, fan: Fan) -> datetime | None:
    """When the fan came to meet the reward's automatic requirement; None if they do not.

    This is the order in which first-N rewards go out, so that a batch run by the
    background task hands them to the first fans to qualify, not to the lowest fan ids.
    """
    if reward.requirement_type == RequirementType.POINT_TIER:
        tier = reward.point_tier
        if tier is None:
            return None
        return ledger.reached_since(fan=fan, point_type=tier.point_type, points=tier.min_points)
    if reward.requirement_type == RequirementType.QUESTS:
        required = {int(page_tab_id) for page_tab_id in reward.required_page_tab_ids}
        return ledger.all_completed_at(fan=fan, business=reward.business, page_tab_ids=required)
    return None


def has_activity(reward: Reward, fan: Fan) -> bool:
    """Whether the fan has an activity associated with the reward's business."""
    return FanActivity.objects.filter(business=reward.business, fan=fan).exists()


def _draw_prize_code(reward: Reward, fan_reward: FanReward) -> str:
    """A code of the pool for this delivery, or NotDeliverable when the pool is spent.

    The reference calls ``is_limited`` the prize code's "single-use flag": a limited code
    goes to one fan only; an unlimited one may be handed out again once every code has
    been handed out at least once.
    """
    while True:
        candidate = (
            PrizeCode.objects.filter(reward=reward, fan_reward__isnull=True)
            .values_list("pk", flat=True)
            .first()
        )
        if candidate is None:
            if not reward.is_limited:
                return _reused_prize_code(reward)
            raise NotDeliverable("The prize code pool of this reward is empty.")
        # Conditional: if another delivery took this code first, try the next one.
        if PrizeCode.objects.filter(pk=candidate, fan_reward__isnull=True).update(
            fan_reward=fan_reward
        ):
            return PrizeCode.objects.values_list("code", flat=True).get(pk=candidate)


def _reused_prize_code(reward: Reward) -> str:
    """The unlimited pool's code handed out least often (the earliest loaded on a tie)."""
    codes = list(PrizeCode.objects.filter(reward=reward).values_list("code", flat=True))
    if not codes:
        raise NotDeliverable("The prize code pool of this reward is empty.")
    handed = Counter(
        FanReward.objects.filter(reward=reward)
        .exclude(prize_code="")
        .values_list("prize_code", flat=True)
    )
    return min(codes, key=lambda code: handed[code])


def _notify(reward: Reward, fan: Fan) -> None:
    text = f"You have received a reward: {reward.reward_title}."
    if fan.email:
        OutboxMessage.objects.create(channel=Channel.EMAIL, to=fan.email, message=text)
    elif fan.phone:
        OutboxMessage.objects.create(channel=Channel.SMS, to=fan.phone, message=text)


def deliver(reward: Reward, fan: Fan, *, source: str) -> Outcome:
    """Give the reward to the fan once, or raise NotDeliverable saying why not.

    A fan who already holds the reward gets the existing delivery back (``created`` False).
    """
    held = FanReward.objects.filter(reward=reward, fan=fan).first()
    if held is not None:
        return Outcome(held, created=False)
    if is_expired(reward):
        raise NotDeliverable("This reward has expired.")
    if outside_performance(reward, now=timezone.now()):
        raise NotDeliverable(
            "This reward is tied to a performance: it is delivered only on the day of it."
        )
    try:
        with transaction.atomic():
            fan_reward = FanReward.objects.create(
                reward=reward,
                fan=fan,
                delivery_source=source,
                status=(
                    FanRewardStatus.PUSHED
                    if reward.reward_type in {RewardType.ATVENU, RewardType.BESTRING}
                    else FanRewardStatus.DELIVERED
                ),
            )
            slots = Reward.objects.filter(pk=reward.pk)
            if reward.reward_limit is not None:
                # "an optional limit on how many fans can receive it", on every reward:
                # first requires it, and all honours it when given.
                slots = slots.filter(delivered_count__lt=F("reward_limit"))
            if not slots.update(delivered_count=F("delivered_count") + 1):
                raise NotDeliverable("This reward has been claimed by its first recipients.")
            if reward.reward_type == RewardType.PRIZE_CODE:
                fan_reward.prize_code = _draw_prize_code(reward, fan_reward)
            if reward.reward_type == RewardType.PASS:
                fan_reward.pass_code = "".join(
                    secrets.choice(PASS_CODE_ALPHABET) for _ in range(PASS_CODE_LENGTH)
                )
            fan_reward.save(update_fields=["prize_code", "pass_code"])
            point_type = reward.business.point_type
            if point_type is not None:
                # A reward delivery is a (zero-point) fan point transaction, per the docs.
                FanPoint.objects.create(
                    fan=fan,
                    point_type_record=point_type,
                    point_count=0,
                    point_type=(
                        reward.reward_type
                        if reward.reward_type in {RewardType.ATVENU, RewardType.BESTRING}
                        else PointType.POINTS
                    ),
                    point_source="reward",
                    reward_uid=reward.reward_uid,
                    performance_uid=reward.performance_id,
                )
            _notify(reward, fan)
    except IntegrityError:
        # A concurrent delivery of the same reward to the same fan won the race.
        return Outcome(FanReward.objects.get(reward=reward, fan=fan), created=False)
    return Outcome(fan_reward, created=True)


def process_rewards(
    *, account_id: int | None = None, fan_ids: Iterable[int] | None = None
) -> list[FanReward]:
    """Deliver every automatic reward now due; what the provider's background task does."""
    rewards = Reward.objects.select_related(
        "business", "point_tier__point_type", "performance"
    ).filter(
        requirement_type__in=[RequirementType.POINT_TIER, RequirementType.QUESTS],
        expiration_timestamp__gt=timezone.now(),
    )
    if account_id is not None:
        rewards = rewards.filter(business__account_id=account_id)
    wanted = None if fan_ids is None else list(fan_ids)
    delivered: list[FanReward] = []
    for reward in rewards.order_by("creation_timestamp", "reward_title"):
        # An Exists, not a join: a fan without any activity must not slip through as the
        # NULL business of a missing row.
        active = FanActivity.objects.filter(business=reward.business, fan=OuterRef("pk"))
        fans = (
            Fan.objects.filter(Exists(active), account_id=reward.business.account_id)
            .exclude(rewards__reward=reward)
            .order_by("fan_id")
        )
        if wanted is not None:
            fans = fans.filter(fan_id__in=wanted)
        moments = {fan: qualified_at(reward, fan) for fan in fans}
        qualified = sorted(
            (fan for fan, moment in moments.items() if moment is not None),
            key=lambda fan: (moments[fan], fan.fan_id),
        )
        for fan in qualified:
            try:
                outcome = deliver(reward, fan, source="automatic")
            except NotDeliverable:
                break  # sold out, pool empty: nobody else can get it either
            if outcome.created:
                delivered.append(outcome.fan_reward)
    return delivered
