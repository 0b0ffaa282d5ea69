"""The tracker the provider generates for every ``link_url`` quest, kept in step with it.

loyalty-portal-integration.txt, quest creation: "link_url | string | Conditional | Destination
URL for link_url quests (tracker auto-generated)". The sandbox does the same whichever way a
quest is written (the API's create call, the demo seed, a shell), because the tracker follows
the quest's own save and delete rather than one caller:

- a ``link_url`` quest saved gets a tracker, or its tracker's ``target_url`` and name follow
  the quest's (an edit of ``link_url`` moves where the tracked URL sends fans);
- a quest that stops being a ``link_url`` quest, or is deleted, deactivates its tracker: its
  URL then answers 410 and its recorded clicks stay (the reading that cannot lose data).

The tracked URL is ``/sandbox/t/<tracker_key>`` (``/sandbox/`` stands for the provider's
root). The reference documents the tracker, not the URL a fan follows, so the sandbox serves
every tracker on its own host and names that host ``VIRTUAL_DOMAIN``. A bulk
``QuerySet.update()`` of quests bypasses model saves and is not followed.
"""

from __future__ import annotations

import secrets
import string
from typing import Any

from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver

from tbits_sandbox.models import Quest, Tracker, TrackerEvent
from tbits_sandbox.vocabulary import QuestType

# The "preconfigured" domain the sandbox's trackers answer on: the sandbox itself.
VIRTUAL_DOMAIN = "sandbox.localhost"
# What the provider's tracker lists would group quest trackers under (not documented).
QUEST_TRACKER_GROUP = "quests"
# "Must be alphanumeric. One will be generated if not supplied." (Create New Tracker)
KEY_ALPHABET = string.ascii_letters + string.digits
KEY_LENGTH = 12


def new_tracker_key() -> str:
    """A fresh alphanumeric key no tracker holds yet."""
    while True:
        key = "".join(secrets.choice(KEY_ALPHABET) for _ in range(KEY_LENGTH))
        if not Tracker.objects.filter(tracker_key=key).exists():
            return key


def sync_quest_tracker(quest: Quest) -> Tracker | None:
    """Make the quest's tracker match it; the tracker a link_url quest has, else None."""
    tracker = Tracker.objects.filter(quest=quest).first()
    if quest.quest_type != QuestType.LINK_URL or not quest.link_url:
        if tracker is not None and tracker.is_active:
            tracker.is_active = False
            tracker.save(update_fields=["is_active"])
        return None
    wanted = {
        "tracker_name": quest.quest_title,
        "target_url": quest.link_url,
        "page_tab_id": quest.page_tab_id,
        "is_active": True,
    }
    if tracker is None:
        return Tracker.objects.create(
            account_id=quest.business.account_id,
            quest=quest,
            tracker_group_name=QUEST_TRACKER_GROUP,
            virtual_domain=VIRTUAL_DOMAIN,
            tracker_key=new_tracker_key(),
            **wanted,
        )
    changed = [name for name, value in wanted.items() if getattr(tracker, name) != value]
    for name in changed:
        setattr(tracker, name, wanted[name])
    if changed:
        tracker.save(update_fields=changed)
    return tracker


def deactivate_quest_tracker(quest: Quest) -> None:
    """The quest is going: its tracker stops redirecting, its clicks stay."""
    Tracker.objects.filter(quest=quest).update(is_active=False)


def device_type(user_agent: str) -> str:
    """A rough class of the visitor's device from its User-Agent, as click reports show."""
    if not user_agent:
        return ""
    if "iPad" in user_agent or "Tablet" in user_agent:
        return "tablet"
    if "Mobi" in user_agent or "Android" in user_agent:
        return "mobile"
    return "desktop"


def record_click(
    tracker: Tracker, *, ip_address: str | None, user_agent: str, host_name: str
) -> TrackerEvent:
    """One click of the tracked URL, by a fan the URL does not name (fan_id stays null)."""
    return TrackerEvent.objects.create(
        tracker=tracker,
        is_clicked=True,
        ip_address=ip_address or None,
        device_type=device_type(user_agent),
        host_name=host_name[:253],
        target_url=tracker.target_url,
    )


@receiver(post_save, sender=Quest, dispatch_uid="tbits_sandbox.trackers.quest_saved")
def _quest_saved(sender: type[Quest], instance: Quest, **kwargs: Any) -> None:
    # Runs inside the quest's save: a caller that wraps the save in a transaction (the API's
    # create call, the seed) gets the quest and its tracker both or neither.
    sync_quest_tracker(instance)


@receiver(pre_delete, sender=Quest, dispatch_uid="tbits_sandbox.trackers.quest_deleted")
def _quest_deleted(sender: type[Quest], instance: Quest, **kwargs: Any) -> None:
    deactivate_quest_tracker(instance)
