"""TbitsMiddleware (the demo's one line): ``request.fan``, and where API errors become pages.

Run through the demo project's MIDDLEWARE; the pages themselves come from accounts.failures.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages

from accounts.checks import check_environment
from accounts.fan import SESSION_KEY
from tests.accounts.conftest import log_in
from tests.accounts.test_session import SITE_KEY, assert_only_the_fan_left, log_in_with_portal_state

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.urls")]

MIDDLEWARE = "accounts.middleware.TbitsMiddleware"


def test_the_middleware_sets_the_fan(client: Any) -> None:
    assert client.get("/whoami/").content == b"anonymous"
    log_in(client, fan_id=777)
    assert client.get("/whoami/").content == b"fan 777"


def test_without_it_an_api_error_is_not_turned_into_a_page(client: Any, settings: Any) -> None:
    # The pages below come from the middleware under test, not from somewhere else.
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != MIDDLEWARE]
    client.raise_request_exception = False
    assert client.get("/raise/server/").status_code == 500


def test_session_expired_logs_out_and_keeps_next(client: Any) -> None:
    log_in(client)
    old_key = client.session.session_key
    response = client.get("/raise/session_expired/?page=2")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fraise%2Fsession_expired%2F%3Fpage%3D2"
    assert SESSION_KEY not in client.session
    assert client.session.session_key != old_key
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Your session has expired. Please log in again."
    ]


@pytest.mark.parametrize("site_data", [False, True], ids=["fan-only", "with-site-data"])
def test_session_expired_ends_only_the_fans_session(client: Any, site_data: bool) -> None:
    old_key = log_in_with_portal_state(client, site_data=site_data)
    response = client.get("/raise/session_expired/")
    assert response["Location"].startswith("/accounts/login/?next=")
    assert_only_the_fan_left(client, response, old_key)
    expected = {"_messages", SITE_KEY} if site_data else {"_messages"}
    assert set(client.session.keys()) == expected


def test_session_expired_on_post_returns_to_the_page_the_form_was_on(client: Any) -> None:
    # After logging in the browser GETs ``next``: a POST's own URL may answer only POST.
    log_in(client)
    response = client.post(
        "/raise/session_expired/?x=1", HTTP_REFERER="http://testserver/portal/quests/?show=all"
    )
    assert response["Location"] == "/accounts/login/?next=%2Fportal%2Fquests%2F%3Fshow%3Dall"


def test_session_expired_on_post_from_nowhere_known_logs_in_without_next(client: Any) -> None:
    log_in(client)
    for referer in ({}, {"HTTP_REFERER": "https://elsewhere.example/page"}):
        response = client.post("/raise/session_expired/", **referer)
        assert response["Location"] == "/accounts/login/"
        log_in(client)


@pytest.mark.parametrize(
    ("kind", "retry_after", "text"),
    [
        ("rate_limited", "17", "Please try again in 17 seconds."),
        ("local_rate", "33", "Please try again in 33 seconds."),
        ("rate_limited_unknown", "60", "Please try again in 60 seconds."),
        ("rate_limited_long", "600", "Please wait 10 minutes, then try again."),
    ],
)
def test_rate_limited_page(client: Any, kind: str, retry_after: str, text: str) -> None:
    response = client.get(f"/raise/{kind}/")
    assert response.status_code == 429
    assert response["Retry-After"] == retry_after
    assert text in response.content.decode()
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("kind", ["transport", "server", "invalid", "unauthorized", "bad_request"])
def test_upstream_failures_are_a_friendly_503(client: Any, kind: str) -> None:
    response = client.get(f"/raise/{kind}/?a=1")
    assert response.status_code == 503
    html = response.content.decode()
    assert "We are having trouble right now" in html
    assert 'href="/raise/' in html and "a=1" in html  # retry link to the same page
    assert "Traceback" not in html
    assert response["Referrer-Policy"] == "no-referrer"


def test_post_failure_retries_with_the_form(client: Any) -> None:
    response = client.post("/raise/transport/?a=1")
    assert 'href="/raise/transport/"' in response.content.decode()


def test_circuit_open_says_when(client: Any) -> None:
    response = client.get("/raise/circuit_open/")
    assert response.status_code == 503
    assert response["Retry-After"] == "12"


def test_other_exceptions_are_not_swallowed(client: Any) -> None:
    client.raise_request_exception = True
    with pytest.raises(ValueError):
        client.get("/raise/value_error/")


def test_error_pages_never_show_the_message(client: Any) -> None:
    html = client.get("/raise/server/").content.decode()
    assert "boom" not in html


def _list_first_before(settings: Any, before: str) -> None:
    middleware = [m for m in settings.MIDDLEWARE if m != MIDDLEWARE]
    middleware.insert(middleware.index(before), MIDDLEWARE)
    settings.MIDDLEWARE = middleware


def test_listed_before_the_session_middleware_it_fails_and_the_check_says_so(
    client: Any, settings: Any
) -> None:
    # What tbits_accounts.E010 prevents: a 500 on every request with a session cookie.
    _list_first_before(settings, "django.contrib.sessions.middleware.SessionMiddleware")
    assert "tbits_accounts.E010" in {p.id for p in check_environment()}
    assert client.get("/whoami/").status_code == 200  # no cookie yet: nothing is read
    log_in(client)
    client.raise_request_exception = False
    assert client.get("/whoami/").status_code == 500


def test_listed_before_the_message_middleware_the_notice_is_lost(
    client: Any, settings: Any
) -> None:
    # What tbits_accounts.W004 warns about: logged out without being told why.
    _list_first_before(settings, "django.contrib.messages.middleware.MessageMiddleware")
    assert "tbits_accounts.W004" in {p.id for p in check_environment()}
    log_in(client, idle_for=3 * 3600)
    response = client.get("/whoami/")
    assert response.content == b"anonymous"
    assert list(get_messages(response.wsgi_request)) == []
