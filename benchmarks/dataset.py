"""The stand-in API's data: one business with N quests and M rewards, and any fan's own data.

Shapes and field names copy what ``tbits_sandbox.payloads`` answers (which follows the
provider's docs), without importing the sandbox: the benchmark is the other side of the
wire too. Everything is derived from the sizes and the fan id, so two runs see the same
data and any fan id is a valid fan with a plausible mix of completions, points and tags.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

ACCOUNT_ID = 1001
BUSINESS_ID = 2002
POINT_UID = "5b0c1d2e-0000-4000-8000-00000000b0b0"
POINT_NAME = "Fan Points"
VIP_TAG = "vip"
MEDIA_UID = "6d1e2f30-0000-4000-8000-0000000000aa"

#: name, min_points; uids derived from the name.
TIERS = (("Bronze", 100), ("Silver", 500), ("Gold", 1500), ("Platinum", 5000))

LIVE_PERFORMANCE = "7e2f3041-0000-4000-8000-00000000e001"
NEXT_PERFORMANCE = "7e2f3041-0000-4000-8000-00000000e002"


def tier_uid(name: str) -> str:
    """A stable uid for a tier name."""
    return f"8f304152-0000-4000-8000-{name.lower():0>12.12}"


def quest_id(index: int) -> int:
    """The ``page_tab_id`` of the index-th quest (1-based)."""
    return 10_000 + index


def reward_uid(index: int) -> str:
    """The ``reward_uid`` of the index-th reward (1-based)."""
    return f"90415263-0000-4000-8000-{index:012d}"


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(frozen=True)
class Dataset:
    """The catalogue of one business, sized for one benchmark scenario."""

    quests: int
    rewards: int
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    # --- business-wide -------------------------------------------------------------------

    def status(self) -> dict[str, Any]:
        return {
            "legal_terms": "https://club.example/terms",
            "legal_privacy": "https://club.example/privacy",
            "header_text": "Harbour FC",
            "image_url": None,
        }

    def businesses(self) -> list[dict[str, Any]]:
        return [
            {
                "business_id": BUSINESS_ID,
                "account_id": ACCOUNT_ID,
                "business_name": "Harbour FC",
                "point_uid": POINT_UID,
                "point_name": POINT_NAME,
                "style_props": {"primary_color": "#0b3d91", "accent_color": "#ffd600"},
                "media_map": {"logo": MEDIA_UID},
                "media_urls": {"logo": f"https://media.example/fb_media/{MEDIA_UID}"},
                "locale_props": {},
                "scheduler_props": {},
                "legal_rules": "",
                "legal_terms": "https://club.example/terms",
                "legal_privacy": "https://club.example/privacy",
            }
        ]

    def point_types(self) -> list[dict[str, Any]]:
        return [
            {
                "point_uid": POINT_UID,
                "point_name": POINT_NAME,
                "account_id": ACCOUNT_ID,
                "creation_timestamp": "2025-01-01T00:00:00+00:00",
            }
        ]

    def tiers(self) -> list[dict[str, Any]]:
        return [
            {
                "point_tier_uid": tier_uid(name),
                "point_uid": POINT_UID,
                "tier_name": name,
                "min_points": minimum,
                "creation_timestamp": "2025-01-01T00:00:00+00:00",
            }
            for name, minimum in TIERS
        ]

    def performances(self) -> list[dict[str, Any]]:
        today = self.now.date()
        return [
            {
                "performance_uid": LIVE_PERFORMANCE,
                "account_id": ACCOUNT_ID,
                "business_id": BUSINESS_ID,
                "performance_name": "Cup final",
                "performance_date": _iso(today),
                "venue_name": "Harbour Stadium",
                "display_venue_name": "Harbour Stadium",
                "city": "Vancouver",
                "province": "BC",
                "country_code": "CA",
                "artist_name": None,
                "status": "active",
                "label_name": None,
                "creation_timestamp": "2025-01-01T00:00:00+00:00",
                # An explicit window keeps the event "on" whatever the time of day.
                "start_timestamp": _iso(self.now - dt.timedelta(hours=1)),
                "end_timestamp": _iso(self.now + dt.timedelta(hours=3)),
            },
            {
                "performance_uid": NEXT_PERFORMANCE,
                "account_id": ACCOUNT_ID,
                "business_id": BUSINESS_ID,
                "performance_name": "League opener",
                "performance_date": _iso(today + dt.timedelta(days=7)),
                "venue_name": "Harbour Stadium",
                "display_venue_name": "Harbour Stadium",
                "city": "Vancouver",
                "province": "BC",
                "country_code": "CA",
                "artist_name": None,
                "status": "active",
                "label_name": None,
                "creation_timestamp": "2025-01-01T00:00:00+00:00",
            },
        ]

    def quest_list(self) -> list[dict[str, Any]]:
        return [self._quest(index) for index in range(1, self.quests + 1)]

    def _quest(self, index: int) -> dict[str, Any]:
        """A mix like a real portal's: mostly open quests, some locked, dated or event-tied."""
        today = self.now.date()
        kind = index % 20
        quest: dict[str, Any] = {
            "page_tab_id": quest_id(index),
            "business_id": BUSINESS_ID,
            "point_uid": POINT_UID,
            "quest_type": "custom",
            "quest_title": f"Quest number {index}",
            "quest_description": f"Do the thing number {index} for the club and earn points.",
            "button_text": None,
            "reward_type": "fan_points",
            "fan_points_reward": 10 + (index * 7) % 200,
            "performance_uid": None,
            "target_page_tab_id": None,
            "link_url": None,
            "scan_group_names": [],
            "site_name": None,
            "access_restriction_type": None,
            "fan_points_required": None,
            "point_tier_uid": None,
            "required_page_tab_ids": [],
            "tag_name": None,
            "start_date": None,
            "end_date": None,
            "media_uid": MEDIA_UID,
            "image_url": f"https://media.example/fb_media/{MEDIA_UID}",
            "idol_uid": None,
            "is_required": False,
            "atvenu_sales_event_key": None,
            "atvenu_promo_key": None,
            "bestring_location_group_id": None,
            "bestring_promotion_id": None,
            "creation_timestamp": "2025-01-01T00:00:00+00:00",
        }
        if kind in (0, 10):
            quest |= {"access_restriction_type": "fan_points", "fan_points_required": 900}
        elif kind in (1, 11):
            quest |= {"access_restriction_type": "point_tier", "point_tier_uid": tier_uid("Gold")}
        elif kind in (2, 12) and index > 2:
            quest |= {
                "access_restriction_type": "quests",
                "required_page_tab_ids": [quest_id(index - 1), quest_id(index - 2)],
            }
        elif kind == 3:
            quest |= {"access_restriction_type": "tag", "tag_name": VIP_TAG}
        elif kind in (4, 14):
            quest |= {"quest_type": "link_url", "link_url": f"https://club.example/news/{index}"}
        elif kind == 5:
            quest |= {"quest_type": "scan", "performance_uid": LIVE_PERFORMANCE}
        elif kind == 15:
            quest |= {"quest_type": "wristband", "performance_uid": LIVE_PERFORMANCE}
        elif kind == 6:
            quest |= {"quest_type": "campaign", "target_page_tab_id": 90_000 + index}
        elif kind == 7:
            quest |= {"start_date": _iso(today + dt.timedelta(days=3 + index % 5))}
        elif kind == 8:
            quest |= {"end_date": _iso(today - dt.timedelta(days=2))}
        elif kind == 9:
            quest |= {"performance_uid": NEXT_PERFORMANCE}
        return quest

    def reward_list(self) -> list[dict[str, Any]]:
        return [self._reward(index) for index in range(1, self.rewards + 1)]

    def _reward(self, index: int) -> dict[str, Any]:
        kind = index % 4
        reward_type = ("badge", "pass", "prize_code", "badge")[index % 4]
        tier_name = TIERS[index % len(TIERS)][0]
        year = self.now.year + 1
        reward: dict[str, Any] = {
            "reward_uid": reward_uid(index),
            "business_id": BUSINESS_ID,
            "reward_title": f"Reward number {index}",
            "reward_type": reward_type,
            "description": f"A reward for loyal fans, number {index}.",
            "expiration_timestamp": f"{year}-12-31T23:59:59",
            "timezone": "UTC",
            "winner_selection_model": "all",
            "reward_limit": None,
            "delivered_count": 0,
            "requirement_type": None,
            "point_tier_uid": None,
            "required_page_tab_ids": [],
            "performance_uid": None,
            "media_uid": MEDIA_UID,
            "image_url": f"https://media.example/fb_media/{MEDIA_UID}",
            "access_start_timestamp": None,
            "access_end_timestamp": None,
            "access_pass_type": None,
            "is_limited": False,
            "prize_code_count": 0,
            "prize_codes_remaining": 0,
            "atvenu_sales_event_key": None,
            "atvenu_promo_key": None,
            "atvenu_delivery_method": None,
            "bestring_location_group_id": None,
            "bestring_promotion_id": None,
            "creation_timestamp": "2025-01-01T00:00:00+00:00",
        }
        if kind == 0:
            reward |= {"requirement_type": "point_tier", "point_tier_uid": tier_uid(tier_name)}
        elif kind == 1:
            first = 1 + (index * 3) % max(self.quests, 1)
            second = 1 + (index * 5) % max(self.quests, 1)
            reward |= {
                "requirement_type": "quests",
                "required_page_tab_ids": [quest_id(first), quest_id(second)],
            }
        elif kind == 3:
            reward |= {
                "requirement_type": "point_tier",
                "point_tier_uid": tier_uid(tier_name),
                "winner_selection_model": "first",
                "reward_limit": 100,
                "delivered_count": 40,
                "is_limited": True,
            }
        return reward

    # --- one fan -----------------------------------------------------------------------

    @staticmethod
    def points_of(fan_id: int) -> int:
        return 50 + (fan_id * 97) % 2000

    def completed_of(self, fan_id: int) -> set[int]:
        return {quest_id(index) for index in range(1, self.quests + 1) if (index + fan_id) % 3 == 0}

    def fan(self, fan_id: int) -> dict[str, Any]:
        return {
            "fan_id": fan_id,
            "account_id": ACCOUNT_ID,
            "name": f"Fan {fan_id}",
            "first_name": "Fan",
            "last_name": str(fan_id),
            "display_name": f"fan{fan_id}",
            "email": f"fan{fan_id}@example.com",
            "phone": None,
            "province": None,
            "city": None,
            "country_code": "CA",
            "postal_code": None,
            "latitude": None,
            "longitude": None,
            "metro_area": None,
            "ip_address": None,
            "birth_date": None,
            "gender": None,
            "rating": None,
            "is_subscribed": True,
            "is_phone_subscribed": False,
            "has_password": True,
            "fields": {},
            "props": {},
            "tags": [VIP_TAG] if fan_id % 2 == 0 else [],
            "image_url": None,
            "creation_timestamp": "2025-01-01T00:00:00+00:00",
            "last_update_timestamp": "2025-01-01T00:00:00+00:00",
        }

    def fan_points(self, fan_id: int) -> list[dict[str, Any]]:
        return [
            {
                "fan_id": fan_id,
                "point_uid": POINT_UID,
                "point_name": POINT_NAME,
                "point_count": self.points_of(fan_id),
            }
        ]

    def fan_tier(self, fan_id: int) -> dict[str, Any]:
        points = self.points_of(fan_id)
        reached = [tier for tier in self.tiers() if tier["min_points"] <= points]
        above = [tier for tier in self.tiers() if tier["min_points"] > points]
        current = reached[-1] if reached else None
        return {
            "fan_id": fan_id,
            "point_uid": POINT_UID,
            "point_name": POINT_NAME,
            "point_count": points,
            "point_tier_uid": current["point_tier_uid"] if current else None,
            "tier_name": current["tier_name"] if current else None,
            "min_points": current["min_points"] if current else None,
            "tier": current,
            "next_tier": above[0] if above else None,
        }

    def completions(self, fan_id: int) -> dict[str, bool]:
        done = self.completed_of(fan_id)
        return {
            str(quest_id(index)): quest_id(index) in done for index in range(1, self.quests + 1)
        }

    def fan_rewards(self, fan_id: int) -> list[dict[str, Any]]:
        """Three delivered rewards (a badge, a pass, a prize code) when the catalogue has them."""
        held = []
        for index in range(1, min(self.rewards, 3) + 1):
            reward = self._reward(index)
            delivered = self.now - dt.timedelta(days=index)
            held.append(
                {
                    "fan_reward_uid": f"a1526374-0000-4000-8000-{fan_id:06d}{index:06d}",
                    "reward_uid": reward["reward_uid"],
                    "business_id": BUSINESS_ID,
                    "reward_title": reward["reward_title"],
                    "reward_type": reward["reward_type"],
                    "description": reward["description"],
                    "fan_id": fan_id,
                    "status": "delivered",
                    "delivery_source": "automatic",
                    "creation_timestamp": _iso(delivered),
                    "delivered_timestamp": _iso(delivered),
                    "last_update_timestamp": _iso(delivered),
                    "expiration_timestamp": reward["expiration_timestamp"],
                    "timezone": "UTC",
                    "prize_code": f"PRIZE-{fan_id}-{index}"
                    if reward["reward_type"] == "prize_code"
                    else None,
                    "pass_code": f"PASS-{fan_id}-{index}"
                    if reward["reward_type"] == "pass"
                    else None,
                    "access_start_timestamp": None,
                    "access_end_timestamp": None,
                    "access_pass_type": None,
                    "performance_uid": None,
                    "atvenu_delivery_method": None,
                    "media_uid": MEDIA_UID,
                    "image_url": f"https://media.example/fb_media/{MEDIA_UID}",
                }
            )
        return held

    def activity(self, fan_id: int) -> dict[str, Any]:
        return {
            "activity_id": 7_000_000 + fan_id,
            "account_id": ACCOUNT_ID,
            "business_id": BUSINESS_ID,
            "fan_id": fan_id,
            "page_tab_id": None,
            "campaign_title": "Loyalty portal visit",
            "props": {},
            "creation_date": _iso(self.now.date()),
            "creation_timestamp": _iso(self.now),
        }

    def leaderboard(self) -> list[dict[str, Any]]:
        return [
            {
                "fan_id": 900 + rank,
                "rank": rank,
                "fan_point_count": 5000 - rank * 40,
                "display_name": f"Fan {rank}",
            }
            for rank in range(1, 51)
        ]
