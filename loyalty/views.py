"""The portal's pages. Thin: reads come from selectors, writes from the completion,
wristband and business-picker modules.

Every page needs a logged-in fan (``request.fan``; a fan id never comes from the URL or a
form). API failures are not handled here: the accounts app's ``TbitsMiddleware``
turns them into the login redirect, the 429 page or the 503 page, while cached data keeps
pages up with a notice when it can. A completion the API refuses is not a failure: the
service answered, so the fan is sent back with why (``Outcome.REFUSED``).

Which view completes which quest is the rules' table of quest kinds
(:data:`loyalty.rules.QUEST_KINDS`): each view completes the kinds whose action it is.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import fan_login_required
from accounts.failures import FORM_FAILURES, form_failure
from accounts.fan import fan_first_name
from loyalty import (
    board_filter,
    deliveries,
    forms,
    offline,
    presentation,
    reward_tiles,
    rules,
    selectors,
    wording,
)
from loyalty.adapter import get_adapter
from loyalty.business_picker import pick_business as remember_business
from loyalty.completion import Completion, Outcome, complete_quest, completes_by
from loyalty.links import safe_destination
from loyalty.portal_visit import record_portal_visit
from loyalty.scan import quest_id_from_scan_token
from loyalty.shell import portal_shell
from loyalty.wristbands import register_wristband
from tbits_client import FanReward

# "Get to the next tier" quests the dashboard suggests: a short list a fan acts on.
DASHBOARD_QUESTS = 3

#: The quest the fan just completed, for the board the completion redirects to.
JUST_COMPLETED_KEY = "tbits_loyalty.just_completed"

#: Where a completion lands: the board's messages region (``#tbits-messages`` in the
#: portal's shell, an ``aria-live`` status), at the top of the page. The quest's own
#: card has moved to "Completed" near the bottom, where "+300 points" was never seen.
AFTER_COMPLETION_ANCHOR = "#tbits-messages"


def _board_after_completion() -> HttpResponse:
    return redirect(reverse("tbits_loyalty:quests") + AFTER_COMPLETION_ANCHOR)


#: When the fan last opened the wallet, to tell which rewards are new to them.
REWARDS_SEEN_KEY = "tbits_loyalty.rewards_seen_at"


def portal_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    status: int = 200,
    keep_offline: bool = False,
) -> HttpResponse:
    """Render a portal page with what every page shares: branding, nav, the stale notice.

    ``keep_offline`` asks the service worker to keep a copy of the page for the fan to open
    without a network (:mod:`loyalty.offline`): the wallet, with its passes.
    """
    shell = portal_shell(request)
    context = {**shell, **context, "degraded": shell["degraded"] or context.get("degraded", False)}
    response = TemplateResponse(request, template, context, status=status)
    # Pages show one fan's balance and codes: never let a shared cache keep them.
    response["Cache-Control"] = "private, no-store"
    offline.mark_response(request, response, keep=keep_offline and status == 200)
    state = context.get("state")
    if isinstance(state, selectors.PortalState):
        # The link quests' "Visit" forms redirect to their hosts: the CSP's form-action.
        origins = state.business.destination_origins
        if origins:
            response._csp_update = {"form-action": origins}  # type: ignore[attr-defined]
    return response


def _state_context(state: selectors.PortalState) -> dict[str, Any]:
    progress = state.progress
    return {
        "state": state,
        "progress": progress,
        "balance": state.fan.points,
        "degraded": state.degraded,
    }


@never_cache
@fan_login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Balance, tier, progress, the quickest quests to the next tier, recent rewards."""
    record_portal_visit(request)
    state = selectors.portal_state(request)
    path = rules.quests_toward_next_tier(
        state.cards,
        progress=state.progress,
        limit=DASHBOARD_QUESTS,
        doable=presentation.doable_here(state),
    )
    seen = _rewards_seen_at(request)
    new = rules.rewards_since(
        (selectors.held_reward(copy) for copy in state.fan.rewards), since=seen
    )
    # Deliveries `tbits_poll_rewards` recorded that the fan's cached rewards do not list yet.
    held_ids = {copy.reward_uid for copy in state.fan.rewards}
    polled = deliveries.delivered_reward_uids(
        fan_id=request.fan.fan_id,  # type: ignore[attr-defined]
        business_id=selectors.selected_business_id(request),
        since=seen,
    )
    not_yet_listed = (polled & set(state.rewards_by_id)) - held_ids
    recent = reward_tiles.reward_tiles(state.wallet.held[:3], state=state)
    return portal_page(
        request,
        "tbits_loyalty/dashboard.html",
        {
            **_state_context(state),
            "path": path,
            "path_tiles": presentation.tiles(path.cards, state=state),
            "recent_rewards": recent,
            "new_reward_count": len(new) + len(not_yet_listed),
            "live_events": presentation.event_sections(state, live_only=True, with_tiles=False),
            # Read with the page's first round trip after login, kept in the session.
            "first_name": fan_first_name(request),
        },
    )


