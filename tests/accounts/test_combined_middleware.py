"""``accounts.middleware.TbitsMiddleware``: the one middleware line a site adds.

It is the supported entry point (the demo project lists it, as the docs tell a site to).
``FanMiddleware`` + ``TbitsErrorMiddleware``, its halves, must keep working for sites that
listed them before it existed, so every behaviour here runs with both configurations.
"""

from __future__ import annotations

from typing import Any

import pytest

from accounts.fan import SESSION_KEY
from tests.accounts.conftest import log_in

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.urls")]

COMBINED = "accounts.middleware.TbitsMiddleware"
HALVES = ("accounts.middleware.FanMiddleware", "accounts.middleware.TbitsErrorMiddleware")


@pytest.fixture(
    autouse=True,
    params=[pytest.param((COMBINED,), id="one-line"), pytest.param(HALVES, id="the-pair")],
)
def listed(request: Any, settings: Any) -> tuple[str, ...]:
    kept = [m for m in settings.MIDDLEWARE if m not in (COMBINED, *HALVES)]
    settings.MIDDLEWARE = [*kept, *request.param]
    return request.param


def test_the_middleware_sets_the_fan(client: Any) -> None:
    assert client.get("/whoami/").content == b"anonymous"
    log_in(client, fan_id=777)
    assert client.get("/whoami/").content == b"fan 777"


def test_the_middleware_logs_an_expired_fan_out(client: Any) -> None:
    log_in(client, fan_id=777)
    response = client.get("/raise/session_expired/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert SESSION_KEY not in client.session


def test_the_middleware_turns_api_errors_into_pages(client: Any) -> None:
    response = client.get("/raise/server/")
    assert response.status_code == 503
    assert "We are having trouble right now" in response.content.decode()
    limited = client.get("/raise/rate_limited/")
    assert limited.status_code == 429 and limited["Retry-After"] == "17"


def test_without_it_an_api_error_is_not_turned_into_a_page(
    client: Any, settings: Any, listed: tuple[str, ...]
) -> None:
    # The pages above come from the middleware under test, not from somewhere else.
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m not in listed]
    client.raise_request_exception = False
    assert client.get("/raise/server/").status_code == 500
