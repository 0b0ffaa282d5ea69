"""What the emulated provider stores: accounts, fans, sessions, loyalty setup and history.

Identifiers follow the API: integer ``account_id``, ``business_id``, ``fan_id``,
``page_tab_id`` and ``activity_id``; UUIDs for everything else. Every row hangs off an
account, so one sandbox can hold several accounts without them seeing each other.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q


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


class Fan(models.Model):
    """A fan record of an account; email and phone are unique within the account."""

    fan_id = models.BigAutoField(primary_key=True)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="fans")
    email = models.EmailField(blank=True, default="")
    # Digits only, so "+1 (604) 555-0100" and "16045550100" are the same fan.
    phone = models.CharField(max_length=20, blank=True, default="")
    first_name = models.CharField(max_length=64, blank=True)
    last_name = models.CharField(max_length=64, blank=True)
    display_name = models.CharField(max_length=64, blank=True)
    password_hash = models.CharField(max_length=256, blank=True)
    is_subscribed = models.BooleanField(default=False)
    is_phone_subscribed = models.BooleanField(default=False)
    is_accepted_terms = models.BooleanField(default=False)
    birth_date = models.DateField(null=True, blank=True)
    city = models.CharField(max_length=64, blank=True)
    province = models.CharField(max_length=64, blank=True)
    country_code = models.CharField(max_length=2, blank=True)
    postal_code = models.CharField(max_length=16, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    tags = models.JSONField(default=list, blank=True)
    props = models.JSONField(default=dict, blank=True)
    fields = models.JSONField(default=dict, blank=True)
    idols = models.ManyToManyField(Idol, blank=True, related_name="fans")
    creation_timestamp = models.DateTimeField(auto_now_add=True)
    last_update_timestamp = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account", "email"], condition=~Q(email=""), name="sandbox_email"
            ),
            models.UniqueConstraint(
                fields=["account", "phone"], condition=~Q(phone=""), name="sandbox_phone"
            ),
        ]

    def __str__(self) -> str:
        return f"fan {self.fan_id}"


class FanSession(models.Model):
    """A session handed out by Sessions/Connect or the OAuth exchange; guests have no fan."""

    session_uid = models.UUIDField(primary_key=True, default=uuid.uuid4)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="sessions")
    business = models.ForeignKey(Business, null=True, blank=True, on_delete=models.SET_NULL)
    fan = models.ForeignKey(Fan, null=True, blank=True, on_delete=models.CASCADE)
    props = models.JSONField(default=dict, blank=True)
    creation_timestamp = models.DateTimeField(auto_now_add=True)
    expiration_timestamp = models.DateTimeField()

    def __str__(self) -> str:
        return f"session of fan {self.fan_id}"


class VerificationRequest(models.Model):
    """A one-time code sent by email or SMS, and what became of it."""

    request_uid = models.UUIDField(primary_key=True, default=uuid.uuid4)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    business = models.ForeignKey(Business, null=True, blank=True, on_delete=models.SET_NULL)
    channel = models.CharField(max_length=8)
    email = models.EmailField(blank=True, default="")
    phone = models.CharField(max_length=20, blank=True, default="")
    # The code is kept only as a keyed digest; the outbox holds the readable copy.
    code_digest = models.CharField(max_length=64)
    created = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    verified_at = models.DateTimeField(null=True, blank=True)
    verification_uid = models.UUIDField(null=True, blank=True, unique=True)
    verification_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.channel} code for {self.email or self.phone}"


class OutboxMessage(models.Model):
    """An email or SMS the sandbox "sent", for a person or a test to read."""

    channel = models.CharField(max_length=8)
    to = models.CharField(max_length=254)
    code = models.CharField(max_length=16, blank=True)
    message = models.TextField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.channel} to {self.to}"


class OAuthCode(models.Model):
    """An authorization code: single use, short-lived, bound to one redirect_url."""

    code = models.CharField(max_length=64, primary_key=True)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    business = models.ForeignKey(Business, null=True, blank=True, on_delete=models.SET_NULL)
    fan = models.ForeignKey(Fan, on_delete=models.CASCADE, related_name="+")
    redirect_url = models.TextField()
    created = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"OAuth code for fan {self.fan_id}"


class ThrottleHit(models.Model):
    """One counted look-up or code request, for the enumeration throttle.

    Counted in the database rather than the cache so that each test starts from zero and
    several server processes share one count.
    """

    bucket = models.CharField(max_length=300, db_index=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return self.bucket


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
