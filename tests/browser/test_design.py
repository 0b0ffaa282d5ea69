"""Issue 16's design system as the fan sees it, in Chromium: the quest board's filter chips.

Each chip is a plain link the view reads (``?filter=locked``), so the board filters with
JavaScript off; the chip shown is marked as the current page.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.test_fan_dead_ends import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("orm_beside_playwright"),
]


@pytest.fixture
def no_script_page(chromium: Any) -> Any:
    """A 390 px phone with JavaScript off: the chips must work as links alone."""
    context = chromium.new_context(
        locale="en-US", viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def section_headings(page: Any) -> list[str]:
    return [text.strip() for text in page.locator("section.tb-section > h2").all_inner_texts()]


def test_filter_chips_are_plain_links_that_filter_the_board_without_javascript(
    live_sandbox: Any, live_server: Any, no_script_page: Any
) -> None:
    page = no_script_page
    log_in(page, live_server.url, live_sandbox, path="/portal/quests/")
    chips = page.get_by_role("navigation", name="Show quests").get_by_role("link")
    assert chips.all_inner_texts() == ["All", "Open", "Locked", "Done", "At the venue"]
    assert page.get_by_role("link", name="All").get_attribute("aria-current") == "page"
    all_headings = section_headings(page)
    assert {"Available", "Locked"} <= set(all_headings)

    page.get_by_role("link", name="Locked", exact=True).click()
    page.wait_for_url(re.compile(r"/portal/quests/\?filter=locked$"))
    assert page.get_by_role("link", name="Locked", exact=True).get_attribute("aria-current") == (
        "page"
    )
    assert page.get_by_role("link", name="All").get_attribute("aria-current") is None
    # Events stay (with their locked quests only); Available and Completed go.
    assert "Locked" in section_headings(page)
    assert not {"Available"} & set(section_headings(page))
    assert not any(heading.startswith("Completed") for heading in section_headings(page))
    cards = page.locator("article.tb-quest")
    assert cards.count() > 0
    # Only quests the fan cannot act on yet: locked, or opening later; none has an action.
    assert page.locator("article.tb-quest--locked").count() > 0
    assert page.locator("article.tb-quest .tb-quest__action").count() == 0

    page.get_by_role("link", name="Done", exact=True).click()
    page.wait_for_url(re.compile(r"\?filter=done$"))
    assert page.locator("article.tb-quest--locked, article.tb-quest--available").count() == 0

    page.get_by_role("link", name="Open", exact=True).click()
    page.wait_for_url(re.compile(r"\?filter=open$"))
    assert "Locked" not in section_headings(page)
    assert page.locator("article.tb-quest--locked, article.tb-quest--completed").count() == 0
    assert page.locator("article.tb-quest").count() > 0


def test_a_campaign_quest_with_no_address_says_where_it_is_played_instead_of_a_button(
    live_sandbox: Any, live_server: Any, no_script_page: Any
) -> None:
    # Issue 16 item 5: no CAMPAIGN_URL and no link_url. The card cannot link anywhere, so it
    # offers no button and tells the fan where the quest is played.
    page = no_script_page
    log_in(page, live_server.url, live_sandbox, path="/portal/quests/")
    card = page.locator("article.tb-quest", has_text="Predict the score")
    assert card.locator(".tb-quest__action").count() == 0
    assert "on the team\u2019s campaign page, not here" in card.inner_text()
    # Every open quest either has an action or says where to take it.
    for open_card in page.locator("article.tb-quest--active").all():
        has_action = open_card.locator(".tb-quest__action").count() == 1
        says_where = open_card.locator(".tb-quest__explanation").count() == 1
        assert has_action or says_where, open_card.inner_text()


def profile_quest_done(live_sandbox: Any) -> bool:
    from tbits_sandbox.models import FanActivity

    return FanActivity.objects.filter(
        fan__fan_id=live_sandbox.fan_id, page_tab_id=live_sandbox.quests["Complete your profile"]
    ).exists()


def test_complete_profile_opens_the_profile_and_completes_when_it_is_saved(
    live_sandbox: Any, live_server: Any, browser_page: Any, settings: Any
) -> None:
    # Issue 16 item 11: "Complete profile" awarded its points without opening the profile.
    from tbits_sandbox.models import FanActivity

    settings.TBITS = {**settings.TBITS, "PROFILE_QUESTS": ["Complete your profile"]}
    FanActivity.objects.filter(
        fan__fan_id=live_sandbox.fan_id, page_tab_id=live_sandbox.quests["Complete your profile"]
    ).delete()
    page = browser_page
    log_in(page, live_server.url, live_sandbox, path="/portal/quests/")
    card = page.locator("article.tb-quest", has_text="Complete your profile")
    assert card.locator("form").count() == 0  # no tap that completes it on the spot
    card.get_by_role("link", name=re.compile("Complete profile")).click()
    page.wait_for_url(re.compile(r"/accounts/profile/$"))
    assert not profile_quest_done(live_sandbox)  # opening the profile is not completing it

    page.get_by_label("First name").fill("Alexandra")
    page.get_by_role("button", name="Save my details").click()
    page.wait_for_load_state()
    assert profile_quest_done(live_sandbox)
    assert "You earned 50 points" in page.locator(".tb-messages").inner_text()


def test_the_profile_quest_cannot_be_completed_by_posting_its_complete_url(
    live_sandbox: Any, client: Any, settings: Any
) -> None:
    from tbits_sandbox.models import FanActivity
    from tests.fan_login import log_in_demo_fan

    settings.TBITS = {**settings.TBITS, "PROFILE_QUESTS": ["Complete your profile"]}
    quest_id = live_sandbox.quests["Complete your profile"]
    FanActivity.objects.filter(fan__fan_id=live_sandbox.fan_id, page_tab_id=quest_id).delete()
    fan = log_in_demo_fan(client, live_sandbox)
    response = fan.post(f"/portal/quests/{quest_id}/complete/", follow=True)
    assert "Save your profile to complete this quest." in response.content.decode()
    assert not profile_quest_done(live_sandbox)
