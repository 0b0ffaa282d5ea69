"""The fan's session: request.fan, timeouts, login protection and logout."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.contrib.sessions.backends.cache import SessionStore
from django.test import RequestFactory

from accounts.fan import SESSION_KEY, login_fan
from tests.accounts.conftest import log_in

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.urls")]


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
def test_timeouts_end_the_session(client: Any, kwargs: dict[str, float]) -> None:
    log_in(client, **kwargs)
    old_key = client.session.session_key
    response = client.get("/whoami/")
    assert response.content == b"anonymous"
    assert SESSION_KEY not in client.session
    assert client.session.session_key != old_key
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


def test_logout_flushes_the_session(client: Any) -> None:
    log_in(client)
    client.session["tbits_accounts.flow"] = {"stage": "code"}
    old_key = client.session.session_key
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert client.session.session_key != old_key
    assert SESSION_KEY not in client.session
    assert client.get("/whoami/").content == b"anonymous"


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
