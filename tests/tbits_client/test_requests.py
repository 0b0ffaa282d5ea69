"""Every endpoint's happy path: method, path, headers, form body or query, and parsing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import responses

from tbits_client import (
    ENDPOINTS,
    AccountStatus,
    Business,
    Completions,
    ConnectOutcome,
    Fan,
    FanActivity,
    FanPoint,
    FanPointAward,
    FanRegistration,
    FanReward,
    FanTier,
    Idol,
    IdolEvent,
    LeaderboardRow,
    Performance,
    PointType,
    Quest,
    QuestCompletion,
    QuestType,
    RequirementType,
    RestrictionType,
    Reward,
    RewardType,
    RewardUpdate,
    SelectionModel,
    Session,
    TbitsClient,
    Tier,
)

from .conftest import API_KEY, API_SECRET, BASE_URL

SESSION_UID = "6f1d2c3b-aaaa-bbbb-cccc-0123456789ab"
SESSION_JSON = {
    "session_uid": SESSION_UID,
    "fan_id": 501,
    "account_id": 1001,
    "props": {"lang": "en"},
    "expiration_timestamp": "2026-06-01T12:00:00Z",
}
QUEST_JSON = {
    "page_tab_id": 71,
    "quest_type": "link_url",
    "quest_title": "Visit the site",
    "link_url": "https://example.com/",
    "reward_type": "fan_points",
    "fan_points_reward": 50,
    "access_restriction_type": "quests",
    "required_page_tab_ids": [70],
}
REWARD_JSON = {
    "reward_uid": "rw-1",
    "reward_title": "Bronze Badge",
    "reward_type": "badge",
    "requirement_type": "point_tier",
    "point_tier_uid": "tier-1",
    "expiration_timestamp": "2026-12-31T23:59:59",
    "timezone": "America/Los_Angeles",
    "winner_selection_model": "all",
}


@dataclass(frozen=True)
class Case:
    endpoint: str
    call: Callable[[TbitsClient], Any]
    method: str
    path: str
    answer: Any
    check: Callable[[Any], None]
    query: dict[str, str] = field(default_factory=dict)
    # A repeated key (``name[]``) is compared as the list of its values, in order.
    form: dict[str, str | list[str]] = field(default_factory=dict)
    status: int = 200


def _is(kind: type, **expected: Any) -> Callable[[Any], None]:
    def check(result: Any) -> None:
        assert isinstance(result, kind), result
        for name, value in expected.items():
            assert getattr(result, name) == value, (name, getattr(result, name))

    return check


def _list_of(kind: type, count: int, **first: Any) -> Callable[[Any], None]:
    def check(result: Any) -> None:
        assert isinstance(result, list) and len(result) == count
        _is(kind, **first)(result[0])

    return check


CASES: list[Case] = [
    Case(
        "status",
        lambda c: c.status(),
        "POST",
        "api/v1/status",
        {
            "legal_terms": "T",
            "legal_privacy": "P",
            "header_text": "Hi",
            "image_url": "u",
            "theme": "dark",
        },
        _is(AccountStatus, legal_terms="T", header_text="Hi", extra={"theme": "dark"}),
    ),
    Case(
        "oauth_access_token",
        lambda c: c.exchange_oauth_code(
            code="oauth-code-777", account_id=1001, redirect_url="https://portal.test/cb/x"
        ),
        "GET",
        "crm/access_token",
        SESSION_JSON,
        _is(Session, fan_id=501, session_uid=SESSION_UID),
        query={
            "code": "oauth-code-777",
            "account_id": "1001",
            "redirect_url": "https://portal.test/cb/x",
        },
    ),
    Case(
        "sessions_connect",
        lambda c: c.connect_lookup(
            business_id=2002, email="fan@example.com", ip_address="203.0.113.9"
        ),
        "POST",
        "api/v1/sessions/connect",
        {"status": "login", "password": True, "phone": False},
        _is(object, outcome=ConnectOutcome.FAN_EXISTS, has_password=True, has_phone=False),
        form={
            "network": "email",
            "business_id": "2002",
            "email": "fan@example.com",
            "ip_address": "203.0.113.9",
        },
    ),
    Case(
        "sessions_connect",
        lambda c: c.connect_lookup(business_id=2002, phone="+1 604 555 0101"),
        "POST",
        "api/v1/sessions/connect",
        {"status": "register"},
        _is(object, outcome=ConnectOutcome.MUST_REGISTER),
        form={"network": "phone", "business_id": "2002", "phone": "+1 604 555 0101"},
    ),
    Case(
        "sessions_connect",
        lambda c: c.connect_send_code(business_id=2002, channel="email", email="fan@example.com"),
        "POST",
        "api/v1/sessions/connect",
        {"request_uid": "req-1", "message": "Verification code has been sent to f***"},
        _is(object, outcome=ConnectOutcome.CODE_SENT, request_uid="req-1"),
        form={"network": "verify_email", "business_id": "2002", "email": "fan@example.com"},
    ),
    Case(
        "sessions_connect",
        lambda c: c.connect_send_code(business_id=2002, channel="sms", phone="6045550101"),
        "POST",
        "api/v1/sessions/connect",
        {"request_uid": "req-2", "message": "sent"},
        _is(object, outcome=ConnectOutcome.CODE_SENT, request_uid="req-2"),
        form={"network": "verify_sms", "business_id": "2002", "phone": "6045550101"},
    ),
    Case(
        "sessions_connect",
        lambda c: c.connect_submit_code(
            business_id=2002,
            request_uid="req-1",
            verification_code="49270",
            email="fan@example.com",
        ),
        "POST",
        "api/v1/sessions/connect",
        SESSION_JSON,
        lambda r: (
            _is(object, outcome=ConnectOutcome.SESSION_CREATED)(r),
            _is(Session, fan_id=501)(r.session),
        ),
        form={
            "network": "submit_verification_code",
            "business_id": "2002",
            "email": "fan@example.com",
            "request_uid": "req-1",
            "verification_code": "49270",
        },
    ),
    Case(
        "sessions_connect",
        lambda c: c.connect_submit_code(
            business_id=2002,
            request_uid="req-1",
            verification_code="49270",
            email="new@example.com",
        ),
        "POST",
        "api/v1/sessions/connect",
        {"status": "register", "verification_uid": "ver-9"},
        _is(object, outcome=ConnectOutcome.MUST_REGISTER, verification_uid="ver-9"),
        form={
            "network": "submit_verification_code",
            "business_id": "2002",
            "email": "new@example.com",
            "request_uid": "req-1",
            "verification_code": "49270",
        },
    ),
    Case(
        "sessions_connect",
        lambda c: c.connect_register(
            business_id=2002,
            email="new@example.com",
            first_name="Jane",
            last_name="Doe",
            request_uid="req-1",
            verification_uid="ver-9",
            is_accepted=True,
        ),
        "POST",
        "api/v1/sessions/connect",
        SESSION_JSON,
        _is(object, outcome=ConnectOutcome.SESSION_CREATED),
        form={
            "network": "register",
            "business_id": "2002",
            "email": "new@example.com",
            "first_name": "Jane",
            "last_name": "Doe",
            "request_uid": "req-1",
            "verification_uid": "ver-9",
            "is_accepted": "1",
        },
    ),
    Case(
        "sessions_connect",
        lambda c: c.connect_register(
            business_id=2002, email="new@example.com", first_name="Jane", last_name="Doe"
        ),
        "POST",
        "api/v1/sessions/connect",
        {"terms_required": True, "legal_terms": "Be nice.", "message": "Accept the terms"},
        _is(object, outcome=ConnectOutcome.TERMS_REQUIRED, legal_terms="Be nice."),
        form={
            "network": "register",
            "business_id": "2002",
            "email": "new@example.com",
            "first_name": "Jane",
            "last_name": "Doe",
        },
    ),
    Case(
        "sessions_connect",
        lambda c: c.connect_register(
            business_id=2002, email="new@example.com", first_name="Jane", last_name="Doe"
        ),
        "POST",
        "api/v1/sessions/connect",
        {"status": "login"},
        _is(object, outcome=ConnectOutcome.FAN_EXISTS),
        form={
            "network": "register",
            "business_id": "2002",
            "email": "new@example.com",
            "first_name": "Jane",
            "last_name": "Doe",
        },
    ),
    Case(
        "sessions_connect",
        lambda c: c.connect_password(
            business_id=2002, email="fan@example.com", password="loyal-fan-2026"
        ),
        "POST",
        "api/v1/sessions/connect",
        SESSION_JSON,
        _is(object, outcome=ConnectOutcome.SESSION_CREATED),
        form={
            "network": "password",
            "business_id": "2002",
            "email": "fan@example.com",
            "password": "loyal-fan-2026",
        },
    ),
    Case(
        "sessions_connect",
        lambda c: c.connect_guest(business_id=2002),
        "POST",
        "api/v1/sessions/connect",
        {**SESSION_JSON, "fan_id": None},
        lambda r: _is(Session, fan_id=None)(r.session),
        form={"network": "", "business_id": "2002"},
    ),
    Case(
        "session",
        lambda c: c.get_session(SESSION_UID),
        "GET",
        f"api/v1/sessions/{SESSION_UID}",
        SESSION_JSON,
        _is(
            Session,
            fan_id=501,
            account_id=1001,
            props={"lang": "en"},
            expiration_timestamp=dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC),
        ),
    ),
    Case(
        "session_fan",
        lambda c: c.get_session_fan(SESSION_UID),
        "GET",
        f"api/v1/sessions/{SESSION_UID}/fan",
        {
            "fan_id": 501,
            "first_name": "Jane",
            "tags": ["vip", {"tag_name": "season"}],
            "is_subscribed": "true",
        },
        _is(Fan, fan_id=501, first_name="Jane", tags=("vip", "season"), is_subscribed=True),
    ),
    Case(
        "session_fan_update",
        lambda c: c.update_session_fan(
            SESSION_UID,
            first_name="Jo",
            display_name="JoJo",
            password="n3w-Passw0rd",
            is_subscribed=False,
        ),
        "POST",
        f"api/v1/sessions/{SESSION_UID}/fan",
        {"fan_id": 501},
        _is(Fan, fan_id=501, first_name="Jo", display_name="JoJo", is_subscribed=False),
        form={
            "first_name": "Jo",
            "display_name": "JoJo",
            "password": "n3w-Passw0rd",
            "is_subscribed": "false",
        },
    ),
    Case(
        "session_points",
        lambda c: c.get_session_points(SESSION_UID),
        "GET",
        f"api/v1/sessions/{SESSION_UID}/points",
        [{"fan_id": 501, "point_uid": "pt-1", "point_name": "Fan Points", "point_count": 320}],
        _list_of(FanPoint, 1, point_count=320, point_name="Fan Points"),
    ),
    Case(
        "idols",
        lambda c: c.idols(label_name="main"),
        "GET",
        "api/v1/idols",
        [{"idol_uid": "i-1", "idol_name": "The Band", "idol_labels": ["main"]}],
        _list_of(Idol, 1, idol_name="The Band", idol_labels=("main",)),
        query={"label_name": "main"},
    ),
    Case(
        "idol",
        lambda c: c.idol("i-1"),
        "GET",
        "api/v1/idols/i-1",
        {"idol_uid": "i-1", "idol_name": "The Band"},
        _is(Idol, idol_uid="i-1", idol_name="The Band"),
    ),
    Case(
        "idol_events",
        lambda c: c.idol_events(label_name="main"),
        "GET",
        "api/v1/idols/events",
        [{"event_uid": "e-1", "idol_uid": "i-1", "start_timestamp": "2026-07-01T20:00:00"}],
        _list_of(IdolEvent, 1, event_uid="e-1", start_timestamp=dt.datetime(2026, 7, 1, 20)),
        query={"label_name": "main"},
    ),
    Case(
        "session_idols",
        lambda c: c.session_idols(SESSION_UID),
        "GET",
        f"api/v1/sessions/{SESSION_UID}/idols",
        [{"idol_uid": "i-1"}],
        _list_of(Idol, 1, idol_uid="i-1"),
    ),
    Case(
        "session_idols_update",
        lambda c: c.like_idol(SESSION_UID, "i-1"),
        "POST",
        f"api/v1/sessions/{SESSION_UID}/idols",
        {"fan_id": 501, "idol_uid": "i-1"},
        lambda r: None,
        form={"action": "add", "idol_uid": "i-1"},
    ),
    Case(
        "session_idols_update",
        lambda c: c.unlike_idol(SESSION_UID, "i-1"),
        "POST",
        f"api/v1/sessions/{SESSION_UID}/idols",
        True,
        lambda r: None,
        form={"action": "delete", "idol_uid": "i-1"},
    ),
    Case(
        "businesses",
        lambda c: c.businesses(),
        "GET",
        "api/v1/businesses",
        [
            {
                "business_id": 2002,
                "business_name": "Demo FC",
                "point_uid": "pt-1",
                "style_props": {"primary_color": "#0b57d0"},
                "media_map": {"logo": "m-1"},
            }
        ],
        _list_of(
            Business,
            1,
            business_id=2002,
            style_props={"primary_color": "#0b57d0"},
            media_map={"logo": "m-1"},
        ),
    ),
    Case(
        "point_types",
        lambda c: c.point_types(),
        "GET",
        "api/v1/crm/points",
        [{"point_uid": "pt-1", "point_name": "Fan Points"}],
        _list_of(PointType, 1, point_uid="pt-1"),
    ),
    Case(
        "point_type_create",
        lambda c: c.create_point_type(point_name="Fan Points"),
        "POST",
        "api/v1/crm/points",
        {"point_uid": "pt-9"},
        _is(PointType, point_uid="pt-9", point_name="Fan Points"),
        form={"point_name": "Fan Points"},
    ),
    Case(
        "point_tiers",
        lambda c: c.tiers("pt-1"),
        "GET",
        "api/v1/crm/point_tiers/pt-1",
        [
            {"point_tier_uid": "t-2", "tier_name": "Silver", "min_points": 500},
            {"point_tier_uid": "t-1", "tier_name": "Bronze", "min_points": "100"},
        ],
        _list_of(Tier, 2, tier_name="Bronze", min_points=100),
    ),
    Case(
        "point_tier_save",
        lambda c: c.save_tier("pt-1", tier_name="Gold", min_points=1500),
        "POST",
        "api/v1/crm/point_tiers/pt-1",
        {"point_tier_uid": "t-3"},
        _is(Tier, point_tier_uid="t-3", tier_name="Gold", min_points=1500, point_uid="pt-1"),
        form={"tier_name": "Gold", "min_points": "1500"},
    ),
    Case(
        "fan_point_tier",
        lambda c: c.fan_tier(501, point_name="Fan Points"),
        "GET",
        "api/v1/crm/fans/501/point_tier",
        {"point_tier_uid": "t-1", "tier_name": "Bronze", "min_points": 100, "point_count": 320},
        lambda r: (
            _is(FanTier, point_name="Fan Points", point_count=320)(r),
            _is(Tier, tier_name="Bronze")(r.tier),
        ),
        query={"point_name": "Fan Points"},
    ),
    Case(
        "quests",
        lambda c: c.quests(2002),
        "GET",
        "api/v1/ent/businesses/2002/quests",
        [QUEST_JSON],
        _list_of(
            Quest, 1, page_tab_id=71, quest_type=QuestType.LINK_URL, required_page_tab_ids=(70,)
        ),
    ),
    Case(
        "quest_create",
        lambda c: c.create_quest(
            2002,
            quest_type=QuestType.CUSTOM,
            quest_title="Complete your profile",
            reward_type="fan_points",
            fan_points_reward=50,
            access_restriction_type=RestrictionType.QUESTS,
            required_page_tab_ids=[70, 71],
            scan_group_names=["gate-a", "gate-b"],
            start_date=dt.date(2026, 1, 31),
            is_required=True,
        ),
        "POST",
        "api/v1/ent/businesses/2002/quests",
        {"page_tab_id": 99},
        _is(
            Quest,
            page_tab_id=99,
            quest_type=QuestType.CUSTOM,
            fan_points_reward=50,
            required_page_tab_ids=(70, 71),
            scan_group_names=("gate-a", "gate-b"),
            start_date=dt.date(2026, 1, 31),
        ),
        form={
            "quest_type": "custom",
            "quest_title": "Complete your profile",
            "reward_type": "fan_points",
            "fan_points_reward": "50",
            "access_restriction_type": "quests",
            "required_page_tab_ids[]": ["70", "71"],
            "scan_group_names[]": ["gate-a", "gate-b"],
            "start_date": "2026-01-31",
            "is_required": "true",
        },
    ),
    Case(
        "quest_delete",
        lambda c: c.delete_quest(2002, 99),
        "DELETE",
        "api/v1/ent/businesses/2002/quests/99",
        None,
        lambda r: None,
    ),
    Case(
        "rewards",
        lambda c: c.rewards(2002),
        "GET",
        "api/v1/ent/businesses/2002/rewards",
        [REWARD_JSON],
        _list_of(
            Reward,
            1,
            reward_type=RewardType.BADGE,
            requirement_type=RequirementType.POINT_TIER,
            winner_selection_model=SelectionModel.ALL,
        ),
    ),
    Case(
        "reward_create",
        lambda c: c.create_reward(
            2002,
            reward_title="Gate pass",
            reward_type=RewardType.PASS,
            expiration_timestamp=dt.datetime(2026, 12, 31, 23, 59, 59),
            timezone="America/Los_Angeles",
            winner_selection_model=SelectionModel.FIRST,
            reward_limit=100,
            access_start_timestamp="2026-07-01T18:00:00",
            access_end_timestamp="2026-07-01T23:00:00",
            access_pass_type="qrcode",
        ),
        "POST",
        "api/v1/ent/businesses/2002/rewards",
        {"reward_uid": "rw-9"},
        _is(
            Reward,
            reward_uid="rw-9",
            reward_type=RewardType.PASS,
            reward_limit=100,
            access_pass_type="qrcode",
            access_start_timestamp=dt.datetime(2026, 7, 1, 18),
        ),
        form={
            "reward_title": "Gate pass",
            "reward_type": "pass",
            "expiration_timestamp": "2026-12-31T23:59:59",
            "timezone": "America/Los_Angeles",
            "winner_selection_model": "first",
            "reward_limit": "100",
            "access_start_timestamp": "2026-07-01T18:00:00",
            "access_end_timestamp": "2026-07-01T23:00:00",
            "access_pass_type": "qrcode",
        },
    ),
    Case(
        "reward_delete",
        lambda c: c.delete_reward(2002, "rw-9"),
        "DELETE",
        "api/v1/ent/businesses/2002/rewards/rw-9",
        {},
        lambda r: None,
    ),
    Case(
        "fan_rewards",
        lambda c: c.fan_rewards(2002, 501),
        "GET",
        "api/v1/ent/businesses/2002/fans/501/rewards",
        [
            {
                "reward_uid": "rw-1",
                "reward_title": "Gate pass",
                "reward_type": "pass",
                "fan_id": 501,
                "pass_code": "PASS-XYZ",
                "access_start_timestamp": "2026-07-01",
            },
            {"reward_uid": "rw-2", "reward_type": "prize_code", "prize_code": "FREE-BEER"},
        ],
        _list_of(
            FanReward, 2, pass_code="PASS-XYZ", access_start_timestamp=dt.datetime(2026, 7, 1)
        ),
    ),
    Case(
        "fan_reward_assign",
        lambda c: c.assign_reward(2002, 501, reward_uid="rw-1"),
        "POST",
        "api/v1/ent/businesses/2002/fans/501/rewards",
        {"status": "ok"},
        _is(FanReward, reward_uid="rw-1", fan_id=501, status="ok"),
        form={"reward_uid": "rw-1"},
    ),
    Case(
        "quest_completions",
        lambda c: c.completions(2002, 501),
        "GET",
        "api/v1/ent/businesses/2002/quests/fans/501/complete",
        {"70": True, "71": False},
        lambda r: (
            _is(Completions, completed_ids=frozenset({70}))(r),
            _is(object, states={70: True, 71: False})(r),
        ),
    ),
    Case(
        "quest_complete",
        lambda c: c.complete_quest(2002, 71, 501),
        "POST",
        "api/v1/ent/businesses/2002/quests/71/fans/501/complete",
        {"activity_id": 8001},
        _is(QuestCompletion, activity_id=8001),
    ),
    Case(
        "reward_updates",
        lambda c: c.reward_updates(last_update_date=dt.date(2026, 1, 1)),
        "GET",
        "api/v1/ent/reward_updates",
        [{"reward_uid": "rw-1", "fan_id": 501, "status": "delivered"}],
        _list_of(RewardUpdate, 1, reward_uid="rw-1", status="delivered"),
        query={"last_update_date": "2026-01-01"},
    ),
    Case(
        "crm_fan_points",
        lambda c: c.fan_points(501),
        "GET",
        "api/v1/crm/fans/501/points",
        {"fan_id": 501, "point_uid": "pt-1", "point_name": "Fan Points", "point_count": 12},
        _list_of(FanPoint, 1, point_count=12),
    ),
    Case(
        "crm_fan_points_award",
        lambda c: c.award_fan_points(
            point_uid="pt-1", fan_id=501, point_count=25, award_key="welcome-501"
        ),
        "POST",
        "api/v1/crm/fan_points",
        {"fan_point_uid": "fp-1", "fan_id": 501},
        _is(FanPointAward, fan_point_uid="fp-1"),
        form={
            "point_uid": "pt-1",
            "fan_id": "501",
            "point_count": "25",
            "award_key": "welcome-501",
        },
    ),
    Case(
        "crm_fan_points_ledger",
        lambda c: c.fan_points_ledger(
            start_date="2026-01-01", end_date=dt.date(2026, 2, 1), fan_id=501, limit=50
        ),
        "GET",
        "api/v1/crm/fan_points",
        [
            {
                "fan_point_uid": "fp-1",
                "fan_id": 501,
                "point_count": 25,
                "creation_timestamp": "2026-01-02T10:00:00+00:00",
                "session_uid": SESSION_UID,
            }
        ],
        _list_of(FanPoint, 1, fan_point_uid="fp-1", extra={}),
        query={
            "start_date": "2026-01-01",
            "end_date": "2026-02-01",
            "fan_id": "501",
            "limit": "50",
        },
    ),
    Case(
        "crm_leaderboard",
        lambda c: c.leaderboard(point_name="Fan Points", start_date="2026-01-01", limit=10),
        "GET",
        "api/v1/crm/leaderboard",
        {
            "meta": {"count": 1},
            "data": [{"fan_id": 501, "rank": 1, "fan_point_count": 900, "display_name": "JoJo"}],
        },
        _list_of(LeaderboardRow, 1, rank=1, fan_point_count=900, display_name="JoJo"),
        query={"point_name": "Fan Points", "start_date": "2026-01-01", "limit": "10"},
    ),
    Case(
        "crm_display_name",
        lambda c: c.display_name_check(display_name="JoJo"),
        "GET",
        "api/v1/crm/display_name",
        {"display_name": "JoJo2"},
        _is(object, display_name="JoJo2", is_available=False),
        query={"display_name": "JoJo"},
    ),
    Case(
        "crm_fan",
        lambda c: c.fan(501),
        "GET",
        "api/v1/crm/fans/501",
        {"fan_id": 501, "tags": "vip,season", "birth_date": "1990-05-01"},
        _is(Fan, tags=("vip", "season"), birth_date=dt.date(1990, 5, 1)),
    ),
    Case(
        "crm_fan_activities",
        lambda c: c.fan_activities(501, limit=5),
        "GET",
        "api/v1/crm/fans/501/activities",
        [{"fan_id": 501, "campaign_title": "Loyalty Portal", "creation_date": "2026-01-02"}],
        _list_of(FanActivity, 1, creation_date=dt.date(2026, 1, 2)),
        query={"limit": "5"},
    ),
    Case(
        "crm_fan_activity_create",
        lambda c: c.create_fan_activity(501, campaign_title="Loyalty Portal", field_page="home"),
        "POST",
        "api/v1/crm/fans/501/activities",
        {"fan_id": 501, "activity_id": 8002},
        _is(FanActivity, activity_id=8002, campaign_title="Loyalty Portal"),
        form={"campaign_title": "Loyalty Portal", "field_page": "home"},
    ),
    Case(
        "crm_fan_registrations",
        lambda c: c.fan_registrations(501),
        "GET",
        "api/v1/crm/fans/501/registrations",
        [{"registration_key": "reg-1", "fan_id": 501, "barcode": "WB-1"}],
        _list_of(FanRegistration, 1, barcode="WB-1"),
    ),
    Case(
        "crm_fan_registration_create",
        lambda c: c.create_fan_registration(
            501,
            registration_key="reg-2",
            first_name="Jane",
            last_name="Doe",
            email="fan@example.com",
            event_name="Final",
            event_date=dt.date(2026, 7, 1),
            registration_timestamp=dt.datetime(2026, 6, 1, 9, 30, tzinfo=dt.UTC),
            network="wristband",
            barcode="WB-2",
        ),
        "POST",
        "api/v1/crm/fans/501/registrations",
        {"registration_key": "reg-2", "fan_id": 501},
        _is(FanRegistration, registration_key="reg-2", barcode="WB-2"),
        form={
            "registration_key": "reg-2",
            "first_name": "Jane",
            "last_name": "Doe",
            "email": "fan@example.com",
            "event_name": "Final",
            "event_date": "2026-07-01",
            "registration_timestamp": "2026-06-01 09:30:00",
            "network": "wristband",
            "barcode": "WB-2",
        },
    ),
    Case(
        "performances",
        lambda c: c.performances(),
        "GET",
        "api/v1/performances",
        [
            {
                "performance_uid": "perf-1",
                "performance_name": "Final",
                "performance_date": "2026-07-01",
                "business_id": "2002",
            }
        ],
        _list_of(Performance, 1, performance_date=dt.date(2026, 7, 1), business_id=2002),
    ),
]


def _case_id(case: Case) -> str:
    form_network = case.form.get("network")
    return case.endpoint + (f"-{form_network or 'guest'}" if form_network is not None else "")


@pytest.mark.parametrize("case", CASES, ids=[_case_id(case) for case in CASES])
def test_endpoint_happy_path(
    case: Case, client: TbitsClient, mocked: responses.RequestsMock
) -> None:
    row = ENDPOINTS[case.endpoint]
    assert row.method == case.method
    mocked.add(case.method, BASE_URL + case.path, json=case.answer, status=case.status)

    result = case.call(client)

    assert len(mocked.calls) == 1
    request = mocked.calls[0].request
    parts = urlsplit(request.url)
    assert parts.path == urlsplit(BASE_URL + case.path).path
    assert {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()} == (
        case.query
    )
    body = request.body or ""
    if isinstance(body, bytes):
        body = body.decode()
    form = {
        k: v[0] if len(v) == 1 else v for k, v in parse_qs(body, keep_blank_values=True).items()
    }
    assert form == case.form
    if case.form:
        assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    # Credentials travel in headers only, and the secret only where the table says.
    assert request.headers["Api-Key"] == API_KEY
    assert ("Api-Secret" in request.headers) is row.needs_secret
    if row.needs_secret:
        assert request.headers["Api-Secret"] == API_SECRET
    for text in (request.url, body):
        assert API_KEY not in text and API_SECRET not in text
        assert "api_key" not in text and "api_secret" not in text
    assert request.req_kwargs["timeout"] == (3.0, 10.0)
    assert request.req_kwargs["verify"] is True
    case.check(result)


def test_every_endpoint_that_sends_a_request_has_a_happy_path_case() -> None:
    covered = {case.endpoint for case in CASES}
    sending = {name for name, row in ENDPOINTS.items() if row.sends_request}
    assert covered == sending


def test_every_connect_network_value_is_exercised() -> None:
    networks = {case.form["network"] for case in CASES if case.endpoint == "sessions_connect"}
    # The documented values of `network` (api-reference.txt, sessions/connect).
    assert networks == {
        "",
        "register",
        "email",
        "phone",
        "verify_sms",
        "verify_email",
        "submit_verification_code",
        "password",
    }


def test_browser_urls_are_built_without_http_and_without_credentials(
    client: TbitsClient, mocked: responses.RequestsMock
) -> None:
    url = client.oauth_url(
        account_id=1001, business_id=2002, redirect_url="https://portal.test/accounts/oauth/cb/abc/"
    )
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == BASE_URL + "crm/oauth"
    assert parse_qs(parts.query) == {
        "account_id": ["1001"],
        "business_id": ["2002"],
        "login_type": ["email"],
        "redirect_url": ["https://portal.test/accounts/oauth/cb/abc/"],
    }
    assert client.media_url("m-1") == BASE_URL + "fb_media/m-1"
    assert client.media_url("m-1", width=320, height=200) == (
        BASE_URL + "fb_media/m-1?width=320&height=200"
    )
    for built in (url, client.media_url("m-1", width=10)):
        assert API_KEY not in built and API_SECRET not in built
    assert len(mocked.calls) == 0


def test_path_values_are_escaped_and_empty_ones_refused(
    client: TbitsClient, mocked: responses.RequestsMock
) -> None:
    mocked.get(BASE_URL + "api/v1/sessions/a%2Fb%3Fc/fan", json={"fan_id": 1})
    assert client.get_session_fan("a/b?c").fan_id == 1
    for bad in ("", "  ", "..", "."):
        with pytest.raises(ValueError, match="session_uid is required"):
            client.get_session(bad)
    assert len(mocked.calls) == 1


def test_connect_refuses_calls_without_an_identity_or_business(client: TbitsClient) -> None:
    with pytest.raises(ValueError):
        client.connect_lookup(business_id=2002)
    with pytest.raises(ValueError):
        client.connect_password(business_id=2002, email="a@b.c", password="")
    with pytest.raises(ValueError):
        client.connect_guest(business_id="")
    with pytest.raises(ValueError):
        client.connect_send_code(business_id=2002, channel="pigeon", email="a@b.c")
    with pytest.raises(ValueError):
        client.leaderboard(point_name="Fan Points")
    with pytest.raises(ValueError, match="field_"):
        client.create_fan_activity(501, campaign_title="x", page="home")


def test_is_accepted_false_is_not_sent(client: TbitsClient, mocked: responses.RequestsMock) -> None:
    mocked.post(BASE_URL + "api/v1/sessions/connect", json={"status": "login"})
    client.connect_register(
        business_id=2002, email="a@b.c", first_name="A", last_name="B", is_accepted=False
    )
    assert "is_accepted" not in (mocked.calls[0].request.body or "")


def test_base_url_prefix_with_or_without_slash_reaches_the_same_paths(
    mocked: responses.RequestsMock,
) -> None:
    from .conftest import build_client

    mocked.get("http://127.0.0.1:8000/sandbox/api/v1/businesses", json=[])
    for base in ("http://127.0.0.1:8000/sandbox", "http://127.0.0.1:8000/sandbox/"):
        assert build_client(base_url=base).businesses() == []
    assert len(mocked.calls) == 2
