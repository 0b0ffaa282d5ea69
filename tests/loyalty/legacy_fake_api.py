"""The hand-made fake of the loyalty API, kept only for two files owned elsewhere in issue 14.

``tests/loyalty/test_upstream_calls.py`` and ``tests/loyalty/test_card_cache.py`` still ask
for ``fake_api``; every other loyalty test runs on the sandbox (``sandbox_api``, in
``sandbox_api.py``), which has the same call log and ``fail``/``heal``. When those two files
move to ``sandbox_api``, this module and its import in ``conftest.py`` go.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
import responses

from tests.loyalty.sandbox_api import API_KEY, BUSINESS_ID, FAN_ID, SECRET

ROUTES = re.compile(r"^https://api\.loyalty\.test/.*")


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def default_quests() -> list[dict[str, Any]]:
    today = _today()
    return [
        {
            "page_tab_id": 1,
            "quest_type": "custom",
            "quest_title": "Follow us",
            "quest_description": "Follow the club",
            "fan_points_reward": 50,
            "media_uid": "m-q1",
        },
        {
            "page_tab_id": 2,
            "quest_type": "link_url",
            "quest_title": "Visit the site",
            "fan_points_reward": 60,
            "link_url": "https://club.example/news",
        },
        {
            "page_tab_id": 3,
            "quest_type": "custom",
            "quest_title": "Superfan chat",
            "fan_points_reward": 100,
            "access_restriction_type": "quests",
            "required_page_tab_ids": "1,2",
        },
        {
            "page_tab_id": 4,
            "quest_type": "custom",
            "quest_title": "Silver lounge",
            "fan_points_reward": 200,
            "access_restriction_type": "point_tier",
            "point_tier_uid": "tier-silver",
        },
        {
            "page_tab_id": 5,
            "quest_type": "custom",
            "quest_title": "Big spender",
            "fan_points_reward": 80,
            "access_restriction_type": "fan_points",
            "fan_points_required": 300,
        },
        {
            "page_tab_id": 6,
            "quest_type": "custom",
            "quest_title": "VIP secret",
            "fan_points_reward": 500,
            "access_restriction_type": "tag",
            "tag_name": "vip",
        },
        {
            "page_tab_id": 7,
            "quest_type": "scan",
            "quest_title": "Gate scan",
            "fan_points_reward": 150,
            "performance_uid": "p-live",
        },
        {
            "page_tab_id": 8,
            "quest_type": "wristband",
            "quest_title": "Link wristband",
            "fan_points_reward": 120,
            "performance_uid": "p-live",
        },
        {
            "page_tab_id": 9,
            "quest_type": "campaign",
            "quest_title": "Match poll",
            "fan_points_reward": 30,
            "target_page_tab_id": 9999,
        },
        {
            "page_tab_id": 10,
            "quest_type": "custom",
            "quest_title": "Old quest",
            "fan_points_reward": 10,
            "end_date": (today - dt.timedelta(days=3)).isoformat(),
        },
        {
            "page_tab_id": 11,
            "quest_type": "custom",
            "quest_title": "Next week",
            "fan_points_reward": 10,
            "start_date": (today + dt.timedelta(days=7)).isoformat(),
        },
    ]


def default_rewards() -> list[dict[str, Any]]:
    year = _today().year + 1
    return [
        {
            "reward_uid": "rw-bronze",
            "reward_title": "Bronze badge",
            "reward_type": "badge",
            "requirement_type": "point_tier",
            "point_tier_uid": "tier-bronze",
            "expiration_timestamp": f"{year}-12-31T23:59:59",
            "timezone": "UTC",
            "winner_selection_model": "all",
        },
        {
            "reward_uid": "rw-silver",
            "reward_title": "Silver pass",
            "reward_type": "pass",
            "requirement_type": "point_tier",
            "point_tier_uid": "tier-silver",
            "expiration_timestamp": f"{year}-12-31T23:59:59",
            "timezone": "UTC",
            "winner_selection_model": "all",
        },
        {
            "reward_uid": "rw-chain",
            "reward_title": "Chain prize",
            "reward_type": "prize_code",
            "requirement_type": "quests",
            "required_page_tab_ids": "1,2",
            "is_limited": True,
            "expiration_timestamp": f"{year}-12-31T23:59:59",
            "timezone": "UTC",
            "winner_selection_model": "first",
            "reward_limit": 10,
            "delivered_count": 2,
        },
        {
            "reward_uid": "rw-thanks",
            "reward_title": "Thank you",
            "reward_type": "badge",
            "expiration_timestamp": f"{year}-12-31T23:59:59",
            "timezone": "UTC",
            "winner_selection_model": "all",
        },
    ]


TIERS = [
    {"point_tier_uid": "tier-bronze", "tier_name": "Bronze", "min_points": 100},
    {"point_tier_uid": "tier-silver", "tier_name": "Silver", "min_points": 500},
    {"point_tier_uid": "tier-gold", "tier_name": "Gold", "min_points": 1500},
]


@dataclass
class FakeLoyaltyApi:
    """A stateful stand-in for the loyalty endpoints, with per-path fault injection."""

    mock: responses.RequestsMock
    points: int = 80
    completed: set[int] = field(default_factory=set)
    tags: list[str] = field(default_factory=list)
    held: list[dict[str, Any]] = field(default_factory=list)
    quests: list[dict[str, Any]] = field(default_factory=default_quests)
    rewards: list[dict[str, Any]] = field(default_factory=default_rewards)
    businesses: list[dict[str, Any]] = field(default_factory=list)
    faults: list[tuple[re.Pattern[str], Any]] = field(default_factory=list)
    registrations: list[dict[str, str]] = field(default_factory=list)
    ledger: list[dict[str, Any]] = field(default_factory=list)
    activities: list[dict[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.businesses:
            self.businesses = [
                {
                    "business_id": BUSINESS_ID,
                    "business_name": "Harbour FC",
                    "point_uid": "pt-1",
                    "point_name": "Fan Points",
                    "style_props": {"primary_color": "#ffd600", "evil_color": "red;}</style>"},
                    "media_map": {"logo": "m-logo"},
                },
            ]

    # -- fault injection ------------------------------------------------------------------

    def fail(self, path_pattern: str, outcome: Any) -> None:
        """Answer requests whose path matches with ``outcome``: a status or an exception."""
        self.faults.append((re.compile(path_pattern), outcome))

    def heal(self) -> None:
        self.faults.clear()

    # -- bookkeeping ------------------------------------------------------------------

    def paths(self) -> list[str]:
        """The ``METHOD path`` of every request made so far."""
        return [
            f"{call.request.method} {urlsplit(call.request.url).path}" for call in self.mock.calls
        ]

    def count(self, fragment: str) -> int:
        """Requests whose ``METHOD path`` contains ``fragment``."""
        return sum(1 for path in self.paths() if fragment in path)

    def calls_to(self, method_and_path: str) -> int:
        """Requests exactly to ``"GET /api/v1/..."``."""
        return sum(1 for path in self.paths() if path == method_and_path)

    def reset_calls(self) -> None:
        self.mock.calls.reset()

    # -- the API ------------------------------------------------------------------------

    def answer(self, request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        parts = urlsplit(request.url or "")
        path = parts.path
        for pattern, outcome in self.faults:
            if pattern.search(path):
                if isinstance(outcome, BaseException):
                    raise outcome
                headers = {"Content-Type": "application/json"}
                if outcome == 429:
                    headers["Retry-After"] = "17"
                if outcome == 200:
                    return 200, headers, "<html>not json"
                return outcome, headers, json.dumps({"error": "injected"})
        needs_secret = "/crm/" in path or "/ent/" in path
        if request.headers.get("Api-Key") != API_KEY or (
            needs_secret and request.headers.get("Api-Secret") != SECRET
        ):
            return 401, {}, json.dumps({"error": "bad secret"})
        query = dict(parse_qsl(parts.query))
        form = dict(parse_qsl(request.body or "")) if isinstance(request.body, str) else {}
        body = self.route(request.method or "GET", path, query, form)
        return 200, {"Content-Type": "application/json"}, json.dumps(body)

    def route(self, method: str, path: str, query: dict[str, str], form: dict[str, str]) -> Any:
        fan = f"/fans/{FAN_ID}"
        if path == "/api/v1/businesses":
            return self.businesses
        if path.startswith("/api/v1/crm/point_tiers/"):
            return TIERS
        if path == "/api/v1/crm/points":
            return [{"point_uid": "pt-1", "point_name": "Fan Points"}]
        if path == "/api/v1/performances":
            now = dt.datetime.now(dt.UTC)
            return [
                {
                    "performance_uid": "p-live",
                    "performance_name": "Cup final",
                    "performance_date": _today().isoformat(),
                    "business_id": BUSINESS_ID,
                    # An explicit window keeps the event "on" whatever the time of day.
                    "start_timestamp": (now - dt.timedelta(hours=1)).isoformat(),
                    "end_timestamp": (now + dt.timedelta(hours=3)).isoformat(),
                },
            ]
        if re.fullmatch(r"/api/v1/ent/businesses/\d+/quests", path):
            return self.quests
        if re.fullmatch(r"/api/v1/ent/businesses/\d+/rewards", path):
            return self.rewards
        if path.endswith(f"/quests{fan}/complete"):
            return {str(q["page_tab_id"]): q["page_tab_id"] in self.completed for q in self.quests}
        match = re.fullmatch(rf"/api/v1/ent/businesses/\d+/quests/(\d+){fan}/complete", path)
        if match and method == "POST":
            return self.complete(int(match.group(1)))
        if path.endswith(f"{fan}/rewards"):
            return self.held
        if path == f"/api/v1/crm{fan}/points":
            return [
                {
                    "fan_id": FAN_ID,
                    "point_uid": "pt-1",
                    "point_name": "Fan Points",
                    "point_count": self.points,
                }
            ]
        if path == f"/api/v1/crm{fan}":
            return {
                "fan_id": FAN_ID,
                "first_name": "Jo",
                "last_name": "Fan",
                "email": "fan@example.com",
                "tags": self.tags,
            }
        if path == f"/api/v1/crm{fan}/registrations" and method == "POST":
            self.registrations.append(form)
            return {"registration_key": form.get("registration_key")}
        if path == f"/api/v1/crm{fan}/activities" and method == "POST":
            self.activities.append(form)
            return {"activity_id": 9000 + len(self.activities), "fan_id": FAN_ID}
        if path == "/api/v1/crm/leaderboard":
            rows = [
                {
                    "fan_id": 900 + i,
                    "rank": i + 1,
                    "fan_point_count": 5000 - i * 300,
                    "display_name": f"Fan {i + 1}",
                }
                for i in range(12)
            ]
            rows.append(
                {"fan_id": FAN_ID, "rank": 40, "fan_point_count": self.points, "display_name": "Jo"}
            )
            return rows
        if path == "/api/v1/crm/fan_points":
            return self.ledger
        raise AssertionError(f"unexpected API call {method} {path}")

    def complete(self, quest_id: int) -> dict[str, Any]:
        """Idempotent completion; awards points and delivers reached rewards (the provider's
        background task, done at once here)."""
        quest = next(q for q in self.quests if q["page_tab_id"] == quest_id)
        if quest_id not in self.completed:
            self.completed.add(quest_id)
            self.points += quest.get("fan_points_reward") or 0
            self.ledger.insert(
                0,
                {
                    "fan_id": FAN_ID,
                    "point_uid": "pt-1",
                    "page_tab_id": quest_id,
                    "point_count": quest.get("fan_points_reward") or 0,
                    "creation_timestamp": dt.datetime.now(dt.UTC).isoformat(),
                },
            )
            self.deliver()
        return {"activity_id": 7000 + quest_id}

    def deliver(self) -> None:
        have = {item["reward_uid"] for item in self.held}
        minimum = {tier["point_tier_uid"]: tier["min_points"] for tier in TIERS}
        now = dt.datetime.now(dt.UTC)
        for reward in self.rewards:
            if reward["reward_uid"] in have:
                continue
            kind = reward.get("requirement_type")
            tier_met = kind == "point_tier" and self.points >= minimum[reward["point_tier_uid"]]
            required = {
                int(x) for x in str(reward.get("required_page_tab_ids", "")).split(",") if x
            }
            quests_met = kind == "quests" and required <= self.completed
            if tier_met or quests_met:
                copy = {
                    "reward_uid": reward["reward_uid"],
                    "reward_title": reward["reward_title"],
                    "reward_type": reward["reward_type"],
                    "fan_id": FAN_ID,
                    "creation_timestamp": now.isoformat(),
                }
                if reward["reward_type"] == "pass":
                    copy |= {
                        "pass_code": "PASS-XYZ-123",
                        "access_start_timestamp": (now - dt.timedelta(hours=1)).isoformat(),
                        "access_end_timestamp": (now + dt.timedelta(days=30)).isoformat(),
                    }
                if reward["reward_type"] == "prize_code":
                    copy["prize_code"] = "PRIZE-7788"
                self.held.append(copy)


@pytest.fixture
def fake_api() -> Iterator[FakeLoyaltyApi]:
    """The stateful fake; any request outside it fails the test."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        fake = FakeLoyaltyApi(mock=mock)
        for method in (responses.GET, responses.POST):
            mock.add_callback(method, ROUTES, callback=fake.answer)
        yield fake
