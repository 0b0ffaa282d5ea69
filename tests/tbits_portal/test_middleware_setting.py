"""The demo project installs the portal the way the docs tell a site to: one middleware line."""

from __future__ import annotations

import re
from pathlib import Path

from tbits_portal import settings as demo

REPO = Path(__file__).resolve().parents[2]
ONE_LINE = "accounts.middleware.TbitsMiddleware"
NEEDED_BEFORE = (
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
)


def test_the_demo_lists_the_one_line_after_what_it_needs() -> None:
    # The probe and request-log middleware are optional extras (docs/operations.md).
    portal = [name for name in demo.MIDDLEWARE if name.startswith("accounts.middleware.")]
    assert portal == [ONE_LINE]
    position = demo.MIDDLEWARE.index(ONE_LINE)
    for needed in NEEDED_BEFORE:
        assert demo.MIDDLEWARE.index(needed) < position, needed


def test_the_docs_install_the_same_line() -> None:
    for page in ("docs/install-into-existing-site.md", "docs/accounts.md"):
        blocks = re.findall(r"```python[ \w-]*\n(.*?)```", (REPO / page).read_text(), re.S)
        middleware = [block for block in blocks if re.search(r"MIDDLEWARE \+?= \[", block)]
        assert middleware, page
        for block in middleware:
            assert re.findall(r'"(accounts\.middleware\.\w+)"', block) == [ONE_LINE], page
