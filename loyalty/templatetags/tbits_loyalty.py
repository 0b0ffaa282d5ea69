"""Template tags a host site puts in its own pages: ``{% load tbits_loyalty %}``.

``{% tbits_points_badge %}``, ``{% tbits_tier %}`` and ``{% tbits_quest_list %}`` show the
logged-in fan's balance, tier and a few quests they can do now, linking into the portal.

They read through the portal's selectors, so they share its caches and the one round of
API calls a request makes (a page that shows all three costs what one costs). They must
never break the host's page: for an anonymous visitor they render nothing and call
nothing, and when the API fails they render nothing (the portal's own pages are where a
fan learns that the service is down). The request must be in the template context
(``django.template.context_processors.request``).
"""

from __future__ import annotations

import logging
from typing import Any

from django import template
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext

from loyalty import selectors
from tbits_client import TbitsError

logger = logging.getLogger(__name__)

register = template.Library()

#: How many quests ``{% tbits_quest_list %}`` shows unless told.
DEFAULT_QUEST_LIMIT = 3


def _fan_state(context: template.Context) -> selectors.PortalState | None:
    """The fan's portal state, or None for anonymous visitors and when the API fails."""
    request: HttpRequest | None = context.get("request")
    if request is None or getattr(request, "fan", None) is None:
        return None
    try:
        return selectors.portal_state(request, with_rewards=False)
    except TbitsError as error:
        # The error text is redacted by the client; the host's page goes on without us.
        logger.warning("Loyalty template tag rendered nothing: %s", type(error).__name__)
        return None


def _point_name(state: selectors.PortalState) -> str:
    return state.business.point_name or gettext("points")


@register.inclusion_tag("tbits_loyalty/tags/points_badge.html", takes_context=True)
def tbits_points_badge(context: template.Context) -> dict[str, Any]:
    """The fan's balance in the business's currency, linking to the portal's home."""
    state = _fan_state(context)
    if state is None:
        return {"show": False}
    return {
        "show": True,
        "points": state.fan.points,
        "point_name": _point_name(state),
        "url": reverse("tbits_loyalty:dashboard"),
    }


@register.inclusion_tag("tbits_loyalty/tags/tier.html", takes_context=True)
def tbits_tier(context: template.Context) -> dict[str, Any]:
    """The fan's current tier, and how many points to the next one."""
    state = _fan_state(context)
    if state is None:
        return {"show": False}
    progress = state.progress
    return {
        "show": True,
        "tier": progress.current,
        "next_tier": progress.next,
        "points_to_next": progress.points_to_next,
        "point_name": _point_name(state),
        "url": reverse("tbits_loyalty:dashboard"),
    }


@register.inclusion_tag("tbits_loyalty/tags/quest_list.html", takes_context=True)
def tbits_quest_list(context: template.Context, limit: int = DEFAULT_QUEST_LIMIT) -> dict[str, Any]:
    """Up to ``limit`` quests the fan can complete right now, each linking to its card."""
    state = _fan_state(context)
    if state is None:
        return {"show": False}
    board_url = reverse("tbits_loyalty:quests")
    quests = [
        {
            "title": card.quest.title,
            "points": card.quest.points_reward,
            "url": f"{board_url}#quest-{card.quest.quest_id}",
        }
        for card in state.cards
        if card.status.actionable
    ][: max(int(limit), 0)]
    return {
        "show": True,
        "quests": quests,
        "point_name": _point_name(state),
        "board_url": board_url,
    }
