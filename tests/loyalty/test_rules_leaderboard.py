"""The leaderboard's fan row at the live balance, its periods, the fans around the fan and
hidden names (loyalty.rules.leaderboard)."""

from __future__ import annotations

import datetime as dt

from loyalty.rules import (
    LeaderboardPeriod,
    fans_around,
    leaderboard_period,
    leaderboard_with_fan,
    period_start,
    without_hidden_names,
)

ROWS = [("1", "Jordan", 900), ("7", "Me", 150), ("2", "Priya", 400), ("3", "Chris", 50)]


def test_the_fans_row_uses_the_live_balance_and_ranks_are_counted_again() -> None:
    board = leaderboard_with_fan(ROWS, fan_id="7", fan_points=450, complete=True)
    assert [(e.rank, e.fan_id, e.points) for e in board.entries] == [
        (1, "1", 900),
        (2, "7", 450),
        (3, "2", 400),
        (4, "3", 50),
    ]
    assert board.mine is not None and board.mine.is_fan and board.mine.rank == 2
    assert (board.to_overtake, board.overtake_rank) == (451, 1)


def test_first_place_has_nobody_to_overtake_and_ties_share_a_rank() -> None:
    board = leaderboard_with_fan(ROWS, fan_id="7", fan_points=900, complete=True)
    assert board.mine is not None and board.mine.rank == 1
    assert [e.rank for e in board.entries] == [1, 1, 3, 4]
    assert board.to_overtake == 0


def test_a_fan_below_a_truncated_scan_has_no_rank_but_one_without_a_row_can_enter() -> None:
    assert leaderboard_with_fan(ROWS, fan_id="9", fan_points=10, complete=False).mine is None
    board = leaderboard_with_fan(ROWS, fan_id="9", fan_points=60, complete=False)
    assert board.mine is not None and board.mine.rank == 4
    assert (board.to_overtake, board.overtake_rank) == (91, 3)
    assert leaderboard_with_fan(ROWS, fan_id="9", fan_points=0, complete=True).mine is None


# --- periods, the fans around you, hidden names ---------------------------------------

TODAY = dt.date(2026, 12, 6)


def test_each_period_is_one_start_date_for_the_documented_call() -> None:
    season = dt.date(2026, 8, 1)
    assert period_start(
        LeaderboardPeriod.LAST_30_DAYS, today=TODAY, season_start=season, season_days=365
    ) == dt.date(2026, 11, 6)
    assert (
        period_start(LeaderboardPeriod.SEASON, today=TODAY, season_start=season, season_days=365)
        == season
    )
    # No season start (or one still to come): the season is the last LEADERBOARD_DAYS days.
    for start in (None, dt.date(2027, 1, 1)):
        assert period_start(
            LeaderboardPeriod.SEASON, today=TODAY, season_start=start, season_days=365
        ) == dt.date(2025, 12, 6)
    assert leaderboard_period("30d") is LeaderboardPeriod.LAST_30_DAYS
    assert leaderboard_period("all-time") is LeaderboardPeriod.SEASON
    assert leaderboard_period(None) is LeaderboardPeriod.SEASON


def _board(fan_points: int, count: int = 12) -> object:
    rows = [(str(n), f"Fan {n}", 1000 - n * 10) for n in range(1, count + 1)]
    return leaderboard_with_fan(rows, fan_id="me", fan_points=fan_points, complete=True)


def test_the_fans_around_you_are_two_above_and_two_below() -> None:
    board = _board(915)  # between Fan 8 (920) and Fan 9 (910): rank 9
    around = fans_around(board)
    assert [e.fan_id for e in around] == ["7", "8", "me", "9", "10"]
    assert board.mine is not None and board.mine in around


def test_at_the_top_or_bottom_the_window_shifts_and_without_a_rank_it_is_empty() -> None:
    assert [e.fan_id for e in fans_around(_board(5000))] == ["me", "1", "2", "3", "4"]
    assert [e.fan_id for e in fans_around(_board(1))] == ["9", "10", "11", "12", "me"]
    assert [e.fan_id for e in fans_around(_board(500, count=2))] == ["1", "2", "me"]
    assert fans_around(_board(0)) == ()


def test_hidden_names_are_blanked_and_ranks_and_gaps_are_unchanged() -> None:
    shown = leaderboard_with_fan(ROWS, fan_id="7", fan_points=450, complete=True)
    blanked = leaderboard_with_fan(
        without_hidden_names(ROWS, hidden=frozenset({"1"})),
        fan_id="7",
        fan_points=450,
        complete=True,
    )
    assert [e.display_name for e in blanked.entries] == ["", "", "Priya", "Chris"]
    assert [(e.rank, e.points) for e in blanked.entries] == [
        (e.rank, e.points) for e in shown.entries
    ]
    assert (blanked.to_overtake, blanked.overtake_rank) == (451, 1)
