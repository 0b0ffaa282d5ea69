"""The planner: desired (a file) against current (plain data) -> exactly the changes needed.

Pure: the account is written out by hand as the API lists it (empty strings for unset
text, UTC timestamps, lists), so these tests also pin down what counts as "the same".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from loyalty.programme.params import References, quest_params, reward_params
from loyalty.programme.planner import (
    AccountState,
    Action,
    CurrentBusiness,
    CurrentQuest,
    CurrentReward,
    CurrentTier,
    EntityKind,
    Named,
    Plan,
    plan_changes,
)
from loyalty.programme.render import render_plan
from loyalty.programme.spec import Programme
from loyalty.programme.validation import parse_programme

BUSINESS = 2002
POINT_UID = "11111111-1111-4111-8111-111111111111"
BRONZE_UID = "22222222-2222-4222-8222-222222222222"
SILVER_UID = "33333333-3333-4333-8333-333333333333"
MATCHDAY_UID = "44444444-4444-4444-8444-444444444444"

FILE = """
[point_type]
point_name = "Fan Points"

[[tiers]]
tier_name = "Bronze"
min_points = 100

[[tiers]]
tier_name = "Silver"
min_points = 500

[[quests]]
quest_title = "Follow"
quest_type = "link_url"
link_url = "https://example.com/follow"
fan_points_reward = 25

[[quests]]
quest_title = "Shop"
quest_type = "link_url"
link_url = "https://example.com/shop"
fan_points_reward = 25
access_restriction_type = "quests"
required_quests = ["Follow"]

[[quests]]
quest_title = "Scan"
quest_type = "scan"
fan_points_reward = 200
performance = "Matchday"
scan_group_names = ["gate-b", "gate-a"]
access_restriction_type = "point_tier"
point_tier = "Silver"
start_date = 2027-03-06

[[rewards]]
reward_title = "Chain badge"
reward_type = "badge"
expiration_timestamp = 2027-06-30T23:59:00
timezone = "America/Vancouver"
winner_selection_model = "all"
requirement_type = "quests"
required_quests = ["Follow", "Shop"]

