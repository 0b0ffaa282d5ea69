"""Quest status per the docs' "Determining Quest Status", each branch and each gap."""

from __future__ import annotations

import pytest

from loyalty.rules import (
    Availability,
    FanStanding,
    LockKind,
    LockReason,
    QuestState,
    availability_at,
    quest_cards,
    quest_status,
    quests_toward_next_tier,
    tier_progress,
)
from tests.loyalty.factories import (
    HOUR,
    NOW,
    SILVER,
    TIERS,
    catalogue,
    needs_points,
    needs_quests,
    needs_tag,
    needs_tier,
    quest,
    show,
)


def status_of(q, cat=None, *, points=0, completed=(), tags=(), now=NOW):
    fan = FanStanding.of(total_points=points, completed=completed, tags=tags)
    return quest_status(q, fan=fan, catalogue=cat or catalogue(q), now=now)


def test_unrestricted_quest_is_active():
    status = status_of(quest(1))
    assert status.state is QuestState.ACTIVE
    assert status.lock is None
    assert status.actionable and status.visible


def test_completed_wins_over_every_restriction():
    for restriction in (
        needs_points(10**6),
        needs_tier(SILVER),
        needs_quests(99),
        needs_tag("vip"),
    ):
        q = quest(1, restriction=restriction)
        status = status_of(q, completed={1})
        assert status.state is QuestState.COMPLETED
        assert status.lock is None
        assert status.visible and not status.actionable


def test_fan_points_gap_names_points_to_go():
    q = quest(1, restriction=needs_points(300))
    assert status_of(q, points=0).lock == LockReason(kind=LockKind.POINTS, points_to_go=300)
    assert status_of(q, points=120).lock == LockReason(kind=LockKind.POINTS, points_to_go=180)
    assert status_of(q, points=300).state is QuestState.ACTIVE
    assert status_of(q, points=301).state is QuestState.ACTIVE


def test_tier_gap_names_tier_and_points_to_go():
    q = quest(1, restriction=needs_tier(SILVER))
    status = status_of(q, points=380)
    assert status.state is QuestState.LOCKED
    assert status.lock == LockReason(kind=LockKind.TIER, points_to_go=120, tier_name="Silver")
    assert status_of(q, points=500).state is QuestState.ACTIVE


def test_unknown_tier_keeps_quest_locked_without_a_name():
    q = quest(1, restriction=needs_tier("gone"))
    status = status_of(q, points=10**6)
    assert status.state is QuestState.LOCKED
    assert status.lock == LockReason(kind=LockKind.TIER)


def test_prerequisites_are_named_in_order_and_only_missing_ones():
    follow = quest(1, "Follow us")
    visit = quest(2, "Visit the site")
    share = quest(3, "Share")
    chained = quest(4, "Chained", restriction=needs_quests(1, 2, 3))
    cat = catalogue(follow, visit, share, chained)
    status = status_of(chained, cat, completed={3})
    assert status.state is QuestState.LOCKED
    assert status.lock == LockReason(
        kind=LockKind.QUESTS, missing_quests=("Follow us", "Visit the site")
    )
    assert status_of(chained, cat, completed={1, 2, 3}).state is QuestState.ACTIVE


def test_hidden_or_deleted_prerequisites_are_counted_not_named():
    secret = quest(1, "Secret", restriction=needs_tag("vip"))
    chained = quest(2, "Chained", restriction=needs_quests(1, 77, 77))
    cat = catalogue(secret, chained)
    assert status_of(chained, cat).lock == LockReason(kind=LockKind.QUESTS, unnamed_missing=2)
    # With the tag the prerequisite becomes visible, so it is named.
    with_tag = status_of(chained, cat, tags={"VIP"})
    assert with_tag.lock == LockReason(
        kind=LockKind.QUESTS, missing_quests=("Secret",), unnamed_missing=1
    )


def test_empty_prerequisite_list_is_met():
    assert status_of(quest(1, restriction=needs_quests())).state is QuestState.ACTIVE


