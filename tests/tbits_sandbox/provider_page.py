"""Drive the sandbox's OAuth sign-in page over HTTP, as a fan's browser would."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import requests

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def _form(html: str) -> dict[str, str]:
    fields = dict(HIDDEN.findall(html))
    token = CSRF.search(html)
    assert token, "the sign-in page has no CSRF token"
    fields["csrfmiddlewaretoken"] = token.group(1)
    return {name: value.replace("&amp;", "&") for name, value in fields.items()}


def sign_in(
    authorize_url: str,
    *,
    email: str,
    read_code: Callable[[str], str],
    code_override: str | None = None,
) -> dict[str, list[str]]:
    """Open the provider page, give the email and the code; answer the redirect's query."""
    with requests.Session() as browser:
        return _sign_in(
            browser, authorize_url, email=email, read_code=read_code, code=code_override
        )


def _sign_in(
    browser: requests.Session,
    authorize_url: str,
    *,
    email: str,
    read_code: Callable[[str], str],
    code: str | None,
) -> dict[str, list[str]]:
    page = browser.get(authorize_url, timeout=10)
    assert page.status_code == 200, page.text
    answer = browser.post(
        page.url, data={**_form(page.text), "email": email}, timeout=10, allow_redirects=False
    )
    assert answer.status_code == 200, answer.text
    code = code or read_code(email)
    done = browser.post(
        page.url,
        data={**_form(answer.text), "verification_code": code},
        timeout=10,
        allow_redirects=False,
    )
    assert done.status_code == 302, done.text
    return parse_qs(urlsplit(done.headers["Location"]).query)
