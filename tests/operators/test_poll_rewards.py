"""``manage.py tbits_poll_rewards`` against the live sandbox.

The sandbox's reward updates feed lists the account's deliveries; the sandbox's own
``deliver()`` stands in for the provider's background task delivering a reward.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from loyalty import deliveries
from loyalty.models import RewardDelivery, RewardFeedCursor
from loyalty.signals import reward_delivered

REPO = Path(__file__).resolve().parents[2]
SUMMARY = re.compile(
    r"(?P<received>\d+) received, (?P<new>\d+) new, (?P<updated>\d+) updated, "
    r"(?P<announced>\d+) announced"
)


class Announcements:
    """What ``reward_delivered`` receivers saw, in order."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.deliveries: list[RewardDelivery] = []

    def __call__(self, sender: Any, delivery: RewardDelivery, **kwargs: Any) -> None:
        self.keys.append(delivery.delivery_key)
        self.deliveries.append(delivery)


@pytest.fixture
def announcements() -> Iterator[Announcements]:
    heard = Announcements()
    reward_delivered.connect(heard, weak=False)
    yield heard
    reward_delivered.disconnect(heard)


def poll(*args: str) -> dict[str, int]:
    out = io.StringIO()
    call_command("tbits_poll_rewards", *args, stdout=out)
    found = SUMMARY.search(out.getvalue())
    assert found, out.getvalue()
    return {name: int(value) for name, value in found.groupdict().items()}


def delivery_key(held: Any) -> str:
    """The key the poll files a sandbox delivery under.

    The provider's delivery id when the feed answers it (an undocumented field); on the
    documented answer (reward and fan only) the reward and the fan, since a fan holds a
    reward once.
    """
    if settings.TBITS_SANDBOX_DOCUMENTED_ONLY:
        return f"{held.reward.reward_uid}:{held.fan_id}"
    return str(held.fan_reward_uid)


def sandbox_delivery_uids(live_sandbox: Any) -> set[str]:
    from tbits_sandbox.models import FanReward

    found = FanReward.objects.filter(
        reward__business__account_id=live_sandbox.account_id
    ).select_related("reward")
    return {delivery_key(held) for held in found}


def deliver(live_sandbox: Any, title: str) -> str:
    """Deliver a reward to the demo fan as the provider's background task would."""
    from tbits_sandbox.delivery import deliver as sandbox_deliver
    from tbits_sandbox.models import Fan, Reward

    reward = Reward.objects.get(reward_uid=live_sandbox.rewards[title])
    fan = Fan.objects.get(fan_id=live_sandbox.fan_id)
    return delivery_key(sandbox_deliver(reward, fan, source="automatic").fan_reward)


def undelivered_titles(live_sandbox: Any) -> list[str]:
    """Titles of rewards the demo fan does not hold yet and that can still be delivered."""
    from tbits_sandbox.models import FanReward

    held = set(
        FanReward.objects.filter(fan_id=live_sandbox.fan_id).values_list(
            "reward__reward_uid", flat=True
        )
    )
    return [
        title
        for title, uid in live_sandbox.rewards.items()
        if uid not in {str(h) for h in held} and title != "Last Season Badge"
    ]


def test_first_poll_records_every_delivery_and_announces_each_once(live_sandbox, announcements):
    expected = sandbox_delivery_uids(live_sandbox)
    assert expected, "the seed delivers rewards"

    first = poll()

    recorded = set(RewardDelivery.objects.values_list("delivery_key", flat=True))
    assert recorded == expected
    assert sorted(announcements.keys) == sorted(expected)
    assert first["new"] == first["announced"] == len(expected)
    demo = RewardDelivery.objects.filter(fan_id=str(live_sandbox.fan_id)).first()
    # An undocumented field of the feed; without it, the business's catalogue names it.
    assert demo.business_id == live_sandbox.business_id
    assert demo.delivered_at is not None and demo.notified_at is not None

    again = poll()
    assert again["received"] == len(expected)
    assert again["new"] == again["announced"] == 0
    assert len(announcements.keys) == len(expected)
    assert RewardDelivery.objects.count() == len(expected)
    assert RewardFeedCursor.objects.count() == 1


