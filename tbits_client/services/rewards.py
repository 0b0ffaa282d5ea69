"""Rewards of a business, the rewards fans hold, and reward delivery updates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from ..models import (
    FanReward,
    RequirementType,
    Reward,
    RewardType,
    RewardUpdate,
    SelectionModel,
)
from .api_service import ApiService, answer_mapping, merged_with_sent

__all__ = ["RewardService"]


class RewardService(ApiService):
    """A business's rewards, what fans hold, and delivery updates."""

    def rewards(self, business_id: int | str) -> list[Reward]:
        return self._call(
            "rewards", path_params={"business_id": business_id}, parse=Reward.list_from_api
        )

    def create_reward(
        self,
        business_id: int | str,
        *,
        reward_title: str,
        reward_type: RewardType | str,
        expiration_timestamp: dt.datetime | str,
        timezone: str,
        winner_selection_model: SelectionModel | str,
        reward_limit: int | None = None,
        requirement_type: RequirementType | str | None = None,
        point_tier_uid: str | None = None,
        required_page_tab_ids: Iterable[int] | None = None,
        description: str | None = None,
        performance_uid: str | None = None,
        access_start_timestamp: dt.datetime | str | None = None,
        access_end_timestamp: dt.datetime | str | None = None,
        access_pass_type: str | None = None,
        prize_codes: Iterable[str] | None = None,
        is_limited: bool | None = None,
        atvenu_sales_event_key: str | None = None,
        atvenu_promo_key: str | None = None,
        atvenu_delivery_method: str | None = None,
        bestring_location_group_id: str | None = None,
        bestring_promotion_id: str | None = None,
        media_uid: str | None = None,
    ) -> Reward:
        """Create a reward; the API validates the conditional fields (BadRequest says why).

        The keyword arguments are ``Reward.creation_fields()``, in that order (a test
        holds them together).
        """
        sent: dict[str, Any] = {
            "reward_title": reward_title,
            "reward_type": reward_type,
            "expiration_timestamp": expiration_timestamp,
            "timezone": timezone,
            "winner_selection_model": winner_selection_model,
            "reward_limit": reward_limit,
            "requirement_type": requirement_type,
            "point_tier_uid": point_tier_uid,
            "required_page_tab_ids": (
                tuple(required_page_tab_ids) if required_page_tab_ids else None
            ),
            "description": description,
            "performance_uid": performance_uid,
            "access_start_timestamp": access_start_timestamp,
            "access_end_timestamp": access_end_timestamp,
            "access_pass_type": access_pass_type,
            "prize_codes": tuple(prize_codes) if prize_codes else None,
            "is_limited": is_limited,
            "atvenu_sales_event_key": atvenu_sales_event_key,
            "atvenu_promo_key": atvenu_promo_key,
            "atvenu_delivery_method": atvenu_delivery_method,
            "bestring_location_group_id": bestring_location_group_id,
            "bestring_promotion_id": bestring_promotion_id,
            "media_uid": media_uid,
        }
        return self._call(
            "reward_create",
            path_params={"business_id": business_id},
            form=sent,
            parse=lambda answer: Reward.from_api(merged_with_sent(sent, answer)),
        )

    def delete_reward(self, business_id: int | str, reward_uid: str) -> None:
        self._call(
            "reward_delete",
            path_params={"business_id": business_id, "reward_uid": reward_uid},
        )

    def fan_rewards(self, business_id: int | str, fan_id: int | str) -> list[FanReward]:
        return self._call(
            "fan_rewards",
            path_params={"business_id": business_id, "fan_id": fan_id},
            parse=FanReward.list_from_api,
        )

    def assign_reward(
        self, business_id: int | str, fan_id: int | str, *, reward_uid: str
    ) -> FanReward:
        """Give a reward (one with no automatic requirement) to a fan."""
        return self._call(
            "fan_reward_assign",
            path_params={"business_id": business_id, "fan_id": fan_id},
            form={"reward_uid": reward_uid},
            parse=lambda answer: FanReward.from_api(
                {"reward_uid": reward_uid, "fan_id": fan_id, **answer_mapping(answer)}
            ),
        )

    def reward_updates(self, *, last_update_date: dt.date | str) -> list[RewardUpdate]:
        return self._call(
            "reward_updates",
            query={"last_update_date": last_update_date},
            parse=RewardUpdate.list_from_api,
        )
