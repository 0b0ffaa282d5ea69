"""Every hook a site may want to change, and every message a fan can read, in one class.

A site subclasses :class:`DefaultFanAdapter` and names it in ``TBITS["ADAPTER"]``; the
views and flows only ever call :func:`get_adapter`.
"""

from __future__ import annotations

import ipaddress
from functools import cache
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from accounts.app_settings import app_settings
from accounts.shell import home_url


class DefaultFanAdapter:
    """The default behaviour; override methods or entries of :attr:`error_messages`."""

    # Messages are deliberately generic where precision would tell a stranger whether an
    # email or phone has an account, or would echo what the provider said.
    error_messages: dict[str, Any] = {
        "invalid_contact": _("Enter a valid email address or phone number."),
        "code_incorrect": _("That code is not right. Check the message and try again."),
        "code_expired": _("This code has expired. Ask for a new code below."),
        "code_attempts": _("That code was entered wrongly too many times. Ask for a new code."),
        "code_invalid_format": _("Enter the code from the message, digits only."),
        "resend_limit": _(
            "You have asked for the maximum number of codes. Use your password or another "
            "email or phone number."
        ),
        "login_failed": _("That email or phone number and password do not match an account."),
        "flow_missing": _("Your login took too long or was interrupted. Please start again."),
        "oauth_failed": _("We could not sign you in. Please try again."),
        "session_expired": _("Your session has expired. Please log in again."),
        "session_ended": _("You were logged out to keep your account safe. Please log in again."),
        "terms_required": _("Please accept the terms to create your account."),
        "registered_login": _("Your account is ready. Please log in to continue."),
        "register_failed": _("We could not create your account with these details."),
        "profile_failed": _("We could not save these changes. Check them and try again."),
        "not_saved": _(
            "Nothing was saved: we could not reach the fan service. Your details are still "
            "below; please try again in a moment."
        ),
        "not_saved_rate_limited": ngettext_lazy(
            "Nothing was saved: too many requests right now. Please try again in %(seconds)d "
            "second.",
            "Nothing was saved: too many requests right now. Please try again in %(seconds)d "
            "seconds.",
            "seconds",
        ),
        "password_mismatch": _("The two passwords are not the same."),
        # A code request the API refused, throttled or could not answer: no code is on its
        # way, so the fan stays on the form. (An address without an account is not refused:
        # the API sends it a code too, so nothing here tells a stranger about accounts.)
        "code_not_sent": _(
            "We could not send a code to this email address or phone number. Check it and "
            "try again."
        ),
        "code_not_sent_unavailable": _(
            "No code was sent: the login service is not available right now. Please try "
            "again in a moment."
        ),
        "code_not_sent_rate_limited": ngettext_lazy(
            "No code was sent: too many requests right now. Please try again in %(seconds)d "
            "second.",
            "No code was sent: too many requests right now. Please try again in %(seconds)d "
            "seconds.",
            "seconds",
        ),
    }

    # What a fan is told when something worked, shown as a message on the next page.
    notice_messages: dict[str, Any] = {
        "code_resent": _("We sent you a new code."),
        "logged_out": _("You have logged out."),
        "profile_saved": _("Your profile is saved."),
        "password_saved": _("Your password is saved."),
        "log_in_again": _("Log in again, then set your password."),
    }

    def error_message(self, key: str, **params: Any) -> str:
        """The translated message for ``key``, with ``params`` filled in when it has any.

        A message with a count (``ngettext_lazy(..., "seconds")``) picks its plural form
        from the parameter it names.
        """
        message = self.error_messages[key]
        return str(message % params) if params else str(message)

    def notice(self, key: str) -> str:
        """The translated notice for ``key`` (something done: a code sent, a profile saved)."""
        return str(self.notice_messages[key])

    # -- who is asking ---------------------------------------------------------------

    def get_client_ip(self, request: HttpRequest) -> str | None:
        """The fan's IP address, trusting ``TRUSTED_PROXY_COUNT`` proxies' X-Forwarded-For.

        Each trusted proxy appends the address it received the request from, so the fan's
        address is the Nth entry from the right; anything further left was written by the
        client and could be forged. With too few entries the nearest address is used, which
        errs towards counting fans together rather than trusting a forged one.
        """
        remote = request.META.get("REMOTE_ADDR") or None
        count = int(app_settings.TRUSTED_PROXY_COUNT or 0)
        if count > 0:
            forwarded = [
                part.strip()
                for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                if part.strip()
            ]
            if len(forwarded) >= count:
                candidate = forwarded[-count]
                if _is_ip(candidate):
                    return candidate
        return remote if remote and _is_ip(remote) else None

    # -- where to go -----------------------------------------------------------------

    def is_safe_url(self, request: HttpRequest, url: str | None) -> bool:
        """Whether ``url`` may be redirected to: this host only, https when we are https."""
        if not url:
            return False
        return url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )

    def get_login_redirect_url(self, request: HttpRequest, next_url: str | None = None) -> str:
        """A safe ``next``, else ``LOGIN_REDIRECT_URL``, else the portal's home page.

        The portal's home rather than ``/``: under a host's ``/fans/`` a fan who logged in
        from the login page itself lands on the portal, not on the host's home page.
        """
        if next_url and self.is_safe_url(request, next_url):
            return next_url
        return str(app_settings.LOGIN_REDIRECT_URL or home_url())

    def get_logout_redirect_url(self, request: HttpRequest) -> str:
        """Where a fan lands after logging out."""
        return str(app_settings.LOGOUT_REDIRECT_URL or reverse("tbits_accounts:login"))

    def get_oauth_redirect_url(self, request: HttpRequest, *, transaction: str) -> str:
        """The absolute callback URL sent to the provider; its path carries the transaction."""
        path = reverse("tbits_accounts:oauth_callback", kwargs={"transaction": transaction})
        return request.build_absolute_uri(path)


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


@cache
def _adapter_class(path: str) -> type[DefaultFanAdapter]:
    return import_string(path)


def get_adapter() -> DefaultFanAdapter:
    """An instance of the adapter named in ``TBITS["ADAPTER"]``."""
    return _adapter_class(app_settings.ADAPTER)()
