"""The fault matrix, written down: every page and action, every fault, the expected result.

The rows and what they expect are data, so the same table drives the test
(``test_fault_matrix.py``) and the one in docs/reliability.md (``python -m
tests.reliability.matrix`` prints it; a test checks the docs still match).

Columns are what the API (or the network to it) does, on real sockets through
:class:`loadtest.fault_proxy.FaultProxy`. A row breaks either every API call (pages) or
only the call that writes (actions; with the whole API refused, the page was opened first).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field


class Column(enum.StrEnum):
    """What goes wrong upstream."""

    READ_TIMEOUT = "read timeout"
    REFUSED = "connection refused"
    DROPPED = "connection dropped"
    E500 = "500"
    E503 = "503"
    E429 = "429 + Retry-After"
    E401 = "401"
    E400 = "400 + message"
    NOT_JSON = "not JSON"
    WRONG_SHAPE = "wrong JSON shape"


#: The faults that mean "the API is down or broken": one expectation for all of them.
INFRA = (
    Column.READ_TIMEOUT,
    Column.REFUSED,
    Column.DROPPED,
    Column.E500,
    Column.E503,
    Column.NOT_JSON,
    Column.WRONG_SHAPE,
)


class Expect(enum.StrEnum):
    """What the fan gets. Whatever the cell: never a 500, never a traceback, in budget."""

    PAGE = "page"
    STALE = "stale"
    UNAVAILABLE = "503"
    RETRY_LATER = "429"
    RELOGIN = "re-login"
    WRONG_CODE = "wrong code"
    LOGIN_FAILED = "no match"
    OAUTH_FAILED = "not signed in"
    KEPT_UNAVAILABLE = "503 kept"
    KEPT_RETRY_LATER = "429 kept"
    FORM_REFUSED = "form error"
    CODE_NOT_SENT = "503 kept, no code"
    CODE_NOT_SENT_RETRY_LATER = "429 kept, no code"
    FLASH = "flash"
    QUEST_REFUSED = "refused"
    DONE = "done"

    @property
    def meaning(self) -> str:
        return MEANINGS[self]


MEANINGS = {
    Expect.PAGE: "the page, without what failed (the login page without the branding)",
    Expect.STALE: "the last copy, with the notice that it may be a few minutes old (at the "
    "latest on the next page, when shared data is refreshed behind the first one)",
    Expect.UNAVAILABLE: "the friendly 503 page with a retry link that works (a failed POST's "
    "link goes back to the page the form was on)",
    Expect.RETRY_LATER: '429 page "Please try again in 17 seconds" and `Retry-After: 17`',
    Expect.RELOGIN: "the fan's API session is gone: back to the login page with `next` kept",
    Expect.WRONG_CODE: 'the code form again: "That code is not right"',
    Expect.LOGIN_FAILED: "the password form again with the one message for every failure",
    Expect.OAUTH_FAILED: 'the login page: "We could not sign you in"',
    Expect.KEPT_UNAVAILABLE: 'the form again, 503, with what the fan typed and "Nothing was saved"',
    Expect.KEPT_RETRY_LATER: "the form again, 429 with `Retry-After`, with what the fan typed and "
    '"Nothing was saved … try again in 17 seconds"',
    Expect.FORM_REFUSED: "the form again with the API's refusal as a form error, input kept",
    Expect.CODE_NOT_SENT: 'the login form again, 503, with what the fan typed and "No code was '
    'sent"; never the "enter your code" step',
    Expect.CODE_NOT_SENT_RETRY_LATER: "the login form again, 429 with `Retry-After`, with what "
    'the fan typed and "No code was sent … try again in 17 seconds"',
    Expect.FLASH: "back to the page with an error message",
    Expect.QUEST_REFUSED: 'back to the quest board (a scan: its page) with "The quest could '
    "not be completed: …\", in the portal's own words; nothing completed",
    Expect.DONE: "done: no API call to fail, or the API said 200 and the portal does not "
    "need the body",
}


class Break(enum.StrEnum):
    """Which API calls a row breaks."""

    ALL = "every call"
    WRITE = "the write"


@dataclass(frozen=True)
class Row:
    """One page or action of the portal and what each fault must lead to."""

    key: str
    label: str
    breaks: Break
    infra: Expect
    rate_limited: Expect
    unauthorized: Expect
    bad_request: Expect
    overrides: Mapping[Column, Expect] = field(default_factory=dict)
    warm: bool = False  # the page was served before; the cache has gone stale

    def expect(self, column: Column) -> Expect:
        if column in self.overrides:
            return self.overrides[column]
        if self.warm:
            return Expect.STALE
        if column is Column.E429:
            return self.rate_limited
        if column is Column.E401:
            return self.unauthorized
        if column is Column.E400:
            return self.bad_request
        return self.infra


def _page(key: str, label: str) -> Row:
    # The portal's reads are made with the site's key and secret, not the fan's session:
    # a 401 there means the site is misconfigured, which is not the fan's to fix.
    return Row(
        key,
        label,
        Break.ALL,
        Expect.UNAVAILABLE,
        Expect.RETRY_LATER,
        Expect.UNAVAILABLE,
        Expect.UNAVAILABLE,
    )


def _warm(key: str, label: str) -> Row:
    return Row(
        key,
        label + " (cached)",
        Break.ALL,
        Expect.STALE,
        Expect.STALE,
        Expect.STALE,
        Expect.STALE,
        warm=True,
    )


def _action(key: str, label: str) -> Row:
    # A 400 is the API refusing the completion, not the API being down.
    return Row(
        key,
        label,
        Break.WRITE,
        Expect.UNAVAILABLE,
        Expect.RETRY_LATER,
        Expect.UNAVAILABLE,
        Expect.QUEST_REFUSED,
    )


ROWS: tuple[Row, ...] = (
    # -- login, anonymous ------------------------------------------------------------
    Row(
        "login_page",
        "GET /accounts/login/ (branding)",
        Break.ALL,
        Expect.PAGE,
        Expect.PAGE,
        Expect.PAGE,
        Expect.PAGE,
    ),
    Row(
        "password_page",
        "GET /accounts/login/password/",
        Break.ALL,
        Expect.PAGE,
        Expect.PAGE,
        Expect.PAGE,
        Expect.PAGE,
    ),
    Row(
        "code_page",
        "GET /accounts/login/code/",
        Break.ALL,
        Expect.PAGE,
        Expect.PAGE,
        Expect.PAGE,
        Expect.PAGE,
    ),
    Row(
        "register_page",
        "GET /accounts/register/ (branding)",
        Break.ALL,
        Expect.PAGE,
        Expect.PAGE,
        Expect.PAGE,
        Expect.PAGE,
    ),
    Row(
        "oauth_start",
        "POST /accounts/oauth/start/ (no API call)",
        Break.ALL,
        Expect.DONE,
        Expect.DONE,
        Expect.DONE,
        Expect.DONE,
    ),
    Row(
        "code_request",
        "POST /accounts/login/ (send a code)",
        Break.WRITE,
        # No code was sent, so no "enter your code" step. (An address without an account
        # is not refused: the API sends it a code too, so nothing here tells a stranger
        # about accounts.)
        Expect.CODE_NOT_SENT,
        Expect.CODE_NOT_SENT_RETRY_LATER,
        Expect.CODE_NOT_SENT,
        Expect.FORM_REFUSED,
    ),
    Row(
        "code_submit",
        "POST /accounts/login/code/",
        Break.WRITE,
        Expect.UNAVAILABLE,
        Expect.RETRY_LATER,
        Expect.WRONG_CODE,
        Expect.WRONG_CODE,
    ),
    Row(
        "register",
        "POST /accounts/register/",
        Break.WRITE,
        Expect.KEPT_UNAVAILABLE,
        Expect.KEPT_RETRY_LATER,
        Expect.KEPT_UNAVAILABLE,
        Expect.FORM_REFUSED,
    ),
    Row(
        "password_login",
        "POST /accounts/login/password/",
        Break.WRITE,
        Expect.UNAVAILABLE,
        Expect.RETRY_LATER,
        Expect.LOGIN_FAILED,
        Expect.LOGIN_FAILED,
    ),
    Row(
        "oauth_callback",
        "GET /accounts/oauth/callback/…",
        Break.WRITE,
        Expect.UNAVAILABLE,
        Expect.RETRY_LATER,
        Expect.OAUTH_FAILED,
        Expect.OAUTH_FAILED,
    ),
    # -- the fan's profile (calls bound to the fan's API session) ----------------------
    Row(
        "profile",
        "GET /accounts/profile/",
        Break.ALL,
        Expect.UNAVAILABLE,
        Expect.RETRY_LATER,
        Expect.RELOGIN,
        Expect.UNAVAILABLE,
    ),
    Row(
        "profile_save",
        "POST /accounts/profile/",
        Break.WRITE,
        Expect.KEPT_UNAVAILABLE,
        Expect.KEPT_RETRY_LATER,
        Expect.RELOGIN,
        Expect.FORM_REFUSED,
    ),
    Row(
        "password_save",
        "POST /accounts/profile/password/",
        Break.WRITE,
        Expect.KEPT_UNAVAILABLE,
        Expect.KEPT_RETRY_LATER,
        Expect.RELOGIN,
        Expect.FORM_REFUSED,
    ),
    Row(
        "logout",
        "POST /accounts/logout/ (no API call)",
        Break.ALL,
        Expect.DONE,
        Expect.DONE,
        Expect.DONE,
        Expect.DONE,
    ),
    Row(
        "idol_like",
        "POST /accounts/profile/idols/",
        Break.WRITE,
        Expect.UNAVAILABLE,
        Expect.RETRY_LATER,
        Expect.RELOGIN,
        Expect.FLASH,
        # A 200 is the API saying yes; the portal does not read the body of this answer.
        overrides={Column.WRONG_SHAPE: Expect.DONE},
    ),
    # -- the portal's pages, first visit (nothing cached) ----------------------------
    _page("dashboard", "GET /portal/"),
    _page("quests", "GET /portal/quests/"),
    _page("wallet", "GET /portal/rewards/"),
    _page("leaderboard", "GET /portal/leaderboard/"),
    _page("history", "GET /portal/history/"),
    _page("business", "GET /portal/team/"),
    _page("scan_page", "GET /portal/scan/<token>/"),
    _page("wristband_page", "GET /portal/quests/<id>/wristband/"),
    # -- the same pages served before, their cache now stale -------------------------
    _warm("dashboard", "GET /portal/"),
    _warm("quests", "GET /portal/quests/"),
    _warm("wallet", "GET /portal/rewards/"),
    _warm("leaderboard", "GET /portal/leaderboard/"),
    _warm("history", "GET /portal/history/"),
    # -- actions ---------------------------------------------------------------------
    _action("complete", "POST /portal/quests/<id>/complete/"),
    _action("visit", "POST /portal/quests/<id>/visit/"),
    _action("scan", "POST /portal/scan/<token>/"),
    Row(
        "wristband",
        "POST /portal/quests/<id>/wristband/",
        Break.WRITE,
        Expect.KEPT_UNAVAILABLE,
        Expect.KEPT_RETRY_LATER,
        Expect.KEPT_UNAVAILABLE,
        # The number was refused: the service is up, the fan corrects it.
        Expect.FORM_REFUSED,
        # The registration's 200 is a yes whatever its body; the quest is then completed.
        overrides={Column.WRONG_SHAPE: Expect.DONE},
    ),
    _page("business_pick", "POST /portal/team/"),
)

COLUMNS: tuple[Column, ...] = tuple(Column)


def markdown() -> str:
    """The matrix as the Markdown table docs/reliability.md holds, with its legend."""
    lines = [
        "| page or action | breaks | " + " | ".join(c.value for c in COLUMNS) + " |",
        "|---|---|" + "---|" * len(COLUMNS),
    ]
    for row in ROWS:
        cells = " | ".join(row.expect(column).value for column in COLUMNS)
        lines.append(f"| {row.label} | {row.breaks.value} | {cells} |")
    lines.append("")
    lines += [f"- **{expect.value}**: {expect.meaning}" for expect in Expect]
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown())
