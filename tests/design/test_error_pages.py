"""Branded error pages inside the portal's shell, with DEBUG off as in production.

Without them a bad URL got Django's bare "Not Found" and a followed form URL a blank 405.
A logged-in fan keeps the portal's header and navigation on them, so there is a way on.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.fan_login import log_in_demo_fan

pytestmark = pytest.mark.django_db(transaction=True)

NOT_FOUND = "We can\u2019t find that page"


@pytest.fixture
def fan(live_sandbox: Any, client: Any, settings: Any) -> Any:
    settings.DEBUG = False
    return log_in_demo_fan(client, live_sandbox)


def test_a_bad_url_gets_the_branded_404_in_the_shell(fan: Any) -> None:
    response = fan.get("/portal/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert NOT_FOUND in html
    assert 'class="tb-portal"' in html
    assert 'class="tb-nav"' in html  # the fan's navigation: a way on without Back
    assert 'href="/portal/"' in html
    assert "Not Found</h1>" not in html
    assert response["Cache-Control"] == "private, no-store"


def test_a_bad_url_for_a_visitor_gets_the_branded_404_with_the_login_as_the_way_on(
    client: Any, settings: Any, db: None
) -> None:
    settings.DEBUG = False
    response = client.get("/accounts/nothing-here/")
    assert response.status_code == 404
    html = response.content.decode()
    assert NOT_FOUND in html and 'class="tb-portal"' in html
    assert 'class="tb-nav"' not in html  # no fan, no portal navigation


def test_a_get_of_a_post_only_url_gets_the_branded_405_with_its_allow_header(
    fan: Any, live_sandbox: Any
) -> None:
    quest_id = live_sandbox.quests["Members' lounge tour"]
    response = fan.get(f"/portal/quests/{quest_id}/complete/")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    html = response.content.decode()
    assert 'class="tb-portal"' in html and 'class="tb-nav"' in html
    assert "405" in html and "<h1>" in html


def test_the_404_is_in_french_for_a_french_fan(fan: Any) -> None:
    response = fan.get("/portal/no-such-page/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 404
    assert 'lang="fr"' in response.content.decode()
    assert NOT_FOUND not in response.content.decode()
