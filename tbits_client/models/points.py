"""Models of the points programme: point types, tiers, balances, awards, the leaderboard."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .parsing import ApiModel, PayloadReader, fallback_keys

__all__ = ["FanPoint", "FanPointAward", "FanTier", "LeaderboardRow", "PointType", "Tier"]


@dataclass(frozen=True, slots=True)
class PointType(ApiModel):
    """A loyalty currency."""

    point_uid: str
    point_name: str
    creation_timestamp: dt.datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Tier(ApiModel):
    """A milestone of a point type."""

    point_tier_uid: str
    tier_name: str
    min_points: int
    point_uid: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class FanTier:
    """A fan's current tier for one point name; ``tier`` is None below the first tier.

    The answer's shape is undocumented, so three are accepted: ``{"tier": {...}, ...}``,
    a flat tier object with ``point_count``, or an empty object / null (no tier).
    """

    point_name: str | None
    tier: Tier | None
    point_count: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_api(cls, payload: Any) -> FanTier:
        if payload is None or payload == {} or payload == []:
            return cls(point_name=None, tier=None)
        f = PayloadReader("FanTier", payload)
        point_name = f.str("point_name")
        point_count = f.int("point_count")
        nested = payload.get("tier", payload.get("point_tier"))
        f.used.update({"tier", "point_tier"})
        if isinstance(nested, Mapping):
            tier: Tier | None = Tier.from_api(nested) if nested else None
        elif payload.get("point_tier_uid"):
            f.used.update({"point_tier_uid", "tier_name", "min_points", "point_uid"})
            tier = Tier.from_api(
                {k: payload.get(k) for k in ("point_tier_uid", "tier_name", "min_points")}
                | ({"point_uid": payload["point_uid"]} if payload.get("point_uid") else {})
            )
        else:
            tier = None
        return cls(point_name=point_name, tier=tier, point_count=point_count, extra=f.extra())


@dataclass(frozen=True, slots=True)
class FanPoint(ApiModel):
    """A point balance or one point transaction (the ledger uses the same record)."""

    # The ledger row names a session; it is never needed by a page and is a bearer token.
    _dropped = ("session_uid",)

    point_count: int
    fan_id: int | None = None
    point_uid: str | None = None
    point_name: str | None = None
    fan_point_uid: str | None = None
    creation_timestamp: dt.datetime | None = None
    page_tab_id: int | None = None
    activity_id: int | None = None
    reward_uid: str | None = None
    performance_uid: str | None = None
    point_source: str | None = None
    point_type: str | None = None
    display_name: str | None = None
    props: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(frozen=True, slots=True)
class FanPointAward(ApiModel):
    """The transaction an award created."""

    fan_point_uid: str | None
    fan_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class LeaderboardRow(ApiModel):
    """One fan's rank for a point name over a date range."""

    fan_id: int
    rank: int | None = None
    # Some answers name the count ``point_count``, as the balances do.
    fan_point_count: int = field(default=0, metadata=fallback_keys("point_count"))
    display_name: str | None = None
    point_name: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
