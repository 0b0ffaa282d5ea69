"""The fan's session: request.fan, timeouts, login protection and logout.

The demo project has no site users: its sessions hold only the fan's keys, and ending the
fan's session flushes them. A site's own keys next to the fan's (faked here with a basket
key; tests/hostsite does it with a real django.contrib.auth login) must survive it.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.messages import get_messages
from django.contrib.sessions.backends.cache import SessionStore
from django.test import Client, RequestFactory

from accounts.fan import SESSION_KEY, is_fan_session_key, login_fan
from accounts.flows.code_login import SESSION_KEY as FLOW_KEY
from accounts.flows.oauth import SESSION_KEY as OAUTH_KEY
from loyalty.portal_visit import _VISIT_SESSION_KEY as VISIT_KEY
from loyalty.selectors import BUSINESS_SESSION_KEY
from loyalty.views import REWARDS_SEEN_KEY
from tests.accounts.conftest import log_in

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.urls")]

#: Every key the portal's apps keep in the session: all of them are the fan's.
PORTAL_STATE = {
    FLOW_KEY: {"stage": "code"},
    OAUTH_KEY: {"t-1": {"next": "/"}},
    BUSINESS_SESSION_KEY: "2002",
    REWARDS_SEEN_KEY: "2026-01-01T00:00:00+00:00",
    VISIT_KEY: "2002:501",
}
#: What the site keeps in the same session (a basket, in a shop).
SITE_KEY = "shop.basket"
OLD_CSRF = "a" * 32


def log_in_with_portal_state(client: Client, *, site_data: bool, **kwargs: Any) -> str:
    """A fan with every portal key, next to the site's own basket when ``site_data``."""
    log_in(client, **kwargs)
    session = client.session
    session.update(PORTAL_STATE)
    if site_data:
        session[SITE_KEY] = ["scarf", "mug"]
    session.save()
    client.cookies[django_settings.CSRF_COOKIE_NAME] = OLD_CSRF
    return session.session_key


def assert_only_the_fan_left(client: Client, response: Any, old_key: str) -> None:
    """No portal key, a new session key, the old one dead, a new CSRF token."""
    session = client.session
    assert not [key for key in list(session.keys()) if is_fan_session_key(key)], dict(session)
    assert session.session_key != old_key
    store = import_module(django_settings.SESSION_ENGINE).SessionStore()
    assert not store.exists(old_key)  # a copied cookie opens nothing
    assert response.cookies[django_settings.CSRF_COOKIE_NAME].value not in ("", OLD_CSRF)
    thief = Client()
    thief.cookies[django_settings.SESSION_COOKIE_NAME] = old_key
    assert thief.get("/whoami/").content == b"anonymous"


def test_every_portal_session_key_is_the_fans() -> None:
    assert all(is_fan_session_key(key) for key in [SESSION_KEY, *PORTAL_STATE])
    assert not any(is_fan_session_key(key) for key in [SITE_KEY, "_auth_user_id", "tbits"])


def test_no_cookie_means_anonymous(client: Any) -> None:
    assert client.get("/whoami/").content == b"anonymous"


def test_logged_in_fan_is_on_the_request(client: Any) -> None:
    log_in(client, fan_id=77)
    assert client.get("/whoami/").content == b"fan 77"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"idle_for": 3 * 3600},  # idle timeout: 2 hours
        {"logged_in_ago": 13 * 3600},  # absolute timeout: 12 hours
        {"expires_in": -5},  # the API session's own expiry
    ],
    ids=["idle", "absolute", "api-expiry"],
)
@pytest.mark.parametrize("site_data", [False, True], ids=["fan-only", "with-site-data"])
def test_timeouts_end_the_session(client: Any, kwargs: dict[str, float], site_data: bool) -> None:
    old_key = log_in_with_portal_state(client, site_data=site_data, **kwargs)
    response = client.get("/whoami/")
    assert response.content == b"anonymous"
    assert_only_the_fan_left(client, response, old_key)
    # Fan only: flushed, nothing but the notice is left. Otherwise the site's data stays.
    expected = {"_messages", SITE_KEY} if site_data else {"_messages"}
    assert set(client.session.keys()) == expected
    if site_data:
        assert client.session[SITE_KEY] == ["scarf", "mug"]
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "You were logged out to keep your account safe. Please log in again."
    ]


def test_timeouts_are_configurable(client: Any, settings: Any) -> None:
    settings.TBITS = {**settings.TBITS, "SESSION_IDLE_TIMEOUT": 60}
    log_in(client, idle_for=120)
    assert client.get("/whoami/").content == b"anonymous"


