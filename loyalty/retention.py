"""How long the portal keeps the reward deliveries it recorded, and pruning the older ones.

``tbits_poll_rewards`` records one row per delivery, for ever unless pruned: a busy
programme adds thousands a day. ``manage.py tbits_prune_deliveries`` (cron, a Kubernetes
CronJob) deletes the rows recorded more than ``TBITS["DELIVERY_RETENTION_DAYS"]`` days ago.

Two rules keep pruning from changing what fans are told:

* a row whose ``reward_delivered`` signal is still owed is never deleted (the next poll
  sends it);
* a delivery older than the retention period that the feed reports (again) is recorded as
  already announced (:func:`too_old_to_announce`): after a pruning, an old delivery whose
  status changed at the provider would otherwise be recorded as new and announced twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from loyalty.app_settings import loyalty_settings
from loyalty.models import RewardDelivery

#: Rows deleted per statement (and transaction): short locks on a large table.
BATCH_SIZE = 1000


@dataclass(frozen=True)
class Pruned:
    """What one pruning deleted (or, dry, would delete), and what it kept on purpose."""

    horizon: dt.datetime
    deleted: int
    owed_kept: int


def retention_horizon(now: dt.datetime | None = None) -> dt.datetime | None:
    """Rows recorded before this moment may go; None when deliveries are kept for ever."""
    days = loyalty_settings.DELIVERY_RETENTION_DAYS
    if days is None:
        return None
    return (now or timezone.now()) - dt.timedelta(days=int(days))


def too_old_to_announce(delivered_at: dt.datetime | None, now: dt.datetime) -> bool:
    """Whether a delivery first seen now is older than the retention period: history."""
    horizon = retention_horizon(now)
    return horizon is not None and delivered_at is not None and delivered_at < horizon


def prune_deliveries(*, dry_run: bool = False) -> Pruned | None:
    """Delete announced deliveries recorded before the horizon, in batches; None: kept."""
    horizon = retention_horizon()
    if horizon is None:
        return None
    old = RewardDelivery.objects.filter(recorded_at__lt=horizon)
    owed_kept = old.filter(notified_at__isnull=True).count()
    due = old.filter(notified_at__isnull=False)
    if dry_run:
        return Pruned(horizon=horizon, deleted=due.count(), owed_kept=owed_kept)
    deleted = 0
    while True:
        # By primary key, a batch at a time: one DELETE of a year of rows would hold its
        # locks (the whole database on SQLite) while the poll and the pages wait.
        batch = list(due.order_by("pk").values_list("pk", flat=True)[:BATCH_SIZE])
        if not batch:
            break
        with transaction.atomic():
            count, _ = RewardDelivery.objects.filter(pk__in=batch).delete()
        deleted += count
    return Pruned(horizon=horizon, deleted=deleted, owed_kept=owed_kept)
