"""Fans and how they get in: fan records, sessions, one-time codes, the outbox, OAuth codes.

Also the enumeration throttle's counter, which guards the same login calls.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

from tbits_sandbox.models.account import Account, Business, Idol


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
