"""Property-based fuzzing of every form and every URL parameter: no input gives a 500.

Hypothesis draws a target (each form field set, each path parameter, the query string of
each page) and hostile values for it: any Unicode including control characters and NUL,
very long strings, numbers far out of range, missing and repeated fields. The portal runs
against the healthy seeded sandbox with its own rate limits off (so every input reaches
the code behind them), and every answer must be a page: never a 500, never a traceback,
and never the "trouble" 503, which would mean the portal sent the API something it then
refused and blamed the API for it.

``TBITS_FUZZ_EXAMPLES`` sets the number of examples (default 250; CI may raise it).
"""

from __future__ import annotations

import os
import string
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reliability.conftest import Proxied

pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLES = int(os.environ.get("TBITS_FUZZ_EXAMPLES", "250"))

#: Any character but lone surrogates (no HTTP client can send those).
ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)
LONG_TEXT = st.text(st.sampled_from("aé😀<>\"'&%\\/\x00\n"), min_size=1000, max_size=6000)
NUMBERS = st.integers(min_value=-(10**30), max_value=10**30).map(str)
TRICKY = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "null",
        "None",
        "0",
        "-1",
        "1e309",
        "NaN",
        "../../etc/passwd",
        "%00",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "fan@example.com",
        "FAN@EXAMPLE.COM ",
        "+1 (604) 555-0123",
        "12345",
        "https://evil.example",
        "//evil.example",
        "javascript:alert(1)",
        "\u202e\u200b",
        "a" * 255,
    ]
)
VALUE = st.one_of(ANY_TEXT, TRICKY, NUMBERS, LONG_TEXT)
FIELD_VALUE = st.one_of(VALUE, st.lists(VALUE, min_size=2, max_size=3))


def form(*names: str) -> st.SearchStrategy[dict[str, Any]]:
    """The form's fields, each present or not, plus an unexpected one now and then."""
    fields = {name: FIELD_VALUE for name in names}
    extra = st.dictionaries(st.text(string.ascii_letters + "_", min_size=1, max_size=12), VALUE)
    return st.builds(
        lambda chosen, more: {**more, **chosen},
        st.fixed_dictionaries({}, optional=fields),
        st.one_of(st.just({}), extra),
    )


QUERY = st.dictionaries(
    st.sampled_from(["next", "page", "fan_id", "fan", "business_id", "tab", "code", "x"]),
    VALUE,
    max_size=4,
)


@dataclass(frozen=True)
class Target:
    """One place the portal takes input, and how to send it."""

    name: str
    fan: bool  # needs a logged-in fan
    send: Callable[[Client, Any], Any]
    values: st.SearchStrategy[Any]


def _post(path: str) -> Callable[[Client, Any], Any]:
    return lambda client, data: client.post(path, data)


def _get_query(path: str) -> Callable[[Client, Any], Any]:
    return lambda client, query: client.get(path, query)


def _path(name: str, suffix: str = "") -> Callable[[Client, Any], Any]:
    def send(client: Client, value: Any) -> Any:
        segment, data = value
        base = reverse(name, args=["PLACEHOLDER"]).replace("PLACEHOLDER", quote(segment, safe=""))
        return client.post(base, data) if suffix == "post" else client.get(base, data)

    return send


def _quest(action: str, method: str) -> Callable[[Client, Any], Any]:
    def send(client: Client, value: Any) -> Any:
        quest_id, data = value
        path = f"/portal/quests/{quest_id}/{action}/"
        return client.post(path, data) if method == "POST" else client.get(path, data)

    return send


QUEST_IDS = st.one_of(st.integers(min_value=0, max_value=40), st.integers(min_value=0))
PAGES = ("dashboard", "quests", "wallet", "leaderboard", "history", "business")

