"""What a setup file declares, once validated: plain frozen dataclasses, no I/O.

Cross-references inside the file are by stable key, never by the API's ids, because the
ids do not exist until the entities are created (and a quest's id changes when it is
recreated): a quest names its tier by ``tier_name`` and its prerequisites by
``quest_title``. Things the file cannot create (events, idols, media) are named by the
API's id, or for events and idols also by name, resolved against the account.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from loyalty.rules import QuestKind, RestrictionKind
from tbits_client import (
    AtvenuDeliveryMethod,
    QuestRewardType,
    RequirementType,
    RewardType,
    SelectionModel,
)

__all__ = ["ById", "ByName", "Programme", "QuestSpec", "Reference", "RewardSpec", "TierSpec"]


@dataclass(frozen=True, slots=True)
class ById:
    """An account entity named by its API id (``performance_uid``, ``idol_uid``)."""

    uid: str

    def __str__(self) -> str:
        return self.uid


@dataclass(frozen=True, slots=True)
class ByName:
    """An account entity named by its name, looked up in the account when planning."""

    name: str

    def __str__(self) -> str:
        return repr(self.name)


Reference = ById | ByName


@dataclass(frozen=True, slots=True)
class TierSpec:
    """A tier of the programme's point type, matched by ``tier_name``."""

    position: int
    tier_name: str
    min_points: int


@dataclass(frozen=True, slots=True)
class QuestSpec:
    """A quest, matched by ``quest_title``; every field of the quest creation table."""

    position: int
    quest_title: str
    quest_type: QuestKind
    quest_description: str | None = None
    button_text: str | None = None
    reward_type: QuestRewardType | None = None  # None: no reward (the file's "none")
    fan_points_reward: int | None = None
    performance: Reference | None = None
    target_page_tab_id: int | None = None
    link_url: str | None = None
    scan_group_names: tuple[str, ...] = ()
    site_name: str | None = None
    access_restriction_type: RestrictionKind | None = None
    fan_points_required: int | None = None
    point_tier: str | None = None  # a tier_name of the file
    required_quests: tuple[str, ...] = ()  # quest_titles of the file
    tag_name: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    media_uid: str | None = None
    idol: Reference | None = None


@dataclass(frozen=True, slots=True)
class RewardSpec:
    """A reward, matched by ``reward_title``; every field of the reward creation tables.

    Timestamps are wall-clock times in ``timezone`` (naive), as the API takes them.
    """

    position: int
    reward_title: str
    reward_type: RewardType
    expiration_timestamp: dt.datetime
    timezone: str
    winner_selection_model: SelectionModel
    reward_limit: int | None = None
    requirement_type: RequirementType | None = None  # None: by hand (the file's "none")
    point_tier: str | None = None  # a tier_name of the file
    required_quests: tuple[str, ...] = ()  # quest_titles of the file
    description: str | None = None
    performance: Reference | None = None
    media_uid: str | None = None
    access_start_timestamp: dt.datetime | None = None
    access_end_timestamp: dt.datetime | None = None
    access_pass_type: str | None = None
    prize_codes: tuple[str, ...] = ()
    is_limited: bool | None = None
    atvenu_sales_event_key: str | None = None
    atvenu_promo_key: str | None = None
    atvenu_delivery_method: AtvenuDeliveryMethod | None = None
    bestring_location_group_id: str | None = None
    bestring_promotion_id: str | None = None


@dataclass(frozen=True, slots=True)
class Programme:
    """A business's loyalty programme as one file declares it."""

    source: str
    point_name: str
    tiers: tuple[TierSpec, ...] = ()
    quests: tuple[QuestSpec, ...] = ()
    rewards: tuple[RewardSpec, ...] = ()
    business_id: int | None = None

    def quest(self, title: str) -> QuestSpec:
        """The quest of that title (validation guarantees titles are unique)."""
        return next(quest for quest in self.quests if quest.quest_title == title)

    @property
    def quests_in_dependency_order(self) -> tuple[QuestSpec, ...]:
        """Quests with every prerequisite before the quests that require it.

        Creation must follow this order: a quest's ``required_page_tab_ids`` can only be
        sent once its prerequisites exist. Validation rejects cycles, so this terminates.
        """
        done: dict[str, QuestSpec] = {}
        by_title = {quest.quest_title: quest for quest in self.quests}

        def visit(quest: QuestSpec, path: tuple[str, ...]) -> None:
            if quest.quest_title in done or quest.quest_title in path:
                return
            for title in quest.required_quests:
                if title in by_title:
                    visit(by_title[title], (*path, quest.quest_title))
            done[quest.quest_title] = quest

        for quest in self.quests:
            visit(quest, ())
        return tuple(done.values())

    @property
    def uses_performance_names(self) -> bool:
        """Whether planning needs the account's performances to resolve names."""
        return any(isinstance(item.performance, ByName) for item in (*self.quests, *self.rewards))

    @property
    def uses_idol_names(self) -> bool:
        """Whether planning needs the account's idols to resolve names."""
        return any(isinstance(quest.idol, ByName) for quest in self.quests)
