"""API models as the rules see them: bare dates and times read in the event's zone."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from loyalty import mapping
from tbits_client import Quest, Reward

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def test_a_quest_is_open_from_its_first_day_to_the_end_of_its_last_in_the_event_zone():
    quest = Quest.from_api(
        {
            "page_tab_id": 1,
            "quest_title": "Check in",
            "quest_type": "custom",
            "start_date": "2026-06-13",
            "end_date": "2026-06-14",
        }
    )
    rule = mapping.quest_rule(quest, zone=PARIS)
    assert rule.opens_at == dt.datetime(2026, 6, 13, tzinfo=PARIS)
    assert rule.closes_at == dt.datetime(2026, 6, 15, tzinfo=PARIS)


def test_a_reward_time_is_read_in_its_own_zone_else_the_event_zone():
    payload = {
        "reward_uid": "r1",
        "reward_title": "Badge",
        "reward_type": "badge",
        "expiration_timestamp": "2026-06-14 20:00:00",
    }
    own = mapping.reward_rule(Reward.from_api({**payload, "timezone": "Asia/Tokyo"}), zone=PARIS)
    assert own.expires_at == dt.datetime(2026, 6, 14, 20, tzinfo=zoneinfo.ZoneInfo("Asia/Tokyo"))
    unknown = mapping.reward_rule(
        Reward.from_api({**payload, "timezone": "Nowhere/Land"}), zone=PARIS
    )
    assert unknown.expires_at == dt.datetime(2026, 6, 14, 20, tzinfo=PARIS)


def test_an_unknown_zone_name_is_utc():
    assert mapping.zone_named("Nowhere/Land") is dt.UTC
    assert mapping.zone_named(None) is dt.UTC
    assert mapping.zone_named("Europe/Paris") == PARIS
