"""The plan: what must change for a business's account to match a setup file.

Pure: it compares a validated :class:`Programme` with an :class:`AccountState` (plain
data the applier read through the client) and returns a :class:`Plan`. Entities are matched
by stable keys: the point type by ``point_name``, tiers by ``tier_name``, quests by
``quest_title``, rewards by ``reward_title``.

How each change is made, given what the API offers:

- point type: created when missing. The API cannot assign it to the business (setup step 2
  is done in the admin UI), so until it is assigned, quests and rewards are held back.
- tiers: created or updated in place (``POST point_tiers`` creates or updates; the tier
  keeps its ``point_tier_uid``). The API has no call to delete a tier.
- quests and rewards: the API has no update call, so a changed quest or reward is deleted
  and created again. Its id changes, and so does every quest or reward that requires a
  recreated quest (their ``required_page_tab_ids`` would name a deleted quest).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from loyalty.programme.params import (
    QUEST_COMPARED,
    REWARD_COMPARED,
    Pending,
    References,
    comparable,
    quest_params,
    reward_params,
    shown,
    zone_of,
)
from loyalty.programme.spec import ById, ByName, Programme, QuestSpec, RewardSpec, TierSpec

__all__ = [
    "AccountState",
    "Action",
    "Change",
    "CurrentBusiness",
    "CurrentQuest",
    "CurrentReward",
    "CurrentTier",
    "EntityKind",
    "FieldChange",
    "Named",
    "Plan",
    "plan_changes",
]


# --- what the account holds ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CurrentBusiness:
    business_id: int
    business_name: str
    point_uid: str | None = None
    point_name: str | None = None
    # False when the API's answer has no point type field at all (the documented answer):
    # then "no point type" is unknown, not known, and nothing is held back for it.
    says_point_type: bool = True


@dataclass(frozen=True, slots=True)
class Named:
    """An account entity known by id and name (point type, performance, idol)."""

    uid: str
    name: str


@dataclass(frozen=True, slots=True)
class CurrentTier:
    point_tier_uid: str
    tier_name: str
    min_points: int


@dataclass(frozen=True, slots=True)
class CurrentQuest:
    """A quest as listed; ``values`` holds its creation fields by API name."""

    page_tab_id: int
    quest_title: str
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CurrentReward:
    """A reward as listed; ``values`` holds its creation fields by API name."""

    reward_uid: str
    reward_title: str
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AccountState:
    """What the account holds for one business, as far as a setup file is concerned.

    ``tiers`` are those of the point type the file names (empty when it does not exist);
    ``performances`` and ``idols`` are None when they were not read (the file names none).
    """

    businesses: tuple[CurrentBusiness, ...] = ()
    point_types: tuple[Named, ...] = ()
    tiers: tuple[CurrentTier, ...] = ()
    quests: tuple[CurrentQuest, ...] = ()
    rewards: tuple[CurrentReward, ...] = ()
    performances: tuple[Named, ...] | None = None
    idols: tuple[Named, ...] | None = None


# --- the plan -----------------------------------------------------------------------------


class Action(enum.StrEnum):
    CREATE = "create"
    UPDATE = "update"
    RECREATE = "recreate"
    DELETE = "delete"


class EntityKind(enum.StrEnum):
    POINT_TYPE = "point type"
    TIER = "tier"
    QUEST = "quest"
    REWARD = "reward"


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field that differs: its API name, and both values as the plan shows them."""

    field: str
    current: str
    desired: str


