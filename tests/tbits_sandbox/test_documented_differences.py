"""Issue 15's differences between the sandbox and the reference, each test after one.

Every test is named after the numbered difference it fixes and quotes the sentence of
/work/shared/reference/ it follows.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from tbits_sandbox.models import Fan, FanReward

FUTURE = "2099-12-31T23:59:59"


def new_fan(api: Any, email: str) -> int:
    """A registered fan with a login activity for the business (eligible for automatic rewards)."""
    api.connect("register", email=email, first_name="Test", last_name="Fan")
    fan_id = Fan.objects.get(email=email).fan_id
    answer = api.post(
        f"api/v1/crm/fans/{fan_id}/activities",
        {"campaign_title": "Portal login", "business_id": api.seed.business_id},
    )
    assert answer.status_code == 200
    return fan_id


def new_reward(api: Any, **fields: str) -> dict[str, Any]:
    """Create a reward of the seeded business; the answer must be a 200."""
    data = {"expiration_timestamp": FUTURE, "timezone": "UTC", **fields}
    answer = api.post(api.ent("rewards"), data)
    assert answer.status_code == 200, answer.json()
    return answer.json()


def assign(api: Any, fan_id: int, reward_uid: str) -> Any:
    """Manually assign a reward to a fan."""
    return api.post(api.ent(f"fans/{fan_id}/rewards"), {"reward_uid": reward_uid})


@pytest.mark.parametrize("spelling", ["null", "NULL", "None", ""])
def test_difference_1_quest_reward_type_may_be_null(api: Any, spelling: str) -> None:
    """loyalty-portal-integration.txt, "Step 4: Create Quests", quest creation parameters:
    "reward_type | string | No | fan_points or null".
    """
    answer = api.post(
        api.ent("quests"),
        {"quest_type": "custom", "quest_title": "No points", "reward_type": spelling},
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["reward_type"] is None
    (listed,) = [q for q in api.get(api.ent("quests")).json() if q["quest_title"] == "No points"]
    assert listed["reward_type"] is None and listed["page_tab_id"] == answer.json()["page_tab_id"]


@pytest.mark.parametrize("spelling", ["null", "NULL", "None", ""])
def test_difference_1_reward_requirement_type_may_be_null(api: Any, spelling: str) -> None:
    """loyalty-portal-integration.txt, "Step 5: Create Rewards", reward creation parameters:
    "requirement_type | string | No | point_tier, quests, or null"; and under "Rewards":
    "(none) Assigned manually through the API or admin UI".
    """
    reward = new_reward(
        api,
        reward_title="By hand",
        reward_type="badge",
        winner_selection_model="all",
        requirement_type=spelling,
    )
    assert reward["requirement_type"] is None
    fan_id = new_fan(api, f"by-hand-{(spelling or 'empty').lower()}@example.com")
    assigned = assign(api, fan_id, reward["reward_uid"])
    assert assigned.status_code == 200 and assigned.json()["reward_title"] == "By hand"


def test_difference_1_other_values_are_still_refused(api: Any) -> None:
    """Null is allowed; any other word outside the documented values is still a 400."""
    quest = api.post(
        api.ent("quests"),
        {"quest_type": "custom", "quest_title": "Bad", "reward_type": "coins"},
    )
    assert quest.status_code == 400 and "reward_type" in quest.json()["error"]


def test_difference_2_prize_code_pool_not_limited_is_reused(api: Any) -> None:
    """loyalty-portal-integration.txt, "Step 5: Create Rewards", reward-type-specific fields:
    "prize_code | prize_codes (comma or newline-separated list), is_limited (single-use flag)".
    A code that is not single-use can be handed out again.
    """
    reward = new_reward(
        api,
        reward_title="Shared Code",
        reward_type="prize_code",
        winner_selection_model="all",
        prize_codes="SHARED",
        is_limited="false",
    )
    fans = [new_fan(api, f"shared{index}@example.com") for index in range(3)]
    answers = [assign(api, fan_id, reward["reward_uid"]) for fan_id in fans]
    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert [answer.json()["prize_code"] for answer in answers] == ["SHARED"] * 3


def test_difference_2_unlimited_pool_hands_out_every_code_before_reusing_one(api: Any) -> None:
    """Same sentence: an unlimited pool still gives each code out once before repeating any."""
    reward = new_reward(
        api,
        reward_title="Two Shared Codes",
        reward_type="prize_code",
        winner_selection_model="all",
        prize_codes="A,B",
        is_limited="false",
    )
    fans = [new_fan(api, f"two-shared{index}@example.com") for index in range(4)]
    codes = [assign(api, fan_id, reward["reward_uid"]).json()["prize_code"] for fan_id in fans]
    assert sorted(codes[:2]) == ["A", "B"] and sorted(codes[2:]) == ["A", "B"]


def test_difference_11_first_n_goes_to_the_first_fans_to_qualify(api: Any) -> None:
    """loyalty-portal-integration.txt, "Step 5: Create Rewards": "winner_selection_model |
    string | Yes | all (unlimited) or first (limited supply)"; ENDPOINTS.md, "Quest status
    rules": "limited rewards (winner_selection_model=first) go to the first reward_limit fans."
    The first fans are the first to meet the requirement, not the lowest fan ids.
    """
    quest = api.post(
        api.ent("quests"), {"quest_type": "custom", "quest_title": "Early bird"}
    ).json()
    early, late = new_fan(api, "early@example.com"), new_fan(api, "late@example.com")
    assert early < late
    # The fan with the higher id qualifies first.
    for fan_id in (late, early):
        path = api.ent(f"quests/{quest['page_tab_id']}/fans/{fan_id}/complete")
        assert api.post(path).status_code == 200
    reward = new_reward(
        api,
        reward_title="First One",
        reward_type="badge",
        winner_selection_model="first",
        reward_limit="1",
        requirement_type="quests",
        **{"required_page_tab_ids[]": str(quest["page_tab_id"])},
    )
    call_command("sandbox_process_rewards", stdout=io.StringIO())
    holders = FanReward.objects.filter(reward_id=reward["reward_uid"])
    assert list(holders.values_list("fan_id", flat=True)) == [late]


def test_difference_11_first_n_by_point_tier_follows_when_the_tier_was_reached(api: Any) -> None:
    """Same sentences, for a point_tier requirement: the first fans to reach the tier."""
    first, second = new_fan(api, "tier-a@example.com"), new_fan(api, "tier-b@example.com")
    tier = api.post(
        f"api/v1/crm/point_tiers/{api.seed.point_uid}",
        {"tier_name": "Summit", "min_points": "5000000"},
    ).json()
    for fan_id in (second, first):
        award = {"point_uid": api.seed.point_uid, "fan_id": fan_id, "point_count": 5_000_000}
        assert api.post("api/v1/crm/fan_points", award).status_code == 200
    reward = new_reward(
        api,
        reward_title="Summit First",
        reward_type="badge",
        winner_selection_model="first",
        reward_limit="1",
        requirement_type="point_tier",
        point_tier_uid=tier["point_tier_uid"],
    )
    call_command("sandbox_process_rewards", stdout=io.StringIO())
    holders = FanReward.objects.filter(reward_id=reward["reward_uid"])
    assert list(holders.values_list("fan_id", flat=True)) == [second]


def test_difference_11_reward_limit_is_honoured_for_the_all_selection(api: Any) -> None:
    """loyalty-portal-integration.txt, "Rewards": "Every reward has an expiration date and an
    optional limit on how many fans can receive it"; "Step 5": "reward_limit | integer |
    Conditional | Max recipients (required when winner_selection_model is first)".
    """
    reward = new_reward(
        api,
        reward_title="Two For All",
        reward_type="badge",
        winner_selection_model="all",
        reward_limit="2",
    )
    fans = [new_fan(api, f"all{index}@example.com") for index in range(3)]
    answers = [assign(api, fan_id, reward["reward_uid"]) for fan_id in fans]
    assert [answer.status_code for answer in answers] == [200, 200, 400]
    assert FanReward.objects.filter(reward_id=reward["reward_uid"]).count() == 2


def test_difference_3_idol_events_honour_the_documented_search_parameters(api: Any) -> None:
    """Idols Calls: "Based on the search parameters return a list of Idol Events", with
    ``idol_uid``, ``venue_name``, ``q``, ``label_name``, ``start_date``, ``end_date``
    (api-reference.txt). Each one given narrows the list.
    """
    from datetime import UTC, datetime

    from tbits_sandbox.models import Idol, IdolEvent

    account_id = api.seed.account_id
    singer = Idol.objects.create(account_id=account_id, idol_name="Marguerite Orbe")
    drummer = Idol.objects.create(account_id=account_id, idol_name="Kofi Lake")
    spring = IdolEvent.objects.create(
        idol=singer,
        start_timestamp=datetime(2031, 4, 10, 19, tzinfo=UTC),
        end_timestamp=datetime(2031, 4, 10, 22, tzinfo=UTC),
        venue_name="Quay Hall",
        city="Halifax",
    )
    summer = IdolEvent.objects.create(
        idol=singer,
        start_timestamp=datetime(2031, 7, 2, 19, tzinfo=UTC),
        end_timestamp=datetime(2031, 7, 2, 22, tzinfo=UTC),
        venue_name="Lantern Field",
        city="Moncton",
    )
    autumn = IdolEvent.objects.create(
        idol=drummer,
        start_timestamp=datetime(2031, 10, 5, 19, tzinfo=UTC),
        end_timestamp=datetime(2031, 10, 5, 22, tzinfo=UTC),
        venue_name="Quay Hall",
        city="Halifax",
    )

    def found(**params: str) -> set[str]:
        answer = api.get("api/v1/idols/events", params)
        assert answer.status_code == 200, answer.json()
        return {row["event_uid"] for row in answer.json()} & {
            str(event.event_uid) for event in (spring, summer, autumn)
        }

    every = {str(spring.event_uid), str(summer.event_uid), str(autumn.event_uid)}
    assert found() == every
    assert found(idol_uid=str(singer.idol_uid)) == {str(spring.event_uid), str(summer.event_uid)}
    assert found(venue_name="quay hall") == {str(spring.event_uid), str(autumn.event_uid)}
    assert found(q="orbe") == {str(spring.event_uid), str(summer.event_uid)}
    assert found(q="moncton") == {str(summer.event_uid)}
    assert found(q="kofi halifax") == {str(autumn.event_uid)}
    assert found(start_date="2031-05-01") == {str(summer.event_uid), str(autumn.event_uid)}
    assert found(end_date="2031-07-01") == {str(spring.event_uid)}
    assert found(start_date="2031-07-02", end_date="2031-07-02") == {str(summer.event_uid)}
    assert found(venue_name="Quay Hall", start_date="2031-06-01") == {str(autumn.event_uid)}
    assert api.get("api/v1/idols/events", {"start_date": "soon"}).status_code == 400
    backwards = {"start_date": "2031-07-02", "end_date": "2031-07-01"}
    assert api.get("api/v1/idols/events", backwards).status_code == 400


def _performance(api: Any, days_from_today: int) -> str:
    from datetime import timedelta

    from django.utils import timezone

    from tbits_sandbox.models import Performance

    performance = Performance.objects.create(
        account_id=api.seed.account_id,
        performance_name=f"Match in {days_from_today} days",
        performance_date=timezone.now().date() + timedelta(days=days_from_today),
    )
    return str(performance.performance_uid)


def test_difference_6_a_reward_tied_to_a_performance_is_assigned_only_during_it(
    api: Any,
) -> None:
    """Performance: "Quests and rewards can be tied to a specific performance so they only
    appear during that event's timeframe" (loyalty-portal-integration.txt, Key Concepts).
    """
    fan_id = new_fan(api, "event-goer@example.com")
    later = new_reward(
        api,
        reward_title="Next week's scarf",
        reward_type="badge",
        winner_selection_model="all",
        performance_uid=_performance(api, 7),
    )
    refused = assign(api, fan_id, later["reward_uid"])
    assert refused.status_code == 400
    assert "performance" in refused.json()["error"]
    past = new_reward(
        api,
        reward_title="Last week's scarf",
        reward_type="badge",
        winner_selection_model="all",
        performance_uid=_performance(api, -7),
    )
    assert assign(api, fan_id, past["reward_uid"]).status_code == 400
    today = new_reward(
        api,
        reward_title="Tonight's scarf",
        reward_type="badge",
        winner_selection_model="all",
        performance_uid=_performance(api, 0),
    )
    assert assign(api, fan_id, today["reward_uid"]).status_code == 200
    assert not FanReward.objects.filter(fan_id=fan_id, reward_id=later["reward_uid"]).exists()


def test_difference_6_automatic_delivery_waits_for_the_performance(api: Any) -> None:
    """Automatic delivery too: "only appear during that event's timeframe"."""
    from tbits_sandbox import delivery

    fan_id = new_fan(api, "early-bird@example.com")
    quest_id = api.seed.quests["Follow us on Instagram"]
    api.post(api.ent(f"quests/{quest_id}/fans/{fan_id}/complete"))
    kinds = {"requirement_type": "quests", "required_page_tab_ids[]": str(quest_id)}
    ahead = new_reward(
        api,
        reward_title="Matchday follower",
        reward_type="badge",
        winner_selection_model="all",
        performance_uid=_performance(api, 3),
        **kinds,
    )
    now = new_reward(
        api,
        reward_title="Tonight's follower",
        reward_type="badge",
        winner_selection_model="all",
        performance_uid=_performance(api, 0),
        **kinds,
    )
    delivery.process_rewards(fan_ids=[fan_id])
    held = set(FanReward.objects.filter(fan_id=fan_id).values_list("reward_id", flat=True))
    assert {str(uid) for uid in held} >= {now["reward_uid"]}
    assert ahead["reward_uid"] not in {str(uid) for uid in held}
