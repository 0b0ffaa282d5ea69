"""The loyalty view tests' API: the sandbox, seeded with a small board and called in-process.

``seed_board()`` writes, through the sandbox's models, the business the view tests read:
eleven quests with fixed ids (one per quest type and restriction the board explains), four
rewards, three tiers and fan 501 with 80 points. ``SandboxApi`` routes the portal's HTTP
calls to the sandbox through Django's test client (no live server, so every test keeps
``db``'s fast rollback), records them, and injects failures: statuses through the
sandbox's own ``TBITS_SANDBOX_FAULTS``, and what the sandbox cannot answer (a refused
connection, a timeout, a body that is not JSON) on the wire.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
import responses
from django.contrib.auth.hashers import make_password
from django.db import connections
from django.test import Client
from django.urls import get_urlconf, set_urlconf
from django.utils import timezone, translation

from tests import fan_login

API = "https://api.loyalty.test/"
API_KEY = "loyalty-unit-key"
SECRET = "loyalty-unit-secret-3c1f"
ACCOUNT_ID = 1001
BUSINESS_ID = 2002
FAN_ID = 501
FAN_EMAIL = "fan@example.com"
FAN_PASSWORD = "loyal-fan-2026"
# Fixed identifiers, so tests can name them in the markup they expect.
SESSION_UID = "5e551011-0000-4000-8000-000000000501"
PERFORMANCE_UID = "0e7e0000-0000-4000-8000-00000000c0f1"
LOGO_UID = "10600000-0000-4000-8000-000000000001"
POINT_UID = "9a1e0000-0000-4000-8000-0000000000f9"
# The fan's first activity, which makes them one automatic rewards go to.
JOINED = "Joined the fan club"
# The first page_tab_id of the quests a test adds (``SandboxApi.add_quests``): the seed gives
# its quests 1-11 explicitly, which does not move PostgreSQL's sequence, so an id the
# database picked would collide with theirs.
ADDED_QUEST_IDS_FROM = 1000
# The API session ``log_in_another_fan`` opens for a second fan.
OTHER_SESSION_UID = "7e57f00d-0000-4000-8000-000000000777"
# Where the project mounts the sandbox: it stands for the API's root.
SANDBOX_ROOT = "/sandbox/"
# requests asks for gzip; the sandbox's answers are read as plain JSON, as the fault proxy
# reads them, so nothing below has to inflate them.
_NOT_FORWARDED = {"content-type", "content-length", "accept-encoding", "host"}

Outcome = int | BaseException | bytes


def seed_board() -> None:
    """The account, business, board and fan the view tests assert against."""
    from tbits_sandbox.models import (
        Account,
        Business,
        Fan,
        FanActivity,
        FanPoint,
        FanSession,
        MediaAsset,
        Performance,
        PointTypeRecord,
        PrizeCode,
        Quest,
        Reward,
        Tier,
    )

    account = Account.objects.create(
        account_id=ACCOUNT_ID, name="Harbour FC", api_key=API_KEY, api_secret=SECRET
    )
    MediaAsset.objects.create(media_uid=LOGO_UID, account=account, slug="logo")
    quest_art = MediaAsset.objects.create(account=account, slug="quest-follow", label="Follow")
    points = PointTypeRecord.objects.create(
        point_uid=POINT_UID, account=account, point_name="Fan Points"
    )
    bronze, silver, _gold = (
        Tier.objects.create(point_type=points, tier_name=name, min_points=minimum)
        for name, minimum in (("Bronze", 100), ("Silver", 500), ("Gold", 1500))
    )
    business = Business.objects.create(
        business_id=BUSINESS_ID,
        account=account,
        business_name="Harbour FC",
        point_type=points,
        # A colour that tries to close the style element: the portal must drop it.
        style_props={"primary_color": "#ffd600", "evil_color": "red;}</style>"},
        media_map={"logo": LOGO_UID},
    )
    final = Performance.objects.create(
        performance_uid=PERFORMANCE_UID,
        account=account,
        business=business,
        performance_name="Cup final",
        # Today in the portal's zone: the event is "on" the whole day.
        performance_date=timezone.localdate(),
    )
    today = timezone.localdate()

    def quest(page_tab_id: int, quest_type: str, title: str, reward: int, **fields: Any) -> None:
        Quest.objects.create(
            page_tab_id=page_tab_id,
            business=business,
            point_type=points,
            reward_type="fan_points",
            quest_type=quest_type,
            quest_title=title,
            fan_points_reward=reward,
            **fields,
        )

    quest(1, "custom", "Follow us", 50, quest_description="Follow the club", media=quest_art)
    quest(2, "link_url", "Visit the site", 60, link_url="https://club.example/news")
    quest(
        3, "custom", "Superfan chat", 100,
        access_restriction_type="quests", required_page_tab_ids=[1, 2],
    )  # fmt: skip
    quest(
        4, "custom", "Silver lounge", 200, access_restriction_type="point_tier", point_tier=silver
    )
    quest(
        5, "custom", "Big spender", 80,
        access_restriction_type="fan_points", fan_points_required=300,
    )  # fmt: skip
    quest(6, "custom", "VIP secret", 500, access_restriction_type="tag", tag_name="vip")
    quest(7, "scan", "Gate scan", 150, performance=final)
    quest(8, "wristband", "Link wristband", 120, performance=final)
    quest(9, "campaign", "Match poll", 30, target_page_tab_id=9999)
    quest(10, "custom", "Old quest", 10, end_date=today - dt.timedelta(days=3))
    quest(11, "custom", "Next week", 10, start_date=today + dt.timedelta(days=7))

    now = timezone.now()
    next_year = timezone.make_aware(dt.datetime(today.year + 1, 12, 31, 23, 59, 59))

    def reward(title: str, reward_type: str, **fields: Any) -> Reward:
        return Reward.objects.create(
            business=business,
            reward_title=title,
            reward_type=reward_type,
            expiration_timestamp=next_year,
            timezone="UTC",
            winner_selection_model=fields.pop("winner_selection_model", "all"),
            **fields,
        )

    reward("Bronze badge", "badge", requirement_type="point_tier", point_tier=bronze)
    reward(
        "Silver pass",
        "pass",
        requirement_type="point_tier",
        point_tier=silver,
        access_start_timestamp=now - dt.timedelta(hours=1),
        access_end_timestamp=now + dt.timedelta(days=30),
        access_pass_type="qrcode",
    )
    chain = reward(
        "Chain prize",
        "prize_code",
        requirement_type="quests",
        required_page_tab_ids=[1, 2],
        is_limited=True,
        winner_selection_model="first",
        reward_limit=10,
        delivered_count=2,
    )
    PrizeCode.objects.create(reward=chain, code="PRIZE-7788")
    reward("Thank you", "badge")

    fan = Fan.objects.create(
        fan_id=FAN_ID,
        account=account,
        email=FAN_EMAIL,
        first_name="Jo",
        last_name="Fan",
        display_name="Jo",
        password_hash=make_password(FAN_PASSWORD),
        is_accepted_terms=True,
    )
    FanPoint.objects.create(fan=fan, point_type_record=points, point_count=80)
    FanActivity.objects.create(account=account, business=business, fan=fan, campaign_title=JOINED)
    # The fan is logged in: ``log_in`` puts this session in the portal's.
    FanSession.objects.create(
        session_uid=SESSION_UID,
        account=account,
        business=business,
        fan=fan,
        expiration_timestamp=now + dt.timedelta(days=1),
    )


def log_in_another_fan(fan: Any) -> Client:
    """A new test client logged in as ``fan``, a second fan of the seeded account, with an API
    session of their own that lasts as long as fan 501's: what a fan sees of another's data."""
    from tbits_sandbox.models import FanSession

    mine = FanSession.objects.get(fan_id=FAN_ID)
    FanSession.objects.create(
        session_uid=OTHER_SESSION_UID,
        account_id=mine.account_id,
        business_id=mine.business_id,
        fan=fan,
        expiration_timestamp=mine.expiration_timestamp,
    )
    client = Client()
    fan_login.log_in(client, session_uid=OTHER_SESSION_UID, fan_id=fan.fan_id)
    return client


@dataclass
class SandboxApi:
    """The seeded sandbox behind the portal's API base URL, with a call log and faults."""

    mock: responses.RequestsMock
    settings: Any
    http: Client = field(default_factory=Client)
    wire_faults: list[tuple[re.Pattern[str], BaseException | bytes]] = field(default_factory=list)
    # The test's thread and database connection: the sandbox writes inside the test's
    # transaction (rolled back after it), whichever thread the portal calls from.
    test_thread: int = field(default_factory=threading.get_ident)
    database: Any = field(default_factory=lambda: connections["default"])
    lock: threading.Lock = field(default_factory=threading.Lock)

    # -- transport -----------------------------------------------------------------------

    def answer(self, request: requests.PreparedRequest) -> tuple[int, dict[str, str], bytes]:
        """Answer one call of the portal: a wire fault, else the sandbox's own answer."""
        parts = urlsplit(request.url or "")
        for pattern, outcome in self.wire_faults:
            if pattern.search(parts.path):
                if isinstance(outcome, BaseException):
                    raise outcome
                return 200, {"Content-Type": "application/json"}, outcome
        path = SANDBOX_ROOT + parts.path.removeprefix("/")
        if parts.query:
            path += f"?{parts.query}"
        headers = {
            name: value
            for name, value in request.headers.items()
            if name.lower() not in _NOT_FORWARDED
        }
        body = request.body or b""
        # The sandbox's request runs inside the portal's: its middleware sets the language
        # and URLconf of this thread, which the portal's page must get back.
        language, urlconf = translation.get_language(), get_urlconf()
        with self.lock, self._test_database():
            self.http.cookies.clear()  # the client's HTTP session keeps no cookies either
            try:
                response = self.http.generic(
                    request.method or "GET",
                    path,
                    data=body.encode() if isinstance(body, str) else body,
                    content_type=request.headers.get("Content-Type", ""),
                    headers=headers,
                )
            finally:
                if language:
                    translation.activate(language)
                else:
                    translation.deactivate_all()
                set_urlconf(urlconf)
        return response.status_code, dict(response.items()), response.content

    @contextmanager
    def _test_database(self) -> Iterator[None]:
        """On the portal's worker threads (concurrent fetches), use the test's connection.

        As Django's live server does for SQLite; calls are serialised by ``self.lock``.
        """
        if threading.get_ident() == self.test_thread:
            yield
            return
        own = connections["default"]
        self.database.inc_thread_sharing()
        connections["default"] = self.database
        try:
            yield
        finally:
            connections["default"] = own
            self.database.dec_thread_sharing()

    # -- failures --------------------------------------------------------------------------

    def fail(self, path_pattern: str, outcome: Outcome) -> None:
        """Calls whose path matches answer ``outcome``.

        A status is the sandbox's own fault (``TBITS_SANDBOX_FAULTS``, 429 and 503 with
        ``Retry-After: 1``); an exception or a body (e.g. not JSON) is put on the wire.
        """
        if isinstance(outcome, int):
            current = getattr(self.settings, "TBITS_SANDBOX_FAULTS", "")
            entry = f"{path_pattern}={outcome}"
            self.settings.TBITS_SANDBOX_FAULTS = f"{current},{entry}" if current else entry
        else:
            self.wire_faults.append((re.compile(path_pattern), outcome))

    def heal(self) -> None:
        """No more failures."""
        self.settings.TBITS_SANDBOX_FAULTS = ""
        self.wire_faults.clear()

    # -- the call log ----------------------------------------------------------------------

    def paths(self) -> list[str]:
        """The ``METHOD path`` of every call made so far, paths as the API's."""
        return [
            f"{call.request.method} {urlsplit(call.request.url).path}" for call in self.mock.calls
        ]

    def count(self, fragment: str) -> int:
        """Calls whose ``METHOD path`` contains ``fragment``."""
        return sum(1 for path in self.paths() if fragment in path)

    def calls_to(self, method_and_path: str) -> int:
        """Calls exactly to ``"GET /api/v1/..."``."""
        return sum(1 for path in self.paths() if path == method_and_path)

    def reset_calls(self) -> None:
        """Forget the calls made so far."""
        self.mock.calls.reset()

    # -- the fan's state, read from and written to the sandbox -----------------------------

    @property
    def points(self) -> int:
        """The fan's balance."""
        from tbits_sandbox import ledger
        from tbits_sandbox.models import Fan

        fan = Fan.objects.get(fan_id=FAN_ID)
        return ledger.balance(fan=fan, point_type=fan.account.point_types.get())

    @property
    def completed(self) -> set[int]:
        """The quests the fan has completed."""
        from tbits_sandbox import ledger
        from tbits_sandbox.models import Business, Fan

        return ledger.completed_page_tab_ids(
            fan=Fan.objects.get(fan_id=FAN_ID), business=Business.objects.get(pk=BUSINESS_ID)
        )

    def award(self, points: int) -> None:
        """Give the fan points, then deliver the rewards they reach, as a point award does."""
        from tbits_sandbox import delivery
        from tbits_sandbox.models import Fan, FanPoint

        fan = Fan.objects.get(fan_id=FAN_ID)
        FanPoint.objects.create(
            fan=fan, point_type_record=fan.account.point_types.get(), point_count=points
        )
        delivery.process_rewards(account_id=ACCOUNT_ID, fan_ids=[FAN_ID])

    def complete(self, *page_tab_ids: int) -> None:
        """Complete quests for the fan (points, then the rewards they reach)."""
        from tbits_sandbox import completion
        from tbits_sandbox.models import Fan, Quest

        fan = Fan.objects.get(fan_id=FAN_ID)
        for quest in Quest.objects.filter(page_tab_id__in=page_tab_ids):
            completion.complete_quest(quest=quest, fan=fan, ip_address=None)

    def tag(self, *tags: str) -> None:
        """Tag the fan."""
        from tbits_sandbox.models import Fan

        Fan.objects.filter(fan_id=FAN_ID).update(tags=list(tags))

    def update_quest(self, page_tab_id: int, **fields: Any) -> None:
        """Change a quest as the provider's staff would."""
        from tbits_sandbox.models import Quest

        Quest.objects.filter(page_tab_id=page_tab_id).update(**fields)

    def add_quests(self, title: str, count: int, *, half_at_the_event: bool = False) -> None:
        """``count`` more open custom quests worth 5 points, titled ``"{title} {index}"``, for
        a big programme; with ``half_at_the_event``, every odd one is at the seeded event."""
        from tbits_sandbox.models import Business, Performance, Quest

        business = Business.objects.get(pk=BUSINESS_ID)
        event = Performance.objects.get(pk=PERFORMANCE_UID) if half_at_the_event else None
        Quest.objects.bulk_create(
            Quest(
                page_tab_id=ADDED_QUEST_IDS_FROM + index,
                business=business,
                point_type=business.point_type,
                reward_type="fan_points",
                quest_type="custom",
                quest_title=f"{title} {index}",
                fan_points_reward=5,
                performance=event if index % 2 else None,
            )
            for index in range(count)
        )

    def add_business(self, business_id: int, name: str) -> None:
        """Another business of the account, on the same point type."""
        from tbits_sandbox.models import Business

        first = Business.objects.get(pk=BUSINESS_ID)
        Business.objects.create(
            business_id=business_id,
            account_id=ACCOUNT_ID,
            business_name=name,
            point_type=first.point_type,
        )

    def activities(self) -> list[dict[str, Any]]:
        """The activities the portal recorded for the fan (not completions), newest first."""
        from tbits_sandbox.models import FanActivity

        return [
            {"campaign_title": item.campaign_title, **item.props}
            for item in FanActivity.objects.filter(fan_id=FAN_ID, page_tab_id__isnull=True).exclude(
                campaign_title=JOINED
            )
        ]

    def registrations(self) -> list[dict[str, Any]]:
        """The fan's wristband and ticket registrations, as the portal sent them."""
        from tbits_sandbox.models import FanRegistration

        return [
            {**item.data, "performance_uid": str(item.performance_id or "")}
            for item in FanRegistration.objects.filter(fan_id=FAN_ID)
        ]
