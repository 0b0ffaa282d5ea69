"""Root fixtures shared by every test package: the seeded sandbox, live or in-process.

- ``sandbox_seed`` (db): the demo account of ``tbits_sandbox.seed``; returns its SeedInfo
  (ids of the business, point type, tiers, quests by title, rewards by title, demo fan).
- ``live_sandbox``: the same, served by pytest-django's ``live_server`` at ``/sandbox/``,
  with ``settings.TBITS["API_BASE_URL"]`` pointing there, so the portal and tbits_client
  talk to it over real HTTP.
- ``outbox``: read the codes and messages the sandbox "sent".
- ``_clean_cache`` (autouse): every test starts and ends with an empty default cache.
- ``_sandbox_full_mode`` (autouse): ``@pytest.mark.sandbox_full`` turns the sandbox's
  documented-only mode off for one test (``make test-documented`` turns it on).

The loyalty view tests serve a smaller board of their own in-process, without a live server
(``sandbox_api`` in ``tests/loyalty/conftest.py``).

Other packages may append fixtures below; keep these names stable.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Chromium for the whole run."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread for as long as the
    # browser lives, and Django refuses ORM calls from a thread with a running loop. The
    # tests (database setup, reading the sandbox outbox) are plain synchronous code.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
                args=CHROMIUM_ARGS,
                headless=True,
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    """Empty the default cache around every test.

    Rate-limit counters, cooldowns, circuit-breaker state and cached API answers live there;
    one test's must never decide another's outcome.
    """
    from django.core.cache import caches

    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture(autouse=True)
def _sandbox_full_mode(request: pytest.FixtureRequest) -> None:
    """``@pytest.mark.sandbox_full``: the sandbox answers its extra fields for this test.

    For tests whose very subject is an extra field the portal uses when present (a pass QR
    from ``pass_code``, "sold out" from ``delivered_count``): under
    ``make test-documented`` they still run, against the full answers, rather than skip.
    """
    if request.node.get_closest_marker("sandbox_full") is not None:
        request.getfixturevalue("settings").TBITS_SANDBOX_DOCUMENTED_ONLY = False


@dataclass(frozen=True)
class OutboxReader:
    """Reads the sandbox outbox straight from its table, newest first."""

    def messages(self, *, to: str | None = None) -> list[dict[str, Any]]:
        """Every message (to one address when given), newest first, as outbox.json has them."""
        from tbits_sandbox.models import OutboxMessage

        found = OutboxMessage.objects.all()
        if to is not None:
            found = found.filter(to__in=_addresses(to))
        return [
            {
                "channel": item.channel,
                "to": item.to,
                "code": item.code or None,
                "message": item.message,
                "created": item.created.isoformat(),
            }
            for item in found
        ]

    def latest_code(self, to: str) -> str:
        """The newest verification code sent to an email or phone (any formatting)."""
        for message in self.messages(to=to):
            if message["code"]:
                return message["code"]
        raise AssertionError(f"No verification code was sent to {to!r}.")

    def clear(self) -> None:
        """Forget every message."""
        from tbits_sandbox.models import OutboxMessage

        OutboxMessage.objects.all().delete()


def _addresses(to: str) -> list[str]:
    # Phones are stored in E.164 (+ and digits); emails lower-cased.
    digits = re.sub(r"\D", "", to)
    return [to, to.lower(), *([f"+{digits}"] if digits and "@" not in to else [])]


@pytest.fixture
def outbox(db: None) -> OutboxReader:
    """The sandbox outbox (``outbox.latest_code("fan@example.com")``)."""
    return OutboxReader()


@pytest.fixture
def sandbox_seed(db: None) -> Any:
    """The seeded demo account (a ``tbits_sandbox.seed.SeedInfo``)."""
    from tbits_sandbox.seed import seed_demo

    return seed_demo()


@dataclass(frozen=True)
class LiveSandbox:
    """The seeded sandbox served over HTTP by ``live_server``."""

    base_url: str
    api_key: str
    api_secret: str
    account_id: str
    business_id: str
    seed: Any
    reader: OutboxReader

    def outbox(self, *, to: str | None = None) -> list[dict[str, Any]]:
        """Messages the sandbox sent, newest first."""
        return self.reader.messages(to=to)

    def latest_code(self, to: str) -> str:
        """The newest verification code sent to an email or phone."""
        return self.reader.latest_code(to)

    def require_terms(self, required: bool = True) -> None:
        """Make new fans accept the terms (Sessions/Connect answers ``terms_required``)."""
        from tbits_sandbox.models import Account

        Account.objects.filter(account_id=self.seed.account_id).update(
            terms_acceptance_required=required
        )

    def __getattr__(self, name: str) -> Any:
        # The seed's ids (fan_id, quests, rewards, tiers, ...) read straight off the fixture.
        if name.startswith("_") or name == "seed":
            raise AttributeError(name)
        return getattr(self.seed, name)


@pytest.fixture
def live_sandbox(live_server: Any, settings: Any, transactional_db: None) -> Iterator[LiveSandbox]:
    """The seeded sandbox at ``live_server.url + "/sandbox/"``, and the portal pointed at it."""
    from tbits_sandbox.seed import seed_demo

    info = seed_demo()
    base_url = f"{live_server.url}/sandbox/"
    settings.TBITS = {**settings.TBITS, "API_BASE_URL": base_url}
    yield LiveSandbox(
        base_url=base_url,
        api_key=info.api_key,
        api_secret=info.api_secret,
        account_id=str(info.account_id),
        business_id=str(info.business_id),
        seed=info,
        reader=OutboxReader(),
    )


def pytest_addoption(parser: Any) -> None:
    parser.addoption(
        "--soak",
        action="store_true",
        default=False,
        help="also run the long load soak (tests marked soak; or set TBITS_SOAK=1)",
    )
    parser.addoption(
        "--screenshots",
        action="store_true",
        default=False,
        help="also write the screenshot gallery (tests marked gallery; make screenshots)",
    )
    parser.addoption(
        "--container-image",
        default="",
        help="run the container tests (marked container) against this podman image; "
        "make container-test builds it and passes it",
    )


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    # The soak runs for minutes, the gallery writes files into docs/ and the container tests
    # need a built image: each only when asked for, and then it is not a skip.
    on_demand = {
        "soak": config.getoption("--soak") or os.environ.get("TBITS_SOAK") == "1",
        "gallery": config.getoption("--screenshots"),
        "container": bool(config.getoption("--container-image")),
    }
    for marker, asked in on_demand.items():
        if asked:
            continue
        left_out = [item for item in items if item.get_closest_marker(marker) is not None]
        if left_out:
            config.hook.pytest_deselected(items=left_out)
            items[:] = [item for item in items if item.get_closest_marker(marker) is None]
