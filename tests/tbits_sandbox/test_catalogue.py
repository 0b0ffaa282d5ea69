"""Credentials, point types, tiers, and the quest and reward parameter tables."""

from __future__ import annotations

from typing import Any

import pytest

VALID_REWARD = {
    "reward_title": "Test Reward",
    "reward_type": "badge",
    "expiration_timestamp": "2099-12-31T23:59:59",
    "timezone": "America/Los_Angeles",
    "winner_selection_model": "all",
}


def test_credentials_in_body_query_or_headers(api: Any) -> None:
    seed = api.seed
    quests = f"api/v1/ent/businesses/{seed.business_id}/quests"
    by_query = api.http.get(
        f"/sandbox/{quests}", {"api_key": seed.api_key, "api_secret": seed.api_secret}
    )
    by_headers = api.get(quests)
    by_body = api.http.post(
        f"/sandbox/{quests}",
        {
            "api_key": seed.api_key,
            "api_secret": seed.api_secret,
            "quest_type": "custom",
            "quest_title": "Body keys",
        },
    )
    assert by_query.status_code == by_headers.status_code == by_body.status_code == 200


@pytest.mark.parametrize(
    ("key", "secret", "message"),
    [
        ("", None, "api_key is required."),
        ("wrong-key", None, "Invalid api_key."),
        (None, "", "api_secret is required for this call."),
        (None, "wrong-secret", "Invalid api_secret."),
    ],
)
def test_wrong_credentials_are_401_json(
    api: Any, key: str | None, secret: str | None, message: str
) -> None:
    headers = {
        "HTTP_API_KEY": api.seed.api_key if key is None else key,
        "HTTP_API_SECRET": api.seed.api_secret if secret is None else secret,
    }
    answer = api.http.get(
        f"/sandbox/api/v1/ent/businesses/{api.seed.business_id}/quests", **headers
    )
    assert answer.status_code == 401
    assert answer.json() == {"error": message}


def test_public_calls_need_only_the_key_but_check_a_secret_when_sent(api: Any) -> None:
    assert api.get("api/v1/businesses", secret=False).status_code == 200
    assert api.post("api/v1/status", secret=False).status_code == 200
    wrong = api.http.get(
        "/sandbox/api/v1/businesses", HTTP_API_KEY=api.seed.api_key, HTTP_API_SECRET="nope"
    )
    assert wrong.status_code == 401


def test_wrong_method_is_405(api: Any) -> None:
    answer = api.delete("api/v1/businesses")
    assert answer.status_code == 405 and answer["Allow"] == "GET"


def test_unknown_ids_are_404_json(api: Any) -> None:
    assert api.get("api/v1/ent/businesses/999/quests").status_code == 404
    assert api.get("api/v1/ent/businesses/abc/quests").json() == {"error": "No such business."}
    assert api.get("api/v1/crm/fans/99999").status_code == 404
    assert api.get("api/v1/crm/point_tiers/not-a-uid").status_code == 404
    assert api.delete(api.ent("rewards/00000000-0000-0000-0000-000000000000")).status_code == 404


def test_another_accounts_data_is_invisible(api: Any) -> None:
    from tbits_sandbox.seed import seed_demo

    other = seed_demo(api_key="other-key", api_secret="other-secret", account_id=7, business_id=8)
    answer = api.http.get(
        f"/sandbox/api/v1/ent/businesses/{api.seed.business_id}/quests",
        HTTP_API_KEY=other.api_key,
        HTTP_API_SECRET=other.api_secret,
    )
    assert answer.status_code == 404
    fan = api.http.get(
        f"/sandbox/api/v1/crm/fans/{api.seed.fan_id}",
        HTTP_API_KEY=other.api_key,
        HTTP_API_SECRET=other.api_secret,
    )
    assert fan.status_code == 404


def test_point_type_creation_is_idempotent_by_name(api: Any) -> None:
    first = api.post("api/v1/crm/points", {"point_name": "Loyalty XP"}).json()
    second = api.post("api/v1/crm/points", {"point_name": "Loyalty XP"}).json()
    assert first["point_uid"] == second["point_uid"]
    assert api.post("api/v1/crm/points", {}).json() == {"error": "point_name is required."}


