"""The README's screenshot gallery: every image it links is committed, and all are small.

``make screenshots`` writes docs/screenshots/ (tests/browser/test_gallery.py); an operator
sees the product in the README before installing it, so a link to a missing file, or a
gallery heavy enough to slow every clone, is a failure.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.browser.fan_pages import KEY_PAGES

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "docs" / "screenshots"
LIMIT_BYTES = 5 * 1024 * 1024


IMAGE = re.compile(r'!\[[^\]]*\]\(([^)\s]+)\)|<img [^>]*src="([^"]+)"')


def readme_images() -> list[str]:
    """Every image README.md shows, Markdown or HTML, as a path from the repository root."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [markdown or html for markdown, html in IMAGE.findall(text)]


def test_every_image_the_readme_links_is_committed() -> None:
    images = readme_images()
    assert images, "README.md shows no screenshot"
    missing = [src for src in images if not (ROOT / src).is_file()]
    assert not missing, missing


def test_the_readme_shows_every_key_page_near_the_top() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    head = text[: text.index("## Quick start")] if "## Quick start" in text else text[:4000]
    shown = {Path(src).name.split("-")[0] for src in readme_images() if src in head}
    assert set(KEY_PAGES) <= shown, set(KEY_PAGES) - shown


def test_the_committed_gallery_is_under_five_megabytes() -> None:
    files = [path for path in SCREENSHOTS.glob("*") if path.is_file()]
    assert files
    assert sum(path.stat().st_size for path in files) < LIMIT_BYTES
