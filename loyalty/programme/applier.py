"""Reading the account and applying a plan, through ``tbits_client``.

The only module of the package that talks to the API. It takes a client (the command
builds one from settings, tests point one at the sandbox), never settings.

An apply is not a transaction: the API has none. Each call is made in an order that keeps
references valid (tiers before what requires them, prerequisites before the quests that
require them, rewards deleted before the quests they require), and if a call fails, what
was done stays done. Running the same file again is always safe: the new plan starts from
what the account now holds, so it finishes the job.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from loyalty.programme.params import (
    QUEST_COMPARED,
    REWARD_COMPARED,
    Pending,
    References,
    quest_params,
    reward_params,
)
from loyalty.programme.planner import (
    AccountState,
    Action,
    Change,
    CurrentBusiness,
    CurrentQuest,
    CurrentReward,
    CurrentTier,
    EntityKind,
    Named,
    Plan,
)
from loyalty.programme.spec import Programme, QuestSpec, RewardSpec, TierSpec
from tbits_client import Quest, Reward, TbitsClient, TbitsError

__all__ = ["ApplyFailed", "ApplyOutcome", "Step", "apply_plan", "read_account"]


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def _quest_state(quest: Quest) -> CurrentQuest:
    return CurrentQuest(
        page_tab_id=quest.page_tab_id,
        quest_title=quest.quest_title,
        values={name: _plain(getattr(quest, name)) for name in QUEST_COMPARED},
    )


def _reward_state(reward: Reward) -> CurrentReward:
    return CurrentReward(
        reward_uid=reward.reward_uid,
        reward_title=reward.reward_title,
        values={name: _plain(getattr(reward, name)) for name in REWARD_COMPARED},
    )


def read_account(client: TbitsClient, *, business_id: int, programme: Programme) -> AccountState:
    """What the account holds that ``programme`` is about (TbitsError when a read fails)."""
    businesses = tuple(
        CurrentBusiness(
            business_id=item.business_id,
            business_name=item.business_name,
            point_uid=item.point_uid,
            point_name=item.point_name,
            says_point_type=item.says_point_type,
        )
        for item in client.businesses()
    )
    if not any(item.business_id == business_id for item in businesses):
        # The business-scoped calls would only answer 404; the plan explains instead.
        return AccountState(businesses=businesses)
    point_types = tuple(Named(item.point_uid, item.point_name) for item in client.point_types())
    mine = next((item for item in point_types if item.name == programme.point_name), None)
    tiers = (
        tuple(
            CurrentTier(item.point_tier_uid, item.tier_name, item.min_points)
            for item in client.tiers(mine.uid)
        )
        if mine
        else ()
    )
    quests = tuple(_quest_state(item) for item in client.quests(business_id))
    rewards = tuple(_reward_state(item) for item in client.rewards(business_id))
    needs_performances = any(
        item.performance is not None for item in (*programme.quests, *programme.rewards)
    )
    performances = (
        tuple(
            Named(item.performance_uid, item.performance_name or "")
            for item in client.performances()
        )
        if needs_performances
        else None
    )
    idols = (
        tuple(Named(item.idol_uid, item.idol_name or "") for item in client.idols())
        if any(quest.idol is not None for quest in programme.quests)
        else None
    )
    return AccountState(
        businesses=businesses,
        point_types=point_types,
        tiers=tiers,
        quests=quests,
        rewards=rewards,
        performances=performances,
        idols=idols,
    )


_ID_NAMES = {
    EntityKind.POINT_TYPE: "point_uid",
    EntityKind.TIER: "point_tier_uid",
    EntityKind.QUEST: "page_tab_id",
    EntityKind.REWARD: "reward_uid",
}


@dataclass(frozen=True, slots=True)
class Step:
    """One call made: a recreate is two steps, ``deleted`` then ``created``."""

    change: Change
    done: str
    new_id: str | None = None

    def __str__(self) -> str:
        change = self.change
        ident = self.new_id if self.done != "deleted" else change.current_id
        suffix = f" ({_ID_NAMES[change.kind]} {ident})" if ident else ""
        return f"{self.done} {change.kind} {change.key!r}{suffix}"


@dataclass(frozen=True, slots=True)
class ApplyOutcome:
    """What an apply did; ``held_back`` is set when quests and rewards had to wait."""

    steps: tuple[Step, ...] = ()
    held_back: str | None = None

    @property
    def changes_made(self) -> int:
        """Changes carried out in full (a recreate counts once, after its creation)."""
        return sum(
            1
            for step in self.steps
            if not (step.change.action is Action.RECREATE and step.done == "deleted")
        )


class ApplyFailed(Exception):
    """A call of the apply failed; ``steps`` lists the calls made before it."""

    def __init__(self, change: Change, error: TbitsError, steps: tuple[Step, ...]) -> None:
        self.change = change
        self.error = error
        self.steps = steps
        super().__init__(f"{change.action} {change.kind} {change.key!r} failed: {error}")


@dataclass
class _Progress:
    """The ids learned so far, so later creations can name what earlier ones made."""

    tier_ids: dict[str, str]
    quest_ids: dict[str, int]
    performances: dict[str, str]
    idols: dict[str, str]
    steps: list[Step] = field(default_factory=list)

    def references(self) -> References:
        return References(
            tiers=self.tier_ids,
            quests=self.quest_ids,
            performances=self.performances,
            idols=self.idols,
        )


def _no_pending(params: dict[str, Any], change: Change) -> dict[str, Any]:
    for name, value in params.items():
        pending = value if isinstance(value, Pending) else None
        if isinstance(value, tuple):
            pending = next((item for item in value if isinstance(item, Pending)), None)
        if pending is not None:
            # Cannot happen when changes run in plan order; a bug, not an operator error.
            raise RuntimeError(f"{change.kind} {change.key!r}: {name} still names {pending}")
    return params


def apply_plan(
    client: TbitsClient,
    plan: Plan,
    *,
    on_step: Callable[[Step], None] | None = None,
) -> ApplyOutcome:
    """Make the changes of ``plan``; ApplyFailed stops at the first failing call.

    ``on_step`` is called after each call succeeds (the command prints progress). A plan
    with blockers is refused (ValueError) before any call.
    """
    if plan.blockers:
        raise ValueError("the plan has blockers; nothing can be applied")
    progress = _Progress(
        tier_ids={k: v for k, v in plan.references.tiers.items() if isinstance(v, str)},
        quest_ids={k: v for k, v in plan.references.quests.items() if isinstance(v, int)},
        performances=dict(plan.references.performances),
        idols=dict(plan.references.idols),
    )
    point_uid = plan.point_uid

    def run(change: Change, done: str, call: Callable[[], Any], new_id: Any = None) -> Any:
        try:
            result = call()
        except TbitsError as error:
            raise ApplyFailed(change, error, tuple(progress.steps)) from error
        ident = new_id(result) if callable(new_id) else None
        step = Step(change, done, None if ident is None else str(ident))
        progress.steps.append(step)
        if on_step is not None:
            on_step(step)
        return result

    for change in plan.of(EntityKind.POINT_TYPE, Action.CREATE):
        created = run(
            change,
            "created",
            lambda c=change: client.create_point_type(point_name=c.key),
            lambda made: made.point_uid,
        )
        point_uid = created.point_uid

    for change in plan.of(EntityKind.TIER):
        spec = change.spec
        assert isinstance(spec, TierSpec) and point_uid is not None
        tier = run(
            change,
            "created" if change.action is Action.CREATE else "updated",
            lambda s=spec, c=change: client.save_tier(
                point_uid,
                tier_name=s.tier_name,
                min_points=s.min_points,
                point_tier_uid=c.current_id,
            ),
            lambda made: made.point_tier_uid,
        )
        progress.tier_ids[spec.tier_name] = tier.point_tier_uid

    if plan.held_back:
        return ApplyOutcome(steps=tuple(progress.steps), held_back=plan.held_back)

    business_id = plan.business_id
    removing = (Action.RECREATE, Action.DELETE)
    # Rewards first: they may require the quests about to go.
    for change in plan.of(EntityKind.REWARD, *removing):
        reward_uid = change.current_id or ""
        run(change, "deleted", lambda uid=reward_uid: client.delete_reward(business_id, uid))
    # Quests that require others go before their prerequisites.
    for change in reversed(plan.of(EntityKind.QUEST, *removing)):
        page_tab_id = change.current_id or ""
        run(change, "deleted", lambda ident=page_tab_id: client.delete_quest(business_id, ident))

    for change in plan.of(EntityKind.QUEST, Action.CREATE, Action.RECREATE):
        quest_spec = change.spec
        assert isinstance(quest_spec, QuestSpec)
        params = _no_pending(quest_params(quest_spec, progress.references()), change)
        quest = run(
            change,
            "created",
            lambda p=params: client.create_quest(business_id, **p),
            lambda made: made.page_tab_id,
        )
        progress.quest_ids[quest_spec.quest_title] = quest.page_tab_id

    for change in plan.of(EntityKind.REWARD, Action.CREATE, Action.RECREATE):
        reward_spec = change.spec
        assert isinstance(reward_spec, RewardSpec)
        params = _no_pending(reward_params(reward_spec, progress.references()), change)
        run(
            change,
            "created",
            lambda p=params: client.create_reward(business_id, **p),
            lambda made: made.reward_uid,
        )

    return ApplyOutcome(steps=tuple(progress.steps))
