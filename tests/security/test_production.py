"""The portal as production runs it: gunicorn, DEBUG off, HTTPS behind a proxy, Redis.

One stack for the module (loadtest.stack): the sandbox API and two portal processes that
share a database and a Redis cache (DB 5, flushed before and after). A crawl logs in every
way a fan can (code and registration, password, OAuth through the sandbox's sign-in page),
visits every page it can reach, makes the forms fail once, and keeps every answer. The
tests then check, on every one of those answers: the security headers, the cookie names
and flags, and that no secret (the API secret, the fan's password, a verification code,
an OAuth code, an API session id) is in a body, a header, a cookie, a log line of either
portal, or a static file. Brute force of codes is tried across both processes.
"""

from __future__ import annotations

import re
import secrets
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from loadtest.fans import Browser, outbox_reader
from loadtest.stack import PUBLIC_HOST, REPO, Credentials, Stack, portal_env, start_stack
from tests.security.markup import Markup

REDIS_URL = "redis://127.0.0.1:6379/5"


def _redis() -> Any:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError:
        return None
    return client


@dataclass(frozen=True)
class Seen:
    """One answer of the crawl."""

    method: str
    path: str
    status: int | str
    headers: list[tuple[str, str]]
    body: str

    def header(self, name: str) -> str:
        return ", ".join(v for k, v in self.headers if k.lower() == name.lower())

    def cookies(self) -> list[str]:
        return [v for k, v in self.headers if k.lower() == "set-cookie"]

    @property
    def is_html(self) -> bool:
        return self.header("Content-Type").startswith("text/html")


@dataclass
class Crawl:
    """Everything the crawl saw, and every secret it used."""

    stack: Stack
    seen: list[Seen] = field(default_factory=list)
    secrets: dict[str, str] = field(default_factory=dict)

    def visit(
        self, browser: Browser, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int | str, str, str]:
        status, location, body = browser.request(path, method, path, form)
        self.seen.append(Seen(method, path, status, browser.last_headers, body))
        return status, location, body


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    redis = _redis()
    if redis is not None:
        redis.flushdb()
    started = start_stack(
        tmp_path_factory.mktemp("production"),
        portals=2,
        cache_url=REDIS_URL if redis is not None else "locmemcache://portal",
        log_level="DEBUG",
    )
    yield started
    started.stop()
    if redis is not None:
        redis.flushdb()


def _hidden_fields(html: str) -> dict[str, str]:
    return {
        element.attrs["name"]: element.attrs.get("value", "")
        for element in Markup.parse(html).tags("input")
        if element.attrs.get("type") == "hidden" and element.attrs.get("name")
    }


def _links(html: str) -> list[str]:
    found = []
    for _tag, attribute, value in Markup.parse(html).urls():
        parts = urlsplit(value)
        if attribute == "href" and not parts.netloc and parts.path.startswith("/"):
            found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


