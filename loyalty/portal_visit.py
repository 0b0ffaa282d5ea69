"""Recording the fan's visit to the portal, so that automatic rewards reach them."""

from __future__ import annotations

import logging

from django.http import HttpRequest

from accounts.api import get_client
from loyalty import selectors
from tbits_client import SessionExpired, TbitsError

logger = logging.getLogger(__name__)

_VISIT_SESSION_KEY = "tbits_loyalty.visit_recorded"


def record_portal_visit(request: HttpRequest) -> None:
    """Record a portal activity once per login, so automatic rewards reach this fan.

    The provider delivers tier and quest-set rewards only to fans with an activity
    associated with the business; a completion creates one, but a fan whose points came
    from elsewhere may have none. This is best effort: a failure is logged and retried on
    a later page, never shown (an expired session still goes to the middleware, which
    sends the fan to log in).
    """
    fan = request.fan  # type: ignore[attr-defined]
    business_id = selectors.selected_business_id(request)
    marker = f"{business_id}:{fan.fan_id}"
    if request.session.get(_VISIT_SESSION_KEY) == marker:
        return
    try:
        # Associated with the business: the provider counts only those activities.
        get_client().create_fan_activity(
            fan.fan_id, campaign_title="Loyalty portal visit", business_id=business_id
        )
    except SessionExpired:
        raise
    except TbitsError as error:
        logger.warning("Could not record the portal visit: %s", error)
        return
    request.session[_VISIT_SESSION_KEY] = marker
