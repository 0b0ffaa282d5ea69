"""Parsing: strict on what a page needs, lenient on everything else, never a crash."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import inspect
import pickle
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tbits_client import (
    AccountStatus,
    Business,
    Completions,
    ConnectOutcome,
    ConnectResult,
    DisplayNameCheck,
    Fan,
    FanActivity,
    FanPoint,
    FanPointAward,
    FanRegistration,
    FanReward,
    FanTier,
    Idol,
    IdolEvent,
    InvalidResponse,
    LeaderboardRow,
    Performance,
    PointType,
    Quest,
    QuestCompletion,
    QuestType,
    RestrictionType,
    Reward,
    RewardType,
    RewardUpdate,
    Session,
    TbitsClient,
    Tier,
)

# The smallest valid payload of each model, used by the generic tests below.
MINIMAL: dict[type, dict[str, Any]] = {
    AccountStatus: {},
    Session: {"session_uid": "s-1", "fan_id": 1},
    Fan: {"fan_id": 1},
    Business: {"business_id": 2002, "business_name": "Demo FC"},
    PointType: {"point_uid": "p", "point_name": "Fan Points"},
    Tier: {"point_tier_uid": "t", "tier_name": "Bronze", "min_points": 100},
    Quest: {"page_tab_id": 7, "quest_type": "custom", "quest_title": "Q"},
    Reward: {"reward_uid": "r", "reward_title": "R", "reward_type": "badge"},
    FanReward: {"reward_uid": "r"},
    QuestCompletion: {"activity_id": 5},
    RewardUpdate: {"reward_uid": "r"},
    FanPoint: {"point_count": 3},
    FanPointAward: {"fan_point_uid": "fp"},
    LeaderboardRow: {"fan_id": 1},
    Idol: {"idol_uid": "i"},
    IdolEvent: {"event_uid": "e"},
    Performance: {"performance_uid": "perf"},
    FanActivity: {},
    FanRegistration: {"registration_key": "reg"},
}
REQUIRED: dict[type, list[str]] = {
    Session: ["session_uid"],
    Fan: ["fan_id"],
    Business: ["business_id", "business_name"],
    PointType: ["point_uid", "point_name"],
    Tier: ["point_tier_uid", "tier_name", "min_points"],
    Quest: ["page_tab_id", "quest_type", "quest_title"],
    Reward: ["reward_uid", "reward_title", "reward_type"],
    FanReward: ["reward_uid"],
    QuestCompletion: ["activity_id"],
    RewardUpdate: ["reward_uid"],
    FanPoint: ["point_count"],
    LeaderboardRow: ["fan_id"],
    Idol: ["idol_uid"],
    IdolEvent: ["event_uid"],
    Performance: ["performance_uid"],
    FanRegistration: ["registration_key"],
}


@pytest.mark.parametrize("model", list(MINIMAL), ids=lambda m: m.__name__)
def test_unknown_fields_are_kept_in_extra(model: type) -> None:
    parsed = model.from_api({**MINIMAL[model], "brand_new_field": {"x": [1, 2]}})
    assert parsed.extra == {"brand_new_field": {"x": [1, 2]}}


@pytest.mark.parametrize(
    ("model", "field"),
    [(model, field) for model, fields in REQUIRED.items() for field in fields],
    ids=lambda v: getattr(v, "__name__", v),
)
@pytest.mark.parametrize("how", ["absent", "null", "empty"])
def test_missing_required_field_names_model_and_field(model: type, field: str, how: str) -> None:
    payload = dict(MINIMAL[model])
    if how == "absent":
        del payload[field]
    else:
        payload[field] = None if how == "null" else ""
    with pytest.raises(InvalidResponse) as caught:
        model.from_api(payload)
    assert model.__name__ in caught.value.message
    assert repr(field) in caught.value.message


@pytest.mark.parametrize("model", list(MINIMAL), ids=lambda m: m.__name__)
def test_non_object_payload_is_invalid_response(model: type) -> None:
    with pytest.raises(InvalidResponse, match="expected a JSON object"):
        model.from_api(["not", "an", "object"])


@pytest.mark.parametrize("model", list(MINIMAL), ids=lambda m: m.__name__)
def test_models_are_frozen_and_survive_the_cache(model: type) -> None:
    parsed = model.from_api(MINIMAL[model])
    first_field = dataclasses.fields(parsed)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(parsed, first_field, None)
    assert pickle.loads(pickle.dumps(parsed)) == parsed  # noqa: S301 - our own bytes


@pytest.mark.parametrize(
    ("model", "create"),
    [(Quest, TbitsClient.create_quest), (Reward, TbitsClient.create_reward)],
    ids=["quest", "reward"],
)
def test_creation_call_takes_exactly_the_models_creation_fields(model: Any, create: Any) -> None:
    """The model's non-read-only fields are the one list the setup planner builds on."""
    keywords = [
        parameter.name
        for parameter in inspect.signature(create).parameters.values()
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY
    ]
    assert tuple(keywords) == model.creation_fields()