@pytest.fixture(scope="module")
def crawl(stack: Stack) -> Crawl:
    """Log in every way, visit every reachable page, fail every form once; keep it all."""
    result = Crawl(stack=stack, secrets={"API secret": stack.credentials.api_secret})
    read_code = outbox_reader(stack.sandbox.port)
    fan = Browser(stack.portal.port, record=lambda sample: None)
    for path in ("/accounts/login/", "/accounts/login/password/", "/accounts/login/?next=/x"):
        result.visit(fan, "GET", path)

    # A new fan: code, a wrong code first, then registration.
    email = f"crawl-{uuid.uuid4().hex[:8]}@example.com"
    result.visit(fan, "POST", "/accounts/login/", {"contact": email})
    code = read_code(email)
    assert code, "the sandbox sent no code"
    result.secrets["verification code"] = code
    result.visit(fan, "GET", "/accounts/login/code/")
    wrong = f"{(int(code) + 1) % 100000:05d}"
    result.visit(fan, "POST", "/accounts/login/code/", {"code": wrong})
    status, location, _ = result.visit(fan, "POST", "/accounts/login/code/", {"code": code})
    assert status == 302 and location.endswith("/accounts/register/"), (status, location)
    result.visit(fan, "GET", "/accounts/register/")
    names = {"first_name": "Crawl", "last_name": "Fan", "accept_terms": "on"}
    status, location, _ = result.visit(fan, "POST", "/accounts/register/", names)
    assert status == 302, status

    # Every page a logged-in fan can reach by following links.
    queue, visited = ["/portal/", "/accounts/profile/"], set()
    while queue and len(visited) < 40:
        path = queue.pop(0)
        if path in visited or path.startswith(("/static/", "/i18n/")):
            continue
        visited.add(path)
        status, _, body = result.visit(fan, "GET", path)
        if status == 200:
            queue += [link for link in _links(body) if link not in visited]
    assert len(visited) >= 6, visited

    # A password: a too-short one first (error page), then a real one; then use it.
    password = "crawl-" + secrets.token_urlsafe(12)
    result.secrets["fan's password"] = password
    short = {"new_password": "x1", "new_password_again": "x1"}
    result.visit(fan, "POST", "/accounts/profile/password/", short)
    chosen = {"new_password": password, "new_password_again": password}
    result.visit(fan, "POST", "/accounts/profile/password/", chosen)
    result.visit(fan, "POST", "/accounts/logout/")
    result.visit(fan, "GET", "/portal/")
    result.visit(fan, "GET", "/accounts/login/password/")
    result.visit(
        fan, "POST", "/accounts/login/password/", {"contact": email, "password": password + "x"}
    )
    status, _, _ = result.visit(
        fan, "POST", "/accounts/login/password/", {"contact": email, "password": password}
    )
    assert status == 302, status
    result.visit(fan, "GET", "/portal/rewards/")
    result.visit(fan, "POST", "/accounts/logout/")

    # OAuth through the sandbox's own sign-in page.
    visitor = Browser(stack.portal.port, record=lambda sample: None)
    result.visit(visitor, "GET", "/accounts/login/")
    status, provider_url, _ = result.visit(visitor, "POST", "/accounts/oauth/start/")
    assert status == 302, status
    provider = urlsplit(provider_url)
    sandbox_page = Browser(
        stack.sandbox.port, record=lambda sample: None, host=provider.netloc, secure=False
    )
    _, _, page = sandbox_page.request("oauth", "GET", f"{provider.path}?{provider.query}")
    form = {**_hidden_fields(page), "email": email}
    _, _, page = sandbox_page.request("oauth", "POST", provider.path, form)
    oauth_verification = read_code(email)
    assert oauth_verification and oauth_verification != code
    result.secrets["second verification code"] = oauth_verification
    form = {**_hidden_fields(page), "verification_code": oauth_verification}
    status, callback, _ = sandbox_page.request("oauth", "POST", provider.path, form)
    assert status == 302 and "code=" in callback, (status, callback)
    result.secrets["OAuth code"] = callback.rsplit("code=", 1)[1].split("&")[0]
    back = urlsplit(callback)
    status, location, _ = result.visit(visitor, "GET", f"{back.path}?{back.query}")
    assert status == 302 and location == "/portal/", (status, location)
    result.visit(visitor, "GET", "/portal/")

    # Static files the pages load.
    for path in sorted({p for s in result.seen for p in _static_refs(s.body)}):
        result.visit(visitor, "GET", path)

    # The API session ids the sandbox handed out during the crawl.
    database = sqlite3.connect(stack.workdir / "sandbox.sqlite3")
    try:
        rows = database.execute("SELECT session_uid FROM tbits_sandbox_fansession").fetchall()
    finally:
        database.close()
    for number, (value,) in enumerate(rows):
        text = str(value)
        result.secrets[f"API session id {number}"] = text
        if len(text) == 32:  # SQLite keeps UUIDs as 32 hex digits
            result.secrets[f"API session id {number} (dashed)"] = str(uuid.UUID(text))
    assert rows, "no API session was created: the crawl proves nothing"
    return result


