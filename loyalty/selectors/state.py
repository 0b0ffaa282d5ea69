"""A page's view of the business and the fan: what the rules decide, computed once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from django.http import HttpRequest
from django.utils import timezone

from loyalty import rules
from loyalty.selectors.batch import answers
from loyalty.selectors.business import BusinessSnapshot, business_snapshot, business_sources
from loyalty.selectors.fan import FanSnapshot, fan_snapshot, fan_sources, held_reward
from loyalty.selectors.memo import memoised, request_memo
from tbits_client import Performance, Quest, Reward


@dataclass(frozen=True)
class PortalState:
    """A page's view of the business and the fan, with the rules' inputs built once."""

    business: BusinessSnapshot
    fan: FanSnapshot
    now: dt.datetime
    degraded: bool

    @property
    def catalogue(self) -> rules.Catalogue:
        return self.business.catalogue

    @cached_property
    def standing(self) -> rules.FanStanding:
        return rules.FanStanding.of(
            total_points=self.fan.points, completed=self.fan.completed, tags=self.fan.tags
        )

    @property
    def quests_by_id(self) -> Mapping[int, Quest]:
        return self.business.quests_by_id

    @property
    def rewards_by_id(self) -> Mapping[str, Reward]:
        return self.business.rewards_by_id

    @property
    def performances_by_id(self) -> Mapping[str, Performance]:
        return self.business.performances_by_id

    @cached_property
    def cards(self) -> list[rules.QuestCard]:
        return rules.quest_cards(
            self.catalogue.quests, fan=self.standing, catalogue=self.catalogue, now=self.now
        )

    @cached_property
    def board(self) -> rules.QuestBoard:
        return rules.quest_board(self.cards, catalogue=self.catalogue, now=self.now)

    @cached_property
    def progress(self) -> rules.TierProgress:
        return rules.tier_progress(points=self.fan.points, tiers=self.catalogue.tiers)

    @cached_property
    def wallet(self) -> rules.Wallet:
        if self.fan.rewards is None:
            raise ValueError("The fan's rewards were not read: use portal_state(with_rewards=True)")
        return rules.reward_wallet(
            self.business.reward_rules,
            (held_reward(copy, key=str(i)) for i, copy in enumerate(self.fan.rewards)),
            fan=self.standing,
            catalogue=self.catalogue,
            now=self.now,
        )

    def card_for(self, quest_id: int) -> rules.QuestCard | None:
        """The card of one quest, or None when the business has no such quest."""
        return next((card for card in self.cards if card.quest.quest_id == quest_id), None)


def portal_state(request: HttpRequest, *, with_rewards: bool = True) -> PortalState:
    """Business and fan data for this request, fetched at most once.

    ``with_rewards=False`` leaves out the rewards the fan holds (``state.fan.rewards`` is
    None, ``state.wallet`` unavailable): for pages that show none, which then make no call
    they do not use.
    """
    memo = request_memo(request)
    if not with_rewards and "state+rewards" in memo:
        return memo["state+rewards"]

    def compute() -> PortalState:
        # The business's calls and the fan's, together: on a cold cache only the tiers (the
        # business's point type) and the fan's tags (whether a quest is tag-restricted)
        # wait for an answer, so the page is two round trips rather than three.
        answers(request).prefetch(
            [*business_sources(request), *fan_sources(request, with_rewards=with_rewards)]
        )
        business = business_snapshot(request)
        fan = fan_snapshot(request, with_rewards=with_rewards)
        return PortalState(
            business=business.value,
            fan=fan.value,
            now=timezone.now(),
            degraded=business.degraded or fan.degraded,
        )

    return memoised(request, "state+rewards" if with_rewards else "state", compute)
