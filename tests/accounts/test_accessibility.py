"""Every form control of every step has a label; each step has its own page title.

The steps are played against the live sandbox.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest

from tests.accounts.conftest import log_in_sandbox_fan

pytestmark = pytest.mark.django_db


class Controls(HTMLParser):
    """Collects form controls, label targets and the title of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str | None]] = []
        self.labels: set[str] = set()
        self.ids: set[str] = set()
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(str(attributes["id"]))
        if tag == "label" and attributes.get("for"):
            self.labels.add(str(attributes["for"]))
        if tag in {"input", "select", "textarea"} and attributes.get("type") != "hidden":
            self.controls.append(attributes)
        self._in_title = tag == "title"

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False


def inspect(html: str) -> Controls:
    parser = Controls()
    parser.feed(html)
    for control in parser.controls:
        assert control.get("id") in parser.labels, f"unlabelled control {control}"
        for ref in (control.get("aria-describedby") or "").split():
            assert ref in parser.ids, f"aria-describedby points at missing #{ref}"
    return parser


def test_every_step_is_labelled_and_titled(client: Any, live_sandbox: Any) -> None:
    live_sandbox.require_terms()
    email = "newcomer@example.com"
    titles = []
    titles.append(inspect(client.get("/accounts/login/").content.decode()).title)
    titles.append(inspect(client.post("/accounts/login/", {"contact": "x"}).content.decode()).title)
    client.post("/accounts/login/", {"contact": email})
    code = live_sandbox.latest_code(email)
    titles.append(inspect(client.get("/accounts/login/code/").content.decode()).title)
    wrong = "11111" if code != "11111" else "22222"
    titles.append(
        inspect(client.post("/accounts/login/code/", {"code": wrong}).content.decode()).title
    )
    titles.append(inspect(client.get("/accounts/login/password/").content.decode()).title)
    client.post("/accounts/login/code/", {"code": code})
    titles.append(
        inspect(
            client.post("/accounts/register/", {"first_name": "", "last_name": ""}).content.decode()
        ).title
    )
    register = inspect(
        client.post("/accounts/register/", {"first_name": "J", "last_name": "D"}).content.decode()
    )
    assert {c.get("name") for c in register.controls} >= {"first_name", "last_name", "accept_terms"}

    log_in_sandbox_fan(client, live_sandbox)
    titles.append(inspect(client.get("/accounts/profile/").content.decode()).title)

    cleaned = [re.sub(r"\s+", " ", t).strip() for t in titles]
    assert cleaned == [
        "Log in · Fan portal",
        "Error: Log in · Fan portal",
        "Enter your code · Fan portal",
        "Error: Enter your code · Fan portal",
        "Log in with a password · Fan portal",
        "Error: Create your account · Fan portal",
        "Your profile · Harbour City FC Fan Club",
    ]


def test_errors_are_announced(client: Any, live_sandbox: Any) -> None:
    html = client.post("/accounts/login/", {"contact": ""}).content.decode()
    assert re.search(r'<div class="tbits-form-errors" role="alert">', html)


def test_pages_are_never_cached(client: Any, live_sandbox: Any) -> None:
    for url in ("/accounts/login/", "/accounts/login/password/"):
        response = client.get(url)
        assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
        assert "private" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
