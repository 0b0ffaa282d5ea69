"""Quests of a business, and a fan's completions of them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from ..models import (
    Completions,
    Quest,
    QuestCompletion,
    QuestRewardType,
    QuestType,
    RestrictionType,
)
from .api_service import ApiService, merged_with_sent

__all__ = ["QuestService"]


class QuestService(ApiService):
    """A business's quests and a fan's completions of them."""

    def quests(self, business_id: int | str) -> list[Quest]:
        return self._call(
            "quests", path_params={"business_id": business_id}, parse=Quest.list_from_api
        )

    def create_quest(
        self,
        business_id: int | str,
        *,
        quest_type: QuestType | str,
        quest_title: str,
        quest_description: str | None = None,
        button_text: str | None = None,
        reward_type: QuestRewardType | str | None = None,
        fan_points_reward: int | None = None,
        performance_uid: str | None = None,
        target_page_tab_id: int | None = None,
        link_url: str | None = None,
        scan_group_names: Iterable[str] | None = None,
        site_name: str | None = None,
        access_restriction_type: RestrictionType | str | None = None,
        fan_points_required: int | None = None,
        point_tier_uid: str | None = None,
        required_page_tab_ids: Iterable[int] | None = None,
        tag_name: str | None = None,
        start_date: dt.date | str | None = None,
        end_date: dt.date | str | None = None,
        media_uid: str | None = None,
        idol_uid: str | None = None,
        is_required: bool | None = None,
    ) -> Quest:
        """Create a quest; the API validates the conditional fields (BadRequest says why).

        The keyword arguments are ``Quest.creation_fields()``, in that order (a test
        holds them together).
        """
        sent: dict[str, Any] = {
            "quest_type": quest_type,
            "quest_title": quest_title,
            "quest_description": quest_description,
            "button_text": button_text,
            "reward_type": reward_type,
            "fan_points_reward": fan_points_reward,
            "performance_uid": performance_uid,
            "target_page_tab_id": target_page_tab_id,
            "link_url": link_url,
            "scan_group_names": tuple(scan_group_names) if scan_group_names else None,
            "site_name": site_name,
            "access_restriction_type": access_restriction_type,
            "fan_points_required": fan_points_required,
            "point_tier_uid": point_tier_uid,
            "required_page_tab_ids": (
                tuple(required_page_tab_ids) if required_page_tab_ids else None
            ),
            "tag_name": tag_name,
            "start_date": start_date,
            "end_date": end_date,
            "media_uid": media_uid,
            "idol_uid": idol_uid,
            "is_required": is_required,
        }
        return self._call(
            "quest_create",
            path_params={"business_id": business_id},
            form=sent,
            parse=lambda answer: Quest.from_api(merged_with_sent(sent, answer)),
        )

    def delete_quest(self, business_id: int | str, page_tab_id: int | str) -> None:
        self._call(
            "quest_delete",
            path_params={"business_id": business_id, "page_tab_id": page_tab_id},
        )

    # --- completions ------------------------------------------------------------------

    def completions(self, business_id: int | str, fan_id: int | str) -> Completions:
        return self._call(
            "quest_completions",
            path_params={"business_id": business_id, "fan_id": fan_id},
            parse=Completions.from_api,
        )

    def complete_quest(
        self, business_id: int | str, page_tab_id: int | str, fan_id: int | str
    ) -> QuestCompletion:
        """Complete a quest; idempotent (a repeat returns the same activity), so retried."""
        return self._call(
            "quest_complete",
            path_params={"business_id": business_id, "page_tab_id": page_tab_id, "fan_id": fan_id},
            parse=QuestCompletion.from_api,
        )
