"""Quest status per the docs' "Determining Quest Status", plus availability windows.

The order of the checks is the documented one: a completed quest is completed whatever
else holds; then the access restriction decides between hidden (tag not held), locked
(with the gap named) and active. Availability (the quest's own dates and the window of
the performance it is tied to) is reported next to the status rather than folded into it,
so a page can say "opens Friday" for an upcoming quest the fan has already unlocked.

A quest whose own dates do not meet its performance's window ("Quests and rewards can be
tied to a specific performance so they only appear during that event's timeframe",
loyalty-portal-integration.txt) can never be completed: it is ``NEVER_OPENS`` until the
later of the two starts, never "upcoming", then ended. Like an ended quest, the board
leaves it out; ``manage.py tbits_check`` warns the operator about it.
"""

from __future__ import annotations

import enum
import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from loyalty.rules.inputs import (
    Catalogue,
    FanStanding,
    PerformanceWindow,
    QuestRule,
)
from loyalty.rules.tiers import TierProgress
from loyalty.rules.vocabulary import RestrictionKind


class QuestState(enum.StrEnum):
    """The documented statuses of a quest for one fan."""

    COMPLETED = "completed"
    LOCKED = "locked"
    ACTIVE = "active"
    HIDDEN = "hidden"


class Availability(enum.StrEnum):
    """Where now falls in the quest's window."""

    OPEN = "open"
    UPCOMING = "upcoming"
    ENDED = "ended"
    NEVER_OPENS = "never_opens"  # its window is empty: its dates miss its performance's


class LockKind(enum.StrEnum):
    """Which gap keeps a quest locked; the tag restriction hides rather than locks."""

    POINTS = "points"
    TIER = "tier"
    QUESTS = "quests"


@dataclass(frozen=True)
class LockReason:
    """The gap between the fan and an unlocked quest, in terms a page can phrase.

    ``points_to_go`` serves both point and tier locks. ``tier_name`` is empty when the
    quest names a tier the business no longer has. ``missing_quests`` are the titles of
    prerequisites still to complete, in the quest's own order; prerequisites that cannot be
    named (deleted, or hidden from this fan) are only counted in ``unnamed_missing``.
    """

    kind: LockKind
    points_to_go: int = 0
    tier_name: str = ""
    missing_quests: tuple[str, ...] = ()
    unnamed_missing: int = 0


@dataclass(frozen=True)
class QuestStatus:
    """One quest's status for one fan at one moment."""

    state: QuestState
    availability: Availability
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    lock: LockReason | None = None
    #: The performance the quest is tied to, when the catalogue knows it.
    event: PerformanceWindow | None = None

    @property
    def visible(self) -> bool:
        """Whether the board shows it: never when hidden; ended, or never to open, only if
        completed (a fan can do nothing with either; ``tbits_check`` names the latter)."""
        if self.state is QuestState.HIDDEN:
            return False
        return self.state is QuestState.COMPLETED or self.availability not in (
            Availability.ENDED,
            Availability.NEVER_OPENS,
        )

    @property
    def actionable(self) -> bool:
        """Whether the fan can complete it right now."""
        return self.state is QuestState.ACTIVE and self.availability is Availability.OPEN


@dataclass(frozen=True)
class QuestCard:
    """A quest with its status, the unit every board group is made of."""

    quest: QuestRule
    status: QuestStatus


def quest_window(
    quest: QuestRule, performance: PerformanceWindow | None
) -> tuple[datetime | None, datetime | None]:
    """The quest's own dates narrowed to its performance's window when it has one."""
    opens_at, closes_at = quest.opens_at, quest.closes_at
    if performance is not None:
        starts, ends = performance.starts_at, performance.ends_at
        opens_at = starts if opens_at is None else max(opens_at, starts)
        closes_at = ends if closes_at is None else min(closes_at, ends)
    return opens_at, closes_at


def window_is_empty(opens_at: datetime | None, closes_at: datetime | None) -> bool:
    """Whether a window closes no later than it opens: what it holds can never be done."""
    return opens_at is not None and closes_at is not None and opens_at >= closes_at


def availability_at(
    now: datetime, *, opens_at: datetime | None, closes_at: datetime | None
) -> Availability:
    """Upcoming before ``opens_at``, ended from ``closes_at`` on, open in between.

    An empty window (``opens_at`` not before ``closes_at``) never opens: ``NEVER_OPENS``
    until ``opens_at``, rather than "upcoming" for a day that brings nothing, then ended.
    """
    if opens_at is not None and window_is_empty(opens_at, closes_at):
        return Availability.ENDED if now >= opens_at else Availability.NEVER_OPENS
    if opens_at is not None and now < opens_at:
        return Availability.UPCOMING
    if closes_at is not None and now >= closes_at:
        return Availability.ENDED
    return Availability.OPEN


