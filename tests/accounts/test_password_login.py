"""Password login: success, and one generic message for every kind of failure.

Logins and refusals run against the live sandbox. ``responses`` stays for what the
sandbox cannot show or answer: the exact request sent (no API secret, the fan's IP), a 400,
a 404 or a 200 without a session, a ``Retry-After`` of 120 and a timeout.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests

from accounts.fan import SESSION_KEY as FAN_KEY
from accounts.flows.code_login import SESSION_KEY as FLOW_KEY
from tests.accounts.conftest import FakeApi, session_payload

pytestmark = pytest.mark.django_db

PASSWORD = "/accounts/login/password/"
GENERIC = "That email or phone number and password do not match an account."


def _set_demo_password(live_sandbox: Any, password: str) -> None:
    from django.contrib.auth.hashers import make_password

    from tbits_sandbox.models import Fan

    Fan.objects.filter(pk=live_sandbox.fan_id).update(password_hash=make_password(password))


def test_password_login(client: Any, live_sandbox: Any) -> None:
    _set_demo_password(live_sandbox, " pw with spaces ")  # passwords are not stripped
    old_key = client.session.session_key
    response = client.post(
        PASSWORD,
        {
            "contact": live_sandbox.fan_email.upper(),
            "password": " pw with spaces ",
            "next": "/portal/",
        },
    )
    assert response["Location"] == "/portal/"
    assert client.session[FAN_KEY]["fan_id"] == live_sandbox.fan_id
    assert client.session.session_key != old_key


def test_password_login_by_phone(client: Any, live_sandbox: Any) -> None:
    phone = live_sandbox.fan_phone
    typed = f"{phone[:2]} {phone[2:5]} {phone[5:8]} {phone[8:]}"  # +1 604 555 0123
    response = client.post(PASSWORD, {"contact": typed, "password": live_sandbox.fan_password})
    assert response.status_code == 302
    assert client.session[FAN_KEY]["fan_id"] == live_sandbox.fan_id


def test_what_a_password_login_sends(client: Any, api: FakeApi) -> None:
    api.connect("password", json=session_payload(fan_id=7))
    client.post(PASSWORD, {"contact": "Fan@example.com", "password": " pw with spaces "})
    (call,) = api.calls("password")
    assert call["email"] == "fan@example.com"
    assert call["password"] == " pw with spaces "
    assert call["business_id"] == "2002" and call["ip_address"] == "127.0.0.1"
    assert "Api-Secret" not in call["_headers"]


@pytest.mark.parametrize(
    ("contact", "password"),
    [("demo", "not-the-password"), ("ghost@example.com", "whatever1")],
    ids=["wrong-password", "unknown-account"],
)
def test_the_sandbox_refusals_read_the_same(
    client: Any, live_sandbox: Any, contact: str, password: str
) -> None:
    contact = live_sandbox.fan_email if contact == "demo" else contact
    response = client.post(PASSWORD, {"contact": contact, "password": password})
    html = response.content.decode()
    assert response.status_code == 200
    assert GENERIC in html
    assert f'value="{password}"' not in html  # the password is not echoed back
    assert FAN_KEY not in client.session


@pytest.mark.parametrize(
    "failure",
    [
        {"status": 401, "json": {"error": "Wrong password"}},
        {"status": 400, "json": {"error": "Unknown email"}},
        {"status": 404, "json": {"error": "not found"}},
        {"status": 200, "json": {"status": "login", "password": True}},
    ],
    ids=["401-with-words", "400", "404", "no-session"],
)
def test_every_failure_reads_the_same(client: Any, api: FakeApi, failure: dict[str, Any]) -> None:
    api.connect("password", **failure)
    response = client.post(PASSWORD, {"contact": "fan@example.com", "password": "x"})
    html = response.content.decode()
    assert response.status_code == 200
    assert GENERIC in html
    for leaked in ("Wrong password", "Unknown email", "not found"):
        assert leaked not in html
    assert 'value="x"' not in html  # the password is not echoed back
    assert FAN_KEY not in client.session


def test_password_page_prefills_from_the_code_flow(client: Any, live_sandbox: Any) -> None:
    email = live_sandbox.fan_email
    client.post("/accounts/login/", {"contact": email, "next": "/portal/q/"})
    html = client.get(PASSWORD).content.decode()
    assert f'value="{email}"' in html
    assert 'value="/portal/q/"' in html
    response = client.post(PASSWORD, {"contact": email, "password": live_sandbox.fan_password})
    assert response["Location"] == "/portal/q/"
    assert FLOW_KEY not in client.session


def test_password_rate_limited_locally(client: Any, api: FakeApi, settings: Any) -> None:
    settings.TBITS = {**settings.TBITS, "RATE_LIMITS": {"password_login": "2/5m/key"}}
    for _ in range(2):
        api.connect("password", status=401, json={"error": "no"})
        client.post(PASSWORD, {"contact": "fan@example.com", "password": "guess"})
    response = client.post(PASSWORD, {"contact": "FAN@example.com", "password": "guess"})
    assert response.status_code == 429
    assert len(api.calls("password")) == 2


def test_password_rate_limited_by_the_api(client: Any, api: FakeApi) -> None:
    api.connect("password", status=429, json={}, headers={"Retry-After": "120"})
    response = client.post(PASSWORD, {"contact": "fan@example.com", "password": "pw"})
    assert response.status_code == 429
    assert "Please wait 2 minutes, then try again." in response.content.decode()


def test_password_login_timeout(client: Any, api: FakeApi) -> None:
    api.connect("password", exception=requests.ReadTimeout("slow"))
    response = client.post(PASSWORD, {"contact": "fan@example.com", "password": "pw"})
    assert response.status_code == 503
    assert 'href="/accounts/login/password/"' in response.content.decode()


def test_password_form_errors_are_accessible(client: Any, api: FakeApi) -> None:
    html = client.post(PASSWORD, {"contact": "", "password": ""}).content.decode()
    assert 'aria-describedby="id_contact_error"' in html
    assert 'aria-describedby="id_password_error"' in html
    assert html.count("autofocus") == 1
    assert 'role="alert"' in html
    assert 'autocomplete="current-password"' in html
    assert "<title>Error: Log in with a password" in html


def test_password_is_a_sensitive_post_parameter(client: Any, api: FakeApi) -> None:
    from django.views.debug import SafeExceptionReporterFilter

    api.connect("password", json=session_payload())
    response = client.post(PASSWORD, {"contact": "fan@example.com", "password": "hunter22"})
    filtered = SafeExceptionReporterFilter().get_post_parameters(response.wsgi_request)
    assert filtered["password"] != "hunter22"
