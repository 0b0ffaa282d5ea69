"""The fan's pass in a phone wallet: the ``.pkpass`` download and the Google save link.

Both find the pass among the requesting fan's own rewards by its :func:`pass_id` (a keyed
hash: the code never goes into our URLs), so another fan's id is a 404 like a made-up one.
A wallet the operator did not configure is a 404 too: the page never offers it. A
configuration that fails when used (a file moved since the system checks ran) sends the
fan back to the pass with a sentence, never a 500; the log names the setting, no secret.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.decorators import fan_login_required
from loyalty import selectors
from loyalty.adapter import get_adapter
from loyalty.branding import branding_for, role_variables
from loyalty.wallet_passes import (
    WalletConfigError,
    WalletPass,
    apple,
    apple_credentials,
    find_pass,
    google,
    google_credentials,
    wallet_pass,
)

logger = logging.getLogger(__name__)

_Credentials = TypeVar("_Credentials")


def _held_pass(request: HttpRequest, wanted: str) -> tuple[WalletPass, str]:
    """The requesting fan's pass ``wanted`` as a wallet shows it, and its wallet anchor."""
    rewards = selectors.fan_snapshot(request).value.rewards or ()
    held = find_pass(rewards, wanted)
    if held is None:
        raise Http404("No such pass")
    business = selectors.business_snapshot(request).value.business
    branding = branding_for(
        business_name=business.business_name,
        style_props=business.style_props,
        media_map=business.media_map,
        locale_props=business.locale_props,
    )
    window = selectors.held_reward(held)
    brand = dict(role_variables(business.style_props)).get("--tb-brand")
    content = wallet_pass(
        held,
        organisation=branding.title,
        description=held.description or held.reward_title or "",
        brand_colour=brand,
        valid_from=window.valid_from,
        valid_until=window.valid_until or window.expires_at,
        logo_url=branding.logo_url,
        language=translation.get_language() or "en",
    )
    return content, f"#reward-{held.reward_uid}"


def _load(load: Callable[[], _Credentials | None]) -> tuple[_Credentials | None, Exception]:
    """The wallet's credentials, or why not; a wallet not configured is a 404."""
    try:
        credentials = load()
    except WalletConfigError as error:
        return None, error
    if credentials is None:
        raise Http404("This wallet is not configured")
    return credentials, WalletConfigError("")


def _back_to_pass(request: HttpRequest, anchor: str, wallet: str, error: Exception) -> HttpResponse:
    # The exception's text names a setting and a path, never a key or a password.
    logger.error("%s pass not made: %s", wallet, error)
    messages.error(request, get_adapter().message("wallet_pass_unavailable"))
    return redirect(reverse("tbits_loyalty:wallet") + anchor)


@never_cache
@require_GET
@fan_login_required
def apple_wallet_pass(request: HttpRequest, pass_id: str) -> HttpResponse:
    """The signed ``.pkpass`` of one of the fan's passes (Safari offers "Add to Wallet")."""
    credentials, problem = _load(apple_credentials)
    content, anchor = _held_pass(request, pass_id)
    if credentials is None:
        return _back_to_pass(request, anchor, "Apple Wallet", problem)
    try:
        package = apple.pkpass(content, credentials)
    except (ValueError, TypeError) as error:
        return _back_to_pass(request, anchor, "Apple Wallet", error)
    response = HttpResponse(package, content_type=apple.CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="pass.pkpass"'
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@require_GET
@fan_login_required
def google_wallet_pass(request: HttpRequest, pass_id: str) -> HttpResponse:
    """A redirect to Google's save page for one of the fan's passes.

    The signed link is made when the fan taps, not put in every wallet page: it carries
    the pass's code, and only the fan's own tap should send it to Google.
    """
    credentials, problem = _load(google_credentials)
    content, anchor = _held_pass(request, pass_id)
    if credentials is None:
        return _back_to_pass(request, anchor, "Google Wallet", problem)
    origin = f"{request.scheme}://{request.get_host()}"
    token = google.save_token(content, credentials, origins=(origin,), now=timezone.now())
    response = redirect(google.save_url(token))
    # Google's page must not learn which portal page the fan came from.
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    return response
