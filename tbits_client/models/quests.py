"""Models of quests: their vocabulary, the quest itself, and a fan's completions."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import InvalidResponse
from .parsing import READ_ONLY, ApiModel, parse_bool

__all__ = [
    "Completions",
    "Quest",
    "QuestCompletion",
    "QuestRewardType",
    "QuestType",
    "RestrictionType",
]


class QuestType(enum.StrEnum):
    """What the fan does to complete a quest."""

    CAMPAIGN = "campaign"
    QUICKPICKS = "quickpicks"
    LINK_URL = "link_url"
    SCAN = "scan"
    WRISTBAND = "wristband"
    CUSTOM = "custom"


class RestrictionType(enum.StrEnum):
    """What locks a quest until the fan meets it (tag hides it instead)."""

    FAN_POINTS = "fan_points"
    POINT_TIER = "point_tier"
    QUESTS = "quests"
    TAG = "tag"


class QuestRewardType(enum.StrEnum):
    """What completing a quest gives; the docs know only points (or nothing)."""

    FAN_POINTS = "fan_points"


@dataclass(frozen=True, slots=True)
class Quest(ApiModel):
    """A quest: every field of the quest creation table, plus what reads add.

    The creation fields (all but the ``READ_ONLY`` ones, in this order) are the one list
    of what ``create_quest`` takes; the setup command's planner derives its own from it.
    """

    page_tab_id: int = field(metadata=READ_ONLY)
    quest_type: QuestType | str
    quest_title: str
    quest_description: str | None = None
    button_text: str | None = None
    reward_type: QuestRewardType | str | None = None
    fan_points_reward: int | None = None
    performance_uid: str | None = None
    target_page_tab_id: int | None = None
    link_url: str | None = None
    scan_group_names: tuple[str, ...] = ()
    site_name: str | None = None
    access_restriction_type: RestrictionType | str | None = None
    fan_points_required: int | None = None
    point_tier_uid: str | None = None
    required_page_tab_ids: tuple[int, ...] = ()
    tag_name: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    media_uid: str | None = None
    idol_uid: str | None = None
    is_required: bool | None = None
    point_uid: str | None = field(default=None, metadata=READ_ONLY)
    atvenu_sales_event_key: str | None = field(default=None, metadata=READ_ONLY)
    atvenu_promo_key: str | None = field(default=None, metadata=READ_ONLY)
    bestring_location_group_id: str | None = field(default=None, metadata=READ_ONLY)
    bestring_promotion_id: str | None = field(default=None, metadata=READ_ONLY)
    creation_timestamp: dt.datetime | None = field(default=None, metadata=READ_ONLY)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Completions(Mapping[int, bool]):
    """A fan's quest completions: ``page_tab_id -> completed``."""

    states: dict[int, bool] = field(default_factory=dict)

    def __getitem__(self, page_tab_id: int) -> bool:
        return self.states[page_tab_id]

    def __iter__(self) -> Iterator[int]:
        return iter(self.states)

    def __len__(self) -> int:
        return len(self.states)

    def __hash__(self) -> int:
        return hash(frozenset(self.states.items()))

    @property
    def completed_ids(self) -> frozenset[int]:
        """The quests the fan has completed."""
        return frozenset(key for key, done in self.states.items() if done)

    def is_completed(self, page_tab_id: int) -> bool:
        return self.states.get(page_tab_id, False)

    @classmethod
    def from_api(cls, payload: Any) -> Completions:
        if payload is None or payload == []:
            return cls()
        if not isinstance(payload, Mapping):
            raise InvalidResponse("Completions: expected a JSON object {page_tab_id: bool}")
        states: dict[int, bool] = {}
        for key, value in payload.items():
            try:
                page_tab_id = int(key)
            except (TypeError, ValueError):
                raise InvalidResponse(f"Completions: key {key!r} is not a page_tab_id") from None
            done = parse_bool(value)
            if done is None:
                raise InvalidResponse(f"Completions: value for {page_tab_id} is not a boolean")
            states[page_tab_id] = done
        return cls(states)


@dataclass(frozen=True, slots=True)
class QuestCompletion(ApiModel):
    """The activity recorded for a completion (the same one again on a repeat)."""

    activity_id: int
    extra: dict[str, Any] = field(default_factory=dict)
