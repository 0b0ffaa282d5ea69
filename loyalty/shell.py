"""What every portal page's shell shows: branding, the header and the navigation.

One function for the portal's own pages (:func:`portal_shell`, called by the views) and,
through :mod:`accounts.shell`, for the accounts' pages a logged-in fan reaches from the
portal (the profile): they keep the portal's header and tab bar instead of dropping the fan
on a page whose only way back is the browser's Back button.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from contextlib import suppress
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from loyalty import presentation, selectors
from loyalty.app_settings import loyalty_settings
from loyalty.branding import Branding, branding_for
from tbits_client import Business, TbitsError

logger = logging.getLogger(__name__)

#: The navigation the shell includes (header links on desktop, tab bar on phones).
NAV_TEMPLATE = "tbits_loyalty/includes/nav.html"


def _branding(business: Business) -> Branding:
    return branding_for(
        business_name=business.business_name,
        style_props=business.style_props,
        media_map=business.media_map,
        locale_props=business.locale_props,
    )


def portal_shell(request: HttpRequest) -> dict[str, Any]:
    """Branding, point name, nav links and the stale notice's flag for ``request``'s fan."""
    snapshot = selectors.business_snapshot(request)
    business = snapshot.value.business
    businesses = selectors.list_businesses(request).value
    return {
        "branding": _branding(business),
        "business": business,
        "point_name": snapshot.value.point_name or _("points"),
        "can_pick_business": len(businesses) > 1,
        "degraded": snapshot.degraded,
        "portal_urls": presentation.portal_urls(),
        "tbits_nav_template": NAV_TEMPLATE,
    }


def cached_branding(request: HttpRequest) -> Branding | None:
    """The club's look if the shared cache has its catalogue (any fan's visit puts it there).

    Never a call: for what a visitor sees before logging in (the login pages, the manifest).
    """
    cached = selectors.cached_business_snapshot(request)
    return _branding(cached.business) if cached is not None else None


def shell_for_accounts_page(request: HttpRequest) -> Mapping[str, Any]:
    """The shell on an accounts page: all of it for a logged-in fan, and never its downfall.

    The login pages (no fan) get only the club's look, and make no API call for it. On the
    profile page an API failure here leaves the page without the portal's header rather
    than turning it into an error: the profile has its own answer for the API being down.
    """
    if getattr(request, "fan", None) is None:
        # The login pages wear the club's name, logo and colours when the catalogue is in
        # the shared cache (any fan's visit puts it there); they never call for them.
        branding = cached_branding(request)
        context: dict[str, Any] = {"branding": branding} if branding is not None else {}
        if loyalty_settings.PUBLIC_BOARD:
            # The login page invites the visitor to see what there is to win first (when
            # the site mounts the portal's URLs: the login pages work without them).
            with suppress(NoReverseMatch):
                context["programme_url"] = reverse("tbits_loyalty:programme")
        return context
    try:
        return portal_shell(request)
    except TbitsError as error:
        logger.warning("portal shell unavailable on %s: %s", request.path, error)
        return {}
