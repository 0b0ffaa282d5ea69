"""A fresh ``startproject`` site, plus the install page's own blocks, serves the portal.

Issue 18: the install page, followed literally, failed on a fresh site (``env()`` undefined)
and a layout whose main block is not the default lost the portal's navigation. This test
runs ``django-admin startproject``, appends the blocks of docs/install-into-existing-site.md
marked ``host-…`` exactly as written (so the page cannot drift from what works), gives the
site a base template of its own (main block ``content``, then ``body``), serves it with the
sandbox, and looks in Chromium: the host's page keeps its computed styles with the portal's
stylesheets on it, and a portal page shows the host's header and the portal's navigation.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "install-into-existing-site.md"
BLOCK = re.compile(r"^```\w+ (host-[\w-]+)\n(.*?)^```", re.S | re.M)

#: The site's own base template: its header, styles and blocks (MAIN is its main block).
BASE = """{% load static %}<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{% block title %}Harbour City Club{% endblock %}</title>
<style>body { font-family: Georgia, serif; background: rgb(250, 245, 230); color: rgb(20, 30, 60); }
a { color: rgb(150, 20, 40); } h1 { font-size: 40px; }</style>
TAGS_CSS
{% block extra_head %}{% endblock %}</head>
<body><header id="club-header"><a href="/">Harbour City Club</a></header>
<main>{% block MAIN %}{% endblock %}</main></body></html>"""
HOME = """{% extends "base.html" %}{% load tbits_loyalty tbits_accounts %}
{% block MAIN %}<h1>Welcome</h1><p><a id="club-link" href="/fans/">Our fans</a></p>
{% tbits_points_badge %}{% tbits_login_button %}{% endblock %}"""
STYLES = """() => [document.body, document.querySelector('h1'),
                  document.querySelector('#club-link')].map(e => { const s = getComputedStyle(e);
    return [s.fontFamily, s.fontSize, s.color, s.backgroundColor, s.margin, s.lineHeight]; })"""
ENV = {
    "TBITS_API_KEY": "sandbox-api-key",
    "TBITS_API_SECRET": "host-site-secret-7c2d",
    "TBITS_ACCOUNT_ID": "1001",
    "TBITS_BUSINESS_ID": "2002",
}


def doc_blocks() -> dict[str, str]:
    return {name: code for name, code in BLOCK.findall(DOC.read_text())}


def code_lines(code: str) -> int:
    return sum(1 for line in code.splitlines() if line.strip() and not line.strip().startswith("#"))


def test_the_page_counts_its_lines_and_stays_within_twelve() -> None:
    blocks = doc_blocks()
    counted = code_lines(blocks["host-settings"]) + code_lines(blocks["host-urls"])
    assert counted <= 12
    text = " ".join(DOC.read_text().split())
    assert f"**The count: {counted} lines**" in text
    assert f"## 2. Settings: {code_lines(blocks['host-settings'])} lines" in text
    assert f"## 3. URLs: {code_lines(blocks['host-urls'])} lines" in text
    dev = code_lines(blocks["host-dev-settings"]) + code_lines(blocks["host-dev-urls"])
    assert f"sandbox: {dev} more lines" in text
    assert f"(optional): {code_lines(blocks['host-french'])} lines" in text
    assert "env(" not in DOC.read_text()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Site:
    """The startproject site in ``root``, run with ``manage.py``."""

    def __init__(self, root: Path, port: int) -> None:
        self.root, self.port = root, port
        self.env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "CACHE_URL", "PYTHONPATH"}
            and not key.startswith("TBITS_")
        }
        self.env.update(ENV, TBITS_API_BASE_URL=f"http://127.0.0.1:{port}/sandbox/")
        self.server: subprocess.Popen[str] | None = None

    def manage(self, *args: str) -> str:
        run = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 0, run.stdout + run.stderr
        return run.stdout + run.stderr

    def layout(self, main: str) -> None:
        """The site's base template with ``main`` as its main block, and the settings to say so."""
        tags_css = doc_blocks()["host-tags-css"].strip()
        templates = self.root / "templates"
        (templates / "base.html").write_text(
            BASE.replace("MAIN", main).replace("TAGS_CSS", tags_css)
        )
        (templates / "home.html").write_text(HOME.replace("MAIN", main))
        settings = self.root / "club" / "settings.py"
        text = settings.read_text()
        settings.write_text(re.sub(r'"body": "\w+"', f'"body": "{main}"', text))

    def start(self) -> None:
        self.server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{self.port}", "--noreload"],
            cwd=self.root,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=5)
                return
            except OSError:
                assert self.server.poll() is None, (
                    self.server.stderr.read() if self.server.stderr else ""
                )
                time.sleep(0.2)
        raise AssertionError("the site did not start")

    def stop(self) -> None:
        if self.server is not None:
            self.server.terminate()
            self.server.wait(timeout=10)
            self.server = None


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("startproject") / "club"
    root.mkdir()
    subprocess.run(
        [sys.executable, "-m", "django", "startproject", "club", str(root)], check=True, timeout=60
    )
    blocks = doc_blocks()
    settings = root / "club" / "settings.py"
    # The site's own templates folder (startproject's quotes differ between Django versions).
    text = re.sub(
        r"""(["'])DIRS\1: \[\]""", '"DIRS": [BASE_DIR / "templates"]', settings.read_text()
    )
    settings.write_text(
        text
        + "\n"
        + blocks["host-settings"]
        + "\n"
        + blocks["host-dev-settings"]
        + "\n"
        + blocks["host-french"]
    )
    urls = root / "club" / "urls.py"
    urls.write_text(
        urls.read_text()
        + "\nfrom django.views.generic import TemplateView\n\n"
        + 'urlpatterns += [path("", TemplateView.as_view(template_name="home.html"))]\n'
        + blocks["host-urls"]
        + "\n"
        + blocks["host-dev-urls"]
    )
    (root / "templates").mkdir()
    built = Site(root, free_port())
    built.layout("content")
    assert "no issues" in built.manage("check")
    built.manage("migrate", "--noinput")
    built.manage("sandbox_seed")
    yield built
    built.stop()


