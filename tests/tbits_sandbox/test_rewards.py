"""Completion, points, tiers and reward delivery: the behaviour behind the loyalty calls."""

from __future__ import annotations

import datetime as dt
import io
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests
from django.core.management import call_command
from django.utils import timezone

from tbits_sandbox.models import Fan, FanActivity, FanPoint, FanReward, OutboxMessage, Reward

FUTURE = "2099-12-31T23:59:59"


def new_fan(api: Any, email: str, *, with_activity: bool = True) -> int:
    """A registered fan, with a login activity for the business unless told otherwise."""
    api.connect("register", email=email, first_name="Test", last_name="Fan")
    fan_id = Fan.objects.get(email=email).fan_id
    if with_activity:
        answer = api.post(
            f"api/v1/crm/fans/{fan_id}/activities",
            {"campaign_title": "Portal login", "business_id": api.seed.business_id},
        )
        assert answer.status_code == 200
    return fan_id


def complete(api: Any, quest_title: str, fan_id: int) -> Any:
    page_tab_id = api.seed.quests[quest_title]
    return api.post(api.ent(f"quests/{page_tab_id}/fans/{fan_id}/complete"))


def held_titles(api: Any, fan_id: int) -> set[str]:
    return {r["reward_title"] for r in api.get(api.ent(f"fans/{fan_id}/rewards")).json()}


def award(api: Any, fan_id: int, points: int, **extra: Any) -> Any:
    data = {"point_uid": api.seed.point_uid, "fan_id": fan_id, "point_count": points, **extra}
    return api.post("api/v1/crm/fan_points", data)


def test_completion_is_idempotent_and_awards_points_once(api: Any) -> None:
    fan_id = new_fan(api, "once@example.com")
    first = complete(api, "Check in at the stadium", fan_id).json()
    second = complete(api, "Check in at the stadium", fan_id).json()
    assert first["activity_id"] == second["activity_id"]
    assert (first["is_new"], second["is_new"]) == (True, False)
    assert (first["fan_points_awarded"], second["fan_points_awarded"]) == (200, 0)
    quest_id = api.seed.quests["Check in at the stadium"]
    assert FanActivity.objects.filter(fan_id=fan_id, page_tab_id=quest_id).count() == 1
    assert FanPoint.objects.filter(fan_id=fan_id, page_tab_id=quest_id).count() == 1
    completions = api.get(api.ent(f"quests/fans/{fan_id}/complete")).json()
    assert completions[str(quest_id)] is True
    assert sum(completions.values()) == 1 and len(completions) == len(api.seed.quests)


def test_balance_is_the_sum_of_transactions_and_tier_the_highest_reached(api: Any) -> None:
    fan_id = new_fan(api, "tiers@example.com")
    path = f"api/v1/crm/fans/{fan_id}/point_tier"

    def standing() -> tuple[int, str | None, str | None]:
        answer = api.get(path, {"point_name": api.seed.point_name}).json()
        upcoming = answer["next_tier"]["tier_name"] if answer["next_tier"] else None
        return answer["point_count"], answer["tier_name"], upcoming

    assert standing() == (0, None, "Bronze")
    award(api, fan_id, 99)
    assert standing() == (99, None, "Bronze")
    award(api, fan_id, 1)
    assert standing() == (100, "Bronze", "Silver")
    award(api, fan_id, 1400)
    assert standing() == (1500, "Gold", "Platinum")
    award(api, fan_id, -1001)
    assert standing() == (499, "Bronze", "Silver")
    award(api, fan_id, 10_000)
    assert standing() == (10_499, "Platinum", None)
    balances = api.get(f"api/v1/crm/fans/{fan_id}/points").json()
    assert {b["point_name"]: b["point_count"] for b in balances} == {"Fan Points": 10_499}
    assert api.get(path, {"point_name": "Nope"}).status_code == 400


def test_award_key_deduplicates_and_points_are_validated(api: Any) -> None:
    fan_id = new_fan(api, "award@example.com")
    first = award(api, fan_id, 10, award_key="signup-bonus").json()
    again = award(api, fan_id, 10, award_key="signup-bonus").json()
    assert first["fan_point_uid"] == again["fan_point_uid"] and again["is_duplicate"]
    assert FanPoint.objects.filter(fan_id=fan_id).count() == 1
    assert award(api, fan_id, 10_000_001).status_code == 400
    assert award(api, fan_id, 5, point_type="gold").status_code == 400
    assert award(api, 99_999, 5).status_code == 400


