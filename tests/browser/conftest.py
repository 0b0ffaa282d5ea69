"""Browser fixtures: Chromium through Playwright, and screenshots under artifacts/.

``browser_page`` is a fresh page in a fresh context (its own cookies) per test; the
browser process is shared by the session. ``screenshot`` saves a PNG to
``artifacts/screenshots/`` (git-ignored) so a failing run can be looked at afterwards.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
# The session's one Chromium is the root conftest's ``chromium`` fixture (the host-site
# test drives it too: Playwright's sync API runs once per thread).


def assert_accessible(page: Any) -> None:
    """axe-core finds no serious or critical violation on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
    assert not bad, f"{page.url}: {bad}"


def save_screenshot(page: Any, name: str) -> Path:
    """Save a full-page PNG named after ``name`` and return its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def browser_page(chromium: Any, request: Any) -> Iterator[Any]:
    """A new page with its own cookies; a screenshot is kept when the test fails."""
    context = chromium.new_context(locale="en-US", viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        save_screenshot(page, f"FAILED-{request.node.name}")
    context.close()


@pytest.fixture
def screenshot(request: Any) -> Callable[[Any, str], Path]:
    """``screenshot(page, "step")`` saves ``artifacts/screenshots/<test>-<step>.png``."""

    def take(page: Any, step: str) -> Path:
        return save_screenshot(page, f"{request.node.name}-{step}")

    return take


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: Any, call: Any) -> Iterator[None]:
    # Lets browser_page know whether the test body failed, to keep a screenshot of it.
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def phone_wallets(settings: Any, tmp_path: Path) -> Any:
    """Apple and Google Wallet configured with credentials made for the test, so the
    wallet's pass shows its "Add to Apple Wallet" and "Save to Google Wallet" links."""
    from tests.loyalty.wallet_keys import make_wallet_files

    files = make_wallet_files(tmp_path)
    settings.TBITS = {
        **settings.TBITS,
        "APPLE_WALLET": files.apple,
        "GOOGLE_WALLET": files.google,
    }
    return files


@pytest.fixture(scope="module")
def orm_beside_playwright() -> Iterator[None]:
    """Let the sandbox's ORM calls run in the thread where Playwright runs its event loop.

    The session's Chromium runs an event loop in this thread from before the sandbox seed
    until after the database is flushed; those ORM calls are plain sync code. Module scope,
    so it spans the function fixtures' setup and teardown. A module opts in with
    ``pytestmark = [..., pytest.mark.usefixtures("orm_beside_playwright")]``.
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous
