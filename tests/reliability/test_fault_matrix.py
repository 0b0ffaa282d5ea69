"""Every page and action against every API fault: the result written in matrix.py, or fail.

Every row runs under every fault column against the seeded sandbox behind the fault
proxy, and every cell that went wrong is reported at once. Whatever a cell expects, no
cell may answer 500 or show a traceback, and every page must answer within the request
budget (gunicorn's timeout, scaled like the client's timeouts: see conftest.py).
"""

from __future__ import annotations

import re
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings as django_settings
from django.test import Client, override_settings
from django.urls import reverse

from loadtest.fault_proxy import RETRY_AFTER_SECONDS, Fault
from tests.reliability.conftest import ALL_API, REQUEST_BUDGET, Proxied
from tests.reliability.matrix import COLUMNS, ROWS, Break, Column, Expect, Row, markdown

pytestmark = pytest.mark.django_db(transaction=True)

NOTICE = "some of what you see may be a few minutes old"
UNAVAILABLE_TEXT = "We are having trouble right now"
NOT_SAVED = "Nothing was saved"
NO_CODE = "No code was sent"
QUEST_NOT_COMPLETED = "The quest could not be completed"
QUEST_BOARD = reverse("tbits_loyalty:quests")
SUCCESS_TEXTS = (
    "Quest complete",
    "Your profile is saved",
    "Your password is saved",
    "You earned",
)

#: The column's fault at the proxy (REFUSED is a closed port instead).
PROXY_FAULT = {
    Column.READ_TIMEOUT: Fault.READ_TIMEOUT,
    Column.DROPPED: Fault.DROPPED,
    Column.E500: Fault.SERVER_ERROR,
    Column.E503: Fault.UNAVAILABLE,
    Column.E429: Fault.RATE_LIMITED,
    Column.E401: Fault.UNAUTHORIZED,
    Column.E400: Fault.BAD_REQUEST,
    Column.NOT_JSON: Fault.NOT_JSON,
    Column.WRONG_SHAPE: Fault.WRONG_SHAPE,
}

CONNECT = (r"/sessions/connect$", "POST")
SESSION_FAN_WRITE = (r"/sessions/[^/]+/fan$", "POST")
SESSION_IDOLS_WRITE = (r"/sessions/[^/]+/idols$", "POST")
COMPLETE = (r"/quests/\d+/fans/\d+/complete$", "POST")
REGISTRATION = (r"/fans/\d+/registrations$", "POST")
OAUTH_EXCHANGE = (r"/crm/access_token$", "GET")


@dataclass
class Request:
    """What a row sends, after its healthy preparation."""

    method: str
    path: str
    data: dict[str, str] = field(default_factory=dict)
    referer: str | None = None
    typed: tuple[str, ...] = ()  # values the fan typed that a kept form must show
    breaks: tuple[str, str | None] = (ALL_API, None)


@dataclass
class Cell:
    """The state a row needs: the fan's client, the seeded ids and the column."""

    proxied: Proxied
    client: Client
    settings: Any
    column: Column
    warmed: bool = False

    def open_first(self, path: str) -> None:
        """Open the page a form is on, when it matters: with the whole API down (refused),
        the action's reads then come from the cache, as after a fan opened the page. For
        the other columns only the write is broken and the reads pass, so it is skipped."""
        if self.column is Column.REFUSED:
            response = self.client.get(path)
            assert response.status_code == 200, (path, response.status_code)

    @property
    def seed(self) -> Any:
        return self.proxied.sandbox

    def quest_id(self, title: str) -> int:
        return int(self.seed.quests[title])


def _new_email() -> str:
    return f"matrix-{uuid.uuid4().hex[:10]}@example.com"


# -- the rows' preparations -------------------------------------------------------------


def _login_page(cell: Cell) -> Request:
    return Request("GET", reverse("tbits_accounts:login"))


def _password_page(cell: Cell) -> Request:
    return Request("GET", reverse("tbits_accounts:password"))


def _code_page(cell: Cell) -> Request:
    response = cell.client.post(reverse("tbits_accounts:login"), {"contact": cell.seed.fan_email})
    assert response.status_code == 302, response.status_code
    return Request("GET", reverse("tbits_accounts:code"))


def _register_page(cell: Cell) -> Request:
    _register(cell)
    return Request("GET", reverse("tbits_accounts:register"))


def _oauth_start(cell: Cell) -> Request:
    login = reverse("tbits_accounts:login")
    return Request("POST", reverse("tbits_accounts:oauth_start"), {}, login)


def _logout(cell: Cell) -> Request:
    return Request("POST", reverse("tbits_accounts:logout"), {}, reverse("tbits_loyalty:dashboard"))


def _code_request(cell: Cell) -> Request:
    login = reverse("tbits_accounts:login")
    email = _new_email()
    return Request("POST", login, {"contact": email}, login, (email,), breaks=CONNECT)


def _code_submit(cell: Cell) -> Request:
    login = reverse("tbits_accounts:login")
    response = cell.client.post(login, {"contact": cell.seed.fan_email})
    assert response.status_code == 302, response.status_code
    code = reverse("tbits_accounts:code")
    return Request("POST", code, {"code": "00000", "action": "verify"}, code, breaks=CONNECT)


def _register(cell: Cell) -> Request:
    email = _new_email()
    response = cell.client.post(reverse("tbits_accounts:login"), {"contact": email})
    assert response.status_code == 302, response.status_code
    code = cell.seed.latest_code(email)
    response = cell.client.post(reverse("tbits_accounts:code"), {"code": code})
    register = reverse("tbits_accounts:register")
    assert response["Location"] == register, response.get("Location")
    names = {"first_name": "Zoë", "last_name": "Brontë-Sørensen", "accept_terms": "on"}
    return Request("POST", register, names, register, ("Zoë", "Brontë-Sørensen"), breaks=CONNECT)


def _password_login(cell: Cell) -> Request:
    page = reverse("tbits_accounts:password")
    data = {"contact": cell.seed.fan_email, "password": cell.seed.fan_password}
    return Request("POST", page, data, page, (cell.seed.fan_email,), breaks=CONNECT)


def _oauth_callback(cell: Cell) -> Request:
    response = cell.client.post(reverse("tbits_accounts:oauth_start"))
    assert response.status_code == 302, response.status_code
    provider = parse_qs(urlsplit(response["Location"]).query)
    callback = urlsplit(provider["redirect_url"][0]).path
    return Request("GET", f"{callback}?code=matrix-code", breaks=OAUTH_EXCHANGE)


def _fan(prepare: Callable[[Cell], Request]) -> Callable[[Cell], Request]:
    def with_fan(cell: Cell) -> Request:
        cell.proxied.log_in(cell.client)
        return prepare(cell)

    return with_fan


def _profile(cell: Cell) -> Request:
    return Request("GET", reverse("tbits_accounts:profile"))


def _profile_save(cell: Cell) -> Request:
    page = reverse("tbits_accounts:profile")
    cell.open_first(page)
    data = {
        "first_name": "Amélie",
        "last_name": "O'Connor-Nakamura",
        "display_name": "Amé the Tide",
        "is_subscribed": "on",
    }
    typed = ("Amélie", "O&#x27;Connor-Nakamura", "Amé the Tide")
    return Request("POST", page, data, page, typed, breaks=SESSION_FAN_WRITE)


def _password_save(cell: Cell) -> Request:
    page = reverse("tbits_accounts:profile")
    cell.open_first(page)
    data = {"new_password": "a-new-password-1", "new_password_again": "a-new-password-1"}
    return Request(
        "POST", reverse("tbits_accounts:profile_password"), data, page, breaks=SESSION_FAN_WRITE
    )


def _idol_like(cell: Cell) -> Request:
    page = reverse("tbits_accounts:profile")
    cell.open_first(page)
    idol = next(iter(cell.seed.idols.values()))
    return Request(
        "POST",
        reverse("tbits_accounts:profile_idol"),
        {"idol_uid": idol, "action": "add"},
        page,
        breaks=SESSION_IDOLS_WRITE,
    )


def _portal(name: str, *args: Any) -> Callable[[Cell], Request]:
    def prepare(cell: Cell) -> Request:
        values = [arg(cell) if callable(arg) else arg for arg in args]
        return Request("GET", reverse(f"tbits_loyalty:{name}", args=values))

    return prepare


def _scan_token(cell: Cell) -> str:
    from loyalty.scan import scan_token

    return scan_token(cell.quest_id("Check in at the stadium"))


def _wristband_id(cell: Cell) -> int:
    return cell.quest_id("Link your wristband")


WARM_PAGES = ("dashboard", "quests", "wallet", "leaderboard", "history")


def _warm(name: str) -> Callable[[Cell], Request]:
    def prepare(cell: Cell) -> Request:
        path = reverse(f"tbits_loyalty:{name}")
        if not cell.warmed:
            # The cached rows of a column share one fan who has seen every page once.
            for page in WARM_PAGES:
                response = cell.client.get(reverse(f"tbits_loyalty:{page}"))
                assert response.status_code == 200, (page, response.status_code)
            cell.warmed = True
        # Everything cached is now stale: the next page must try the API again. Shared
        # data is refreshed behind the page, as in production, so no fan waits for it.
        cell.settings.TBITS = {**cell.settings.TBITS, "CACHE_TTL": 0, "FAN_CACHE_TTL": 0}
        cell.settings.patch("loyalty.cache.REFRESH_IN_BACKGROUND", True)
        return Request("GET", path)

    return prepare


def _quest_action(name: str, title: str) -> Callable[[Cell], Request]:
    def prepare(cell: Cell) -> Request:
        board = reverse("tbits_loyalty:quests")
        cell.open_first(board)
        path = reverse(f"tbits_loyalty:{name}", args=[cell.quest_id(title)])
        return Request("POST", path, {}, board, breaks=COMPLETE)

    return prepare


def _scan(cell: Cell) -> Request:
    path = reverse("tbits_loyalty:scan", args=[_scan_token(cell)])
    cell.open_first(path)
    return Request("POST", path, {}, path, breaks=COMPLETE)


def _wristband(cell: Cell) -> Request:
    path = reverse("tbits_loyalty:wristband", args=[_wristband_id(cell)])
    cell.open_first(path)
    return Request(
        "POST", path, {"barcode": "WB-2026-0042"}, path, ("WB-2026-0042",), breaks=REGISTRATION
    )


def _business_pick(cell: Cell) -> Request:
    path = reverse("tbits_loyalty:business")
    return Request("POST", path, {"business_id": cell.seed.business_id}, path)


PREPARE: dict[tuple[str, bool], Callable[[Cell], Request]] = {
    ("login_page", False): _login_page,
    ("password_page", False): _password_page,
    ("code_page", False): _code_page,
    ("register_page", False): _register_page,
    ("oauth_start", False): _oauth_start,
    ("logout", False): _fan(_logout),
    ("code_request", False): _code_request,
    ("code_submit", False): _code_submit,
    ("register", False): _register,
    ("password_login", False): _password_login,
    ("oauth_callback", False): _oauth_callback,
    ("profile", False): _fan(_profile),
    ("profile_save", False): _fan(_profile_save),
    ("password_save", False): _fan(_password_save),
    ("idol_like", False): _fan(_idol_like),
    ("dashboard", False): _fan(_portal("dashboard")),
    ("quests", False): _fan(_portal("quests")),
    ("wallet", False): _fan(_portal("wallet")),
    ("leaderboard", False): _fan(_portal("leaderboard")),
    ("history", False): _fan(_portal("history")),
    ("business", False): _fan(_portal("business")),
    ("scan_page", False): _fan(_portal("scan", _scan_token)),
    ("wristband_page", False): _fan(_portal("wristband", _wristband_id)),
    ("dashboard", True): _fan(_warm("dashboard")),
    ("quests", True): _fan(_warm("quests")),
    ("wallet", True): _fan(_warm("wallet")),
    ("leaderboard", True): _fan(_warm("leaderboard")),
    ("history", True): _fan(_warm("history")),
    ("complete", False): _fan(_quest_action("complete", "Members' lounge tour")),
    ("visit", False): _fan(_quest_action("visit", "Visit the club shop")),
    ("scan", False): _fan(_scan),
    ("wristband", False): _fan(_wristband),
    ("business_pick", False): _fan(_business_pick),
}


# -- checking a cell ---------------------------------------------------------------------


def _text(response: Any) -> str:
    return response.content.decode(errors="replace")


def _retry_link(html: str) -> str | None:
    match = re.search(r'<a class="tbits-button" href="([^"]*)">', html)
    return match.group(1).replace("&amp;", "&") if match else None


