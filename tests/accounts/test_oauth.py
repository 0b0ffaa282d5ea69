"""OAuth sign-in: the one-time transaction value, the callback checks, the exchange."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses
from django.contrib.messages import get_messages

from accounts.fan import SESSION_KEY as FAN_KEY
from accounts.flows import oauth
from tests.accounts.conftest import API, SECRET, FakeApi, session_payload

pytestmark = pytest.mark.django_db

EXCHANGE = f"{API}crm/access_token"
FAILED = "We could not sign you in. Please try again."


def begin(client: Any, next_url: str = "") -> tuple[str, str]:
    """Start a sign-in; returns the callback path and the redirect_url sent."""
    response = client.post("/accounts/oauth/start/", {"next": next_url})
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}/" == API
    assert location.path == "/crm/oauth"
    query = parse_qs(location.query)
    assert query["account_id"] == ["1001"]
    assert query["business_id"] == ["2002"]
    assert query["login_type"] == ["email"]
    assert "api_key" not in query and "api_secret" not in query
    (redirect_url,) = query["redirect_url"]
    return urlsplit(redirect_url).path, redirect_url


def exchange_ok(api: FakeApi, fan_id: int = 31) -> None:
    api.mock.add(responses.GET, EXCHANGE, json=session_payload(fan_id=fan_id))


def test_start_is_post_only(client: Any) -> None:
    assert client.get("/accounts/oauth/start/").status_code == 405


def test_start_needs_oauth_configured(client: Any, settings: Any) -> None:
    settings.TBITS = {**settings.TBITS, "OAUTH_ENABLED": False}
    assert client.post("/accounts/oauth/start/").status_code == 404


def test_redirect_url_is_absolute_and_carries_a_transaction(client: Any) -> None:
    path, redirect_url = begin(client)
    assert redirect_url.startswith("http://testserver/accounts/oauth/callback/")
    transaction = path.rstrip("/").rsplit("/", 1)[-1]
    assert len(transaction) >= 40
    assert transaction in client.session[oauth.SESSION_KEY]
    # A second sign-in gets a different value.
    assert begin(client)[0] != path


def test_successful_callback(client: Any, api: FakeApi) -> None:
    path, redirect_url = begin(client, next_url="/portal/rewards/")
    exchange_ok(api)
    old_key = client.session.session_key
    response = client.get(f"{path}?code=one-time-code-123")
    assert response.status_code == 302
    assert response["Location"] == "/portal/rewards/"
    assert "code" not in response["Location"]
    assert response["Referrer-Policy"] == "no-referrer"
    (request,) = api.requests_to("crm/access_token")
    query = parse_qs(urlsplit(request.url).query)
    assert query["code"] == ["one-time-code-123"]
    assert query["redirect_url"] == [redirect_url]  # identical to the one sent
    assert query["account_id"] == ["1001"]
    assert request.headers["Api-Secret"] == SECRET
    assert "api_secret" not in request.url
    assert client.session[FAN_KEY]["fan_id"] == 31
    assert client.session.session_key != old_key


def test_reused_transaction_is_refused_before_any_call(client: Any, api: FakeApi) -> None:
    path, _ = begin(client)
    exchange_ok(api)
    client.get(f"{path}?code=c1")
    client.post("/accounts/logout/")
    response = client.get(f"{path}?code=c2")
    assert response["Location"] == "/accounts/login/"
    assert len(api.requests_to("crm/access_token")) == 1


def test_unknown_transaction_is_refused(client: Any, api: FakeApi) -> None:
    begin(client)
    response = client.get("/accounts/oauth/callback/forged-value/?code=c")
    assert response["Location"] == "/accounts/login/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [FAILED]
    assert response["Referrer-Policy"] == "no-referrer"
    assert api.requests_to("crm/access_token") == []


def test_transaction_of_another_browser_is_refused(client: Any, api: FakeApi) -> None:
    from django.test import Client

    path, _ = begin(client)
    other = Client()
    response = other.get(f"{path}?code=c")
    assert response["Location"] == "/accounts/login/"
    assert api.requests_to("crm/access_token") == []
    assert FAN_KEY not in other.session


def test_missing_transaction_is_not_a_route(client: Any) -> None:
    assert client.get("/accounts/oauth/callback/?code=c").status_code == 404


def test_expired_transaction_is_refused(
    client: Any, api: FakeApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, _ = begin(client)
    later = time.time() + 10 * 60 + 1
    monkeypatch.setattr(oauth.time, "time", lambda: later)
    response = client.get(f"{path}?code=c")
    assert response["Location"] == "/accounts/login/"
    assert api.requests_to("crm/access_token") == []


def test_provider_error_is_generic(client: Any, api: FakeApi) -> None:
    path, _ = begin(client)
    response = client.get(f"{path}?error=<script>access_denied</script>")
    assert response["Location"] == "/accounts/login/"
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == [FAILED]
    assert api.requests_to("crm/access_token") == []


def test_missing_code(client: Any, api: FakeApi) -> None:
    path, _ = begin(client)
    assert client.get(path)["Location"] == "/accounts/login/"
    assert api.requests_to("crm/access_token") == []


@pytest.mark.parametrize("status", [400, 401, 404])
def test_refused_code(client: Any, api: FakeApi, status: int) -> None:
    path, _ = begin(client)
    api.mock.add(responses.GET, EXCHANGE, json={"error": "invalid code"}, status=status)
    response = client.get(f"{path}?code=bad")
    assert response["Location"] == "/accounts/login/"
    assert FAN_KEY not in client.session


def test_exchange_timeout_is_a_503_without_leaking(client: Any, api: FakeApi) -> None:
    path, _ = begin(client)
    api.mock.add(responses.GET, EXCHANGE, body=requests.ReadTimeout("slow"))
    response = client.get(f"{path}?code=secret-code-xyz")
    assert response.status_code == 503
    html = response.content.decode()
    assert "secret-code-xyz" not in html
    assert 'href="/accounts/login/"' in html  # retry means signing in again
    assert response["Referrer-Policy"] == "no-referrer"


def test_exchange_rate_limited(client: Any, api: FakeApi) -> None:
    path, _ = begin(client)
    api.mock.add(responses.GET, EXCHANGE, json={}, status=429, headers={"Retry-After": "5"})
    response = client.get(f"{path}?code=c")
    assert response.status_code == 429 and response["Retry-After"] == "5"


def test_malformed_exchange_answer(client: Any, api: FakeApi) -> None:
    path, _ = begin(client)
    api.mock.add(responses.GET, EXCHANGE, json={"hello": "world"})
    assert client.get(f"{path}?code=c").status_code == 503
    assert FAN_KEY not in client.session


def test_unsafe_next_is_dropped(client: Any, api: FakeApi) -> None:
    path, _ = begin(client, next_url="https://evil.example/")
    exchange_ok(api)
    assert client.get(f"{path}?code=c")["Location"] == "/portal/"


def test_pending_transactions_are_bounded(client: Any) -> None:
    for _ in range(8):
        begin(client)
    assert len(client.session[oauth.SESSION_KEY]) == 5


def test_callback_rate_limited(client: Any, api: FakeApi, settings: Any) -> None:
    settings.TBITS = {**settings.TBITS, "RATE_LIMITS": {"oauth_callback": "2/m/ip"}}
    client.get("/accounts/oauth/callback/a/?code=c")
    client.get("/accounts/oauth/callback/b/?code=c")
    assert client.get("/accounts/oauth/callback/c/?code=c").status_code == 429


def test_start_needs_csrf(db: Any) -> None:
    from django.test import Client

    assert Client(enforce_csrf_checks=True).post("/accounts/oauth/start/").status_code == 403
