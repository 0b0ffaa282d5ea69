"""The documented-only mode: one table covers every call, cites the docs, and is obeyed.

Every API route and method of urls.py is driven once against the seeded account, in the
mode (answers must hold only the table's fields, at every level) and without it (the extras
are still answered, so the setting is the only switch).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver
from django.utils import timezone

import tbits_sandbox.documented as documented
from tbits_sandbox import urls
from tbits_sandbox.documented.shapes import Leaf, ListOf, MapOf, Obj, Shape
from tbits_sandbox.models import Account, Fan, OAuthCode

# The provider's docs as the repository keeps them, found as test_doc_examples finds them.
REFERENCE = Path(
    os.environ.get("TBITS_REFERENCE_DIR", Path(__file__).resolve().parents[2] / "docs" / "provider")
)
CALLBACK = "https://www.example.com/auth_callback"

Key = tuple[str, str]


def api_routes() -> dict[str, frozenset[str]]:
    """URL name -> methods, for every route of urls.py served by ``wire.api_endpoint``."""
    found: dict[str, frozenset[str]] = {}
    for pattern in urls.urlpatterns:
        assert not isinstance(pattern, URLResolver), "the sandbox has no nested URL confs"
        assert isinstance(pattern, URLPattern) and pattern.name
        methods = getattr(pattern.callback, "api_methods", None)
        if methods is not None:
            found[pattern.name] = methods
    return found


def test_every_api_route_and_method_has_exactly_one_entry() -> None:
    routes = api_routes()
    expected = {(name, method) for name, methods in routes.items() for method in methods}
    assert set(documented.TABLE) == expected
    names = {pattern.name for pattern in urls.urlpatterns if isinstance(pattern, URLPattern)}
    assert set(documented.UNTOUCHED) == names - set(routes), "every other route says why"


def test_every_citation_is_verbatim_under_its_heading() -> None:
    for key, entry in documented.TABLE.items():
        assert entry.sources, f"{key} cites nothing"
        for cite in entry.sources:
            text = (REFERENCE / cite.file).read_text()
            lines = text.splitlines()
            assert cite.section in lines, f"{key}: no heading {cite.section!r} in {cite.file}"
            heading = text.index(f"\n{cite.section}\n")
            assert cite.quote in text[heading:], f"{key}: {cite.quote!r} not under the heading"


def extra_keys(payload: Any, shape: Shape, where: str = "") -> list[str]:
    """Every field of ``payload`` that ``shape`` does not list, with its path."""
    if isinstance(shape, Leaf):
        return []
    if isinstance(shape, ListOf):
        assert isinstance(payload, list), f"{where or 'answer'} should be a list"
        return [
            found
            for index, item in enumerate(payload)
            for found in extra_keys(item, shape.item, f"{where}[{index}]")
        ]
    assert isinstance(payload, dict), f"{where or 'answer'} should be an object"
    if isinstance(shape, MapOf):
        return [
            found
            for key, value in payload.items()
            for found in extra_keys(value, shape.value, f"{where}.{key}")
        ]
    assert isinstance(shape, Obj)
    found = [f"{where}.{key}" for key in payload if key not in shape.fields]
    for key, value in payload.items():
        if key in shape.fields:
            found.extend(extra_keys(value, shape.fields[key], f"{where}.{key}"))
    return found


@dataclass
class Driven:
    """The answers of every call, by (URL name, method); a key may be driven several times."""

    answers: dict[Key, list[Any]]

    def add(self, key: Key, response: Any) -> Any:
        assert response.status_code == 200, (key, response.status_code, response.content[:300])
        payload = response.json()
        self.answers.setdefault(key, []).append(payload)
        return payload


def drive_every_call(api: Any, outbox: Any) -> Driven:
    """Call every route and method of the API once or more, the way the portal would."""
    seed = api.seed
    got = Driven({})
    ent: Callable[[str], str] = api.ent
    today = timezone.localdate()
    got.add(("status", "GET"), api.get("api/v1/status", secret=False))
    got.add(("status", "POST"), api.post("api/v1/status", secret=False))
    for method in ("GET", "POST"):
        code = secrets.token_hex(8)
        OAuthCode.objects.create(
            code=code,
            account=Account.objects.get(account_id=seed.account_id),
            fan=Fan.objects.get(fan_id=seed.fan_id),
            redirect_url=CALLBACK,
            expires_at=timezone.now() + timedelta(minutes=5),
        )
        params = {"code": code, "account_id": seed.account_id, "redirect_url": CALLBACK}
        call = api.get if method == "GET" else api.post
        got.add(("access_token", method), call("crm/access_token", params, secret=False))
    connect = ("sessions_connect", "POST")
    got.add(connect, api.connect("email", email=seed.fan_email))
    sent = got.add(connect, api.connect("verify_email", email=seed.fan_email))
    code = outbox.latest_code(seed.fan_email)
    got.add(
        connect,
        api.connect(
            "submit_verification_code",
            email=seed.fan_email,
            verification_code=code,
            request_uid=sent["request_uid"],
        ),
    )
    got.add(connect, api.connect("register", email="new-fan@example.com", first_name="New"))
    session = got.add(
        connect, api.connect("password", email=seed.fan_email, password=seed.fan_password)
    )
    uid = session["session_uid"]
    got.add(("session", "GET"), api.get(f"api/v1/sessions/{uid}", secret=False))
    got.add(("session_fan", "GET"), api.get(f"api/v1/sessions/{uid}/fan", secret=False))
    got.add(
        ("session_fan", "POST"),
        api.post(f"api/v1/sessions/{uid}/fan", {"first_name": "Alexa"}, secret=False),
    )
    got.add(("session_points", "GET"), api.get(f"api/v1/sessions/{uid}/points", secret=False))
    got.add(("session_idols", "GET"), api.get(f"api/v1/sessions/{uid}/idols", secret=False))
    idol_uid = next(iter(seed.idols.values()))
    got.add(
        ("session_idols", "POST"),
        api.post(
            f"api/v1/sessions/{uid}/idols", {"action": "add", "idol_uid": idol_uid}, secret=False
        ),
    )
    got.add(("idols", "GET"), api.get("api/v1/idols", secret=False))
    got.add(("idol", "GET"), api.get(f"api/v1/idols/{idol_uid}", secret=False))
    got.add(("idol_events", "GET"), api.get("api/v1/idols/events", secret=False))
    got.add(("businesses", "GET"), api.get("api/v1/businesses", secret=False))
    got.add(("points", "GET"), api.get("api/v1/crm/points"))
    got.add(("points", "POST"), api.post("api/v1/crm/points", {"point_name": "Bonus XP"}))
    tiers = f"api/v1/crm/point_tiers/{seed.point_uid}"
    got.add(("point_tiers", "GET"), api.get(tiers))
    got.add(("point_tiers", "POST"), api.post(tiers, {"tier_name": "Diamond", "min_points": 9000}))
    for fan_id in (seed.fan_id, seed.other_fan_ids[-1]):
        got.add(
            ("fan_point_tier", "GET"),
            api.get(f"api/v1/crm/fans/{fan_id}/point_tier", {"point_name": seed.point_name}),
        )
    got.add(("quests", "GET"), api.get(ent("quests")))
    quest = got.add(
        ("quests", "POST"),
        api.post(
            ent("quests"),
            {
                "quest_type": "custom",
                "quest_title": "Say hello",
                "reward_type": "fan_points",
                "fan_points_reward": 5,
            },
        ),
    )
    got.add(("quest", "DELETE"), api.delete(ent(f"quests/{quest['page_tab_id']}")))
    got.add(("rewards", "GET"), api.get(ent("rewards")))
    reward = got.add(
        ("rewards", "POST"),
        api.post(
            ent("rewards"),
            {
                "reward_title": "Hello Badge",
                "reward_type": "badge",
                "expiration_timestamp": f"{today.year + 1}-12-31T23:59:59",
                "timezone": "UTC",
                "winner_selection_model": "all",
            },
        ),
    )
    got.add(("reward", "DELETE"), api.delete(ent(f"rewards/{reward['reward_uid']}")))
    fan_rewards = ent(f"fans/{seed.fan_id}/rewards")
    other_rewards = ent(f"fans/{seed.other_fan_ids[0]}/rewards")
    got.add(("fan_rewards", "GET"), api.get(fan_rewards))
    welcome = seed.rewards["Welcome Gift Code"]
    got.add(("fan_rewards", "POST"), api.post(other_rewards, {"reward_uid": welcome}))
    got.add(
        ("reward_updates", "GET"),
        api.get(
            "api/v1/ent/reward_updates",
            {"last_update_date": (today - timedelta(days=365)).isoformat()},
        ),
    )
    got.add(("completions", "GET"), api.get(ent(f"quests/fans/{seed.fan_id}/complete")))
    shop = seed.quests["Visit the club shop"]
    got.add(("complete", "POST"), api.post(ent(f"quests/{shop}/fans/{seed.fan_id}/complete")))
    got.add(("crm_fan", "GET"), api.get(f"api/v1/crm/fans/{seed.fan_id}"))
    got.add(("crm_fan_points", "GET"), api.get(f"api/v1/crm/fans/{seed.fan_id}/points"))
    window = {"start_date": (today - timedelta(days=30)).isoformat(), "end_date": today}
    got.add(("fan_points", "GET"), api.get("api/v1/crm/fan_points", window))
    award = {"point_uid": seed.point_uid, "fan_id": seed.fan_id, "point_count": 5}
    got.add(("fan_points", "POST"), api.post("api/v1/crm/fan_points", award))
    got.add(
        ("leaderboard", "GET"),
        api.get("api/v1/crm/leaderboard", {**window, "point_name": seed.point_name}),
    )
    got.add(("display_name", "GET"), api.get("api/v1/crm/display_name", {"display_name": "AlexM"}))
    activities = f"api/v1/crm/fans/{seed.fan_id}/activities"
    got.add(("fan_activities", "GET"), api.get(activities))
    got.add(("fan_activities", "POST"), api.post(activities, {"campaign_title": "Portal login"}))
    registrations = f"api/v1/crm/fans/{seed.fan_id}/registrations"
    registration = {
        "first_name": "Alex",
        "last_name": "Morgan",
        "event_name": "Matchday",
        "event_date": today.isoformat(),
        "network": "wristband",
        "registration_key": "WB-0001",
        "registration_timestamp": f"{today} 12:00:00",
        "email": seed.fan_email,
    }
    got.add(("fan_registrations", "POST"), api.post(registrations, registration))
    got.add(("fan_registrations", "GET"), api.get(registrations))
    got.add(("performances", "GET"), api.get("api/v1/performances"))
    return got


@pytest.fixture
def documented_only(settings: Any) -> None:
    settings.TBITS_SANDBOX_DOCUMENTED_ONLY = True


@pytest.fixture
def full_mode(settings: Any) -> None:
    settings.TBITS_SANDBOX_DOCUMENTED_ONLY = False


@pytest.mark.django_db
def test_in_the_mode_every_call_answers_only_documented_fields(
    documented_only: None, api: Any, outbox: Any
) -> None:
    driven = drive_every_call(api, outbox)
    assert set(driven.answers) == set(documented.TABLE), "every entry is driven"
    for key, payloads in driven.answers.items():
        for payload in payloads:
            assert extra_keys(payload, documented.TABLE[key].shape) == [], key
    # The cut keeps what is documented: the data is still there.
    (business,) = driven.answers[("businesses", "GET")][0]
    assert business["business_name"] and "point_uid" not in business
    assert {"session_uid", "fan_id"} <= set(driven.answers[("sessions_connect", "POST")][-1])
    with_tier, without_tier = driven.answers[("fan_point_tier", "GET")]
    assert set(with_tier) == {"point_tier_uid", "tier_name", "min_points"}
    assert without_tier == {}
    assert driven.answers[("session_fan", "POST")] == [{"fan_id": api.seed.fan_id}]
    held = driven.answers[("fan_rewards", "GET")][0]
    assert held and all("prize_code" not in item and item["reward_uid"] for item in held)
    done = driven.answers[("completions", "GET")][0]
    assert True in done.values() and False in done.values()


@pytest.mark.django_db
def test_without_the_mode_the_extras_are_still_answered(
    full_mode: None, api: Any, outbox: Any
) -> None:
    driven = drive_every_call(api, outbox)
    extras = {
        key: {
            name
            for payload in payloads
            for name in extra_keys(payload, documented.TABLE[key].shape)
        }
        for key, payloads in driven.answers.items()
    }
    assert "[0].point_uid" in extras[("businesses", "GET")]
    assert any(name.endswith(".delivered_count") for name in extras[("rewards", "GET")])
    assert any(name.endswith(".prize_code") for name in extras[("fan_rewards", "GET")])
    assert ".email" in extras[("session_fan", "POST")]
    assert ".point_count" in extras[("fan_point_tier", "GET")]
    assert ".is_duplicate" in extras[("fan_points", "POST")]


@pytest.mark.django_db
def test_an_answer_without_an_entry_fails_instead_of_passing(
    documented_only: None, api: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = {key: entry for key, entry in documented.TABLE.items() if key[0] != "businesses"}
    monkeypatch.setattr(documented, "TABLE", table)
    with pytest.raises(documented.UndocumentedAnswer, match="businesses"):
        api.get("api/v1/businesses", secret=False)


@pytest.mark.django_db
def test_errors_are_untouched_in_the_mode(documented_only: None, api: Any) -> None:
    response = api.get("api/v1/crm/fans/999999")
    assert response.status_code == 404
    assert response.json() == {"error": "No such fan."}


@pytest.mark.sandbox_full
@pytest.mark.django_db
def test_the_sandbox_full_marker_switches_the_mode_off(api: Any) -> None:
    """Under ``make test-documented`` (the mode on from the environment) this still runs full."""
    (business,) = api.get("api/v1/businesses", secret=False).json()
    assert business["point_uid"] == api.seed.point_uid
