"""Choosing which of the account's businesses the portal shows the fan."""

from __future__ import annotations

from django.http import HttpRequest

from loyalty import selectors


def pick_business(request: HttpRequest, *, business_id: str) -> bool:
    """Remember the fan's business if it is one the portal offers; say whether it was."""
    offered = selectors.list_businesses(request).value
    if not any(str(b.business_id) == str(business_id) for b in offered):
        return False
    request.session[selectors.BUSINESS_SESSION_KEY] = str(business_id)
    selectors.reset_request_memo(request)
    return True
