"""The probes a site mounts with ``include("accounts.health.urls")``: liveness and readiness."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
import requests
import responses
from django.db import connection
from django.test import override_settings
from django.urls import include, path, reverse

from accounts.api import get_client
from accounts.app_settings import app_settings
from tests.accounts.conftest import API, FakeApi

# A host site's URLconf: its own page, and the probes under a prefix of its choosing.
urlpatterns = [
    path("ops/", include("accounts.health.urls")),
]


def test_healthz_answers_without_touching_the_database(client: Any) -> None:
    # No django_db mark: any database access here would raise.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_needs_no_allowed_host(client: Any) -> None:
    """Container probes call 127.0.0.1 by IP, whatever ALLOWED_HOSTS says."""
    response = client.get("/healthz", HTTP_HOST="10.1.2.3:8000")
    assert response.status_code == 200


@override_settings(ROOT_URLCONF=__name__)
def test_a_site_mounts_both_probes_with_one_include_anywhere(client: Any, db: None) -> None:
    assert reverse("tbits_health:healthz") == "/ops/healthz"
    assert client.get("/ops/healthz").json() == {"status": "ok"}
    assert client.get("/ops/readyz").status_code == 200
    # The liveness middleware answers where the site mounted the probe, by any host.
    assert client.get("/ops/healthz", HTTP_HOST="10.1.2.3:8000").status_code == 200


@pytest.mark.django_db
def test_readyz_reports_database_cache_and_a_closed_breaker(client: Any) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "api": "closed"},
    }
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_names_the_cache_when_it_fails(client: Any, monkeypatch: Any) -> None:
    def broken_set(*args: Any, **kwargs: Any) -> None:
        raise ConnectionError("cache down at redis://:hunter2@cache:6379")

    monkeypatch.setattr(app_settings.cache(), "set", broken_set)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"] == "error: ConnectionError"
    assert "hunter2" not in response.content.decode()


@pytest.mark.django_db
def test_readyz_names_the_database_when_it_fails(
    client: Any, monkeypatch: Any, caplog: Any
) -> None:
    class BrokenCursor:
        def __enter__(self) -> None:
            raise ConnectionError("could not connect: password=db-secret-77")

        def __exit__(self, *exc: object) -> bool:
            return False

    monkeypatch.setattr(connection, "cursor", lambda: BrokenCursor())
    with caplog.at_level(logging.WARNING):
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "error: ConnectionError"
    assert body["checks"]["cache"] == "ok"
    # One line naming the part, without the driver's message or a traceback.
    assert "db-secret-77" not in response.content.decode() + caplog.text
    assert all(record.exc_info is None for record in caplog.records)


def _open_the_breaker(endpoint_path: str, monkeypatch: Any) -> None:
    """Fail one endpoint until its breaker opens (threshold 2 here)."""
    monkeypatch.setattr("accounts.api.CIRCUIT_BREAKER_THRESHOLD", 2)
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, f"{API}{endpoint_path}", status=503)
        for _ in range(2):
            with pytest.raises(Exception):  # noqa: B017 - ServerError, then the breaker opens
                get_client().status()


@pytest.mark.django_db
def test_readyz_reports_an_open_breaker_without_calling_the_api(
    client: Any, monkeypatch: Any
) -> None:
    _open_the_breaker("api/v1/status", monkeypatch)
    # Any request to the API now fails the test: the probe only reads the breaker.
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        response = client.get("/readyz")
    assert not mock.calls
    # Still ready: the database and cache answer; the API is shared by every container.
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"] == {"database": "ok", "cache": "ok", "api": "open"}
    assert body["api_endpoints"] == {"status": "open"}


@pytest.mark.django_db
def test_readyz_reports_half_open_once_the_recovery_time_has_passed(
    client: Any, monkeypatch: Any
) -> None:
    _open_the_breaker("api/v1/status", monkeypatch)
    breaker = get_client().circuit_breaker
    assert breaker is not None
    monkeypatch.setattr(breaker, "clock", lambda: 10**12)  # far past the recovery period
    body = client.get("/readyz").json()
    assert body["checks"]["api"] == "half_open"
    assert body["api_endpoints"] == {"status": "half_open"}


@pytest.mark.django_db
def test_readyz_answers_json_when_the_breaker_cannot_be_read(client: Any, monkeypatch: Any) -> None:
    def unreadable(self: Any) -> None:
        raise requests.ConnectionError("breaker store down")

    monkeypatch.setattr("tbits_client.TbitsClient.breaker_states", unreadable)
    response = client.get("/readyz")
    assert response.status_code == 200
    assert json.loads(response.content)["checks"]["api"] == "unknown"


def test_readyz_refuses_post(client: Any) -> None:
    assert client.post("/readyz").status_code == 405


def test_breaker_states_name_every_endpoint_and_send_nothing(api: FakeApi) -> None:
    # breaker_states() sends nothing: a probe every few seconds must not load the API.
    states = get_client().breaker_states()
    assert set(states.values()) == {"closed"}
    assert "quests" in states and not api.mock.calls
