"""The quest board's grouping and event-day mode."""

from __future__ import annotations

from loyalty.rules import FanStanding, live_performances, quest_board, quest_cards
from tests.loyalty.factories import (
    HOUR,
    NOW,
    catalogue,
    needs_points,
    needs_tag,
    quest,
    show,
)


def board_for(*quests, performances=(), points=0, completed=(), now=NOW):
    cat = catalogue(*quests, performances=performances)
    fan = FanStanding.of(total_points=points, completed=completed)
    cards = quest_cards(cat.quests, fan=fan, catalogue=cat, now=now)
    return quest_board(cards, catalogue=cat, now=now)


def ids(cards):
    return [card.quest.quest_id for card in cards]


def test_groups_available_locked_upcoming_completed_and_drops_hidden_and_ended():
    board = board_for(
        quest(1),
        quest(2, restriction=needs_points(100)),
        quest(3, opens_at=NOW + 2 * HOUR),
        quest(4, opens_at=NOW + HOUR),
        quest(5),
        quest(6, restriction=needs_tag("vip")),
        quest(7, closes_at=NOW - HOUR),
        quest(8, closes_at=NOW - HOUR),
        completed={5, 8},
    )
    assert ids(board.available) == [1]
    assert ids(board.locked) == [2]
    assert ids(board.upcoming) == [4, 3]  # soonest opening first
    assert ids(board.completed) == [5, 8]
    assert board.events == ()
    assert not board.event_day
    assert sorted(ids(board.cards())) == [1, 2, 3, 4, 5, 8]


def test_event_day_leads_with_live_event_venue_quests_first():
    live = show("live", start=NOW - HOUR, hours=3)
    later = show("later", start=NOW + 24 * HOUR)
    board = board_for(
        quest(1, performance_id="later"),
        quest(2, performance_id="live", quest_type="custom", points=50),
        quest(3, performance_id="live", quest_type="scan", points=10),
        quest(4, performance_id="live", quest_type="wristband", points=20),
        quest(5, performance_id="live", restriction=needs_points(999)),
        quest(6),
        quest(7, performance_id="live"),
        performances=(later, live),
        completed={7},
    )
    assert board.event_day
    first, second = board.events
    assert first.performance == live and first.live
    assert first.time_left == 2 * HOUR
    assert ids(first.cards) == [4, 3, 2, 5]
    assert first.actionable_count == 3
    assert second.performance == later and not second.live and second.time_left is None
    assert ids(board.live_events[0].cards) == ids(first.cards)
    assert ids(board.available) == [6]
    assert ids(board.completed) == [7]


def test_event_quests_outside_window_are_upcoming_or_gone():
    past = show("past", start=NOW - 10 * HOUR, hours=2)
    board = board_for(quest(1, performance_id="past"), performances=(past,))
    assert board.events == ()
    assert not board.event_day


def test_live_performances_end_soonest_first_and_exclusive_end():
    a = show("a", start=NOW - HOUR, hours=5)
    b = show("b", start=NOW - HOUR, hours=2)
    ended = show("c", start=NOW - 2 * HOUR, hours=2)  # ends exactly now
    assert live_performances([a, b, ended], now=NOW) == [b, a]
