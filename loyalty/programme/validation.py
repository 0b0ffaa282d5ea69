"""Reading and validating a setup file, before any API call.

Every rule of the quest and reward creation tables (loyalty-portal-integration.txt) that
can be checked without the account is checked here, and every problem names the file,
the entity and the field, so an operator fixes the file in one pass instead of meeting
the API's 400s one at a time, half-way through an apply. All problems are collected;
nothing stops at the first.

Fields that the API would silently ignore for a given type (a ``link_url`` on a custom
quest, a ``reward_limit`` of the wrong restriction...) are errors too: the API would not
store them, so the next plan would show them as a change again, forever.

This module reads the file as a whole; the checks are split by what they check:
:mod:`~loyalty.programme.fields` (one table's typed reads), :mod:`~loyalty.programme.points`,
:mod:`~loyalty.programme.quests` and :mod:`~loyalty.programme.rewards` (one entry each),
:mod:`~loyalty.programme.prerequisites` (tiers and quests that entries require), and
:mod:`~loyalty.programme.problems` (how problems are collected and worded).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from loyalty.programme.fields import Table
from loyalty.programme.points import check_tier_minimums, read_point_name, read_tier
from loyalty.programme.prerequisites import check_prerequisites
from loyalty.programme.problems import ProgrammeInvalid, Report, SetupProblem, entity_name
from loyalty.programme.quests import read_quest
from loyalty.programme.rewards import read_reward
from loyalty.programme.spec import Programme, QuestSpec, RewardSpec, TierSpec

__all__ = ["ProgrammeInvalid", "SetupProblem", "load_programme", "parse_programme"]

_Spec = TypeVar("_Spec", TierSpec, QuestSpec, RewardSpec)
_TOP_LEVEL = ("business_id", "point_type", "tiers", "quests", "rewards")


def parse_programme(text: str, *, source: str) -> Programme:
    """Validate a setup file's text; ProgrammeInvalid lists every problem found."""
    report = Report(source)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        report.add("the file", "", f"is not valid TOML: {error}")
        raise ProgrammeInvalid(report.problems) from None

    top = Table(report, "the file", raw)
    for key in _TOP_LEVEL:
        top.known.add(key)
    business_id = top.integer("business_id", minimum=1, maximum=2**63 - 1)
    point_name = read_point_name(report, raw.get("point_type"))
    tiers = _entries(report, top.table_list("tiers"), read_tier)
    quests = _entries(report, top.table_list("quests"), read_quest)
    rewards = _entries(report, top.table_list("rewards"), read_reward)
    top.finish()

    _unique(report, tiers, key="tier_name", kind="tier")
    _unique(report, quests, key="quest_title", kind="quest")
    _unique(report, rewards, key="reward_title", kind="reward")
    check_tier_minimums(report, tiers)

    programme = Programme(
        source=source,
        point_name=point_name or "",
        tiers=tuple(tiers),
        quests=tuple(quests),
        rewards=tuple(rewards),
        business_id=business_id,
    )
    check_prerequisites(report, programme)
    if report.problems:
        raise ProgrammeInvalid(report.problems)
    return programme


def load_programme(path: str | Path) -> Programme:
    """Read and validate a setup file; OSError when it cannot be read."""
    file = Path(path)
    text = file.read_text(encoding="utf-8")
    return parse_programme(text, source=str(path))


def _entries(
    report: Report,
    tables: Iterable[Mapping[str, Any]],
    read: Callable[[Report, int, Mapping[str, Any]], _Spec | None],
) -> list[_Spec]:
    """Every entry of an array of tables that ``read`` could make sense of, numbered from 1.

    An entry too broken to read is left out (its problems are reported), so the checks of
    the whole file still run on the others.
    """
    return [
        spec
        for position, raw in enumerate(tables, start=1)
        if (spec := read(report, position, raw)) is not None
    ]


def _unique(report: Report, items: Iterable[Any], *, key: str, kind: str) -> None:
    """Report entries whose matching key repeats an earlier one's."""
    seen: dict[str, int] = {}
    for item in items:
        value = getattr(item, key)
        if value in seen:
            report.add(
                entity_name(kind, item.position, value),
                key,
                f"duplicates {kind} #{seen[value]}: {key} must be unique (it is how "
                "the file is matched to the account)",
            )
        else:
            seen[value] = item.position
