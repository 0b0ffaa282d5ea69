"""Issue 17, finding 5 (the rest): what an outsider's refused request costs the portal.

Anyone can send a bad ``Host``, a POST without a CSRF token or a thousand fields: each
must be one WARNING line in the log, not an ERROR with a traceback (a flood of them would
bury the real errors). A file upload to a fan form is refused from its headers, before the
CSRF check reads a byte of it. The CSP names the hosts the pages use and no others.
"""

from __future__ import annotations

import io
import logging
import socket
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client

from accounts.logs import RedactSecretsFilter

pytestmark = pytest.mark.django_db

TWENTY_MB = 20 * 1024 * 1024
FORM_ENCODED = "application/x-www-form-urlencoded"


@pytest.fixture
def project_log() -> Iterator[io.StringIO]:
    """What the project's own log handler (settings.LOGGING's ``stdout``) prints."""
    handler = next(
        h
        for h in logging.getLogger().handlers
        if isinstance(h, logging.StreamHandler)
        and any(isinstance(f, RedactSecretsFilter) for f in h.filters)
    )
    printed = io.StringIO()
    previous = handler.setStream(printed)
    yield printed
    handler.setStream(previous)


def test_finding_5_anonymous_400s_are_one_warning_line_without_a_traceback(
    project_log: io.StringIO,
) -> None:
    visitor = Client()
    assert visitor.get("/accounts/login/", HTTP_HOST="evil.example").status_code == 400
    too_many_fields = "&".join(f"f{n}=1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    answer = visitor.post("/accounts/login/", too_many_fields, content_type=FORM_ENCODED)
    assert answer.status_code == 400  # TooManyFieldsSent, a SuspiciousOperation
    forged = Client(enforce_csrf_checks=True)
    no_token = forged.post(
        "/accounts/login/", "contact=fan%40example.com", content_type=FORM_ENCODED
    )
    assert no_token.status_code == 403

    printed = project_log.getvalue()
    assert "Traceback" not in printed, printed
    lines = [line for line in printed.splitlines() if " django.security." in line]
    assert len(lines) == 3, printed  # one line each: DisallowedHost, TooManyFieldsSent, csrf
    assert all(" WARNING django.security." in line for line in lines), lines
    assert " ERROR " not in printed, printed

    # A real bug (a 500) keeps its traceback at ERROR.
    logger = logging.getLogger("django.request")
    logger.handle(
        logger.makeRecord(
            "django.request",
            logging.ERROR,
            __file__,
            1,
            "Internal Server Error: %s",
            ("/portal/",),
            exc_info=_an_exception(),
            extra={"status_code": 500},
        )
    )
    bug = project_log.getvalue()[len(printed) :]
    assert " ERROR django.request Internal Server Error" in bug and "Traceback" in bug, bug


def _an_exception() -> Any:
    try:
        raise RuntimeError("a bug")
    except RuntimeError as error:
        return (type(error), error, error.__traceback__)


def test_finding_5_a_20_mb_upload_to_the_login_page_is_refused_before_it_is_read(
    live_server: Any,
) -> None:
    """The answer comes while 99 % of the body is still unsent: nothing waited to read it."""
    address = urlsplit(live_server.url)
    head = (
        "POST /accounts/login/ HTTP/1.1\r\n"
        f"Host: {address.hostname}\r\n"
        "Content-Type: multipart/form-data; boundary=xyz\r\n"
        f"Content-Length: {TWENTY_MB}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    first_part = b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n\r\n'
    with socket.create_connection((address.hostname, address.port), timeout=10) as sock:
        sock.sendall(head + first_part + b"\0" * 65536)
        answer = b""
        try:
            while b"\r\n\r\n" not in answer:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                answer += chunk
        except TimeoutError:
            pytest.fail("the server waited for the 20 MB body instead of refusing it")
    status_line = answer.split(b"\r\n", 1)[0]
    assert status_line.split()[1] in (b"400", b"413"), status_line


@pytest.mark.parametrize("path", ["/accounts/login/code/", "/accounts/profile/", "/portal/"])
def test_finding_5_no_fan_form_takes_a_file(path: str) -> None:
    upload = io.BytesIO(b"x" * 1024)
    upload.name = "a.txt"
    answer = Client().post(path, {"code": "12345", "file": upload})  # multipart
    assert answer.status_code == 400, (path, answer.status_code)
    assert "does not take files" in answer.content.decode()


def test_finding_5_an_oversized_form_body_is_refused_with_413() -> None:
    body = "contact=" + "a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    answer = Client().post("/accounts/login/", body, content_type=FORM_ENCODED)
    assert answer.status_code == 413


def test_finding_5_csp_names_only_the_hosts_the_pages_use() -> None:
    policy = Client().get("/accounts/login/")["Content-Security-Policy"]
    directives = {p.split()[0]: p.split()[1:] for p in policy.split(";") if p.strip()}
    api = urlsplit(settings.TBITS["API_BASE_URL"])
    api_origin = f"{api.scheme}://{api.netloc}"
    assert directives["img-src"] == ["'self'", api_origin], policy
    assert directives["form-action"] == ["'self'", api_origin], policy
    assert "https:" not in policy.split() and "http:" not in policy.split()
