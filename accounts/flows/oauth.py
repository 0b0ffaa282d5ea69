"""Sign in through the provider's OAuth page, and the callback that comes back from it.

The provider documents no ``state`` parameter, so the protection against a forged or
replayed callback lives in the ``redirect_url`` itself: its path carries a one-time random
value bound to this browser session. The callback checks that value (missing, unknown,
expired after ``TRANSACTION_TTL``, or already used) before any API call, and exchanges
the code with the identical ``redirect_url``, which the provider requires.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest

from accounts import ratelimit
from accounts.adapter import get_adapter
from accounts.api import business_id, get_client
from accounts.app_settings import app_settings
from accounts.fan import FanSession, login_fan
from accounts.flows.errors import FlowError
from tbits_client import BadRequest, InvalidResponse, NotFound, Unauthorized

SESSION_KEY = "tbits_accounts.oauth"
# How long a sign-in may take on the provider's page before its callback is refused.
TRANSACTION_TTL = 10 * 60
# A few sign-ins started in other tabs may be pending at once; older ones are dropped.
_MAX_PENDING = 5


def begin(request: HttpRequest, *, next_url: str | None) -> str:
    """Record a new transaction and return the provider's sign-in URL to redirect to."""
    transaction = secrets.token_urlsafe(32)
    adapter = get_adapter()
    redirect_url = adapter.get_oauth_redirect_url(request, transaction=transaction)
    now = time.time()
    pending: dict[str, Any] = {
        value: record
        for value, record in _pending(request).items()
        if now - float(record.get("created_at", 0)) <= TRANSACTION_TTL
    }
    pending[transaction] = {
        "created_at": now,
        "redirect_url": redirect_url,
        "next": next_url if adapter.is_safe_url(request, next_url) else None,
    }
    newest = sorted(pending.items(), key=lambda item: item[1]["created_at"])[-_MAX_PENDING:]
    request.session[SESSION_KEY] = dict(newest)
    return get_client().oauth_url(
        account_id=str(app_settings.ACCOUNT_ID),
        business_id=business_id(),
        redirect_url=redirect_url,
    )


def _pending(request: HttpRequest) -> dict[str, Any]:
    value = request.session.get(SESSION_KEY)
    return dict(value) if isinstance(value, dict) else {}


def complete(
    request: HttpRequest, *, transaction: str, params: Mapping[str, str]
) -> tuple[FanSession, str | None]:
    """Check the callback, exchange the code, log the fan in; returns the fan and ``next``.

    Raises ``FlowError("oauth_failed")`` for every refusal: what went wrong is not the
    fan's business, and the provider's ``error`` text is never echoed.
    """
    ratelimit.consume(
        action=ratelimit.RateAction.OAUTH_CALLBACK, ip=get_adapter().get_client_ip(request)
    )
    pending = _pending(request)
    # Popped before anything else, so a value is good for exactly one callback.
    record = pending.pop(transaction, None) if transaction else None
    request.session[SESSION_KEY] = pending
    if not isinstance(record, dict):
        raise FlowError("oauth_failed")
    if time.time() - float(record.get("created_at", 0)) > TRANSACTION_TTL:
        raise FlowError("oauth_failed")
    if params.get("error"):
        raise FlowError("oauth_failed")
    code = params.get("code") or ""
    if not code:
        raise FlowError("oauth_failed")
    try:
        session = get_client().exchange_oauth_code(
            code=code,
            account_id=str(app_settings.ACCOUNT_ID),
            redirect_url=record["redirect_url"],
        )
    except (BadRequest, Unauthorized, NotFound):
        raise FlowError("oauth_failed") from None
    if session.fan_id is None:
        raise InvalidResponse("OAuth exchange gave a session without a fan", endpoint="oauth")
    fan = login_fan(
        request,
        session_uid=session.session_uid,
        fan_id=session.fan_id,
        expires_at=session.expiration_timestamp,
    )
    return fan, record.get("next")
