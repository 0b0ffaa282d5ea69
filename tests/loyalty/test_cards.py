"""The quest and reward cards as a fan and a site see them.

Cards render as ``{% include %}`` would: each page's forms carry that page's own CSRF token,
the fan's language, and a site's own card template gets the whole page context.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from loyalty.views import REWARDS_SEEN_KEY
from tests.loyalty.conftest import log_in

pytestmark = pytest.mark.django_db

BOARD = reverse("tbits_loyalty:quests")
WALLET = reverse("tbits_loyalty:wallet")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')


def test_each_page_has_its_own_valid_token_in_its_cards(sandbox_api):
    alice, bob = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    log_in(alice)
    log_in(bob)  # another browser (the same fan's API session): another session and token
    alice.get(BOARD)
    page = bob.get(BOARD).content.decode()
    form = re.search(
        r'<form method="post" action="(/portal/quests/1/complete/)"[^>]*>'
        r'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)">',
        page,
    )
    assert form is not None
    assert 1 not in sandbox_api.completed
    action, token = form.groups()
    assert token in TOKEN.findall(page)
    alice_tokens = set(TOKEN.findall(alice.get(BOARD).content.decode()))
    assert token not in alice_tokens  # masked per page, not copied from alice's page
    response = bob.post(action, {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert 1 in sandbox_api.completed
    forged = bob.post(action, {"csrfmiddlewaretoken": "x" * 64})
    assert forged.status_code == 403


def test_cards_follow_the_fans_language(fan_client, sandbox_api):
    english = fan_client.get(BOARD, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    french = fan_client.get(BOARD, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert ">Complete<" in english
    assert ">Valider<" in french
    assert ">Complete<" not in french


def test_a_site_card_template_renders_every_time_with_the_page_context(
    fan_client, sandbox_api, settings, tmp_path: Path
):
    override = tmp_path / "tbits_loyalty" / "includes"
    override.mkdir(parents=True)
    (override / "quest_card.html").write_text(
        '<p class="site-card">{{ tile.quest.quest_title }} for {{ request.GET.who }}</p>'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    assert (
        'class="site-card">Follow us for ann<'
        in fan_client.get(BOARD + "?who=ann").content.decode()
    )
    assert (
        'class="site-card">Follow us for bo<' in fan_client.get(BOARD + "?who=bo").content.decode()
    )


def test_rewards_new_to_the_fan_are_marked_once(fan_client, sandbox_api):
    sandbox_api.complete(1, 2)  # the chain prize, and 190 points: the Bronze badge
    session = fan_client.session
    session[REWARDS_SEEN_KEY] = "2000-01-01T00:00:00+00:00"
    session.save()
    first = fan_client.get(WALLET).content.decode()  # every held reward is new to the fan
    again = fan_client.get(WALLET).content.decode()  # seen now: the same cards, not new
    held = first.count('class="tb-card tb-reward tb-reward--held"')
    assert held >= 2
    assert first.count("tb-badge--new") == held
    assert "tb-badge--new" not in again
