"""Whose names the leaderboard hides: each fan's choice, kept in the portal's database.

Read once per leaderboard page for the fans it lists (one query), written when the fan
flips the switch. Reads and writes take the fan id from the logged-in session only.
"""

from __future__ import annotations

from collections.abc import Iterable

from loyalty.models import LeaderboardName


def hidden_fan_ids(fan_ids: Iterable[str]) -> frozenset[str]:
    """Which of ``fan_ids`` chose to hide their name."""
    wanted = {str(fan_id) for fan_id in fan_ids}
    if not wanted:
        return frozenset()
    rows = LeaderboardName.objects.filter(fan_id__in=wanted, hidden=True)
    return frozenset(rows.values_list("fan_id", flat=True))


def name_hidden(fan_id: str) -> bool:
    """Whether this fan hides their name from other fans."""
    return LeaderboardName.objects.filter(fan_id=str(fan_id), hidden=True).exists()


def set_name_hidden(*, fan_id: str, hidden: bool) -> None:
    """Record the fan's choice; it applies on every other fan's next leaderboard page."""
    LeaderboardName.objects.update_or_create(fan_id=str(fan_id), defaults={"hidden": hidden})