def test_quest_reads_every_creation_field() -> None:
    quest = Quest.from_api(
        {
            "page_tab_id": "12",
            "quest_type": "scan",
            "quest_title": "Scan at the gate",
            "quest_description": "Find the QR code",
            "button_text": "Scan",
            "reward_type": "fan_points",
            "fan_points_reward": 100,
            "performance_uid": "perf-1",
            "target_page_tab_id": None,
            "link_url": None,
            "scan_group_names": "gate-a, gate-b",
            "site_name": "North gate",
            "access_restriction_type": "point_tier",
            "fan_points_required": None,
            "point_tier_uid": "tier-2",
            "required_page_tab_ids": "",
            "tag_name": None,
            "start_date": "2026-07-01",
            "end_date": "2026-07-02T00:00:00",
            "media_uid": "m-1",
            "idol_uid": "i-1",
            "is_required": 0,
        }
    )
    assert quest.page_tab_id == 12
    assert quest.quest_type is QuestType.SCAN
    assert quest.scan_group_names == ("gate-a", "gate-b")
    assert quest.access_restriction_type is RestrictionType.POINT_TIER
    assert quest.required_page_tab_ids == ()
    assert (quest.start_date, quest.end_date) == (dt.date(2026, 7, 1), dt.date(2026, 7, 2))
    assert quest.is_required is False
    assert quest.extra == {}


def test_every_field_of_the_creation_tables_is_a_model_field() -> None:
    quest_table = {
        "quest_type",
        "quest_title",
        "quest_description",
        "button_text",
        "reward_type",
        "fan_points_reward",
        "performance_uid",
        "target_page_tab_id",
        "link_url",
        "scan_group_names",
        "site_name",
        "access_restriction_type",
        "fan_points_required",
        "point_tier_uid",
        "required_page_tab_ids",
        "tag_name",
        "start_date",
        "end_date",
        "media_uid",
        "idol_uid",
    }
    reward_table = {
        "reward_title",
        "reward_type",
        "expiration_timestamp",
        "timezone",
        "winner_selection_model",
        "reward_limit",
        "requirement_type",
        "point_tier_uid",
        "required_page_tab_ids",
        "description",
        "performance_uid",
        "access_start_timestamp",
        "access_end_timestamp",
        "access_pass_type",
        "prize_codes",
        "is_limited",
        "atvenu_sales_event_key",
        "atvenu_promo_key",
        "atvenu_delivery_method",
        "bestring_location_group_id",
        "bestring_promotion_id",
    }
    assert quest_table <= {f.name for f in dataclasses.fields(Quest)}
    assert reward_table <= {f.name for f in dataclasses.fields(Reward)}


def test_unknown_enum_values_are_kept_as_text_not_a_crash() -> None:
    quest = Quest.from_api(
        {**MINIMAL[Quest], "quest_type": "hologram", "access_restriction_type": "moon_phase"}
    )
    assert quest.quest_type == "hologram"
    assert not isinstance(quest.quest_type, QuestType)
    reward = Reward.from_api({**MINIMAL[Reward], "reward_type": "nft"})
    assert reward.reward_type == "nft"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-01-02T03:04:05Z", dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)),
        (
            "2026-01-02T03:04:05+02:00",
            dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=2))),
        ),
        ("2026-01-02 03:04:05", dt.datetime(2026, 1, 2, 3, 4, 5)),
        ("2026-01-02", dt.datetime(2026, 1, 2)),
        (0, dt.datetime(1970, 1, 1, tzinfo=dt.UTC)),
        (None, None),
        ("", None),
    ],
)
def test_timestamps_tolerate_iso_forms_and_none(value: Any, expected: Any) -> None:
    reward = Reward.from_api({**MINIMAL[Reward], "expiration_timestamp": value})
    assert reward.expiration_timestamp == expected


def test_a_date_that_is_not_a_date_is_invalid_response() -> None:
    with pytest.raises(InvalidResponse, match="'start_date' is not an ISO date"):
        Quest.from_api({**MINIMAL[Quest], "start_date": "next tuesday"})
    for absurd in (10**20, float("inf"), -(10**20)):
        with pytest.raises(InvalidResponse, match="'expiration_timestamp'"):
            Reward.from_api({**MINIMAL[Reward], "expiration_timestamp": absurd})
    with pytest.raises(InvalidResponse, match="'min_points' is not an integer"):
        Tier.from_api({**MINIMAL[Tier], "min_points": "lots"})
    with pytest.raises(InvalidResponse, match="'required_page_tab_ids'"):
        Quest.from_api({**MINIMAL[Quest], "required_page_tab_ids": "1,two"})


