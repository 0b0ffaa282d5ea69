"""Tier progress: where the fan stands among the point tiers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from loyalty.rules.inputs import TierRule


@dataclass(frozen=True)
class TierProgress:
    """The fan's current tier (highest reached), the next one, and how far along they are.

    ``fraction`` runs from 0 at the current tier's threshold (or at zero points below
    the first tier) to 1 at the next tier's; it is 1 once the top tier is reached.
    """

    points: int
    current: TierRule | None
    next: TierRule | None
    points_to_next: int | None
    fraction: float

    @property
    def at_top(self) -> bool:
        """True when there is no higher tier to reach (including when no tiers exist)."""
        return self.next is None

    @property
    def percent(self) -> int:
        """The fraction as a whole percentage, for a progress bar's value."""
        return int(self.fraction * 100)


def ordered_tiers(tiers: Iterable[TierRule]) -> list[TierRule]:
    """Tiers from lowest to highest threshold; equal thresholds keep a stable name order."""
    return sorted(tiers, key=lambda tier: (tier.min_points, tier.name, tier.tier_id))


def tier_progress(*, points: int, tiers: Iterable[TierRule]) -> TierProgress:
    """The fan's tier standing for a point total, per the docs' "highest tier reached"."""
    current: TierRule | None = None
    upcoming: TierRule | None = None
    for tier in tiers:
        if tier.min_points <= points:
            if current is None or _rank(tier) > _rank(current):
                current = tier
        elif upcoming is None or _rank(tier) < _rank(upcoming):
            upcoming = tier
    if upcoming is None:
        return TierProgress(
            points=points, current=current, next=None, points_to_next=None, fraction=1.0
        )
    return TierProgress(
        points=points,
        current=current,
        next=upcoming,
        points_to_next=upcoming.min_points - points,
        fraction=fraction_toward(points=points, floor=_floor(points, current), target=upcoming),
    )


def progress_toward(*, points: int, target: TierRule, tiers: Iterable[TierRule]) -> float:
    """How far ``points`` are toward ``target``: THE progress model of every bar.

    One model everywhere (the dashboard's tier bar, the quest board's, each reward to earn
    in the wallet): from the floor of the tier the fan is in (zero below the first tier) to
    the target's threshold. A fan 50 points into Bronze (100) sees 12% toward Silver (500)
    on every page; two bars under one "350 points to Silver" never disagree.
    """
    current = None
    for tier in tiers:
        if tier.min_points <= points and (current is None or _rank(tier) > _rank(current)):
            current = tier
    return fraction_toward(points=points, floor=_floor(points, current), target=target)


def fraction_toward(*, points: int, floor: int, target: TierRule) -> float:
    """``points`` between ``floor`` (0) and ``target``'s threshold (1), clamped to [0, 1]."""
    if points >= target.min_points:
        return 1.0
    span = target.min_points - floor
    fraction = (points - floor) / span if span > 0 else 0.0
    return min(max(fraction, 0.0), 1.0)


def _floor(points: int, current: TierRule | None) -> int:
    return current.min_points if current is not None else min(0, points)


def _rank(tier: TierRule) -> tuple[int, str, str]:
    return (tier.min_points, tier.name, tier.tier_id)
