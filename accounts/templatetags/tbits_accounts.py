"""Template tags a host site puts in its own pages: ``{% load tbits_accounts %}``.

``{% tbits_login_button %}`` offers an anonymous visitor the Tradable Bits sign-in and
renders nothing for a fan who is logged in. It makes no API call, so it is free on every
page of the host site.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode

from accounts.app_settings import app_settings

register = template.Library()


@register.inclusion_tag("tbits_accounts/tags/login_button.html", takes_context=True)
def tbits_login_button(context: template.Context, next_url: str | None = None) -> dict[str, Any]:
    """A "Log in with Tradable Bits" button that brings the fan back to ``next_url``.

    With OAuth configured it posts to the provider's sign-in (a POST, as the portal's own
    login page does, so no link or image can start it); otherwise it links to the portal's
    login page. ``next_url`` defaults to the page it is on; the login flow checks it.
    """
    request: HttpRequest | None = context.get("request")
    if request is not None and getattr(request, "fan", None) is not None:
        return {"show": False}
    if next_url is None and request is not None:
        # Coming back to a GET repeats it; a POST's page is shown again by its path.
        get = request.method in ("GET", "HEAD")
        next_url = request.get_full_path() if get else request.path
    login_url = reverse("tbits_accounts:login")
    return {
        "show": True,
        # The OAuth start is a POST: without a CSRF token (no request) the form would be
        # refused, so the button falls back to the login page, which offers OAuth too.
        "oauth": app_settings.oauth_enabled and context.get("csrf_token") is not None,
        "oauth_url": reverse("tbits_accounts:oauth_start"),
        "login_url": f"{login_url}?{urlencode({'next': next_url})}" if next_url else login_url,
        "next": next_url or "",
    }