def test_tag_restriction_hides_without_tag_and_compares_case_insensitively():
    q = quest(1, restriction=needs_tag(" VIP "))
    hidden = status_of(q)
    assert hidden.state is QuestState.HIDDEN
    assert not hidden.visible and not hidden.actionable
    assert status_of(q, tags={"vip"}).state is QuestState.ACTIVE
    assert status_of(quest(2, restriction=needs_tag("  "))).state is QuestState.ACTIVE


@pytest.mark.parametrize(
    ("opens", "closes", "expected"),
    [
        (None, None, Availability.OPEN),
        (NOW - HOUR, NOW + HOUR, Availability.OPEN),
        (NOW, None, Availability.OPEN),
        (NOW + HOUR, None, Availability.UPCOMING),
        (None, NOW, Availability.ENDED),
        (None, NOW - HOUR, Availability.ENDED),
    ],
)
def test_availability_window(opens, closes, expected):
    assert availability_at(NOW, opens_at=opens, closes_at=closes) is expected
    status = status_of(quest(1, opens_at=opens, closes_at=closes))
    assert status.availability is expected
    assert status.actionable is (expected is Availability.OPEN)


def test_ended_quest_leaves_the_board_unless_completed():
    q = quest(1, closes_at=NOW - HOUR)
    assert not status_of(q).visible
    assert status_of(q, completed={1}).visible


def test_upcoming_quest_is_shown_with_its_opening_time():
    q = quest(1, opens_at=NOW + 3 * HOUR)
    status = status_of(q)
    assert status.visible and not status.actionable
    assert status.opens_at == NOW + 3 * HOUR


def test_performance_window_narrows_the_quest_dates():
    performance = show("p", start=NOW + HOUR, hours=3)
    q = quest(1, performance_id="p", opens_at=NOW - 10 * HOUR, closes_at=NOW + 2 * HOUR)
    status = status_of(q, catalogue(q, performances=(performance,)))
    assert status.availability is Availability.UPCOMING
    assert status.opens_at == NOW + HOUR
    assert status.closes_at == NOW + 2 * HOUR
    live = status_of(q, catalogue(q, performances=(performance,)), now=NOW + 1.5 * HOUR)
    assert live.availability is Availability.OPEN


def test_unknown_performance_falls_back_to_quest_dates():
    q = quest(1, performance_id="nope")
    assert status_of(q).availability is Availability.OPEN


def test_locked_and_upcoming_keeps_both_facts():
    q = quest(1, restriction=needs_points(50), opens_at=NOW + HOUR)
    status = status_of(q)
    assert status.state is QuestState.LOCKED
    assert status.availability is Availability.UPCOMING
    assert status.lock == LockReason(kind=LockKind.POINTS, points_to_go=50)


def cards_for(*quests_, points=0, completed=()):
    fan = FanStanding.of(total_points=points, completed=completed)
    return quest_cards(quests_, fan=fan, catalogue=catalogue(*quests_), now=NOW)


def test_next_tier_path_takes_largest_rewards_until_threshold():
    quests = [quest(1, points=50), quest(2, points=300), quest(3, points=100), quest(4, points=200)]
    cards = cards_for(*quests, points=120)  # Bronze; Silver is 380 away
    path = quests_toward_next_tier(cards, progress=tier_progress(points=120, tiers=TIERS), limit=3)
    assert [card.quest.quest_id for card in path.cards] == [2, 4]
    assert path.reaches_next and path.points_short == 0


def test_next_tier_path_reports_shortfall():
    cards = cards_for(quest(1, points=10), quest(2, points=20), points=0)
    path = quests_toward_next_tier(cards, progress=tier_progress(points=0, tiers=TIERS), limit=3)
    assert [card.quest.quest_id for card in path.cards] == [2, 1]
    assert not path.reaches_next
    assert path.points_short == 70


