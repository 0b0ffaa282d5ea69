"""When no login code was sent, the fan is told so on the same form; an unknown address is not.

Against the live sandbox. The sandbox, like the provider's Sessions/Connect steps, sends a
code to any well-formed address, with or without an account (a new fan registers after
the code): that answer is what keeps the page from telling a stranger about accounts.
Refusals come from the sandbox itself (its throttle, a business it does not hold) or from
its injected faults (``TBITS_SANDBOX_FAULTS``) for the statuses it has no other way to give.
"""

from __future__ import annotations

import socket
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.test import Client

from accounts.fan import SESSION_KEY as FAN_KEY
from accounts.flows.code_login import SESSION_KEY as FLOW_KEY
from tests.accounts.conftest import without_csrf

LOGIN = "/accounts/login/"
CODE = "/accounts/login/code/"
CONNECT_FAULT = r"/sessions/connect$"
REFUSED = "We could not send a code to this email address or phone number. Check it and try again."
UNAVAILABLE = "No code was sent: the login service is not available right now."
CODE_STEP = ("Enter your code", "We sent an email with a code", "We sent a text message")


def html_of(response: Any) -> str:
    return response.content.decode()


def assert_not_moved_on(client: Client, response: Any, typed: str) -> str:
    """The login form again, with what was typed, and no code step in the session."""
    html = html_of(response)
    assert 'action="/accounts/login/"' in html
    assert f'value="{typed}"' in html
    for text in CODE_STEP:
        assert text not in html
    assert FLOW_KEY not in client.session
    assert client.get(CODE)["Location"] == LOGIN
    return html


def sent_to(live_sandbox: Any, address: str) -> int:
    return sum(1 for message in live_sandbox.outbox(to=address) if message["code"])


def test_unknown_and_known_addresses_read_the_same(live_sandbox: Any) -> None:
    known, unknown = live_sandbox.fan_email, "f-nobody-here@example.com"
    pages = []
    for address in (known, unknown):
        client = Client()
        response = client.post(LOGIN, {"contact": address})
        assert response.status_code == 302 and response["Location"] == CODE
        pages.append(without_csrf(html_of(client.get(CODE))))
        # The sandbox really sent both a code: the step says nothing false.
        assert sent_to(live_sandbox, address) == 1
    assert pages[0] == pages[1]
    assert "We sent an email with a code to f***@example.com." in pages[0]


def test_unknown_address_goes_on_to_register_after_its_code(
    client: Client, live_sandbox: Any
) -> None:
    email = "brand-new-fan@example.com"
    client.post(LOGIN, {"contact": email})
    response = client.post(CODE, {"code": live_sandbox.latest_code(email)})
    assert response["Location"] == "/accounts/register/"


def test_address_refused_by_the_api_stays_on_the_form(
    client: Client, live_sandbox: Any, settings: Any
) -> None:
    settings.TBITS_SANDBOX_FAULTS = f"{CONNECT_FAULT}=400"
    response = client.post(LOGIN, {"contact": "+1 604 555 0199"})
    assert response.status_code == 200
    html = assert_not_moved_on(client, response, "+1 604 555 0199")
    assert REFUSED in html
    assert 'aria-invalid="true"' in html
    assert "Injected fault" not in html  # the sandbox's words are not the portal's


def test_rate_limited_by_the_api_keeps_the_form_and_says_when(
    live_sandbox: Any, settings: Any
) -> None:
    settings.TBITS_SANDBOX_THROTTLE_PER_KEY = 1
    email = live_sandbox.fan_email
    assert Client().post(LOGIN, {"contact": email}).status_code == 302
    client = Client()
    response = client.post(LOGIN, {"contact": email})
    assert response.status_code == 429
    seconds = int(response["Retry-After"])
    assert 1 <= seconds <= 60
    html = assert_not_moved_on(client, response, email)
    assert "No code was sent: too many requests right now. Please try again in" in html
    assert sent_to(live_sandbox, email) == 1


def test_rate_limited_by_the_portal_keeps_the_form(live_sandbox: Any, settings: Any) -> None:
    settings.TBITS = {**settings.TBITS, "RATE_LIMITS": {"code_request": "1/m/key"}}
    email = live_sandbox.fan_email
    assert Client().post(LOGIN, {"contact": email}).status_code == 302
    client = Client()
    response = client.post(LOGIN, {"contact": email})
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    assert_not_moved_on(client, response, email)
    assert sent_to(live_sandbox, email) == 1  # the second never reached the API


@pytest.mark.parametrize("status", [500, 503])
def test_api_down_keeps_the_form(
    client: Client, live_sandbox: Any, settings: Any, status: int
) -> None:
    settings.TBITS = {**settings.TBITS, "API_MAX_RETRIES": 0}
    settings.TBITS_SANDBOX_FAULTS = f"{CONNECT_FAULT}={status}"
    response = client.post(LOGIN, {"contact": live_sandbox.fan_email})
    assert response.status_code == 503
    assert UNAVAILABLE in assert_not_moved_on(client, response, live_sandbox.fan_email)
    assert sent_to(live_sandbox, live_sandbox.fan_email) == 0


def test_api_unreachable_keeps_the_form(client: Client, live_sandbox: Any, settings: Any) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.TBITS = {
        **settings.TBITS,
        "API_BASE_URL": f"http://127.0.0.1:{port}/sandbox/",
        "API_MAX_RETRIES": 0,
    }
    response = client.post(LOGIN, {"contact": "Fan@Example.com "})
    assert response.status_code == 503
    assert UNAVAILABLE in assert_not_moved_on(client, response, "Fan@Example.com ")


def test_a_refusal_of_the_portal_own_parameters_is_not_blamed_on_the_address(
    client: Client, live_sandbox: Any, settings: Any
) -> None:
    # A business the sandbox does not hold: it answers 400 naming business_id.
    settings.TBITS = {**settings.TBITS, "BUSINESS_ID": "999999"}
    caches["default"].clear()
    response = client.post(LOGIN, {"contact": live_sandbox.fan_email})
    assert response.status_code == 503
    html = assert_not_moved_on(client, response, live_sandbox.fan_email)
    assert UNAVAILABLE in html and REFUSED not in html


def test_refused_resend_keeps_the_code_already_sent(
    client: Client, live_sandbox: Any, settings: Any
) -> None:
    email = live_sandbox.fan_email
    client.post(LOGIN, {"contact": email})
    first = live_sandbox.latest_code(email)
    settings.TBITS_SANDBOX_FAULTS = f"{CONNECT_FAULT}=400"
    response = client.post(CODE, {"action": "resend"})
    assert response["Location"] == CODE
    assert [str(m) for m in get_messages(response.wsgi_request)] == [REFUSED]
    assert client.session[FLOW_KEY]["resends"] == 0  # nothing was sent, nothing counted
    settings.TBITS_SANDBOX_FAULTS = ""
    response = client.post(CODE, {"code": first})
    assert response.status_code == 302
    assert client.session[FAN_KEY]["fan_id"] == live_sandbox.fan_id
