"""The screenshot gallery (``make screenshots``): every fan page, phone and desktop, light and
dark, English and French, under ``artifacts/screenshots/gallery/``; the key pages optimised
into ``docs/screenshots/`` for the README, so an operator sees the product before installing.

Marked ``gallery`` and run only with ``--screenshots``: it rewrites files in docs/, which an
ordinary test run must not do. ``tests/test_docs_screenshots.py`` checks what it committed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.browser.fan_pages import (
    KEY_PAGES,
    LANGUAGES,
    SCHEMES,
    WIDTHS,
    fan_pages,
    hold_a_pass,
    is_logged_in,
    log_in_by_password,
    new_fan_context,
    open_page,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.gallery,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("orm_beside_playwright", "phone_wallets"),
]

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
# (page, width, scheme, language) committed for the README.
COMMITTED = {(name, "390", "light", "en") for name in KEY_PAGES}
COMMITTED |= {(name, "1280", "dark", "en") for name in KEY_PAGES}
COMMITTED |= {("dashboard", "390", "light", "fr")}


def optimise(png: Path, webp: Path) -> None:
    """A lossy WebP of the screenshot: a tenth of the PNG's size, text still sharp."""
    from PIL import Image

    with Image.open(png) as image:
        image.convert("RGB").save(webp, "WEBP", quality=72, method=6)


def shoot(page: Any, png: Path, size: dict[str, int], *, whole_page: bool) -> None:
    """Screenshot the page as tall as its content, so the fixed tab bar sits at the bottom.

    Playwright's full_page keeps a fixed element where the first screen had it, mid-page in
    the image. The pass is a full-screen view: one screen, as the fan holds it up.
    """
    if whole_page:
        height = page.evaluate("document.documentElement.scrollHeight")
        page.set_viewport_size({"width": size["width"], "height": max(height, size["height"])})
    page.screenshot(path=str(png))


def test_write_the_screenshot_gallery(live_sandbox: Any, live_server: Any, chromium: Any) -> None:
    hold_a_pass(live_sandbox)
    gallery = ARTIFACTS / "gallery"
    gallery.mkdir(parents=True, exist_ok=True)
    DOCS.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    # A fan has visited before, as on any live site: the login pages wear the club's name and
    # colours, which they read from the shared cache only (a first visitor ever sees none).
    earlier_fan = new_fan_context(chromium, live_server.url, "en")
    log_in_by_password(earlier_fan.new_page(), live_server.url, live_sandbox)
    earlier_fan.close()
    for language in LANGUAGES:
        context = new_fan_context(chromium, live_server.url, language)
        page = context.new_page()
        for fan_page in fan_pages():  # login first
            if fan_page.logged_in and not is_logged_in(page):
                log_in_by_password(page, live_server.url, live_sandbox)
            open_page(page, live_server.url, fan_page)
            for scheme in SCHEMES:
                page.emulate_media(color_scheme=scheme)
                for width, size in WIDTHS.items():
                    page.set_viewport_size(size)
                    name = f"{fan_page.name}-{width}-{scheme}-{language}"
                    png = gallery / f"{name}.png"
                    shoot(page, png, size, whole_page=fan_page.name != "pass")
                    written.append(png)
                    if (fan_page.name, width, scheme, language) in COMMITTED:
                        optimise(png, DOCS / f"{name}.webp")
            page.set_viewport_size(WIDTHS["390"])
        context.close()
    assert len(written) == len(fan_pages()) * len(WIDTHS) * len(SCHEMES) * len(LANGUAGES)
    assert {p.stem for p in DOCS.glob("*.webp")} >= {"-".join(key) for key in COMMITTED}
