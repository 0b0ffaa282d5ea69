"""Issue 17, finding 4: nothing that identifies a login step reaches a log line.

Every error path a login step can take is driven for real (the OAuth exchange failing,
a code check failing, the API failing on a session's own URL, in the portal and in the
sandbox, which runs in this process), with every logger captured as the project's
handler would print it (its redacting filter included): the root logger and Django's
``django.request``, which does not propagate. Then the OAuth one-time value, the API
session id and the codes are looked for.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from loadtest.fault_proxy import Fault
from tests.reliability.conftest import Proxied
from tests.security.test_oauth_callback import EXCHANGE, provider_code, start

pytestmark = pytest.mark.django_db(transaction=True)


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name} {record.levelname} {self.format(record)}")


@pytest.fixture
def every_log_line() -> Iterator[list[str]]:
    from accounts.logs import RedactSecretsFilter

    handler = _Lines()
    handler.addFilter(RedactSecretsFilter())  # what the project's one handler applies
    loggers = [logging.getLogger(), logging.getLogger("django.request")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    yield handler.lines
    for logger, level in zip(loggers, levels, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)


def test_finding_4_no_login_step_identifier_in_any_log_line(
    proxied: Proxied, settings: Any, every_log_line: list[str]
) -> None:
    # The OAuth callback while the token exchange fails.
    visitor = Client()
    redirect_url = start(visitor)
    value = urlsplit(redirect_url).path.rstrip("/").rsplit("/", 1)[1]
    oauth_code = provider_code(proxied, redirect_url)
    proxied.proxy.set_faults((f"^{EXCHANGE}$", Fault.UNAVAILABLE))
    answer = visitor.get(f"{urlsplit(redirect_url).path}?code={oauth_code}")
    assert answer.status_code == 503
    proxied.proxy.heal()

    # A code check while the API fails.
    email = proxied.sandbox.fan_email
    assert visitor.post(reverse("tbits_accounts:login"), {"contact": email}).status_code == 302
    code = proxied.sandbox.latest_code(email)
    proxied.proxy.set_faults((r"/sessions/connect$", Fault.UNAVAILABLE, "POST"))
    assert visitor.post(reverse("tbits_accounts:code"), {"code": code}).status_code == 503
    proxied.proxy.heal()

    # The sandbox failing on the fan's session URL: its own 5xx line, and the portal's.
    fan = Client()
    session_uid = str(proxied.log_in(fan).session_uid)
    settings.TBITS_SANDBOX_FAULTS = r"/sessions/[^/]+/fan$=503"
    assert fan.get(reverse("tbits_accounts:profile")).status_code == 503

    text = "\n".join(every_log_line)
    assert "django.request ERROR" in text and "/sessions/" in text, text  # the lines exist
    leaks = {
        name: secret
        for name, secret in {
            "OAuth one-time value": value,
            "OAuth code": oauth_code,
            "API session id": session_uid,
            "API session id (hex)": session_uid.replace("-", ""),
            "verification code": code,
        }.items()
        if secret in text
    }
    assert not leaks, f"{sorted(leaks)} in:\n{text}"


def test_finding_5_an_api_outage_is_one_warning_line_without_a_traceback(
    proxied: Proxied, every_log_line: list[str], caplog: Any
) -> None:
    fan = Client()
    proxied.log_in(fan)
    proxied.proxy.set_faults((r"^/sandbox/api/", Fault.UNAVAILABLE))
    assert fan.get(reverse("tbits_accounts:profile")).status_code == 503
    ours = [r for r in caplog.records if r.name == "accounts.failures"]
    assert len(ours) == 1 and ours[0].levelno == logging.WARNING
    assert ours[0].exc_info is None
    assert ours[0].getMessage().endswith(": session_fan 503")  # the endpoint and the status
    assert "Traceback" not in "\n".join(every_log_line)