def test_a_new_delivery_is_recorded_and_announced_once(live_sandbox, announcements):
    poll()
    before = len(announcements.keys)
    title = undelivered_titles(live_sandbox)[0]
    uid = deliver(live_sandbox, title)

    result = poll()

    assert result["new"] == result["announced"] == 1
    assert announcements.keys[before:] == [uid]
    delivery = announcements.deliveries[-1]
    assert delivery.reward_title == title
    assert delivery.fan_id == str(live_sandbox.fan_id)
    assert delivery.reward_uid == live_sandbox.rewards[title]
    poll()
    assert announcements.keys.count(uid) == 1


def test_cursor_reads_back_a_day_and_moves_only_forward(live_sandbox):
    poll()
    cursor = RewardFeedCursor.objects.get()
    first_position = cursor.position
    batch = deliveries.fetch_updates()
    assert batch.asked_from == (first_position - dt.timedelta(days=1)).astimezone(dt.UTC).date()
    later = deliveries.fetch_updates()
    deliveries.store_updates(later)
    # The earlier batch stored last (a run that queued behind a later one): no step back.
    stored = deliveries.store_updates(batch)
    assert stored.position == later.started_at
    assert RewardFeedCursor.objects.get().position == later.started_at > first_position


def test_overlapping_runs_record_and_announce_each_delivery_once(live_sandbox, announcements):
    titles = undelivered_titles(live_sandbox)
    early = deliveries.fetch_updates()  # run A asks the feed...
    uid = deliver(live_sandbox, titles[0])
    late = deliveries.fetch_updates()  # ...run B asks after a new delivery...
    assert uid not in {deliveries.delivery_key(u) for u in early.updates}
    assert uid in {deliveries.delivery_key(u) for u in late.updates}

    stored_late = deliveries.store_updates(late)  # ...B stores first,
    stored_early = deliveries.store_updates(early)  # then A, with what B already has.
    announced = deliveries.announce_pending() + deliveries.announce_pending()

    everything = sandbox_delivery_uids(live_sandbox)
    assert stored_late.new == len(everything)
    assert stored_early.new == 0
    assert announced == len(everything)
    assert sorted(announcements.keys) == sorted(everything)
    assert RewardDelivery.objects.filter(notified_at__isnull=True).count() == 0


def test_a_delivery_another_run_announced_meanwhile_is_not_announced_again(
    live_sandbox, announcements
):
    deliveries.store_updates(deliveries.fetch_updates())
    owed = RewardDelivery.objects.count()
    assert owed >= 2
    inner: list[int] = []
    started = []

    def other_run(sender: Any, delivery: RewardDelivery, **kwargs: Any) -> None:
        # While this run announces its first delivery, another run announces the rest
        # (after this run listed them as owed).
        if not started:
            started.append(True)
            inner.append(deliveries.announce_pending())

    reward_delivered.connect(other_run, weak=False)
    try:
        outer = deliveries.announce_pending()
    finally:
        reward_delivered.disconnect(other_run)
    assert inner == [owed - 1]
    assert outer == 1
    assert len(announcements.keys) == len(set(announcements.keys)) == owed


def test_a_run_that_dies_while_storing_changes_nothing_and_the_next_run_catches_up(
    live_sandbox, announcements, monkeypatch
):
    poll()
    position = RewardFeedCursor.objects.get().position
    heard = len(announcements.keys)
    uid = deliver(live_sandbox, undelivered_titles(live_sandbox)[0])

    original_save = RewardFeedCursor.save

    def die(self: RewardFeedCursor, *args: Any, **kwargs: Any) -> None:
        # After the new delivery was inserted, before the cursor is written.
        assert RewardDelivery.objects.filter(delivery_key=uid).exists()
        raise RuntimeError("killed half-way")

    monkeypatch.setattr(RewardFeedCursor, "save", die)
    with pytest.raises(RuntimeError, match="killed half-way"):
        poll()
    monkeypatch.setattr(RewardFeedCursor, "save", original_save)

    assert not RewardDelivery.objects.filter(delivery_key=uid).exists()
    assert RewardFeedCursor.objects.get().position == position
    assert len(announcements.keys) == heard

    result = poll()
    assert result["new"] == result["announced"] == 1
    assert announcements.keys[heard:] == [uid]


