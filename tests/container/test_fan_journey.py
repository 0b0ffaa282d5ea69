"""A fan logs in and completes a quest in the image, against its embedded sandbox.

The sandbox runs inside the portal's container only because ``TBITS_SANDBOX_TEST_SERVER``
says this is a test server (DEBUG stays off). The fan is a new one: code login by email,
the code read from the sandbox's outbox, registration, then one tap on a quest of the
board; the PostgreSQL database shows what the sandbox recorded.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from html import unescape
from urllib.parse import urlsplit

import pytest

from loadtest.fans import Browser, Sample, outbox_reader
from loadtest.podman import Container
from loadtest.stack import free_port
from tests.container.conftest import Environments
from tests.container.podman import Podman

pytestmark = pytest.mark.container

#: The quests a fan completes with one tap on the board: a custom quest's button, or a link
#: quest's (completed, then the fan is sent to its link). The seed has link quests open.
ONE_TAP = re.compile(r'action="(/portal/quests/(\d+)/(?:complete|visit)/)"')


@pytest.fixture(scope="module")
def demo(podman: Podman, environments: Environments, seeded_sandbox: None) -> Iterator[Container]:
    port = free_port()
    container = podman.start("demo", environments.sandbox(port=port), port=port)
    yield container
    container.remove()


def completions(database_url: str, email: str) -> list[int]:
    """The quests (page_tab_ids) the sandbox recorded as completed by the fan with ``email``."""
    import psycopg

    with psycopg.connect(database_url) as connection:
        rows = connection.execute(
            "SELECT activity.page_tab_id FROM tbits_sandbox_fanactivity AS activity"
            " JOIN tbits_sandbox_fan AS fan ON fan.fan_id = activity.fan_id"
            " WHERE fan.email = %s AND activity.page_tab_id IS NOT NULL",
            (email,),
        ).fetchall()
    return [row[0] for row in rows]


def test_a_new_fan_logs_in_and_completes_a_quest(
    demo: Container, environments: Environments
) -> None:
    samples: list[Sample] = []
    fan = Browser(demo.port, record=samples.append, timeout=30)
    email = f"container-fan-{uuid.uuid4().hex[:8]}@example.com"

    assert fan.request("login", "GET", "/accounts/login/")[0] == 200
    status, location, _ = fan.request("contact", "POST", "/accounts/login/", {"contact": email})
    assert (status, urlsplit(location).path) == (302, "/accounts/login/code/")
    code = outbox_reader(demo.port)(email)
    assert code is not None, "the sandbox sent no code"

    fan.request("code form", "GET", "/accounts/login/code/")
    status, location, _ = fan.request("code", "POST", "/accounts/login/code/", {"code": code})
    assert (status, urlsplit(location).path) == (302, "/accounts/register/")
    fan.request("register form", "GET", "/accounts/register/")
    names = {"first_name": "Camille", "last_name": "Container", "accept_terms": "on"}
    status, location, _ = fan.request("register", "POST", "/accounts/register/", names)
    # Into the portal (its home page), not back to a login step.
    assert status == 302 and not urlsplit(location).path.startswith("/accounts/"), location
    assert any(name.endswith("sessionid") for name in fan.cookies)

    status, _, board = fan.request("quests", "GET", "/portal/quests/")
    assert status == 200
    offered = ONE_TAP.findall(board)
    assert offered, "the board offers no quest to complete with one tap"
    assert completions(environments.database_url, email) == []

    action, quest = offered[0]
    status, location, _ = fan.request("complete", "POST", action, {})
    assert status == 302, location
    status, _, board = fan.request("quests", "GET", "/portal/quests/")
    assert status == 200
    assert "Quest complete:" in unescape(board)
    assert f'action="{action}"' not in board  # no longer offered

    assert completions(environments.database_url, email) == [int(quest)]
    assert all(sample.status != 500 for sample in samples)
