"""``manage.py tbits_prune_deliveries``: old recorded deliveries go, owed signals stay."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError
from django.utils import timezone

from loyalty import deliveries, retention
from loyalty.models import RewardDelivery
from loyalty.signals import reward_delivered
from tbits_client import RewardUpdate

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def delivery(key: str, *, days_ago: float, announced: bool = True) -> RewardDelivery:
    recorded = NOW - dt.timedelta(days=days_ago)
    return RewardDelivery.objects.create(
        feed="api.test/account/1001",
        delivery_key=key,
        fan_id="501",
        reward_uid=f"reward-{key}",
        delivered_at=recorded,
        recorded_at=recorded,
        notified_at=recorded if announced else None,
    )


def prune(*args: str) -> str:
    out = io.StringIO()
    call_command("tbits_prune_deliveries", *args, stdout=out)
    return out.getvalue()


def kept() -> set[str]:
    return set(RewardDelivery.objects.values_list("delivery_key", flat=True))


@pytest.fixture
def rows(settings: Any) -> None:
    settings.TBITS = {**settings.TBITS, "DELIVERY_RETENTION_DAYS": 30}
    delivery("old-1", days_ago=400)
    delivery("old-2", days_ago=31)
    delivery("old-owed", days_ago=90, announced=False)
    delivery("recent", days_ago=29)


@pytest.mark.usefixtures("rows")
def test_dry_run_counts_and_deletes_nothing() -> None:
    said = prune("--dry-run")
    assert "Would delete 2 reward deliveries recorded before" in said
    assert "DELIVERY_RETENTION_DAYS'] = 30" in said and "nothing was deleted" in said
    assert "Kept 1 older one(s) whose reward_delivered signal is still owed" in said
    assert kept() == {"old-1", "old-2", "old-owed", "recent"}


@pytest.mark.usefixtures("rows")
def test_deletes_announced_rows_older_than_the_retention_and_a_rerun_finds_none() -> None:
    assert "Deleted 2 reward deliveries" in prune()
    assert kept() == {"old-owed", "recent"}
    assert "Deleted 0 reward deliveries" in prune()  # cron may run it again: harmless


@pytest.mark.usefixtures("rows")
def test_deletes_in_batches(monkeypatch: Any) -> None:
    monkeypatch.setattr(retention, "BATCH_SIZE", 1)
    for number in range(5):
        delivery(f"older-{number}", days_ago=100)
    assert "Deleted 7 reward deliveries" in prune()
    assert kept() == {"old-owed", "recent"}


def test_none_keeps_everything(settings: Any) -> None:
    settings.TBITS = {**settings.TBITS, "DELIVERY_RETENTION_DAYS": None}
    delivery("ancient", days_ago=5000)
    assert "deliveries are kept; nothing deleted" in prune()
    assert kept() == {"ancient"}


def test_the_default_keeps_half_a_year() -> None:
    delivery("five-months", days_ago=150)
    delivery("seven-months", days_ago=210)
    prune()
    assert kept() == {"five-months"}


def test_a_database_failure_is_one_line_and_a_failing_exit(monkeypatch: Any) -> None:
    def broken(**kwargs: Any) -> None:
        raise DatabaseError("could not connect to server: password=pg-secret")

    monkeypatch.setattr(
        "loyalty.management.commands.tbits_prune_deliveries.prune_deliveries", broken
    )
    with pytest.raises(CommandError) as failed:
        prune()
    assert "DatabaseError" in str(failed.value) and "pg-secret" not in str(failed.value)


def test_a_pruned_delivery_the_feed_reports_again_is_not_announced_again(settings: Any) -> None:
    settings.TBITS = {**settings.TBITS, "DELIVERY_RETENTION_DAYS": 30}
    heard: list[str] = []

    def receiver(sender: Any, delivery: RewardDelivery, **kwargs: Any) -> None:
        heard.append(delivery.delivery_key)

    reward_delivered.connect(receiver, weak=False)
    try:
        old = NOW - dt.timedelta(days=200)
        batch = deliveries.Batch(
            feed="api.test/account/1001",
            started_at=NOW,
            asked_from=NOW.date(),
            updates=(
                # Delivered long ago, pruned since, and now used at the provider.
                RewardUpdate(reward_uid="r-old", fan_id=501, status="used", creation_timestamp=old),
                RewardUpdate(
                    reward_uid="r-new", fan_id=501, status="delivered", creation_timestamp=NOW
                ),
            ),
        )
        assert deliveries.store_updates(batch).new == 2
        deliveries.announce_pending()
    finally:
        reward_delivered.disconnect(receiver)
    assert heard == ["r-new:501"]
    assert RewardDelivery.objects.get(delivery_key="r-old:501").notified_at is not None
