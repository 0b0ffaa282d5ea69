"""Trackers: the redirect links the provider generates for ``link_url`` quests, and their clicks.

loyalty-portal-integration.txt's quest creation table says of ``link_url``: "Destination URL
for link_url quests (tracker auto-generated)". The tracker's fields are those api-reference.txt
documents under "Create New Tracker" and "Get a list of recently created Trackers"; a click's
are those of "Get associated with account tracker events".
"""

from __future__ import annotations

import uuid

from django.db import models

from tbits_sandbox.models.account import Account
from tbits_sandbox.models.fans import Fan
from tbits_sandbox.models.loyalty import Quest


class Tracker(models.Model):
    """A redirect to ``target_url`` that counts its clicks, made for one ``link_url`` quest.

    Deleting the quest deactivates its tracker instead of deleting it, so the clicks already
    recorded stay (the reading that cannot lose data); ``page_tab_id`` keeps naming the quest.
    """

    tracker_id = models.BigAutoField(primary_key=True)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="trackers")
    quest = models.OneToOneField(
        Quest, null=True, blank=True, on_delete=models.SET_NULL, related_name="tracker"
    )
    page_tab_id = models.BigIntegerField(null=True, blank=True)
    tracker_name = models.CharField(max_length=128)
    tracker_group_name = models.CharField(max_length=128)
    target_url = models.URLField(max_length=2000)
    virtual_domain = models.CharField(max_length=253)
    # "Must be alphanumeric. One will be generated if not supplied."
    tracker_key = models.CharField(max_length=64, unique=True)
    network = models.CharField(max_length=16, default="custom")
    is_active = models.BooleanField(default=True)
    creation_timestamp = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-creation_timestamp", "-tracker_id"]

    def __str__(self) -> str:
        return f"tracker {self.tracker_key} to {self.target_url}"


class TrackerEvent(models.Model):
    """One visit of a tracked URL (``is_clicked``); the fan is unknown unless a call names it."""

    tracker_event_uid = models.UUIDField(primary_key=True, default=uuid.uuid4)
    tracker = models.ForeignKey(Tracker, on_delete=models.CASCADE, related_name="events")
    is_clicked = models.BooleanField(default=True)
    fan = models.ForeignKey(Fan, null=True, blank=True, on_delete=models.SET_NULL)
    activity_id = models.BigIntegerField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    device_type = models.CharField(max_length=16, blank=True)
    host_name = models.CharField(max_length=253, blank=True)
    # Where the fan was sent: the target at the time of the click (a later edit moves it).
    target_url = models.URLField(max_length=2000)
    creation_timestamp = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-creation_timestamp"]

    def __str__(self) -> str:
        return f"click on tracker {self.tracker_id}"
