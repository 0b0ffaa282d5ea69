"""Issue 16's design system as the fan sees it, in Chromium.

The quest board's filter chips: each is a plain link the view reads (``?filter=locked``), so
the board filters with JavaScript off; the chip shown is marked as the current page. The
profile inside the portal's shell, with the brand's buttons (item 8), and a "Reveal your
code" control that looks and works like a button without JavaScript (item 10).
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


def brand_colour(page: Any) -> str:
    """The computed colour of ``--tb-brand`` on this page, as Chromium writes colours."""
    return page.locator(".tb-portal").evaluate(
        """root => {
            const probe = document.createElement('span');
            probe.style.color = 'var(--tb-brand)';
            root.appendChild(probe);
            const colour = getComputedStyle(probe).color;
            probe.remove();
            return colour;
        }"""
    )


def test_the_profile_keeps_the_portal_shell_and_its_buttons_wear_the_brand(
    live_sandbox: Any, live_server: Any, browser_page: Any
) -> None:
    # Issue 16 item 8: the profile dropped the header and navigation (the only way back was
    # the browser's Back button); its buttons were square, default blue, unbranded.
    page = browser_page
    log_in(page, live_server.url, live_sandbox, path="/accounts/profile/")
    assert page.locator("header.tb-header .tb-brand__name").inner_text() == (
        "Harbour City FC Fan Club"
    )
    tabs = page.get_by_role("navigation", name="Portal")
    me = tabs.get_by_role("link", name="Me", exact=True)
    assert me.is_visible() and me.get_attribute("aria-current") == "page"
    assert me.bounding_box()["height"] >= 44  # a thumb's target on the phone's tab bar
    save = page.get_by_role("button", name="Save my details")
    background, radius = save.evaluate(
        "b => [getComputedStyle(b).backgroundColor, parseFloat(getComputedStyle(b).borderRadius)]"
    )
    assert background == brand_colour(page)
    assert radius >= 8
    tabs.get_by_role("link", name="Home").click()
    page.wait_for_url(re.compile(r"/portal/$"))


@pytest.mark.sandbox_full  # the prize code is a field the docs do not promise
def test_reveal_your_code_looks_like_a_button_and_works_without_javascript(
    live_sandbox: Any, live_server: Any, no_script_page: Any
) -> None:
    # Issue 16 item 10: "Reveal your code" did not look tappable (`summary {display:flex}`
    # removed its marker, and nothing else said it could be tapped).
    page = no_script_page
    log_in(page, live_server.url, live_sandbox, path="/portal/rewards/")
    gift = page.locator("article", has_text="Welcome Gift Code").first
    reveal = gift.locator("summary")
    assert reveal.inner_text().strip() == "Reveal your code"
    cursor, border, icon = reveal.evaluate(
        """s => [getComputedStyle(s).cursor, getComputedStyle(s).borderTopStyle,
                 s.querySelector('svg') !== null]"""
    )
    assert (cursor, icon) == ("pointer", True)
    assert border != "none"  # drawn as a button, not as a line of text
    assert reveal.bounding_box()["height"] >= 44
    code = gift.locator(".tb-prize__code")
    assert not code.is_visible()
    reveal.click()
    assert code.is_visible()
    assert re.fullmatch(r"WELCOME-\d{3}", code.inner_text())


@pytest.mark.sandbox_full  # a held reward's image is a field the docs do not promise
def test_a_reward_image_stays_in_its_box_above_the_chips(
    live_sandbox: Any, live_server: Any, browser_page: Any
) -> None:
    # In the dashboard's side column at 1280 px the pass's image grew past its 180 px box
    # and slid under the "Pass" and "Ready to use" chips.
    from tests.browser.fan_pages import hold_a_pass

    hold_a_pass(live_sandbox)
    page = browser_page
    log_in(page, live_server.url, live_sandbox, path="/portal/")
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        cards = page.locator("article.tb-reward", has=page.locator("img.tb-reward__image"))
        assert cards.count() >= 1
        for card in cards.all():
            image = card.locator("img.tb-reward__image").bounding_box()
            media = card.locator(".tb-reward__media").bounding_box()
            chips = card.locator(".tb-reward__meta").bounding_box()
            assert image is not None and media is not None and chips is not None
            assert image["y"] + image["height"] <= media["y"] + media["height"] + 0.5
            assert media["y"] + media["height"] <= chips["y"] + 0.5, width
