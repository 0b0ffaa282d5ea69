"""Secrets never reach a log line or an exception message.

The scenario runs against a real local server so urllib3's own DEBUG request lines are
captured too, and the server is deliberately hostile: it echoes every secret back in its
error messages and bodies.
"""

from __future__ import annotations

import logging
import socket
import traceback
from typing import Any

import pytest
import responses

from tbits_client import (
    REDACTED,
    ConnectResult,
    Redactor,
    Session,
    TbitsClient,
    TbitsError,
    TransportError,
)
from tbits_client.redaction import redact_mapping, redact_url_text

from .conftest import API_SECRET, BASE_URL, LocalApi, Recorded, build_client

PASSWORD = "Loyal-Fan-Pa55word"
CODE = "49270"
OAUTH_CODE = "oauth-one-time-8d7f6e"
SESSION_UID = "9a8b7c6d-1111-2222-3333-444455556666"
REQUEST_UID = "req-5e4d3c2b1a"
VERIFICATION_UID = "ver-0f9e8d7c"
SECRETS = [API_SECRET, PASSWORD, CODE, OAUTH_CODE, SESSION_UID, REQUEST_UID, VERIFICATION_UID]


def _echo_everything(status: int) -> Any:
    def handler(request: Recorded) -> tuple[int, dict[str, str], Any]:
        seen = {key: values[0] for key, values in {**request.query, **request.form}.items()}
        words = " ".join(seen.values())
        return (
            status,
            {},
            {
                "error": f"rejected {words} {request.path} {request.headers.get('api-secret', '')}",
                "echo": seen,
                "session_uid": SESSION_UID,
                "nested": [{"password": PASSWORD, "note": f"secret was {API_SECRET}"}],
            },
        )

    return handler


def _everything_said(error: BaseException) -> str:
    parts = [str(error), repr(error), *map(str, error.args)]
    parts.extend(traceback.format_exception_only(type(error), error))
    if isinstance(error, TbitsError):
        parts.extend([error.message, repr(error.body)])
    return "\n".join(parts)


