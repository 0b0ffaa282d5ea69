"""Codes, passwords, session ids and the API secret never reach a log line."""

from __future__ import annotations

import logging
from typing import Any

import pytest
import requests
import responses

from tests.accounts.conftest import API, SECRET, FakeApi, log_in, session_payload

pytestmark = pytest.mark.django_db

CODE = "48213"
PASSWORD = "my-Secret-pw-77"
SESSION_UID = "sess-uid-topsecret-1"


def test_nothing_secret_is_logged(client: Any, api: FakeApi, caplog: Any) -> None:
    caplog.set_level(logging.DEBUG)
    api.connect("verify_email", json={"request_uid": "req-secret-uid", "message": "sent"})
    client.post("/accounts/login/", {"contact": "fan@example.com"})
    # The API echoes what it was sent in its error; the log must still not show it.
    api.connect(
        "submit_verification_code",
        status=400,
        json={"error": f"code {CODE} is wrong for req-secret-uid"},
    )
    client.post("/accounts/login/code/", {"code": CODE})
    api.connect("submit_verification_code", exception=requests.ReadTimeout(f"code={CODE}"))
    client.post("/accounts/login/code/", {"code": CODE})
    api.connect("password", status=401, json={"error": f"bad password {PASSWORD}"})
    client.post("/accounts/login/password/", {"contact": "fan@example.com", "password": PASSWORD})
    api.connect("password", status=500, json={"error": f"crash with {PASSWORD} {SECRET}"})
    client.post("/accounts/login/password/", {"contact": "fan@example.com", "password": PASSWORD})
    api.connect("password", json=session_payload(session_uid=SESSION_UID))
    client.post("/accounts/login/password/", {"contact": "fan@example.com", "password": PASSWORD})
    api.mock.add(
        responses.GET,
        f"{API}api/v1/sessions/{SESSION_UID}/fan",
        status=502,
        json={"error": f"session {SESSION_UID} broke"},
    )
    api.mock.add(responses.GET, f"{API}api/v1/idols", json=[])
    api.mock.add(responses.GET, f"{API}api/v1/sessions/{SESSION_UID}/idols", json=[])
    log_in(client, session_uid=SESSION_UID)
    assert client.get("/accounts/profile/").status_code == 503

    text = "\n".join(
        f"{record.getMessage()} {record.exc_text or ''}"
        + (f" {record.exc_info[1]!s}" if record.exc_info else "")
        for record in caplog.records
    )
    assert caplog.records  # something was logged, so the check means something
    for secret in (CODE, PASSWORD, SESSION_UID, SECRET, "req-secret-uid"):
        assert secret not in text, secret
