"""Reward standing: what the fan holds, what is on its way, what they are working toward.

The provider delivers point-tier and quest-set rewards from a background task, so a fan
can meet a requirement a moment before the reward shows up: that is "on its way", not
"working toward". Held rewards are judged by their own validity (expiry, pass window);
rewards not held by whether they can still be had (expired, sold out, manual only).

A reward tied to a performance is delivered only during that event ("Quests and rewards
can be tied to a specific performance so they only appear during that event's timeframe",
loyalty-portal-integration.txt): its card names the event, is closed once the event is
over, and a requirement met before the event is ``AT_EVENT``, not "on its way".
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from loyalty.rules.inputs import (
    Catalogue,
    FanStanding,
    HeldReward,
    PerformanceWindow,
    RequirementKind,
    RewardRule,
)
from loyalty.rules.quests import is_hidden
from loyalty.rules.tiers import progress_toward


class RewardStanding(enum.StrEnum):
    """Where one reward stands for one fan."""

    HELD = "held"
    EXPIRED = "expired"
    ON_ITS_WAY = "on_its_way"
    AT_EVENT = "at_event"  # requirement met; delivered during its performance, not before
    WORKING_TOWARD = "working_toward"
    SOLD_OUT = "sold_out"
    CLOSED = "closed"
    MANUAL = "manual"


@dataclass(frozen=True)
class RewardProgress:
    """How far the fan is toward a reward's requirement.

    Point-tier rewards fill ``points_to_go``/``tier_name``; quest-set rewards fill the quest
    counts and the titles still missing (hidden or deleted quests are counted, not named).
    """

    fraction: float
    points_to_go: int = 0
    tier_name: str = ""
    quests_done: int = 0
    quests_total: int = 0
    missing_quests: tuple[str, ...] = ()

    @property
    def percent(self) -> int:
        """The fraction as a whole percentage, for a progress bar's value."""
        return int(self.fraction * 100)


class RewardCard(NamedTuple):
    """A reward as the wallet shows it: catalogue entry, the fan's copy, standing, progress.

    ``reward`` is None for a held reward the catalogue no longer lists; ``held`` is None
    for one the fan does not hold. ``not_yet_valid`` marks a held pass before its window.
    ``event`` is the performance a reward not held is tied to, while it can still be had.

    Immutable as the rules' other values, but a named tuple rather than a frozen dataclass:
    the wallet judges every reward of the catalogue on every page, and a frozen dataclass
    takes three times as long to build (a 1,000-reward wallet builds 1,000 of them).
    """

    reward_id: str
    reward: RewardRule | None
    held: HeldReward | None
    standing: RewardStanding
    progress: RewardProgress | None = None
    not_yet_valid: bool = False
    event: PerformanceWindow | None = None


@dataclass(frozen=True)
class Wallet:
    """The fan's rewards in the groups the wallet page shows."""

    held: tuple[RewardCard, ...]
    expired: tuple[RewardCard, ...]
    on_its_way: tuple[RewardCard, ...]
    working_toward: tuple[RewardCard, ...]
    unavailable: tuple[RewardCard, ...]
    manual: tuple[RewardCard, ...]


def held_reward_expired(held: HeldReward, reward: RewardRule | None, *, now: datetime) -> bool:
    """A held reward is expired past its own or its catalogue expiry, or its pass window."""
    expires_at = held.expires_at or (reward.expires_at if reward is not None else None)
    if expires_at is not None and now >= expires_at:
        return True
    return held.valid_until is not None and now >= held.valid_until


def reward_progress(
    reward: RewardRule, *, fan: FanStanding, catalogue: Catalogue
) -> RewardProgress | None:
    """Progress toward an automatic reward's requirement; None for manual ones."""
    if reward.requirement is RequirementKind.POINT_TIER:
        tier = catalogue.tiers_by_id.get(reward.tier_id)
        if tier is None:
            return RewardProgress(fraction=0.0)
        if tier.min_points <= 0 or fan.total_points >= tier.min_points:
            return RewardProgress(fraction=1.0, tier_name=tier.name)
        return RewardProgress(
            fraction=progress_toward(points=fan.total_points, target=tier, tiers=catalogue.tiers),
            points_to_go=tier.min_points - fan.total_points,
            tier_name=tier.name,
        )
    if reward.requirement is RequirementKind.QUESTS:
        required = tuple(dict.fromkeys(reward.required_quest_ids))
        missing = [quest_id for quest_id in required if quest_id not in fan.completed_quest_ids]
        titles = []
        for quest_id in missing:
            quest = catalogue.quests_by_id.get(quest_id)
            if quest is not None and not is_hidden(quest, fan=fan):
                titles.append(quest.title)
        done = len(required) - len(missing)
        return RewardProgress(
            fraction=done / len(required) if required else 1.0,
            quests_done=done,
            quests_total=len(required),
            missing_quests=tuple(titles),
        )
    return None


def reward_card(
    reward: RewardRule | None,
    *,
    held: HeldReward | None,
    fan: FanStanding,
    catalogue: Catalogue,
    now: datetime,
) -> RewardCard:
    """The standing of one reward (catalogue entry, fan's copy, or both) for one fan."""
    if reward is None and held is None:
        raise ValueError("reward_card needs a catalogue reward or a held reward")
    if held is not None:
        return _held_card(reward, held, now=now)
    assert reward is not None
    return _RewardJudge(fan=fan, catalogue=catalogue, now=now).card(reward)


def _held_card(reward: RewardRule | None, held: HeldReward, *, now: datetime) -> RewardCard:
    if held_reward_expired(held, reward, now=now):
        return RewardCard(held.reward_id, reward, held, RewardStanding.EXPIRED)
    not_yet = held.valid_from is not None and now < held.valid_from
    return RewardCard(held.reward_id, reward, held, RewardStanding.HELD, not_yet_valid=not_yet)


