"""The provider's reward updates feed: read it since a cursor, record each delivery once.

Rewards with an automatic requirement are delivered by the provider's background task, not
by anything the portal does, so the portal learns of them by polling
``GET /api/v1/ent/reward_updates?last_update_date=...`` (``manage.py tbits_poll_rewards``,
from cron or a Kubernetes CronJob). One poll has three steps, each safe to repeat:

1. :func:`fetch_updates` asks for every update since a day before the cursor. The feed is
   asked by date (the documented form), and the provider's time zone for that date is not
   documented, so a day of overlap guarantees nothing between two polls falls in a gap.
2. :func:`store_updates` records the deliveries not seen before and moves the cursor, in
   one transaction that starts by writing the cursor row: overlapping runs queue there
   (a row lock on PostgreSQL, the write lock on SQLite) instead of interleaving, and the
   unique (feed, delivery) constraint is the backstop. A run that dies here stores nothing
   and leaves the cursor, so the next run reads the same period again.
3. :func:`announce_pending` sends ``reward_delivered`` for each recorded delivery not yet
   announced, claiming each with a conditional update in the transaction that sends it:
   two runs never both announce one delivery, and a run killed while announcing leaves
   the rest (and the one it was on) to the next run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.api import get_client
from accounts.app_settings import app_settings
from loyalty.app_settings import loyalty_settings
from loyalty.cache import cache_key
from loyalty.models import RewardDelivery, RewardFeedCursor
from loyalty.retention import too_old_to_announce
from loyalty.selectors import event_timezone
from loyalty.signals import reward_delivered
from tbits_client import Reward, RewardUpdate, TbitsClient, TbitsError

logger = logging.getLogger(__name__)

#: Each poll asks from this long before the cursor (see the module docstring).
READ_BACK = dt.timedelta(days=1)

# SQLite allows 999 parameters per statement in old builds; stay well under it.
_CHUNK = 500


@dataclass(frozen=True)
class Batch:
    """What one request to the feed answered, and when the poll began."""

    feed: str
    started_at: dt.datetime
    asked_from: dt.date
    updates: tuple[RewardUpdate, ...]


@dataclass(frozen=True)
class Stored:
    """What :func:`store_updates` changed."""

    new: int
    updated: int
    position: dt.datetime


@dataclass(frozen=True)
class PollResult:
    """One whole poll, for the command's report."""

    asked_from: dt.date
    received: int
    new: int
    updated: int
    announced: int
    position: dt.datetime


def feed_name() -> str:
    """The cursor's name: the API host and the account the key belongs to.

    The feed is account-wide, so a site that moves to another account (or from the sandbox
    to production) starts a new cursor instead of reading from the old one's date. Without
    ``ACCOUNT_ID`` the account is named by a short fingerprint of the key, never the key.
    """
    host = urlsplit(str(app_settings.API_BASE_URL or "")).netloc or "api"
    account = str(app_settings.ACCOUNT_ID or "").strip()
    if account:
        return f"{host}/account/{account}"
    fingerprint = hashlib.sha256(str(app_settings.API_KEY or "").encode()).hexdigest()[:16]
    return f"{host}/key/{fingerprint}"


def fetch_updates(*, client: TbitsClient | None = None, since: dt.date | None = None) -> Batch:
    """Ask the feed for every update since ``since`` (default: a day before the cursor)."""
    feed = feed_name()
    # Taken before the request: anything the provider records while it is in flight is
    # after this moment, so the next poll (which reads back from here) still sees it.
    started_at = timezone.now()
    if since is None:
        position = (
            RewardFeedCursor.objects.filter(feed=feed).values_list("position", flat=True).first()
        )
        since = ((position or started_at) - READ_BACK).astimezone(dt.UTC).date()
    client = client or get_client()
    updates = client.reward_updates(last_update_date=since.isoformat())
    return Batch(
        feed=feed,
        started_at=started_at,
        asked_from=since,
        updates=_named_from_catalogue(tuple(updates), client),
    )


def _portal_business_ids() -> list[str]:
    """The businesses the portal shows: ``BUSINESS_IDS``, else ``BUSINESS_ID``."""
    listed = loyalty_settings.BUSINESS_IDS or [app_settings.BUSINESS_ID]
    return [str(item).strip() for item in listed if str(item or "").strip()]


