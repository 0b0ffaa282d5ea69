"""The leaderboard's fan row at the live balance (loyalty.rules.leaderboard)."""

from __future__ import annotations

from loyalty.rules import leaderboard_with_fan

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
