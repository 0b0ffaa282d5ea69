"""The points programme: point types, tiers, balances, awards, the ledger, the leaderboard."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from ..models import FanPoint, FanPointAward, FanTier, LeaderboardRow, PointType, Tier
from .api_service import ApiService, answer_mapping

__all__ = ["PointService"]


class PointService(ApiService):
    """Point types, tiers, balances, awards, the ledger and the leaderboard."""

    def point_types(self) -> list[PointType]:
        return self._call("point_types", parse=PointType.list_from_api)

    def create_point_type(self, *, point_name: str) -> PointType:
        return self._call(
            "point_type_create",
            form={"point_name": point_name},
            parse=lambda answer: PointType.from_api(
                {"point_name": point_name, **answer_mapping(answer)}
            ),
        )

    def tiers(self, point_uid: str) -> list[Tier]:
        """Tiers of a point type, lowest first."""
        return self._call(
            "point_tiers",
            path_params={"point_uid": point_uid},
            parse=lambda answer: sorted(Tier.list_from_api(answer), key=lambda t: t.min_points),
        )

    def save_tier(
        self,
        point_uid: str,
        *,
        tier_name: str,
        min_points: int,
        point_tier_uid: str | None = None,
    ) -> Tier:
        """Create a tier, or update the one named by ``point_tier_uid``."""
        sent = {
            "tier_name": tier_name,
            "min_points": min_points,
            "point_tier_uid": point_tier_uid,
        }
        known = {key: value for key, value in sent.items() if value is not None}
        return self._call(
            "point_tier_save",
            path_params={"point_uid": point_uid},
            form=sent,
            parse=lambda answer: Tier.from_api(
                {**known, "point_uid": point_uid, **answer_mapping(answer)}
            ),
        )

    def fan_tier(self, fan_id: int | str, *, point_name: str) -> FanTier:
        """The fan's current tier for ``point_name`` (``tier`` None below the first)."""

        def parse(answer: Any) -> FanTier:
            result = FanTier.from_api(answer)
            if result.point_name is None:
                result = dataclasses.replace(result, point_name=point_name)
            return result

        return self._call(
            "fan_point_tier",
            path_params={"fan_id": fan_id},
            query={"point_name": point_name},
            parse=parse,
        )

    # --- balances and awards (CRM) ----------------------------------------------------

    def fan_points(self, fan_id: int | str) -> list[FanPoint]:
        return self._call(
            "crm_fan_points",
            path_params={"fan_id": fan_id},
            parse=FanPoint.list_from_api,
        )

    def award_fan_points(
        self,
        *,
        point_uid: str,
        fan_id: int | str,
        point_count: int,
        award_key: str | None = None,
        point_type: str | None = None,
        reward_uid: str | None = None,
        page_tab_id: int | None = None,
        activity_id: int | None = None,
        session_uid: str | None = None,
    ) -> FanPointAward:
        """Award (or, negative, remove) points. Never retried; ``award_key`` de-duplicates."""
        return self._call(
            "crm_fan_points_award",
            form={
                "point_uid": point_uid,
                "fan_id": fan_id,
                "point_count": point_count,
                "award_key": award_key,
                "point_type": point_type,
                "reward_uid": reward_uid,
                "page_tab_id": page_tab_id,
                "activity_id": activity_id,
                "session_uid": session_uid,
            },
            secrets=[session_uid],
            parse=lambda answer: FanPointAward.from_api(answer if answer is not None else {}),
        )

    def fan_points_ledger(
        self,
        *,
        start_date: dt.date | str,
        end_date: dt.date | str,
        point_uid: str | None = None,
        fan_id: int | str | None = None,
        limit: int | None = None,
    ) -> list[FanPoint]:
        return self._call(
            "crm_fan_points_ledger",
            query={
                "start_date": start_date,
                "end_date": end_date,
                "point_uid": point_uid,
                "fan_id": fan_id,
                "limit": limit,
            },
            parse=FanPoint.list_from_api,
        )

    def leaderboard(
        self,
        *,
        point_name: str,
        start_date: dt.date | str | None = None,
        end_date: dt.date | str | None = None,
        limit: int | None = None,
    ) -> list[LeaderboardRow]:
        """Fans ranked by points; the API needs ``start_date`` or ``end_date``."""
        if start_date is None and end_date is None:
            raise ValueError("pass start_date or end_date (the API requires one)")
        return self._call(
            "crm_leaderboard",
            query={
                "point_name": point_name,
                "start_date": start_date,
                "end_date": end_date,
                "limit": limit,
            },
            parse=LeaderboardRow.list_from_api,
        )