def _check(
    cell: Cell, request: Request, column: Column, expect: Expect, response: Any
) -> list[str]:
    html = _text(response)
    status = response.status_code
    location = response.get("Location", "")
    problems: list[str] = []

    def need(condition: bool, what: str) -> None:
        if not condition:
            problems.append(f"{what} (got {status} {location or html[:160]!r})")

    if expect is Expect.PAGE:
        need(status == 200 and "<form" in html, "the page without what failed")
    elif expect is Expect.STALE:
        need(status == 200, "the cached page")
        if NOTICE not in html:
            # Shared data is refreshed behind the first stale page, which cannot know yet
            # that the refresh will fail; the notice must be there by the next page.
            _join_background_refreshes()
            again = cell.client.get(request.path)
            need(again.status_code == 200 and NOTICE in _text(again), "then the notice")
    elif expect is Expect.UNAVAILABLE:
        need(status == 503 and UNAVAILABLE_TEXT in html, "the friendly 503")
        link = _retry_link(html)
        need(link is not None, "a retry link")
        if link is not None and column is Column.E503:
            # The link does not depend on the fault: followed in one column, it is enough.
            cell.proxied.proxy.heal()
            retried = cell.client.get(link)
            need(retried.status_code in (200, 302), f"a retry link that works ({link})")
    elif expect is Expect.RETRY_LATER:
        need(status == 429, "a 429")
        need(response.get("Retry-After") == str(RETRY_AFTER_SECONDS), "Retry-After: 17")
        need(f"try again in {RETRY_AFTER_SECONDS} seconds" in html, '"try again in 17 seconds"')
    elif expect is Expect.RELOGIN:
        need(status == 302 and location.startswith("/accounts/login/?next="), "log in again")
    elif expect is Expect.WRONG_CODE:
        need(status == 200 and "That code is not right" in html, "the wrong-code error")
    elif expect is Expect.LOGIN_FAILED:
        need(status == 200 and "do not match an account" in html, "the login error")
    elif expect is Expect.OAUTH_FAILED:
        need(status == 302 and location == reverse("tbits_accounts:login"), "the login page")
        page = _text(cell.client.get(location))
        need("We could not sign you in" in page, "the OAuth failure message")
    elif expect is Expect.KEPT_UNAVAILABLE:
        need(status == 503 and NOT_SAVED in html, "the form with 'nothing was saved'")
    elif expect is Expect.KEPT_RETRY_LATER:
        need(status == 429 and NOT_SAVED in html, "the form with 'nothing was saved'")
        need(f"try again in {RETRY_AFTER_SECONDS} seconds" in html, '"try again in 17 seconds"')
        need(response.get("Retry-After") == str(RETRY_AFTER_SECONDS), "Retry-After: 17")
    elif expect is Expect.FORM_REFUSED:
        # The accounts forms list errors in a box; the portal's wristband form under the field.
        error_shown = 'class="tbits-form-errors"' in html or 'class="tb-error"' in html
        need(status == 200 and error_shown, "the form with its error")
    elif expect is Expect.CODE_NOT_SENT:
        need(status == 503 and NO_CODE in html, "the login form with 'no code was sent'")
    elif expect is Expect.CODE_NOT_SENT_RETRY_LATER:
        need(status == 429 and NO_CODE in html, "the login form with 'no code was sent'")
        need(f"try again in {RETRY_AFTER_SECONDS} seconds" in html, '"try again in 17 seconds"')
        need(response.get("Retry-After") == str(RETRY_AFTER_SECONDS), "Retry-After: 17")
    elif expect is Expect.DONE:
        need(status == 302 and "?next=" not in location, "done, back to the page")
    elif expect is Expect.FLASH:
        need(status == 302, "back to the page")
        page = _text(cell.client.get(location))
        need("We could not save these changes" in page, "the error message")
    elif expect is Expect.QUEST_REFUSED:
        back = request.referer if request.referer == request.path else QUEST_BOARD
        need(status == 302 and location.split("#")[0] == back, f"back to {back}")
        page = _text(cell.client.get(location))
        need(QUEST_NOT_COMPLETED in page, "why the quest was not completed")
        need(not any(text in page for text in SUCCESS_TEXTS), "no success claimed after")
    if expect in (
        Expect.KEPT_UNAVAILABLE,
        Expect.KEPT_RETRY_LATER,
        Expect.FORM_REFUSED,
        Expect.CODE_NOT_SENT,
        Expect.CODE_NOT_SENT_RETRY_LATER,
    ):
        for value in request.typed:
            need(value in html, f"what the fan typed ({value!r}) kept")
    return problems


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


#: Seconds each cell's request took, for the report printed at the end (``-s``).
TIMINGS: dict[tuple[str, str], float] = {}


class CellSettings:
    """Settings changed for one cell, all undone when the cell ends.

    pytest-django's ``settings`` fixture stacks one override per assignment until the test
    ends: over the whole matrix that is hundreds of nested overrides, which exhausts the
    recursion limit on Python 3.12. Each assignment here is an ``override_settings`` too
    (so ``setting_changed`` rebuilds the API client), but they are unwound after each cell.
    """

    def __init__(self) -> None:
        object.__setattr__(self, "_stack", [])

    def __getattr__(self, name: str) -> Any:
        return getattr(django_settings, name)

    def __setattr__(self, name: str, value: Any) -> None:
        override = override_settings(**{name: value})
        override.enable()
        self._stack.append(override)

    def patch(self, target: str, value: Any) -> None:
        """Set a module attribute (what tests change instead of a setting) for this cell."""
        patcher = mock.patch(target, value)
        patcher.start()
        self._stack.append(SimpleNamespace(disable=patcher.stop))

    def undo(self) -> None:
        while self._stack:
            self._stack.pop().disable()


