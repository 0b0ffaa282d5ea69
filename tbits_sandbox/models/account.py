"""The account and its catalogue: keys, media, point types and tiers, businesses, events, idols.

Everything else the sandbox stores hangs off these rows, so they import nothing else.
"""

from __future__ import annotations

import uuid

from django.db import models


class Account(models.Model):
    """A provider account and its API keys."""

    account_id = models.BigIntegerField(primary_key=True)
    name = models.CharField(max_length=128, default="Sandbox account")
    api_key = models.CharField(max_length=128, unique=True)
    api_secret = models.CharField(max_length=128)
    legal_terms = models.TextField(blank=True)
    legal_privacy = models.TextField(blank=True)
    header_text = models.CharField(max_length=256, blank=True)
    logo_media = models.ForeignKey(
        "MediaAsset", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Whether Sessions/Connect answers ``terms_required`` until the fan sends is_accepted.
    terms_acceptance_required = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.name} ({self.account_id})"


class MediaAsset(models.Model):
    """An image served at ``/fb_media/<media_uid>``, drawn on demand from a small recipe.

    Storing a recipe rather than bytes lets ``width``/``height`` give a real image of that
    size without an imaging library.
    """

    class Format(models.TextChoices):
        SVG = "svg", "SVG"
        PNG = "png", "PNG"

    media_uid = models.UUIDField(primary_key=True, default=uuid.uuid4)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="media")
    slug = models.SlugField(max_length=64)
    format = models.CharField(max_length=3, choices=Format.choices, default=Format.SVG)
    label = models.CharField(max_length=64, blank=True)
    colour_from = models.CharField(max_length=7, default="#0b57d0")
    colour_to = models.CharField(max_length=7, default="#00838f")
    width = models.PositiveIntegerField(default=640)
    height = models.PositiveIntegerField(default=360)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "slug"], name="sandbox_media_slug"),
        ]

    def __str__(self) -> str:
        return self.slug


class PointTypeRecord(models.Model):
    """A loyalty currency ("Fan Points")."""

    point_uid = models.UUIDField(primary_key=True, default=uuid.uuid4)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="point_types")
    point_name = models.CharField(max_length=128)
    creation_timestamp = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "point_name"], name="sandbox_point_name"),
        ]

    def __str__(self) -> str:
        return self.point_name


class Tier(models.Model):
    """A named milestone of a point type."""

    point_tier_uid = models.UUIDField(primary_key=True, default=uuid.uuid4)
    point_type = models.ForeignKey(PointTypeRecord, on_delete=models.CASCADE, related_name="tiers")
    tier_name = models.CharField(max_length=128)
    min_points = models.BigIntegerField()
    creation_timestamp = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["min_points", "tier_name"]
        constraints = [
            models.UniqueConstraint(fields=["point_type", "tier_name"], name="sandbox_tier_name"),
        ]

    def __str__(self) -> str:
        return f"{self.tier_name} ({self.min_points})"


class Business(models.Model):
    """A team or brand of the account, with its own loyalty portal."""

    business_id = models.BigIntegerField(primary_key=True)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="businesses")
    business_name = models.CharField(max_length=128)
    point_type = models.ForeignKey(
        PointTypeRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    style_props = models.JSONField(default=dict, blank=True)
    media_map = models.JSONField(default=dict, blank=True)
    locale_props = models.JSONField(default=dict, blank=True)
    legal_rules = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.business_name


class Performance(models.Model):
    """A scheduled event, game or show."""

    performance_uid = models.UUIDField(primary_key=True, default=uuid.uuid4)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="performances")
    business = models.ForeignKey(
        Business, null=True, blank=True, on_delete=models.SET_NULL, related_name="performances"
    )
    performance_name = models.CharField(max_length=128)
    performance_date = models.DateField()
    venue_name = models.CharField(max_length=128, blank=True)
    city = models.CharField(max_length=64, blank=True)
    province = models.CharField(max_length=64, blank=True)
    country_code = models.CharField(max_length=2, blank=True)
    artist_name = models.CharField(max_length=128, blank=True)
    status = models.CharField(max_length=16, default="ready")
    label_name = models.CharField(max_length=64, blank=True)
    creation_timestamp = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["performance_date", "performance_name"]

    def __str__(self) -> str:
        return self.performance_name


class Idol(models.Model):
    """An artist, team or sponsor of the lineup."""

    idol_uid = models.UUIDField(primary_key=True, default=uuid.uuid4)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="idols")
    idol_name = models.CharField(max_length=128)
    idol_type = models.CharField(max_length=16, default="artist")
    description = models.TextField(blank=True)
    media = models.ForeignKey(
        MediaAsset, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    link_url = models.URLField(blank=True)
    label_names = models.JSONField(default=list, blank=True)
    creation_timestamp = models.DateTimeField(auto_now_add=True)
    last_update_timestamp = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["idol_name"]

    def __str__(self) -> str:
        return self.idol_name


class IdolEvent(models.Model):
    """A dated appearance of an idol."""

    event_uid = models.UUIDField(primary_key=True, default=uuid.uuid4)
    idol = models.ForeignKey(Idol, on_delete=models.CASCADE, related_name="events")
    start_timestamp = models.DateTimeField()
    end_timestamp = models.DateTimeField()
    venue_name = models.CharField(max_length=128, blank=True)
    city = models.CharField(max_length=64, blank=True)
    province = models.CharField(max_length=64, blank=True)
    country_code = models.CharField(max_length=2, blank=True)
    event_url = models.URLField(blank=True)
    ticket_url = models.URLField(blank=True)
    label_name = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["start_timestamp"]

    def __str__(self) -> str:
        return f"{self.idol_id} at {self.start_timestamp:%Y-%m-%d}"
