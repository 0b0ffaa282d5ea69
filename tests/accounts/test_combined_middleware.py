"""``accounts.middleware.TbitsMiddleware``: the one middleware line a host site adds."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.checks import check_environment
from accounts.fan import SESSION_KEY
from tests.accounts.conftest import log_in

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.urls")]

COMBINED = "accounts.middleware.TbitsMiddleware"
HALVES = ("accounts.middleware.FanMiddleware", "accounts.middleware.TbitsErrorMiddleware")


def ids(problems: list[Any]) -> set[str]:
    return {problem.id for problem in problems}


@pytest.fixture(autouse=True)
def one_line(settings: Any) -> None:
    kept = [m for m in settings.MIDDLEWARE if m not in HALVES]
    settings.MIDDLEWARE = [*kept, COMBINED]


def test_one_line_satisfies_the_middleware_checks() -> None:
    assert not {"tbits_accounts.E009", "tbits_accounts.W003"} & ids(check_environment())


def test_missing_middleware_names_the_one_line(settings: Any) -> None:
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.startswith("accounts.")]
    errors = [p for p in check_environment() if p.id == "tbits_accounts.E009"]
    assert errors and COMBINED in errors[0].msg


def test_one_line_sets_the_fan(client: Any) -> None:
    assert client.get("/whoami/").content == b"anonymous"
    log_in(client, fan_id=777)
    assert client.get("/whoami/").content == b"fan 777"


def test_one_line_logs_an_expired_fan_out(client: Any) -> None:
    log_in(client, fan_id=777)
    response = client.get("/raise/session_expired/")
    assert response.status_code == 302
    assert SESSION_KEY not in client.session


def test_one_line_turns_api_errors_into_pages(client: Any) -> None:
    response = client.get("/raise/server/")
    assert response.status_code == 503
    assert "We are having trouble right now" in response.content.decode()
    limited = client.get("/raise/rate_limited/")
    assert limited.status_code == 429 and limited["Retry-After"] == "17"
