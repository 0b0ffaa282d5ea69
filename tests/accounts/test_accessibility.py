"""Every form control of every step has a label; each step has its own page title."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
import responses

from tests.accounts.conftest import API, FakeApi, log_in

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


def test_every_step_is_labelled_and_titled(client: Any, api: FakeApi) -> None:
    api.status({"legal_terms": "Terms"})
    titles = []
    titles.append(inspect(client.get("/accounts/login/").content.decode()).title)
    titles.append(inspect(client.post("/accounts/login/", {"contact": "x"}).content.decode()).title)
    api.connect("verify_email", json={"request_uid": "r", "message": "m"})
    client.post("/accounts/login/", {"contact": "fan@example.com"})
    titles.append(inspect(client.get("/accounts/login/code/").content.decode()).title)
    api.connect("submit_verification_code", status=400, json={"error": "x"})
    titles.append(
        inspect(client.post("/accounts/login/code/", {"code": "11111"}).content.decode()).title
    )
    titles.append(inspect(client.get("/accounts/login/password/").content.decode()).title)
    api.connect("submit_verification_code", json={"status": "register", "verification_uid": "v"})
    client.post("/accounts/login/code/", {"code": "22222"})
    titles.append(
        inspect(
            client.post("/accounts/register/", {"first_name": "", "last_name": ""}).content.decode()
        ).title
    )
    api.connect("register", json={"terms_required": True, "legal_terms": "Be kind."})
    register = inspect(
        client.post("/accounts/register/", {"first_name": "J", "last_name": "D"}).content.decode()
    )
    assert {c.get("name") for c in register.controls} >= {"first_name", "last_name", "accept_terms"}

    log_in(client)
    uid = "sess-uid-1111"
    api.mock.add(responses.GET, f"{API}api/v1/sessions/{uid}/fan", json={"fan_id": 1})
    api.mock.add(responses.GET, f"{API}api/v1/idols", json=[])
    api.mock.add(responses.GET, f"{API}api/v1/sessions/{uid}/idols", json=[])
    titles.append(inspect(client.get("/accounts/profile/").content.decode()).title)

    cleaned = [re.sub(r"\s+", " ", t).strip() for t in titles]
    assert cleaned == [
        "Log in · Fan portal",
        "Error: Log in · Fan portal",
        "Enter your code · Fan portal",
        "Error: Enter your code · Fan portal",
        "Log in with a password · Fan portal",
        "Error: Create your account · Fan portal",
        "Your profile · Fan portal",
    ]


def test_errors_are_announced(client: Any, api: FakeApi) -> None:
    api.status({})
    html = client.post("/accounts/login/", {"contact": ""}).content.decode()
    assert re.search(r'<div class="tbits-form-errors" role="alert">', html)


def test_pages_are_never_cached(client: Any, api: FakeApi) -> None:
    api.status({})
    for url in ("/accounts/login/", "/accounts/login/password/"):
        response = client.get(url)
        assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
        assert "private" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