def _named_from_catalogue(
    updates: tuple[RewardUpdate, ...], client: TbitsClient
) -> tuple[RewardUpdate, ...]:
    """Fill each update's reward title, type and business from the rewards catalogue.

    The feed's answer is undocumented beyond its parameter; the documented reading is the
    reward and the fan (docs/endpoints.md, Fields used when present). A receiver of
    ``reward_delivered`` that writes to the fan still needs the reward's name, so the
    catalogues of the portal's businesses are read, once per poll and only when an update
    lacks them. A catalogue that fails leaves the updates as they came: the delivery is
    recorded all the same.
    """
    if all(update.reward_title and "business_id" in update.extra for update in updates):
        return updates
    known: dict[str, tuple[str, Reward]] = {}
    for business_id in _portal_business_ids():
        try:
            rewards = client.rewards(business_id)
        except TbitsError as error:
            logger.warning("Rewards of business %s unreadable: %s", business_id, error)
            continue
        known.update({reward.reward_uid: (business_id, reward) for reward in rewards})
    named = []
    for update in updates:
        found = known.get(update.reward_uid)
        if found is not None:
            business_id, reward = found
            update = replace(
                update,
                reward_title=update.reward_title or reward.reward_title,
                reward_type=update.reward_type or reward.reward_type,
                extra={"business_id": business_id, **update.extra},
            )
        named.append(update)
    return tuple(named)


def delivery_key(update: RewardUpdate) -> str:
    """The provider's id of the delivery, or reward and fan (a fan holds a reward once)."""
    uid = update.extra.get("fan_reward_uid")
    if isinstance(uid, str | int) and str(uid).strip():
        return str(uid).strip()
    return f"{update.reward_uid}:{update.fan_id if update.fan_id is not None else ''}"


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    # The portal reads naive provider times in the event zone; the banner compares them.
    if value is None or timezone.is_aware(value):
        return value
    return value.replace(tzinfo=event_timezone())


def _delivered_at(update: RewardUpdate) -> dt.datetime | None:
    """When the reward reached the fan, or, when the feed gives no time, now.

    The reward updates' answer is undocumented beyond its ``last_update_date`` parameter;
    a feed that names only the reward and the fan is still a delivery the fan should hear
    of, and the poll that first records it is the latest it can have happened (an existing
    row keeps its time: see :func:`store_updates`).
    """
    raw = update.extra.get("delivered_timestamp")
    if isinstance(raw, str) and raw:
        try:
            return _aware(dt.datetime.fromisoformat(raw.replace("Z", "+00:00")))
        except ValueError:
            pass
    return _aware(update.creation_timestamp or update.last_update_timestamp) or timezone.now()


def _row(feed: str, update: RewardUpdate) -> RewardDelivery:
    business = update.extra.get("business_id")
    return RewardDelivery(
        feed=feed,
        delivery_key=delivery_key(update)[:200],
        business_id=str(business) if business is not None else "",
        fan_id=str(update.fan_id) if update.fan_id is not None else "",
        reward_uid=update.reward_uid[:64],
        reward_title=(update.reward_title or "")[:255],
        reward_type=str(update.reward_type or "")[:32],
        status=(update.status or "")[:32],
        delivered_at=_delivered_at(update),
        provider_updated_at=_aware(update.last_update_timestamp),
    )


_EPOCH = dt.datetime.min.replace(tzinfo=dt.UTC)


def _newer(candidate: RewardDelivery, than: RewardDelivery) -> bool:
    return (candidate.provider_updated_at or _EPOCH) >= (than.provider_updated_at or _EPOCH)


def _latest_per_delivery(feed: str, updates: Iterable[RewardUpdate]) -> dict[str, RewardDelivery]:
    rows: dict[str, RewardDelivery] = {}
    for update in updates:
        row = _row(feed, update)
        known = rows.get(row.delivery_key)
        if known is None or _newer(row, known):
            rows[row.delivery_key] = row
    return rows


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _lock_cursor(feed: str, started_at: dt.datetime) -> RewardFeedCursor:
    """Write the cursor row first thing in the transaction; create it on the first run."""
    if not RewardFeedCursor.objects.filter(feed=feed).update(polls=F("polls") + 1):
        try:
            with transaction.atomic():
                RewardFeedCursor.objects.create(feed=feed, position=started_at, polls=1)
        except IntegrityError:
            # Another first run created it meanwhile: queue behind it like any other run.
            RewardFeedCursor.objects.filter(feed=feed).update(polls=F("polls") + 1)
    return RewardFeedCursor.objects.get(feed=feed)


