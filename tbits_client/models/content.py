"""Models of what an account publishes: businesses, performances, idols and their events."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .parsing import ApiModel

__all__ = ["Business", "Idol", "IdolEvent", "Performance"]


@dataclass(frozen=True, slots=True)
class Business(ApiModel):
    """A business (team) with its portal branding.

    Its point type is not among the documented fields ("Get a list of businesses",
    api-reference.txt): when an API answers ``point_uid`` / ``point_name`` anyway, they stay
    in ``extra`` and are read through the properties below, which say None when absent.
    """

    business_id: int
    business_name: str
    legal_rules: str | None = None
    legal_terms: str | None = None
    legal_privacy: str | None = None
    media_map: dict[str, Any] = field(default_factory=dict)
    style_props: dict[str, Any] = field(default_factory=dict)
    locale_props: dict[str, Any] = field(default_factory=dict)
    scheduler_props: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def says_point_type(self) -> bool:
        """Whether the answer carried the (undocumented) point type field at all."""
        return "point_uid" in self.extra

    @property
    def point_uid(self) -> str | None:
        """The business's point type, when the API answers it (null: none assigned)."""
        value = self.extra.get("point_uid")
        return str(value) if value else None

    @property
    def point_name(self) -> str | None:
        value = self.extra.get("point_name")
        return str(value) if value else None


@dataclass(frozen=True, slots=True)
class Performance(ApiModel):
    """A scheduled event, game or show that quests and rewards can be tied to."""

    performance_uid: str
    performance_name: str | None = None
    performance_date: dt.date | None = None
    venue_name: str | None = None
    city: str | None = None
    province: str | None = None
    country_code: str | None = None
    business_id: int | None = None
    label_name: str | None = None
    artist_name: str | None = None
    status: str | None = None
    performance_url: str | None = None
    creation_timestamp: dt.datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Idol(ApiModel):
    """An artist, sponsor, team..."""

    idol_uid: str
    idol_name: str | None = None
    idol_type: str | None = None
    description: str | None = None
    media_uid: str | None = None
    image_url: str | None = None
    link_url: str | None = None
    spotify_uid: str | None = None
    idol_labels: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class IdolEvent(ApiModel):
    """An idol's event (show, game)."""

    event_uid: str
    idol_uid: str | None = None
    idol_name: str | None = None
    start_timestamp: dt.datetime | None = None
    end_timestamp: dt.datetime | None = None
    venue_name: str | None = None
    city: str | None = None
    province: str | None = None
    country_code: str | None = None
    event_url: str | None = None
    ticket_url: str | None = None
    label_name: str | None = None
    media_uid: str | None = None
    image_url: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
