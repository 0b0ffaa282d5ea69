"""The leaderboard page and the fan's "hide my name" switch.

The ranked list is shared and cached for minutes (:func:`loyalty.selectors.leaderboard`);
what is the fan's own comes fresh: their balance, and their choice to hide their name.
Names other fans hid are blanked before anything is ranked or rendered, so no page of
another fan can show them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.decorators import fan_login_required
from loyalty import leaderboard_names, rules, selectors
from loyalty.app_settings import configured_season_start, loyalty_settings
from loyalty.views import portal_page

#: The two views of the list: the top fans, or the fan's own neighbourhood.
TOP, AROUND = "top", "around"

PERIOD_LABELS = {
    rules.LeaderboardPeriod.SEASON: gettext_lazy("This season"),
    rules.LeaderboardPeriod.LAST_30_DAYS: gettext_lazy("Last 30 days"),
}
# Short, so both chips fit one row on a phone; the table's caption says it in full.
VIEW_LABELS = {TOP: gettext_lazy("Top fans"), AROUND: gettext_lazy("Around you")}


def _query(period: rules.LeaderboardPeriod, view: str) -> str:
    """The page's address for a period and a view (the defaults left out)."""
    params = {}
    if period is not rules.LeaderboardPeriod.SEASON:
        params["period"] = period.value
    if view != TOP:
        params["view"] = view
    url = reverse("tbits_loyalty:leaderboard")
    return f"{url}?{urlencode(params)}" if params else url


def _chips(period: rules.LeaderboardPeriod, view: str) -> dict[str, list[dict[str, Any]]]:
    return {
        "period_chips": [
            {"label": label, "url": _query(choice, view), "current": choice is period}
            for choice, label in PERIOD_LABELS.items()
        ],
        "view_chips": [
            {"label": label, "url": _query(period, choice), "current": choice == view}
            for choice, label in VIEW_LABELS.items()
        ],
    }


@never_cache
@fan_login_required
def leaderboard(request: HttpRequest) -> HttpResponse:
    """The top fans (or the fans around this one) over a period, the fan's own rank.

    Over the season the fan's own row uses their live balance, as every other page shows
    it: the season is the programme's span, so the balance is what they earned in it, and
    a fan who just earned 300 points sees them at once. Over the last 30 days their row
    is the API's own count for that window (the balance counts older points too).
    """
    period = rules.leaderboard_period(request.GET.get("period"))
    view = AROUND if request.GET.get("view") == AROUND else TOP
    season_start = configured_season_start()
    start = rules.period_start(
        period,
        today=timezone.now().date(),
        season_start=season_start,
        season_days=int(loyalty_settings.LEADERBOARD_DAYS),
    )
    rows = selectors.leaderboard(request, start=start)
    fan = selectors.fan_snapshot(request, with_rewards=False)
    fan_id = str(request.fan.fan_id)  # type: ignore[attr-defined]
    listed = [(str(row.fan_id), row.display_name or "", row.fan_point_count) for row in rows.value]
    hidden = leaderboard_names.hidden_fan_ids(fid for fid, _name, _points in listed)
    if period is rules.LeaderboardPeriod.SEASON:
        fan_points = fan.value.points
    else:
        fan_points = next((points for fid, _name, points in listed if fid == fan_id), 0)
    board = rules.leaderboard_with_fan(
        rules.without_hidden_names(listed, hidden=hidden),
        fan_id=fan_id,
        fan_points=fan_points,
        complete=len(rows.value) < selectors.LEADERBOARD_SCAN,
    )
    top = board.entries[: int(loyalty_settings.LEADERBOARD_SIZE)]
    around = rules.fans_around(board) if view == AROUND else ()
    shown = around or top
    return portal_page(
        request,
        "tbits_loyalty/leaderboard.html",
        {
            "rows": shown,
            "podium": top[:3] if view == TOP else (),
            "view": view,
            "around_unavailable": view == AROUND and not around,
            "mine": board.mine,
            "mine_shown": board.mine is not None and board.mine in shown,
            "to_overtake": board.to_overtake,
            "overtake_rank": board.overtake_rank,
            "degraded": rows.degraded or fan.degraded,
            "period": period.value,
            # The period named on the page: since the season's start, or the last N days.
            "season_start": season_start if start == season_start else None,
            "period_days": (timezone.now().date() - start).days,
            "name_hidden": leaderboard_names.name_hidden(fan_id),
            "return_to": _query(period, view),
            **_chips(period, view),
        },
    )


@require_POST
@fan_login_required
def leaderboard_name(request: HttpRequest) -> HttpResponse:
    """Hide or show the fan's name on other fans' leaderboards, then back to the list."""
    hide = request.POST.get("hide") == "1"
    leaderboard_names.set_name_hidden(
        fan_id=str(request.fan.fan_id),  # type: ignore[attr-defined]
        hidden=hide,
    )
    if hide:
        messages.success(request, _("Other fans now see you as “A fan”."))
    else:
        messages.success(request, _("Other fans now see your name."))
    period = rules.leaderboard_period(request.POST.get("period"))
    view = AROUND if request.POST.get("view") == AROUND else TOP
    return redirect(_query(period, view))