def _static_refs(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


# -- headers ----------------------------------------------------------------------------


def _pages(crawl: Crawl) -> list[Seen]:
    return [seen for seen in crawl.seen if seen.is_html]


def test_the_crawl_saw_every_kind_of_page(crawl: Crawl) -> None:
    paths = {urlsplit(seen.path).path for seen in crawl.seen}
    for expected in (
        "/accounts/login/",
        "/accounts/login/code/",
        "/accounts/register/",
        "/accounts/profile/",
        "/portal/",
        "/portal/quests/",
        "/portal/rewards/",
        "/portal/leaderboard/",
        "/portal/history/",
    ):
        assert expected in paths, expected
    assert any(path.startswith("/accounts/oauth/callback/") for path in paths)
    assert any(path.startswith("/static/") for path in paths)


def test_every_page_sends_hsts(crawl: Crawl) -> None:
    for seen in crawl.seen:
        hsts = seen.header("Strict-Transport-Security")
        match = re.search(r"max-age=(\d+)", hsts)
        assert match and int(match.group(1)) >= 31536000, (seen.path, hsts)
        assert "includeSubDomains" in hsts, seen.path


def test_every_page_has_a_nonce_csp_without_unsafe_inline(crawl: Crawl) -> None:
    for seen in _pages(crawl):
        policy = seen.header("Content-Security-Policy")
        directives = {
            part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()
        }
        scripts = directives.get("script-src", [])
        assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, seen.path
        assert directives.get("frame-ancestors") == ["'none'"], seen.path
        assert "'unsafe-inline'" not in directives.get("style-src", []), seen.path
        # django-csp puts a nonce in the header only when the page used one.
        nonces = {s[len("'nonce-") : -1] for s in scripts if s.startswith("'nonce-")}
        assert len(nonces) <= 1, (seen.path, policy)
        for element in Markup.parse(seen.body).elements:
            if element.tag in ("script", "style"):
                assert nonces and element.attrs.get("nonce") == next(iter(nonces)), (
                    seen.path,
                    element,
                )
            assert "style" not in element.attrs, (seen.path, element)  # the CSP blocks it
        if seen.status == 200 and "/portal/" in seen.path:
            assert nonces, f"{seen.path}: the portal's script needs the nonce"


def test_every_page_refuses_framing_and_sniffing_and_limits_the_referrer(crawl: Crawl) -> None:
    for seen in crawl.seen:
        if seen.is_html:
            assert seen.header("X-Frame-Options") == "DENY", seen.path
        assert seen.header("X-Content-Type-Options") == "nosniff", seen.path
        assert seen.header("Referrer-Policy") in ("same-origin", "no-referrer"), seen.path


def test_fan_pages_are_never_stored_by_a_cache(crawl: Crawl) -> None:
    for seen in _pages(crawl):
        path = urlsplit(seen.path).path
        if path.startswith(("/portal/", "/accounts/")):
            assert "no-store" in seen.header("Cache-Control"), (seen.path, seen.status)


def test_every_cookie_is_host_only_secure_and_the_session_is_httponly(crawl: Crawl) -> None:
    cookies = [cookie for seen in crawl.seen for cookie in seen.cookies()]
    names = {cookie.split("=", 1)[0] for cookie in cookies}
    assert {"__Host-sessionid", "__Host-csrftoken"} <= names, names
    for cookie in cookies:
        name = cookie.split("=", 1)[0]
        flags = [part.strip().lower() for part in cookie.split(";")[1:]]
        assert name.startswith("__Host-"), cookie
        assert "secure" in flags and "path=/" in flags, cookie
        assert not any(flag.startswith("domain=") for flag in flags), cookie
        assert "samesite=lax" in flags, cookie
        if name == "__Host-sessionid":
            assert "httponly" in flags, cookie


def test_plain_http_is_sent_to_https(stack: Stack) -> None:
    browser = Browser(stack.portal.port, record=lambda sample: None, secure=False)
    status, location, _ = browser.request("login", "GET", "/accounts/login/")
    assert status == 301
    assert location == f"https://{PUBLIC_HOST}/accounts/login/"


# -- secrets ----------------------------------------------------------------------------


def _occurrences(text: str, secret: str) -> bool:
    if secret.isdigit():
        # A code is five digits: only a standalone number counts (not part of a longer one).
        return re.search(rf"(?<![\d]){re.escape(secret)}(?![\d])", text) is not None
    return secret in text


def test_no_secret_in_any_body_header_or_cookie(crawl: Crawl) -> None:
    # Control: what the fan typed that is not secret (their first name) is found.
    assert any('value="Crawl"' in seen.body for seen in crawl.seen)
    leaks = []
    for seen in crawl.seen:
        places = {"body": seen.body, **{f"header {k}": v for k, v in seen.headers}}
        for where, text in places.items():
            for name, secret in crawl.secrets.items():
                if _occurrences(text, secret):
                    leaks.append(f"{name} in the {where} of {seen.method} {seen.path}")
    assert not leaks, "\n".join(leaks)


def test_no_secret_in_any_log_line_of_either_portal(crawl: Crawl) -> None:
    logs = {server.name: server.log() for server in crawl.stack.portals}
    assert "tbits.request" in logs["portal-1"], "the portal logged nothing"
    assert "DEBUG" in logs["portal-1"] or "INFO" in logs["portal-1"]
    leaks = [
        f"{name} in the log of {server}"
        for server, log in logs.items()
        for name, secret in crawl.secrets.items()
        if _occurrences(log, secret)
    ]
    assert not leaks, "\n".join(leaks)


def test_no_secret_in_any_static_file(crawl: Crawl) -> None:
    roots = [crawl.stack.workdir / "static", REPO / "static"]
    roots += [path for path in REPO.glob("*/static") if path.is_dir()]
    files = [path for root in roots for path in root.rglob("*") if path.is_file()]
    assert len(files) > 5, files
    for path in files:
        content = path.read_bytes().decode(errors="replace")
        for name, secret in crawl.secrets.items():
            if not secret.isdigit():
                assert secret not in content, f"{name} in {path}"


# -- brute force across two processes ------------------------------------------------------


def test_code_brute_force_is_stopped_across_two_processes_sharing_redis(stack: Stack) -> None:
    redis = _redis()
    if redis is None:
        pytest.fail("Redis must run on 127.0.0.1:6379 (it does on dev and CI machines)")
    redis.flushdb()  # rate-limit counters only start with the attack
    # The limits count in fixed 10-minute windows: an attack straddling two would get two
    # allowances, so it starts at the beginning of a window when the end is near.
    into_window = time.time() % 600
    if into_window > 590:
        time.sleep(600 - into_window + 0.5)
    first, second = stack.portals
    cookies: dict[str, str] = {}
    browsers = [Browser(server.port, record=lambda sample: None) for server in (first, second)]
    for browser in browsers:
        browser.cookies = cookies  # one attacker, one browser session, two app processes
    read_code = outbox_reader(stack.sandbox.port)
    target = "fan@example.com"
    guesses = refused_guesses = code_requests = refused_requests = 0
    wait = ""
    for turn in range(40):
        browser = browsers[turn % 2]
        if turn % 3 == 0:  # three tries per code, then a new code
            browser.request("login form", "GET", "/accounts/login/")
            status, _, _ = browser.request("send", "POST", "/accounts/login/", {"contact": target})
            if status == 429:
                refused_requests += 1
            else:
                code_requests += 1
        real = read_code(target) or "00000"
        guess = f"{(int(real) + 7 + turn) % 100000:05d}"
        browser.request("code form", "GET", "/accounts/login/code/")
        status, _, _ = browser.request("guess", "POST", "/accounts/login/code/", {"code": guess})
        if status == 429:
            refused_guesses += 1
            wait = dict(browser.last_headers).get("Retry-After", "")
        else:
            guesses += 1
    limits = "code_submit 10/10m per address; code_request 5/10m per address"
    assert guesses == 10, f"{guesses} guesses reached the API ({limits})"
    assert code_requests <= 5, f"{code_requests} codes were sent ({limits})"
    assert refused_guesses == 40 - guesses and wait.isdigit() and int(wait) > 0
    # Both processes took part, and the counters they shared are in Redis.
    for server in (first, second):
        assert "POST /accounts/login/code/ 429" in server.log(), server.name
    assert any(b"tbits_accounts:rl:code_submit" in key for key in redis.keys("*"))


# -- check --deploy ------------------------------------------------------------------------


def test_check_deploy_passes_with_production_settings(tmp_path: Path) -> None:
    env = portal_env(
        tmp_path, Credentials(), api_url="https://nest.tradablebits.com/", cache_url=REDIS_URL
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
