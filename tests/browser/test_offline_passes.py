"""Offline passes in Chromium (issue 20): the wallet and a pass open with the network cut.

After one online visit, the service worker serves the fan's wallet, and each pass's
full-screen QR, without a network, saying "as of HH:MM"; back online the live page returns.
After logout, or when another fan logs in on the same browser, nothing of the first fan is
served offline.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password

from tests.browser.conftest import assert_accessible
from tests.browser.fan_pages import PASS_CODE, hold_a_pass, log_in_by_password, new_fan_context

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("orm_beside_playwright"),
    # The full-screen pass shows the pass code, a field the reference does not document.
    pytest.mark.sandbox_full,
]

OTHER_EMAIL = "second.fan@example.com"
OTHER_PASSWORD = "another-fan-2026"
AS_OF = re.compile(r"You\u2019re offline: as of \d\d:\d\d")


def shown(page: Any) -> str:
    """What the page shows once it settles (after a failed navigation, the browser's own)."""
    page.wait_for_load_state()
    return page.locator("body").inner_text()


def fan_caches(page: Any) -> list[str]:
    return page.evaluate(
        "caches.keys().then(names => names.filter(name => name.startsWith('tbits-fan-')))"
    )


def until(page: Any, script: str, *, seconds: float = 15) -> None:
    """Wait until an async ``script`` is true in the page (``wait_for_function`` would take
    the promise it returns for a true value)."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(script):
        assert time.monotonic() < deadline, f"still false after {seconds} s: {script}"
        time.sleep(0.1)


def kept_urls(page: Any) -> list[str]:
    """Every URL the worker keeps, in any cache."""
    return page.evaluate(
        """async () => {
          const urls = [];
          for (const name of await caches.keys()) {
            for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
          }
          return urls;
        }"""
    )


def visit_wallet_online(page: Any, base: str) -> None:
    """Open the wallet once, under the worker, and wait until its copy is kept."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.goto(f"{base}/portal/rewards/")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    until(
        page,
        """async () => {
          const names = (await caches.keys()).filter(n => n.startsWith('tbits-fan-'));
          if (names.length !== 1) return false;
          const cache = await caches.open(names[0]);
          return (await cache.keys()).some(r => r.url.includes('/static/tbits_loyalty/portal.css'));
        }""",
    )


def other_fan(live_sandbox: Any) -> None:
    from tbits_sandbox.models import Fan

    first = Fan.objects.get(fan_id=live_sandbox.fan_id)
    Fan.objects.create(
        account=first.account,
        email=OTHER_EMAIL,
        first_name="Robin",
        password_hash=make_password(OTHER_PASSWORD),
        is_accepted_terms=True,
    )


