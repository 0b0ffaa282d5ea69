"""Ending the fan's session inside the club site leaves the club's member logged in.

The member logs in with the club's own login (django.contrib.auth); the same browser logs
in as a fan under /fans/ and uses the portal. The fan's logout, timeout or API expiry then
ends the fan's session only: the member stays logged in with the club's session data, the
fan is gone with every portal key, the session key and CSRF token are new, and the old
session cookie opens nothing.
"""

from __future__ import annotations

import time
from importlib import import_module
from typing import Any

from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.fan import SESSION_KEY as FAN_KEY
from tests.hostsite.site_tests.conftest import CLUB_PASSWORD, CLUB_USER
from tests.hostsite.users.views import PROFILE_VIEWS_KEY

PORTAL_PREFIXES = ("tbits_accounts.", "tbits_loyalty.")


def portal_keys(client: Client) -> set[str]:
    return {key for key in list(client.session.keys()) if key.startswith(PORTAL_PREFIXES)}


def member_and_fan(client: Client, live_sandbox: Any, site_user: Any) -> tuple[str, str]:
    """The member logged in, then the fan, who uses the portal; the session key and CSRF."""
    client.get(reverse("home"))  # the club page with the fan login button sets the CSRF cookie
    response = client.post(reverse("login"), {"username": CLUB_USER, "password": CLUB_PASSWORD})
    assert response["Location"] == "/profile/"
    assert client.get(reverse("profile")).status_code == 200
    response = client.post(
        reverse("tbits_accounts:password"),
        {"contact": live_sandbox.fan_email, "password": live_sandbox.fan_password},
    )
    assert response["Location"] == "/fans/"
    for name in ("dashboard", "wallet"):
        assert client.get(reverse(f"tbits_loyalty:{name}")).status_code == 200, name
    client.post(reverse("tbits_loyalty:business"), {"business_id": live_sandbox.business_id})
    # The loyalty app's own keys are there too, so their going away below means something.
    assert FAN_KEY in portal_keys(client)
    assert any(key.startswith("tbits_loyalty.") for key in portal_keys(client))
    assert client.session["_auth_user_id"] == str(site_user.pk)
    return client.session.session_key, client.cookies[settings.CSRF_COOKIE_NAME].value


def assert_member_stays_and_fan_is_gone(
    client: Client, site_user: Any, *, old_key: str, old_csrf: str
) -> None:
    assert portal_keys(client) == set()
    assert client.session["_auth_user_id"] == str(site_user.pk)
    assert client.session.session_key != old_key
    assert not import_module(settings.SESSION_ENGINE).SessionStore().exists(old_key)
    assert client.cookies[settings.CSRF_COOKIE_NAME].value not in ("", old_csrf)
    # The member is still logged in, with the club's session data (one profile view).
    profile = client.get(reverse("profile"))
    assert profile.status_code == 200
    assert "HC-0001" in profile.content.decode()
    assert client.session[PROFILE_VIEWS_KEY] == 2
    # The fan is not: the club page offers the fan login again; portal pages ask for it.
    home = client.get(reverse("home")).content.decode()
    assert "Log in with Tradable Bits" in home and 'class="tbits-points-badge"' not in home
    assert f'href="/profile/">{CLUB_USER}</a>' in home
    wallet = client.get(reverse("tbits_loyalty:wallet"))
    assert wallet["Location"].startswith("/fans/account/login/")
    # A copy of the old cookie opens neither the member's nor the fan's session.
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = old_key
    assert thief.get(reverse("profile"))["Location"] == "/login/?next=/profile/"
    assert thief.get(reverse("tbits_loyalty:wallet")).status_code == 302


def test_fan_logout_keeps_the_member_logged_in(
    client: Client, live_sandbox: Any, site_user: Any
) -> None:
    old_key, old_csrf = member_and_fan(client, live_sandbox, site_user)
    response = client.post(reverse("tbits_accounts:logout"))
    assert response["Location"] == "/fans/account/login/"
    assert_member_stays_and_fan_is_gone(client, site_user, old_key=old_key, old_csrf=old_csrf)


def test_fan_timeout_keeps_the_member_logged_in(
    client: Client, live_sandbox: Any, site_user: Any
) -> None:
    old_key, old_csrf = member_and_fan(client, live_sandbox, site_user)
    session = client.session
    session[FAN_KEY] = {**session[FAN_KEY], "last_seen": time.time() - 3 * 3600}
    session.save()
    home = client.get(reverse("home"))  # any page, the club's own included
    assert home.status_code == 200
    html = home.content.decode()
    assert "You were logged out to keep your account safe" in html.split('id="club-messages"')[1]
    assert f'href="/profile/">{CLUB_USER}</a>' in html
    assert_member_stays_and_fan_is_gone(client, site_user, old_key=old_key, old_csrf=old_csrf)


def test_api_expiry_keeps_the_member_logged_in(
    client: Client, live_sandbox: Any, site_user: Any
) -> None:
    old_key, old_csrf = member_and_fan(client, live_sandbox, site_user)
    session = client.session
    # The API no longer knows the fan's session (ended on the provider's side).
    session[FAN_KEY] = {**session[FAN_KEY], "session_uid": "ended-on-the-provider-side"}
    session.save()
    response = client.get(reverse("tbits_accounts:profile"))
    assert response.status_code == 302
    assert response["Location"] == "/fans/account/login/?next=%2Ffans%2Faccount%2Fprofile%2F"
    assert_member_stays_and_fan_is_gone(client, site_user, old_key=old_key, old_csrf=old_csrf)


def test_fan_logout_without_a_member_flushes_the_session(client: Client, live_sandbox: Any) -> None:
    response = client.post(
        reverse("tbits_accounts:password"),
        {"contact": live_sandbox.fan_email, "password": live_sandbox.fan_password},
    )
    assert response["Location"] == "/fans/"
    client.get(reverse("tbits_loyalty:wallet"))
    old_key = client.session.session_key
    assert FAN_KEY in portal_keys(client)
    client.post(reverse("tbits_accounts:logout"))
    # Nothing of anyone's is left: at most the "You have logged out." notice.
    assert set(client.session.keys()) <= {"_messages"}
    assert client.session.session_key != old_key
    assert not import_module(settings.SESSION_ENGINE).SessionStore().exists(old_key)


def test_the_members_own_logout_ends_the_fan_session_too(
    client: Client, live_sandbox: Any, site_user: Any
) -> None:
    member_and_fan(client, live_sandbox, site_user)
    # contrib.auth's logout flushes the whole session: the fan leaves with the member.
    assert client.post(reverse("logout")).status_code in (200, 302)
    assert portal_keys(client) == set()
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("tbits_loyalty:wallet"))["Location"].startswith(
        "/fans/account/login/"
    )
