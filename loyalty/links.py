"""Where a quest's button may send a fan: its own link, or its campaign, never elsewhere.

A link quest's URL and a campaign's address come from the API (written by an operator),
so each is checked to be an absolute http(s) URL before a page links or redirects to it.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from loyalty.app_settings import loyalty_settings
from tbits_client import Quest


def safe_destination(quest: Quest | None) -> str | None:
    """The quest's own URL when it is an absolute http(s) URL, else None.

    The redirect only ever goes to the URL stored on the quest, never to one from the
    request, so it cannot be turned into an open redirect.
    """
    if quest is None or not quest.link_url:
        return None
    url = quest.link_url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or "\\" in url:
        return None
    if any(ord(char) < 32 for char in url):
        return None
    return url


def campaign_url(quest: Quest) -> str | None:
    """Where a campaign or QuickPicks quest is played: ``CAMPAIGN_URL`` or its link."""
    template = loyalty_settings.CAMPAIGN_URL
    if template and quest.target_page_tab_id:
        candidate = str(template).format(
            target_page_tab_id=quest.target_page_tab_id, page_tab_id=quest.page_tab_id
        )
        parts = urlsplit(candidate)
        if parts.scheme in ("http", "https") and parts.netloc:
            return candidate
    return safe_destination(quest)


def destination_origins(quests: Iterable[Quest]) -> list[str]:
    """The origins (``https://host``) of the quests' own URLs, for the page's CSP.

    A link quest's button is a form posted to the portal, which redirects to the quest's
    URL; browsers hold that redirect to the page's ``form-action``, so the pages name these
    hosts rather than every ``https:`` one.
    """
    origins = set()
    for quest in quests:
        url = safe_destination(quest)
        if url is not None:
            parts = urlsplit(url)
            origins.add(f"{parts.scheme}://{parts.netloc}")
    return sorted(origins)
