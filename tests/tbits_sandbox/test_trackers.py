"""Difference 7 of issue 15: the tracker the docs say a link_url quest gets.

loyalty-portal-integration.txt, "Step 4: Create Quests", quest creation parameters:
"link_url | string | Conditional | Destination URL for link_url quests (tracker
auto-generated)". The tracker's fields follow api-reference.txt, "Misc Calls": "Create New
Tracker" (tracker_id, virtual_domain, tracker_key) and "Get associated with account tracker
events" (tracker_event_uid, is_clicked, tracker_id, fan_id, ip_address, device_type ...).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tbits_sandbox import trackers
from tbits_sandbox.models import FanActivity, Quest, Tracker, TrackerEvent
from tests import fan_login

SHOP = "Visit the club shop"
DESTINATION = "https://example.com/tickets/season"


def create_link_quest(api: Any, title: str = "See the season tickets", **extra: str) -> int:
    """Create a link_url quest through the API; its page_tab_id."""
    data = {"quest_type": "link_url", "quest_title": title, "link_url": DESTINATION, **extra}
    answer = api.post(api.ent("quests"), data)
    assert answer.status_code == 200, answer.json()
    return int(answer.json()["page_tab_id"])


def follow(client: Client, tracker: Tracker, method: str = "get", **headers: str) -> Any:
    """Visit the tracked URL of ``tracker`` as a fan's browser would."""
    path = reverse("tbits_sandbox:tracker_follow", args=[tracker.tracker_key])
    return getattr(client, method)(path, **headers)


def test_difference_7_creating_a_link_url_quest_generates_a_tracker(api: Any) -> None:
    """loyalty-portal-integration.txt: "Destination URL for link_url quests (tracker
    auto-generated)"; api-reference.txt, "Create New Tracker": "tracker_key | Must be
    alphanumeric. One will be generated if not supplied", answering tracker_id,
    virtual_domain, tracker_key.
    """
    page_tab_id = create_link_quest(api)
    tracker = Tracker.objects.get(quest__page_tab_id=page_tab_id)
    assert tracker.target_url == DESTINATION
    assert tracker.page_tab_id == page_tab_id
    assert tracker.account_id == api.seed.account_id
    assert tracker.tracker_name == "See the season tickets"
    assert tracker.virtual_domain == trackers.VIRTUAL_DOMAIN and tracker.is_active
    assert tracker.tracker_key.isalnum() and tracker.tracker_id
    # A second quest gets its own tracker, with another key; other quest types get none.
    other = create_link_quest(api, "Read the match report")
    assert Tracker.objects.get(page_tab_id=other).tracker_key != tracker.tracker_key
    custom = api.post(api.ent("quests"), {"quest_type": "custom", "quest_title": "Say hi"})
    assert not Tracker.objects.filter(page_tab_id=custom.json()["page_tab_id"]).exists()


def test_difference_7_the_seeded_link_url_quests_have_trackers(api: Any) -> None:
    """The seed's quests are written as the API's are, so each link_url one has its tracker."""
    link_quests = Quest.objects.filter(quest_type="link_url", business_id=api.seed.business_id)
    assert link_quests.count() == 3
    for quest in link_quests:
        assert quest.tracker.target_url == quest.link_url and quest.tracker.is_active


