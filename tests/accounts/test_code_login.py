"""Code login through the views: every branch of every step.

The steps the sandbox can play (codes sent, right and wrong codes, resends, registration
with and without terms) run against the live sandbox (``sandbox_start``), and are checked
by what the fan sees and what the sandbox recorded. ``responses`` (``start``) stays for the
answers it cannot give: the exact request sent (channel, IP, headers, fields), an address
refused with the API's words, a given ``Retry-After``, timeouts and transport errors,
malformed or unexpected answers (``status: login`` to a code or a registration), and a
401 to a code.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
import requests
from django.contrib.messages import get_messages

from accounts.fan import SESSION_KEY as FAN_KEY
from accounts.flows import code_login
from accounts.flows.code_login import SESSION_KEY as FLOW_KEY
from tests.accounts.conftest import FakeApi, session_payload

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
CODE = "/accounts/login/code/"
REGISTER = "/accounts/register/"


def start(
    client: Any,
    api: FakeApi,
    contact: str = "fan@example.com",
    *,
    next_url: str = "",
    network: str = "verify_email",
    answer: dict[str, Any] | None = None,
) -> Any:
    api.connect(network, json=answer or {"request_uid": "req-1", "message": "sent"})
    return client.post(LOGIN, {"contact": contact, "next": next_url})


def sandbox_start(client: Any, live_sandbox: Any, contact: str = "", *, next_url: str = "") -> str:
    """Ask the sandbox for a code for ``contact`` (the demo fan by default); returns the code."""
    contact = contact or live_sandbox.fan_email
    response = client.post(LOGIN, {"contact": contact, "next": next_url})
    assert response["Location"] == CODE, response.content.decode()[:500]
    return live_sandbox.latest_code(contact)


def wrong(code: str) -> str:
    """A well-formed code that is not ``code``."""
    return "11111" if code != "11111" else "22222"


def codes_sent_to(live_sandbox: Any, contact: str) -> int:
    """How many messages the sandbox sent to ``contact`` (the seed's included)."""
    return len(live_sandbox.outbox(to=contact))


def tries(client: Any) -> int:
    """How many tries the flow's current code has had (counted in the shared cache)."""
    return code_login.CodeLoginFlow(None, client.session[FLOW_KEY]).tries()  # type: ignore[arg-type]


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# -- step 1: asking for a code ------------------------------------------------------------


def test_login_page_shows_branding_and_the_ways_in(client: Any, branded_api: FakeApi) -> None:
    html = client.get(LOGIN).content.decode()
    assert "Welcome to the Fan Club" in html
    assert 'src="https://brand.example/logo.png"' in html
    assert 'href="https://brand.example/terms"' in html
    assert 'href="https://brand.example/privacy"' in html
    assert 'name="contact"' in html
    assert 'action="/accounts/oauth/start/"' in html
    assert 'href="/accounts/login/password/"' in html


def test_branding_is_cached(client: Any, branded_api: FakeApi) -> None:
    client.get(LOGIN)
    client.get(LOGIN)
    assert len(branded_api.requests_to("api/v1/status")) == 1


def test_login_page_without_oauth(client: Any, branded_api: FakeApi, settings: Any) -> None:
    settings.TBITS = {**settings.TBITS, "OAUTH_ENABLED": False}
    assert "oauth/start" not in client.get(LOGIN).content.decode()


def test_email_sends_a_code_by_email(client: Any, api: FakeApi, settings: Any) -> None:
    response = start(client, api, " Fan@Example.com ")
    assert response.status_code == 302 and response["Location"] == CODE
    (call,) = api.calls("verify_email")
    assert call["email"] == "fan@example.com"
    assert call["business_id"] == "2002"
    assert call["ip_address"] == "127.0.0.1"
    assert call["_headers"]["Api-Key"] == "unit-test-api-key"
    assert "Api-Secret" not in call["_headers"]
    state = client.session[FLOW_KEY]
    assert state["request_uid"] == "req-1" and tries(client) == 0


def test_phone_sends_a_code_by_sms(client: Any, api: FakeApi) -> None:
    start(client, api, "+1 604 555 0199", network="verify_sms")
    (call,) = api.calls("verify_sms")
    assert call["phone"] == "+16045550199"
    html = client.get(CODE).content.decode()
    assert "We sent a text message with a code to *** 0199." in html


def test_finding_2_one_phone_has_one_rate_limit_budget_however_typed(
    client: Any, api: FakeApi, settings: Any
) -> None:
    """Issue 17 finding 2: ``+16045552278`` and ``16045552278`` were two budgets."""
    settings.TBITS = {**settings.TBITS, "RATE_LIMITS": {"code_request": "2/10m/key"}}
    for _ in range(2):
        api.connect("verify_sms", json={"request_uid": "r", "message": "sent"})
    for typed in ("+16045552278", "16045552278"):
        assert client.post(LOGIN, {"contact": typed}).status_code == 302
    assert client.post(LOGIN, {"contact": "+1 (604) 555-2278"}).status_code == 429
    assert [call["phone"] for call in api.calls("verify_sms")] == ["+16045552278"] * 2


def test_client_ip_behind_proxy_is_forwarded(client: Any, api: FakeApi, settings: Any) -> None:
    settings.TBITS = {**settings.TBITS, "TRUSTED_PROXY_COUNT": 1}
    api.connect("verify_email", json={"request_uid": "r", "message": "m"})
    client.post(LOGIN, {"contact": "fan@example.com"}, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert api.calls("verify_email")[0]["ip_address"] == "198.51.100.7"


def test_invalid_contact_keeps_the_form(client: Any, api: FakeApi) -> None:
    api.status({})
    response = client.post(LOGIN, {"contact": "not-an-address"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid email address or phone number." in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_contact_error id_contact_help"' in html
    assert "autofocus" in html
    assert "<title>Error: Log in" in html
    assert api.calls() == []


def test_address_refused_by_the_api_stays_on_the_form(client: Any, api: FakeApi) -> None:
    # This used to show the "we sent you a code" step: no code was sent, so it may not.
    # Account existence is not what a 400 here says (the API sends codes to addresses
    # without an account too: tests/accounts/test_code_refusals.py checks it on the sandbox).
    api.connect("verify_email", status=400, json={"error": "email is not deliverable"})
    response = client.post(LOGIN, {"contact": "fan@example.com"})
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "We could not send a code to this email address or phone number. Check it and try "
        "again." in html
    )
    assert 'value="fan@example.com"' in html
    assert 'aria-invalid="true"' in html
    assert "not deliverable" not in html  # the API's words are not the portal's
    assert FLOW_KEY not in client.session
    # There is no code step to go to.
    assert client.get(CODE)["Location"] == LOGIN


def test_no_lookup_is_made(client: Any, api: FakeApi) -> None:
    start(client, api)
    assert api.calls("email") == [] and api.calls("phone") == []


def test_code_request_rate_limited_by_the_api(client: Any, api: FakeApi) -> None:
    api.connect("verify_email", status=429, json={"error": "slow"}, headers={"Retry-After": "30"})
    response = client.post(LOGIN, {"contact": "fan@example.com"})
    assert response.status_code == 429
    assert response["Retry-After"] == "30"
    assert "Please try again in 30 seconds." in response.content.decode()


def test_code_request_rate_limited_locally_per_address(
    client: Any, api: FakeApi, settings: Any
) -> None:
    settings.TBITS = {**settings.TBITS, "RATE_LIMITS": {"code_request": "2/m/key"}}
    for _ in range(2):
        start(client, api)
    response = client.post(LOGIN, {"contact": "fan@example.com"})
    assert response.status_code == 429
    assert len(api.calls("verify_email")) == 2  # the third never reached the API


@pytest.mark.parametrize(
    "failure",
    [
        {"exception": requests.ConnectTimeout("connect timed out")},
        {"exception": requests.ReadTimeout("read timed out")},
        {"status": 502, "json": {"error": "bad gateway"}},
        {"status": 200, "body": "<html>not json</html>"},
        {"status": 200, "json": {"unexpected": True}},
    ],
    ids=["connect-timeout", "read-timeout", "5xx", "not-json", "wrong-shape"],
)
def test_code_request_api_failure_is_a_503(
    client: Any, api: FakeApi, failure: dict[str, Any]
) -> None:
    # The form again with what the fan typed (it used to be the generic 503 page).
    api.connect("verify_email", **failure)
    response = client.post(LOGIN, {"contact": "fan@example.com"})
    assert response.status_code == 503
    html = response.content.decode()
    assert "No code was sent: the login service is not available right now." in html
    assert 'action="/accounts/login/"' in html and 'value="fan@example.com"' in html
    assert FLOW_KEY not in client.session


# -- step 2: the code ----------------------------------------------------------------------


def test_code_page_without_a_flow_restarts(client: Any, api: FakeApi) -> None:
    response = client.get(CODE)
    assert response["Location"] == LOGIN
    assert messages_of(response) == [
        "Your login took too long or was interrupted. Please start again."
    ]
    assert client.post(CODE, {"code": "12345"})["Location"] == LOGIN
    assert api.calls() == []


def test_code_field_is_accessible(client: Any, live_sandbox: Any) -> None:
    sandbox_start(client, live_sandbox)
    html = client.get(CODE).content.decode()
    assert 'autocomplete="one-time-code"' in html
    assert 'inputmode="numeric"' in html
    assert '<label for="id_code">' in html
    assert "<title>Enter your code" in html
    assert "autofocus" in html


def test_good_code_for_a_known_fan_logs_in(client: Any, live_sandbox: Any) -> None:
    code = sandbox_start(client, live_sandbox, next_url="/portal/rewards/")
    old_session_key = client.session.session_key
    response = client.post(CODE, {"code": code})
    assert response.status_code == 302
    assert response["Location"] == "/portal/rewards/"
    session = client.session
    assert session.session_key != old_session_key
    assert session[FAN_KEY]["fan_id"] == live_sandbox.fan_id
    assert session[FAN_KEY]["session_uid"]
    assert FLOW_KEY not in session


def test_spaces_in_the_code_are_ignored(client: Any, live_sandbox: Any) -> None:
    code = sandbox_start(client, live_sandbox)
    client.post(CODE, {"code": f" {code[:2]} {code[2:]} "})
    assert client.session[FAN_KEY]["fan_id"] == live_sandbox.fan_id


def test_letters_are_not_a_code(client: Any, live_sandbox: Any) -> None:
    sandbox_start(client, live_sandbox)
    response = client.post(CODE, {"code": "abcde"})
    assert "Enter the code from the message, digits only." in response.content.decode()
    assert tries(client) == 0


def test_unsafe_next_is_dropped(client: Any, live_sandbox: Any) -> None:
    code = sandbox_start(client, live_sandbox, next_url="https://evil.example/steal")
    assert client.post(CODE, {"code": code})["Location"] == "/portal/"


def test_wrong_code_says_so_and_keeps_the_step(client: Any, live_sandbox: Any) -> None:
    code = sandbox_start(client, live_sandbox)
    response = client.post(CODE, {"code": wrong(code)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "That code is not right. Check the message and try again." in html
    assert 'aria-invalid="true"' in html
    assert "incorrect" not in html  # the API's words are not echoed
    assert tries(client) == 1
    assert FAN_KEY not in client.session


def test_401_on_submit_is_a_wrong_code_too(client: Any, api: FakeApi) -> None:
    start(client, api)
    api.connect("submit_verification_code", status=401, json={"error": "nope"})
    assert "That code is not right" in client.post(CODE, {"code": "11111"}).content.decode()


def test_three_wrong_codes_kill_the_code(client: Any, live_sandbox: Any) -> None:
    code = sandbox_start(client, live_sandbox)
    client.post(CODE, {"code": wrong(code)})
    client.post(CODE, {"code": wrong(code)})
    third = client.post(CODE, {"code": wrong(code)}).content.decode()
    assert "That code was entered wrongly too many times. Ask for a new code." in third
    # Even the right code now: the 4th try never reaches the API, so nobody logs in.
    fourth = client.post(CODE, {"code": code})
    assert "entered wrongly too many times" in fourth.content.decode()
    assert FAN_KEY not in client.session
    page = client.get(CODE).content.decode()
    assert 'name="code"' not in page
    assert "Send me a new code" in page


def test_expired_code_is_dead_locally(
    client: Any, live_sandbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = sandbox_start(client, live_sandbox)
    later = time.time() + 10 * 60 + 1
    monkeypatch.setattr(code_login.time, "time", lambda: later)
    # The right code, which the sandbox (on its own clock) would still take: not sent.
    response = client.post(CODE, {"code": code})
    assert "This code has expired. Ask for a new code below." in response.content.decode()
    assert FAN_KEY not in client.session
    assert "This code has expired" in client.get(CODE).content.decode()


def test_code_submit_timeout_is_a_503_and_counts(client: Any, api: FakeApi) -> None:
    start(client, api)
    api.connect("submit_verification_code", exception=requests.ReadTimeout("slow"))
    response = client.post(CODE, {"code": "49270"})
    assert response.status_code == 503
    assert 'href="/accounts/login/code/"' in response.content.decode()
    assert tries(client) == 1


def test_code_submit_rate_limited_by_the_api(client: Any, api: FakeApi) -> None:
    start(client, api)
    api.connect("submit_verification_code", status=429, json={}, headers={"Retry-After": "9"})
    response = client.post(CODE, {"code": "49270"})
    assert response.status_code == 429 and response["Retry-After"] == "9"


def test_code_submit_rate_limited_locally(client: Any, api: FakeApi, settings: Any) -> None:
    settings.TBITS = {**settings.TBITS, "RATE_LIMITS": {"code_submit": "1/m/key"}}
    start(client, api)
    api.connect("submit_verification_code", status=400, json={"error": "x"})
    client.post(CODE, {"code": "11111"})
    assert client.post(CODE, {"code": "22222"}).status_code == 429


def test_malformed_submit_answer_is_a_503(client: Any, api: FakeApi) -> None:
    start(client, api)
    api.connect("submit_verification_code", json={"status": "login"})
    assert client.post(CODE, {"code": "49270"}).status_code == 503
    assert FAN_KEY not in client.session


def test_resend_sends_a_new_code_and_resets_attempts(client: Any, live_sandbox: Any) -> None:
    before = codes_sent_to(live_sandbox, live_sandbox.fan_email)
    code = sandbox_start(client, live_sandbox)
    client.post(CODE, {"code": wrong(code)})
    first_request = client.session[FLOW_KEY]["request_uid"]
    response = client.post(CODE, {"action": "resend"})
    assert response["Location"] == CODE
    assert messages_of(response) == ["We sent you a new code."]
    state = client.session[FLOW_KEY]
    assert state["request_uid"] != first_request
    assert tries(client) == 0 and state["resends"] == 1
    assert codes_sent_to(live_sandbox, live_sandbox.fan_email) - before == 2
    client.post(CODE, {"code": live_sandbox.latest_code(live_sandbox.fan_email)})
    assert client.session[FAN_KEY]["fan_id"] == live_sandbox.fan_id


def test_resend_is_capped(client: Any, live_sandbox: Any) -> None:
    before = codes_sent_to(live_sandbox, live_sandbox.fan_email)
    sandbox_start(client, live_sandbox)
    for _ in range(3):
        client.post(CODE, {"action": "resend"})
    response = client.post(CODE, {"action": "resend"})
    assert messages_of(response)[-1:] == [
        "You have asked for the maximum number of codes. Use your password or another email "
        "or phone number."
    ]
    assert codes_sent_to(live_sandbox, live_sandbox.fan_email) - before == 4
    html = client.get(CODE).content.decode()
    assert 'value="resend"' not in html
    assert "Use my password instead" in html


# -- step 3: registration --------------------------------------------------------------------


NEW_FAN = "newcomer@example.com"


def sandbox_new_fan(client: Any, live_sandbox: Any) -> None:
    """A new address whose code the sandbox verified: the registration step is open."""
    code = sandbox_start(client, live_sandbox, NEW_FAN)
    assert client.post(CODE, {"code": code})["Location"] == REGISTER


def verified_new_fan(client: Any, api: FakeApi, *, next_url: str = "") -> None:
    start(client, api, "new@example.com", next_url=next_url)
    api.connect(
        "submit_verification_code", json={"status": "register", "verification_uid": "ver-9"}
    )
    response = client.post(CODE, {"code": "49270"})
    assert response["Location"] == REGISTER


def test_register_needs_a_verified_code_first(client: Any, live_sandbox: Any) -> None:
    from tbits_sandbox.models import Fan

    assert client.get(REGISTER)["Location"] == LOGIN
    code = sandbox_start(client, live_sandbox, NEW_FAN)
    # A code was sent but not verified: registration is refused, no fan is created.
    response = client.post(REGISTER, {"first_name": "Jane", "last_name": "Doe"})
    assert response["Location"] == LOGIN
    assert not Fan.objects.filter(email=NEW_FAN).exists()
    # And the code page sends a verified flow on to registration.
    client.post(CODE, {"code": code})
    assert client.get(CODE)["Location"] == REGISTER


def test_new_fan_registers_without_verifying_twice(client: Any, api: FakeApi) -> None:
    api.status({})
    verified_new_fan(client, api, next_url="/portal/")
    html = client.get(REGISTER).content.decode()
    assert "<title>Create your account" in html
    assert 'autocomplete="given-name"' in html
    assert 'name="accept_terms"' not in html  # the account has no terms
    api.connect("register", json=session_payload(fan_id=88))
    response = client.post(REGISTER, {"first_name": "Jane", "last_name": "Doe"})
    assert response["Location"] == "/portal/"
    (call,) = api.calls("register")
    assert call["request_uid"] == "req-1"
    assert call["verification_uid"] == "ver-9"
    assert call["email"] == "new@example.com"
    assert (call["first_name"], call["last_name"]) == ("Jane", "Doe")
    assert "is_accepted" not in call
    assert client.session[FAN_KEY]["fan_id"] == 88


def test_branding_terms_alone_do_not_add_a_checkbox(client: Any, branded_api: FakeApi) -> None:
    verified_new_fan(client, branded_api)
    assert 'name="accept_terms"' not in client.get(REGISTER).content.decode()


def test_terms_required_by_the_api(client: Any, live_sandbox: Any) -> None:
    from tbits_sandbox.models import Fan

    live_sandbox.require_terms()
    sandbox_new_fan(client, live_sandbox)
    response = client.post(REGISTER, {"first_name": "Jane", "last_name": "Doe"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Please accept the terms to create your account." in html
    assert "points have no cash value" in html and 'name="accept_terms"' in html
    assert FAN_KEY not in client.session
    response = client.post(
        REGISTER, {"first_name": "Jane", "last_name": "Doe", "accept_terms": "on"}
    )
    assert response.status_code == 302
    fan = Fan.objects.get(email=NEW_FAN)
    assert client.session[FAN_KEY]["fan_id"] == fan.pk and fan.is_accepted_terms


def test_register_answering_login_sends_the_fan_to_log_in(client: Any, api: FakeApi) -> None:
    api.status({})
    verified_new_fan(client, api)
    api.connect("register", json={"status": "login"})
    response = client.post(REGISTER, {"first_name": "Jane", "last_name": "Doe"})
    assert response["Location"] == LOGIN
    assert messages_of(response) == ["Your account is ready. Please log in to continue."]
    assert FLOW_KEY not in client.session and FAN_KEY not in client.session


def test_register_refused_by_the_api(client: Any, api: FakeApi) -> None:
    api.status({})
    verified_new_fan(client, api)
    api.connect("register", status=400, json={"error": "first_name too long"})
    html = client.post(REGISTER, {"first_name": "Jane", "last_name": "Doe"}).content.decode()
    assert "We could not create your account with these details." in html
    assert "too long" not in html


def test_register_missing_names(client: Any, live_sandbox: Any) -> None:
    from tbits_sandbox.models import Fan

    sandbox_new_fan(client, live_sandbox)
    html = client.post(REGISTER, {"first_name": "", "last_name": ""}).content.decode()
    assert 'id="id_first_name_error"' in html and 'id="id_last_name_error"' in html
    # Focus goes to the first field in error only.
    assert html.count("autofocus") == 1
    assert not Fan.objects.filter(email=NEW_FAN).exists()


def test_register_step_expires(
    client: Any, live_sandbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tbits_sandbox.models import Fan

    sandbox_new_fan(client, live_sandbox)
    later = time.time() + 11 * 60
    monkeypatch.setattr(code_login.time, "time", lambda: later)
    response = client.post(REGISTER, {"first_name": "Jane", "last_name": "Doe"})
    assert response["Location"] == LOGIN
    assert not Fan.objects.filter(email=NEW_FAN).exists()


def test_register_timeout_is_a_503(client: Any, api: FakeApi) -> None:
    api.status({})
    verified_new_fan(client, api)
    api.connect("register", exception=requests.ConnectionError("refused"))
    assert client.post(REGISTER, {"first_name": "J", "last_name": "D"}).status_code == 503


def test_abandoned_flow_is_forgotten(
    client: Any, live_sandbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox_start(client, live_sandbox)
    later = time.time() + 2 * 3600
    monkeypatch.setattr(code_login.time, "time", lambda: later)
    assert client.get(CODE)["Location"] == LOGIN


def test_logged_in_fan_skips_the_login_page(client: Any) -> None:
    from tests.accounts.conftest import log_in

    log_in(client)
    assert client.get(f"{LOGIN}?next=/portal/x/")["Location"] == "/portal/x/"
    assert client.get(f"{LOGIN}?next=//evil.example/")["Location"] == "/portal/"


def test_the_code_is_never_written_back_into_the_page(client: Any, live_sandbox: Any) -> None:
    typed = wrong(sandbox_start(client, live_sandbox))
    response = client.post(CODE, {"code": typed})
    assert typed not in response.content.decode()


def test_code_is_a_sensitive_post_parameter(client: Any, live_sandbox: Any) -> None:
    from django.views.debug import SafeExceptionReporterFilter

    typed = wrong(sandbox_start(client, live_sandbox))
    response = client.post(CODE, {"code": typed})
    filtered = SafeExceptionReporterFilter().get_post_parameters(response.wsgi_request)
    assert filtered["code"] != typed