def test_automatic_rewards_need_an_activity_for_the_business(api: Any) -> None:
    fan_id = new_fan(api, "no-activity@example.com", with_activity=False)
    award(api, fan_id, 600)
    assert held_titles(api, fan_id) == set()
    out = io.StringIO()
    call_command("sandbox_process_rewards", stdout=out)
    assert held_titles(api, fan_id) == set() and "Delivered 0 reward(s)." in out.getvalue()
    FanActivity.objects.create(
        account_id=api.seed.account_id,
        business_id=api.seed.business_id,
        fan_id=fan_id,
        campaign_title="Portal login",
    )
    call_command("sandbox_process_rewards", stdout=out)
    assert held_titles(api, fan_id) == {"Bronze Member Badge", "Silver Lounge Pass"}
    assert "Delivered 2 reward(s)." in out.getvalue()


def test_difference_5_activity_without_the_business_does_not_make_a_fan_eligible(
    api: Any,
) -> None:
    """loyalty-portal-integration.txt, "Fan Points and Fan Activities": "The background
    reward system only considers fans who have at least one activity record associated
    with the business."
    """
    fan_id = new_fan(api, "no-business@example.com", with_activity=False)
    award(api, fan_id, 600)
    answer = api.post(f"api/v1/crm/fans/{fan_id}/activities", {"campaign_title": "Somewhere else"})
    assert answer.status_code == 200
    call_command("sandbox_process_rewards", stdout=io.StringIO())
    assert held_titles(api, fan_id) == set()
    api.post(
        f"api/v1/crm/fans/{fan_id}/activities",
        {"campaign_title": "Portal login", "business_id": api.seed.business_id},
    )
    assert held_titles(api, fan_id) == {"Bronze Member Badge", "Silver Lounge Pass"}


def test_quests_requirement_and_delivery_after_each_completion(api: Any) -> None:
    fan_id = new_fan(api, "chain@example.com")
    complete(api, "Follow us on Instagram", fan_id)
    complete(api, "Visit the club shop", fan_id)
    assert "Superfan Chain Badge" not in held_titles(api, fan_id)
    complete(api, "Share the matchday playlist", fan_id)
    assert "Superfan Chain Badge" in held_titles(api, fan_id)
    complete(api, "Check in at the stadium", fan_id)
    (voucher,) = [
        r for r in api.get(api.ent(f"fans/{fan_id}/rewards")).json() if r["reward_type"] == "atvenu"
    ]
    assert voucher["status"] == "pushed" and voucher["atvenu_delivery_method"] == "wristband"


def test_rewards_are_never_delivered_twice(api: Any) -> None:
    fan_id = new_fan(api, "twice@example.com")
    award(api, fan_id, 150)
    call_command("sandbox_process_rewards", stdout=io.StringIO())
    award(api, fan_id, 1)
    complete(api, "Complete your profile", fan_id)
    bronze = Reward.objects.get(reward_uid=api.seed.rewards["Bronze Member Badge"])
    assert FanReward.objects.filter(reward=bronze, fan_id=fan_id).count() == 1
    # The fan is told once, by email.
    assert (
        OutboxMessage.objects.filter(
            to="twice@example.com", message__contains="Bronze Member Badge"
        ).count()
        == 1
    )


def test_first_n_goes_to_the_first_n_only(api: Any) -> None:
    limited = api.post(
        api.ent("rewards"),
        {
            "reward_title": "First Two",
            "reward_type": "badge",
            "expiration_timestamp": FUTURE,
            "timezone": "UTC",
            "winner_selection_model": "first",
            "reward_limit": "2",
            "requirement_type": "point_tier",
            "point_tier_uid": api.seed.tiers["Bronze"],
        },
    ).json()
    # The seeded fans with Bronze already took both places.
    holders = FanReward.objects.filter(reward_id=limited["reward_uid"])
    assert holders.count() == 0  # delivered only by the task or a fan's next change
    call_command("sandbox_process_rewards", stdout=io.StringIO())
    assert holders.count() == 2
    late = new_fan(api, "late@example.com")
    award(api, late, 200)
    assert "First Two" not in held_titles(api, late)
    assert Reward.objects.get(pk=limited["reward_uid"]).delivered_count == 2


