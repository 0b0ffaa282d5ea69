"""SIGTERM, as an orchestrator stops a replica: the request in flight finishes, then exit 0.

The portal runs in production mode against a second container of the image, the sandbox
API answering every call after a delay (``TBITS_SANDBOX_LATENCY_MS``), so a fan's request
is still waiting on the API when the portal's container gets SIGTERM.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from loadtest.fans import Browser, Sample, outbox_reader
from loadtest.podman import Container
from loadtest.stack import free_port
from tests.container.conftest import Environments
from tests.container.podman import Podman

pytestmark = pytest.mark.container

#: How long the API takes to answer each call: the request's time in flight.
LATENCY_MS = 4000
#: The Dockerfile's --graceful-timeout: a clean stop never takes longer.
GRACEFUL_SECONDS = 20
#: How long after the request is sent SIGTERM comes: time for the portal to take it and call
#: the API, even on a loaded machine. gunicorn takes no new connection after SIGTERM (one
#: still queued is never answered), so a 302 arriving seconds after the signal proves the
#: request was in flight.
IN_FLIGHT_AFTER = 1.5


@pytest.fixture
def slow_api(
    podman: Podman, environments: Environments, seeded_sandbox: None
) -> Iterator[Container]:
    port = free_port()
    env = environments.sandbox(port=port, latency_ms=LATENCY_MS)
    container = podman.start("slow-api", env, port=port)
    yield container
    container.remove()


def test_sigterm_finishes_the_request_in_flight_and_exits_cleanly(
    podman: Podman, environments: Environments, slow_api: Container
) -> None:
    portal = podman.start("stopping", environments.production(api_url=f"{slow_api.url}/sandbox/"))
    try:
        samples: list[Sample] = []
        fan = Browser(portal.port, record=samples.append, timeout=60)
        assert fan.request("login", "GET", "/accounts/login/")[0] == 200
        email = f"leaving-fan-{uuid.uuid4().hex[:8]}@example.com"
        answered: list[tuple[int | str, str, float]] = []

        def ask_for_a_code() -> None:
            status, location, _ = fan.request(
                "contact", "POST", "/accounts/login/", {"contact": email}
            )
            answered.append((status, location, time.monotonic()))

        asking = threading.Thread(target=ask_for_a_code)
        asking.start()
        time.sleep(IN_FLIGHT_AFTER)
        assert not answered, "the API answered sooner than its latency"

        portal.send_signal("TERM")
        signalled = time.monotonic()
        asking.join(timeout=GRACEFUL_SECONDS)
        assert not asking.is_alive()

        # The request completes: the fan is sent on to enter the code, and the code was sent.
        [(status, location, finished)] = answered
        assert (status, urlsplit(location).path) == (302, "/accounts/login/code/"), samples
        assert finished - signalled > 1, "the request was not in flight at SIGTERM"
        assert outbox_reader(slow_api.port)(email) is not None

        assert portal.wait(timeout=GRACEFUL_SECONDS + 10) == 0
        assert time.monotonic() - signalled < GRACEFUL_SECONDS
        logs = portal.logs()
        assert "Handling signal: term" in logs and "Shutting down: Master" in logs
        assert "POST /accounts/login/ 302" in logs
        for trouble in ("Traceback", "WORKER TIMEOUT", "SIGKILL", environments.api_secret):
            assert trouble not in logs
    finally:
        portal.remove()