def test_a_first_run_that_dies_while_storing_leaves_no_cursor(live_sandbox, monkeypatch):
    def die(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("killed before anything was stored")

    monkeypatch.setattr(RewardDelivery.objects, "bulk_create", die)
    with pytest.raises(RuntimeError):
        poll("--since", "2020-01-01")
    # Had the cursor survived, the next run would start a day before now and skip the
    # older period the operator asked for.
    assert not RewardFeedCursor.objects.exists()
    assert not RewardDelivery.objects.exists()


def test_a_run_killed_while_announcing_leaves_the_rest_to_the_next_run(live_sandbox):
    expected = sandbox_delivery_uids(live_sandbox)
    assert len(expected) >= 2
    completed: list[str] = []
    calls = {"n": 0}

    def receiver(sender: Any, delivery: RewardDelivery, **kwargs: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt  # the process is stopped mid-announcement
        completed.append(delivery.delivery_key)

    reward_delivered.connect(receiver, weak=False)
    try:
        with pytest.raises(KeyboardInterrupt):
            poll()
        assert len(completed) == 1
        assert RewardDelivery.objects.count() == len(expected)
        assert RewardDelivery.objects.filter(notified_at__isnull=False).count() == 1
        result = poll()
    finally:
        reward_delivered.disconnect(receiver)
    assert result["new"] == 0
    assert result["announced"] == len(expected) - 1
    assert sorted(completed) == sorted(expected)


def test_a_failing_receiver_neither_stops_the_others_nor_gets_the_delivery_again(
    live_sandbox, announcements, caplog
):
    def broken(sender: Any, **kwargs: Any) -> None:
        raise ValueError("receiver bug")

    reward_delivered.connect(broken, weak=False)
    try:
        first = poll()
    finally:
        reward_delivered.disconnect(broken)
    assert first["announced"] == len(announcements.keys) == RewardDelivery.objects.count()
    assert "receiver" in caplog.text and "failed" in caplog.text
    assert poll()["announced"] == 0


@pytest.mark.sandbox_full  # a delivery's status: an undocumented field of the feed
def test_a_later_status_of_a_known_delivery_updates_it_without_announcing_again(
    live_sandbox, announcements
):
    from tbits_sandbox.models import FanReward

    poll()
    heard = len(announcements.keys)
    held = FanReward.objects.filter(fan_id=live_sandbox.fan_id).first()
    FanReward.objects.filter(pk=held.pk).update(status="redeemed")

    result = poll()

    assert result["updated"] == 1 and result["new"] == 0
    assert RewardDelivery.objects.get(delivery_key=str(held.pk)).status == "redeemed"
    assert len(announcements.keys) == heard


def test_api_failure_changes_nothing_and_says_so(live_sandbox, settings, announcements):
    settings.TBITS = {**settings.TBITS, "API_MAX_RETRIES": 0}
    settings.TBITS_SANDBOX_FAULTS = "reward_updates=503"
    with pytest.raises(CommandError, match="Could not read reward updates") as failure:
        poll()
    assert "Nothing was changed" in str(failure.value)
    assert live_sandbox.api_secret not in str(failure.value)
    assert not RewardFeedCursor.objects.exists()
    assert not RewardDelivery.objects.exists()
    assert announcements.keys == []


def test_since_must_be_a_date(live_sandbox):
    with pytest.raises(CommandError, match="--since must be a date"):
        poll("--since", "yesterday")


def test_feed_is_named_by_host_and_account_never_the_key(settings):
    settings.TBITS = {
        **settings.TBITS,
        "API_BASE_URL": "https://api.example/",
        "API_KEY": "very-secret-key",
        "ACCOUNT_ID": "",
    }
    by_key = deliveries.feed_name()
    assert by_key.startswith("api.example/key/") and "very-secret-key" not in by_key
    settings.TBITS = {**settings.TBITS, "ACCOUNT_ID": "77"}
    assert deliveries.feed_name() == "api.example/account/77"


def test_dashboard_banner_counts_a_polled_delivery_the_cached_fan_data_lacks(live_sandbox, client):
    from tests.loyalty.conftest import log_in_demo_fan

    log_in_demo_fan(client, live_sandbox)
    client.get(reverse("tbits_loyalty:dashboard"))  # records the login's activity first
    client.get(reverse("tbits_loyalty:wallet"))  # the fan has seen every reward they hold
    page = client.get(reverse("tbits_loyalty:dashboard")).content.decode()
    assert "new reward" not in page

    deliver(live_sandbox, undelivered_titles(live_sandbox)[0])
    poll()
    # The fan's rewards are still cached from the wallet (FAN_CACHE_TTL); the poll's record
    # is what tells the dashboard.
    page = client.get(reverse("tbits_loyalty:dashboard")).content.decode()
    assert "You have a new reward." in page


# --- Real overlap: two processes at once ------------------------------------------------


def _subprocess_database(tmp_path: Path) -> tuple[str, Any]:
    """A database URL of the outer run's kind for the pollers, and how to drop it after."""
    if connection.vendor == "postgresql":
        params = connection.settings_dict
        name = f"{params['NAME']}_pollrace"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        auth = params["USER"] + (f":{params['PASSWORD']}" if params.get("PASSWORD") else "")
        url = f"postgres://{auth}@{params['HOST'] or 'localhost'}:{params['PORT'] or 5432}/{name}"

        def drop() -> None:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')

        return url, drop
    return f"sqlite:///{tmp_path / 'pollers.sqlite3'}", lambda: None


def _manage(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_processes_polling_at_once_record_and_announce_each_delivery_once(
    live_sandbox, settings, tmp_path
):
    url, drop = _subprocess_database(tmp_path)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": url,
        "CACHE_URL": "locmemcache://pollers",
        "TBITS_API_BASE_URL": live_sandbox.base_url,
        "TBITS_API_KEY": live_sandbox.api_key,
        "TBITS_API_SECRET": live_sandbox.api_secret,
        "TBITS_ACCOUNT_ID": live_sandbox.account_id,
        "TBITS_BUSINESS_ID": live_sandbox.business_id,
    }
    try:
        migrate = _manage(env, "migrate", "--noinput", "-v", "0")
        _, err = migrate.communicate(timeout=180)
        assert migrate.returncode == 0, err
        # Slow answers make the two runs' requests and writes overlap.
        settings.TBITS_SANDBOX_LATENCY_MS = 400
        runs = [_manage(env, "tbits_poll_rewards") for _ in range(2)]
        outputs = [run.communicate(timeout=180) for run in runs]
        for run, (_out, err) in zip(runs, outputs, strict=True):
            assert run.returncode == 0, err
        summaries = [SUMMARY.search(out) for out, _ in outputs]
        assert all(summaries), outputs
        counts = [{k: int(v) for k, v in s.groupdict().items()} for s in summaries if s]

        check = _manage(
            env,
            "shell",
            "-c",
            "import json; from loyalty.models import RewardDelivery as D, RewardFeedCursor as C; "
            "print(json.dumps({'rows': D.objects.count(), "
            "'keys': sorted(D.objects.values_list('delivery_key', flat=True)), "
            "'owed': D.objects.filter(notified_at__isnull=True).count(), "
            "'cursors': C.objects.count(), 'polls': C.objects.get().polls}))",
        )
        out, err = check.communicate(timeout=120)
        assert check.returncode == 0, err
        state = json.loads(out.strip().splitlines()[-1])
    finally:
        drop()

    expected = sandbox_delivery_uids(live_sandbox)
    assert state["keys"] == sorted(expected)
    assert state["rows"] == len(expected)
    assert state["owed"] == 0
    assert state["cursors"] == 1 and state["polls"] == 2
    # Each delivery was new to exactly one run and announced by exactly one run.
    assert sum(c["new"] for c in counts) == len(expected)
    assert sum(c["announced"] for c in counts) == len(expected)