def test_completions_mapping() -> None:
    completions = Completions.from_api({"70": True, "71": "false", 72: 1})
    assert dict(completions) == {70: True, 71: False, 72: True}
    assert completions.completed_ids == frozenset({70, 72})
    assert completions.is_completed(70) and not completions.is_completed(999)
    assert Completions.from_api(None) == Completions() == Completions.from_api([])
    with pytest.raises(InvalidResponse):
        Completions.from_api({"quest-a": True})
    with pytest.raises(InvalidResponse):
        Completions.from_api({"1": "perhaps"})


@pytest.mark.parametrize(
    ("payload", "tier_name", "count"),
    [
        (
            {
                "tier": {"point_tier_uid": "t", "tier_name": "Gold", "min_points": 1500},
                "point_count": 1600,
                "point_name": "Fan Points",
            },
            "Gold",
            1600,
        ),
        (
            {"point_tier_uid": "t", "tier_name": "Silver", "min_points": 500, "point_count": 600},
            "Silver",
            600,
        ),
        (
            {"point_tier": {"point_tier_uid": "t", "tier_name": "Bronze", "min_points": 100}},
            "Bronze",
            None,
        ),
        ({"tier": None, "point_count": 20}, None, 20),
        ({}, None, None),
        (None, None, None),
    ],
)
def test_fan_tier_accepts_the_plausible_shapes(
    payload: Any, tier_name: str | None, count: int | None
) -> None:
    fan_tier = FanTier.from_api(payload)
    assert (fan_tier.tier.tier_name if fan_tier.tier else None) == tier_name
    assert fan_tier.point_count == count


@pytest.mark.parametrize(
    ("payload", "outcome"),
    [
        ({"session_uid": "s", "fan_id": 1}, ConnectOutcome.SESSION_CREATED),
        ({"terms_required": True, "legal_terms": "T"}, ConnectOutcome.TERMS_REQUIRED),
        ({"terms_required": "1", "status": "register"}, ConnectOutcome.TERMS_REQUIRED),
        ({"status": "register"}, ConnectOutcome.MUST_REGISTER),
        ({"status": "register", "verification_uid": "v"}, ConnectOutcome.MUST_REGISTER),
        ({"status": "login", "password": True, "phone": True}, ConnectOutcome.FAN_EXISTS),
        ({"request_uid": "r", "message": "sent"}, ConnectOutcome.CODE_SENT),
    ],
)
def test_connect_outcomes(payload: dict[str, Any], outcome: ConnectOutcome) -> None:
    result = ConnectResult.from_api(payload)
    assert result.outcome is outcome
    assert result.raw == payload
    assert (result.session is not None) is (outcome is ConnectOutcome.SESSION_CREATED)


def test_connect_outcome_values_match_the_brief() -> None:
    assert ConnectOutcome.FAN_EXISTS == "login"
    assert ConnectOutcome.MUST_REGISTER == "register"


def test_display_name_check_accepts_a_bare_string() -> None:
    check = DisplayNameCheck.from_api("JoJo", requested="JoJo")
    assert check.is_available and check.display_name == "JoJo"


def test_leaderboard_row_falls_back_to_point_count() -> None:
    assert LeaderboardRow.from_api({"fan_id": 1, "point_count": 40}).fan_point_count == 40


def test_fan_point_drops_the_session_id_of_ledger_rows() -> None:
    point = FanPoint.from_api({"point_count": 1, "session_uid": "s-secret"})
    assert "s-secret" not in repr(point) and point.extra == {}


def test_reward_types_cover_the_docs() -> None:
    assert {kind.value for kind in RewardType} == {
        "badge",
        "pass",
        "prize_code",
        "atvenu",
        "bestring",
    }
    assert {kind.value for kind in QuestType} == {
        "campaign",
        "quickpicks",
        "link_url",
        "scan",
        "wristband",
        "custom",
    }


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None)
@given(
    model=st.sampled_from(list(MINIMAL)),
    overrides=st.dictionaries(
        st.sampled_from(
            [
                "page_tab_id",
                "quest_type",
                "required_page_tab_ids",
                "start_date",
                "fan_id",
                "tags",
                "expiration_timestamp",
                "min_points",
                "is_subscribed",
                "props",
                "reward_type",
                "scan_group_names",
                "point_count",
                "session_uid",
                "anything",
            ]
        ),
        JSON,
        max_size=4,
    ),
)
def test_any_json_either_parses_or_raises_invalid_response(
    model: type, overrides: dict[str, Any]
) -> None:
    with contextlib.suppress(InvalidResponse):
        model.from_api({**MINIMAL[model], **overrides})


@settings(max_examples=100, deadline=None)
@given(payload=JSON)
def test_top_level_answers_of_any_shape_never_crash(payload: Any) -> None:
    for parse in (Completions.from_api, FanTier.from_api, ConnectResult.from_api):
        with contextlib.suppress(InvalidResponse):
            parse(payload)
