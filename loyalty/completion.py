"""Completing a quest for the fan, and telling them what it earned.

Every completion goes through :func:`complete_quest`, which checks the quest is the fan's
to complete now and in this way (status, window, kind), records it once even when a form
is submitted twice, refreshes the fan's cached data and phrases what changed: the points
earned, a tier reached, rewards received or on their way. When the API refuses the
completion it says why (:mod:`loyalty.refusals`); any other API error propagates to the
accounts middleware, which answers with the login redirect, the 429 or the 503 page.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest

from accounts.api import get_client
from accounts.app_settings import app_settings
from loyalty import rules, selectors, wording
from loyalty.adapter import get_adapter
from loyalty.refusals import REFUSALS, refusal_reason, refusal_text
from tbits_client import Quest, TbitsError

logger = logging.getLogger(__name__)

_LOCK_SECONDS = 30


class Outcome(enum.StrEnum):
    """What became of a completion attempt."""

    COMPLETED = "completed"
    ALREADY_DONE = "already_done"
    IN_PROGRESS = "in_progress"
    NOT_AVAILABLE = "not_available"
    NOT_FOUND = "not_found"
    REFUSED = "refused"


@dataclass(frozen=True)
class Completion:
    """The result of a completion attempt and the sentence to show the fan."""

    outcome: Outcome
    message: str
    points_earned: int = 0
    tier_reached: str = ""
    rewards: tuple[str, ...] = ()
    quest: Quest | None = None

    @property
    def ok(self) -> bool:
        """Whether the quest is now completed (by this attempt or an earlier one)."""
        return self.outcome in (Outcome.COMPLETED, Outcome.ALREADY_DONE, Outcome.IN_PROGRESS)


def completes_by(card: rules.QuestCard, action: rules.QuestAction) -> bool:
    """Whether ``action`` (a view: the button, the link visit, the scan...) completes it."""
    kind = card.quest.kind
    rule = rules.QUEST_KINDS.get(kind) if kind is not None else None
    return rule is not None and rule.completed_here and rule.action is action


def complete_quest(
    request: HttpRequest,
    *,
    quest_id: int,
    action: rules.QuestAction,
    before_complete: Callable[[], None] | None = None,
    vetted: bool = False,
) -> Completion:
    """Complete ``quest_id`` for ``request.fan`` if it is theirs to complete now.

    ``action`` is the way this entry point completes quests: only quests whose kind does
    that action are completed (the custom button may not complete a scan quest).
    ``before_complete`` runs inside the double-submit lock, just before the API call (the
    wristband registration). A second submit while the first is running, or after it,
    does not complete twice: the API is idempotent and a short cache lock keeps the
    message from being shown twice.

    A custom quest is first put to the site's adapter (unless ``vetted``: the caller saw
    the fan do what it asks, e.g. save the profile)
    (:meth:`~loyalty.adapter.DefaultLoyaltyAdapter.may_complete_custom_quest`); when it
    refuses, the outcome is ``REFUSED`` with its sentence and no call is made.

    A refusal by the API (400/404: the quest ended or is locked upstream, the number was
    not accepted) is an outcome, ``REFUSED``, with the reason in plain words; an expired
    session, a rate limit or an outage still raises, for the error pages.
    """
    adapter = get_adapter()
    # The rewards the fan holds are not needed (see _new_rewards): no call for them.
    state = selectors.portal_state(request, with_rewards=False)
    quest = state.quests_by_id.get(quest_id)
    card = state.card_for(quest_id)
    if quest is None or card is None or card.status.state is rules.QuestState.HIDDEN:
        return Completion(Outcome.NOT_FOUND, adapter.message("quest_not_available"))
    if card.status.state is rules.QuestState.COMPLETED:
        return Completion(Outcome.ALREADY_DONE, adapter.message("already_completed"), quest=quest)
    if not completes_by(card, action):
        return Completion(
            Outcome.NOT_AVAILABLE, adapter.message("completed_another_way"), quest=quest
        )
    if not card.status.actionable:
        return Completion(Outcome.NOT_AVAILABLE, wording.unavailable_text(card), quest=quest)
    if card.quest.kind is rules.QuestKind.CUSTOM and not vetted:
        # The site's say, before any call: a custom quest is "completed through an API
        # call from your app", so the app decides whether the fan did what it asks.
        refused = adapter.may_complete_custom_quest(request, quest)
        if refused is not None:
            return Completion(Outcome.REFUSED, str(refused), quest=quest)

    fan = request.fan  # type: ignore[attr-defined]
    business_id = selectors.selected_business_id(request)
    lock_key = f"tbits_loyalty:v1:completing:{business_id}:{fan.fan_id}:{quest_id}"
    cache = app_settings.cache()
    if not cache.add(lock_key, 1, _LOCK_SECONDS):
        return Completion(
            Outcome.IN_PROGRESS, adapter.message("completion_in_progress"), quest=quest
        )
    try:
        if before_complete is not None:
            before_complete()
        get_client().complete_quest(business_id, quest_id, fan.fan_id)
    except REFUSALS as error:
        # Refused, not failed: nothing was recorded, and the fan's cached data still says
        # what is true, so it is kept (dropping it would lose the copy served when the API
        # is down). The lock goes, so a corrected wristband number can be sent at once.
        cache.delete(lock_key)
        logger.warning("Quest %s: the API refused the completion: %s", quest_id, error)
        return Completion(Outcome.REFUSED, refusal_text(refusal_reason(error)), quest=quest)
    except Exception:
        # Let the fan try again at once rather than wait for the lock to expire.
        cache.delete(lock_key)
        raise
    selectors.forget_fan(request)
    selectors.reset_request_memo(request)
    try:
        after = selectors.portal_state(request, with_rewards=False)
    except TbitsError as error:
        # The API accepted the completion: that is what the fan must read, whatever the
        # re-read does. Said from the quest itself (its title and its points).
        logger.warning("Quest %s completed; re-reading the fan failed: %s", quest_id, error)
        return _describe_from_quest(quest)
    return _describe(before=state, after=after, quest=quest)


def _describe_from_quest(quest: Quest) -> Completion:
    """The success of a completion when the fan's new standing could not be read."""
    adapter = get_adapter()
    earned = quest.fan_points_reward or 0
    parts = [adapter.message("quest_completed", title=quest.quest_title)]
    if earned > 0:
        parts.append(adapter.message("points_earned", points=wording.points(earned)))
    return Completion(Outcome.COMPLETED, " ".join(parts), points_earned=earned, quest=quest)