@never_cache
@fan_login_required
def quest_board(request: HttpRequest) -> HttpResponse:
    """Quests grouped; in event-day mode the live event leads."""
    record_portal_visit(request)
    state = selectors.portal_state(request, with_rewards=False)
    board = state.board
    show_all = request.GET.get("show", "")
    # The quest the fan just completed leads the Completed section, so its card is found
    # at once under the result however many quests the fan has completed.
    just_completed = request.session.pop(JUST_COMPLETED_KEY, None)

    # The filter chips (?filter=open ...): which sections show, and for "At the venue"
    # which quests in them. A section the filter hides is not built at all.
    shown = board_filter.current_filter(request.GET.get("filter"))
    sections = board_filter.shows(shown)

    def section(
        name: str, cards: tuple[rules.QuestCard, ...]
    ) -> presentation.Section[presentation.QuestTile]:
        cards = board_filter.only_at_the_venue(cards, current=shown) if name in sections else ()
        return presentation.board_section(
            name, cards, state=state, show_all=show_all == name, first=just_completed
        )

    return portal_page(
        request,
        "tbits_loyalty/quests.html",
        {
            **_state_context(state),
            "events": presentation.event_sections(
                state,
                shown=lambda card: board_filter.event_card_shown(shown, card),
                show_all=show_all,
            )
            if "events" in sections
            else [],
            "event_day": board.event_day,
            "nothing_open": board.nothing_open,
            "available": section("available", board.available),
            "locked": section("locked", board.locked),
            "upcoming": section("upcoming", board.upcoming),
            "completed": section("completed", board.completed),
            "filter_chips": board_filter.chips(shown),
            "filter": shown,
            "shown_sections": sections,
        },
    )


def _after_completion(request: HttpRequest, result: Completion) -> None:
    if result.ok and result.quest is not None:
        request.session[JUST_COMPLETED_KEY] = result.quest.page_tab_id
    if result.outcome is Outcome.COMPLETED:
        messages.success(request, result.message)
    elif result.ok:
        messages.info(request, result.message)
    elif result.outcome is Outcome.REFUSED:
        # The API said no: an error, not the "not available" notice of a quest the board
        # already showed as closed.
        messages.error(request, result.message)
    else:
        messages.warning(request, result.message)


def _quest_card_on_board(request: HttpRequest, quest_id: int) -> str:
    """The board at a quest's card: where its POST-only buttons live (see fan_login_required)."""
    return reverse("tbits_loyalty:quests") + f"#quest-{quest_id}"


@require_POST
@fan_login_required(return_to=_quest_card_on_board)
def complete(request: HttpRequest, quest_id: int) -> HttpResponse:
    """Complete a quest done with one tap (a custom quest), then redirect (POST/redirect/GET)."""
    result = complete_quest(request, quest_id=quest_id, action=rules.QuestAction.COMPLETE)
    if result.outcome is Outcome.NOT_FOUND:
        raise Http404(result.message)
    _after_completion(request, result)
    return _board_after_completion()