_UNKNOWN = object()


class _RewardJudge:
    """The standing of catalogue rewards the fan does not hold, for one fan at one moment.

    A big programme offers hundreds of rewards tied to a handful of tiers: the fan's
    progress toward each tier is worked out once (:class:`RewardProgress` is immutable, so
    cards share it), which keeps a wallet of 1,000 rewards to about a millisecond.
    """

    __slots__ = ("catalogue", "fan", "now", "performances", "tier_progress")

    def __init__(self, *, fan: FanStanding, catalogue: Catalogue, now: datetime) -> None:
        self.fan = fan
        self.catalogue = catalogue
        self.now = now
        self.performances = catalogue.performances_by_id
        self.tier_progress: dict[str, RewardProgress | None] = {}

    def progress(self, reward: RewardRule) -> RewardProgress | None:
        if reward.requirement is not RequirementKind.POINT_TIER:
            return reward_progress(reward, fan=self.fan, catalogue=self.catalogue)
        found = self.tier_progress.get(reward.tier_id, _UNKNOWN)
        if found is _UNKNOWN:
            found = reward_progress(reward, fan=self.fan, catalogue=self.catalogue)
            self.tier_progress[reward.tier_id] = found
        return found  # type: ignore[return-value]

    def card(self, reward: RewardRule) -> RewardCard:
        now = self.now
        reward_id = reward.reward_id
        if reward.expires_at is not None and now >= reward.expires_at:
            return RewardCard(reward_id, reward, None, RewardStanding.CLOSED)
        event = self.performances.get(reward.performance_id) if reward.performance_id else None
        if event is not None and now >= event.ends_at:
            return RewardCard(reward_id, reward, None, RewardStanding.CLOSED)
        progress = self.progress(reward)  # None for a reward given out by hand
        if progress is None:
            standing = RewardStanding.MANUAL
        elif reward.remaining is not None and reward.remaining <= 0:
            standing = RewardStanding.SOLD_OUT
        elif progress.fraction >= 1.0:
            # Requirement met: the provider's background task delivers it shortly, or when
            # the event it is tied to starts.
            if event is not None and now < event.starts_at:
                standing = RewardStanding.AT_EVENT
            else:
                standing = RewardStanding.ON_ITS_WAY
        else:
            standing = RewardStanding.WORKING_TOWARD
        return RewardCard(reward_id, reward, None, standing, progress, False, event)


def reward_wallet(
    rewards: Iterable[RewardRule],
    held: Iterable[HeldReward],
    *,
    fan: FanStanding,
    catalogue: Catalogue,
    now: datetime,
) -> Wallet:
    """Every reward once, grouped for the wallet; linear in rewards + held rewards.

    A fan can hold several copies of a manually assigned reward; each copy is a card.
    Working-toward rewards come closest first (:func:`_closest_first`).
    """
    catalogue_rewards = {reward.reward_id: reward for reward in rewards}
    groups: dict[RewardStanding, list[RewardCard]] = {standing: [] for standing in RewardStanding}
    held_ids: set[str] = set()
    for copy in held:
        held_ids.add(copy.reward_id)
        card = _held_card(catalogue_rewards.get(copy.reward_id), copy, now=now)
        groups[card.standing].append(card)
    judge = _RewardJudge(fan=fan, catalogue=catalogue, now=now)
    for reward_id, reward in catalogue_rewards.items():
        if reward_id in held_ids:
            continue
        card = judge.card(reward)
        groups[card.standing].append(card)
    newest_first = _newest_first
    groups[RewardStanding.HELD].sort(key=newest_first)
    groups[RewardStanding.EXPIRED].sort(key=newest_first)
    # A reward waiting for its event is still to come, not "on its way shortly".
    groups[RewardStanding.WORKING_TOWARD].extend(groups[RewardStanding.AT_EVENT])
    groups[RewardStanding.WORKING_TOWARD].sort(key=_closest_first)
    return Wallet(
        held=tuple(groups[RewardStanding.HELD]),
        expired=tuple(groups[RewardStanding.EXPIRED]),
        on_its_way=tuple(groups[RewardStanding.ON_ITS_WAY]),
        working_toward=tuple(groups[RewardStanding.WORKING_TOWARD]),
        unavailable=tuple(groups[RewardStanding.SOLD_OUT] + groups[RewardStanding.CLOSED]),
        manual=tuple(groups[RewardStanding.MANUAL]),
    )


def _closest_first(card: RewardCard) -> tuple[float, int, int, str]:
    """Most of the way there first; on a tie, the one that needs the least.

    A fan below the first tier is 0% toward Bronze, Silver and Gold alike; ordering by the
    points still to go then lists them Bronze, Silver, Gold, never by id (Gold first).
    """
    progress = card.progress
    if progress is None:
        return (0.0, 0, 0, card.reward_id)
    quests_to_go = progress.quests_total - progress.quests_done
    return (-progress.fraction, progress.points_to_go, quests_to_go, card.reward_id)


def _newest_first(card: RewardCard) -> tuple[float, str]:
    delivered = card.held.delivered_at if card.held is not None else None
    return (-(delivered.timestamp()) if delivered is not None else 0.0, card.reward_id)


def rewards_since(held: Iterable[HeldReward], *, since: datetime | None) -> list[HeldReward]:
    """Rewards delivered after ``since`` (all dated ones when the fan never looked)."""
    return [
        copy
        for copy in held
        if copy.delivered_at is not None and (since is None or copy.delivered_at > since)
    ]