def test_a_limit_claimed_elsewhere_is_respected(api: Any) -> None:
    """Another worker claimed the last place between our read and our write."""
    from tbits_sandbox import delivery

    reward = Reward.objects.get(reward_uid=api.seed.rewards["Gold Merch Discount"])
    Reward.objects.filter(pk=reward.pk).update(delivered_count=reward.reward_limit)
    fan = Fan.objects.get(fan_id=new_fan(api, "gold@example.com"))
    with pytest.raises(delivery.NotDeliverable):
        delivery.deliver(reward, fan, source="automatic")
    assert not FanReward.objects.filter(reward=reward, fan=fan).exists()
    assert not reward.prize_codes.filter(fan_reward__isnull=False).exists()


def test_each_prize_code_is_drawn_once_and_an_empty_pool_delivers_nothing(api: Any) -> None:
    reward = api.post(
        api.ent("rewards"),
        {
            "reward_title": "Two Codes",
            "reward_type": "prize_code",
            "expiration_timestamp": FUTURE,
            "timezone": "UTC",
            "winner_selection_model": "all",
            "prize_codes": "ONE,TWO",
            "is_limited": "true",
        },
    ).json()
    fans = [new_fan(api, f"code{index}@example.com") for index in range(3)]
    path = "fans/{}/rewards"
    codes = [
        api.post(api.ent(path.format(fan)), {"reward_uid": reward["reward_uid"]}).json()
        for fan in fans[:2]
    ]
    assert sorted(item["prize_code"] for item in codes) == ["ONE", "TWO"]
    empty = api.post(api.ent(path.format(fans[2])), {"reward_uid": reward["reward_uid"]})
    assert empty.status_code == 400 and "pool" in empty.json()["error"]
    # Assigning again to a holder answers the same delivery, with the same code.
    again = api.post(api.ent(path.format(fans[0])), {"reward_uid": reward["reward_uid"]}).json()
    assert again["prize_code"] == codes[0]["prize_code"]


def test_manual_assignment_rules(api: Any) -> None:
    fan_id = new_fan(api, "manual@example.com")
    path = api.ent(f"fans/{fan_id}/rewards")
    expired = api.post(path, {"reward_uid": api.seed.rewards["Last Season Badge"]})
    assert expired.status_code == 400 and "expired" in expired.json()["error"]
    automatic = api.post(path, {"reward_uid": api.seed.rewards["Bronze Member Badge"]})
    assert automatic.status_code == 400 and "automatically" in automatic.json()["error"]
    unknown = api.post(path, {"reward_uid": "00000000-0000-0000-0000-000000000000"})
    assert unknown.status_code == 400
    band = api.post(path, {"reward_uid": api.seed.rewards["Wristband Upgrade"]}).json()
    assert (band["reward_type"], band["status"], band["fan_id"]) == ("bestring", "pushed", fan_id)


def test_expired_automatic_rewards_are_not_delivered(api: Any) -> None:
    Reward.objects.filter(reward_uid=api.seed.rewards["Bronze Member Badge"]).update(
        expiration_timestamp=timezone.now() - dt.timedelta(seconds=1)
    )
    fan_id = new_fan(api, "too-late@example.com")
    award(api, fan_id, 100)
    assert "Bronze Member Badge" not in held_titles(api, fan_id)


def test_pass_carries_its_window_and_a_value_for_the_qr_code(api: Any) -> None:
    fan_id = new_fan(api, "pass@example.com")
    award(api, fan_id, 500)
    (item,) = [
        r for r in api.get(api.ent(f"fans/{fan_id}/rewards")).json() if r["reward_type"] == "pass"
    ]
    assert item["access_start_timestamp"] < item["access_end_timestamp"]
    assert len(item["pass_code"]) == 8 and item["pass_code"].isalnum()
    assert item["access_pass_type"] == "qrcode"


