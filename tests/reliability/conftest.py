"""The seeded sandbox behind a fault proxy, and a logged-in demo fan.

``proxied`` serves the seeded sandbox over real HTTP (``live_sandbox``) and puts a
:class:`loadtest.fault_proxy.FaultProxy` between it and the portal, so every fault of the
matrix (late answers, dropped connections, 5xx, 429, 401, 400, bodies that are not JSON or
not the right shape) reaches the portal's client on real sockets.

The client's timeouts are production's divided by :data:`SCALE`, and so is the request
budget every page must answer within (gunicorn's ``--timeout``), so a timeout cell takes
a second instead of ten and still proves the production claim.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import caches

from accounts.fan import SESSION_KEY as FAN_KEY
from loadtest.fault_proxy import FaultProxy

REPO = Path(__file__).resolve().parents[2]

#: Production timeouts and budgets are divided by this in the fault tests.
#: 10, not more: the live sandbox answers the calls a cold page sends together one after
#: another (SQLite), and a read timeout of 0.5 s (at 20) was now and then reached by a
#: healthy answer, failing a cell that injected no fault.
SCALE = 10
#: The client's defaults (accounts.app_settings): connect 3 s, read 10 s, retries within 5 s.
PRODUCTION_TIMEOUT = (3.0, 10.0)
PRODUCTION_RETRY_BUDGET = 5.0
#: Everything the portal calls on the API (the sandbox's outbox is not the API).
ALL_API = r"^/sandbox/(api|crm)/"


def gunicorn_timeout() -> float:
    """The request budget production runs with: the Dockerfile's gunicorn ``--timeout``."""
    text = (REPO / "Dockerfile").read_text()
    match = re.search(r"--timeout \$\{GUNICORN_TIMEOUT:-(\d+)\}", text)
    assert match, "the Dockerfile's CMD no longer sets gunicorn's --timeout"
    return float(match.group(1))


#: What every page must answer within in these tests (30 s / SCALE).
REQUEST_BUDGET = gunicorn_timeout() / SCALE


@dataclass
class Proxied:
    """The seeded sandbox reached through the fault proxy."""

    sandbox: Any  # tests.conftest.LiveSandbox
    proxy: FaultProxy

    @property
    def api_url(self) -> str:
        return f"{self.proxy.url}/sandbox/"

    def reset(self) -> None:
        """Forget cooldowns, breaker state, cached data, rate-limit counters and calls."""
        self.proxy.heal()
        caches["default"].clear()
        self.proxy.forget_calls()

    def log_in(self, client: Any) -> Any:
        """Log the demo fan in through the sandbox and put the session in ``client``."""
        from accounts.api import get_client

        result = get_client().connect_password(
            business_id=self.sandbox.business_id,
            email=self.sandbox.fan_email,
            password=self.sandbox.fan_password,
        )
        session = result.session
        assert session is not None and session.fan_id is not None
        now = time.time()
        django_session = client.session
        django_session[FAN_KEY] = {
            "session_uid": session.session_uid,
            "fan_id": session.fan_id,
            "expires_at": session.expiration_timestamp.isoformat()
            if session.expiration_timestamp
            else None,
            "logged_in_at": now,
            "last_seen": now,
        }
        django_session.save()
        return session


@pytest.fixture
def proxied(live_sandbox: Any, settings: Any, monkeypatch: Any) -> Iterator[Proxied]:
    """The sandbox behind the fault proxy, the portal pointed at the proxy, timeouts scaled."""
    from tbits_client import TbitsClient

    # The retry budget is not a setting: scale it wherever accounts.api builds its client.
    monkeypatch.setattr(
        "accounts.api.TbitsClient",
        functools.partial(TbitsClient, retry_budget_seconds=PRODUCTION_RETRY_BUDGET / SCALE),
    )
    connect, read = PRODUCTION_TIMEOUT
    # A held-back answer must outlast the client's read timeout, or it is no timeout.
    proxy = FaultProxy(
        live_sandbox.base_url.split("/sandbox/")[0], timeout_delay=2 * read / SCALE
    ).start()
    settings.TBITS = {
        **settings.TBITS,
        "API_BASE_URL": f"{proxy.url}/sandbox/",
        "API_TIMEOUT": (connect / SCALE, read / SCALE),
    }
    # Pages must be deterministic: a stale refresh happens inline, not in a thread.
    monkeypatch.setattr("loyalty.cache.REFRESH_IN_BACKGROUND", False)
    proxied = Proxied(sandbox=live_sandbox, proxy=proxy)
    proxied.reset()
    yield proxied
    proxy.stop()
    caches["default"].clear()
