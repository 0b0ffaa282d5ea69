"""The provider's OAuth sign-in page and the code exchange."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from tbits_sandbox.models import Fan, OAuthCode

CALLBACK = "https://portal.example.com/accounts/oauth/callback/txn?lang=fr"


def authorize_url(api: Any, **overrides: str) -> str:
    params = {
        "account_id": api.seed.account_id,
        "business_id": api.seed.business_id,
        "login_type": "email",
        "redirect_url": CALLBACK,
        "state": "opaque-state",
        **overrides,
    }
    return f"/sandbox/crm/oauth?{urlencode(params)}"


def hidden_fields(html: str) -> dict[str, str]:
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html))
    return {name: value.replace("&amp;", "&") for name, value in fields.items()}


def sign_in(api: Any, outbox: Any, *, email: str, wrong_code: bool = False, **extra: str) -> Any:
    browser = Client()
    page = browser.get(authorize_url(api))
    assert page.status_code == 200
    asked = browser.post(authorize_url(api), {**hidden_fields(page.text), "email": email})
    assert asked.status_code == 200 and "Verification code" in asked.text
    code = outbox.latest_code(email)
    if wrong_code:
        code = f"{(int(code) + 1) % 100_000:05d}"
    form = {**hidden_fields(asked.text), "verification_code": code}
    return browser.post(authorize_url(api), {**form, **extra})


def callback_query(response: Any) -> dict[str, list[str]]:
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("https://portal.example.com/accounts/oauth/callback/txn?")
    return parse_qs(urlsplit(location).query)


def exchange(api: Any, code: str, *, redirect_url: str = CALLBACK) -> Any:
    return api.get(
        "crm/access_token",
        {"code": code, "account_id": api.seed.account_id, "redirect_url": redirect_url},
    )


def test_sign_in_redirects_with_a_code_that_exchanges_once(api: Any, outbox: Any) -> None:
    query = callback_query(sign_in(api, outbox, email=api.seed.fan_email))
    assert query["lang"] == ["fr"] and query["state"] == ["opaque-state"]
    session = exchange(api, query["code"][0])
    assert session.status_code == 200 and session.json()["fan_id"] == api.seed.fan_id
    replay = exchange(api, query["code"][0])
    assert replay.status_code == 400 and "already been used" in replay.json()["error"]


def test_code_is_bound_to_its_redirect_url(api: Any, outbox: Any) -> None:
    code = callback_query(sign_in(api, outbox, email=api.seed.fan_email))["code"][0]
    elsewhere = exchange(api, code, redirect_url="https://evil.example.com/cb")
    assert elsewhere.status_code == 400 and "redirect_url" in elsewhere.json()["error"]


def test_code_is_short_lived(api: Any, outbox: Any) -> None:
    code = callback_query(sign_in(api, outbox, email=api.seed.fan_email))["code"][0]
    record = OAuthCode.objects.get(code=code)
    assert record.expires_at - record.created <= dt.timedelta(minutes=5, seconds=1)
    OAuthCode.objects.filter(code=code).update(expires_at=timezone.now())
    assert "expired" in exchange(api, code).json()["error"]


def test_exchange_checks_account_and_a_sent_secret(api: Any, outbox: Any) -> None:
    code = callback_query(sign_in(api, outbox, email=api.seed.fan_email))["code"][0]
    wrong_account = api.get(
        "crm/access_token", {"code": code, "account_id": 5, "redirect_url": CALLBACK}
    )
    assert wrong_account.status_code == 400
    wrong_secret = api.http.get(
        "/sandbox/crm/access_token",
        {"code": code, "account_id": api.seed.account_id, "redirect_url": CALLBACK},
        HTTP_API_KEY=api.seed.api_key,
        HTTP_API_SECRET="not-the-secret",
    )
    assert wrong_secret.status_code == 401
    # The published example sends no secret at all; that is accepted.
    no_secret = api.get(
        "crm/access_token",
        {"code": code, "account_id": api.seed.account_id, "redirect_url": CALLBACK},
        secret=False,
    )
    assert no_secret.status_code == 200


def test_new_email_creates_the_fan(api: Any, outbox: Any) -> None:
    query = callback_query(sign_in(api, outbox, email="oauth-new@example.com"))
    fan_id = exchange(api, query["code"][0]).json()["fan_id"]
    assert Fan.objects.get(fan_id=fan_id).email == "oauth-new@example.com"


def test_wrong_code_shows_the_error_and_stays_on_the_page(api: Any, outbox: Any) -> None:
    wrong = sign_in(api, outbox, email=api.seed.fan_email, wrong_code=True)
    assert wrong.status_code == 400
    assert "incorrect" in wrong.text and 'role="alert"' in wrong.text


def test_cancel_redirects_with_an_error(api: Any) -> None:
    browser = Client()
    page = browser.get(authorize_url(api))
    answer = browser.post(authorize_url(api), {**hidden_fields(page.text), "cancel": "1"})
    assert callback_query(answer)["error"] == ["access_denied"]


@pytest.mark.parametrize(
    ("override", "problem"),
    [
        ({"account_id": "404"}, "Unknown account_id."),
        ({"business_id": "404"}, "Unknown business_id"),
        ({"redirect_url": "javascript:alert(1)"}, "redirect_url must be an absolute"),
        ({"redirect_url": "/relative"}, "redirect_url must be an absolute"),
        ({"login_type": "facebook"}, "login_type must be email."),
    ],
)
def test_a_bad_link_never_redirects(api: Any, override: dict[str, str], problem: str) -> None:
    answer = Client().get(authorize_url(api, **override))
    assert answer.status_code == 400 and problem in answer.text


def test_terms_checkbox_for_new_fans_when_required(api: Any, outbox: Any) -> None:
    from tbits_sandbox.models import Account

    Account.objects.update(terms_acceptance_required=True)
    refused = sign_in(api, outbox, email="terms-oauth@example.com")
    assert refused.status_code == 400 and "accept the terms" in refused.text
    accepted = sign_in(api, outbox, email="terms-oauth@example.com", is_accepted="1")
    assert "code" in callback_query(accepted)
    assert Fan.objects.get(email="terms-oauth@example.com").is_accepted_terms
