"""The liveness and readiness probes."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection


def test_healthz_answers_without_touching_the_database(client):
    # No django_db mark: any database access here would raise.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_needs_no_allowed_host(client):
    """Container probes call 127.0.0.1 by IP, whatever ALLOWED_HOSTS says."""
    response = client.get("/healthz", HTTP_HOST="10.1.2.3:8000")
    assert response.status_code == 200


@pytest.mark.django_db
def test_readyz_reports_database_and_cache(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


@pytest.mark.django_db
def test_readyz_names_the_cache_when_it_fails(client, monkeypatch):
    def broken_set(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "set", broken_set)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "error: ConnectionError"}


@pytest.mark.django_db
def test_readyz_names_the_database_when_it_fails(client, monkeypatch):
    class BrokenCursor:
        def __enter__(self):
            raise ConnectionError("database down")

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(connection, "cursor", lambda: BrokenCursor())
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "error: ConnectionError"
    assert body["checks"]["cache"] == "ok"