def test_activity_moves_the_idle_clock(client: Any) -> None:
    log_in(client, idle_for=90 * 60)
    assert client.get("/whoami/").content == b"fan 501"
    assert client.session[SESSION_KEY]["last_seen"] > client.session[SESSION_KEY]["logged_in_at"]


def test_login_rotates_session_key_and_csrf_token() -> None:
    request = RequestFactory().get("/")
    request.session = SessionStore()
    request.session["other"] = "kept"
    request.session.save()
    old_key = request.session.session_key
    request.META["CSRF_COOKIE"] = "x" * 32
    fan = login_fan(request, session_uid="uid-9", fan_id=9, expires_at=None)
    assert request.session.session_key != old_key
    assert request.META.get("CSRF_COOKIE_NEEDS_UPDATE") is True
    assert request.session["other"] == "kept"
    assert request.session[SESSION_KEY]["session_uid"] == "uid-9"
    assert "uid-9" not in repr(fan)


def test_session_uid_is_not_in_the_cookie(client: Any) -> None:
    log_in(client, session_uid="very-secret-session-uid")
    response = client.get("/whoami/")
    for morsel in list(client.cookies.values()) + list(response.cookies.values()):
        assert "very-secret-session-uid" not in morsel.value


@pytest.mark.parametrize("path", ["/protected/", "/protected-cbv/"])
def test_anonymous_fans_are_sent_to_login_with_next(client: Any, path: str) -> None:
    response = client.get(f"{path}?tab=rewards")
    assert response.status_code == 302
    assert (
        response["Location"] == f"/accounts/login/?next={path.replace('/', '%2F')}%3Ftab%3Drewards"
    )


def test_protected_page_for_a_fan(client: Any) -> None:
    log_in(client, fan_id=5)
    assert client.get("/protected/").content == b"secret page of fan 5"
    assert client.get("/protected-cbv/").status_code == 200


def test_logout_is_post_only(client: Any) -> None:
    log_in(client)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.get("/whoami/").content == b"fan 501"


def test_logout_of_a_fan_only_session_flushes_it(client: Any) -> None:
    old_key = log_in_with_portal_state(client, site_data=False)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert_only_the_fan_left(client, response, old_key)
    assert set(client.session.keys()) == {"_messages"}  # "You have logged out."
    assert client.get("/whoami/").content == b"anonymous"


def test_logout_keeps_the_sites_own_data(client: Any) -> None:
    old_key = log_in_with_portal_state(client, site_data=True)
    response = client.post("/accounts/logout/")
    assert response["Location"] == "/accounts/login/"
    assert_only_the_fan_left(client, response, old_key)
    assert set(client.session.keys()) == {SITE_KEY, "_messages"}
    assert client.session[SITE_KEY] == ["scarf", "mug"]
    assert client.get("/whoami/").content == b"anonymous"
    # The basket survived in the session the browser now holds, not in a stale copy.
    assert client.cookies[django_settings.SESSION_COOKIE_NAME].value == client.session.session_key


def test_logout_needs_csrf(db: Any) -> None:
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    log_in(strict)
    assert strict.post("/accounts/logout/").status_code == 403
    assert strict.get("/whoami/").content == b"fan 501"


def test_logout_redirect_is_configurable(client: Any, settings: Any) -> None:
    settings.TBITS = {**settings.TBITS, "LOGOUT_REDIRECT_URL": "/bye/"}
    log_in(client)
    assert client.post("/accounts/logout/")["Location"] == "/bye/"


def test_logged_in_signal(client: Any) -> None:
    from accounts.signals import fan_logged_in, fan_logged_out

    seen: list[str] = []

    def on_in(**kwargs: Any) -> None:
        seen.append(f"in {kwargs['fan'].fan_id}")

    def on_out(**kwargs: Any) -> None:
        seen.append(f"out {kwargs['fan'].fan_id}")

    fan_logged_in.connect(on_in)
    fan_logged_out.connect(on_out)
    try:
        request = RequestFactory().get("/")
        request.session = SessionStore()
        login_fan(request, session_uid="u", fan_id=3, expires_at=None)
        log_in(client, fan_id=4)
        client.post("/accounts/logout/")
    finally:
        fan_logged_in.disconnect(on_in)
        fan_logged_out.disconnect(on_out)
    assert seen == ["in 3", "out 4"]