@require_POST
@fan_login_required(return_to=_quest_card_on_board)
def visit(request: HttpRequest, quest_id: int) -> HttpResponse:
    """Complete a link quest and send the fan to that quest's own URL, and nowhere else."""
    state = selectors.portal_state(request, with_rewards=False)
    quest = state.quests_by_id.get(quest_id)
    card = state.card_for(quest_id)
    destination = safe_destination(quest)
    if card is None or not completes_by(card, rules.QuestAction.VISIT) or destination is None:
        raise Http404(get_adapter().message("quest_not_available"))
    result = complete_quest(request, quest_id=quest_id, action=rules.QuestAction.VISIT)
    if result.outcome is Outcome.NOT_FOUND:
        raise Http404(result.message)
    _after_completion(request, result)
    if not result.ok:
        return _board_after_completion()
    response = HttpResponseRedirect(destination)
    # The destination is another site: do not tell it which portal page the fan was on.
    response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@fan_login_required
def scan(request: HttpRequest, token: str) -> HttpResponse:
    """The page a venue QR code opens: confirm, then complete the scan quest.

    Completing takes a POST (one tap on the page) so that a link or image elsewhere cannot
    complete quests for a fan; the quest must be open now, which includes its
    performance's window.
    """
    quest_id = quest_id_from_scan_token(token)
    state = selectors.portal_state(request, with_rewards=False)
    card = state.card_for(quest_id) if quest_id is not None else None
    if card is None or not completes_by(card, rules.QuestAction.SCAN) or not card.status.visible:
        return portal_page(
            request,
            "tbits_loyalty/scan.html",
            {**_state_context(state), "invalid": True},
            status=404,
        )
    if request.method == "POST":
        result = complete_quest(
            request, quest_id=card.quest.quest_id, action=rules.QuestAction.SCAN
        )
        _after_completion(request, result)
        if result.ok:
            return _board_after_completion()
        return redirect(request.path)
    return portal_page(
        request,
        "tbits_loyalty/scan.html",
        {
            **_state_context(state),
            "tile": presentation.quest_tile(card, state=state),
            "can_complete": card.status.actionable,
            "reason": "" if card.status.actionable else wording.unavailable_text(card),
            "submit_text": get_adapter().message("scan_submit"),
        },
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@fan_login_required
def wristband(request: HttpRequest, quest_id: int) -> HttpResponse:
    """Enter a wristband or ticket barcode to complete a wristband quest."""
    state = selectors.portal_state(request, with_rewards=False)
    card = state.card_for(quest_id)
    quest = state.quests_by_id.get(quest_id)
    if (
        card is None
        or quest is None
        or not completes_by(card, rules.QuestAction.WRISTBAND)
        or not card.status.visible
    ):
        raise Http404(get_adapter().message("quest_not_available"))
    form = forms.WristbandForm(request.POST or None)

    def page(status: int = 200) -> HttpResponse:
        return portal_page(
            request,
            "tbits_loyalty/wristband.html",
            {
                **_state_context(state),
                "form": form,
                "tile": presentation.quest_tile(card, state=state),
                "can_complete": card.status.actionable,
                "reason": "" if card.status.actionable else wording.unavailable_text(card),
                "submit_text": get_adapter().message("wristband_submit"),
            },
            status=status,
        )

    # A number the form itself rejects is a 400; one the API refuses is an answer (200).
    invalid = request.method == "POST" and not form.is_valid()
    if request.method == "POST" and form.is_valid() and card.status.actionable:
        barcode = form.cleaned_data["barcode"]
        try:
            result = complete_quest(
                request,
                quest_id=quest_id,
                action=rules.QuestAction.WRISTBAND,
                before_complete=lambda: register_wristband(request, quest=quest, barcode=barcode),
            )
        except FORM_FAILURES as error:
            # Not linked: say so under the number, which stays in the field for another try
            # (an error page would make the fan type it from the wristband again).
            return form_failure(request, error, form=form, render=page, field="barcode")
        if result.outcome is not Outcome.REFUSED:
            _after_completion(request, result)
            return _board_after_completion()
        # Refused (the number was not accepted, or the quest closed upstream): say why
        # under the number, which stays in the field to be corrected.
        form.add_error("barcode", result.message)
    return page(status=400 if invalid else 200)


@never_cache
@fan_login_required
def wallet(request: HttpRequest) -> HttpResponse:
    """Rewards held (passes with QR codes, prize codes), on their way, to earn, expired."""
    state = selectors.portal_state(request)
    seen = _rewards_seen_at(request)
    new_ids = {copy.reward_uid for copy in state.fan.rewards if _is_new(copy, seen)}
    if seen is None or new_ids:
        # Moved only when the page shows something new: a reward delivered after ``seen``
        # that the fan's cached list does not show yet stays new, and a wallet view with
        # nothing new does not rewrite the session (a database write, a third of the page).
        request.session[REWARDS_SEEN_KEY] = timezone.now().isoformat()
    return portal_page(
        request,
        "tbits_loyalty/wallet.html",
        {
            **_state_context(state),
            **reward_tiles.wallet_sections(state=state, show=request.GET.get("show", "")),
            "new_ids": new_ids,
            # When this copy was made: what its "as of" notes say when it is opened offline.
            "kept_at": timezone.localtime(),
        },
        keep_offline=True,
    )


def _is_new(copy: FanReward, seen: datetime | None) -> bool:
    held = selectors.held_reward(copy)
    return bool(rules.rewards_since([held], since=seen))


def _rewards_seen_at(request: HttpRequest) -> datetime | None:
    value = request.session.get(REWARDS_SEEN_KEY)
    return parse_datetime(value) if isinstance(value, str) else None


@never_cache
@fan_login_required
def history(request: HttpRequest) -> HttpResponse:
    """The fan's point transactions, each linked to its quest or reward."""
    state = selectors.portal_state(request, with_rewards=False)
    history = selectors.points_history(request)
    entries = []
    for row in history.value:
        quest = state.quests_by_id.get(row.page_tab_id) if row.page_tab_id else None
        reward = state.rewards_by_id.get(row.reward_uid) if row.reward_uid else None
        if quest is not None:
            label, url = (
                quest.quest_title,
                reverse("tbits_loyalty:quests") + f"#quest-{quest.page_tab_id}",
            )
        elif reward is not None:
            # A delivery is a zero-point row: say it is a reward, not "0 points".
            label, url = (
                _("Reward: %(title)s") % {"title": reward.reward_title},
                reverse("tbits_loyalty:wallet") + f"#reward-{reward.reward_uid}",
            )
        else:
            label, url = row.point_source or _("Points"), ""
        entries.append(
            {"row": row, "label": label, "url": url, "show_points": bool(row.point_count)}
        )
    return portal_page(
        request,
        "tbits_loyalty/history.html",
        {
            **_state_context(state),
            "entries": entries,
            "degraded": state.degraded or history.degraded,
        },
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@fan_login_required
def pick_business(request: HttpRequest) -> HttpResponse:
    """Choose among the account's businesses (only offered when there are several)."""
    businesses = selectors.list_businesses(request).value
    if request.method == "POST":
        if remember_business(request, business_id=request.POST.get("business_id", "")):
            return redirect("tbits_loyalty:dashboard")
        messages.warning(request, get_adapter().message("business_not_offered"))
    return portal_page(
        request,
        "tbits_loyalty/business_picker.html",
        {"businesses": businesses, "selected": selectors.selected_business_id(request)},
    )
