"""The public quest board: the programme as a visitor sees it, before logging in.

A board that only exists after login hides the programme from the very fans it should
win. A visitor sees the quests, the tiers and the rewards to earn, as a fan who has just
joined would (no points, nothing completed, no tags: a tag-restricted quest stays hidden),
and one way forward, "Log in to start". Nothing here is any fan's: no balance, no names
from the leaderboard, no codes.

The catalogue comes from the shared cache (:func:`loyalty.selectors.business_snapshot`),
so a thousand visitors cost the API what one fan's first page does, once per cache period.
``TBITS["PUBLIC_BOARD"] = False`` turns the page off (a 404), e.g. for a members-only club.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from loyalty import presentation, reward_tiles, rules, selectors
from loyalty.app_settings import loyalty_settings
from loyalty.views import portal_page

#: How many quests and rewards the board shows before "Show all": a visitor of a festival's
#: board with hundreds of quests gets a page that loads fast, and the server builds only
#: the cards it shows.
PROGRAMME_SIZES = {"quests": 12, "rewards": 6}

#: A fan who has just joined: what the board's states and requirements are measured from.
NEWCOMER = selectors.FanSnapshot(points=0, completed=frozenset(), rewards=(), tags=frozenset())


def _newcomer_state(request: HttpRequest) -> selectors.PortalState:
    snapshot = selectors.business_snapshot(request)
    return selectors.PortalState(
        business=snapshot.value, fan=NEWCOMER, now=timezone.now(), degraded=snapshot.degraded
    )


@never_cache
@require_safe
def programme(request: HttpRequest) -> HttpResponse:
    """Quests, tiers and rewards to earn for a visitor; a logged-in fan has their own board."""
    if not loyalty_settings.PUBLIC_BOARD:
        raise Http404("The public quest board is turned off")
    if getattr(request, "fan", None) is not None:
        return redirect("tbits_loyalty:quests")
    state = _newcomer_state(request)
    board = state.board
    events = [card for group in board.events for card in group.cards]
    quests = [*events, *board.available, *board.upcoming, *board.locked]
    wallet = state.wallet
    login = reverse("tbits_accounts:login")
    next_url = reverse("tbits_loyalty:quests")
    show_all = request.GET.get("show", "")
    shown_quests, *quests_link = presentation.first_cards(
        quests,
        key="programme-quests",
        limit=PROGRAMME_SIZES["quests"],
        show_all=show_all == "programme-quests",
        message="show_all_programme_quests",
    )
    rewards = (*wallet.working_toward, *wallet.manual)
    shown_rewards, *rewards_link = presentation.first_cards(
        rewards,
        key="programme-rewards",
        limit=PROGRAMME_SIZES["rewards"],
        show_all=show_all == "programme-rewards",
        message="show_all_programme_rewards",
    )
    return portal_page(
        request,
        "tbits_loyalty/programme.html",
        {
            "quests": presentation.Section(
                "quests", presentation.tiles(shown_quests, state=state), len(quests), *quests_link
            ),
            "tiers": rules.ordered_tiers(state.catalogue.tiers),
            "rewards": presentation.Section(
                "rewards",
                reward_tiles.reward_tiles(shown_rewards, state=state),
                len(rewards),
                *rewards_link,
            ),
            "login_url": f"{login}?{urlencode({'next': next_url})}",
            "degraded": state.degraded,
            # A visitor has no fan pages to go to: the header has no navigation.
            "tbits_nav_template": None,
        },
    )
