"""Fixtures for the accounts tests: logged-in fans, the live sandbox's demo fan, and a
stubbed API (``responses``) for the answers the sandbox cannot give (timeouts, malformed
bodies, a given ``Retry-After``, the API's exact refusals)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
import responses
from django.core.cache import caches

from accounts.fan import SESSION_KEY as FAN_KEY
from tests import fan_login

API = "https://api.tbits.test/"
SECRET = "unit-test-api-secret-9d2e"
CONNECT = f"{API}api/v1/sessions/connect"


@dataclass
class FakeApi:
    """A ``responses`` mock with a Sessions/Connect stub that answers per ``network``."""

    mock: responses.RequestsMock
    queued: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    connect_calls: list[dict[str, str]] = field(default_factory=list)

    def connect(
        self,
        network: str,
        *,
        json: Any = None,
        status: int = 200,
        headers: dict[str, str] | None = None,
        body: str | None = None,
        exception: Exception | None = None,
    ) -> None:
        """Queue one answer for the next connect call with this ``network`` value."""
        self.queued.setdefault(network, []).append(
            {
                "json": json,
                "status": status,
                "headers": headers or {},
                "body": body,
                "exception": exception,
            }
        )

    def _answer(self, request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        import json as jsonlib

        form = dict(parse_qsl(request.body or "", keep_blank_values=True))
        form["_headers"] = dict(request.headers)  # type: ignore[assignment]
        self.connect_calls.append(form)
        network = form.get("network", "")
        queue = self.queued.get(network) or []
        if not queue:
            raise AssertionError(f"unexpected connect call with network={network!r}")
        answer = queue.pop(0)
        if answer["exception"] is not None:
            raise answer["exception"]
        text = answer["body"] if answer["body"] is not None else jsonlib.dumps(answer["json"])
        return answer["status"], {"Content-Type": "application/json", **answer["headers"]}, text

    def calls(self, network: str | None = None) -> list[dict[str, str]]:
        """Form bodies of the connect calls made (optionally of one ``network``)."""
        return [c for c in self.connect_calls if network is None or c.get("network") == network]

    def requests_to(self, path_fragment: str) -> list[Any]:
        """Recorded requests whose URL contains ``path_fragment``."""
        return [c.request for c in self.mock.calls if path_fragment in (c.request.url or "")]

    def status(self, payload: dict[str, Any] | None = None, *, status: int = 200) -> None:
        """Answer ``/api/v1/status`` (branding)."""
        self.mock.add(
            responses.POST,
            f"{API}api/v1/status",
            json=payload
            if payload is not None
            else {
                "legal_terms": "https://brand.example/terms",
                "legal_privacy": "https://brand.example/privacy",
                "header_text": "Welcome to the Fan Club",
                "image_url": "https://brand.example/logo.png",
            },
            status=status,
        )


def session_payload(
    *, session_uid: str = "sess-uid-1111", fan_id: int = 501, hours: float = 24
) -> dict[str, Any]:
    """A session as Sessions/Connect returns it on success."""
    expires = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + hours * 3600))
    return {
        "session_uid": session_uid,
        "fan_id": fan_id,
        "account_id": 1001,
        "props": {},
        "expiration_timestamp": expires,
    }


@pytest.fixture(autouse=True)
def api_settings(settings: Any, request: Any, monkeypatch: Any) -> dict[str, Any]:
    """Point the app at a fake API host, with no retries and an always-closed breaker.

    Tests that talk to the live sandbox keep the project's sandbox settings instead.
    """
    if "live_sandbox" in request.fixturenames:
        return settings.TBITS
    settings.TBITS = {
        "API_BASE_URL": API,
        "API_KEY": "unit-test-api-key",
        "API_SECRET": SECRET,
        "ACCOUNT_ID": "1001",
        "BUSINESS_ID": "2002",
        "API_MAX_RETRIES": 0,
    }
    monkeypatch.setattr("accounts.api.CIRCUIT_BREAKER_THRESHOLD", 1000)
    return settings.TBITS


@pytest.fixture
def api() -> Iterator[FakeApi]:
    """Every HTTP call goes to ``responses``; an unexpected one fails the test."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        fake = FakeApi(mock=mock)
        mock.add_callback(responses.POST, CONNECT, callback=fake._answer)
        yield fake


@pytest.fixture
def branded_api(api: FakeApi) -> FakeApi:
    """The API with ``/api/v1/status`` answering branding (the login page asks for it)."""
    api.status()
    return api


def log_in(
    client: Any, *, session_uid: str = "sess-uid-1111", fan_id: int = 501, **ages: float
) -> None:
    """Put fan 501's API session into the test client's Django session."""
    fan_login.log_in(client, session_uid=session_uid, fan_id=fan_id, **ages)


def age_login(client: Any, seconds: float) -> None:
    """As if the client's fan had logged in ``seconds`` earlier (and used the portal since)."""
    session = client.session
    session[FAN_KEY] = {
        **session[FAN_KEY],
        "logged_in_at": session[FAN_KEY]["logged_in_at"] - seconds,
    }
    session.save()


log_in_sandbox_fan = fan_login.log_in_demo_fan


@pytest.fixture
def sandbox_fan(client: Any, live_sandbox: Any) -> Any:
    """A test client with the seeded demo fan logged in through the live sandbox."""
    return log_in_sandbox_fan(client, live_sandbox)


@pytest.fixture
def fan_client(client: Any, db: Any) -> Any:
    """A Django test client with a logged-in fan."""
    log_in(client)
    return client


def url_path(url: str) -> str:
    """The path and query of a redirect target."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


CSRF_INPUT = re.compile(r'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]+">')


def without_csrf(html: str) -> str:
    """The page with its per-request CSRF token removed, to compare two pages."""
    return CSRF_INPUT.sub("", html)


def cache_keys(alias: str = "default") -> list[str]:
    """Every key in the cache, on local memory (the default) or Redis (CI's second leg)."""
    backend = caches[alias]
    inner = backend._cache  # backend internals: tests only
    if hasattr(inner, "get_client"):  # django.core.cache.backends.redis.RedisCache
        return [key.decode() for key in inner.get_client(write=False).keys("*")]
    return list(inner)
