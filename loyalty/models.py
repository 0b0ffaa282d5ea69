"""What the portal keeps in its own database: the reward updates ``tbits_poll_rewards`` saw,
and each fan's choice to hide their name on the leaderboard.

Everything else (quests, tiers, points, rewards) lives at the provider and is only cached.
The reward tables exist because the provider's reward updates feed is a "since a date"
poll: the portal must remember how far it read, and which deliveries it already recorded,
to announce each delivery once (the ``reward_delivered`` signal, the "new reward" banner).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RewardFeedCursor(models.Model):
    """How far the reward updates feed of one API account has been read and stored.

    The feed is account-wide (the endpoint takes no business id), so there is one cursor
    per account, named by :func:`loyalty.deliveries.feed_name`. ``position`` moves only in
    the transaction that stores what was read, so a run that dies half-way leaves it where
    it was and the next run reads the same period again.
    """

    feed = models.CharField(_("feed"), max_length=200, unique=True)
    position = models.DateTimeField(
        _("read up to"),
        help_text=_("When the last poll whose deliveries are stored began."),
    )
    # Every run writes this first in its storing transaction: the write is the lock (a row
    # lock on PostgreSQL, the database write lock on SQLite), so overlapping runs queue.
    polls = models.PositiveBigIntegerField(_("polls stored"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("reward feed cursor")
        verbose_name_plural = _("reward feed cursors")

    def __str__(self) -> str:
        return f"{self.feed} @ {self.position.isoformat()}"


class RewardDelivery(models.Model):
    """One reward delivered to one fan, as the provider's reward updates reported it.

    Unique per feed and delivery, so two runs reading the same update record it once;
    ``notified_at`` is set in the same transaction that sends ``reward_delivered``, so the
    signal goes out once per delivery (again only if the process died while sending it).
    """

    feed = models.CharField(_("feed"), max_length=200)
    delivery_key = models.CharField(
        _("delivery"),
        max_length=200,
        help_text=_("The provider's fan_reward_uid, or reward and fan when it has none."),
    )
    business_id = models.CharField(_("business id"), max_length=64, blank=True)
    fan_id = models.CharField(_("fan id"), max_length=64, blank=True)
    reward_uid = models.CharField(_("reward uid"), max_length=64)
    reward_title = models.CharField(_("reward"), max_length=255, blank=True)
    reward_type = models.CharField(_("reward type"), max_length=32, blank=True)
    status = models.CharField(_("status"), max_length=32, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    provider_updated_at = models.DateTimeField(_("updated at the provider"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    notified_at = models.DateTimeField(_("signal sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("reward delivery")
        verbose_name_plural = _("reward deliveries")
        ordering = ["-delivered_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["feed", "delivery_key"], name="tbits_loyalty_delivery_once"
            ),
        ]
        indexes = [
            # The dashboard's banner: one fan's deliveries in one business since a moment.
            models.Index(
                fields=["fan_id", "business_id", "delivered_at"],
                name="tbits_loyalty_delivery_fan",
            ),
            # Deliveries whose signal is still owed: few rows, read by every poll.
            models.Index(
                fields=["recorded_at"],
                condition=Q(notified_at__isnull=True),
                name="tbits_loyalty_delivery_owed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reward_title or self.reward_uid} for fan {self.fan_id}"


class LeaderboardName(models.Model):
    """A fan's choice to hide their name from other fans' leaderboards.

    A portal setting, not the API's: the documented leaderboard call has no "hidden" field
    (only the campaign leaderboards do), so the portal keeps the choice and blanks the
    name itself. Fan ids are account-wide, so one row covers every business. A row exists
    only once the fan chose; no row means the name shows, as the API answers it.
    """

    fan_id = models.CharField(_("fan id"), max_length=64, unique=True)
    hidden = models.BooleanField(_("name hidden"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("leaderboard name choice")
        verbose_name_plural = _("leaderboard name choices")

    def __str__(self) -> str:
        return f"fan {self.fan_id}: {'hidden' if self.hidden else 'shown'}"
