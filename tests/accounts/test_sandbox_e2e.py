"""End to end without a browser: the accounts views against the live sandbox over HTTP."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.messages import get_messages

from accounts.fan import SESSION_KEY as FAN_KEY
from tests.accounts.conftest import age_login, log_in_sandbox_fan
from tests.accounts.test_session_check import age_confirmation


def test_code_login_of_the_demo_fan(client: Any, live_sandbox: Any) -> None:
    html = client.get("/accounts/login/").content.decode()
    assert "sandbox-api-secret" not in html
    response = client.post("/accounts/login/", {"contact": live_sandbox.fan_email, "next": "/x/"})
    assert response["Location"] == "/accounts/login/code/"
    code = live_sandbox.latest_code(live_sandbox.fan_email)
    response = client.post("/accounts/login/code/", {"code": code})
    assert response["Location"] == "/x/"
    assert client.session[FAN_KEY]["fan_id"] == live_sandbox.fan_id


def test_new_fan_registers_then_sets_a_password(client: Any, live_sandbox: Any) -> None:
    email = "newcomer@example.com"
    client.post("/accounts/login/", {"contact": email})
    client.post("/accounts/login/code/", {"code": live_sandbox.latest_code(email)})
    response = client.post("/accounts/register/", {"first_name": "New", "last_name": "Comer"})
    assert response.status_code == 302, response.content.decode()[:2000]
    fan_id = client.session[FAN_KEY]["fan_id"]
    profile = client.get("/accounts/profile/")
    assert profile.status_code == 200
    assert 'value="New"' in profile.content.decode()
    response = client.post(
        "/accounts/profile/password/",
        {"new_password": "a-good-password", "new_password_again": "a-good-password"},
    )
    assert response["Location"] == "/accounts/profile/"
    client.post("/accounts/logout/")
    response = client.post(
        "/accounts/login/password/", {"contact": email, "password": "a-good-password"}
    )
    assert response.status_code == 302
    assert client.session[FAN_KEY]["fan_id"] == fan_id


def test_terms_required_by_the_sandbox(client: Any, live_sandbox: Any) -> None:
    live_sandbox.require_terms()
    email = "careful@example.com"
    client.post("/accounts/login/", {"contact": email})
    client.post("/accounts/login/code/", {"code": live_sandbox.latest_code(email)})
    response = client.post("/accounts/register/", {"first_name": "C", "last_name": "F"})
    assert response.status_code == 200
    assert "Please accept the terms" in response.content.decode()
    response = client.post(
        "/accounts/register/", {"first_name": "C", "last_name": "F", "accept_terms": "on"}
    )
    assert response.status_code == 302
    assert FAN_KEY in client.session


def test_wrong_password_and_unknown_account_read_the_same(client: Any, live_sandbox: Any) -> None:
    wrong = client.post(
        "/accounts/login/password/", {"contact": live_sandbox.fan_email, "password": "nope-nope"}
    ).content.decode()
    unknown = client.post(
        "/accounts/login/password/", {"contact": "ghost@example.com", "password": "nope-nope"}
    ).content.decode()
    message = "That email or phone number and password do not match an account."
    assert message in wrong and message in unknown


def test_sms_login(client: Any, live_sandbox: Any) -> None:
    client.post("/accounts/login/", {"contact": live_sandbox.fan_phone})
    code = live_sandbox.latest_code(live_sandbox.fan_phone)
    client.post("/accounts/login/code/", {"code": code})
    assert client.session[FAN_KEY]["fan_id"] == live_sandbox.fan_id


def test_oauth_through_the_sandbox(client: Any, live_sandbox: Any) -> None:
    start = client.post("/accounts/oauth/start/", {"next": "/portal/"})
    provider = urlsplit(start["Location"])
    assert provider.path == "/sandbox/crm/oauth"
    # Play the provider's page with the same client (same host in tests).
    page = client.get(f"{provider.path}?{provider.query}")
    assert page.status_code == 200
    from urllib.parse import parse_qs

    params = {k: v[0] for k, v in parse_qs(provider.query).items()}
    response = client.post(
        provider.path, {**params, "step": "email", "email": live_sandbox.fan_email}
    )
    assert response.status_code == 200
    import re

    request_uid = re.search(r'name="request_uid" value="([^"]+)"', response.content.decode())[1]
    response = client.post(
        provider.path,
        {
            **params,
            "step": "code",
            "email": live_sandbox.fan_email,
            "request_uid": request_uid,
            "verification_code": live_sandbox.latest_code(live_sandbox.fan_email),
        },
    )
    back = urlsplit(response["Location"])
    assert back.path.startswith("/accounts/oauth/callback/")
    final = client.get(f"{back.path}?{back.query}")
    assert final["Location"] == "/portal/"
    assert client.session[FAN_KEY]["fan_id"] == live_sandbox.fan_id


@pytest.mark.parametrize("fault", ["/sessions/connect=503"])
def test_sandbox_fault_is_a_friendly_page(
    client: Any, live_sandbox: Any, settings: Any, fault: str
) -> None:
    settings.TBITS_SANDBOX_FAULTS = fault
    response = client.post("/accounts/login/", {"contact": live_sandbox.fan_email})
    assert response.status_code == 503


def test_an_old_login_cannot_set_a_password_until_the_fan_logs_in_again(
    client: Any, live_sandbox: Any
) -> None:
    """A phone left logged in must not let whoever holds it set a password of their own."""
    from accounts.api import get_client
    from tbits_client import Unauthorized

    client.post("/accounts/login/", {"contact": live_sandbox.fan_email})
    client.post("/accounts/login/code/", {"code": live_sandbox.latest_code(live_sandbox.fan_email)})
    age_login(client, 16 * 60)  # the window is 15 minutes by default

    page = client.get("/accounts/profile/").content.decode()
    assert 'action="/accounts/profile/password/"' not in page
    assert "a password can only be set in the first 15 minutes after you log in" in page
    assert 'action="/accounts/profile/log-in-again/"' in page

    taken = "someone-elses-password"
    refused = client.post(
        "/accounts/profile/password/", {"new_password": taken, "new_password_again": taken}
    )
    assert refused.status_code == 403
    assert taken not in refused.content.decode()
    with pytest.raises(Unauthorized):  # nothing reached the API
        get_client().connect_password(
            business_id=live_sandbox.business_id, email=live_sandbox.fan_email, password=taken
        )

    # Logging in again (here with the fan's own password) brings back the form.
    again = client.post("/accounts/profile/log-in-again/")
    assert again["Location"] == "/accounts/login/?next=%2Faccounts%2Fprofile%2F%23password-heading"
    assert FAN_KEY not in client.session
    login_page = client.get(again["Location"]).content.decode()
    assert "Log in again, then set your password." in login_page
    response = client.post(
        "/accounts/login/password/",
        {
            "contact": live_sandbox.fan_email,
            "password": live_sandbox.fan_password,
            "next": "/accounts/profile/#password-heading",
        },
    )
    assert response["Location"] == "/accounts/profile/#password-heading"
    page = client.get("/accounts/profile/").content.decode()
    assert 'action="/accounts/profile/password/"' in page
    response = client.post(
        "/accounts/profile/password/",
        {"new_password": "my-new-password", "new_password_again": "my-new-password"},
    )
    assert response["Location"] == "/accounts/profile/"
    assert (
        get_client()
        .connect_password(
            business_id=live_sandbox.business_id,
            email=live_sandbox.fan_email,
            password="my-new-password",
        )
        .session
    )


def test_a_password_window_of_zero_refuses_every_change(
    client: Any, live_sandbox: Any, settings: Any
) -> None:
    settings.TBITS = {**settings.TBITS, "PASSWORD_CHANGE_WINDOW": 0}
    client.post("/accounts/login/", {"contact": live_sandbox.fan_email})
    client.post("/accounts/login/code/", {"code": live_sandbox.latest_code(live_sandbox.fan_email)})
    page = client.get("/accounts/profile/").content.decode()
    assert "Passwords cannot be changed here." in page
    assert "log-in-again" not in page
    response = client.post(
        "/accounts/profile/password/",
        {"new_password": "abcdefgh1", "new_password_again": "abcdefgh1"},
    )
    assert response.status_code == 403


def test_difference_9_a_session_revoked_upstream_ends_at_the_next_check(
    client: Any, live_sandbox: Any
) -> None:
    """Revoked upstream, the fan's session ends within one check interval.

    website-integration.txt, "Session Management": "Once you have a session_uid, you can
    retrieve the session" (``GET /api/v1/sessions/{session_uid}``); api-reference.txt,
    Sessions: "Get existing Session using ID". The portal asks it; a session the API no
    longer has is one the fan must log in again for.
    """
    from tbits_sandbox.models import FanSession

    log_in_sandbox_fan(client, live_sandbox)
    session_uid = client.session[FAN_KEY]["session_uid"]
    # The quest board's calls are by fan_id: none of them would notice a revoked session.
    assert client.get("/portal/").status_code == 200
    FanSession.objects.filter(session_uid=session_uid).delete()  # revoked upstream
    assert client.get("/portal/").status_code == 200  # not asked again within the interval
    age_confirmation(client, 301)
    response = client.get("/portal/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fportal%2F"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Your session has expired. Please log in again."
    ]
    assert FAN_KEY not in client.session
