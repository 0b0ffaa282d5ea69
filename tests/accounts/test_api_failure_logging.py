"""An API outage is one WARNING line per page in the site's log: no traceback, no ERROR.

Django logs every 5xx answer on ``django.request`` at ERROR, which a site's default
``LOGGING`` mails to its ``ADMINS`` and error trackers record as a crash; the portal's
503 pages for an API outage are expected, and say it in one line of their own.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest

from tests.accounts.conftest import FakeApi, log_in

pytestmark = pytest.mark.django_db


def problems(caplog: Any) -> list[str]:
    """Records a site would see as a crash: ERROR or worse, or any with a traceback."""
    return [
        f"{r.name} {r.levelname} {r.getMessage()}"
        for r in caplog.records
        if r.levelno >= logging.ERROR or r.exc_info or r.stack_info
    ]


def test_a_portal_page_with_the_api_down_is_one_warning_line(
    client: Any, api: FakeApi, caplog: Any
) -> None:
    log_in(client)
    with caplog.at_level(logging.DEBUG):
        response = client.get("/portal/")  # no API answer is registered: all calls fail
    assert response.status_code == 503
    assert problems(caplog) == []
    lines = [r for r in caplog.records if r.name == "accounts.failures"]
    assert len(lines) == 1 and lines[0].levelno == logging.WARNING
    assert lines[0].getMessage().startswith("API unavailable for /portal/")


def test_a_form_kept_through_an_outage_is_one_warning_line(
    client: Any, api: FakeApi, caplog: Any
) -> None:
    api.status()
    api.connect("verify_email", status=503, json={"error": "maintenance"})
    with caplog.at_level(logging.DEBUG):
        response = client.post("/accounts/login/", {"contact": "fan@example.com"})
    assert response.status_code == 503
    assert problems(caplog) == []
    assert [r.levelname for r in caplog.records if r.name == "accounts.failures"] == ["WARNING"]
