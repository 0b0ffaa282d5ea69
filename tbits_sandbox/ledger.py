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