@dataclass(frozen=True, slots=True)
class Change:
    """One call (two for a recreate) the apply makes."""

    action: Action
    kind: EntityKind
    key: str
    current_id: str | None = None
    fields: tuple[FieldChange, ...] = ()
    spec: TierSpec | QuestSpec | RewardSpec | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    """Every change, in the order the apply makes them, and what stands in the way.

    ``blockers`` stop the apply before any call. ``held_back`` says why quest and
    reward changes wait (the point type must be assigned by hand first); point type and
    tier changes are still made. ``notices`` are things the operator should know.
    """

    programme: Programme
    business_id: int
    changes: tuple[Change, ...] = ()
    blockers: tuple[str, ...] = ()
    held_back: str | None = None
    notices: tuple[str, ...] = ()
    point_uid: str | None = None
    references: References = field(default_factory=References)

    @property
    def is_empty(self) -> bool:
        """True when the account already matches the file."""
        return not self.changes

    def of(self, kind: EntityKind, *actions: Action) -> tuple[Change, ...]:
        """The changes of one kind (and, when given, of these actions)."""
        return tuple(
            change
            for change in self.changes
            if change.kind is kind and (not actions or change.action in actions)
        )

    def count(self, action: Action) -> int:
        return sum(1 for change in self.changes if change.action is action)


def _differences(
    desired: Mapping[str, Any],
    current: Mapping[str, Any],
    names: Sequence[str],
    *,
    desired_zone: Any = None,
    current_zone: Any = None,
) -> tuple[FieldChange, ...]:
    desired_tz = zone_of(desired_zone)
    current_tz = zone_of(current_zone)
    found = []
    for name in names:
        want = comparable(name, desired.get(name), zone=desired_tz)
        have = comparable(name, current.get(name), zone=current_tz)
        if want != have:
            found.append(
                FieldChange(
                    field=name,
                    current=shown(name, have, zone=desired_tz),
                    desired=shown(name, want, zone=desired_tz),
                )
            )
    return tuple(found)


def _match(items: Sequence[Any], *, key: str, id_key: str) -> tuple[dict[str, Any], list[Any]]:
    """Items by their key (for a duplicated key, the lowest id), and the duplicates left."""
    matched: dict[str, Any] = {}
    leftover: list[Any] = []
    for item in sorted(items, key=lambda item: str(getattr(item, id_key)).zfill(20)):
        name = getattr(item, key)
        if name in matched:
            leftover.append(item)
        else:
            matched[name] = item
    return matched, leftover


def _resolve_names(
    programme: Programme, state: AccountState
) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """Performance and idol names (and ids) of the file, checked against the account."""
    blockers: list[str] = []
    resolved: dict[str, dict[str, str]] = {"performance": {}, "idol": {}}
    uses = [
        ("performance", item.performance, item)
        for item in (*programme.quests, *programme.rewards)
        if item.performance is not None
    ] + [("idol", quest.idol, quest) for quest in programme.quests if quest.idol is not None]
    for kind, reference, item in uses:
        known = state.performances if kind == "performance" else state.idols
        if known is None:
            continue  # not read: ids are then checked by the API on creation
        title = getattr(item, "quest_title", None) or getattr(item, "reward_title", "")
        owner = f"{'quest' if isinstance(item, QuestSpec) else 'reward'} {title!r}"
        if isinstance(reference, ByName):
            matches = [entry for entry in known if entry.name == reference.name]
            if len(matches) == 1:
                resolved[kind][reference.name] = matches[0].uid
            elif not matches:
                names = ", ".join(repr(entry.name) for entry in known) or "none"
                blockers.append(
                    f"{owner}: {kind} {reference.name!r} is not in the account "
                    f"(its {kind}s: {names})"
                )
            else:
                ids = ", ".join(entry.uid for entry in matches)
                blockers.append(
                    f"{owner}: {len(matches)} {kind}s are named {reference.name!r} ({ids}); "
                    f"write {kind}_uid instead"
                )
        elif isinstance(reference, ById) and not any(
            entry.uid.lower() == reference.uid.lower() for entry in known
        ):
            blockers.append(f"{owner}: {kind}_uid {reference.uid} is not in the account")
    return resolved["performance"], resolved["idol"], list(dict.fromkeys(blockers))


