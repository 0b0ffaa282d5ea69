"""Every POST the site accepts, without a CSRF token, is refused with 403.

The URLs come from the URL configuration itself, so a new view that forgets CSRF (or is
marked exempt) fails this test without anyone adding it to a list. Only the sandbox is left
out: it stands for the provider's API, which is called by servers, not browsers, and is not
mounted in production.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.fan import SESSION_KEY as FAN_KEY

pytestmark = pytest.mark.django_db

#: Values for path converters; any value reaches the view (or CSRF refuses it first).
SAMPLE = {
    "int": "1",
    "str": "x",
    "slug": "x",
    "path": "x",
    "uuid": "00000000-0000-0000-0000-0000000000aa",
}
#: Every form of the site is among these; the test fails if one goes missing from the URLs.
KNOWN_FORMS = {
    "/accounts/login/",
    "/accounts/login/code/",
    "/accounts/login/password/",
    "/accounts/register/",
    "/accounts/oauth/start/",
    "/accounts/logout/",
    "/accounts/profile/",
    "/accounts/profile/password/",
    "/accounts/profile/idols/",
    "/portal/quests/1/complete/",
    "/portal/quests/1/visit/",
    "/portal/quests/1/wristband/",
    "/portal/scan/x/",
    "/portal/team/",
    "/i18n/setlang/",
}


def site_urls() -> list[str]:
    """One concrete URL per pattern of the site, sandbox excluded."""
    return sorted(set(_walk(get_resolver().url_patterns, prefix="")))


def _walk(patterns: list[Any], *, prefix: str) -> Iterator[str]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "tbits_sandbox":
                continue
            yield from _walk(entry.url_patterns, prefix=prefix + _fill(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield "/" + prefix + _fill(entry.pattern)


def _fill(pattern: Any) -> str:
    route = str(pattern).lstrip("^").rstrip("$")
    return re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE.get(m.group(1) or "str", "x"), route)


def logged_in(client: Client) -> Client:
    now = time.time()
    session = client.session
    session[FAN_KEY] = {
        "session_uid": "csrf-test-session",
        "fan_id": 1,
        "expires_at": None,
        "logged_in_at": now,
        "last_seen": now,
    }
    session.save()
    return client


def test_the_url_walk_finds_every_form() -> None:
    assert set(site_urls()) >= KNOWN_FORMS


@pytest.mark.parametrize("who", ["anonymous", "fan"])
def test_every_post_without_a_csrf_token_is_403(who: str) -> None:
    client = Client(enforce_csrf_checks=True)
    if who == "fan":
        logged_in(client)
    client.get("/accounts/login/")  # the browser has a CSRF cookie, just no token
    accepted = {}
    for url in site_urls():
        response = client.post(url, {"contact": "fan@example.com", "code": "12345"})
        if response.status_code != 403:
            accepted[url] = response.status_code
    assert not accepted, f"POST without a token was not refused: {accepted}"


def test_a_token_from_another_browser_is_403(client: Client) -> None:
    attacker = Client(enforce_csrf_checks=True)
    attacker.get("/accounts/login/")
    token = attacker.cookies["csrftoken"].value
    victim = logged_in(Client(enforce_csrf_checks=True))
    victim.get("/accounts/login/")
    for url in sorted(KNOWN_FORMS):
        response = victim.post(url, {"csrfmiddlewaretoken": token})
        assert response.status_code == 403, url


def test_control_with_the_token_a_post_gets_through() -> None:
    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/login/")
    token = client.cookies["csrftoken"].value
    response = client.post("/i18n/setlang/", {"language": "fr", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
