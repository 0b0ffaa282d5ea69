"""What the host site gets for running the portal: probes and read-only admin pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from loyalty.models import RewardDelivery, RewardFeedCursor

pytestmark = pytest.mark.django_db

DELIVERIES = "/admin/tbits_loyalty/rewarddelivery/"
CURSORS = "/admin/tbits_loyalty/rewardfeedcursor/"


@pytest.fixture
def recorded() -> RewardDelivery:
    now = timezone.now()
    RewardFeedCursor.objects.create(feed="nest.tradablebits.com/account/1001", position=now)
    RewardDelivery.objects.create(
        feed="nest.tradablebits.com/account/1001",
        delivery_key="fr-1",
        business_id="2002",
        fan_id="501",
        reward_uid="rw-concession",
        reward_title="Concession Voucher",
        reward_type="coupon",
        status="delivered",
        delivered_at=now - dt.timedelta(hours=2),
    )
    return RewardDelivery.objects.create(
        feed="nest.tradablebits.com/account/1001",
        delivery_key="fr-2",
        business_id="2002",
        fan_id="777",
        reward_uid="rw-badge",
        reward_title="Bronze Member Badge",
        reward_type="badge",
        status="used",
        delivered_at=now - dt.timedelta(days=3),
        notified_at=now,
    )


def test_the_probes_mount_with_one_include(client: Any) -> None:
    assert client.get("/ops/healthz").json() == {"status": "ok"}
    ready = client.get("/ops/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "ok", "cache": "ok", "api": "closed"}


def test_deliveries_list_filter_and_search_for_a_superuser(
    admin_client: Any, recorded: RewardDelivery
) -> None:
    index = admin_client.get("/admin/").content.decode()
    assert "Reward deliveries" in index and "Reward feed cursors" in index

    listing = admin_client.get(DELIVERIES)
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Concession Voucher" in html and "Bronze Member Badge" in html
    assert "Add reward delivery" not in html  # no add button
    assert 'name="action"' not in html  # no bulk delete action

    used = admin_client.get(DELIVERIES, {"status": "used"}).content.decode()
    assert "Bronze Member Badge" in used and "Concession Voucher" not in used
    owed = admin_client.get(DELIVERIES, {"notified_at__isempty": "1"}).content.decode()
    assert "Concession Voucher" in owed and "Bronze Member Badge" not in owed
    found = admin_client.get(DELIVERIES, {"q": "777"}).content.decode()
    assert "Bronze Member Badge" in found and "Concession Voucher" not in found


def test_a_delivery_opens_read_only(admin_client: Any, recorded: RewardDelivery) -> None:
    page = admin_client.get(f"{DELIVERIES}{recorded.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Bronze Member Badge" in html
    assert 'name="_save"' not in html and 'name="reward_title"' not in html


def test_nobody_can_add_change_or_delete(admin_client: Any, recorded: RewardDelivery) -> None:
    assert admin_client.get(f"{DELIVERIES}add/").status_code == 403
    assert admin_client.get(f"{DELIVERIES}{recorded.pk}/delete/").status_code == 403
    assert (
        admin_client.post(f"{DELIVERIES}{recorded.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    changed = admin_client.post(
        f"{DELIVERIES}{recorded.pk}/change/", {"reward_title": "Edited", "status": "x"}
    )
    assert changed.status_code == 403
    bulk = admin_client.post(
        DELIVERIES, {"action": "delete_selected", "_selected_action": [recorded.pk], "post": "yes"}
    )
    assert bulk.status_code in (200, 302)  # the unknown action is refused, nothing deleted
    recorded.refresh_from_db()
    assert recorded.reward_title == "Bronze Member Badge"
    assert RewardDelivery.objects.count() == 2


def test_the_cursor_is_listed_read_only(admin_client: Any, recorded: RewardDelivery) -> None:
    listing = admin_client.get(CURSORS)
    assert listing.status_code == 200
    assert "nest.tradablebits.com/account/1001" in listing.content.decode()
    cursor = RewardFeedCursor.objects.get()
    assert admin_client.get(f"{CURSORS}add/").status_code == 403
    assert admin_client.post(f"{CURSORS}{cursor.pk}/delete/", {"post": "yes"}).status_code == 403
    assert RewardFeedCursor.objects.count() == 1
