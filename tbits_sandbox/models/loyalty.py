"""Loyalty setup and history: quests, rewards, activities, point transactions, deliveries.

The unique constraints here are what make completion, awarding and delivery idempotent.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

from tbits_sandbox.models.account import (
    Account,
    Business,
    Idol,
    MediaAsset,
    Performance,
    PointTypeRecord,
    Tier,
)
from tbits_sandbox.models.fans import Fan


class Quest(models.Model):
    """A challenge of a business; every documented creation field is a column."""

    page_tab_id = models.BigAutoField(primary_key=True)
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="quests")
    point_type = models.ForeignKey(
        PointTypeRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    quest_type = models.CharField(max_length=16)
    quest_title = models.CharField(max_length=128)
    quest_description = models.TextField(blank=True)
    button_text = models.CharField(max_length=32, blank=True)
    reward_type = models.CharField(max_length=16, blank=True)
    fan_points_reward = models.BigIntegerField(null=True, blank=True)
    performance = models.ForeignKey(
        Performance, null=True, blank=True, on_delete=models.SET_NULL, related_name="quests"
    )
    target_page_tab_id = models.BigIntegerField(null=True, blank=True)
    link_url = models.URLField(max_length=2000, blank=True)
    scan_group_names = models.JSONField(default=list, blank=True)
    site_name = models.CharField(max_length=128, blank=True)
    access_restriction_type = models.CharField(max_length=16, blank=True)
    fan_points_required = models.BigIntegerField(null=True, blank=True)
    point_tier = models.ForeignKey(
        Tier, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    required_page_tab_ids = models.JSONField(default=list, blank=True)
    tag_name = models.CharField(max_length=128, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    media = models.ForeignKey(
        MediaAsset, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    idol = models.ForeignKey(Idol, null=True, blank=True, on_delete=models.SET_NULL)
    is_required = models.BooleanField(default=False)
    atvenu_sales_event_key = models.CharField(max_length=128, blank=True)
    atvenu_promo_key = models.CharField(max_length=128, blank=True)
    bestring_location_group_id = models.CharField(max_length=128, blank=True)
    bestring_promotion_id = models.CharField(max_length=128, blank=True)
    creation_timestamp = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["page_tab_id"]

    def __str__(self) -> str:
        return self.quest_title


class Reward(models.Model):
    """A reward of a business; every documented creation field is a column."""

    reward_uid = models.UUIDField(primary_key=True, default=uuid.uuid4)
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="rewards")
    reward_title = models.CharField(max_length=128)
    reward_type = models.CharField(max_length=16)
    description = models.TextField(blank=True)
    expiration_timestamp = models.DateTimeField()
    timezone = models.CharField(max_length=64)
    winner_selection_model = models.CharField(max_length=8)
    reward_limit = models.PositiveIntegerField(null=True, blank=True)
    # Claimed with one conditional UPDATE, so concurrent deliveries never exceed the limit.
    delivered_count = models.PositiveIntegerField(default=0)
    requirement_type = models.CharField(max_length=16, blank=True)
    point_tier = models.ForeignKey(
        Tier, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    required_page_tab_ids = models.JSONField(default=list, blank=True)
    performance = models.ForeignKey(
        Performance, null=True, blank=True, on_delete=models.SET_NULL, related_name="rewards"
    )
    media = models.ForeignKey(
        MediaAsset, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    access_start_timestamp = models.DateTimeField(null=True, blank=True)
    access_end_timestamp = models.DateTimeField(null=True, blank=True)
    access_pass_type = models.CharField(max_length=32, blank=True)
    is_limited = models.BooleanField(default=False)
    atvenu_sales_event_key = models.CharField(max_length=128, blank=True)
    atvenu_promo_key = models.CharField(max_length=128, blank=True)
    atvenu_delivery_method = models.CharField(max_length=16, blank=True)
    bestring_location_group_id = models.CharField(max_length=128, blank=True)
    bestring_promotion_id = models.CharField(max_length=128, blank=True)
    creation_timestamp = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["creation_timestamp", "reward_title"]
        constraints = [
            models.UniqueConstraint(fields=["business", "reward_title"], name="sandbox_reward"),
        ]

    def __str__(self) -> str:
        return self.reward_title


class FanActivity(models.Model):
    """A fact of interaction; a quest completion is the activity for that quest."""

    activity_id = models.BigAutoField(primary_key=True)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    # Null when the CRM call sent no business_id: recorded, but it makes the fan eligible
    # for no business's automatic rewards (only activities associated with it count).
    business = models.ForeignKey(Business, null=True, blank=True, on_delete=models.CASCADE)
    fan = models.ForeignKey(Fan, on_delete=models.CASCADE, related_name="activities")
    quest = models.ForeignKey(Quest, null=True, blank=True, on_delete=models.SET_NULL)
    page_tab_id = models.BigIntegerField(null=True, blank=True)
    campaign_title = models.CharField(max_length=128, blank=True)
    props = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    creation_timestamp = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-creation_timestamp", "-activity_id"]
        constraints = [
            # The database, not a read-then-write, makes completion idempotent.
            models.UniqueConstraint(
                fields=["fan", "business", "page_tab_id"],
                condition=Q(page_tab_id__isnull=False),
                name="sandbox_one_completion",
            ),
        ]

    def __str__(self) -> str:
        return f"activity {self.activity_id}"


class FanPoint(models.Model):
    """One point transaction; a fan's balance is the sum of theirs."""

    fan_point_uid = models.UUIDField(primary_key=True, default=uuid.uuid4)
    fan = models.ForeignKey(Fan, on_delete=models.CASCADE, related_name="points")
    point_type_record = models.ForeignKey(
        PointTypeRecord, on_delete=models.CASCADE, related_name="transactions"
    )
    point_count = models.BigIntegerField()
    point_type = models.CharField(max_length=16, default="points")
    point_source = models.CharField(max_length=32, default="api")
    page_tab_id = models.BigIntegerField(null=True, blank=True)
    activity_id = models.BigIntegerField(null=True, blank=True)
    reward_uid = models.UUIDField(null=True, blank=True)
    performance_uid = models.UUIDField(null=True, blank=True)
    session_uid = models.UUIDField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    award_key = models.CharField(max_length=128, blank=True, default="")
    props = models.JSONField(default=dict, blank=True)
    creation_timestamp = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-creation_timestamp"]
        constraints = [
            models.UniqueConstraint(
                fields=["point_type_record", "fan", "award_key"],
                condition=~Q(award_key=""),
                name="sandbox_award_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.point_count} points for fan {self.fan_id}"


class FanReward(models.Model):
    """A reward delivered to a fan; never twice (database constraint)."""

    fan_reward_uid = models.UUIDField(primary_key=True, default=uuid.uuid4)
    reward = models.ForeignKey(Reward, on_delete=models.CASCADE, related_name="deliveries")
    fan = models.ForeignKey(Fan, on_delete=models.CASCADE, related_name="rewards")
    status = models.CharField(max_length=16, default="delivered")
    prize_code = models.CharField(max_length=128, blank=True)
    pass_code = models.CharField(max_length=16, blank=True)
    delivery_source = models.CharField(max_length=16, default="automatic")
    creation_timestamp = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-creation_timestamp"]
        constraints = [
            models.UniqueConstraint(fields=["reward", "fan"], name="sandbox_reward_once"),
        ]

    def __str__(self) -> str:
        return f"{self.reward_id} for fan {self.fan_id}"


class PrizeCode(models.Model):
    """One code of a prize_code reward's pool; drawn by one fan when the reward is_limited."""

    reward = models.ForeignKey(Reward, on_delete=models.CASCADE, related_name="prize_codes")
    code = models.CharField(max_length=128)
    fan_reward = models.OneToOneField(
        FanReward, null=True, blank=True, on_delete=models.SET_NULL, related_name="drawn_code"
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"prize code of {self.reward_id}"


class FanRegistration(models.Model):
    """A wristband or ticket registration linked to a fan."""

    fan = models.ForeignKey(Fan, on_delete=models.CASCADE, related_name="registrations")
    registration_key = models.CharField(max_length=128)
    performance = models.ForeignKey(Performance, null=True, blank=True, on_delete=models.SET_NULL)
    data = models.JSONField(default=dict)
    creation_timestamp = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-creation_timestamp"]
        constraints = [
            models.UniqueConstraint(fields=["fan", "registration_key"], name="sandbox_reg_key"),
        ]

    def __str__(self) -> str:
        return self.registration_key