def test_tiers_create_update_by_uid_or_name_and_validate(api: Any) -> None:
    path = f"api/v1/crm/point_tiers/{api.seed.point_uid}"
    bronze = api.post(path, {"tier_name": "Bronze", "min_points": 150}).json()
    assert bronze["point_tier_uid"] == api.seed.tiers["Bronze"]
    moved = api.post(
        path, {"tier_name": "Copper", "min_points": 50, "point_tier_uid": api.seed.tiers["Bronze"]}
    ).json()
    assert moved["tier_name"] == "Copper"
    listed = [(t["tier_name"], t["min_points"]) for t in api.get(path).json()]
    assert listed == [("Copper", 50), ("Silver", 500), ("Gold", 1500), ("Platinum", 5000)]
    assert api.post(path, {"tier_name": "X", "min_points": "-1"}).status_code == 400
    assert api.post(path, {"tier_name": "X", "min_points": "10000001"}).status_code == 400
    clash = api.post(
        path, {"tier_name": "Silver", "min_points": 1, "point_tier_uid": api.seed.tiers["Gold"]}
    )
    assert clash.status_code == 400


QUEST_ERRORS = [
    ({"quest_type": None}, "quest_type is required."),
    ({"quest_type": "dance"}, "quest_type must be one of"),
    ({"quest_title": None}, "quest_title is required."),
    ({"quest_title": "x" * 129}, "quest_title must be at most 128 characters."),
    ({"button_text": "b" * 33}, "button_text must be at most 32 characters."),
    ({"reward_type": "cash"}, "reward_type must be one of"),
    ({"reward_type": "fan_points"}, "fan_points_reward is required when reward_type"),
    ({"reward_type": "fan_points", "fan_points_reward": "10000001"}, "at most 10,000,000"),
    ({"reward_type": "fan_points", "fan_points_reward": "ten"}, "must be an integer"),
    ({"quest_type": "scan", "scan_group_names": "a"}, "performance_uid is required"),
    ({"quest_type": "wristband"}, "performance_uid is required"),
    ({"quest_type": "campaign"}, "target_page_tab_id is required"),
    ({"quest_type": "quickpicks"}, "target_page_tab_id is required"),
    ({"quest_type": "link_url"}, "link_url is required."),
    ({"quest_type": "link_url", "link_url": "javascript:alert(1)"}, "http or https URL"),
    ({"site_name": "s" * 129}, "site_name must be at most 128"),
    ({"access_restriction_type": "age"}, "access_restriction_type must be one of"),
    ({"access_restriction_type": "fan_points"}, "fan_points_required is required"),
    ({"access_restriction_type": "point_tier"}, "point_tier_uid is required"),
    ({"access_restriction_type": "point_tier", "point_tier_uid": "nope"}, "not a valid"),
    ({"access_restriction_type": "quests"}, "required_page_tab_ids is required"),
    ({"access_restriction_type": "quests", "required_page_tab_ids[]": "x"}, "list of integers"),
    ({"access_restriction_type": "quests", "required_page_tab_ids[]": "424242"}, "unknown quests"),
    ({"access_restriction_type": "tag"}, "tag_name is required"),
    ({"start_date": "next tuesday"}, "start_date must be an ISO date"),
    ({"start_date": "2026-05-02", "end_date": "2026-05-01"}, "end_date must not be before"),
    ({"media_uid": "00000000-0000-0000-0000-000000000000"}, "media_uid does not name"),
    ({"idol_uid": "00000000-0000-0000-0000-000000000000"}, "idol_uid does not name"),
]


@pytest.mark.parametrize(("fields", "message"), QUEST_ERRORS)
def test_quest_validation_errors(api: Any, fields: dict[str, str | None], message: str) -> None:
    merged = {"quest_type": "custom", "quest_title": "A quest", **fields}
    data = {key: value for key, value in merged.items() if value is not None}
    answer = api.post(api.ent("quests"), data)
    assert answer.status_code == 400
    assert message in answer.json()["error"]


