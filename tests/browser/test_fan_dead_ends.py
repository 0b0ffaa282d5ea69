"""Issue 16: what a new fan trips on in the first ten minutes, tried in Chromium.

Each test is named after the item it proves and drives the seeded sandbox through the real
pages, as a fan would; each failed on the code before its fix.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.core.cache import caches
from django.utils import timezone

from tests.browser.conftest import assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("orm_beside_playwright"),
]


def log_in(page: Any, base: str, live_sandbox: Any, *, path: str = "/portal/") -> None:
    """Log the demo fan in with the password form, landing on ``path``."""
    page.goto(f"{base}{path}")
    page.get_by_role("link", name="Log in with a password instead").click()
    page.get_by_label(re.compile("email", re.I)).first.fill(live_sandbox.fan_email)
    page.get_by_label(re.compile("password", re.I)).first.fill(live_sandbox.fan_password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(re.escape(path) + "$"))


def demo_fan(live_sandbox: Any) -> Any:
    from tbits_sandbox.models import Fan

    return Fan.objects.get(fan_id=live_sandbox.fan_id)


# -- 4. pass QR codes are standard QR, decoded by a real decoder -----------------------


def give_pass(live_sandbox: Any, code: str) -> None:
    """The demo fan holds the Silver pass, valid now, with ``code`` as its pass code."""
    from tbits_sandbox import delivery
    from tbits_sandbox.models import FanReward, Reward

    now = timezone.now()
    reward = Reward.objects.get(reward_uid=live_sandbox.rewards["Silver Lounge Pass"])
    Reward.objects.filter(pk=reward.pk).update(
        access_start_timestamp=now - dt.timedelta(hours=1),
        access_end_timestamp=now + dt.timedelta(hours=6),
    )
    delivery.deliver(reward, demo_fan(live_sandbox), source="manual")
    FanReward.objects.filter(reward=reward, fan=demo_fan(live_sandbox)).update(pass_code=code)
    caches["default"].clear()  # the portal's cached copy of the fan's rewards


def decode_qr(png: bytes) -> list[tuple[str, str]]:
    """Every code zxing-cpp finds in a screenshot: (text, format name)."""
    import zxingcpp
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("L")
    return [(found.text, found.format.name) for found in zxingcpp.read_barcodes(image)]


@pytest.mark.sandbox_full
@pytest.mark.parametrize("code", ["PASS-1234", "HCFC-7QX2-91ZK-4"])
def test_pass_qr_is_a_standard_qr_code_a_scanner_reads(
    live_sandbox: Any, live_server: Any, browser_page: Any, code: str
) -> None:
    page = browser_page
    give_pass(live_sandbox, code)
    log_in(page, live_server.url, live_sandbox, path="/portal/rewards/")
    figure = page.locator("article", has_text="Silver Lounge Pass").locator("figure.tb-qr")
    figure.scroll_into_view_if_needed()
    found = decode_qr(figure.screenshot())
    # Micro QR (one finder pattern) is what many gate scanners and phone cameras miss.
    assert found == [(code, "QRCode")]
    assert_accessible(page)


# -- 1. a session that ends before a POST --------------------------------------------


def test_session_ended_before_complete_returns_to_the_board_after_login(
    live_sandbox: Any, live_server: Any, browser_page: Any, settings: Any
) -> None:
    page = browser_page
    log_in(page, live_server.url, live_sandbox, path="/portal/quests/")
    quest_id = live_sandbox.quests["Members' lounge tour"]
    # The fan leaves the board open past the idle timeout, then taps "Complete".
    original = settings.TBITS
    settings.TBITS = {**original, "SESSION_IDLE_TIMEOUT": 0}
    page.locator("article", has_text="Members' lounge tour").get_by_role(
        "button", name=re.compile("Book the tour")
    ).click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    settings.TBITS = original
    assert "log in again" in page.get_by_role("main").inner_text()
    page.get_by_role("link", name="Log in with a password instead").click()
    page.get_by_label(re.compile("email", re.I)).first.fill(live_sandbox.fan_email)
    page.get_by_label(re.compile("password", re.I)).first.fill(live_sandbox.fan_password)
    response_statuses: list[int] = []
    page.on("response", lambda response: response_statuses.append(response.status))
    page.get_by_role("button", name="Log in").click()
    # Back on the board at the quest's card, which the fan can tap again: never a 405.
    page.wait_for_url(re.compile(rf"/portal/quests/#quest-{quest_id}$"))
    assert 405 not in response_statuses
    assert page.locator(f"#quest-{quest_id}").get_by_role("button").count() == 1


# -- 2. the completion's result is where the fan lands -------------------------------


def test_completion_result_is_in_view_and_announced_where_the_fan_lands(
    live_sandbox: Any, live_server: Any, browser_page: Any
) -> None:
    page = browser_page  # a 390 px phone: the completed card ends up far below the fold
    log_in(page, live_server.url, live_sandbox, path="/portal/quests/")
    page.locator("article", has_text="Members' lounge tour").get_by_role(
        "button", name=re.compile("Book the tour")
    ).click()
    page.wait_for_load_state()
    result = page.locator(".tb-messages")
    assert result.get_attribute("role") == "status"
    assert result.get_attribute("aria-live") == "polite"
    assert "You earned 300 points" in result.inner_text()
    in_view = result.evaluate(
        "el => { const r = el.getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight; }"
    )
    assert in_view, "the '+300 points' message is off screen where the fan landed"
    assert_accessible(page)