def store_updates(batch: Batch) -> Stored:
    """Record the deliveries not seen before and move the cursor, all or nothing."""
    rows = _latest_per_delivery(batch.feed, batch.updates)
    with transaction.atomic():
        cursor = _lock_cursor(batch.feed, batch.started_at)
        keys = list(rows)
        existing: dict[str, RewardDelivery] = {}
        for chunk in _chunks(keys):
            found = RewardDelivery.objects.filter(feed=batch.feed, delivery_key__in=chunk)
            existing.update((row.delivery_key, row) for row in found)
        new = [row for key, row in rows.items() if key not in existing]
        for row in new:
            if too_old_to_announce(row.delivered_at, batch.started_at):
                # History, not news: perhaps recorded and pruned before (loyalty.retention).
                row.notified_at = batch.started_at
        RewardDelivery.objects.bulk_create(new, batch_size=_CHUNK)
        touched = [_deliveries_key(fan_id) for fan_id in {row.fan_id for row in new}]
        if touched:
            # After the commit: a page reading in between would cache the old answer again.
            transaction.on_commit(lambda: app_settings.cache().delete_many(touched))
        updated = 0
        for key, stored in existing.items():
            incoming = rows[key]
            if incoming.status != stored.status and _newer(incoming, stored):
                # A later state of a known delivery (used, expired...): kept, not announced.
                stored.status = incoming.status
                stored.provider_updated_at = incoming.provider_updated_at
                stored.save(update_fields=["status", "provider_updated_at"])
                updated += 1
        # Never backwards: a run that queued behind a later one keeps the later position.
        cursor.position = max(cursor.position, batch.started_at)
        cursor.save(update_fields=["position", "updated_at"])
    return Stored(new=len(new), updated=updated, position=cursor.position)


def announce_pending() -> int:
    """Send ``reward_delivered`` once for each recorded delivery not yet announced."""
    owed = list(
        RewardDelivery.objects.filter(notified_at__isnull=True)
        .order_by("recorded_at", "pk")
        .values_list("pk", flat=True)
    )
    announced = 0
    for pk in owed:
        with transaction.atomic():
            claimed = RewardDelivery.objects.filter(pk=pk, notified_at__isnull=True).update(
                notified_at=timezone.now()
            )
            if not claimed:
                continue  # another run announced it first
            delivery = RewardDelivery.objects.get(pk=pk)
            for receiver, result in reward_delivered.send_robust(
                sender=RewardDelivery, delivery=delivery
            ):
                if isinstance(result, Exception):
                    logger.error(
                        "A reward_delivered receiver (%s) failed for delivery %s",
                        getattr(receiver, "__qualname__", receiver),
                        pk,
                        exc_info=result,
                    )
        announced += 1
    return announced


def poll_reward_updates(
    *, client: TbitsClient | None = None, since: dt.date | None = None
) -> PollResult:
    """One whole poll: fetch, store, announce. API errors propagate before any write."""
    batch = fetch_updates(client=client, since=since)
    stored = store_updates(batch)
    announced = announce_pending()
    return PollResult(
        asked_from=batch.asked_from,
        received=len(batch.updates),
        new=stored.new,
        updated=stored.updated,
        announced=announced,
        position=stored.position,
    )


def delivered_reward_uids(
    *, fan_id: object, business_id: object, since: dt.datetime | None
) -> set[str]:
    """Rewards the feed recorded for a fan in a business after ``since`` (all if None).

    Deliveries whose business the feed did not say are included; the caller keeps only the
    rewards of the business's catalogue.
    """
    wanted = {str(business_id), ""}
    return {
        reward_uid
        for reward_uid, business, delivered_at in _fan_deliveries(fan_id)
        if business in wanted and (since is None or delivered_at > since)
    }


def _deliveries_key(fan_id: object) -> str:
    return cache_key("deliveries", fan_id)


def _fan_deliveries(fan_id: object) -> tuple[tuple[str, str, dt.datetime], ...]:
    """The fan's recorded deliveries, through the cache for the fan data's TTL.

    The dashboard asks on every view, and the answer changes only when a poll records a
    delivery (which forgets the fans it touched, see :func:`store_updates`); the query was
    a tenth of the page's CPU. Without a shared cache the poll's process cannot reach the
    web processes' copies, so the TTL bounds how late a new delivery shows.
    """
    cache = app_settings.cache()
    key = _deliveries_key(fan_id)
    found = cache.get(key)
    if found is None:
        try:
            found = tuple(
                RewardDelivery.objects.filter(fan_id=str(fan_id), delivered_at__isnull=False)
                .order_by()
                .values_list("reward_uid", "business_id", "delivered_at")
            )
        except (OperationalError, InterfaceError) as error:
            # The database down: the dashboard's "new reward" count is a hint, not worth a
            # 500; the rewards the API lists still count. Not cached, so it comes back.
            logger.warning(
                "reward deliveries not read: database unavailable (%s)", type(error).__name__
            )
            return ()
        cache.set(key, found, int(loyalty_settings.FAN_CACHE_TTL))
    return found