def test_next_tier_path_skips_locked_completed_upcoming_and_pointless():
    quests = [
        quest(1, points=500, restriction=needs_points(10_000)),
        quest(2, points=500),
        quest(3, points=500, opens_at=NOW + HOUR),
        quest(4, points=0),
        quest(5, points=40),
    ]
    cards = cards_for(*quests, completed={2})
    path = quests_toward_next_tier(cards, progress=tier_progress(points=0, tiers=TIERS))
    assert [card.quest.quest_id for card in path.cards] == [5]


def test_next_tier_path_prefers_closing_soonest_among_equal_rewards():
    quests = [quest(1, points=100), quest(2, points=100, closes_at=NOW + HOUR)]
    cards = cards_for(*quests)
    path = quests_toward_next_tier(cards, progress=tier_progress(points=0, tiers=TIERS))
    assert [card.quest.quest_id for card in path.cards] == [2]


def test_next_tier_path_at_top_tier_lists_biggest_earners():
    quests = [quest(1, points=5), quest(2, points=50), quest(3, points=20), quest(4, points=30)]
    cards = cards_for(*quests, points=9999)
    path = quests_toward_next_tier(cards, progress=tier_progress(points=9999, tiers=TIERS), limit=2)
    assert [card.quest.quest_id for card in path.cards] == [2, 4]
    assert not path.reaches_next


def test_next_tier_path_limit_zero_is_empty():
    cards = cards_for(quest(1, points=500))
    assert (
        quests_toward_next_tier(cards, progress=tier_progress(points=0, tiers=TIERS), limit=0).cards
        == ()
    )


# --- difference 6: a quest whose dates miss its performance never opens -----------------


def test_difference_6_a_quest_whose_dates_miss_its_performance_never_opens() -> None:
    """Performance: "Quests and rewards can be tied to a specific performance so they only
    appear during that event's timeframe" (loyalty-portal-integration.txt, Key Concepts).
    A quest open next week, tied to a match tomorrow, can never be completed: it is not
    "upcoming" (the board would say "Opens ..." for a day that brings nothing).
    """
    from loyalty.rules import PerformanceWindow

    match = PerformanceWindow("p-1", "Cup final", starts_at=NOW + 4 * HOUR, ends_at=NOW + 28 * HOUR)
    late = quest(1, "Late", opens_at=NOW + 7 * 24 * HOUR, performance_id="p-1")
    cat = catalogue(late, performances=(match,))
    before = status_of(late, cat)
    assert before.availability is Availability.NEVER_OPENS
    assert before.event == match
    assert not before.visible and not before.actionable  # off the board, like an ended one
    gone = status_of(late, cat, now=NOW + 8 * 24 * HOUR)
    assert gone.availability is Availability.ENDED and not gone.visible
    # A quest whose dates meet the match opens with it, as before.
    on_time = quest(2, "On time", opens_at=NOW - HOUR, performance_id="p-1")
    cat = catalogue(on_time, performances=(match,))
    assert status_of(on_time, cat).availability is Availability.UPCOMING
    assert status_of(on_time, cat, now=NOW + 5 * HOUR).actionable


def test_difference_6_the_board_says_why_such_a_quest_is_not_available() -> None:
    """The wording of that status names the event, in the fan's language."""
    from django.utils import translation

    from loyalty import wording
    from loyalty.rules import PerformanceWindow, QuestCard, RewardProgress

    match = PerformanceWindow("p-1", "Cup final", starts_at=NOW + 4 * HOUR, ends_at=NOW + 28 * HOUR)
    late = quest(1, "Late", opens_at=NOW + 7 * 24 * HOUR, performance_id="p-1")
    card = QuestCard(late, status_of(late, catalogue(late, performances=(match,))))
    with translation.override("en"):
        assert wording.unavailable_text(card) == (
            "Not available: this quest’s dates are outside Cup final."  # noqa: RUF001
        )
        met = wording.reward_requirement_text(RewardProgress(fraction=1.0), event=match)
        assert met == "Requirement met — yours during Cup final"
        manual = wording.reward_requirement_text(None, event=match)
        assert manual == "Given out by the team. Only during Cup final"
    with translation.override("fr"):
        assert "Cup final" in wording.unavailable_text(card)
        assert "Not available" not in wording.unavailable_text(card)