TARGETS: tuple[Target, ...] = (
    Target("login", False, _post("/accounts/login/"), form("contact", "next")),
    Target("login page", False, _get_query("/accounts/login/"), QUERY),
    Target("code", False, _post("/accounts/login/code/"), form("code", "action")),
    Target(
        "password login",
        False,
        _post("/accounts/login/password/"),
        form("contact", "password", "next"),
    ),
    Target("password page", False, _get_query("/accounts/login/password/"), QUERY),
    Target(
        "register",
        False,
        _post("/accounts/register/"),
        form("first_name", "last_name", "accept_terms"),
    ),
    Target("oauth start", False, _post("/accounts/oauth/start/"), form("next")),
    Target(
        "oauth callback",
        False,
        _path("tbits_accounts:oauth_callback"),
        st.tuples(ANY_TEXT.filter(bool), form("code", "error", "state")),
    ),
    Target("language", False, _post("/i18n/setlang/"), form("language", "next")),
    Target(
        "profile",
        True,
        _post("/accounts/profile/"),
        form("first_name", "last_name", "display_name", "is_subscribed", "is_phone_subscribed"),
    ),
    Target(
        "password",
        True,
        _post("/accounts/profile/password/"),
        form("new_password", "new_password_again"),
    ),
    Target("idol", True, _post("/accounts/profile/idols/"), form("idol_uid", "action")),
    Target("complete", True, _quest("complete", "POST"), st.tuples(QUEST_IDS, form("fan_id"))),
    Target("visit", True, _quest("visit", "POST"), st.tuples(QUEST_IDS, form("url"))),
    Target(
        "wristband",
        True,
        _quest("wristband", "POST"),
        st.tuples(QUEST_IDS, form("barcode")),
    ),
    Target("wristband page", True, _quest("wristband", "GET"), st.tuples(QUEST_IDS, QUERY)),
    Target(
        "scan",
        True,
        _path("tbits_loyalty:scan", "post"),
        st.tuples(ANY_TEXT.filter(bool), form("token")),
    ),
    Target("scan page", True, _path("tbits_loyalty:scan"), st.tuples(ANY_TEXT.filter(bool), QUERY)),
    Target("team", True, _post("/portal/team/"), form("business_id")),
    *(
        Target(f"{page} page", True, _get_query(reverse(f"tbits_loyalty:{page}")), QUERY)
        for page in PAGES
    ),
)


@pytest.fixture
def fuzz_portal(proxied: Proxied, settings: Any) -> Proxied:
    """The healthy sandbox; no rate limits on either side, so inputs reach every branch."""
    from accounts.app_settings import DEFAULT_RATE_LIMITS

    settings.TBITS = {**settings.TBITS, "RATE_LIMITS": dict.fromkeys(DEFAULT_RATE_LIMITS, "")}
    settings.TBITS_SANDBOX_THROTTLE_PER_IP = 0
    settings.TBITS_SANDBOX_THROTTLE_PER_KEY = 0
    return proxied


def test_no_input_gives_a_500(fuzz_portal: Proxied) -> None:
    fan = Client()
    fuzz_portal.log_in(fan)
    visitor = Client()
    # A code login under way, so the code page checks codes instead of restarting.
    visitor.post("/accounts/login/", {"contact": fuzz_portal.sandbox.fan_email})
    seen: dict[str, int] = {}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.data())
    def fuzz(data: st.DataObject) -> None:
        target = data.draw(st.sampled_from(TARGETS), label="target")
        value = data.draw(target.values, label=target.name)
        response = target.send(fan if target.fan else visitor, value)
        seen[target.name] = seen.get(target.name, 0) + 1
        body = response.content.decode(errors="replace")
        assert response.status_code != 500 and "Traceback" not in body, target.name
        assert response.status_code != 503, f"{target.name}: the API was blamed for our input"
        if target.fan and response.status_code == 302:
            # An input that logs the fan out would stop the rest from testing anything.
            assert not response["Location"].startswith("/accounts/login/"), target.name

    fuzz()
    assert len(seen) >= len(TARGETS) // 2, f"too few targets drawn: {sorted(seen)}"
