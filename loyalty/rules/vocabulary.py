"""The quest kinds and restriction kinds, named once, with what each kind does.

The API's ``quest_type`` and ``access_restriction_type`` values are mapped to these enums
here and nowhere else (:func:`quest_kind`, :func:`restriction_kind`), and
:data:`QUEST_KINDS` says, per kind, how a fan completes it: the board's tiles, the views
that complete quests and the setup file's checks all read that one table.

Pure, like the rest of the rules: the default button texts are plain English marked for
the translation tools; the loyalty adapter translates them and lets a site replace them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from types import MappingProxyType


def gettext_noop(message: str) -> str:
    """Mark ``message`` for the catalogues without translating it (as Django's does).

    xgettext and the catalogue tests find messages by this function's name; importing
    Django's own would break the rules' promise not to import Django.
    """
    return message


class QuestKind(enum.StrEnum):
    """A quest's ``quest_type``: how the fan completes it (in the API docs' order)."""

    CAMPAIGN = "campaign"
    QUICKPICKS = "quickpicks"
    LINK_URL = "link_url"
    SCAN = "scan"
    WRISTBAND = "wristband"
    CUSTOM = "custom"


class QuestAction(enum.StrEnum):
    """What the fan does on a quest's card; each but ``OPEN`` and ``NONE`` has its view."""

    COMPLETE = "complete"  # a button that completes it here
    VISIT = "visit"  # a button that completes it and goes to the quest's own link
    OPEN = "open"  # a link to the campaign, where the quest is completed
    SCAN = "scan"  # an instruction: scan the venue's code, which opens the scan page
    WRISTBAND = "wristband"  # a link to the form for the wristband or ticket number
    NONE = "none"  # nothing to do now: locked, upcoming, completed, or no way to do it

    @property
    def posts(self) -> bool:
        """Whether the card's button submits a form (it completes) rather than links."""
        return self in (QuestAction.COMPLETE, QuestAction.VISIT)


@dataclass(frozen=True)
class QuestKindRule:
    """What one quest kind does.

    ``url_name`` is the portal's URL (without its namespace) that completes the kind, empty
    when it is completed elsewhere. ``button_text`` is the card's default button when the
    quest has no ``button_text`` of its own, empty when the card shows an instruction
    instead. ``at_event`` kinds are done at the venue: the API requires a performance for
    them and an event's list leads with them.
    """

    action: QuestAction
    url_name: str
    button_text: str
    at_event: bool = False

    @property
    def completed_here(self) -> bool:
        """Whether the portal records the completion (campaign quests complete themselves)."""
        return self.action is not QuestAction.OPEN


_CAMPAIGN = QuestKindRule(
    action=QuestAction.OPEN, url_name="", button_text=gettext_noop("Open the campaign")
)

#: Every kind, with what it does: the one table the tiles, the views and the checks read.
QUEST_KINDS: MappingProxyType[QuestKind, QuestKindRule] = MappingProxyType(
    {
        QuestKind.CUSTOM: QuestKindRule(
            action=QuestAction.COMPLETE, url_name="complete", button_text=gettext_noop("Complete")
        ),
        QuestKind.LINK_URL: QuestKindRule(
            action=QuestAction.VISIT, url_name="visit", button_text=gettext_noop("Visit")
        ),
        QuestKind.CAMPAIGN: _CAMPAIGN,
        QuestKind.QUICKPICKS: _CAMPAIGN,
        QuestKind.SCAN: QuestKindRule(
            action=QuestAction.SCAN, url_name="scan", button_text="", at_event=True
        ),
        QuestKind.WRISTBAND: QuestKindRule(
            action=QuestAction.WRISTBAND,
            url_name="wristband",
            button_text=gettext_noop("Enter your wristband or ticket"),
            at_event=True,
        ),
    }
)

#: Kinds done at the event itself (they need a performance, and lead an event's list).
EVENT_QUEST_KINDS = frozenset(kind for kind, rule in QUEST_KINDS.items() if rule.at_event)
#: Kinds played in a Tradable Bits campaign (``target_page_tab_id``).
CAMPAIGN_QUEST_KINDS = frozenset(
    kind for kind, rule in QUEST_KINDS.items() if rule.action is QuestAction.OPEN
)


def quest_kind(value: object) -> QuestKind | None:
    """The kind an API ``quest_type`` names; None for a value this portal does not know."""
    try:
        return QuestKind(str(value))
    except ValueError:
        return None


def kinds_doing(action: QuestAction) -> frozenset[QuestKind]:
    """The kinds whose card does ``action``: what the view for that action may complete."""
    return frozenset(kind for kind, rule in QUEST_KINDS.items() if rule.action is action)


class RestrictionKind(enum.StrEnum):
    """What a quest's ``access_restriction_type`` asks of the fan."""

    FAN_POINTS = "fan_points"
    POINT_TIER = "point_tier"
    QUESTS = "quests"
    TAG = "tag"


def restriction_kind(value: object) -> RestrictionKind | None:
    """The kind an API ``access_restriction_type`` names; None when empty or unknown."""
    try:
        return RestrictionKind(str(value))
    except ValueError:
        return None
