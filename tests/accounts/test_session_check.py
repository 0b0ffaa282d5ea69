"""A fan's API session revoked upstream ends here at the next check (difference 9 of issue 15).

The check asks ``GET sessions/{session_uid}`` at most once per ``SESSION_CHECK_INTERVAL``
per fan session; most pages cost no call, and an outage logs nobody out.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
import requests
import responses
from django.contrib.messages import get_messages

from accounts.fan import SESSION_KEY
from accounts.session_check import CONFIRMED_AT
from tests.accounts.conftest import API, FakeApi, log_in

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.urls")]

SESSION_URL = f"{API}api/v1/sessions/sess-uid-1111"
EXPIRED = "Your session has expired. Please log in again."


def age_confirmation(client: Any, seconds: float) -> None:
    """As if the fan's API session had last been confirmed ``seconds`` ago."""
    session = client.session
    session[SESSION_KEY] = {**session[SESSION_KEY], CONFIRMED_AT: time.time() - seconds}
    session.save()


def session_answer(api: FakeApi, *, status: int = 200, body: Exception | None = None) -> None:
    if body is not None:
        api.mock.add(responses.GET, SESSION_URL, body=body)
        return
    json = (
        {"session_uid": "sess-uid-1111", "fan_id": 501, "account_id": 1001, "props": {}}
        if status == 200
        else {"error": "Invalid or expired session."}
    )
    api.mock.add(responses.GET, SESSION_URL, json=json, status=status)


def test_the_api_session_is_confirmed_once_per_interval(client: Any, api: FakeApi) -> None:
    session_answer(api)
    log_in(client)
    for _ in range(5):
        assert client.get("/whoami/").content == b"fan 501"
    assert api.requests_to("/sessions/sess-uid-1111") == []  # a fresh login needs no check
    age_confirmation(client, 301)
    for _ in range(5):
        assert client.get("/whoami/").content == b"fan 501"
    assert len(api.requests_to("/sessions/sess-uid-1111")) == 1


def test_the_interval_is_a_setting(client: Any, api: FakeApi, settings: Any) -> None:
    settings.TBITS = {**settings.TBITS, "SESSION_CHECK_INTERVAL": 60}
    session_answer(api)
    log_in(client)
    age_confirmation(client, 61)
    client.get("/whoami/")
    assert len(api.requests_to("/sessions/sess-uid-1111")) == 1
    settings.TBITS = {**settings.TBITS, "SESSION_CHECK_INTERVAL": None}
    age_confirmation(client, 10**6)
    client.get("/whoami/")
    assert len(api.requests_to("/sessions/sess-uid-1111")) == 1  # None: never asked


def test_a_session_gone_upstream_sends_the_fan_to_log_in(client: Any, api: FakeApi) -> None:
    session_answer(api, status=401)
    log_in(client)
    age_confirmation(client, 301)
    response = client.get("/protected/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fprotected%2F"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [EXPIRED]
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize(
    "outage", [{"status": 503}, {"body": requests.ConnectionError("down")}], ids=["503", "down"]
)
def test_an_outage_during_the_check_keeps_the_fan_logged_in(
    client: Any, api: FakeApi, outage: dict[str, Any]
) -> None:
    session_answer(api, **outage)
    log_in(client)
    age_confirmation(client, 301)
    for _ in range(3):
        assert client.get("/protected/").content == b"secret page of fan 501"
    # One attempt per interval, outage or not: a down API is not asked on every page.
    assert len(api.requests_to("/sessions/sess-uid-1111")) == 1
