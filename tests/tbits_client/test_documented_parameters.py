"""Documented parameters the client sends, asserted exactly as they go on the wire.

Each test is one group of issue 15's differences 3 and 4, and quotes the reference it
follows (/work/shared/reference/ in the project's workspace, api-reference.txt and
loyalty-portal-integration.txt).
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
import responses

from tbits_client import DeviceNetwork, TbitsClient

from .conftest import BASE_URL

SESSION_UID = "6f1d2c3b-aaaa-bbbb-cccc-0123456789ab"


def _sent_query(mocked: responses.RequestsMock) -> dict[str, list[str]]:
    (call,) = mocked.calls
    return parse_qs(urlsplit(call.request.url).query, keep_blank_values=True)


def _sent_form(mocked: responses.RequestsMock) -> dict[str, list[str]]:
    (call,) = mocked.calls
    body = call.request.body or ""
    if isinstance(body, bytes):
        body = body.decode()
    return parse_qs(body, keep_blank_values=True)


def test_difference_3_idol_search_by_idol_name(
    client: TbitsClient, mocked: responses.RequestsMock
) -> None:
    """api-reference.txt, Idols Calls, "Search for an idols in the database": "idol_name |
    Search Expression for an idol", "label_name | Limit Idols to a specific label".
    """
    mocked.get(BASE_URL + "api/v1/idols", json=[{"idol_uid": "i-1", "idol_name": "The Tide"}])

    (idol,) = client.idols(idol_name="Tide", label_name="main")

    assert _sent_query(mocked) == {"idol_name": ["Tide"], "label_name": ["main"]}
    assert idol.idol_name == "The Tide"
    with pytest.raises(ValueError, match="idol_name"):
        client.idols(idol_name="  ")


def test_difference_3_obtain_an_idol_by_idol_uid(
    client: TbitsClient, mocked: responses.RequestsMock
) -> None:
    """api-reference.txt, Idols Calls: "Obtain an idol for a given idol_uid"."""
    mocked.get(
        BASE_URL + "api/v1/idols/4b7c2d9e-0000-4000-8000-000000000001",
        json={"idol_uid": "4b7c2d9e-0000-4000-8000-000000000001", "idol_name": "The Tide"},
    )

    idol = client.idol("4b7c2d9e-0000-4000-8000-000000000001")

    assert idol.idol_name == "The Tide"
    assert _sent_query(mocked) == {}
    with pytest.raises(ValueError, match="idol_uid"):
        client.idol(" ")


def test_difference_3_idol_events_search_parameters(
    client: TbitsClient, mocked: responses.RequestsMock
) -> None:
    """api-reference.txt, Idols Calls, "Based on the search parameters return a list of Idol
    Events": "Input Parameters idol_uid, venue_name, q, label_name, start_date, end_date".
    """
    mocked.get(BASE_URL + "api/v1/idols/events", json=[])

    client.idol_events(
        idol_uid="i-1",
        venue_name="Rogers Arena",
        q="summer",
        label_name="main",
        start_date=dt.date(2026, 7, 1),
        end_date=dt.date(2026, 7, 31),
    )

    assert _sent_query(mocked) == {
        "idol_uid": ["i-1"],
        "venue_name": ["Rogers Arena"],
        "q": ["summer"],
        "label_name": ["main"],
        "start_date": ["2026-07-01"],
        "end_date": ["2026-07-31"],
    }
    with pytest.raises(ValueError, match="end_date"):
        client.idol_events(start_date=dt.date(2026, 7, 2), end_date=dt.date(2026, 7, 1))


def test_difference_3_session_fan_update_props_fields_tags_and_ip_address(
    client: TbitsClient, mocked: responses.RequestsMock
) -> None:
    """api-reference.txt, Sessions Calls, "Update Current Fan Record": "ip_address",
    "props_* | update props", "field_* | update fields", "tag_* | update tags".
    """
    mocked.post(BASE_URL + f"api/v1/sessions/{SESSION_UID}/fan", json={"fan_id": 501})

    fan = client.update_session_fan(
        SESSION_UID,
        first_name="Casey",
        ip_address="203.0.113.7",
        props_lang="fr",
        field_favourite_player="23",
        tag_vip="true",
    )

    assert _sent_form(mocked) == {
        "first_name": ["Casey"],
        "ip_address": ["203.0.113.7"],
        "props_lang": ["fr"],
        "field_favourite_player": ["23"],
        "tag_vip": ["true"],
    }
    assert fan.fan_id == 501 and fan.first_name == "Casey"
    with pytest.raises(ValueError, match="props_, field_ or tag_"):
        client.update_session_fan(SESSION_UID, favourite="23")
    with pytest.raises(ValueError, match="name after the prefix"):
        client.update_session_fan(SESSION_UID, tag_="x")
    assert len(mocked.calls) == 1


def test_difference_3_sessions_connect_page_tab_and_device(
    client: TbitsClient, mocked: responses.RequestsMock
) -> None:
    """api-reference.txt, Sessions Calls, "This call allows to initialize new session":
    "business_id *", "page_tab_id", "ip_address", "device_id", "device_network".
    And for the device: "device_network | one of ios/android".
    """
    mocked.post(BASE_URL + "api/v1/sessions/connect", json={"status": "register"})

    client.connect_lookup(
        business_id=2002,
        email="fan@example.com",
        ip_address="203.0.113.7",
        page_tab_id=71,
        device_id="A1B2-C3",
        device_network=DeviceNetwork.IOS,
    )

    assert _sent_form(mocked) == {
        "network": ["email"],
        "business_id": ["2002"],
        "email": ["fan@example.com"],
        "ip_address": ["203.0.113.7"],
        "page_tab_id": ["71"],
        "device_id": ["A1B2-C3"],
        "device_network": ["ios"],
    }
    with pytest.raises(ValueError):
        client.connect_guest(business_id=2002, device_network="windows")
    with pytest.raises(ValueError, match="page_tab_id"):
        client.connect_guest(business_id=2002, page_tab_id=0)
    with pytest.raises(ValueError, match="device_id"):
        client.connect_guest(business_id=2002, device_id=" ")
    assert len(mocked.calls) == 1


def test_difference_3_fan_activity_business_id(
    client: TbitsClient, mocked: responses.RequestsMock
) -> None:
    """loyalty-portal-integration.txt, "Fan Points and Fan Activities": "The background
    reward system only considers fans who have at least one activity record associated
    with the business." (the activity call itself prints no business_id: we send it).
    """
    mocked.post(BASE_URL + "api/v1/crm/fans/501/activities", json={"fan_id": 501, "activity_id": 9})

    activity = client.create_fan_activity(
        501, campaign_title="Loyalty portal visit", business_id=2002
    )

    assert _sent_form(mocked) == {
        "campaign_title": ["Loyalty portal visit"],
        "business_id": ["2002"],
    }
    assert activity.activity_id == 9
    with pytest.raises(ValueError, match="business_id"):
        client.create_fan_activity(501, campaign_title="x", business_id=" ")


def test_difference_4_list_parameters_sent_as_the_reference_names_them(
    client: TbitsClient, mocked: responses.RequestsMock
) -> None:
    """api-reference.txt, Loyalty, "Create quest for a performance": "scan_group_names[]",
    "required_page_tab_ids[]". loyalty-portal-integration.txt, "Reward-type-specific
    fields": "prize_codes (comma or newline-separated list)", so that one stays joined.
    """
    mocked.post(BASE_URL + "api/v1/ent/businesses/2002/quests", json={"page_tab_id": 99})
    mocked.post(BASE_URL + "api/v1/ent/businesses/2002/rewards", json={"reward_uid": "rw-9"})

    client.create_quest(
        2002,
        quest_type="scan",
        quest_title="Scan in",
        scan_group_names=["gate-a", "gate-b"],
        access_restriction_type="quests",
        required_page_tab_ids=[70, 71],
    )
    client.create_reward(
        2002,
        reward_title="Codes",
        reward_type="prize_code",
        expiration_timestamp=dt.datetime(2099, 12, 31, 23, 59, 59),
        timezone="UTC",
        winner_selection_model="all",
        requirement_type="quests",
        required_page_tab_ids=[70],
        prize_codes=["AAA", "BBB"],
    )

    quest_call, reward_call = mocked.calls
    quest_body = quest_call.request.body
    assert "required_page_tab_ids%5B%5D=70&required_page_tab_ids%5B%5D=71" in quest_body
    assert "scan_group_names%5B%5D=gate-a&scan_group_names%5B%5D=gate-b" in quest_body
    quest_form = parse_qs(quest_body)
    assert "required_page_tab_ids" not in quest_form and "scan_group_names" not in quest_form
    reward_form = parse_qs(reward_call.request.body)
    assert reward_form["required_page_tab_ids[]"] == ["70"]
    assert reward_form["prize_codes"] == ["AAA,BBB"]
