"""Points, tiers and quest completion: everything that follows from the transactions.

A fan's balance is the sum of their fan point transactions and their tier the highest one
whose ``min_points`` that balance reaches; neither is stored, so they can never disagree
with the ledger the leaderboard and ``/crm/fan_points`` read.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Sum
from django.utils import timezone

from tbits_sandbox.models import Business, Fan, FanActivity, FanPoint, PointTypeRecord, Tier


def balance(*, fan: Fan, point_type: PointTypeRecord) -> int:
    """The fan's balance in a point type: the sum of their transactions."""
    total = FanPoint.objects.filter(fan=fan, point_type_record=point_type).aggregate(
        total=Sum("point_count")
    )["total"]
    return int(total or 0)


def tier_for(*, point_type: PointTypeRecord, points: int) -> Tier | None:
    """The highest tier of the point type whose minimum ``points`` reaches."""
    return point_type.tiers.filter(min_points__lte=points).order_by("-min_points").first()


def next_tier_for(*, point_type: PointTypeRecord, points: int) -> Tier | None:
    """The lowest tier still out of reach."""
    return point_type.tiers.filter(min_points__gt=points).order_by("min_points").first()


def completed_page_tab_ids(*, fan: Fan, business: Business) -> set[int]:
    """The quests of the business the fan has completed."""
    return set(
        FanActivity.objects.filter(
            fan=fan, business=business, page_tab_id__isnull=False
        ).values_list("page_tab_id", flat=True)
    )


def reached_since(*, fan: Fan, point_type: PointTypeRecord, points: int) -> datetime | None:
    """Since when the fan's balance has stayed at ``points`` or more; None when it is below.

    Walks the transactions in the order they were made: a fan who reached a tier, fell
    back and came up again qualifies from the last time they came up.
    """
    running = 0
    since: datetime | None = None
    transactions = FanPoint.objects.filter(fan=fan, point_type_record=point_type).order_by(
        "creation_timestamp"
    )
    for point_count, created in transactions.values_list("point_count", "creation_timestamp"):
        running += point_count
        if running < points:
            since = None
        elif since is None:
            since = created
    return since


def all_completed_at(*, fan: Fan, business: Business, page_tab_ids: set[int]) -> datetime | None:
    """When the fan completed the last of these quests of the business; None if not all."""
    firsts: dict[int, datetime] = {}
    done = FanActivity.objects.filter(
        fan=fan, business=business, page_tab_id__in=page_tab_ids
    ).values_list("page_tab_id", "creation_timestamp")
    for page_tab_id, created in done:
        firsts[page_tab_id] = min(created, firsts.get(page_tab_id, created))
    if not page_tab_ids or set(firsts) != page_tab_ids:
        return None
    return max(firsts.values())


def day_range(*, start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    """Aware datetimes bounding whole days, the end date included."""
    tz = timezone.get_current_timezone()
    lower = timezone.make_aware(datetime.combine(start, time.min), tz) if start else None
    upper = (
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz)
        if end
        else None
    )
    return lower, upper
