"""Markup and script in API data are shown as text, and API URLs are used only when http(s).

The seeded sandbox is filled with hostile values where the API really holds free text
(quest titles, descriptions and buttons, reward titles, display names, business, tier,
event and idol names, legal texts, brand colours); URLs the sandbox computes itself
(branding image, idol images, media ids) are changed in flight by the fault proxy. Every
page is then parsed: no element, attribute or script may come from that data, while the
data must still be visible as text (otherwise the test would prove nothing).
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from loyalty.scan import scan_token
from tests.reliability.conftest import Proxied
from tests.security.markup import Markup

pytestmark = pytest.mark.django_db(transaction=True)

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(2)>"
PAYLOAD = SCRIPT + IMG  # 52 characters: fits every free-text column of the API
BUTTON = '"><svg onload=alert(3)>'  # button texts are at most 32 characters
STYLE_BREAK = "#fff;}</style><script>alert(4)</script>"
HOSTILE_URLS = (
    "javascript:alert(5)",
    "JavaScript:alert(5)",
    " javascript:alert(5)",
    "data:text/html,<script>alert(5)</script>",
    "vbscript:msgbox(5)",
    "//evil.example/x",
    "http:/\\evil.example",
)


def inert(page: str, *, where: str) -> Markup:
    """Assert ``page`` holds no markup from the payloads; return it parsed."""
    markup = Markup.parse(page)
    assert markup.event_handlers() == [], where
    for script in markup.tags("script"):
        assert script.attrs.get("src", "").startswith("/static/"), (where, script)
        assert script.attrs.get("nonce"), (where, script)
    assert not [e for e in markup.tags("img") if e.attrs.get("src") == "x"], where
    assert not markup.tags("svg") or all("onload" not in e.attrs for e in markup.tags("svg"))
    assert "</style><script>" not in page, where
    for tag, attribute, value in markup.urls():
        scheme = urlsplit(value).scheme.lower()
        assert scheme in ("", "http", "https"), (where, tag, attribute, value)
    return markup


@pytest.fixture
def hostile(proxied: Proxied) -> Proxied:
    """The seeded sandbox with markup in every free-text field the portal shows."""
    from tbits_sandbox.models import (
        Account,
        Business,
        Fan,
        Idol,
        Performance,
        Quest,
        Reward,
        Tier,
    )

    seed = proxied.sandbox
    Account.objects.filter(account_id=seed.account_id).update(
        header_text="Welcome " + PAYLOAD,
        legal_terms="Terms " + PAYLOAD,
        legal_privacy="Privacy " + PAYLOAD,
    )
    Business.objects.filter(business_id=seed.business_id).update(
        business_name="FC " + PAYLOAD,
        style_props={"primary_color": STYLE_BREAK, "accent_color": "red;background:url(x)"},
    )
    for quest in Quest.objects.filter(business_id=seed.business_id):
        quest.quest_title = f"{quest.page_tab_id} {PAYLOAD}"
        quest.quest_description = "Do it " + PAYLOAD
        quest.button_text = BUTTON
        quest.save(update_fields=["quest_title", "quest_description", "button_text"])
    for reward in Reward.objects.filter(business_id=seed.business_id):
        reward.reward_title = f"{str(reward.reward_uid)[:8]} {PAYLOAD}"
        reward.description = "Win " + PAYLOAD
        reward.save(update_fields=["reward_title", "description"])
    Fan.objects.filter(account_id=seed.account_id).update(display_name=PAYLOAD)
    Idol.objects.filter(account_id=seed.account_id).update(idol_name=PAYLOAD)
    Performance.objects.filter(account_id=seed.account_id).update(performance_name=PAYLOAD)
    for tier in Tier.objects.all():
        tier.tier_name = f"{tier.min_points} {PAYLOAD}"
        tier.save(update_fields=["tier_name"])
    return proxied


def test_api_text_is_shown_as_text_on_every_page(hostile: Proxied) -> None:
    seed = hostile.sandbox
    fan = Client()
    hostile.log_in(fan)
    wristband = int(seed.quests["Link your wristband"])
    scan = int(seed.quests["Check in at the stadium"])
    lounge = int(seed.quests["Members' lounge tour"])
    # A completion, so the history and the success message carry a hostile title too.
    done = fan.post(reverse("tbits_loyalty:complete", args=[lounge]), follow=True)
    pages = {
        "success message": done,
        "dashboard": fan.get(reverse("tbits_loyalty:dashboard")),
        "quests": fan.get(reverse("tbits_loyalty:quests")),
        "wallet": fan.get(reverse("tbits_loyalty:wallet")),
        "leaderboard": fan.get(reverse("tbits_loyalty:leaderboard")),
        "history": fan.get(reverse("tbits_loyalty:history")),
        "scan": fan.get(reverse("tbits_loyalty:scan", args=[scan_token(scan)])),
        "wristband": fan.get(reverse("tbits_loyalty:wristband", args=[wristband])),
        "profile": fan.get(reverse("tbits_accounts:profile")),
        "login": Client().get(reverse("tbits_accounts:login")),
    }
    for where, response in pages.items():
        assert response.status_code in (200, 404), (where, response.status_code)
        markup = inert(response.content.decode(), where=where)
        assert SCRIPT in markup.text, f"{where}: the hostile text is not shown at all"
    assert "Quest complete" in Markup.parse(done.content.decode()).text
    # The display name comes back inside an attribute (the profile form), escaped.
    assert 'value="&lt;script&gt;' in pages["profile"].content.decode()


def test_legal_text_of_the_registration_is_shown_as_text(hostile: Proxied) -> None:
    from tbits_sandbox.models import Account

    Account.objects.filter(account_id=hostile.sandbox.account_id).update(
        terms_acceptance_required=True
    )
    client = Client()
    email = f"reg-{uuid.uuid4().hex[:8]}@example.com"
    client.post(reverse("tbits_accounts:login"), {"contact": email})
    client.post(reverse("tbits_accounts:code"), {"code": hostile.sandbox.latest_code(email)})
    # The API asks for the terms on the first attempt; the page then shows its legal text.
    page = client.post(
        reverse("tbits_accounts:register"), {"first_name": "Ada", "last_name": "Li"}
    ).content.decode()
    markup = inert(page, where="register")
    assert "Terms " + SCRIPT in markup.text


def _set_everywhere(payload: Any, key: str, value: str) -> Any:
    """``payload`` with every ``key`` (at any depth) set to ``value``."""
    if isinstance(payload, dict):
        return {
            name: value if name == key else _set_everywhere(item, key, value)
            for name, item in payload.items()
        }
    if isinstance(payload, list):
        return [_set_everywhere(item, key, value) for item in payload]
    return payload


def test_urls_from_the_api_are_used_only_when_http(hostile: Proxied, settings: Any) -> None:
    from tbits_sandbox.models import FanActivity, Quest

    seed = hostile.sandbox
    shop = int(seed.quests["Visit the club shop"])
    fan = Client()
    for url in HOSTILE_URLS:
        hostile.reset()
        hostile.log_in(fan)
        Quest.objects.filter(business_id=seed.business_id).update(link_url=url)
        hostile.proxy.set_rewrites(
            (r"/api/v1/status$", lambda body, url=url: {**body, "image_url": url}),
            (r"/api/v1/idols$", lambda body, url=url: _set_everywhere(body, "image_url", url)),
            (r"/quests$", lambda body, url=url: _set_everywhere(body, "media_uid", url)),
        )
        pages = {
            "login": Client().get(reverse("tbits_accounts:login")),
            "quests": fan.get(reverse("tbits_loyalty:quests")),
            "profile": fan.get(reverse("tbits_accounts:profile")),
        }
        for where, response in pages.items():
            assert response.status_code == 200, (where, url)
            page = response.content.decode()
            inert(page, where=f"{where} {url!r}")
            for _tag, _attribute, value in Markup.parse(page).urls():
                assert "evil.example" not in urlsplit(value).netloc, (where, url, value)
        # The media id became part of the API's own media URL, percent-encoded.
        for image in Markup.parse(pages["quests"].content.decode()).tags("img"):
            assert image.attrs["src"].startswith(hostile.api_url), image.attrs["src"]
        visit = fan.post(reverse("tbits_loyalty:visit", args=[shop]))
        assert visit.status_code == 404, url
        assert not FanActivity.objects.filter(fan_id=seed.fan_id, page_tab_id=shop).exists()
    # Control: an https link is followed, so the refusals above are the URLs' doing.
    hostile.reset()
    hostile.log_in(fan)
    Quest.objects.filter(page_tab_id=shop).update(link_url="https://shop.example/club")
    fan.get(reverse("tbits_loyalty:quests"))
    assert fan.post(reverse("tbits_loyalty:visit", args=[shop]))["Location"] == (
        "https://shop.example/club"
    )
