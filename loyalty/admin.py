"""Read-only Django admin pages for what the portal keeps: reward deliveries, the cursor.

Both tables are written by ``tbits_poll_rewards`` alone, and the provider is the truth for
what they hold: an edit here would be overwritten, or would make the poll announce a
delivery twice or skip a period. So staff may look (list, filter, search, open a row),
never add, change or delete; old rows go with ``tbits_prune_deliveries``. Registered only
on a site that installs ``django.contrib.admin``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from loyalty.models import RewardDelivery, RewardFeedCursor


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewing only: no add, change or delete, and so no bulk delete action either."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RewardDelivery)
class RewardDeliveryAdmin(ReadOnlyAdmin):
    list_display = (
        "reward_title",
        "reward_type",
        "status",
        "fan_id",
        "business_id",
        "delivered_at",
        "recorded_at",
        "notified_at",
    )
    list_filter = (
        "status",
        "reward_type",
        "business_id",
        ("notified_at", admin.EmptyFieldListFilter),
        "delivered_at",
        "feed",
    )
    search_fields = ("reward_title", "=reward_uid", "=fan_id", "=delivery_key")
    date_hierarchy = "delivered_at"
    # A year of deliveries is a big table: no COUNT(*) of all of it on every page.
    show_full_result_count = False
    list_per_page = 50


@admin.register(RewardFeedCursor)
class RewardFeedCursorAdmin(ReadOnlyAdmin):
    list_display = ("feed", "position", "polls", "updated_at")
    search_fields = ("feed",)