def test_reward_updates_lists_deliveries_since_a_date(api: Any) -> None:
    fan_id = new_fan(api, "updates@example.com")
    award(api, fan_id, 100)
    today = timezone.localdate()
    updates = api.get("api/v1/ent/reward_updates", {"last_update_date": today.isoformat()}).json()
    assert any(
        u["fan_id"] == fan_id and u["reward_title"] == "Bronze Member Badge" for u in updates
    )
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    assert api.get("api/v1/ent/reward_updates", {"last_update_date": tomorrow}).json() == []
    missing = api.get("api/v1/ent/reward_updates")
    assert missing.json() == {"error": "last_update_date is required."}


def test_leaderboard_and_ledger_come_from_the_same_transactions(api: Any) -> None:
    today = timezone.localdate().isoformat()
    ledger = api.get("api/v1/crm/fan_points", {"start_date": today, "end_date": today}).json()
    totals: dict[int, int] = {}
    for row in ledger:
        totals[row["fan_id"]] = totals.get(row["fan_id"], 0) + row["point_count"]
    board = api.get(
        "api/v1/crm/leaderboard", {"point_name": api.seed.point_name, "end_date": today}
    ).json()["data"]
    assert {row["fan_id"]: row["fan_point_count"] for row in board} == {
        fan: total for fan, total in totals.items() if total > 0
    }
    assert [row["rank"] for row in board] == [1, 2, 2, 4]  # ties share a rank
    assert board[0]["display_name"] == "JLee"
    reward_rows = [row for row in ledger if row["reward_uid"]]
    assert reward_rows and all(row["point_count"] == 0 for row in reward_rows)
    assert api.get("api/v1/crm/leaderboard", {"point_name": api.seed.point_name}).status_code == 400
    assert api.get("api/v1/crm/fan_points", {"start_date": today}).status_code == 400
    limited = api.get(
        "api/v1/crm/leaderboard",
        {"point_name": api.seed.point_name, "start_date": today, "limit": 1},
    )
    assert len(limited.json()["data"]) == 1


def test_display_name_check(api: Any) -> None:
    free = api.get("api/v1/crm/display_name", {"display_name": "Brand_New"}).json()
    assert free == {"display_name": "Brand_New", "is_available": True}
    taken = api.get("api/v1/crm/display_name", {"display_name": "AlexM"}).json()
    assert taken["display_name"].startswith("AlexM") and taken["display_name"] != "AlexM"
    invalid = api.get("api/v1/crm/display_name", {"display_name": "<script>"})
    assert invalid.status_code == 400


@pytest.mark.django_db(transaction=True)
def test_first_n_under_concurrent_completions(live_sandbox: Any) -> None:
    """Twelve fans complete the qualifying quest at once over HTTP; exactly three win."""
    s = live_sandbox
    headers = {"Api-Key": s.api_key, "Api-Secret": s.api_secret}
    base = f"{s.base_url}api/v1/ent/businesses/{s.business_id}/"
    created = requests.post(
        f"{base}rewards",
        headers=headers,
        timeout=10,
        data={
            "reward_title": "First Three Scanners",
            "reward_type": "prize_code",
            "prize_codes": ",".join(f"SCAN-{i}" for i in range(12)),
            "expiration_timestamp": FUTURE,
            "timezone": "UTC",
            "winner_selection_model": "first",
            "reward_limit": "3",
            "requirement_type": "quests",
            "required_page_tab_ids[]": str(s.quests["Check in at the stadium"]),
        },
    ).json()
    fans = []
    for index in range(12):
        fan = Fan.objects.create(account_id=s.account_id, email=f"rush{index}@example.com")
        FanActivity.objects.create(
            account_id=s.account_id,
            business_id=int(s.business_id),
            fan=fan,
            campaign_title="Portal login",
        )
        fans.append(fan.fan_id)
    quest = s.quests["Check in at the stadium"]

    def scan(fan_id: int) -> int:
        url = f"{base}quests/{quest}/fans/{fan_id}/complete"
        return requests.post(url, headers=headers, timeout=30).status_code

    with ThreadPoolExecutor(max_workers=12) as pool:
        assert list(pool.map(scan, fans)) == [200] * 12
    winners = FanReward.objects.filter(reward_id=created["reward_uid"])
    assert winners.count() == 3
    assert len({winner.prize_code for winner in winners}) == 3
    assert Reward.objects.get(pk=created["reward_uid"]).delivered_count == 3
