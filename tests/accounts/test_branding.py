"""Branding from /api/v1/status: cached, safe, and never a reason for the login to fail."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.branding import account_branding
from tests.accounts.conftest import FakeApi, cache_keys

pytestmark = pytest.mark.django_db


def test_links_and_texts(api: FakeApi) -> None:
    api.status(
        {
            "legal_terms": "Be kind.",
            "legal_privacy": "https://x.example/p",
            "header_text": "Hi",
            "image_url": "data:image/png;base64,xx",
        }
    )
    branding = account_branding()
    assert branding.terms_text == "Be kind." and branding.terms_url is None
    assert branding.privacy_url == "https://x.example/p"
    assert branding.image_url is None  # only web addresses become <img src>
    assert branding.has_terms


def test_api_down_shows_no_branding(api: FakeApi, client: Any) -> None:
    api.status({}, status=503)
    assert account_branding().header_text is None
    response = client.get("/accounts/login/")
    assert response.status_code == 200  # the login still works
    assert 'name="contact"' in response.content.decode()


def test_last_known_branding_survives_an_outage(api: FakeApi) -> None:
    from django.core.cache import caches

    api.status({"header_text": "Club"})
    assert account_branding().header_text == "Club"
    # The fresh copy expires; the API is down: the stale copy is shown.
    for key in cache_keys():
        if "branding:fresh" in key:
            caches["default"].delete(key.split(":", 2)[-1])
    api.mock.replace("POST", "https://api.tbits.test/api/v1/status", status=500, json={})
    assert account_branding().header_text == "Club"
    assert len(api.requests_to("api/v1/status")) == 2


def test_texts_are_escaped(api: FakeApi, client: Any) -> None:
    api.status({"header_text": "<script>alert(1)</script>", "legal_terms": "<b>x</b>"})
    html = client.get("/accounts/login/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