def test_every_quest_type_and_restriction_can_be_created(api: Any) -> None:
    performance = next(iter(api.seed.performances.values()))
    chain = api.seed.quests["Complete your profile"]
    cases = [
        {"quest_type": "campaign", "target_page_tab_id": "77"},
        {"quest_type": "quickpicks", "target_page_tab_id": "78"},
        {"quest_type": "link_url", "link_url": "https://example.com/x"},
        {
            "quest_type": "scan",
            "performance_uid": performance,
            "scan_group_names[]": ["a", "b"],
            "site_name": "Gate",
        },
        {"quest_type": "wristband", "performance_uid": performance},
        {
            "quest_type": "custom",
            "access_restriction_type": "fan_points",
            "fan_points_required": "10000000",
        },
        {
            "quest_type": "custom",
            "access_restriction_type": "point_tier",
            "point_tier_uid": api.seed.tiers["Gold"],
        },
        {
            "quest_type": "custom",
            "access_restriction_type": "quests",
            "required_page_tab_ids[]": [str(chain), str(chain)],
        },
        {"quest_type": "custom", "access_restriction_type": "tag", "tag_name": "vip"},
        {
            "quest_type": "custom",
            "reward_type": "fan_points",
            "fan_points_reward": "10000000",
            "start_date": "2026-01-01",
            "end_date": "2026-01-31",
            "media_uid": api.seed.media["quest-profile"],
            "idol_uid": api.seed.idols["The Tide"],
            "button_text": "b" * 32,
            "quest_description": "Long text",
        },
    ]
    for index, fields in enumerate(cases):
        answer = api.post(api.ent("quests"), {"quest_title": f"Quest {index}", **fields})
        assert answer.status_code == 200, (fields, answer.json())
        quest = answer.json()
        for key, value in fields.items():
            if key in {"scan_group_names[]", "required_page_tab_ids[]"}:
                continue
            assert str(quest[key]) == value, key
    scan = api.get(api.ent("quests")).json()
    (created,) = [q for q in scan if q["quest_title"] == "Quest 3"]
    assert created["scan_group_names"] == ["a", "b"]
    (chained,) = [q for q in scan if q["quest_title"] == "Quest 7"]
    assert chained["required_page_tab_ids"] == [chain]


@pytest.mark.parametrize("name", ["required_page_tab_ids", "scan_group_names"])
def test_difference_4_list_parameters_only_in_their_documented_bracketed_form(
    api: Any, name: str
) -> None:
    """api-reference.txt, Loyalty, "Create quest for a performance": the input parameters
    are named "scan_group_names[]" and "required_page_tab_ids[]".

    A comma-joined bare name answers 400 (see docs/endpoints.md, "Readings of the
    reference"); the bracketed form, one pair per value, is read.
    """
    performance = next(iter(api.seed.performances.values()))
    first = api.seed.quests["Complete your profile"]
    second = api.seed.quests["Check in at the stadium"]
    fields = {
        "required_page_tab_ids": (
            {"quest_type": "custom", "access_restriction_type": "quests"},
            [str(first), str(second)],
        ),
        "scan_group_names": (
            {"quest_type": "scan", "performance_uid": performance},
            ["gate-a", "gate-b"],
        ),
    }
    base, values = fields[name]
    refused = api.post(api.ent("quests"), {"quest_title": "Joined", **base, name: ",".join(values)})
    assert refused.status_code == 400
    assert f"{name}[]" in refused.json()["error"]
    created = api.post(api.ent("quests"), {"quest_title": "Bracketed", **base, f"{name}[]": values})
    assert created.status_code == 200, created.json()
    expected = [int(v) for v in values] if name == "required_page_tab_ids" else values
    assert created.json()[name] == expected


REWARD_ERRORS = [
    ({"reward_title": ""}, "reward_title is required."),
    ({"reward_title": "t" * 129}, "reward_title must be at most 128"),
    ({"reward_type": "cash"}, "reward_type must be one of"),
    ({"expiration_timestamp": ""}, "expiration_timestamp is required."),
    ({"expiration_timestamp": "soon"}, "expiration_timestamp must be an ISO date-time"),
    ({"timezone": ""}, "timezone is required."),
    ({"timezone": "Mars/Olympus"}, "timezone must be an IANA time zone"),
    ({"winner_selection_model": ""}, "winner_selection_model is required."),
    ({"winner_selection_model": "random"}, "winner_selection_model must be one of"),
    ({"winner_selection_model": "first"}, "reward_limit is required when winner_selection"),
    ({"winner_selection_model": "first", "reward_limit": "0"}, "reward_limit must be at least 1"),
    ({"requirement_type": "vibes"}, "requirement_type must be one of"),
    ({"requirement_type": "point_tier"}, "point_tier_uid is required when requirement_type"),
    ({"requirement_type": "quests"}, "required_page_tab_ids is required when requirement_type"),
    ({"reward_type": "atvenu"}, "performance_uid is required for atvenu and bestring"),
    ({"reward_type": "bestring"}, "performance_uid is required for atvenu and bestring"),
    ({"reward_type": "pass"}, "access_start_timestamp is required."),
    (
        {
            "reward_type": "pass",
            "access_start_timestamp": "2026-06-01T20:00:00",
            "access_end_timestamp": "2026-06-01T19:00:00",
        },
        "access_end_timestamp must be after",
    ),
    ({"reward_type": "prize_code"}, "prize_codes is required for prize_code rewards."),
    (
        {"reward_type": "prize_code", "prize_codes": "A,B", "is_limited": "perhaps"},
        "is_limited must be true or false.",
    ),
]


