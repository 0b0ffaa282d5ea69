"""The account's branding and legal texts from ``/api/v1/status``, cached.

The login page must still work when the API is slow or down (a fan at a venue on a bad
connection, an API hiccup): a fresh copy is cached for ``FRESH_TIMEOUT``, a last
known good copy for a day, and with neither the page simply shows no branding.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import asdict, dataclass

from accounts.api import get_client
from accounts.app_settings import app_settings
from tbits_client import TbitsError

logger = logging.getLogger(__name__)

# Branding changes when an operator edits it in the admin UI, rarely: ten minutes to show.
FRESH_TIMEOUT = 10 * 60
_STALE_TIMEOUT = 24 * 60 * 60


@dataclass(frozen=True)
class Branding:
    """What the login pages show. Legal texts come either as links or as text."""

    header_text: str | None = None
    image_url: str | None = None
    terms_url: str | None = None
    terms_text: str | None = None
    privacy_url: str | None = None
    privacy_text: str | None = None

    @property
    def has_terms(self) -> bool:
        return bool(self.terms_url or self.terms_text)


def _is_web_url(value: str | None) -> bool:
    return bool(value) and str(value).lower().startswith(("https://", "http://"))


def _link_or_text(value: str | None) -> tuple[str | None, str | None]:
    if not value:
        return None, None
    return (value, None) if _is_web_url(value) else (None, value)


def _cache_key(kind: str) -> str:
    # One account per key; a changed API key must not show another account's branding.
    account = hashlib.sha256(
        f"{app_settings.API_BASE_URL}|{app_settings.API_KEY}".encode()
    ).hexdigest()[:16]
    return f"tbits_accounts:branding:{kind}:{account}"


def account_branding() -> Branding:
    """The branding to show now: fresh, else last known good, else empty."""
    cache = app_settings.cache()
    cached = cache.get(_cache_key("fresh"))
    if isinstance(cached, dict):
        return Branding(**cached)
    try:
        status = get_client().status()
    except TbitsError as exc:
        logger.warning("account branding unavailable: %s", exc)
        stale = cache.get(_cache_key("stale"))
        return Branding(**stale) if isinstance(stale, dict) else Branding()
    terms_url, terms_text = _link_or_text(status.legal_terms)
    privacy_url, privacy_text = _link_or_text(status.legal_privacy)
    branding = Branding(
        header_text=status.header_text or None,
        # Only a web address may become an <img src>; anything else is dropped.
        image_url=status.image_url if _is_web_url(status.image_url) else None,
        terms_url=terms_url,
        terms_text=terms_text,
        privacy_url=privacy_url,
        privacy_text=privacy_text,
    )
    cache.set(_cache_key("fresh"), asdict(branding), timeout=FRESH_TIMEOUT)
    cache.set(_cache_key("stale"), asdict(branding), timeout=_STALE_TIMEOUT)
    return branding
