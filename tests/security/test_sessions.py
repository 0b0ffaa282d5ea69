"""Sessions: new id and CSRF token at login, nothing left after logout, no acting as another.

Against the seeded sandbox, through the real login forms: password, code and OAuth.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.backends.cached_db import SessionStore
from django.test import Client
from django.urls import reverse

from tests.reliability.conftest import Proxied
from tests.security.test_oauth_callback import provider_code

pytestmark = pytest.mark.django_db(transaction=True)

FAN_KEY = "tbits_accounts.fan"


def session_id(client: Client) -> str:
    return client.cookies[django_settings.SESSION_COOKIE_NAME].value


def csrf_token(client: Client) -> str:
    return client.cookies[django_settings.CSRF_COOKIE_NAME].value


def by_password(proxied: Proxied, client: Client) -> None:
    seed = proxied.sandbox
    response = client.post(
        reverse("tbits_accounts:password"),
        {"contact": seed.fan_email, "password": seed.fan_password},
    )
    assert response.status_code == 302


def by_code(proxied: Proxied, client: Client) -> None:
    email = proxied.sandbox.fan_email
    client.post(reverse("tbits_accounts:login"), {"contact": email})
    code = proxied.sandbox.latest_code(email)
    assert client.post(reverse("tbits_accounts:code"), {"code": code}).status_code == 302


def by_oauth(proxied: Proxied, client: Client) -> None:
    response = client.post(reverse("tbits_accounts:oauth_start"))
    redirect_url = parse_qs(urlsplit(response["Location"]).query)["redirect_url"][0]
    client.get(f"{urlsplit(redirect_url).path}?code={provider_code(proxied, redirect_url)}")


WAYS_IN: dict[str, Callable[[Proxied, Client], None]] = {
    "password": by_password,
    "code": by_code,
    "oauth": by_oauth,
}


@pytest.mark.parametrize("way", WAYS_IN)
def test_login_gives_a_new_session_id_and_csrf_token(proxied: Proxied, way: str) -> None:
    client = Client()
    client.get(reverse("tbits_accounts:login"))
    # The visitor already has a session (an attacker may have planted it) before logging in.
    client.post(reverse("tbits_accounts:login"), {"contact": "someone@example.com"})
    before_session, before_csrf = session_id(client), csrf_token(client)
    WAYS_IN[way](proxied, client)
    assert client.session[FAN_KEY]["fan_id"] == proxied.sandbox.fan_id
    assert session_id(client) != before_session
    assert csrf_token(client) != before_csrf
    # The planted id is not logged in.
    assert FAN_KEY not in SessionStore(session_key=before_session).load()


def test_the_old_session_id_is_anonymous_after_logout(proxied: Proxied) -> None:
    client = Client()
    by_password(proxied, client)
    old = session_id(client)
    assert client.get(reverse("tbits_loyalty:dashboard")).status_code == 200
    assert client.post(reverse("tbits_accounts:logout")).status_code == 302
    # Someone who kept the old cookie (a shared phone, a copied cookie) gets nothing.
    replay = Client()
    replay.cookies[django_settings.SESSION_COOKIE_NAME] = old
    response = replay.get(reverse("tbits_loyalty:wallet"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("tbits_accounts:login"))
    assert SessionStore(session_key=old).load() == {}
    assert replay.get(reverse("tbits_accounts:profile")).status_code == 302


def test_logout_needs_a_post(proxied: Proxied) -> None:
    client = Client()
    by_password(proxied, client)
    assert client.get(reverse("tbits_accounts:logout")).status_code == 405
    assert FAN_KEY in client.session


def _other_fan(proxied: Proxied) -> int:
    other = proxied.sandbox.other_fan_ids[0]
    assert other != proxied.sandbox.fan_id
    return int(other)


def test_a_fan_cannot_complete_a_quest_for_another_fan(proxied: Proxied) -> None:
    from tbits_sandbox.models import FanActivity

    client = Client()
    by_password(proxied, client)
    other = _other_fan(proxied)
    quest = int(proxied.sandbox.quests["Members' lounge tour"])
    before = FanActivity.objects.filter(fan_id=other).count()
    url = reverse("tbits_loyalty:complete", args=[quest])
    response = client.post(
        f"{url}?fan_id={other}&fan={other}", {"fan_id": other, "fan": other, "fan_uid": other}
    )
    assert response.status_code == 302
    assert FanActivity.objects.filter(fan_id=other).count() == before
    mine = FanActivity.objects.filter(fan_id=proxied.sandbox.fan_id, page_tab_id=quest)
    assert mine.count() == 1


def _without_per_request_values(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'nonce="[^"]+"', "", html)


def test_a_fan_cannot_read_another_fans_data_by_adding_an_id(proxied: Proxied) -> None:
    client = Client()
    by_password(proxied, client)
    other = _other_fan(proxied)
    for page in ("wallet", "history", "dashboard", "leaderboard", "quests"):
        url = reverse(f"tbits_loyalty:{page}")
        # The first visits mark new rewards as seen (a reward the sandbox delivered during the
        # first one is new on the second): compare later ones.
        client.get(url)
        client.get(url)
        own = client.get(url)
        tampered = client.get(url, {"fan_id": other, "fan": other, "business_id": 1})
        assert tampered.status_code == own.status_code == 200
        assert _without_per_request_values(tampered.content.decode()) == (
            _without_per_request_values(own.content.decode())
        ), page


def test_a_fan_cannot_pick_a_business_the_portal_does_not_offer(proxied: Proxied) -> None:
    client = Client()
    by_password(proxied, client)
    response = client.post(reverse("tbits_loyalty:business"), {"business_id": "999999"})
    assert response.status_code == 200
    assert "tbits_loyalty.business_id" not in client.session


def test_urls_name_no_fan(settings: Any) -> None:
    # The only ids in the portal's URLs are quests and signed scan tokens: the fan is
    # always the session's. A new pattern with a fan id in it fails here.
    from tests.security.test_csrf import site_urls

    for url in site_urls():
        assert "fan" not in url.lower() or url.startswith("/accounts/"), url
