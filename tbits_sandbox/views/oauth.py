"""The provider's OAuth sign-in page and the code exchange.

``/crm/oauth`` asks for an email, sends a code to the outbox, checks it, and redirects to
``redirect_url`` with a ``code`` (single use, short-lived, bound to that redirect_url) or
with an ``error``. State lives in hidden fields, never in the Django session, which belongs
to the site the sandbox is embedded in.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from tbits_sandbox import connect, faults, payloads, throttle
from tbits_sandbox.models import Account, Business, Fan, FanSession, OAuthCode
from tbits_sandbox.vocabulary import Channel
from tbits_sandbox.wire import (
    ApiError,
    ApiRequest,
    Secret,
    api_endpoint,
    bad_request,
    parse_uid,
    serialise_lock,
)

DEFAULT_OAUTH_CODE_TTL_SECONDS = 5 * 60


def oauth_code_ttl() -> timedelta:
    """How long an authorization code lives (``TBITS_SANDBOX_OAUTH_CODE_TTL_SECONDS``)."""
    return timedelta(
        seconds=int(
            getattr(
                settings, "TBITS_SANDBOX_OAUTH_CODE_TTL_SECONDS", DEFAULT_OAUTH_CODE_TTL_SECONDS
            )
        )
    )


class OAuthProblem(Exception):
    """The request cannot even be sent back to the site (bad account or redirect_url)."""


def with_query(url: str, **extra: str) -> str:
    """``url`` with parameters added to its query string."""
    parts = urlsplit(url)
    query = [*parse_qsl(parts.query, keep_blank_values=True), *extra.items()]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _start_params(data: Any) -> tuple[Account, Business, str, str]:
    try:
        account = Account.objects.get(account_id=int(data.get("account_id", "")))
    except (ValueError, Account.DoesNotExist):
        raise OAuthProblem(_("Unknown account_id.")) from None
    try:
        business = account.businesses.get(business_id=int(data.get("business_id", "")))
    except (ValueError, Business.DoesNotExist):
        raise OAuthProblem(_("Unknown business_id for this account.")) from None
    redirect_url = (data.get("redirect_url") or "").strip()
    parts = urlsplit(redirect_url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise OAuthProblem(_("redirect_url must be an absolute http or https URL."))
    login_type = data.get("login_type") or "email"
    if login_type != "email":
        raise OAuthProblem(_("login_type must be email."))
    return account, business, redirect_url, (data.get("state") or "")


def _back(redirect_url: str, state: str, **params: str) -> HttpResponseRedirect:
    if state:
        params["state"] = state
    return HttpResponseRedirect(with_query(redirect_url, **params))


@never_cache
@sensitive_post_parameters("verification_code")
def oauth(request: HttpRequest) -> HttpResponse:
    """The provider's sign-in page: email, then the code from the outbox."""
    injected = faults.apply(request)
    if injected is not None:
        return injected
    data = request.POST if request.method == "POST" else request.GET
    try:
        account, business, redirect_url, state = _start_params(data)
    except OAuthProblem as problem:
        return render(request, "tbits_sandbox/oauth_error.html", {"problem": problem}, status=400)
    context: dict[str, Any] = {
        "account": account,
        "business": business,
        "hidden": {
            "account_id": account.account_id,
            "business_id": business.business_id,
            "redirect_url": redirect_url,
            "login_type": "email",
            "state": state,
        },
        "step": "email",
    }
    if request.method != "POST":
        return render(request, "tbits_sandbox/oauth.html", context)
    if "cancel" in request.POST:
        return _back(redirect_url, state, error="access_denied")
    step = request.POST.get("step")
    with serialise_lock():
        try:
            if step == "email":
                email = connect.clean_email(request.POST.get("email", ""))
                context["email"] = email
                ip = request.META.get("REMOTE_ADDR")
                throttle.check(account_id=account.account_id, ip=ip, identifier=email)
                request_uid, message = connect.issue_code(
                    account=account,
                    business=business,
                    channel=Channel.EMAIL,
                    email=email,
                    phone=None,
                )
                context.update(step="code", request_uid=request_uid, message=message)
                return render(request, "tbits_sandbox/oauth.html", context)
            if step == "code":
                email = connect.clean_email(request.POST.get("email", ""))
                context.update(
                    step="code", email=email, request_uid=request.POST.get("request_uid")
                )
                request_uid = parse_uid(request.POST.get("request_uid", ""), name="request_uid")
                fan = Fan.objects.filter(account=account, email=email).first()
                accepted = request.POST.get("is_accepted") == "1"
                if fan is None and account.terms_acceptance_required and not accepted:
                    raise bad_request(_("Please accept the terms to create your account."))
                connect.check_code(
                    account=account,
                    request_uid=request_uid,
                    code=request.POST.get("verification_code", "").strip(),
                    email=email,
                    phone=None,
                )
                if fan is None:
                    fan = Fan.objects.create(
                        account=account,
                        email=email,
                        is_accepted_terms=accepted,
                        ip_address=request.META.get("REMOTE_ADDR"),
                    )
                code = OAuthCode.objects.create(
                    code=secrets.token_urlsafe(32),
                    account=account,
                    business=business,
                    fan=fan,
                    redirect_url=redirect_url,
                    expires_at=timezone.now() + oauth_code_ttl(),
                )
                return _back(redirect_url, state, code=code.code)
        except ApiError as error:
            context["error"] = error.message
            status = error.status
            response = render(request, "tbits_sandbox/oauth.html", context, status=status)
            if error.retry_after:
                response["Retry-After"] = str(error.retry_after)
            return response
    return render(request, "tbits_sandbox/oauth.html", context, status=400)


@api_endpoint(methods=["GET", "POST"], secret=Secret.OPTIONAL)
def access_token(api: ApiRequest) -> dict[str, Any]:
    """Exchange an authorization code for a session.

    The secret is checked when sent; the published example sends only api_key, so a
    missing secret is tolerated here (and nowhere else a secret is documented).
    """
    code = api.text("code", required=True)
    account_id = api.integer("account_id", required=True)
    redirect_url = api.text("redirect_url", required=True)
    if account_id != api.account.account_id:
        raise bad_request("account_id does not match the api_key.")
    record = OAuthCode.objects.filter(code=code, account=api.account).first()
    if record is None or record.used_at is not None:
        raise bad_request("The authorization code is invalid or has already been used.")
    if record.expires_at <= timezone.now():
        raise bad_request("The authorization code has expired.")
    if record.redirect_url != redirect_url:
        raise bad_request("redirect_url does not match the one the code was issued for.")
    if not OAuthCode.objects.filter(pk=record.pk, used_at__isnull=True).update(
        used_at=timezone.now()
    ):
        raise bad_request("The authorization code is invalid or has already been used.")
    session = FanSession.objects.create(
        account=api.account,
        business=record.business,
        fan=record.fan,
        props={"network": "oauth", "is_guest": False},
        expiration_timestamp=timezone.now() + connect.session_ttl(),
    )
    return payloads.session(session)