def _run_cell(cell: Cell, row: Row, expect: Expect, *, fresh: bool = True) -> list[str]:
    proxied, settings, column = cell.proxied, cell.settings, cell.column
    if fresh:
        proxied.reset()
    tbits = dict(settings.TBITS)
    try:
        request = PREPARE[(row.key, row.warm)](cell)
        pattern, method = request.breaks
        if column is Column.REFUSED:
            # Nothing listens there: the whole API is down (reads come from the cache).
            port = _closed_port()
            settings.TBITS = {**settings.TBITS, "API_BASE_URL": f"http://127.0.0.1:{port}/sandbox/"}
        else:
            fault = PROXY_FAULT[column]
            proxied.proxy.set_faults((pattern, fault, method) if method else (pattern, fault))
        extra = {"HTTP_REFERER": f"http://testserver{request.referer}"} if request.referer else {}
        started = time.perf_counter()
        response = cell.client.generic(
            request.method,
            request.path,
            data=_encode(request.data),
            content_type="application/x-www-form-urlencoded",
            **extra,
        )
        elapsed = time.perf_counter() - started
        TIMINGS[(row.label, column.value)] = elapsed
        settings.TBITS = tbits
        problems = []
        html = _text(response)
        if response.status_code >= 500 and response.status_code != 503:
            problems.append(f"answered {response.status_code}")
        if "Traceback" in html:
            problems.append("shows a traceback")
        if elapsed > REQUEST_BUDGET:
            problems.append(f"took {elapsed:.2f}s, over the {REQUEST_BUDGET:.2f}s budget")
        if response.status_code != 302 and any(text in html for text in SUCCESS_TEXTS):
            problems.append("claims success")
        if not row.warm and column is not Column.REFUSED:
            broken = [call for call in proxied.proxy.calls() if call.fault is not None]
            if not broken and row.breaks is Break.WRITE:
                problems.append("the write was never attempted (nothing was tested)")
        problems += _check(cell, request, column, expect, response)
    finally:
        settings.undo()
        _join_background_refreshes()
        proxied.proxy.heal()
    return problems


def _join_background_refreshes() -> None:
    # A refresh still running would write its stale copy into the next cell's empty cache.
    for thread in threading.enumerate():
        if thread.name == "tbits-refresh":
            thread.join(timeout=5)


def _encode(data: dict[str, str]) -> str:
    from urllib.parse import urlencode

    return urlencode(data)


@pytest.fixture
def portal(proxied: Proxied, settings: Any) -> Proxied:
    """The sandbox with the wristband quest open to the demo fan (it needs Silver).

    The sandbox's own throttling of code requests is off: the matrix asks for a code a
    few times per column, which is more than the sandbox allows one address in a minute.
    """
    from tbits_sandbox.models import Quest

    settings.TBITS_SANDBOX_THROTTLE_PER_IP = 0
    settings.TBITS_SANDBOX_THROTTLE_PER_KEY = 0

    Quest.objects.filter(page_tab_id=proxied.sandbox.quests["Link your wristband"]).update(
        access_restriction_type="", point_tier=None
    )
    return proxied


def test_fault_matrix(portal: Proxied) -> None:
    settings = CellSettings()
    # One test for the whole table: seeding the sandbox once instead of once per column
    # saves a third of the time, and every failing cell is still listed by name.
    failures = []
    for column in COLUMNS:
        warm: Cell | None = None
        for row in ROWS:
            expect = row.expect(column)
            if row.warm:
                # One fan, one warm-up, for all the cached rows of the column.
                fresh = warm is None
                warm = warm or Cell(portal, Client(), settings, column)
                problems = _run_cell(warm, row, expect, fresh=fresh)
            else:
                problems = _run_cell(Cell(portal, Client(), settings, column), row, expect)
            failures += [f"{row.label} / {column.value} -> {expect.value}: {p}" for p in problems]
    slowest = sorted(TIMINGS.items(), key=lambda item: -item[1])[:5]
    print(f"\nslowest cells (budget {REQUEST_BUDGET:.2f}s):")
    for (label, column_name), seconds in slowest:
        print(f"  {seconds:.3f}s  {label} / {column_name}")
    assert not failures, f"{len(failures)} cells went wrong:\n" + "\n".join(failures)


def test_docs_hold_the_same_matrix() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "reliability.md").read_text()
    assert markdown() in docs, "docs/reliability.md: paste `python -m tests.reliability.matrix`"
