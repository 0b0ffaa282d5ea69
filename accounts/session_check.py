"""Confirming, every few minutes, that the fan's API session still exists upstream.

The Django session trusts the API session until its ``expiration_timestamp``; a session
revoked upstream before then (the fan logged out elsewhere, an operator ended it) would go
on working on pages whose calls are not session-bound. ``GET sessions/{session_uid}`` says
whether it is still there ("Get existing Session using ID", api-reference.txt, Sessions).
Asking on every page would double the API traffic of a visit, so it is asked at most once
per ``TBITS["SESSION_CHECK_INTERVAL"]`` seconds per fan session; the time of the last
check is kept in the fan's record in the Django session.
"""

from __future__ import annotations

import logging
import time

from django.http import HttpRequest

from accounts.api import get_client
from accounts.app_settings import app_settings
from accounts.fan import SESSION_KEY, FanSession, end_fan_session, tell_session_ended
from tbits_client import SessionExpired, TbitsError

logger = logging.getLogger(__name__)

#: The key, in the fan's record, of when the API session was last confirmed (or asked about).
CONFIRMED_AT = "confirmed_at"


def confirm_api_session(request: HttpRequest, fan: FanSession) -> FanSession | None:
    """``fan`` while the API session lives; ``None``, the session ended, once the API says gone.

    An outage during the check keeps the fan logged in: the page's own calls decide what the
    fan sees, and a down API must not log every fan out. The time of the attempt is kept
    either way, so an outage costs one call per interval per fan, not one per page.
    """
    interval = app_settings.SESSION_CHECK_INTERVAL
    record = request.session.get(SESSION_KEY)
    if interval is None or not isinstance(record, dict):
        return fan
    now = time.time()
    last = record.get(CONFIRMED_AT, record.get("logged_in_at", 0))
    try:
        elapsed = now - float(last)
    except (TypeError, ValueError):
        elapsed = float("inf")
    if elapsed < float(interval):
        return fan
    record[CONFIRMED_AT] = now
    request.session[SESSION_KEY] = record
    try:
        get_client().get_session(fan.session_uid)
    except SessionExpired:
        end_fan_session(request)
        tell_session_ended(request)
        return None
    except TbitsError as error:
        # Redacted by the client; the pages' own calls will meet the outage as well.
        logger.warning("Could not confirm the fan's API session: %s", error)
    return fan
