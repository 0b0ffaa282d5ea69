"""The quest board's filter chips: All, Open, Locked, Done, At the venue.

Plain links (``?filter=open``) the view reads, so they work without JavaScript; the current
chip is marked ``aria-current``. A filter says which of the board's sections show and, for
"At the venue", which quests in them: the ones done at the venue (a scan, a wristband) and
those of an event.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy, pgettext_lazy

from loyalty import rules

#: Filter key → (chip label, sections shown). The sections are the board's context names.
FILTERS = {
    "all": (
        pgettext_lazy("quest filter", "All"),
        frozenset({"events", "available", "locked", "upcoming", "completed"}),
    ),
    "open": (pgettext_lazy("quest filter", "Open"), frozenset({"events", "available"})),
    "locked": (
        pgettext_lazy("quest filter", "Locked"),
        frozenset({"events", "locked", "upcoming"}),
    ),
    "done": (pgettext_lazy("quest filter", "Done"), frozenset({"completed"})),
    "venue": (
        gettext_lazy("At the venue"),
        frozenset({"events", "available", "locked", "upcoming"}),
    ),
}
DEFAULT = "all"


@dataclass(frozen=True)
class Chip:
    """One filter chip: its label, its link and whether it is the one shown."""

    key: str
    label: str
    url: str
    current: bool


def current_filter(value: str | None) -> str:
    """The filter asked for, or "all" for anything unknown (a stale or hand-typed link)."""
    return value if value in FILTERS else DEFAULT


def chips(current: str) -> list[Chip]:
    """The chips in order, each a link to the board with its filter."""
    return [
        Chip(key, str(label), "?" if key == DEFAULT else f"?filter={key}", key == current)
        for key, (label, _sections) in FILTERS.items()
    ]


def shows(current: str) -> frozenset[str]:
    """The board sections the filter ``current`` shows."""
    return FILTERS[current][1]


def at_the_venue(card: rules.QuestCard) -> bool:
    """Whether a quest is done at the venue: its kind's action is there, or it has an event."""
    rule = rules.QUEST_KINDS.get(card.quest.kind) if card.quest.kind is not None else None
    return bool((rule is not None and rule.at_event) or card.quest.performance_id)


def only_at_the_venue(
    cards: tuple[rules.QuestCard, ...], *, current: str
) -> tuple[rules.QuestCard, ...]:
    """``cards`` as the filter ``current`` shows them (all of them but for "venue")."""
    if current != "venue":
        return cards
    return tuple(card for card in cards if at_the_venue(card))


def event_card_shown(current: str, card: rules.QuestCard) -> bool:
    """Whether an event's quest belongs under the filter ``current``.

    An event groups open, locked and later quests together; "Open" keeps only the ones the
    fan can complete now and "Locked" only the rest, so neither shows the other's cards.
    """
    if current == "open":
        return card.status.actionable
    if current == "locked":
        return not card.status.actionable
    return True