def plan_changes(
    programme: Programme,
    state: AccountState,
    *,
    business_id: int,
    delete_missing: bool = False,
) -> Plan:
    """What must change in ``state`` for business ``business_id`` to match ``programme``."""
    business = next((b for b in state.businesses if b.business_id == business_id), None)
    if business is None:
        listed = ", ".join(f"{b.business_id} ({b.business_name})" for b in state.businesses)
        return Plan(
            programme=programme,
            business_id=business_id,
            blockers=(
                f"Business {business_id} is not in this account "
                f"(its businesses: {listed or 'none'}).",
            ),
        )

    changes: list[Change] = []
    notices: list[str] = []

    # Point type (setup steps 1 and 2).
    point_type = next((p for p in state.point_types if p.name == programme.point_name), None)
    if point_type is None:
        changes.append(Change(Action.CREATE, EntityKind.POINT_TYPE, programme.point_name))
    held_back = None
    if not business.says_point_type:
        # The documented businesses answer names no point type ("Get a list of businesses",
        # api-reference.txt), so whether the admin UI step was done cannot be read: say so,
        # and set up the rest (quests and rewards carry the point type by their own fields).
        notices.append(
            f"The API does not say which point type business {business_id} uses: check "
            f"that {programme.point_name!r} is selected under Business > Fan Loyalty Portal "
            "in the Tradable Bits admin UI, and, if the account has several point types, "
            f"set TBITS['POINT_TYPE'] = {programme.point_name!r} for the portal."
        )
    elif point_type is None or business.point_uid != point_type.uid:
        if business.point_uid is None:
            now = "has no point type assigned"
        else:
            now = f"uses the point type {business.point_name or business.point_uid!r}"
        held_back = (
            f"Business {business_id} ({business.business_name}) {now}, and the API cannot "
            "assign one. Once the point type exists, open Business > Fan Loyalty Portal in "
            f"the Tradable Bits admin UI, select {programme.point_name!r}, and run "
            "tbits_setup again: quests and rewards are set up after that."
        )

    # Tiers (step 3): created or updated in place, never deleted (no API call for it).
    current_tiers = {tier.tier_name: tier for tier in state.tiers} if point_type else {}
    tier_ids: dict[str, str | Pending] = {}
    for spec in programme.tiers:
        tier = current_tiers.get(spec.tier_name)
        if tier is None:
            changes.append(Change(Action.CREATE, EntityKind.TIER, spec.tier_name, spec=spec))
            tier_ids[spec.tier_name] = Pending("tier", spec.tier_name)
            continue
        tier_ids[spec.tier_name] = tier.point_tier_uid
        if tier.min_points != spec.min_points:
            changes.append(
                Change(
                    Action.UPDATE,
                    EntityKind.TIER,
                    spec.tier_name,
                    current_id=tier.point_tier_uid,
                    fields=(
                        FieldChange("min_points", f"{tier.min_points:,}", f"{spec.min_points:,}"),
                    ),
                    spec=spec,
                )
            )
    wanted_tiers = {spec.tier_name for spec in programme.tiers}
    for name, tier in current_tiers.items():
        if name not in wanted_tiers:
            notices.append(
                f"Tier {name!r} ({tier.min_points:,} points) is not in the file. The API has "
                "no call to delete a tier, so it stays"
                + (" even with --delete-missing" if delete_missing else "")
                + ": remove it in the admin UI (CRM > Point Tiers) if it should go."
            )

    performances, idols, blockers = _resolve_names(programme, state)

    # Quests (step 4), prerequisites first, so a recreated prerequisite is known to be
    # pending by the time a quest that requires it is compared.
    current_quests, duplicate_quests = _match(state.quests, key="quest_title", id_key="page_tab_id")
    quest_ids: dict[str, int | Pending] = {}
    removed_quests: dict[int, str] = {}
    for spec in programme.quests_in_dependency_order:
        refs = References(tiers=tier_ids, quests=quest_ids, performances=performances, idols=idols)
        desired = quest_params(spec, refs)
        quest = current_quests.get(spec.quest_title)
        if quest is None:
            changes.append(Change(Action.CREATE, EntityKind.QUEST, spec.quest_title, spec=spec))
            quest_ids[spec.quest_title] = Pending("quest", spec.quest_title)
            continue
        differences = _differences(desired, quest.values, QUEST_COMPARED)
        if differences:
            changes.append(
                Change(
                    Action.RECREATE,
                    EntityKind.QUEST,
                    spec.quest_title,
                    current_id=str(quest.page_tab_id),
                    fields=differences,
                    spec=spec,
                )
            )
            quest_ids[spec.quest_title] = Pending("quest", spec.quest_title)
            removed_quests[quest.page_tab_id] = spec.quest_title
        else:
            quest_ids[spec.quest_title] = quest.page_tab_id

    wanted_quests = {spec.quest_title for spec in programme.quests}
    kept_quests: list[CurrentQuest] = []
    for quest in [*current_quests.values(), *duplicate_quests]:
        if quest.quest_title in wanted_quests and current_quests[quest.quest_title] is quest:
            continue
        duplicate = quest.quest_title in wanted_quests
        what = f"Quest {quest.quest_title!r} (page_tab_id {quest.page_tab_id}) " + (
            "has the same title as an older quest" if duplicate else "is not in the file"
        )
        if delete_missing:
            changes.append(
                Change(
                    Action.DELETE,
                    EntityKind.QUEST,
                    quest.quest_title,
                    current_id=str(quest.page_tab_id),
                )
            )
            removed_quests[quest.page_tab_id] = quest.quest_title
        else:
            kept_quests.append(quest)
            notices.append(f"{what}: kept (--delete-missing would delete it).")

    # Rewards (step 5).
    current_rewards, duplicate_rewards = _match(
        state.rewards, key="reward_title", id_key="reward_uid"
    )
    refs = References(tiers=tier_ids, quests=quest_ids, performances=performances, idols=idols)
    for reward_spec in programme.rewards:
        desired = reward_params(reward_spec, refs)
        reward = current_rewards.get(reward_spec.reward_title)
        if reward is None:
            changes.append(
                Change(Action.CREATE, EntityKind.REWARD, reward_spec.reward_title, spec=reward_spec)
            )
            continue
        differences = _differences(
            desired,
            reward.values,
            REWARD_COMPARED,
            desired_zone=reward_spec.timezone,
            current_zone=reward.values.get("timezone"),
        )
        if differences:
            changes.append(
                Change(
                    Action.RECREATE,
                    EntityKind.REWARD,
                    reward_spec.reward_title,
                    current_id=reward.reward_uid,
                    fields=differences,
                    spec=reward_spec,
                )
            )

    wanted_rewards = {spec.reward_title for spec in programme.rewards}
    kept_rewards: list[CurrentReward] = []
    for reward in [*current_rewards.values(), *duplicate_rewards]:
        if reward.reward_title in wanted_rewards and current_rewards[reward.reward_title] is reward:
            continue
        if delete_missing:
            changes.append(
                Change(
                    Action.DELETE,
                    EntityKind.REWARD,
                    reward.reward_title,
                    current_id=reward.reward_uid,
                )
            )
        else:
            kept_rewards.append(reward)
            notices.append(
                f"Reward {reward.reward_title!r} is not in the file: kept "
                "(--delete-missing would delete it)."
            )

    # What is kept but requires a quest this plan removes would point at a deleted quest.
    for kind, items in (("Quest", kept_quests), ("Reward", kept_rewards)):
        for item in items:
            required = item.values.get("required_page_tab_ids") or ()
            gone = [removed_quests[int(i)] for i in required if int(i) in removed_quests]
            if gone:
                title = getattr(item, "quest_title", None) or item.reward_title
                notices.append(
                    f"{kind} {title!r} is not in the file but requires "
                    f"{', '.join(map(repr, gone))}, which this plan deletes or recreates: its "
                    "requirement will name a quest that no longer exists. Add it to the file."
                )

    return Plan(
        programme=programme,
        business_id=business_id,
        changes=tuple(changes),
        blockers=tuple(blockers),
        held_back=held_back,
        notices=tuple(notices),
        point_uid=point_type.uid if point_type else None,
        references=References(
            tiers={k: v for k, v in tier_ids.items() if not isinstance(v, Pending)},
            quests={k: v for k, v in quest_ids.items() if not isinstance(v, Pending)},
            performances=performances,
            idols=idols,
        ),
    )
