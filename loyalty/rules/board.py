"""The quest board: quests grouped the way a fan scans them, and event-day mode.

Quests tied to a performance are grouped under their event; while an event is on
(its window contains now) the board leads with it, quests done at the venue (scan,
wristband) first, so a fan standing at the gate finds what to do at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from loyalty.rules.inputs import Catalogue, PerformanceWindow
from loyalty.rules.quests import Availability, QuestCard, QuestState
from loyalty.rules.vocabulary import EVENT_QUEST_KINDS


@dataclass(frozen=True)
class EventGroup:
    """The visible, not yet completed quests of one performance."""

    performance: PerformanceWindow
    cards: tuple[QuestCard, ...]
    live: bool
    time_left: timedelta | None

    @property
    def actionable_count(self) -> int:
        """How many of the event's quests the fan can complete now."""
        return sum(1 for card in self.cards if card.status.actionable)


@dataclass(frozen=True)
class QuestBoard:
    """Every visible quest exactly once, in the group a fan would look for it.

    ``events`` holds event-tied quests (live events first, then by start); the status
    groups hold the rest; ``completed`` holds every completed quest, event or not.
    """

    events: tuple[EventGroup, ...]
    available: tuple[QuestCard, ...]
    locked: tuple[QuestCard, ...]
    upcoming: tuple[QuestCard, ...]
    completed: tuple[QuestCard, ...]

    @property
    def live_events(self) -> tuple[EventGroup, ...]:
        """The events on right now; non-empty means the board is in event-day mode."""
        return tuple(group for group in self.events if group.live)

    @property
    def event_day(self) -> bool:
        """Whether an event the quests are tied to is on right now."""
        return any(group.live for group in self.events)

    @property
    def nothing_open(self) -> bool:
        """Whether the fan can complete no quest now, in any group (events included)."""
        return not any(card.status.actionable for card in self.cards())

    def cards(self) -> list[QuestCard]:
        """Every card on the board, each once."""
        grouped = [card for group in self.events for card in group.cards]
        return [*grouped, *self.available, *self.locked, *self.upcoming, *self.completed]


def is_live(performance: PerformanceWindow, *, now: datetime) -> bool:
    """Whether the performance's window contains ``now`` (start inclusive, end exclusive)."""
    return performance.starts_at <= now < performance.ends_at


def live_performances(
    performances: Iterable[PerformanceWindow], *, now: datetime
) -> list[PerformanceWindow]:
    """Performances on right now, the one ending soonest first."""
    return sorted(
        (window for window in performances if is_live(window, now=now)),
        key=lambda window: (window.ends_at, window.performance_id),
    )


def quest_board(cards: Iterable[QuestCard], *, catalogue: Catalogue, now: datetime) -> QuestBoard:
    """Group quest cards into the board; hidden and ended-unfinished quests are left out."""
    by_event: dict[str, list[QuestCard]] = {}
    available: list[QuestCard] = []
    locked: list[QuestCard] = []
    upcoming: list[QuestCard] = []
    completed: list[QuestCard] = []
    performances = catalogue.performances_by_id
    for card in cards:
        status = card.status
        if not status.visible:
            continue
        if status.state is QuestState.COMPLETED:
            completed.append(card)
        elif card.quest.performance_id in performances:
            by_event.setdefault(card.quest.performance_id, []).append(card)
        elif status.availability is Availability.UPCOMING:
            upcoming.append(card)
        elif status.state is QuestState.LOCKED:
            locked.append(card)
        else:
            available.append(card)
    events = [
        _event_group(performances[performance_id], group, now=now)
        for performance_id, group in by_event.items()
    ]
    events.sort(key=lambda group: (not group.live, group.performance.starts_at))
    upcoming.sort(key=lambda card: (card.status.opens_at or now, card.quest.quest_id))
    return QuestBoard(
        events=tuple(events),
        available=tuple(available),
        locked=tuple(locked),
        upcoming=tuple(upcoming),
        completed=tuple(completed),
    )


def _event_group(
    performance: PerformanceWindow, cards: list[QuestCard], *, now: datetime
) -> EventGroup:
    live = is_live(performance, now=now)
    ordered = sorted(cards, key=_event_order)
    return EventGroup(
        performance=performance,
        cards=tuple(ordered),
        live=live,
        time_left=performance.ends_at - now if live else None,
    )


def _event_order(card: QuestCard) -> tuple[int, int, int]:
    """Actionable venue quests, then other actionable ones, then locked, then upcoming."""
    status = card.status
    if status.actionable:
        rank = 0 if card.quest.kind in EVENT_QUEST_KINDS else 1
    elif status.availability is Availability.OPEN:
        rank = 2
    else:
        rank = 3
    return (rank, -card.quest.points_reward, card.quest.quest_id)
