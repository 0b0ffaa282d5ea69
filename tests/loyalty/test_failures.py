"""Upstream failures: never a 500; stale data with a notice, or the 503/429 pages.

Error statuses are the sandbox's own faults (``TBITS_SANDBOX_FAULTS``); a refused
connection, a timeout and a body that is not JSON are put on the wire by ``sandbox_api``,
because no API answers those by itself.
"""

from __future__ import annotations

import pytest
import requests
from django.urls import reverse

from tests.loyalty.test_views import BOARD, text

pytestmark = pytest.mark.django_db

NOTICE = "some of what you see may be a few minutes old"

FAILURES = [
    pytest.param(503, id="server-error"),
    pytest.param(500, id="internal-error"),
    pytest.param(requests.ConnectionError("refused"), id="connection-refused"),
    pytest.param(requests.ReadTimeout("slow"), id="timeout"),
    pytest.param(b"<html>not json", id="malformed-json"),
    pytest.param(401, id="unauthorized"),
    pytest.param(400, id="bad-request"),
    pytest.param(404, id="not-found"),
]
PAGES = ["dashboard", "quests", "wallet", "leaderboard", "history", "business"]


@pytest.mark.parametrize("outcome", FAILURES)
@pytest.mark.parametrize("name", PAGES)
def test_cold_cache_and_api_down_gives_friendly_503(fan_client, sandbox_api, name, outcome):
    sandbox_api.fail(r"/api/v1/", outcome)
    response = fan_client.get(reverse(f"tbits_loyalty:{name}"))
    assert response.status_code == 503
    page = text(response)
    assert "We are having trouble right now" in page
    assert f'href="{reverse(f"tbits_loyalty:{name}")}"' in page  # the retry link
    assert "Traceback" not in page


@pytest.mark.parametrize("name", PAGES)
def test_rate_limited_gives_429_with_retry_after(fan_client, sandbox_api, name):
    sandbox_api.fail(r"/api/v1/", 429)
    response = fan_client.get(reverse(f"tbits_loyalty:{name}"))
    assert response.status_code == 429
    assert response["Retry-After"] == "1"  # the sandbox's, not the portal's default


@pytest.mark.parametrize("outcome", FAILURES[:5])
def test_stale_business_data_is_served_with_a_notice(fan_client, sandbox_api, settings, outcome):
    assert NOTICE not in text(fan_client.get(BOARD))
    settings.TBITS = {**settings.TBITS, "CACHE_TTL": 0, "FAN_CACHE_TTL": 0}
    sandbox_api.fail(
        r"/api/v1/(businesses|ent/businesses/\d+/(quests|rewards)$|performances)", outcome
    )
    response = fan_client.get(BOARD)
    assert response.status_code == 200
    page = text(response)
    assert NOTICE in page
    assert "Follow us" in page


def test_fan_data_falls_back_to_last_copy_with_notice(fan_client, sandbox_api, settings):
    fan_client.get(reverse("tbits_loyalty:dashboard"))
    settings.TBITS = {**settings.TBITS, "FAN_CACHE_TTL": 0}
    sandbox_api.fail(r"/fans/501/", 503)
    response = fan_client.get(reverse("tbits_loyalty:dashboard"))
    assert response.status_code == 200
    page = text(response)
    assert NOTICE in page
    assert '<span class="tb-balance__value">80</span>' in page


def test_notice_goes_away_when_the_api_recovers(fan_client, sandbox_api, settings):
    fan_client.get(BOARD)
    settings.TBITS = {**settings.TBITS, "CACHE_TTL": 0}
    sandbox_api.fail(r"/api/v1/businesses", 503)
    assert NOTICE in text(fan_client.get(BOARD))
    sandbox_api.heal()
    assert NOTICE not in text(fan_client.get(BOARD))


@pytest.mark.parametrize("outcome", [503, requests.ConnectionError("down")])
def test_failed_completion_gives_503_and_can_be_retried(fan_client, sandbox_api, outcome):
    fan_client.get(BOARD)
    sandbox_api.fail(r"/quests/1/fans/501/complete", outcome)
    url = reverse("tbits_loyalty:complete", args=[1])
    response = fan_client.post(url)
    assert response.status_code == 503
    assert f'href="{url}"' in text(response)
    sandbox_api.heal()
    response = fan_client.post(url)
    assert response.status_code == 302
    assert 1 in sandbox_api.completed


def test_completion_rate_limited_gives_429(fan_client, sandbox_api):
    sandbox_api.fail(r"/quests/1/fans/501/complete", 429)
    response = fan_client.post(reverse("tbits_loyalty:complete", args=[1]))
    assert response.status_code == 429
    assert response["Retry-After"] == "1"  # the sandbox's, not the portal's default


def test_unknown_business_gives_503(fan_client, sandbox_api, settings):
    settings.TBITS = {**settings.TBITS, "BUSINESS_ID": "7777"}
    assert fan_client.get(BOARD).status_code == 503
