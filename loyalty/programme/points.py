"""The setup file's point type and its tiers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from loyalty.programme.fields import Table
from loyalty.programme.problems import Report, entity_name
from loyalty.programme.spec import TierSpec
from loyalty.programme.vocabulary import NAME_MAX

__all__ = ["check_tier_minimums", "read_point_name", "read_tier"]


def read_point_name(report: Report, raw: Any) -> str | None:
    """The ``[point_type]`` table's ``point_name``: the one point type the file sets up."""
    if raw is None:
        report.add("[point_type]", "point_name", "is required: the file must name its point type")
        return None
    if not isinstance(raw, Mapping):
        report.add("[point_type]", "", "must be a table: write [point_type] then point_name = ...")
        return None
    table = Table(report, "[point_type]", raw)
    name = table.text("point_name", required=True, max_length=NAME_MAX)
    table.finish()
    return name


def read_tier(report: Report, position: int, raw: Mapping[str, Any]) -> TierSpec | None:
    """One ``[[tiers]]`` entry; None when it is too broken to plan (reported)."""
    table = Table.entry(report, "tier", position, raw, title_key="tier_name")
    tier_name = table.text("tier_name", required=True, max_length=NAME_MAX)
    min_points = table.integer("min_points", required=True)
    table.finish()
    if tier_name is None or min_points is None:
        return None
    return TierSpec(position=position, tier_name=tier_name, min_points=min_points)


def check_tier_minimums(report: Report, tiers: Sequence[TierSpec]) -> None:
    """Report tiers sharing a minimum: a fan's tier would be ambiguous."""
    minimums: dict[int, TierSpec] = {}
    for tier in tiers:
        if tier.min_points in minimums:
            report.add(
                entity_name("tier", tier.position, tier.tier_name),
                "min_points",
                f"{tier.min_points:,} is also the minimum of tier "
                f"{minimums[tier.min_points].tier_name!r}: a fan's tier would be ambiguous",
            )
        else:
            minimums[tier.min_points] = tier
