"""Fan login in Chromium, through the real pages and the live sandbox."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest

pytestmark = pytest.mark.browser

PROFILE = "/accounts/profile/"


def expect() -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect


def ask_for_code(page: Any, base: str, contact: str, *, next_url: str = PROFILE) -> None:
    page.goto(f"{base}/accounts/login/?next={next_url}")
    expect()(page).to_have_title("Log in · Fan portal")
    page.get_by_label("Email or mobile phone number").fill(contact)
    page.get_by_role("button", name="Send me a code").click()
    expect()(page.get_by_role("heading", name="Enter your code")).to_be_visible()


def enter_code(page: Any, code: str) -> None:
    page.get_by_label("Code", exact=True).fill(code)
    page.get_by_role("button", name="Continue").click()


def wrong(code: str) -> str:
    return code[:-1] + str((int(code[-1]) + 1) % 10)


def test_new_fan_registers_logs_out_and_logs_in_with_a_password(
    browser_page: Any, live_sandbox: Any, screenshot: Callable[[Any, str], Any]
) -> None:
    page, base = browser_page, live_sandbox.base_url.removesuffix("/sandbox/")
    email = "first.timer@example.com"

    ask_for_code(page, base, email)
    expect()(page.get_by_text("We sent an email with a code to f***@example.com.")).to_be_visible()
    expect()(page.get_by_label("Code", exact=True)).to_have_attribute(
        "autocomplete", "one-time-code"
    )
    expect()(page.get_by_label("Code", exact=True)).to_be_focused()
    screenshot(page, "code")
    enter_code(page, live_sandbox.latest_code(email))

    expect()(page).to_have_title("Create your account · Fan portal")
    page.get_by_label("First name").fill("First")
    page.get_by_label("Last name").fill("Timer")
    page.get_by_role("button", name="Create my account").click()

    expect()(page).to_have_url(f"{base}{PROFILE}")
    expect()(page.get_by_label("First name")).to_have_value("First")
    page.get_by_label("New password", exact=True).fill("stadium-lights-42")
    page.get_by_label("New password again").fill("stadium-lights-42")
    page.get_by_role("button", name="Save my password").click()
    expect()(page.get_by_text("Your password is saved.")).to_be_visible()
    screenshot(page, "profile")

    page.get_by_role("button", name="Log out").click()
    expect()(page.get_by_text("You have logged out.")).to_be_visible()
    page.goto(f"{base}{PROFILE}")
    # The profile needs a fan. The login page now wears the club's name: a fan's visit put
    # the catalogue in the shared cache, where the login pages read it (never from the API).
    expect()(page).to_have_title("Log in · Harbour City FC Fan Club")

    page.get_by_role("link", name="Log in with a password instead").click()
    page.get_by_label("Email or mobile phone number").fill(email)
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name="Log in").click()
    expect()(
        page.get_by_text("That email or phone number and password do not match an account.")
    ).to_be_visible()
    page.get_by_label("Password").fill("stadium-lights-42")
    page.get_by_role("button", name="Log in").click()
    expect()(page).to_have_url(f"{base}{PROFILE}")
    expect()(page.get_by_label("Last name")).to_have_value("Timer")


def test_demo_fan_logs_in_with_an_sms_code(browser_page: Any, live_sandbox: Any) -> None:
    page, base = browser_page, live_sandbox.base_url.removesuffix("/sandbox/")
    ask_for_code(page, base, live_sandbox.fan_phone)
    expect()(page.get_by_text("We sent a text message with a code to")).to_be_visible()
    messages = live_sandbox.outbox(to=live_sandbox.fan_phone)
    assert messages and messages[0]["channel"] == "sms"
    enter_code(page, live_sandbox.latest_code(live_sandbox.fan_phone))
    expect()(page).to_have_url(f"{base}{PROFILE}")
    expect()(page.get_by_role("heading", name="Your profile")).to_be_visible()


def test_wrong_code_says_so(
    browser_page: Any, live_sandbox: Any, screenshot: Callable[[Any, str], Any]
) -> None:
    page, base = browser_page, live_sandbox.base_url.removesuffix("/sandbox/")
    ask_for_code(page, base, live_sandbox.fan_email)
    code = live_sandbox.latest_code(live_sandbox.fan_email)
    enter_code(page, wrong(code))
    error = page.get_by_text("That code is not right. Check the message and try again.")
    expect()(error).to_be_visible()
    field = page.get_by_label("Code", exact=True)
    expect()(field).to_have_attribute("aria-invalid", "true")
    expect()(field).to_be_focused()
    expect()(page).to_have_title("Error: Enter your code · Fan portal")
    screenshot(page, "wrong-code")
    enter_code(page, code)  # the step is kept: the right code still works
    expect()(page).to_have_url(f"{base}{PROFILE}")


def test_expired_code_says_so(
    browser_page: Any, live_sandbox: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.TBITS = {**settings.TBITS, "CODE_TTL": 1}
    page, base = browser_page, live_sandbox.base_url.removesuffix("/sandbox/")
    ask_for_code(page, base, live_sandbox.fan_email)
    code = live_sandbox.latest_code(live_sandbox.fan_email)
    # Two seconds pass for the portal (its live server runs in this process) without the
    # test waiting them: the code, valid for one, has expired when it is entered.
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 2)
    enter_code(page, code)
    expect()(page.get_by_text("This code has expired. Ask for a new code below.")).to_be_visible()
    page.get_by_role("button", name="Send me a new code").click()
    expect()(page.get_by_text("We sent you a new code.")).to_be_visible()
    settings.TBITS = {**settings.TBITS, "CODE_TTL": 600}
    enter_code(page, live_sandbox.latest_code(live_sandbox.fan_email))
    expect()(page).to_have_url(f"{base}{PROFILE}")


def test_oauth_through_the_provider_page(
    browser_page: Any, live_sandbox: Any, screenshot: Callable[[Any, str], Any]
) -> None:
    page, base = browser_page, live_sandbox.base_url.removesuffix("/sandbox/")
    page.goto(f"{base}/accounts/login/?next={PROFILE}")
    screenshot(page, "login")
    page.get_by_role("button", name="Sign in with Tradable Bits").click()

    expect()(page).to_have_url(re.compile(r"/sandbox/crm/oauth\?"))
    page.get_by_label("Email address").fill(live_sandbox.fan_email)
    page.get_by_role("button", name="Send me a code").click()
    page.get_by_label("Verification code").fill(live_sandbox.latest_code(live_sandbox.fan_email))
    screenshot(page, "provider")
    page.get_by_role("button", name="Sign in").click()

    expect()(page).to_have_url(f"{base}{PROFILE}")  # a clean URL: no code in the address bar
    expect()(page.get_by_role("heading", name="Your profile")).to_be_visible()


def test_oauth_cancelled_on_the_provider_page(browser_page: Any, live_sandbox: Any) -> None:
    page, base = browser_page, live_sandbox.base_url.removesuffix("/sandbox/")
    page.goto(f"{base}/accounts/login/")
    page.get_by_role("button", name="Sign in with Tradable Bits").click()
    page.get_by_role("button", name="Cancel").click()
    expect()(page).to_have_url(f"{base}/accounts/login/")
    expect()(page.get_by_text("We could not sign you in. Please try again.")).to_be_visible()


def test_an_old_login_logs_in_again_to_set_a_password(
    browser_page: Any,
    live_sandbox: Any,
    screenshot: Callable[[Any, str], Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """After the window, the profile explains, and "Log in again" leads back to the form."""
    from django.contrib.sessions.backends.cached_db import SessionStore

    from accounts.fan import SESSION_KEY
    from tests.browser.conftest import assert_accessible

    page, base = browser_page, live_sandbox.base_url.removesuffix("/sandbox/")
    ask_for_code(page, base, live_sandbox.fan_email)
    enter_code(page, live_sandbox.latest_code(live_sandbox.fan_email))
    expect()(page).to_have_url(f"{base}{PROFILE}")

    # An hour passes with the phone still logged in (the session store is the ORM's).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    (cookie,) = [c for c in page.context.cookies() if c["name"] == "sessionid"]
    store = SessionStore(session_key=cookie["value"])
    store[SESSION_KEY] = {**store[SESSION_KEY], "logged_in_at": time.time() - 3600}
    store.save()

    page.reload()
    expect()(page.get_by_label("New password", exact=True)).to_have_count(0)
    expect()(page.get_by_text("a password can only be set in the first 15 minutes")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "profile-log-in-again")
    page.get_by_role("button", name="Log in again").click()

    expect()(page).to_have_title("Log in · Harbour City FC Fan Club")  # a fan was here
    expect()(page.get_by_text("Log in again, then set your password.")).to_be_visible()
    page.get_by_label("Email or mobile phone number").fill(live_sandbox.fan_email)
    page.get_by_role("button", name="Send me a code").click()
    enter_code(page, live_sandbox.latest_code(live_sandbox.fan_email))
    expect()(page).to_have_url(f"{base}{PROFILE}#password-heading")
    page.get_by_label("New password", exact=True).fill("floodlights-after-dark")
    page.get_by_label("New password again").fill("floodlights-after-dark")
    page.get_by_role("button", name="Save my password").click()
    expect()(page.get_by_text("Your password is saved.")).to_be_visible()


def test_the_terms_and_privacy_texts_look_tappable_and_open_in_place(
    browser_page: Any, live_sandbox: Any
) -> None:
    # A summary laid out as flex had lost its disclosure triangle: "Terms of service" read as
    # a line of plain text under the form.
    page, base = browser_page, live_sandbox.base_url.removesuffix("/sandbox/")
    page.goto(f"{base}/accounts/login/")
    terms = page.locator(".tbits-legal summary", has_text="Terms of service")
    cursor, underline, chevron = terms.evaluate(
        """s => [getComputedStyle(s).cursor, getComputedStyle(s).textDecorationLine,
                 getComputedStyle(s, '::after').content]"""
    )
    assert (cursor, underline) == ("pointer", "underline")
    assert chevron not in ("none", "normal")  # a drawn chevron says it opens
    assert terms.bounding_box()["height"] >= 44
    text = page.locator(".tbits-legal details", has_text="Terms of service").locator(
        ".tbits-legal__text"
    )
    assert text.count() == 1 and not text.is_visible()
    terms.click()
    assert text.is_visible()
