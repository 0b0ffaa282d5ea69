"""Fixtures of the loyalty view tests: the portal on the sandbox, a fan logged in.

``sandbox_api`` seeds the sandbox with a small board (``sandbox_api.seed_board``) and
serves it at the portal's API base URL in-process, so completing a quest changes what the
next page shows because the sandbox recorded it. End-to-end tests over real HTTP use
``live_sandbox`` and ``sandbox_fan`` with the demo seed instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import responses

from tests import fan_login
from tests.loyalty.sandbox_api import (
    ACCOUNT_ID,
    API,
    API_KEY,
    BUSINESS_ID,
    FAN_ID,
    SECRET,
    SESSION_UID,
    SandboxApi,
    seed_board,
)

__all__ = ["SECRET", "log_in", "log_in_demo_fan"]


@pytest.fixture(autouse=True)
def loyalty_settings(settings: Any, monkeypatch: Any) -> dict[str, Any]:
    """Point the portal at the API of these tests: no retries, inline cache refresh."""
    settings.TBITS = {
        "API_BASE_URL": API,
        "API_KEY": API_KEY,
        "API_SECRET": SECRET,
        "ACCOUNT_ID": str(ACCOUNT_ID),
        "BUSINESS_ID": str(BUSINESS_ID),
        "API_MAX_RETRIES": 0,
    }
    monkeypatch.setattr("accounts.api.CIRCUIT_BREAKER_THRESHOLD", 1000)
    monkeypatch.setattr("loyalty.cache.REFRESH_IN_BACKGROUND", False)
    return settings.TBITS


@pytest.fixture
def sandbox_api(db: None, settings: Any) -> Iterator[SandboxApi]:
    """The seeded sandbox answering every call to the API base URL; any other call fails."""
    seed_board()
    settings.TBITS_SANDBOX_FAULTS = ""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        api = SandboxApi(mock=mock, settings=settings)
        for method in (responses.GET, responses.POST, responses.DELETE):
            mock.add_callback(method, re.compile(re.escape(API) + ".*"), callback=api.answer)
        yield api


def log_in(client: Any, *, fan_id: int = FAN_ID, session_uid: str = SESSION_UID) -> None:
    """Put the seeded fan's API session (``seed_board`` opened it) into the Django session."""
    fan_login.log_in(client, session_uid=session_uid, fan_id=fan_id)


@pytest.fixture
def fan_client(client: Any, db: Any) -> Any:
    """The test client with fan 501 logged in (the session ``seed_board`` opened)."""
    log_in(client)
    return client


log_in_demo_fan = fan_login.log_in_demo_fan


@pytest.fixture
def sandbox_fan(live_sandbox: Any, client: Any) -> Any:
    """The seeded demo fan, logged in through the live sandbox."""
    return log_in_demo_fan(client, live_sandbox)