def _describe(
    *, before: selectors.PortalState, after: selectors.PortalState, quest: Quest
) -> Completion:
    adapter = get_adapter()
    earned = after.fan.points - before.fan.points
    if earned <= 0:
        # The balance may lag behind the completion; the quest's own reward is what it gives.
        earned = quest.fan_points_reward or 0
    parts = [adapter.message("quest_completed", title=quest.quest_title)]
    if earned > 0:
        parts.append(adapter.message("points_earned", points=wording.points(earned)))
    tier_reached = ""
    old_tier, new_tier = before.progress.current, after.progress.current
    if new_tier is not None and (old_tier is None or new_tier.tier_id != old_tier.tier_id):
        tier_reached = new_tier.name
        parts.append(adapter.message("tier_reached", tier=new_tier.name))
    rewards = _new_rewards(before, after)
    if rewards:
        parts.append(
            adapter.message("new_rewards", titles=wording.quoted_list(rewards), count=len(rewards))
        )
    return Completion(
        Outcome.COMPLETED,
        " ".join(parts),
        points_earned=earned,
        tier_reached=tier_reached,
        rewards=rewards,
        quest=quest,
    )


def _new_rewards(before: selectors.PortalState, after: selectors.PortalState) -> tuple[str, ...]:
    """Titles of the rewards this completion earned: their requirement is met now, not before.

    Judged on the requirement alone, whether or not the provider has delivered the reward
    yet, so the fan's held rewards need not be fetched around a completion (a hand-assigned
    reward arriving meanwhile is not "earned" by the quest either). Sold-out and closed
    rewards are not announced.
    """

    def earned(state: selectors.PortalState) -> list[rules.RewardCard]:
        wallet = rules.reward_wallet(
            (selectors.reward_rule(reward) for reward in state.business.rewards),
            (),
            fan=state.standing,
            catalogue=state.catalogue,
            now=state.now,
        )
        return list(wallet.on_its_way)

    had = {card.reward_id for card in earned(before)}
    titles = []
    for card in earned(after):
        reward = after.rewards_by_id.get(card.reward_id)
        if card.reward_id not in had and reward is not None and reward.reward_title:
            titles.append(reward.reward_title)
    return tuple(titles)