@pytest.fixture(scope="module")
def club_browser(chromium: Any) -> Any:
    """The session's Chromium (Playwright's sync API runs once per thread)."""
    return chromium


def portal_page_shows_host_and_portal(page: Any, url: str) -> None:
    page.goto(url)
    assert page.locator("#club-header").is_visible()
    portal = page.locator("main .tb-portal")
    assert portal.count() == 1
    assert portal.locator("nav.tb-nav").count() == 1
    assert page.locator("main .tb-portal .tb-header").is_visible()
    # The portal's stylesheet applied: its root class has its own tokens.
    assert page.evaluate(
        "getComputedStyle(document.querySelector('.tb-portal')).getPropertyValue('--tb-s1')"
    ).strip()


def test_a_fresh_site_serves_the_portal_in_its_layout(site: Site, club_browser: Any) -> None:
    site.start()
    base = f"http://127.0.0.1:{site.port}"
    context = club_browser.new_context(locale="en-US", viewport={"width": 1024, "height": 800})
    page = context.new_page()
    try:
        # The host's page: its styles are the same with and without the portal's stylesheets.
        page.goto(f"{base}/")
        assert page.locator("link[href$='tbits_loyalty/tags.css']").count() == 1
        # The tags' stylesheet is served and styles the tags (the login button, anonymous).
        button = page.locator(".tbits-login-button button, a.tbits-login-button").first
        assert button.evaluate("e => getComputedStyle(e).minHeight") == "44px"
        with_tags = page.evaluate(STYLES)
        page.evaluate(
            "document.querySelectorAll('link[href*=\"tbits_\"]').forEach(l => l.remove())"
        )
        without = page.evaluate(STYLES)
        page.evaluate(
            """() => ['tbits_accounts/accounts.css', 'tbits_loyalty/portal.css'].forEach(p => {
                const l = document.createElement('link'); l.rel = 'stylesheet';
                l.href = '/static/' + p; document.head.append(l); })"""
        )
        page.wait_for_load_state("networkidle")
        with_portal = page.evaluate(STYLES)
        assert with_tags == without == with_portal
        assert without[0][0].startswith("Georgia") and without[2][2] == "rgb(150, 20, 40)"

        # A fan logs in with the password; every portal page is in the host's layout.
        page.goto(f"{base}/fans/account/login/password/")
        assert page.locator("#club-header").is_visible()
        page.fill("input[name=contact]", "fan@example.com")
        page.fill("input[name=password]", "loyal-fan-2026")
        page.locator("form.tbits-form button[type=submit]").first.click()
        page.wait_for_url(f"{base}/fans/")
        portal_page_shows_host_and_portal(page, f"{base}/fans/quests/")

        # The same site, its main block named "body": one setting, same result.
        site.stop()
        site.layout("body")
        assert "no issues" in site.manage("check")
        site.start()
        portal_page_shows_host_and_portal(page, f"{base}/fans/")

        # French, for a browser that asks for it.
        request = urllib.request.Request(
            f"{base}/fans/account/login/", headers={"Accept-Language": "fr"}
        )
        assert "Se connecter" in urllib.request.urlopen(request, timeout=10).read().decode()
    finally:
        context.close()
        site.stop()


def test_a_wrong_main_block_stops_check_with_the_block_named(site: Site) -> None:
    site.layout("main")  # the template says "main"; the settings too, but...
    settings = site.root / "club" / "settings.py"
    settings.write_text(settings.read_text().replace('"body": "main"', '"body": "content"'))
    run = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=site.root,
        env=site.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode != 0
    assert "tbits_accounts.E015" in run.stderr and "'content'" in run.stderr
    assert "For example TBITS['LAYOUT_BLOCKS'] = {'body': 'main'}" in run.stderr
