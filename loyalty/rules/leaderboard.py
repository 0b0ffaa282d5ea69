"""The leaderboard with the fan's own row at their live balance.

The ranked list is shared and cached for minutes; the fan's balance is read fresh (their
own snapshot). Mixing the two as they come would tell a fan who just earned 300 points that
they still have their old total and rank, so the fan's row is put back in at the live
balance and every rank is counted again from the points shown.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass


class LeaderboardPeriod(enum.StrEnum):
    """The periods a fan can rank over; the documented call takes a start date, no more.

    ``season`` starts on the operator's season start date (``SEASON_START``) or, without
    one, ``LEADERBOARD_DAYS`` ago; ``last_30_days`` 30 days ago. Both are one start date
    sent to the same call: nothing is asked of the API that it does not document.
    """

    SEASON = "season"
    LAST_30_DAYS = "30d"


#: The days the short period covers.
SHORT_PERIOD_DAYS = 30


def leaderboard_period(value: str | None) -> LeaderboardPeriod:
    """The period a query string names; anything else is the season."""
    try:
        return LeaderboardPeriod(value or LeaderboardPeriod.SEASON)
    except ValueError:
        return LeaderboardPeriod.SEASON


def period_start(
    period: LeaderboardPeriod,
    *,
    today: dt.date,
    season_start: dt.date | None,
    season_days: int,
) -> dt.date:
    """The first day a period counts (the leaderboard call's ``start_date``)."""
    if period is LeaderboardPeriod.LAST_30_DAYS:
        return today - dt.timedelta(days=SHORT_PERIOD_DAYS)
    if season_start is not None and season_start <= today:
        return season_start
    return today - dt.timedelta(days=season_days)


@dataclass(frozen=True)
class LeaderboardEntry:
    """One row as the page shows it: rank counted from the points shown (ties share one)."""

    rank: int
    fan_id: str
    display_name: str
    points: int
    is_fan: bool = False


@dataclass(frozen=True)
class Leaderboard:
    """The ranked rows, and the fan's own standing.

    ``mine`` is None when the fan has no points to rank, or when the list is a truncated
    scan that ends above them (their rank is then unknown). ``to_overtake`` is the points
    the fan needs to pass the fan just above them (``overtake_rank`` is that fan's rank);
    both are zero at the top.
    """

    entries: tuple[LeaderboardEntry, ...]
    mine: LeaderboardEntry | None
    to_overtake: int = 0
    overtake_rank: int = 0


def leaderboard_with_fan(
    rows: Iterable[tuple[str, str, int]],
    *,
    fan_id: str,
    fan_points: int,
    complete: bool,
) -> Leaderboard:
    """Rank ``rows`` (fan id, display name, points) with the fan's row at ``fan_points``.

    ``complete`` says the rows are every ranked fan (a scan shorter than its limit): a fan
    below the last row is then ranked after it; otherwise their rank is unknown.
    """
    others = [(fid, name, points) for fid, name, points in rows if fid != fan_id]
    lowest = min((points for _, _, points in others), default=None)
    ranked_fan = fan_points > 0 and (complete or lowest is None or fan_points >= lowest)
    candidates = [(fid, name, points, False) for fid, name, points in others]
    if ranked_fan:
        candidates.append((fan_id, "", fan_points, True))
    # The fan goes first among equals: a tie is shared, and the fan's own row is the one
    # a short list must not cut off.
    candidates.sort(key=lambda row: (-row[2], not row[3]))
    entries = []
    rank = 0
    previous: int | None = None
    for position, (fid, name, points, is_fan) in enumerate(candidates, start=1):
        if points != previous:
            rank, previous = position, points
        entries.append(LeaderboardEntry(rank, fid, name, points, is_fan))
    mine = next((entry for entry in entries if entry.is_fan), None)
    if mine is None or mine.rank == 1:
        return Leaderboard(tuple(entries), mine)
    ahead = max(
        (entry for entry in entries if entry.points > mine.points), key=lambda entry: entry.rank
    )
    return Leaderboard(
        tuple(entries),
        mine,
        to_overtake=ahead.points - mine.points + 1,
        overtake_rank=ahead.rank,
    )


def fans_around(board: Leaderboard, *, reach: int = 2) -> tuple[LeaderboardEntry, ...]:
    """The fan's row and up to ``reach`` rows either side: "you and the fans around you".

    Empty when the fan has no rank (nobody to be around); near the top or the bottom the
    window shifts so it still shows ``2 * reach + 1`` rows where there are that many.
    """
    if board.mine is None:
        return ()
    entries = board.entries
    position = entries.index(board.mine)
    width = 2 * reach + 1
    first = max(0, min(position - reach, len(entries) - width))
    return entries[first : first + width]


def without_hidden_names(
    rows: Iterable[tuple[str, str, int]], *, hidden: frozenset[str]
) -> list[tuple[str, str, int]]:
    """``rows`` with the names of fans who hid theirs blanked (pages show "A fan")."""
    return [(fid, "" if fid in hidden else name, points) for fid, name, points in rows]