def test_no_secret_in_logs_or_errors(local_api: LocalApi, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    base = local_api.base_url
    local_api.route("POST", "/sandbox/api/v1/sessions/connect", _echo_everything(401))
    local_api.route("GET", f"/sandbox/api/v1/sessions/{SESSION_UID}/fan", _echo_everything(401))
    local_api.route("GET", f"/sandbox/api/v1/sessions/{SESSION_UID}", _echo_everything(500))
    local_api.route("GET", "/sandbox/crm/access_token", _echo_everything(400))
    local_api.json(
        "GET",
        f"/sandbox/api/v1/sessions/{SESSION_UID}/points",
        [{"point_count": 5, "session_uid": SESSION_UID}],
    )
    local_api.route(
        "GET",
        f"/sandbox/api/v1/sessions/{SESSION_UID}/idols",
        lambda r: (200, {}, f"not json, but the session {SESSION_UID}"),
    )
    client = TbitsClient(
        base_url=base,
        api_key="k-public",
        api_secret=API_SECRET,
        max_retries=1,
        retry_budget_seconds=0.5,
    )
    client._requestor.sleep = lambda seconds: None

    said: list[str] = []
    calls = [
        lambda: client.connect_password(business_id=1, email="a@b.c", password=PASSWORD),
        lambda: client.connect_submit_code(
            business_id=1, request_uid=REQUEST_UID, verification_code=CODE, email="a@b.c"
        ),
        lambda: client.connect_register(
            business_id=1,
            email="a@b.c",
            first_name="A",
            last_name="B",
            request_uid=REQUEST_UID,
            verification_uid=VERIFICATION_UID,
        ),
        lambda: client.get_session_fan(SESSION_UID),
        lambda: client.get_session(SESSION_UID),
        lambda: client.exchange_oauth_code(
            code=OAUTH_CODE, account_id=1, redirect_url="https://portal.test/cb"
        ),
        lambda: client.session_idols(SESSION_UID),
    ]
    for call in calls:
        with pytest.raises(TbitsError) as caught:
            call()
        said.append(_everything_said(caught.value))
    points = client.get_session_points(SESSION_UID)
    said.append(repr(points))

    # The secret values really were sent and echoed, so the test can fail.
    assert any(CODE in str(r.form) for r in local_api.requests)
    assert any(OAUTH_CODE in str(r.query) for r in local_api.requests)

    # A dead host: requests' own message names the full URL with the session id.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead_port = probe.getsockname()[1]
    dead = TbitsClient(
        base_url=f"http://127.0.0.1:{dead_port}/", api_key="k", api_secret=API_SECRET, max_retries=0
    )
    with pytest.raises(TransportError) as refused:
        dead.get_session_fan(SESSION_UID)
    said.append(_everything_said(refused.value))

    logged = "\n".join([caplog.text] + [record.getMessage() for record in caplog.records])
    assert "tbits GET /api/v1/sessions/{session_uid}/fan -> 401" in logged
    assert "urllib3" in caplog.text or any(r.name.startswith("urllib3") for r in caplog.records)
    everything = "\n".join(said) + "\n" + logged
    for secret in SECRETS:
        assert secret not in everything, secret
    assert REDACTED in everything


def test_models_keep_tokens_out_of_their_repr() -> None:
    session = Session.from_api({"session_uid": SESSION_UID, "fan_id": 1})
    result = ConnectResult.from_api(
        {"status": "register", "verification_uid": VERIFICATION_UID, "request_uid": REQUEST_UID}
    )
    created = ConnectResult.from_api({"session_uid": SESSION_UID, "fan_id": 1})
    for model in (session, result, created):
        text = repr(model) + str(model)
        assert SESSION_UID not in text and VERIFICATION_UID not in text
        assert REQUEST_UID not in text
    assert session.session_uid == SESSION_UID  # still there for the code that needs it


def test_client_repr_hides_the_secret() -> None:
    client = TbitsClient(
        base_url="https://api.test", api_key="abcd-public-key", api_secret=API_SECRET
    )
    assert API_SECRET not in repr(client)
    assert "abcd-public-key" not in repr(client)


def test_redact_mapping_masks_sensitive_keys_at_any_depth() -> None:
    payload = {
        "password": "x",
        "outer": [{"Verification_Code": "1", "ok": 2}],
        "fine": "y",
        "code": "c",
        "api_secret": "s",
    }
    assert redact_mapping(payload) == {
        "password": REDACTED,
        "outer": [{"Verification_Code": REDACTED, "ok": 2}],
        "fine": "y",
        "code": REDACTED,
        "api_secret": REDACTED,
    }


def test_redact_url_text_masks_session_paths_and_sensitive_query_values() -> None:
    line = (
        '"GET /sandbox/api/v1/sessions/abc-123/fan?x=1 HTTP/1.1" 200 / '
        '"GET /crm/access_token?code=zz9&redirect_url=u HTTP/1.1"'
    )
    cleaned = redact_url_text(line)
    assert "abc-123" not in cleaned and "zz9" not in cleaned
    assert "/api/v1/sessions/[redacted]/fan" in cleaned
    assert "redirect_url=u" in cleaned
    # The connect endpoint is not a session id.
    assert redact_url_text("POST /api/v1/sessions/connect") == "POST /api/v1/sessions/connect"


def test_redactor_scrubs_known_values_but_not_tiny_ones() -> None:
    redactor = Redactor([API_SECRET, None, "12"]).with_secrets([PASSWORD])
    text = f"{API_SECRET}/{PASSWORD}/12"
    assert redactor.text(text) == f"{REDACTED}/{REDACTED}/12"
    assert redactor.payload({"note": f"pw {PASSWORD}", "list": [API_SECRET]}) == {
        "note": f"pw {REDACTED}",
        "list": [REDACTED],
    }


def test_each_call_logs_one_line_with_template_status_and_time(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="tbits_client")
    client = build_client()
    url = BASE_URL + f"api/v1/sessions/{SESSION_UID}/fan"
    with responses.RequestsMock() as mocked:
        mocked.get(url, json={"error": "down"}, status=503)
        mocked.get(url, json={"fan_id": 1})
        client.get_session_fan(SESSION_UID)  # retried once, logged once
        mocked.replace("GET", url, json={"error": "gone"}, status=401)
        with pytest.raises(TbitsError):
            client.get_session_fan(SESSION_UID)
    records = [r for r in caplog.records if r.name == "tbits_client"]
    assert [r.levelno for r in records] == [logging.DEBUG, logging.INFO]
    ok, failed = records
    assert ok.getMessage().startswith("tbits GET /api/v1/sessions/{session_uid}/fan -> 200 ok in ")
    assert ok.getMessage().endswith("(attempts 2)")
    assert (ok.tbits_endpoint, ok.tbits_status, ok.tbits_attempts) == ("session_fan", 200, 2)
    assert isinstance(ok.tbits_ms, int) and ok.tbits_ms >= 0
    assert "-> 401 SessionExpired" in failed.getMessage()
    assert SESSION_UID not in caplog.text
