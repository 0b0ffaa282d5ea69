"""The OAuth callback refuses a missing, foreign, reused or expired transaction value, and
does so before any API call: the code in the URL is never sent to the code exchange.

The provider documents no ``state``; the one-time value in the callback path is what binds
the callback to the browser that started the sign-in. The sandbox issues real codes (made
directly in its table, as its sign-in page would) and the fault proxy counts the exchange
calls that reach it. A positive control proves the count would see an exchange.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.fan import SESSION_KEY as FAN_KEY
from accounts.flows.oauth import TRANSACTION_TTL
from tests.reliability.conftest import Proxied

pytestmark = pytest.mark.django_db(transaction=True)

EXCHANGE = "/sandbox/crm/access_token"
REFUSED = "We could not sign you in"


def start(client: Client) -> str:
    """Start a sign-in in ``client``'s browser; the callback URL the provider will use."""
    response = client.post(reverse("tbits_accounts:oauth_start"))
    assert response.status_code == 302
    return parse_qs(urlsplit(response["Location"]).query)["redirect_url"][0]


def provider_code(proxied: Proxied, redirect_url: str) -> str:
    """A valid, unused code the sandbox issued for the demo fan and this redirect_url."""
    from tbits_sandbox.models import Account, Business, Fan, OAuthCode

    seed = proxied.sandbox
    record = OAuthCode.objects.create(
        code=secrets.token_urlsafe(32),
        account=Account.objects.get(account_id=seed.account_id),
        business=Business.objects.get(business_id=seed.business_id),
        fan=Fan.objects.get(fan_id=seed.fan_id),
        redirect_url=redirect_url,
        expires_at=timezone.now() + dt.timedelta(minutes=5),
    )
    return record.code


def exchanges(proxied: Proxied) -> int:
    return sum(1 for call in proxied.proxy.calls() if call.path == EXCHANGE)


def callback(client: Client, redirect_url: str, code: str) -> Any:
    return client.get(f"{urlsplit(redirect_url).path}?code={code}", follow=True)


def assert_refused(response: Any, client: Client) -> None:
    assert response.redirect_chain[-1][0] == reverse("tbits_accounts:login")
    assert REFUSED in response.content.decode()
    assert FAN_KEY not in client.session


def test_control_a_good_transaction_is_exchanged_once_and_logs_in(proxied: Proxied) -> None:
    client = Client()
    redirect_url = start(client)
    response = callback(client, redirect_url, provider_code(proxied, redirect_url))
    assert exchanges(proxied) == 1
    assert response.redirect_chain[-1][0] == reverse("tbits_loyalty:dashboard")
    assert client.session[FAN_KEY]["fan_id"] == proxied.sandbox.fan_id


def test_callback_without_a_transaction_is_refused_before_any_call(proxied: Proxied) -> None:
    client = Client()
    redirect_url = start(client)  # a real sign-in is pending in this browser...
    code = provider_code(proxied, redirect_url)
    # ...but the callback carries no transaction value at all,
    bare = reverse("tbits_accounts:login").replace("login/", "oauth/callback/")
    assert client.get(f"{bare}?code={code}").status_code == 404
    # or one this browser never started.
    never_issued = redirect_url.rsplit("/", 2)[0] + f"/{secrets.token_urlsafe(32)}/"
    assert_refused(callback(client, never_issued, code), client)
    assert exchanges(proxied) == 0


def test_callback_with_a_foreign_transaction_is_refused_before_any_call(proxied: Proxied) -> None:
    victim, attacker = Client(), Client()
    redirect_url = start(victim)
    start(attacker)  # the attacker's browser has sign-ins of its own pending
    # A callback URL started in one browser and followed in another (a stolen link, or a
    # login CSRF the other way round): the value is bound to the session that started it.
    assert_refused(callback(attacker, redirect_url, provider_code(proxied, redirect_url)), attacker)
    assert exchanges(proxied) == 0


def test_callback_with_a_reused_transaction_is_refused_before_any_call(proxied: Proxied) -> None:
    client = Client()
    redirect_url = start(client)
    code = provider_code(proxied, redirect_url)
    callback(client, redirect_url, code)
    assert exchanges(proxied) == 1
    # The replay comes from the same browser, even with a fresh, valid code.
    client.post(reverse("tbits_accounts:logout"))
    proxied.proxy.forget_calls()
    assert_refused(callback(client, redirect_url, provider_code(proxied, redirect_url)), client)
    assert exchanges(proxied) == 0


def test_callback_with_an_expired_transaction_is_refused_before_any_call(
    proxied: Proxied,
) -> None:
    client = Client()
    redirect_url = start(client)
    code = provider_code(proxied, redirect_url)
    session = client.session
    pending = session["tbits_accounts.oauth"]
    for record in pending.values():
        record["created_at"] -= TRANSACTION_TTL + 1  # started just over the TTL ago
    session["tbits_accounts.oauth"] = pending
    session.save()
    assert_refused(callback(client, redirect_url, code), client)
    assert exchanges(proxied) == 0
