"""The contract: one scenario through tbits_client against the live sandbox.

Every endpoint of the client's table is called over real HTTP (pytest-django's
``live_server``) and its answer parsed by the client's own models; the test fails if an
endpoint of the table was not exercised, so a new endpoint cannot slip past the sandbox.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from tbits_client import (
    ENDPOINTS,
    BadRequest,
    ConnectOutcome,
    NotFound,
    RateLimited,
    ServerError,
    SessionExpired,
    TbitsClient,
    Unauthorized,
)
from tests.tbits_sandbox.provider_page import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def client(live_sandbox: Any) -> Any:
    """A client on the live sandbox that records which endpoints it called."""
    api = TbitsClient(
        base_url=live_sandbox.base_url,
        api_key=live_sandbox.api_key,
        api_secret=live_sandbox.api_secret,
        max_retries=0,
    )
    api.called = set()  # type: ignore[attr-defined]
    original = api._call

    def recording(name: str, **kwargs: Any) -> Any:
        api.called.add(name)  # type: ignore[attr-defined]
        return original(name, **kwargs)

    api._call = recording  # type: ignore[method-assign]
    yield api
    api.close()


def test_every_endpoint_answers_what_the_client_parses(client: Any, live_sandbox: Any) -> None:
    s = live_sandbox
    business_id = s.business_id
    today = dt.date.today()

    # Account status and branding
    status = client.status()
    assert status.legal_terms and status.header_text
    assert requests.get(status.image_url, timeout=10).headers["Content-Type"].startswith("image/")
    (business,) = client.businesses()
    assert (business.business_id, business.point_uid) == (int(business_id), s.point_uid)
    assert business.style_props["primary_color"].startswith("#")
    logo = requests.get(client.media_url(business.media_map["logo"], width=64), timeout=10)
    assert logo.status_code == 200 and b'width="64"' in logo.content
    client.called.add("media")

    # Point types and tiers
    assert [kind.point_name for kind in client.point_types()] == [s.point_name]
    bonus = client.create_point_type(point_name="Bonus XP")
    assert client.create_point_type(point_name="Bonus XP").point_uid == bonus.point_uid
    tiers = client.tiers(s.point_uid)
    assert [(t.tier_name, t.min_points) for t in tiers] == [
        ("Bronze", 100),
        ("Silver", 500),
        ("Gold", 1500),
        ("Platinum", 5000),
    ]
    diamond = client.save_tier(bonus.point_uid, tier_name="Diamond", min_points=10_000)
    renamed = client.save_tier(
        bonus.point_uid,
        tier_name="Black Diamond",
        min_points=12_000,
        point_tier_uid=diamond.point_tier_uid,
    )
    assert renamed.point_tier_uid == diamond.point_tier_uid
    assert [t.tier_name for t in client.tiers(bonus.point_uid)] == ["Black Diamond"]

    # Sessions/Connect: a new fan registers with an email code
    email = "contract-fan@example.com"
    assert client.connect_lookup(business_id=business_id, email=email).outcome == (
        ConnectOutcome.MUST_REGISTER
    )
    sent = client.connect_send_code(business_id=business_id, channel="email", email=email)
    assert sent.outcome == ConnectOutcome.CODE_SENT and sent.request_uid
    verified = client.connect_submit_code(
        business_id=business_id,
        request_uid=sent.request_uid,
        verification_code=s.latest_code(email),
        email=email,
    )
    assert verified.outcome == ConnectOutcome.MUST_REGISTER and verified.verification_uid
    registered = client.connect_register(
        business_id=business_id,
        email=email,
        first_name="Casey",
        last_name="Contract",
        request_uid=sent.request_uid,
        verification_uid=verified.verification_uid,
    )
    assert registered.outcome == ConnectOutcome.SESSION_CREATED
    session = registered.session
    assert session.fan_id and session.expiration_timestamp > dt.datetime.now(dt.UTC)
    fan_id = session.fan_id
    assert client.get_session(session.session_uid).fan_id == fan_id
    profile = client.get_session_fan(session.session_uid)
    assert (profile.first_name, profile.email, profile.tags) == ("Casey", email, ())
    updated = client.update_session_fan(
        session.session_uid, display_name="CaseyC", password="a-long-password"
    )
    assert updated.display_name == "CaseyC"
    lookup = client.connect_lookup(business_id=business_id, email=email)
    assert (lookup.outcome, lookup.has_password, lookup.has_phone) == (
        ConnectOutcome.FAN_EXISTS,
        True,
        False,
    )
    again = client.connect_register(
        business_id=business_id, email=email, first_name="Casey", last_name="Contract"
    )
    assert again.outcome == ConnectOutcome.FAN_EXISTS
    by_password = client.connect_password(
        business_id=business_id, email=email, password="a-long-password"
    )
    assert by_password.session.fan_id == fan_id
    with pytest.raises(Unauthorized):
        client.connect_password(business_id=business_id, email=email, password="wrong-password")
    guest = client.connect_guest(business_id=business_id)
    assert guest.outcome == ConnectOutcome.SESSION_CREATED and guest.session.fan_id is None

    # Terms: the fan must accept before a new account is created
    s.require_terms()
    terms = client.connect_register(
        business_id=business_id, email="terms@example.com", first_name="T", last_name="R"
    )
    assert terms.outcome == ConnectOutcome.TERMS_REQUIRED and terms.legal_terms
    accepted = client.connect_register(
        business_id=business_id,
        email="terms@example.com",
        first_name="T",
        last_name="R",
        is_accepted=True,
    )
    assert accepted.outcome == ConnectOutcome.FAN_EXISTS
    s.require_terms(False)

    # Points and idols of the session
    points = client.get_session_points(session.session_uid)
    assert [(p.point_name, p.point_count) for p in points] == [
        ("Bonus XP", 0),
        ("Fan Points", 0),
    ]
    idols = client.idols(label_name="harbour-city")
    assert {idol.idol_name for idol in idols} == {"Sam Rivera", "The Tide"}
    assert len(client.idol_events(label_name="harbour-city")) == 4
    band = s.idols["The Tide"]
    assert client.idol(band).idol_name == "The Tide"
    assert [idol.idol_name for idol in client.idols(idol_name="tide")] == ["The Tide"]
    client.like_idol(session.session_uid, band)
    assert [idol.idol_uid for idol in client.session_idols(session.session_uid)] == [band]
    client.unlike_idol(session.session_uid, band)
    assert client.session_idols(session.session_uid) == []

    # Quests
    quests = client.quests(business_id)
    assert {q.quest_type for q in quests} == {
        "campaign",
        "quickpicks",
        "link_url",
        "scan",
        "wristband",
        "custom",
    }
    assert {q.access_restriction_type for q in quests} >= {
        "fan_points",
        "quests",
        "point_tier",
        "tag",
    }
    created = client.create_quest(
        business_id,
        quest_type="scan",
        quest_title="Scan at the food court",
        reward_type="fan_points",
        fan_points_reward=600,
        performance_uid=next(iter(s.performances.values())),
        scan_group_names=["food-court", "gate-c"],
        site_name="Food court",
        access_restriction_type="quests",
        required_page_tab_ids=[s.quests["Complete your profile"]],
        start_date=today,
        end_date=today + dt.timedelta(days=1),
    )
    assert created.scan_group_names == ("food-court", "gate-c")
    assert created.required_page_tab_ids == (s.quests["Complete your profile"],)
    with pytest.raises(BadRequest) as problem:
        client.create_quest(business_id, quest_type="scan", quest_title="No performance")
    assert "performance_uid" in problem.value.message
    doomed = client.create_quest(business_id, quest_type="custom", quest_title="Doomed")
    client.delete_quest(business_id, doomed.page_tab_id)
    with pytest.raises(NotFound):
        client.delete_quest(business_id, doomed.page_tab_id)

    # Rewards
    rewards = client.rewards(business_id)
    assert {r.reward_type for r in rewards} == {
        "badge",
        "pass",
        "prize_code",
        "atvenu",
        "bestring",
    }
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(days=30)
    manual = client.create_reward(
        business_id,
        reward_title="Contract Prize",
        reward_type="prize_code",
        expiration_timestamp=expires,
        timezone="Europe/Paris",
        winner_selection_model="first",
        reward_limit=1,
        prize_codes=["C-1", "C-2"],
        is_limited=True,
    )
    assert manual.reward_limit == 1
    with pytest.raises(BadRequest):
        client.create_reward(
            business_id,
            reward_title="Contract Prize",
            reward_type="badge",
            expiration_timestamp=expires,
            timezone="UTC",
            winner_selection_model="all",
        )
    tier_badge = client.create_reward(
        business_id,
        reward_title="Contract Bronze",
        reward_type="badge",
        expiration_timestamp=expires,
        timezone="UTC",
        winner_selection_model="all",
        requirement_type="point_tier",
        point_tier_uid=s.tiers["Bronze"],
    )
    held = client.assign_reward(business_id, fan_id, reward_uid=manual.reward_uid)
    assert held.prize_code in {"C-1", "C-2"}
    with pytest.raises(BadRequest):
        client.assign_reward(business_id, fan_id, reward_uid=tier_badge.reward_uid)
    scratch = client.create_reward(
        business_id,
        reward_title="Scratch",
        reward_type="badge",
        expiration_timestamp=expires,
        timezone="UTC",
        winner_selection_model="all",
    )
    client.delete_reward(business_id, scratch.reward_uid)

    # Completions: idempotent, points, tier, automatic rewards (after an activity)
    client.create_fan_activity(fan_id, campaign_title="Portal login", field_source="contract")
    profile_quest = s.quests["Complete your profile"]
    first = client.complete_quest(business_id, profile_quest, fan_id)
    assert client.complete_quest(business_id, profile_quest, fan_id).activity_id == (
        first.activity_id
    )
    client.complete_quest(business_id, created.page_tab_id, fan_id)
    completions = client.completions(business_id, fan_id)
    assert completions[profile_quest] and completions[created.page_tab_id]
    assert not completions[s.quests["Follow us on Instagram"]]
    tier = client.fan_tier(fan_id, point_name=s.point_name)
    assert (tier.point_count, tier.tier.tier_name) == (650, "Silver")
    titles = {r.reward_title for r in client.fan_rewards(business_id, fan_id)}
    assert {"Contract Prize", "Contract Bronze", "Bronze Member Badge"} <= titles
    assert "Silver Lounge Pass" in titles
    (silver,) = [r for r in client.fan_rewards(business_id, fan_id) if r.reward_type == "pass"]
    assert (
        len(silver.pass_code) == 8 and silver.access_start_timestamp < silver.access_end_timestamp
    )
    updates = client.reward_updates(last_update_date=today)
    assert {u.reward_title for u in updates if u.fan_id == fan_id} == titles

    # CRM
    assert {p.point_name: p.point_count for p in client.fan_points(fan_id)}["Fan Points"] == 650
    award = client.award_fan_points(
        point_uid=s.point_uid, fan_id=fan_id, point_count=5, award_key="contract-bonus"
    )
    repeat = client.award_fan_points(
        point_uid=s.point_uid, fan_id=fan_id, point_count=5, award_key="contract-bonus"
    )
    assert award.fan_point_uid == repeat.fan_point_uid
    ledger = client.fan_points_ledger(start_date=today, end_date=today, fan_id=fan_id)
    assert sum(row.point_count for row in ledger) == 655
    board = client.leaderboard(point_name=s.point_name, start_date=today)
    assert board[0].fan_id == fan_id and board[0].fan_point_count == 655
    check = client.display_name_check(display_name="CaseyC")
    assert check.display_name != "CaseyC" and not check.is_available
    assert client.display_name_check(display_name="Fresh_Name").is_available
    assert client.fan(fan_id).email == email
    assert [a.campaign_title for a in client.fan_activities(fan_id, limit=50)].count(
        "Portal login"
    ) == 1
    registration = client.create_fan_registration(
        fan_id,
        registration_key="WB-0001",
        first_name="Casey",
        last_name="Contract",
        email=email,
        event_name="Matchday",
        event_date=today,
        registration_timestamp=dt.datetime.now(dt.UTC),
        network="wristband",
        barcode="0001",
    )
    assert registration.registration_key == "WB-0001"
    assert [r.registration_key for r in client.fan_registrations(fan_id)] == ["WB-0001"]
    assert {p.performance_name for p in client.performances()} == set(s.performances)

    # OAuth: the provider page, then the code exchange
    redirect_url = "https://portal.example.com/accounts/oauth/callback/txn-1"
    url = client.oauth_url(
        account_id=s.account_id, business_id=business_id, redirect_url=redirect_url
    )
    assert urlsplit(url).path == "/sandbox/crm/oauth"
    query = sign_in(url, email=s.fan_email, read_code=s.latest_code)
    oauth_session = client.exchange_oauth_code(
        code=query["code"][0], account_id=s.account_id, redirect_url=redirect_url
    )
    assert oauth_session.fan_id == s.fan_id
    with pytest.raises(BadRequest):
        client.exchange_oauth_code(
            code=query["code"][0], account_id=s.account_id, redirect_url=redirect_url
        )

    assert set(ENDPOINTS) - client.called - {"oauth_authorize"} == set()


def test_expired_session_is_session_expired(client: Any, live_sandbox: Any) -> None:
    from tbits_sandbox.models import FanSession

    result = client.connect_password(
        business_id=live_sandbox.business_id,
        email=live_sandbox.fan_email,
        password=live_sandbox.fan_password,
    )
    session_uid = result.session.session_uid
    assert client.get_session(session_uid).fan_id == live_sandbox.fan_id
    FanSession.objects.filter(session_uid=session_uid).update(
        expiration_timestamp=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    )
    for call in (client.get_session, client.get_session_fan, client.get_session_points):
        with pytest.raises(SessionExpired):
            call(session_uid)


def test_injected_faults_reach_the_client_as_typed_errors(
    client: Any, live_sandbox: Any, settings: Any
) -> None:
    settings.TBITS_SANDBOX_FAULTS = r"/quests$=503,/businesses$=429"
    with pytest.raises(ServerError):
        client.quests(live_sandbox.business_id)
    with pytest.raises(RateLimited) as limited:
        client.businesses()
    assert limited.value.retry_after == 1
