"""The adapter's hooks: the client IP behind proxies, safe ``next`` values, every message."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from accounts.adapter import DefaultFanAdapter, get_adapter
from accounts.failures import form_failure
from accounts.forms import CodeForm, ContactForm, ProfileForm, RegisterForm, SetPasswordForm
from accounts.ratelimit import RateLimitExceeded
from tbits_client import CircuitOpen, RateLimited, ServerError


def request_with(remote: str = "203.0.113.9", forwarded: str | None = None, secure: bool = False):
    meta: dict[str, Any] = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", secure=secure, **meta)


@pytest.mark.parametrize(
    ("count", "remote", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "198.51.100.1", "203.0.113.9"),  # no proxy: header is ignored
        (1, "10.0.0.2", "198.51.100.1", "198.51.100.1"),
        (1, "10.0.0.2", "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # forged left part ignored
        (2, "10.0.0.3", "6.6.6.6, 198.51.100.1, 10.0.0.2", "198.51.100.1"),
        (2, "10.0.0.3", "198.51.100.1", "10.0.0.3"),  # too few entries: nearest hop
        (1, "10.0.0.2", "not-an-ip", "10.0.0.2"),
        (1, "10.0.0.2", "2001:db8::1", "2001:db8::1"),
        (0, "", None, None),
    ],
)
def test_client_ip(
    settings: Any, count: int, remote: str, forwarded: str | None, expected: str | None
) -> None:
    settings.TBITS = {**settings.TBITS, "TRUSTED_PROXY_COUNT": count}
    assert get_adapter().get_client_ip(request_with(remote, forwarded)) == expected


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("/portal/rewards/", True),
        ("/portal/?tab=quests#top", True),
        ("http://testserver/portal/", True),
        ("https://evil.example/", False),
        ("//evil.example/", False),
        ("///evil.example/", False),
        ("/\\evil.example/", False),
        ("\\\\evil.example", False),
        ("javascript:alert(1)", False),
        ("http:evil.example", False),
        ("", False),
        (None, False),
    ],
)
def test_safe_next(url: str | None, safe: bool) -> None:
    adapter = DefaultFanAdapter()
    request = request_with()
    assert adapter.is_safe_url(request, url) is safe
    # An unsafe next lands on the portal's home (LOGIN_REDIRECT_URL unset).
    expected = url if safe else "/portal/"
    assert adapter.get_login_redirect_url(request, url) == expected


def test_https_site_refuses_http_next() -> None:
    request = request_with(secure=True)
    assert not DefaultFanAdapter().is_safe_url(request, "http://testserver/portal/")


def test_site_adapter_is_loaded_from_settings(settings: Any) -> None:
    settings.TBITS = {**settings.TBITS, "ADAPTER": "tests.accounts.test_adapter.LoudAdapter"}
    assert get_adapter().error_message("login_failed") == "NOPE"


class LoudAdapter(DefaultFanAdapter):
    error_messages = {
        **DefaultFanAdapter.error_messages,
        "login_failed": "NOPE",
        "invalid_contact": "WHO?",
        "code_invalid_format": "DIGITS!",
        "terms_required": "TERMS!",
        "password_mismatch": "TWINS!",
        "not_saved": "DOWN!",
        "not_saved_rate_limited": "SLOW %(seconds)d!",
    }
    notice_messages = {**DefaultFanAdapter.notice_messages, "code_resent": "SENT!"}


@pytest.fixture
def loud(settings: Any) -> None:
    settings.TBITS = {**settings.TBITS, "ADAPTER": "tests.accounts.test_adapter.LoudAdapter"}


@pytest.mark.usefixtures("loud")
def test_form_messages_come_from_the_site_adapter() -> None:
    contact = ContactForm({"contact": "not an address"})
    code = CodeForm({"code": "12ab"})
    terms = RegisterForm({"first_name": "A", "last_name": "B"}, show_terms=True)
    twins = SetPasswordForm({"new_password": "long enough", "new_password_again": "different!"})
    for form in (contact, code, terms, twins):
        assert not form.is_valid()
    assert contact.errors["contact"] == ["WHO?"]
    assert code.errors["code"] == ["DIGITS!"]
    assert terms.errors["accept_terms"] == ["TERMS!"]
    assert twins.errors["new_password_again"] == ["TWINS!"]
    assert get_adapter().notice("code_resent") == "SENT!"


@pytest.mark.usefixtures("loud")
@pytest.mark.parametrize(
    ("error", "status", "retry_after", "message"),
    [
        (RateLimited("slow", http_status=429, retry_after=17), 429, "17", "SLOW 17!"),
        (RateLimitExceeded(action="register", retry_after=5), 429, "5", "SLOW 5!"),
        (ServerError("boom", http_status=502), 503, None, "DOWN!"),
        (CircuitOpen("open", retry_after=12), 503, "12", "DOWN!"),
    ],
)
def test_a_form_that_could_not_save_says_so_in_the_site_adapters_words(
    error: Exception, status: int, retry_after: str | None, message: str
) -> None:
    form = ProfileForm({"first_name": "Jane", "last_name": "Doe"})
    assert form.is_valid()
    response = form_failure(
        request_with(), error, form=form, render=lambda: HttpResponse(form.errors.as_text())
    )
    assert response.status_code == status
    assert response.get("Retry-After") == retry_after
    assert message in response.content.decode()
