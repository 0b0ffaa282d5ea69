"""The tracked redirect a fan follows, and the page that lists trackers for developers.

Neither is an API call: the redirect is what a fan's browser meets, the list is the
sandbox's own aid (the provider's tracker calls are not part of what the portal uses).
"""

from __future__ import annotations

from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from tbits_sandbox import trackers
from tbits_sandbox.models import Tracker, TrackerEvent

RECENT_CLICKS = 50


@never_cache
@require_safe
def follow(request: HttpRequest, tracker_key: str) -> HttpResponse:
    """Record a click and send the visitor to the tracker's target; HEAD only looks.

    A HEAD (link previews, crawlers checking a link) is answered with the same redirect but
    counts no click. An unknown key is a 404 and a tracker whose quest is gone a 410, as
    pages a person can read.
    """
    tracker = Tracker.objects.filter(tracker_key=tracker_key).first()
    if tracker is None:
        return render(request, "tbits_sandbox/tracker_gone.html", {"known": False}, status=404)
    if not tracker.is_active:
        return render(request, "tbits_sandbox/tracker_gone.html", {"known": True}, status=410)
    if request.method == "GET":
        trackers.record_click(
            tracker,
            ip_address=request.META.get("REMOTE_ADDR"),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            host_name=request.get_host(),
        )
    return HttpResponseRedirect(tracker.target_url)


@never_cache
def tracker_list(request: HttpRequest) -> HttpResponse:
    """Every tracker with its tracked URL, target and clicks; the latest clicks."""
    rows = (
        Tracker.objects.select_related("account")
        .annotate(click_count=Count("events"), last_click=Max("events__creation_timestamp"))
        .order_by("account_id", "tracker_id")
    )
    recent = TrackerEvent.objects.select_related("tracker")[:RECENT_CLICKS]
    return render(
        request,
        "tbits_sandbox/trackers.html",
        {"trackers": rows, "recent": recent, "virtual_domain": trackers.VIRTUAL_DOMAIN},
    )
