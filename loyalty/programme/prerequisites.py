"""What a quest or reward asks of a fan first: a tier, or other quests of the file.

Quests (``access_restriction_type``) and rewards (``requirement_type``) name their
prerequisites the same way, by ``tier_name`` and ``quest_title``, since the API's ids do
not exist before the apply. Reading those two fields and checking them against the whole
file change together, so both live here.
"""

from __future__ import annotations

import difflib

from loyalty.programme.fields import Table
from loyalty.programme.problems import Report, entity_name
from loyalty.programme.spec import Programme
from loyalty.programme.vocabulary import NAME_MAX, TITLE_MAX

__all__ = ["check_prerequisites", "read_prerequisites"]


def read_prerequisites(
    table: Table, *, chosen_by: str, needs_tier: bool, needs_quests: bool
) -> tuple[str | None, tuple[str, ...]]:
    """The ``point_tier`` and ``required_quests`` of one entry, as its ``chosen_by`` asks.

    Each is required when ``chosen_by`` (the entry's restriction or requirement field)
    picks it, and refused otherwise: the API would not store it, so every plan would show
    it as a change again.
    """
    point_tier = None
    required_quests: tuple[str, ...] = ()
    if needs_tier:
        point_tier = table.text(
            "point_tier",
            required=True,
            max_length=NAME_MAX,
            why=f" when {chosen_by} is point_tier (the tier_name of a tier)",
        )
    else:
        table.forbid("point_tier", f"is only used when {chosen_by} is point_tier")
    if needs_quests:
        required_quests = table.text_list(
            "required_quests",
            required=True,
            max_length=TITLE_MAX,
            why=f" when {chosen_by} is quests (titles of quests)",
        )
    else:
        table.forbid("required_quests", f"is only used when {chosen_by} is quests")
    return point_tier, required_quests


def check_prerequisites(report: Report, programme: Programme) -> None:
    """Report prerequisites the file does not define, and quests that need themselves."""
    tiers = {tier.tier_name for tier in programme.tiers}
    titles = {quest.quest_title for quest in programme.quests}
    for kind, items in (("quest", programme.quests), ("reward", programme.rewards)):
        for item in items:
            title = item.quest_title if kind == "quest" else item.reward_title
            entity = entity_name(kind, item.position, title)
            if item.point_tier is not None and item.point_tier not in tiers:
                known = ", ".join(sorted(tiers)) or "none"
                report.add(
                    entity,
                    "point_tier",
                    f"names tier {item.point_tier!r}, which this file does not define "
                    f"(its tiers: {known})",
                )
            for required in item.required_quests:
                if required not in titles:
                    close = difflib.get_close_matches(required, sorted(titles), n=1)
                    hint = f"; did you mean {close[0]!r}?" if close else ""
                    report.add(
                        entity,
                        "required_quests",
                        f"names quest {required!r}, which this file does not define{hint}",
                    )
            if kind == "quest" and title in item.required_quests:
                report.add(entity, "required_quests", "a quest cannot require itself")
    _check_cycles(report, programme)


def _check_cycles(report: Report, programme: Programme) -> None:
    """Report each circle of prerequisites once.

    A cycle (A needs B, B needs A) could never be created: each needs the other's id.
    """
    by_title = {quest.quest_title: quest for quest in programme.quests}
    reported: set[frozenset[str]] = set()

    def walk(title: str, path: tuple[str, ...]) -> None:
        quest = by_title.get(title)
        if quest is None:
            return
        for required in quest.required_quests:
            if required == title:
                continue
            if required in path:
                cycle = (*path[path.index(required) :], title, required)
                members = frozenset(cycle)
                if members not in reported:
                    reported.add(members)
                    report.add(
                        entity_name("quest", quest.position, title),
                        "required_quests",
                        "prerequisites go round in a circle: " + " -> ".join(map(repr, cycle)),
                    )
                continue
            walk(required, (*path, title))

    for title in by_title:
        walk(title, ())
