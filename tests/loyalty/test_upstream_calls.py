"""How many API calls each page makes, cold and warm: nothing is fetched twice."""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest
from django.urls import reverse

from loyalty.cache import cache_key, cached_shared
from tbits_client import ServerError
from tests.loyalty.sandbox_api import BUSINESS_ID, POINT_UID

pytestmark = pytest.mark.django_db

SHARED = {
    "GET /api/v1/businesses",
    "GET /api/v1/ent/businesses/2002/quests",
    "GET /api/v1/ent/businesses/2002/rewards",
    "GET /api/v1/performances",
    f"GET /api/v1/crm/point_tiers/{POINT_UID}",
    # The point types: the documented way to the currency (loyalty.point_type). On a cold
    # page it goes out beside the businesses, before anything says which type is used.
    "GET /api/v1/crm/points",
}
FAN = {
    "GET /api/v1/ent/businesses/2002/quests/fans/501/complete",
    "GET /api/v1/crm/fans/501/points",
    "GET /api/v1/ent/businesses/2002/fans/501/rewards",
    "GET /api/v1/crm/fans/501",  # tags: the seed data has a tag-restricted quest
}
HELD = "GET /api/v1/ent/businesses/2002/fans/501/rewards"
# Kept for FAN_TAGS_CACHE_TTL, longer than the rest of the fan's data.
TAGS = "GET /api/v1/crm/fans/501"
# Only the pages that show the rewards a fan holds fetch them.
SHOWS_HELD = {"dashboard", "wallet"}
VISIT = "POST /api/v1/crm/fans/501/activities"
PAGE_EXTRA = {
    "dashboard": {VISIT},
    "quests": {VISIT},
    "leaderboard": {"GET /api/v1/crm/leaderboard"},
    "history": {"GET /api/v1/crm/fan_points"},
}


@pytest.mark.parametrize("name", ["dashboard", "quests", "wallet", "leaderboard", "history"])
def test_cold_page_fetches_each_thing_once_and_warm_page_nothing(fan_client, sandbox_api, name):
    url = reverse(f"tbits_loyalty:{name}")
    assert fan_client.get(url).status_code == 200
    calls = Counter(sandbox_api.paths())
    expected = SHARED | PAGE_EXTRA.get(name, set())
    # The leaderboard reads the fan's own balance too (their row is at the live balance).
    expected |= FAN if name in SHOWS_HELD else FAN - {HELD}
    assert set(calls) == expected
    assert all(count == 1 for count in calls.values()), calls

    sandbox_api.reset_calls()
    assert fan_client.get(url).status_code == 200
    # Within the TTLs a page makes no call at all, except the per-page history.
    assert Counter(sandbox_api.paths()) == Counter(
        {p: 1 for p in PAGE_EXTRA.get(name, set()) if name == "history"}
    )


def test_fan_cache_expiry_refetches_only_fan_data(fan_client, sandbox_api, settings):
    fan_client.get(reverse("tbits_loyalty:quests"))
    settings.TBITS = {**settings.TBITS, "FAN_CACHE_TTL": 0}
    sandbox_api.reset_calls()
    fan_client.get(reverse("tbits_loyalty:quests"))
    # The tags are kept for FAN_TAGS_CACHE_TTL, longer than the balance and completions.
    assert sorted(sandbox_api.paths()) == sorted(FAN - {HELD, TAGS})


def test_tags_are_fetched_again_after_their_own_ttl(fan_client, sandbox_api, settings):
    fan_client.get(reverse("tbits_loyalty:quests"))
    settings.TBITS = {**settings.TBITS, "FAN_TAGS_CACHE_TTL": 0}
    sandbox_api.reset_calls()
    fan_client.get(reverse("tbits_loyalty:quests"))
    assert sandbox_api.paths() == [TAGS]
    settings.TBITS = {**settings.TBITS, "FAN_CACHE_TTL": 0}
    sandbox_api.reset_calls()
    fan_client.get(reverse("tbits_loyalty:quests"))
    # Both expired: still one round trip, each call once.
    assert sorted(sandbox_api.paths()) == sorted(FAN - {HELD})


def test_a_new_login_reads_the_tags_fresh(fan_client, sandbox_api):
    from django.test import RequestFactory

    from accounts.fan import login_fan
    from loyalty.cache import is_fresh
    from loyalty.selectors import fan_tags_key

    fan_client.get(reverse("tbits_loyalty:quests"))
    assert is_fresh(fan_tags_key(501), ttl=300)
    request = RequestFactory().get("/")
    request.session = fan_client.session
    login_fan(request, session_uid="another-login", fan_id=501, expires_at=None)
    assert not is_fresh(fan_tags_key(501), ttl=300)


def test_completion_refreshes_the_fan_cache_once(fan_client, sandbox_api):
    fan_client.get(reverse("tbits_loyalty:quests"))
    sandbox_api.reset_calls()
    fan_client.post(reverse("tbits_loyalty:complete", args=[1]))
    calls = Counter(sandbox_api.paths())
    assert calls.pop("POST /api/v1/ent/businesses/2002/quests/1/fans/501/complete") == 1
    # The quest's message needs no held rewards: nothing but what the board shows is read,
    # and the tags are still within their own TTL.
    assert set(calls) == FAN - {HELD, TAGS} and all(count == 1 for count in calls.values())
    sandbox_api.reset_calls()
    fan_client.get(reverse("tbits_loyalty:quests"))  # the redirect target
    assert sandbox_api.paths() == []