[[rewards]]
reward_title = "Silver pass"
reward_type = "pass"
expiration_timestamp = 2027-06-30T23:59:00
timezone = "America/Vancouver"
winner_selection_model = "first"
reward_limit = 10
requirement_type = "point_tier"
point_tier = "Silver"
access_start_timestamp = 2027-03-06T17:00:00
access_end_timestamp = 2027-03-06T23:00:00
"""

QUEST_IDS = {"Follow": 101, "Shop": 102, "Scan": 103}
REWARD_UIDS = {
    "Chain badge": "55555555-5555-4555-8555-555555555555",
    "Silver pass": "66666666-6666-4666-8666-666666666666",
}


def programme(text: str = FILE) -> Programme:
    return parse_programme(text, source="club.toml")


def as_listed(params: dict[str, Any], zone: str | None = None) -> dict[str, Any]:
    """Creation parameters as the API lists them back: "" for unset text, UTC times."""
    listed: dict[str, Any] = {}
    for name, value in params.items():
        if isinstance(value, dt.datetime):
            from zoneinfo import ZoneInfo

            value = value.replace(tzinfo=ZoneInfo(zone or "UTC")).astimezone(dt.UTC).isoformat()
        elif isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        elif value is None and name not in {"fan_points_reward", "reward_limit"}:
            value = ""
        listed[name] = value
    return listed


def matching_state(prog: Programme, **overrides: Any) -> AccountState:
    """An account that already holds exactly ``prog``."""
    refs = References(
        tiers={"Bronze": BRONZE_UID, "Silver": SILVER_UID},
        quests=QUEST_IDS,
        performances={"Matchday": MATCHDAY_UID},
    )
    quests = tuple(
        CurrentQuest(QUEST_IDS[q.quest_title], q.quest_title, as_listed(quest_params(q, refs)))
        for q in prog.quests
    )
    rewards = tuple(
        CurrentReward(
            REWARD_UIDS[r.reward_title],
            r.reward_title,
            as_listed(reward_params(r, refs), r.timezone),
        )
        for r in prog.rewards
    )
    state = {
        "businesses": (CurrentBusiness(BUSINESS, "Harbour City FC", POINT_UID, "Fan Points"),),
        "point_types": (Named(POINT_UID, "Fan Points"),),
        "tiers": (
            CurrentTier(BRONZE_UID, "Bronze", 100),
            CurrentTier(SILVER_UID, "Silver", 500),
        ),
        "quests": quests,
        "rewards": rewards,
        "performances": (Named(MATCHDAY_UID, "Matchday"),),
        "idols": None,
    }
    state.update(overrides)
    return AccountState(**state)


def plan(prog: Programme, state: AccountState, **options: Any) -> Plan:
    return plan_changes(prog, state, business_id=BUSINESS, **options)


def summary(result: Plan) -> list[tuple[str, str, str]]:
    return [(c.action.value, c.kind.value, c.key) for c in result.changes]


def test_an_empty_business_gets_everything_created_in_dependency_order() -> None:
    prog = programme()
    state = matching_state(prog, tiers=(), quests=(), rewards=())

    result = plan(prog, state)

    assert summary(result) == [
        ("create", "tier", "Bronze"),
        ("create", "tier", "Silver"),
        ("create", "quest", "Follow"),
        ("create", "quest", "Shop"),
        ("create", "quest", "Scan"),
        ("create", "reward", "Chain badge"),
        ("create", "reward", "Silver pass"),
    ]
    assert result.held_back is None and not result.blockers


def test_an_account_that_matches_needs_no_change() -> None:
    prog = programme()

    result = plan(prog, matching_state(prog))

    assert result.is_empty, render_plan(result)
    assert "No changes" in render_plan(result)


def test_the_api_listing_times_in_utc_is_not_a_change() -> None:
    prog = programme()
    state = matching_state(prog)
    pass_values = dict(state.rewards[1].values)
    # 2027-06-30T23:59 in Vancouver (PDT, UTC-7) is 06:59 the next day in UTC.
    assert pass_values["expiration_timestamp"] == "2027-07-01T06:59:00+00:00"

    assert plan(prog, state).is_empty


def test_a_changed_quest_is_recreated_with_the_field_named() -> None:
    prog = programme(FILE.replace("fan_points_reward = 200", "fan_points_reward = 250"))

    result = plan(prog, matching_state(programme()))

    assert summary(result) == [("recreate", "quest", "Scan")]
    change = result.changes[0]
    assert change.current_id == "103"
    assert [(f.field, f.current, f.desired) for f in change.fields] == [
        ("fan_points_reward", "200", "250")
    ]


def test_recreating_a_prerequisite_recreates_what_requires_it() -> None:
    prog = programme(FILE.replace("https://example.com/follow", "https://example.com/follow-us"))

    result = plan(prog, matching_state(programme()))

    # Shop and the chain badge name Follow's page_tab_id, which the recreate changes.
    assert summary(result) == [
        ("recreate", "quest", "Follow"),
        ("recreate", "quest", "Shop"),
        ("recreate", "reward", "Chain badge"),
    ]
    shop = result.changes[1]
    assert [f.field for f in shop.fields] == ["required_page_tab_ids"]
    assert shop.fields[0].desired == "[<new id of quest 'Follow'>]"
    text = render_plan(result)
    assert "deleted and created again" in text
    assert "page_tab_id changes" in text


def test_a_tier_is_updated_in_place_without_touching_what_names_it() -> None:
    prog = programme(FILE.replace("min_points = 500", "min_points = 600"))

    result = plan(prog, matching_state(programme()))

    assert summary(result) == [("update", "tier", "Silver")]
    assert result.changes[0].current_id == SILVER_UID
    assert result.changes[0].fields[0].desired == "600"


def test_a_reward_change_in_its_timezone_is_seen() -> None:
    prog = programme(
        FILE.replace(
            '"America/Vancouver"\nwinner_selection_model = "first"',
            '"America/Toronto"\nwinner_selection_model = "first"',
        )
    )

    result = plan(prog, matching_state(programme()))

    # Same wall-clock times in another zone: three instants and the zone differ.
    assert summary(result) == [("recreate", "reward", "Silver pass")]
    fields = {f.field for f in result.changes[0].fields}
    assert fields == {
        "timezone",
        "expiration_timestamp",
        "access_start_timestamp",
        "access_end_timestamp",
    }


def test_extra_quests_and_rewards_stay_unless_asked_to_delete() -> None:
    prog = programme()
    state = matching_state(prog)
    extra_quest = CurrentQuest(999, "Old quest", {"quest_type": "custom"})
    extra_reward = CurrentReward(
        "77777777-7777-4777-8777-777777777777", "Old reward", {"reward_type": "badge"}
    )
    state = matching_state(
        prog, quests=(*state.quests, extra_quest), rewards=(*state.rewards, extra_reward)
    )

    kept = plan(prog, state)
    deleted = plan(prog, state, delete_missing=True)

    assert kept.is_empty
    assert any("'Old quest'" in notice and "kept" in notice for notice in kept.notices)
    assert summary(deleted) == [
        ("delete", "quest", "Old quest"),
        ("delete", "reward", "Old reward"),
    ]


def test_a_kept_quest_requiring_a_recreated_one_is_flagged() -> None:
    prog = programme(FILE.replace("https://example.com/follow", "https://example.com/f2"))
    state = matching_state(programme())
    dependent = CurrentQuest(
        998, "Outside the file", {"quest_type": "custom", "required_page_tab_ids": [101]}
    )
    state = matching_state(programme(), quests=(*state.quests, dependent))

    result = plan(prog, state)

    assert any(
        "'Outside the file'" in n and "'Follow'" in n and "no longer exists" in n
        for n in result.notices
    )


def test_tiers_cannot_be_deleted_and_the_plan_says_so() -> None:
    prog = programme()
    state = matching_state(prog)
    state = matching_state(
        prog,
        tiers=(*state.tiers, CurrentTier("88888888-8888-4888-8888-888888888888", "Gold", 1500)),
    )

    result = plan(prog, state, delete_missing=True)

    assert result.is_empty
    assert any("'Gold'" in n and "no call to delete a tier" in n for n in result.notices)


def test_a_business_not_in_the_account_blocks_everything() -> None:
    prog = programme()

    result = plan_changes(prog, matching_state(prog), business_id=4242)

    assert result.is_empty
    assert result.blockers == (
        "Business 4242 is not in this account (its businesses: 2002 (Harbour City FC)).",
    )
    text = render_plan(result)
    assert "! Business 4242 is not in this account" in text
    assert "No changes" not in text


def test_a_missing_point_type_is_created_and_the_rest_waits_for_the_admin_ui() -> None:
    prog = programme()
    state = matching_state(
        prog,
        businesses=(CurrentBusiness(BUSINESS, "Harbour City FC"),),
        point_types=(),
        tiers=(),
        quests=(),
        rewards=(),
    )

    result = plan(prog, state)

    assert summary(result)[:3] == [
        ("create", "point type", "Fan Points"),
        ("create", "tier", "Bronze"),
        ("create", "tier", "Silver"),
    ]
    assert len(result.of(EntityKind.QUEST, Action.CREATE)) == 3
    assert result.held_back is not None
    assert "has no point type assigned" in result.held_back
    assert "Business > Fan Loyalty Portal" in result.held_back


def test_a_business_on_another_point_type_is_held_back() -> None:
    prog = programme()
    other = "99999999-9999-4999-8999-999999999999"
    state = matching_state(
        prog,
        businesses=(CurrentBusiness(BUSINESS, "Harbour City FC", other, "Loyalty XP"),),
    )

    result = plan(prog, state)

    assert result.is_empty
    assert result.held_back is not None and "uses the point type 'Loyalty XP'" in result.held_back


@pytest.mark.parametrize(
    ("performances", "expected"),
    [
        ((), "performance 'Matchday' is not in the account (its performances: none)"),
        (
            (
                Named(MATCHDAY_UID, "Matchday"),
                Named("abababab-abab-4bab-8bab-abababababab", "Matchday"),
            ),
            "2 performances are named 'Matchday'",
        ),
    ],
)
def test_an_event_name_must_name_exactly_one_event(
    performances: tuple[Named, ...], expected: str
) -> None:
    prog = programme()

    result = plan(prog, matching_state(prog, performances=performances))

    assert any(expected in blocker for blocker in result.blockers), result.blockers


def test_duplicate_titles_in_the_account_match_the_oldest() -> None:
    prog = programme()
    state = matching_state(prog)
    copy = CurrentQuest(150, "Follow", dict(state.quests[0].values))
    state = matching_state(prog, quests=(copy, *state.quests))

    result = plan(prog, state, delete_missing=True)

    assert summary(result) == [("delete", "quest", "Follow")]
    assert result.changes[0].current_id == "150"
