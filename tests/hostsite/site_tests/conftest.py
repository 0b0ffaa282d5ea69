"""Fixtures of the host project's own tests (run by ``tests/hostsite/test_hostsite.py``).

Collected only in that run (``-o python_files=hostcheck_*.py``); the main suite imports
this file while walking the folder, so nothing here touches Django at import time.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from typing import Any

import pytest

CLUB_USER = "harbour"
CLUB_PASSWORD = "club-pass-1887"


@pytest.fixture(scope="session", autouse=True)
def _drain_live_server(live_server: Any) -> Iterator[None]:
    """Before the live server stops, let its request threads end.

    A server thread still waiting on a kept-alive connection when the server stops would
    close the shared in-memory database from the wrong thread (an "unhandled thread
    exception" warning). Changing TBITS makes the portal close its API client; collecting
    garbage closes connections still held by objects of failed calls; then every thread
    sees its connection end.
    """
    yield
    from django.conf import settings
    from django.test import override_settings

    with override_settings(TBITS={**settings.TBITS}):
        pass
    gc.collect()
    for thread in threading.enumerate():
        if "process_request_thread" in thread.name:
            thread.join(timeout=10)


@pytest.fixture(autouse=True)
def _refresh_inline(monkeypatch: Any) -> None:
    # Stale portal data is refreshed inline: no background thread may still be calling the
    # live sandbox when a test (or the live server) ends.
    monkeypatch.setattr("loyalty.cache.REFRESH_IN_BACKGROUND", False)


@pytest.fixture
def fan(client: Any, live_sandbox: Any) -> Any:
    """The demo fan logged in through the portal's password page, under /fans/."""
    from django.urls import reverse

    response = client.post(
        reverse("tbits_accounts:password"),
        {"contact": live_sandbox.fan_email, "password": live_sandbox.fan_password},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == "/fans/"
    return client


@pytest.fixture
def site_user(django_user_model: Any) -> Any:
    """A member of the club site: a django.contrib.auth user with a membership card."""
    from tests.hostsite.users.models import Membership

    user = django_user_model.objects.create_user(CLUB_USER, password=CLUB_PASSWORD)
    Membership.objects.create(user=user, number="HC-0001")
    return user
