"""No page of a logged-in fan shows a raw API word (issue 16's "Done when").

Crawls every fan page of the seeded sandbox in English and French and reads the text a fan
sees (``innerText``: hidden elements and markup left out) for the API's own vocabulary:
delivery states (``pushed``), reward and quest types (``point_tier``, ``quickpicks``), field
names (``fan_points``, ``link_url``, any snake_case word) and identifiers (a uuid, a long
hex token, ``id 123``). Each is a word the portal should have said in the fan's language.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.fan_pages import (
    fan_pages,
    hold_a_pass,
    is_logged_in,
    log_in_by_password,
    new_fan_context,
    open_page,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("orm_beside_playwright", "phone_wallets"),
]

API_WORDS = re.compile(
    r"\b(?:pushed|quickpicks?|point_tier|fan_points|link_url|prize_code)\b"
    r"|\b[a-z]+(?:_[a-z]+)+\b"  # a snake_case field or type name
    r"|\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b"  # a uuid
    r"|\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{12,}\b"  # a hex id or token
    r"|\b(?:id|uid)\s*[:#=]?\s*\d+\b",
    re.IGNORECASE,
)


def raw_api_words(text: str) -> list[str]:
    return sorted({match.group(0) for match in API_WORDS.finditer(text)})


def test_the_pattern_finds_the_words_the_issue_names() -> None:
    assert raw_api_words(
        "Delivery: pushed · point_tier · QuickPicks · 3f2b1c9e-1d2a-4b5c-8d9e-0a1b2c3d4e5f"
        " · token 9f86d081884c7d659a2f · id 42"
    ) == [
        "3f2b1c9e-1d2a-4b5c-8d9e-0a1b2c3d4e5f",
        "9f86d081884c7d659a2f",
        "QuickPicks",
        "id 42",
        "point_tier",
        "pushed",
    ]
    assert raw_api_words("Silver Lounge Pass PASS-1234, 350 points to Silver, 06:10") == []


@pytest.mark.parametrize("language", ["en", "fr"])
def test_no_fan_page_shows_a_raw_api_word(
    live_sandbox: Any, live_server: Any, chromium: Any, language: str
) -> None:
    hold_a_pass(live_sandbox)
    context = new_fan_context(chromium, live_server.url, language)
    page = context.new_page()
    found: dict[str, list[str]] = {}
    for fan_page in fan_pages():
        if fan_page.logged_in and not is_logged_in(page):
            log_in_by_password(page, live_server.url, live_sandbox)
        open_page(page, live_server.url, fan_page)
        words = raw_api_words(page.locator("body").inner_text())
        if words:
            found[fan_page.name] = words
    context.close()
    assert not found, found