@pytest.mark.parametrize(("fields", "message"), REWARD_ERRORS)
def test_reward_validation_errors(api: Any, fields: dict[str, str], message: str) -> None:
    answer = api.post(api.ent("rewards"), {**VALID_REWARD, **fields})
    assert answer.status_code == 400
    assert message in answer.json()["error"]


def test_atvenu_and_bestring_need_their_keys(api: Any) -> None:
    performance = next(iter(api.seed.performances.values()))
    atvenu = {**VALID_REWARD, "reward_type": "atvenu", "performance_uid": performance}
    assert "atvenu_sales_event_key" in api.post(api.ent("rewards"), atvenu).json()["error"]
    atvenu |= {
        "atvenu_sales_event_key": "k",
        "atvenu_promo_key": "p",
        "atvenu_delivery_method": "carrier-pigeon",
    }
    assert "atvenu_delivery_method" in api.post(api.ent("rewards"), atvenu).json()["error"]
    atvenu["atvenu_delivery_method"] = "qrcode"
    assert api.post(api.ent("rewards"), atvenu).status_code == 200
    bestring = {
        **VALID_REWARD,
        "reward_title": "B",
        "reward_type": "bestring",
        "performance_uid": performance,
    }
    assert "bestring_location_group_id" in api.post(api.ent("rewards"), bestring).json()["error"]


def test_reward_titles_are_unique_per_business(api: Any) -> None:
    assert api.post(api.ent("rewards"), VALID_REWARD).status_code == 200
    again = api.post(api.ent("rewards"), {**VALID_REWARD, "reward_type": "pass"})
    assert again.status_code == 400
    assert "already exists" in api.post(api.ent("rewards"), VALID_REWARD).json()["error"]


def test_reward_answer_has_every_creation_field_but_not_the_codes(api: Any) -> None:
    created = api.post(
        api.ent("rewards"),
        {
            **VALID_REWARD,
            "reward_type": "prize_code",
            "prize_codes": "AAA\nBBB,CCC",
            "is_limited": "true",
            "winner_selection_model": "first",
            "reward_limit": "2",
            "requirement_type": "quests",
            "required_page_tab_ids[]": str(api.seed.quests["Complete your profile"]),
            "description": "Codes",
        },
    ).json()
    assert created["prize_code_count"] == 3 and created["reward_limit"] == 2
    assert created["expiration_timestamp"] == "2099-12-31T23:59:59-08:00"
    assert "AAA" not in str(created)
    listed = {r["reward_title"]: r for r in api.get(api.ent("rewards")).json()}
    assert listed["Test Reward"]["required_page_tab_ids"] == [
        api.seed.quests["Complete your profile"]
    ]


def test_delete_quest_and_reward(api: Any) -> None:
    quest = api.post(api.ent("quests"), {"quest_type": "custom", "quest_title": "Gone"}).json()
    assert api.delete(api.ent(f"quests/{quest['page_tab_id']}")).status_code == 200
    assert quest["page_tab_id"] not in [q["page_tab_id"] for q in api.get(api.ent("quests")).json()]
    reward = api.post(api.ent("rewards"), VALID_REWARD).json()
    assert api.delete(api.ent(f"rewards/{reward['reward_uid']}")).status_code == 200
    assert api.delete(api.ent(f"rewards/{reward['reward_uid']}")).status_code == 404
