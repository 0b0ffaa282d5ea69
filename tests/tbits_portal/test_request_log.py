"""One line per request, and no secret in any log line."""

from __future__ import annotations

import logging
import re

import pytest

from tbits_portal.request_log import RedactSecretsFilter, redact


def test_one_line_per_request_with_method_path_status_and_duration(client, caplog):
    with caplog.at_level(logging.INFO, logger="tbits_portal.request"):
        client.get("/healthz-not-here?code=12345&api_secret=s3cr3t")
    lines = [r.getMessage() for r in caplog.records if r.name == "tbits_portal.request"]
    assert len(lines) == 1
    assert re.fullmatch(r"GET /healthz-not-here 404 \d+\.\dms", lines[0])


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("POST /x api_secret=abc123&x=1", "abc123"),
        ('{"password": "hunter2", "email": "a@b.c"}', "hunter2"),
        ("verification_code=49270", "49270"),
        ("session_uid: 9f1c2d3e-aaaa-bbbb", "9f1c2d3e-aaaa-bbbb"),
        ("Cookie: sessionid=abcdef0123456789", "abcdef0123456789"),
        ("Api-Secret: topsecret", "topsecret"),
    ],
)
def test_redact_removes_secret_values(text, secret):
    cleaned = redact(text)
    assert secret not in cleaned
    assert "***" in cleaned


def test_filter_redacts_arguments_of_any_logger():
    record = logging.LogRecord(
        "any", logging.INFO, __file__, 1, "calling with %s", ("password=hunter2",), None
    )
    assert RedactSecretsFilter().filter(record) is True
    assert "hunter2" not in record.getMessage()


@pytest.mark.django_db
def test_secrets_in_the_path_are_logged_as_the_url_pattern(client, caplog):
    """Sandbox session URLs carry the session id: the log shows the pattern instead."""
    with caplog.at_level(logging.INFO, logger="tbits_portal.request"):
        client.get("/sandbox/api/v1/sessions/5b1e0c9a-secret-session-id/fan")
    (line,) = [r.getMessage() for r in caplog.records if r.name == "tbits_portal.request"]
    assert "5b1e0c9a-secret-session-id" not in line
    assert line.startswith("GET /sandbox/api/v1/sessions/<")
