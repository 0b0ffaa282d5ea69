"""``next`` pointing anywhere but this site lands on the default page, through every way in.

Every way a fan logs in against the seeded sandbox (already logged in, password, code,
code plus registration, OAuth) and the language switcher, each with every hostile ``next``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from tests.reliability.conftest import Proxied
from tests.security.test_oauth_callback import provider_code

pytestmark = pytest.mark.django_db(transaction=True)

#: The four of issue 8, then the usual variations on them.
HOSTILE_NEXT = (
    "https://evil.example",
    "//evil.example",
    "/\\evil.example",
    "javascript:alert(1)",
    "\\\\evil.example",
    "https:evil.example",
    "http://testserver@evil.example/",
    " //evil.example",
    "/\t/evil.example",
    "///evil.example",
    "data:text/html,<script>alert(1)</script>",
)
DEFAULT = "/portal/"  # LOGIN_REDIRECT_URL unset: the portal's home


def already_logged_in(proxied: Proxied, client: Client, target: str) -> Any:
    proxied.log_in(client)
    return client.get(reverse("tbits_accounts:login"), {"next": target})


def password(proxied: Proxied, client: Client, target: str) -> Any:
    seed = proxied.sandbox
    return client.post(
        reverse("tbits_accounts:password"),
        {"contact": seed.fan_email, "password": seed.fan_password, "next": target},
    )


def code(proxied: Proxied, client: Client, target: str) -> Any:
    email = proxied.sandbox.fan_email
    client.post(reverse("tbits_accounts:login"), {"contact": email, "next": target})
    return client.post(reverse("tbits_accounts:code"), {"code": proxied.sandbox.latest_code(email)})


def registration(proxied: Proxied, client: Client, target: str) -> Any:
    email = f"new-{uuid.uuid4().hex[:8]}@example.com"
    client.post(reverse("tbits_accounts:login"), {"contact": email, "next": target})
    client.post(reverse("tbits_accounts:code"), {"code": proxied.sandbox.latest_code(email)})
    return client.post(
        reverse("tbits_accounts:register"),
        {"first_name": "Nia", "last_name": "Okafor", "accept_terms": "on"},
    )


def oauth(proxied: Proxied, client: Client, target: str) -> Any:
    response = client.post(reverse("tbits_accounts:oauth_start"), {"next": target})
    redirect_url = parse_qs(urlsplit(response["Location"]).query)["redirect_url"][0]
    code = provider_code(proxied, redirect_url)
    return client.get(f"{urlsplit(redirect_url).path}?code={code}")


WAYS_IN: dict[str, Callable[[Proxied, Client, str], Any]] = {
    "already logged in": already_logged_in,
    "password": password,
    "code": code,
    "code + registration": registration,
    "oauth": oauth,
}


def test_hostile_next_lands_on_the_default_page_every_way_in(
    proxied: Proxied, settings: Any
) -> None:
    # The demo fan asks for a code once per payload: more than the sandbox's per-address
    # throttle allows in a minute.
    settings.TBITS_SANDBOX_THROTTLE_PER_KEY = 0
    wrong = []
    for way, log_in in WAYS_IN.items():
        for target in HOSTILE_NEXT:
            proxied.reset()  # rate-limit counters: this test logs in 55 times
            client = Client()
            response = log_in(proxied, client, target)
            location = response.get("Location")
            if response.status_code != 302 or location != DEFAULT:
                wrong.append(f"{way} next={target!r}: {response.status_code} {location!r}")
            elif "tbits_accounts.fan" not in client.session:
                wrong.append(f"{way} next={target!r}: not logged in (the test proves nothing)")
    assert not wrong, "\n".join(wrong)


def test_a_safe_next_is_kept_so_the_test_above_can_fail(proxied: Proxied) -> None:
    for way, log_in in WAYS_IN.items():
        proxied.reset()
        response = log_in(proxied, Client(), "/portal/rewards/?tab=held")
        assert response["Location"] == "/portal/rewards/?tab=held", way


class _Targets(HTMLParser):
    """Every URL a page links, submits or redirects to, and every hidden ``next``."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("href", "src", "action", "formaction"):
            if values.get(name) is not None:
                self.urls.append(str(values[name]))
        if tag == "input" and values.get("name") == "next" and values.get("value"):
            self.urls.append(str(values["value"]))


def off_site(url: str) -> bool:
    text = url.strip()
    parts = urlsplit(text)
    return (
        parts.scheme.lower() in ("javascript", "data", "vbscript")
        or "evil.example" in parts.netloc
        or text.startswith(("//", "/\\", "\\"))
    )


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_hostile_next_is_no_link_or_hidden_field_of_the_login_pages(
    client: Client, target: str
) -> None:
    for name in ("login", "password"):
        parser = _Targets()
        parser.feed(
            client.get(reverse(f"tbits_accounts:{name}"), {"next": target}).content.decode()
        )
        assert parser.urls, "nothing parsed: the test would prove nothing"
        assert not [url for url in parser.urls if off_site(url)], name


def test_hostile_next_of_the_language_switcher_stays_on_site(client: Client) -> None:
    for target in HOSTILE_NEXT:
        response = client.post("/i18n/setlang/", {"language": "fr", "next": target})
        assert response.status_code == 302
        parts = urlsplit(response["Location"])
        assert not parts.netloc and not parts.scheme, (target, response["Location"])
        assert response["Location"].startswith("/") and not response["Location"].startswith("//")
