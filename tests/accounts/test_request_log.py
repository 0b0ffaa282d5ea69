"""One line per request (with the API requests it cost), and no secret in any log line."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest

from accounts.logs import RedactSecretsFilter, redact
from tests.accounts.conftest import FakeApi

LOGGER = "tbits.request"


def request_lines(caplog: Any) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == LOGGER]


def test_one_line_per_request_with_method_path_status_and_duration(
    client: Any, caplog: Any
) -> None:
    with caplog.at_level(logging.INFO, logger=LOGGER):
        client.get("/healthz-not-here?code=12345&api_secret=s3cr3t")
    assert len(request_lines(caplog)) == 1
    assert re.fullmatch(r"GET /healthz-not-here 404 \d+\.\dms api=0/0ms", request_lines(caplog)[0])


@pytest.mark.django_db
def test_the_line_counts_the_api_requests_the_page_cost(
    client: Any, branded_api: FakeApi, caplog: Any
) -> None:
    with caplog.at_level(logging.INFO, logger=LOGGER):
        response = client.get("/accounts/login/?next=/portal/")
    assert response.status_code == 200
    sent = len(branded_api.mock.calls)
    assert sent >= 1  # the login page reads the account's branding
    (line,) = request_lines(caplog)
    assert re.fullmatch(rf"GET /accounts/login/ 200 \d+\.\dms api={sent}/\d+ms", line), line


@pytest.mark.django_db
def test_calls_made_in_worker_threads_are_counted_for_the_request() -> None:
    from tbits_client import counting_calls, run_concurrently
    from tbits_client.tally import note_requests

    with counting_calls() as tally:
        run_concurrently({name: lambda: note_requests(2, 5) for name in "abc"})
    assert (tally.requests, tally.milliseconds) == (6, 15)
    note_requests(1, 1)  # outside any tally: counted nowhere, and no error
    assert tally.requests == 6


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("POST /x api_secret=abc123&x=1", "abc123"),
        ('{"password": "hunter2", "email": "a@b.c"}', "hunter2"),
        ("verification_code=49270", "49270"),
        ("session_uid: 9f1c2d3e-aaaa-bbbb", "9f1c2d3e-aaaa-bbbb"),
        ("Cookie: sessionid=abcdef0123456789", "abcdef0123456789"),
        ("Api-Secret: topsecret", "topsecret"),
        ("redirect_url=https://fans.example/accounts/oauth/callback/one-time-77", "one-time-77"),
    ],
)
def test_redact_removes_secret_values(text: str, secret: str) -> None:
    cleaned = redact(text)
    assert secret not in cleaned
    assert "***" in cleaned


def test_filter_redacts_arguments_of_any_logger() -> None:
    record = logging.LogRecord(
        "any", logging.INFO, __file__, 1, "calling with %s", ("password=hunter2",), None
    )
    assert RedactSecretsFilter().filter(record) is True
    assert "hunter2" not in record.getMessage()


@pytest.mark.django_db
def test_secrets_in_the_path_are_logged_as_the_url_pattern(client: Any, caplog: Any) -> None:
    """Sandbox session URLs carry the session id: the log shows the pattern instead."""
    with caplog.at_level(logging.INFO, logger=LOGGER):
        client.get("/sandbox/api/v1/sessions/5b1e0c9a-secret-session-id/fan")
    (line,) = request_lines(caplog)
    assert "5b1e0c9a-secret-session-id" not in line
    assert line.startswith("GET /sandbox/api/v1/sessions/<")
