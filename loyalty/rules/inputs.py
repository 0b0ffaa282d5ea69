"""The plain data the loyalty rules work on.

These re-declare only what the rules need from the API's vocabulary, so the rules import
neither Django nor ``tbits_client``: selectors map client models to these, and tests build
them directly.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from loyalty.rules.vocabulary import QuestKind, RestrictionKind, quest_kind


class RequirementKind(enum.StrEnum):
    """How a reward is earned (``requirement_type``); ``MANUAL`` stands for none."""

    POINT_TIER = "point_tier"
    QUESTS = "quests"
    MANUAL = "manual"


@dataclass(frozen=True)
class TierRule:
    """One point tier: a name and the total points that reach it."""

    tier_id: str
    name: str
    min_points: int


@dataclass(frozen=True)
class Restriction:
    """A quest's access restriction, with only the field its kind uses filled in."""

    kind: RestrictionKind
    points_required: int = 0
    tier_id: str = ""
    required_quest_ids: tuple[int, ...] = ()
    tag: str = ""


@dataclass(frozen=True)
class QuestRule:
    """What the rules need to know about one quest.

    ``opens_at``/``closes_at`` are the quest's own start and end; a quest tied to a
    performance is further limited to that performance's window, given separately.
    """

    quest_id: int
    title: str
    points_reward: int = 0
    #: The API's ``quest_type`` as given (a value added upstream stays readable).
    quest_type: str = QuestKind.CUSTOM
    restriction: Restriction | None = None
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    performance_id: str = ""

    @property
    def kind(self) -> QuestKind | None:
        """The quest's kind; None for a ``quest_type`` this portal does not know."""
        return quest_kind(self.quest_type)


@dataclass(frozen=True)
class PerformanceWindow:
    """When a performance (event, game, show) is on: ``starts_at`` <= now < ``ends_at``."""

    performance_id: str
    name: str
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class FanStanding:
    """Everything about the fan that quest and reward rules depend on."""

    total_points: int = 0
    completed_quest_ids: frozenset[int] = frozenset()
    tags: frozenset[str] = frozenset()

    @classmethod
    def of(
        cls,
        *,
        total_points: int = 0,
        completed: Iterable[int] = (),
        tags: Iterable[str] = (),
    ) -> FanStanding:
        """Build a standing from any iterables; tags compare case-insensitively."""
        return cls(
            total_points=total_points,
            completed_quest_ids=frozenset(completed),
            tags=frozenset(tag.strip().casefold() for tag in tags if tag and tag.strip()),
        )


@dataclass(frozen=True)
class RewardRule:
    """What the rules need to know about one reward of the catalogue.

    ``remaining`` is how many a limited (``first``) reward can still go to; ``None`` means
    unlimited or unknown, which the rules treat as available.
    """

    reward_id: str
    title: str
    reward_type: str = "badge"
    requirement: RequirementKind = RequirementKind.MANUAL
    tier_id: str = ""
    required_quest_ids: tuple[int, ...] = ()
    expires_at: datetime | None = None
    remaining: int | None = None
    performance_id: str = ""


@dataclass(frozen=True)
class HeldReward:
    """A reward delivered to the fan, as far as its validity goes.

    ``key`` lets the caller find its own record of this copy again (a fan can hold several
    copies of one reward); the rules never read it.
    """

    reward_id: str
    delivered_at: datetime | None = None
    expires_at: datetime | None = None
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    key: str = ""


@dataclass(frozen=True)
class Catalogue:
    """Business-wide data the rules look things up in; built once per page.

    The look-up tables are computed once and kept, so evaluating every quest stays linear.
    """

    tiers: tuple[TierRule, ...] = ()
    quests: tuple[QuestRule, ...] = ()
    performances: tuple[PerformanceWindow, ...] = ()

    @cached_property
    def tiers_by_id(self) -> Mapping[str, TierRule]:
        """Tiers keyed by their id, for restriction and requirement look-ups."""
        return {tier.tier_id: tier for tier in self.tiers}

    @cached_property
    def quests_by_id(self) -> Mapping[int, QuestRule]:
        """Quests keyed by id, to name missing prerequisites."""
        return {quest.quest_id: quest for quest in self.quests}

    @cached_property
    def performances_by_id(self) -> Mapping[str, PerformanceWindow]:
        """Performance windows keyed by id, for quests tied to an event."""
        return {window.performance_id: window for window in self.performances}
