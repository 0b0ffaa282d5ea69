"""The card fragment cache: cached cards are the cards, tokens stay each page's own.

``{% quest_card %}`` and ``{% reward_card %}`` reuse the markup of a card already rendered
with the same content (``loyalty.presentation.render_card``). These tests pin what makes
that safe: the page is the same as without the cache, each page's forms carry a token that
the CSRF check accepts, the language is part of the key, a site's own card template is
rendered every time with the whole page context, and the key lists every value the app's
card templates read.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.template import engines
from django.template.base import FilterExpression, Node, VariableNode
from django.test import Client
from django.urls import reverse

from loyalty import presentation
from loyalty.views import REWARDS_SEEN_KEY
from tests.loyalty.conftest import log_in

pytestmark = pytest.mark.django_db

BOARD = reverse("tbits_loyalty:quests")
WALLET = reverse("tbits_loyalty:wallet")
DASHBOARD = reverse("tbits_loyalty:dashboard")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')
NONCE = re.compile(r'nonce="[^"]*"')


@pytest.fixture(autouse=True)
def empty_card_cache() -> Any:
    presentation.clear_card_cache()
    yield
    presentation.clear_card_cache()


def without_tokens(html: str) -> str:
    """The page without what differs on every view anyway (CSRF tokens, CSP nonces)."""
    return NONCE.sub('nonce=""', TOKEN.sub('name="csrfmiddlewaretoken" value=""', html))


def cards_uncached(monkeypatch: pytest.MonkeyPatch) -> None:
    # No template counts as the app's own: every card renders as a site override would.
    monkeypatch.setattr(presentation, "_OWN_TEMPLATES", {})


@pytest.mark.parametrize("url", [BOARD, WALLET, DASHBOARD])
def test_cached_cards_are_the_cards_rendered_afresh(fan_client, fake_api, monkeypatch, url):
    first = fan_client.get(url).content.decode()
    again = fan_client.get(url).content.decode()  # every card from the cache now
    if url != DASHBOARD:  # the dashboard shows reward cards only once the fan holds some
        assert presentation._cards  # the app's own templates are cached, not skipped
    cards_uncached(monkeypatch)
    fresh = fan_client.get(url).content.decode()
    assert 'class="tb-card tb-' in fresh
    assert without_tokens(first) == without_tokens(again) == without_tokens(fresh)
    assert "csrf-" not in again  # the placeholder never reaches a page


def test_each_page_has_its_own_valid_token_in_cached_cards(fake_api):
    alice, bob = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    log_in(alice)
    log_in(bob)  # another browser (the fake serves one fan): another session and token
    alice.get(BOARD)  # fills the cache with alice's cards
    page = bob.get(BOARD).content.decode()  # bob's cards come from it
    form = re.search(
        r'<form method="post" action="(/portal/quests/1/complete/)"[^>]*>'
        r'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)">',
        page,
    )
    assert form is not None
    assert 1 not in fake_api.completed
    action, token = form.groups()
    assert token in TOKEN.findall(page)
    alice_tokens = set(TOKEN.findall(alice.get(BOARD).content.decode()))
    assert token not in alice_tokens  # masked per page, not copied from alice's page
    response = bob.post(action, {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert 1 in fake_api.completed
    forged = bob.post(action, {"csrfmiddlewaretoken": "x" * 64})
    assert forged.status_code == 403


def test_language_is_part_of_the_key(fan_client, fake_api):
    english = fan_client.get(BOARD, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    french = fan_client.get(BOARD, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert ">Complete<" in english
    assert ">Valider<" in french
    assert ">Complete<" not in french


def test_a_site_card_template_renders_every_time_with_the_page_context(
    fan_client, fake_api, settings, tmp_path: Path
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


def _variables(nodelist: list[Node]) -> set[str]:
    """Every variable path a template reads, filters' arguments included."""
    found: set[str] = set()

    def add(expression: FilterExpression) -> None:
        # Constants (translated text, literal arguments) have no lookups.
        if getattr(expression.var, "lookups", None):
            found.add(str(expression.var.var))
        for _filter, args in expression.filters:
            for _lookup, arg in args:
                if getattr(arg, "lookups", None):
                    found.add(str(arg.var))

    def walk(nodes: list[Node]) -> None:
        for node in nodes:
            if isinstance(node, VariableNode):
                add(node.filter_expression)
            for value in vars(node).values():
                if isinstance(value, FilterExpression):
                    add(value)
                elif isinstance(value, dict):
                    for item in value.values():
                        if isinstance(item, FilterExpression):
                            add(item)
            condition_vars = getattr(node, "conditions_nodelists", ())
            for condition, body in condition_vars:
                walk_condition(condition)
                walk(body)
            for attr in node.child_nodelists:
                walk(getattr(node, attr, None) or [])

    def walk_condition(condition: Any) -> None:
        if condition is None:
            return
        value = getattr(condition, "value", None)
        if isinstance(value, FilterExpression):
            add(value)
        walk_condition(getattr(condition, "first", None))
        walk_condition(getattr(condition, "second", None))

    walk(nodelist)
    return found


@pytest.mark.parametrize(
    ("template_name", "keyed"),
    [
        (
            presentation.QUEST_CARD_TEMPLATE,
            {
                "tile.state", "tile.anchor", "tile.image_url", "tile.status_label",
                "tile.points", "tile.performance_name", "in_event", "tile.quest.quest_title",
                "tile.quest.quest_description", "tile.explanation", "tile.is_post",
                "tile.action_url", "tile.button_text",
            },
        ),
        (
            presentation.REWARD_CARD_TEMPLATE,
            {
                "tile.standing", "tile.anchor", "tile.image_url", "tile.type_label", "is_new",
                "tile.title", "tile.description", "tile.qr_svg", "tile.valid_from",
                "tile.valid_until", "tile.card.not_yet_valid", "tile.prize_code",
                "tile.usage_note", "tile.delivery_status", "tile.requirement",
                "tile.card.progress", "tile.percent", "tile.expires_at",
            },
        ),
    ],
)  # fmt: skip
def test_the_key_holds_every_value_the_apps_card_templates_read(template_name, keyed):
    """Editing a card template means revisiting its key in ``presentation``: this says so."""
    template = engines["django"].get_template(template_name).template
    assert os.path.realpath(template.origin.name) == presentation._OWN_TEMPLATES[template_name]
    assert _variables(template.nodelist) == keyed


def test_new_mark_is_part_of_the_key(fan_client, fake_api):
    fake_api.points = 600
    fake_api.completed = {1, 2}
    fake_api.deliver()
    session = fan_client.session
    session[REWARDS_SEEN_KEY] = "2000-01-01T00:00:00+00:00"
    session.save()
    first = fan_client.get(WALLET).content.decode()  # every held reward is new to the fan
    again = fan_client.get(WALLET).content.decode()  # seen now: the same cards, not new
    held = first.count('class="tb-card tb-reward tb-reward--held"')
    assert held >= 2
    assert first.count("tb-badge--new") == held
    assert "tb-badge--new" not in again


def test_cards_with_the_fans_own_codes_are_not_kept(fan_client, fake_api):
    fake_api.points = 600
    fake_api.completed = {1, 2}
    fake_api.deliver()
    page = fan_client.get(WALLET).content.decode()
    assert "PRIZE-7788" in page
    assert "<svg" in page  # the pass's QR code
    kept = "".join(presentation._cards.values())
    assert 'class="tb-card tb-reward' in kept  # other reward cards are kept
    assert "PRIZE-7788" not in kept
    assert "<svg" not in kept.replace('<svg class="tb-icon"', "")
