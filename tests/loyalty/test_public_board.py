"""The public quest board: the programme for visitors, from the shared cache, no fan data."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.loyalty.conftest import log_in

pytestmark = pytest.mark.django_db

PROGRAMME = "/portal/programme/"


def test_a_visitor_sees_quests_tiers_and_rewards_with_log_in_to_start(sandbox_api, client):
    response = client.get(PROGRAMME)
    assert response.status_code == 200
    page = response.content.decode()
    for title in ("Follow us", "Visit the site", "Superfan chat", "Gate scan"):
        assert title in page
    # Tiers with the points that reach them, rewards to earn.
    assert "Silver" in page and "Bronze" in page
    assert "Silver pass" in page and "Chain prize" in page
    assert "Log in to start" in page
    assert (
        f'href="/accounts/login/?next={reverse("tbits_loyalty:quests").replace("/", "%2F")}"'
        in page
    )
    # Quests only a tagged fan sees, and ended ones, are not on the programme.
    assert "VIP secret" not in page
    assert "Old quest" not in page
    # No fan navigation and no completion forms: nothing to act on before logging in.
    assert 'action="/portal/quests/' not in page
    assert "Log out" not in page


def test_the_board_costs_the_api_nothing_per_visitor(sandbox_api):
    visitors = [Client() for _ in range(8)]
    assert visitors[0].get(PROGRAMME).status_code == 200
    first = len(sandbox_api.paths())
    assert first > 0  # the catalogue, read once into the shared cache
    sandbox_api.reset_calls()
    for visitor in visitors[1:]:
        assert visitor.get(PROGRAMME).status_code == 200
    assert sandbox_api.paths() == []


def test_a_fan_already_in_the_shared_cache_makes_the_first_visitor_free(sandbox_api, client):
    fan = Client()
    log_in(fan)
    assert fan.get(reverse("tbits_loyalty:quests")).status_code == 200
    sandbox_api.reset_calls()
    assert client.get(PROGRAMME).status_code == 200
    assert sandbox_api.paths() == []


def test_a_logged_in_fan_goes_to_their_own_board(sandbox_api, fan_client):
    response = fan_client.get(PROGRAMME)
    assert response.status_code == 302
    assert response["Location"] == reverse("tbits_loyalty:quests")


def test_the_setting_turns_the_board_off(sandbox_api, client, settings):
    settings.TBITS = {**settings.TBITS, "PUBLIC_BOARD": False}
    assert client.get(PROGRAMME).status_code == 404
    assert sandbox_api.paths() == []
    # And the login page no longer invites visitors to it.
    assert PROGRAMME not in client.get(reverse("tbits_accounts:login")).content.decode()


def test_the_login_page_links_to_the_board(sandbox_api, client):
    page = client.get(reverse("tbits_accounts:login")).content.decode()
    assert f'href="{PROGRAMME}"' in page


def test_the_board_is_in_french(sandbox_api, client):
    client.cookies["django_language"] = "fr"
    page = client.get(PROGRAMME, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Connectez-vous pour commencer" in page
    assert "Récompenses à gagner" in page


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src", "action") and value:
                self.links.append(value)


def test_a_crawl_of_the_public_board_finds_no_fan_data(sandbox_api, client, settings):
    """Whatever a visitor reaches from the board carries no fan's balance, name or code."""
    from tbits_sandbox.models import Fan, FanPoint, PointTypeRecord

    # Another fan on the leaderboard, and the fan's data in the caches the board reads from.
    rival = Fan.objects.create(fan_id=902, account_id=1001, display_name="Rival Quinn")
    FanPoint.objects.create(
        fan=rival, point_type_record=PointTypeRecord.objects.get(), point_count=4321
    )
    fan = Client()
    log_in(fan)
    for name in ("dashboard", "wallet", "leaderboard"):
        assert fan.get(reverse(f"tbits_loyalty:{name}")).status_code == 200
    sandbox_api.award(12345)  # a balance no catalogue number equals
    balance = sandbox_api.points
    settings.TBITS = {**settings.TBITS, "FAN_CACHE_TTL": 0}
    # The control: these are on the fan's own pages, so the crawl would find a leak.
    assert f"{balance:,}" in fan.get(reverse("tbits_loyalty:dashboard")).content.decode()
    assert "Rival Quinn" in fan.get(reverse("tbits_loyalty:leaderboard")).content.decode()
    secrets = [f"{balance:,}", str(balance), "Rival Quinn", "4,321", "Jo Fan", "PRIZE-7788"]

    seen: set[str] = set()
    queue = [PROGRAMME]
    while queue and len(seen) < 40:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        body = response.content.decode(errors="replace") if response.status_code == 200 else ""
        for secret in secrets:
            assert secret not in body, f"{secret!r} on {path}"
        parser = _Links()
        parser.feed(body)
        for link in parser.links:
            target = urlsplit(urljoin("http://testserver" + path, link))
            if target.netloc == "testserver" and not target.path.startswith("/static/"):
                queue.append(target.path)
    assert PROGRAMME in seen and reverse("tbits_accounts:login") in seen


def test_check_refuses_a_public_board_that_is_not_a_boolean(settings):
    from loyalty.checks import check_settings

    settings.TBITS = {**settings.TBITS, "PUBLIC_BOARD": "false"}
    assert [error.id for error in check_settings()] == ["tbits_loyalty.E010"]
    settings.TBITS = {**settings.TBITS, "PUBLIC_BOARD": False}
    assert check_settings() == []
    call_command("check")  # the project's own settings pass


@pytest.mark.parametrize("outcome", [503, 500, requests.ConnectionError("refused")])
def test_the_api_down_on_a_cold_cache_is_the_friendly_503_page(sandbox_api, client, outcome):
    sandbox_api.fail(r"/api/v1/", outcome)
    response = client.get(PROGRAMME)
    assert response.status_code == 503
    page = response.content.decode()
    assert "We are having trouble right now" in page
    assert "Traceback" not in page


def test_the_api_down_on_a_warm_cache_keeps_the_board_up_with_a_notice(
    sandbox_api, client, settings
):
    assert client.get(PROGRAMME).status_code == 200
    settings.TBITS = {**settings.TBITS, "CACHE_TTL": 0}  # the copy is stale at once
    sandbox_api.fail(r"/api/v1/", 503)
    response = Client().get(PROGRAMME)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Follow us" in page
    assert "may be a few minutes old" in page


def test_a_big_programme_shows_its_first_quests_and_a_link_to_all(client, sandbox_api):
    # Issue 21: the public board is a page too; it builds only the cards it shows.
    from loyalty.public_board import PROGRAMME_SIZES

    sandbox_api.add_quests("Festival quest", 40)
    page = client.get(PROGRAMME).content.decode()
    quests = page[page.index('aria-labelledby="programme-quests-heading"') :]
    quests = quests[: quests.index("</section>")]
    assert quests.count("<article") == PROGRAMME_SIZES["quests"]
    total = int(re.search(r"Show all (\d+) quests", quests).group(1))
    assert total > 40
    everything = client.get(PROGRAMME + "?show=programme-quests").content.decode()
    assert everything.count("Festival quest") == 40