def quest_status(
    quest: QuestRule, *, fan: FanStanding, catalogue: Catalogue, now: datetime
) -> QuestStatus:
    """The status of ``quest`` for ``fan`` at ``now``, per "Determining Quest Status"."""
    performance = catalogue.performances_by_id.get(quest.performance_id)
    opens_at, closes_at = quest_window(quest, performance)
    availability = availability_at(now, opens_at=opens_at, closes_at=closes_at)

    def status(state: QuestState, lock: LockReason | None = None) -> QuestStatus:
        return QuestStatus(
            state=state,
            availability=availability,
            opens_at=opens_at,
            closes_at=closes_at,
            lock=lock,
            event=performance,
        )

    if quest.quest_id in fan.completed_quest_ids:
        return status(QuestState.COMPLETED)
    if is_hidden(quest, fan=fan):
        return status(QuestState.HIDDEN)
    lock = lock_reason(quest, fan=fan, catalogue=catalogue)
    if lock is not None:
        return status(QuestState.LOCKED, lock)
    return status(QuestState.ACTIVE)


def is_hidden(quest: QuestRule, *, fan: FanStanding) -> bool:
    """A tag-restricted quest is hidden from fans without the tag (an empty tag hides nothing)."""
    restriction = quest.restriction
    if restriction is None or restriction.kind is not RestrictionKind.TAG:
        return False
    tag = restriction.tag.strip().casefold()
    return bool(tag) and tag not in fan.tags


def lock_reason(quest: QuestRule, *, fan: FanStanding, catalogue: Catalogue) -> LockReason | None:
    """The gap that keeps ``quest`` locked for ``fan``, or None when its restriction is met."""
    restriction = quest.restriction
    if restriction is None:
        return None
    if restriction.kind is RestrictionKind.FAN_POINTS:
        gap = restriction.points_required - fan.total_points
        return LockReason(kind=LockKind.POINTS, points_to_go=gap) if gap > 0 else None
    if restriction.kind is RestrictionKind.POINT_TIER:
        tier = catalogue.tiers_by_id.get(restriction.tier_id)
        if tier is None:
            # A tier the business no longer has cannot be reached: keep the quest locked
            # rather than hand out what the operator restricted.
            return LockReason(kind=LockKind.TIER)
        gap = tier.min_points - fan.total_points
        if gap <= 0:
            return None
        return LockReason(kind=LockKind.TIER, points_to_go=gap, tier_name=tier.name)
    if restriction.kind is RestrictionKind.QUESTS:
        return _prerequisite_gap(restriction.required_quest_ids, fan=fan, catalogue=catalogue)
    return None


def _prerequisite_gap(
    required: tuple[int, ...], *, fan: FanStanding, catalogue: Catalogue
) -> LockReason | None:
    named: list[str] = []
    unnamed = 0
    seen: set[int] = set()
    for quest_id in required:
        if quest_id in fan.completed_quest_ids or quest_id in seen:
            continue
        seen.add(quest_id)
        prerequisite = catalogue.quests_by_id.get(quest_id)
        if prerequisite is None or is_hidden(prerequisite, fan=fan):
            # Naming a quest the fan cannot see would leak it; still count it.
            unnamed += 1
        else:
            named.append(prerequisite.title)
    if not named and not unnamed:
        return None
    return LockReason(kind=LockKind.QUESTS, missing_quests=tuple(named), unnamed_missing=unnamed)


def quest_cards(
    quests: Iterable[QuestRule], *, fan: FanStanding, catalogue: Catalogue, now: datetime
) -> list[QuestCard]:
    """Every quest with its status, in the catalogue's order."""
    return [
        QuestCard(quest=quest, status=quest_status(quest, fan=fan, catalogue=catalogue, now=now))
        for quest in quests
    ]


@dataclass(frozen=True)
class TierPath:
    """The fewest open quests that get the fan to the next tier, largest first.

    ``reaches_next`` says whether completing them all crosses the threshold; when it
    does not, ``points_short`` is what would still be missing. At the top tier the path is
    simply the biggest point earners.
    """

    cards: tuple[QuestCard, ...]
    reaches_next: bool
    points_short: int


def quests_toward_next_tier(
    cards: Iterable[QuestCard],
    *,
    progress: TierProgress,
    limit: int = 3,
    doable: Callable[[QuestCard], bool] | None = None,
) -> TierPath:
    """Pick up to ``limit`` actionable quests that reach the next tier in the fewest steps.

    Taking the largest rewards first minimises the number of quests to a threshold; among
    equal rewards the one closing soonest goes first, so nothing the fan could do now
    slips away. ``heapq.nlargest`` keeps this linear in the number of quests.

    ``doable`` keeps only the quests the fan can act on from where they are (the page
    knows: a button or link it can show, not a code to scan at a gate or a campaign with no
    address): a recommendation the fan cannot follow is a dead end.
    """
    candidates = (
        card
        for card in cards
        if card.status.actionable
        and card.quest.points_reward > 0
        and (doable is None or doable(card))
    )
    best = heapq.nlargest(max(limit, 0), candidates, key=_earning_key)
    if progress.points_to_next is None:
        return TierPath(cards=tuple(best), reaches_next=False, points_short=0)
    chosen: list[QuestCard] = []
    earned = 0
    for card in best:
        if earned >= progress.points_to_next:
            break
        chosen.append(card)
        earned += card.quest.points_reward
    short = max(progress.points_to_next - earned, 0)
    return TierPath(cards=tuple(chosen), reaches_next=short == 0, points_short=short)


def _earning_key(card: QuestCard) -> tuple[int, float, int]:
    closes = card.status.closes_at
    # Sooner closing ranks higher; "never closes" ranks lowest among equal rewards.
    urgency = -closes.timestamp() if closes is not None else -float("inf")
    return (card.quest.points_reward, urgency, -card.quest.quest_id)
