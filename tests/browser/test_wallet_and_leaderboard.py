"""In Chromium: the pass's phone-wallet links, and the leaderboard's name switch, periods
and "around you" view, as a fan uses them (no JavaScript needed for any of it)."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest

from tests.browser.conftest import assert_accessible
from tests.browser.fan_pages import (
    PASS_CODE,
    hold_a_pass,
    log_in_by_password,
    new_fan_context,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("orm_beside_playwright", "phone_wallets"),
]


@pytest.mark.sandbox_full  # the pass code is a field the reference does not document
def test_add_to_apple_wallet_downloads_the_signed_pass(
    live_sandbox: Any, live_server: Any, chromium: Any
) -> None:
    hold_a_pass(live_sandbox)
    context = new_fan_context(chromium, live_server.url, "en", javascript=False)
    page = context.new_page()
    log_in_by_password(page, live_server.url, live_sandbox)
    page.goto(f"{live_server.url}/portal/rewards/")
    apple = page.get_by_role("link", name="Add to Apple Wallet")
    google = page.get_by_role("link", name="Save to Google Wallet")
    assert apple.count() == 1 and google.count() == 1
    box = apple.bounding_box()
    assert box is not None and box["height"] >= 44  # a thumb's target
    with page.expect_download() as download:
        apple.click()
    package = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    assert json.loads(package.read("pass.json"))["barcodes"][0]["message"] == PASS_CODE
    assert download.value.suggested_filename == "pass.pkpass"
    context.close()


def test_a_fan_hides_their_name_and_switches_period_and_view(
    live_sandbox: Any, live_server: Any, chromium: Any
) -> None:
    # With JavaScript on: axe runs as a script (the page itself needs none).
    context = new_fan_context(chromium, live_server.url, "en")
    page = context.new_page()
    log_in_by_password(page, live_server.url, live_sandbox)
    page.goto(f"{live_server.url}/portal/leaderboard/")
    page.get_by_role("link", name="Last 30 days").click()
    page.get_by_role("link", name="Around you").click()
    assert page.url.endswith("/portal/leaderboard/?period=30d&view=around")
    assert page.get_by_role("link", name="Last 30 days").get_attribute("aria-current") == "page"
    page.get_by_role("button", name="Hide my name").click()
    # Back on the same period and view, told what changed, offered the way back.
    assert page.url.endswith("/portal/leaderboard/?period=30d&view=around")
    assert "Other fans now see you as “A fan”." in page.locator("body").inner_text()
    assert page.get_by_role("button", name="Show my name").count() == 1
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert_accessible(page)
    context.close()