def log_in_as(page: Any, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/password/?next=/portal/")
    page.locator("input[name=contact]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("form.tbits-form button[type=submit]").click()
    page.wait_for_url(f"{base}/portal/")


def test_the_wallet_and_a_pass_open_offline_after_one_online_visit(
    live_sandbox: Any, live_server: Any, chromium: Any, screenshot: Any
) -> None:
    base = live_server.url
    hold_a_pass(live_sandbox)
    context = new_fan_context(chromium, base, "en")
    page = context.new_page()
    log_in_by_password(page, base, live_sandbox)
    for other in ("/portal/leaderboard/", "/accounts/profile/", "/portal/quests/"):
        page.goto(f"{base}{other}")
    # A form's answer (POST, then the board it redirects to) is not kept either.
    page.locator("article", has_text="Members' lounge tour").get_by_role(
        "button", name=re.compile("Book the tour")
    ).click()
    page.wait_for_url(re.compile(r"/portal/quests/"))
    visit_wallet_online(page, base)
    # The wallet and the static files it uses; no other page, nothing of another origin.
    kept = [url.removeprefix(base) for url in kept_urls(page)]
    assert "/portal/rewards/" in kept
    assert all(url == "/portal/rewards/" or url.startswith("/static/") for url in kept), kept

    context.set_offline(True)
    page.goto(f"{base}/portal/rewards/")
    assert AS_OF.search(page.locator(".tb-offline").first.inner_text())
    assert page.locator(".tb-offline").first.is_visible()
    # The pass, full screen, from the kept copy: QR, code and "as of" on the sheet.
    opener = page.locator("a.tb-pass__open").first
    page.goto(f"{base}/portal/rewards/{opener.get_attribute('href')}")
    sheet = page.locator(".tb-pass:target")
    assert sheet.locator("figure.tb-qr svg").is_visible()
    assert PASS_CODE in sheet.inner_text()
    assert AS_OF.search(sheet.locator(".tb-pass__asof").inner_text())
    # The kept copy wears its styles (the sheet is full screen) and stays accessible.
    box = sheet.bounding_box()
    assert box is not None and box["width"] >= 380
    assert_accessible(page)
    screenshot(page, "offline-pass")

    # Any other portal page asked for without a network leads to the kept wallet.
    page.goto(f"{base}/portal/quests/")
    assert page.url == f"{base}/portal/rewards/"
    assert AS_OF.search(page.locator(".tb-offline").first.inner_text())

    # Back online: the live page replaces the copy, without "as of".
    context.set_offline(False)
    page.wait_for_function(
        "() => !document.querySelector('[data-tb-offline]:not([hidden])')", timeout=30_000
    )
    assert page.locator(".tb-offline").first.is_hidden()
    context.close()


def test_nothing_of_the_fan_is_served_offline_after_logout(
    live_sandbox: Any, live_server: Any, chromium: Any
) -> None:
    base = live_server.url
    hold_a_pass(live_sandbox)
    context = new_fan_context(chromium, base, "en")
    page = context.new_page()
    log_in_by_password(page, base, live_sandbox)
    visit_wallet_online(page, base)
    assert len(fan_caches(page)) == 1

    page.goto(f"{base}/accounts/profile/")
    page.locator("form[action='/accounts/logout/'] button:visible").first.click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    until(page, "async () => !(await caches.keys()).some(n => n.startsWith('tbits-fan-'))")
    # A visitor's pages, under the same worker, are never kept.
    page.goto(f"{base}/portal/programme/")
    page.goto(f"{base}/accounts/login/password/")
    page.goto(f"{base}/healthz")
    assert kept_urls(page) == []

    context.set_offline(True)
    with pytest.raises(Exception, match="ERR_"):
        page.goto(f"{base}/portal/rewards/")
    assert PASS_CODE not in shown(page)
    context.close()


def test_another_fan_on_the_same_browser_never_sees_the_first_fans_wallet(
    live_sandbox: Any, live_server: Any, chromium: Any
) -> None:
    base = live_server.url
    hold_a_pass(live_sandbox)
    other_fan(live_sandbox)
    context = new_fan_context(chromium, base, "en")
    page = context.new_page()
    log_in_by_password(page, base, live_sandbox)
    visit_wallet_online(page, base)
    first_cache = fan_caches(page)

    # The second fan's session arrives in this browser without its login page or the
    # logout form (logged in elsewhere, the cookie carried over): the first portal page that
    # names another fan drops the first fan's copy.
    elsewhere = new_fan_context(chromium, base, "en")
    log_in_as(elsewhere.new_page(), base, OTHER_EMAIL, OTHER_PASSWORD)
    session = [c for c in elsewhere.cookies() if c["name"] == settings.SESSION_COOKIE_NAME]
    elsewhere.close()
    context.clear_cookies()
    context.add_cookies(session)
    page.goto(f"{base}/portal/")
    assert "Robin" in page.locator("body").inner_text()
    context.set_offline(True)
    try:
        page.goto(f"{base}/portal/rewards/")
    except Exception as error:  # no copy of the second fan's wallet yet: no page at all
        assert "ERR_" in str(error)
    text = shown(page)
    assert PASS_CODE not in text
    assert "Silver Lounge Pass" not in text
    # Online again (on a page that says nothing of who is logged in), no copy is left.
    context.set_offline(False)
    page.goto(f"{base}/healthz")
    assert fan_caches(page) == []

    # The second fan's own wallet is what is kept from now on.
    visit_wallet_online(page, base)
    context.set_offline(True)
    page.goto(f"{base}/portal/rewards/")
    assert AS_OF.search(page.locator(".tb-offline").first.inner_text())
    assert PASS_CODE not in shown(page)
    assert len(fan_caches(page)) == 1 and fan_caches(page) != first_cache
    context.close()