def test_stale_entry_is_refreshed_by_one_worker_in_the_background(settings, monkeypatch):
    monkeypatch.setattr("loyalty.cache.REFRESH_IN_BACKGROUND", True)
    settings.TBITS = {**settings.TBITS, "CACHE_TTL": 60}
    key = cache_key("test-swr")
    loads: list[int] = []
    release = threading.Event()

    def loader() -> int:
        loads.append(1)
        if len(loads) > 1:
            release.wait(5)
        return len(loads)

    assert cached_shared(key, loader).value == 1
    settings.TBITS = {**settings.TBITS, "CACHE_TTL": 0}
    started = time.monotonic()
    # Stale: served at once, whatever the loader's speed; only one refresh runs.
    results = [cached_shared(key, loader).value for _ in range(5)]
    assert time.monotonic() - started < 1
    assert results == [1, 1, 1, 1, 1]
    deadline = time.monotonic() + 3
    while len(loads) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(loads) == 2  # the one refresh started, the other four found the lock
    settings.TBITS = {**settings.TBITS, "CACHE_TTL": 60}
    release.set()
    for _ in range(50):
        if len(loads) == 2 and cached_shared(key, loader).value == 2:
            break
        time.sleep(0.05)
    assert len(loads) == 2


def test_failed_background_refresh_keeps_stale_copy_and_flags_it(settings):
    # The loyalty tests refresh inline (conftest): the failure is seen on this very call.
    key = cache_key("test-swr-fail")
    assert cached_shared(key, lambda: "v1").degraded is False
    settings.TBITS = {**settings.TBITS, "CACHE_TTL": 0}

    def broken() -> str:
        raise ServerError("down")

    result = cached_shared(key, broken)
    assert (result.value, result.degraded) == ("v1", True)
    with pytest.raises(ServerError):
        cached_shared(cache_key("cold"), broken)


def test_portal_visit_is_recorded_once_per_login(fan_client, sandbox_api):
    fan_client.get(reverse("tbits_loyalty:dashboard"))
    fan_client.get(reverse("tbits_loyalty:quests"))
    fan_client.get(reverse("tbits_loyalty:dashboard"))
    assert sandbox_api.calls_to(VISIT) == 1
    assert sandbox_api.activities()[0]["campaign_title"] == "Loyalty portal visit"


def test_difference_5_portal_visit_activity_is_associated_with_the_business(
    fan_client, sandbox_api
):
    """loyalty-portal-integration.txt, "Fan Points and Fan Activities": "The background
    reward system only considers fans who have at least one activity record associated
    with the business."
    """
    from tbits_sandbox.models import FanActivity

    fan_client.get(reverse("tbits_loyalty:dashboard"))
    visit = FanActivity.objects.get(campaign_title="Loyalty portal visit")
    assert visit.business_id == BUSINESS_ID


def test_failed_visit_record_does_not_break_the_page_and_is_retried(fan_client, sandbox_api):
    sandbox_api.fail(r"/activities$", 503)
    assert fan_client.get(reverse("tbits_loyalty:dashboard")).status_code == 200
    sandbox_api.heal()
    fan_client.get(reverse("tbits_loyalty:dashboard"))
    assert len(sandbox_api.activities()) == 1


def test_catalogue_evicted_behind_a_current_local_copy_is_not_refetched(fan_client, sandbox_api):
    """A cache that evicts least-read keys first drops the entry and keeps its version.

    While this process's decoded copy is current only the version is read, so local memory's
    LRU culling (300 entries by default, shared with sessions and every fan's data) removed
    the entry itself; every page then took the cold path and fetched the whole catalogue.
    """
    from django.core.cache import cache

    url = reverse("tbits_loyalty:quests")
    fan_client.get(url)
    for key in ("businesses", "business:2002"):
        cache.delete(cache_key(*key.split(":")))
    sandbox_api.reset_calls()
    assert fan_client.get(url).status_code == 200
    assert sandbox_api.paths() == []


@pytest.mark.parametrize("name", ["dashboard", "quests", "wallet"])
def test_cold_page_is_one_round_trip_when_the_currency_is_configured(
    fan_client, sandbox_api, settings, monkeypatch, name
):
    # Issue 21: every call whose inputs are known goes out at once. With POINT_TYPE as a
    # uid the tiers need no other answer; the fan record (tags, first name) goes out beside
    # the quests rather than after them.
    from accounts.fan import SESSION_KEY
    from tbits_client import TbitsClient

    settings.TBITS = {**settings.TBITS, "POINT_TYPE": POINT_UID}
    session = fan_client.session
    session[SESSION_KEY] = {**session[SESSION_KEY], "first_name": "Jo"}  # no name to read
    session.save()
    batches: list[set[str]] = []
    original = TbitsClient.run_concurrently

    def counted(self, calls):
        batches.append(set(calls))
        return original(self, calls)

    monkeypatch.setattr(TbitsClient, "run_concurrently", counted)
    url = reverse(f"tbits_loyalty:{name}")
    assert fan_client.get(url).status_code == 200
    [batch] = [calls for calls in batches if len(calls) > 1]
    assert {"quests", "tiers", "fan:points", "fan:record"} <= batch