def test_difference_7_the_tracked_url_records_a_click_and_redirects_to_link_url(
    api: Any, client: Client
) -> None:
    """api-reference.txt, "Get associated with account tracker events": each event has
    "is_clicked", "tracker_id", "fan_id", "ip_address", "device_type". The tracked URL names
    no fan (no documented parameter does), so fan_id stays null rather than guessed.
    """
    tracker = Tracker.objects.get(page_tab_id=create_link_quest(api))
    phone = "Mozilla/5.0 (Linux; Android 14) Mobile Safari/537.36"
    response = follow(client, tracker, HTTP_USER_AGENT=phone, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 302 and response["Location"] == DESTINATION
    (click,) = TrackerEvent.objects.filter(tracker=tracker)
    assert click.is_clicked and click.fan_id is None and click.activity_id is None
    assert click.ip_address == "203.0.113.7" and click.device_type == "mobile"
    assert click.target_url == DESTINATION
    # Each visit is a click; a HEAD (a link preview) is redirected but not counted.
    assert follow(client, tracker).status_code == 302
    head = follow(client, tracker, method="head")
    assert head.status_code == 302 and head["Location"] == DESTINATION
    assert TrackerEvent.objects.filter(tracker=tracker).count() == 2
    # A key no tracker holds is a page saying so, not a redirect.
    unknown = client.get(reverse("tbits_sandbox:tracker_follow", args=["nosuchkey"]))
    assert unknown.status_code == 404 and "No tracked link" in unknown.content.decode()


def test_difference_7_editing_the_quest_link_url_moves_its_tracker(
    api: Any, client: Client
) -> None:
    """The tracker is the quest's: an edit of link_url moves where the tracked URL sends
    fans, under the same key; a quest that stops being link_url deactivates it.
    """
    quest = Quest.objects.get(page_tab_id=create_link_quest(api))
    before = quest.tracker
    follow(client, before)
    quest.link_url = "https://example.com/tickets/playoffs"
    quest.save()
    after = Tracker.objects.get(pk=before.pk)
    assert after.tracker_key == before.tracker_key
    assert after.target_url == "https://example.com/tickets/playoffs"
    assert follow(client, after)["Location"] == "https://example.com/tickets/playoffs"
    first, second = TrackerEvent.objects.filter(tracker=after).order_by("creation_timestamp")
    assert (first.target_url, second.target_url) == (DESTINATION, after.target_url)
    assert Tracker.objects.count() == Quest.objects.filter(quest_type="link_url").count()
    quest.quest_type = "custom"
    quest.save()
    assert not Tracker.objects.get(pk=before.pk).is_active
    assert follow(client, after).status_code == 410


def test_difference_7_deleting_the_quest_deactivates_its_tracker_and_keeps_its_clicks(
    api: Any, client: Client
) -> None:
    """Deleting the quest stops its tracked URL (410, a page) and keeps the clicks recorded:
    the reading that cannot lose data.
    """
    page_tab_id = create_link_quest(api)
    tracker = Tracker.objects.get(page_tab_id=page_tab_id)
    follow(client, tracker)
    assert api.delete(api.ent(f"quests/{page_tab_id}")).status_code == 200
    tracker.refresh_from_db()
    assert not tracker.is_active and tracker.quest is None and tracker.page_tab_id == page_tab_id
    assert TrackerEvent.objects.filter(tracker=tracker).count() == 1
    gone = follow(client, tracker)
    assert gone.status_code == 410 and "no longer leads anywhere" in gone.content.decode()
    assert TrackerEvent.objects.filter(tracker=tracker).count() == 1


def test_difference_7_the_trackers_page_lists_each_tracker_and_its_clicks(
    api: Any, client: Client
) -> None:
    """Operators developing against the sandbox see the trackers and the clicks (HTML)."""
    tracker = Tracker.objects.get(page_tab_id=create_link_quest(api))
    follow(client, tracker)
    home = client.get(reverse("tbits_sandbox:home")).content.decode()
    assert reverse("tbits_sandbox:trackers") in home
    page = client.get(reverse("tbits_sandbox:trackers")).content.decode()
    tracked = reverse("tbits_sandbox:tracker_follow", args=[tracker.tracker_key])
    assert f'href="{tracked}"' in page and DESTINATION in page
    for seeded in Tracker.objects.exclude(pk=tracker.pk):
        assert seeded.tracker_key in page and seeded.target_url in page
    assert api.seed.api_secret not in page


@pytest.mark.parametrize("documented_only", [True, False], ids=["documented-only", "full"])
def test_difference_7_the_portal_link_quest_completes_and_redirects_to_link_url(
    live_sandbox: Any, client: Client, settings: Any, documented_only: bool
) -> None:
    """The tracked URL is not among the documented quest fields ("Get quests for a
    performance" prints link_url and no tracker), so the portal's visit view records the
    completion and sends the fan to link_url itself, in both sandbox modes; the tracker is
    the sandbox's, and the portal's visit counts no click on it.
    """
    settings.TBITS_SANDBOX_DOCUMENTED_ONLY = documented_only
    fan_login.log_in_demo_fan(client, live_sandbox)
    shop = Quest.objects.get(page_tab_id=live_sandbox.quests[SHOP])
    response = client.post(reverse("tbits_loyalty:visit", args=[shop.page_tab_id]))
    assert response.status_code == 302 and response["Location"] == "https://example.com/shop"
    assert FanActivity.objects.filter(fan_id=live_sandbox.fan_id, quest=shop).exists()
    assert shop.tracker.is_active and not shop.tracker.events.exists()
