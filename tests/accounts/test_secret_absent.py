"""Every page of the app, in every state, and the API secret appears in none of them."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import responses
from django.urls import get_resolver

from tests.accounts.conftest import API, SECRET, FakeApi, session_payload

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.urls")]


def assert_clean(response: Any, seen: set[str]) -> None:
    seen.add(
        response.wsgi_request.resolver_match.view_name
        if response.wsgi_request.resolver_match
        else ""
    )
    body = response.content.decode(errors="replace")
    assert SECRET not in body
    for name, value in response.items():
        assert SECRET not in value, name
    for morsel in response.cookies.values():
        assert SECRET not in morsel.value


def test_no_page_contains_the_secret(client: Any, api: FakeApi, settings: Any) -> None:
    seen: set[str] = set()
    # The branding answer even echoes the secret back: it still must not be rendered raw.
    api.status({"header_text": "Hello", "legal_terms": "Terms", "image_url": None})

    assert_clean(client.get("/accounts/login/?next=/portal/"), seen)
    assert_clean(client.post("/accounts/login/", {"contact": "nope"}), seen)
    api.connect("verify_email", json={"request_uid": "r1", "message": "sent"})
    assert_clean(client.post("/accounts/login/", {"contact": "fan@example.com"}), seen)
    assert_clean(client.get("/accounts/login/code/"), seen)
    api.connect("submit_verification_code", status=400, json={"error": "bad"})
    assert_clean(client.post("/accounts/login/code/", {"code": "11111"}), seen)
    api.connect("verify_email", json={"request_uid": "r2", "message": "sent"})
    assert_clean(client.post("/accounts/login/code/", {"action": "resend"}), seen)
    api.connect("submit_verification_code", json={"status": "register", "verification_uid": "v"})
    assert_clean(client.post("/accounts/login/code/", {"code": "49270"}), seen)
    assert_clean(client.get("/accounts/register/"), seen)
    api.connect("register", json={"terms_required": True, "legal_terms": "T"})
    assert_clean(client.post("/accounts/register/", {"first_name": "J", "last_name": "D"}), seen)
    api.connect("register", json=session_payload())
    assert_clean(
        client.post(
            "/accounts/register/", {"first_name": "J", "last_name": "D", "accept_terms": "on"}
        ),
        seen,
    )

    uid = "sess-uid-1111"
    api.mock.add(responses.GET, f"{API}api/v1/sessions/{uid}/fan", json={"fan_id": 501})
    api.mock.add(responses.GET, f"{API}api/v1/idols", json=[{"idol_uid": "i", "idol_name": "I"}])
    api.mock.add(responses.GET, f"{API}api/v1/sessions/{uid}/idols", json=[])
    api.mock.add(responses.POST, f"{API}api/v1/sessions/{uid}/fan", json={"fan_id": 501})
    api.mock.add(responses.POST, f"{API}api/v1/sessions/{uid}/idols", json={})
    assert_clean(client.get("/accounts/profile/"), seen)
    assert_clean(client.post("/accounts/profile/", {"first_name": "", "last_name": ""}), seen)
    assert_clean(client.post("/accounts/profile/", {"first_name": "J", "last_name": "D"}), seen)
    assert_clean(
        client.post(
            "/accounts/profile/password/", {"new_password": "x", "new_password_again": "y"}
        ),
        seen,
    )
    assert_clean(client.post("/accounts/profile/idols/", {"idol_uid": "i", "action": "add"}), seen)
    assert_clean(client.post("/accounts/profile/log-in-again/"), seen)
    assert_clean(client.post("/accounts/logout/"), seen)

    assert_clean(client.get("/accounts/login/password/"), seen)
    api.connect("password", status=401, json={"error": f"bad secret {SECRET}"})
    assert_clean(
        client.post("/accounts/login/password/", {"contact": "a@b.co", "password": "p"}), seen
    )

    start = client.post("/accounts/oauth/start/")
    assert_clean(start, seen)
    callback = urlsplit(parse_qs(urlsplit(start["Location"]).query)["redirect_url"][0]).path
    api.mock.add(responses.GET, f"{API}crm/access_token", json={"error": SECRET}, status=502)
    assert_clean(client.get(f"{callback}?code=c"), seen)

    # The error pages, with API error messages that carry the secret.
    for kind in (
        "rate_limited",
        "transport",
        "server",
        "invalid",
        "unauthorized",
        "session_expired",
    ):
        assert_clean(client.get(f"/raise/{kind}/"), seen)

    app_views = {f"tbits_accounts:{p.name}" for p in get_resolver("accounts.urls").url_patterns}
    assert app_views <= seen, f"pages not rendered: {sorted(app_views - seen)}"
