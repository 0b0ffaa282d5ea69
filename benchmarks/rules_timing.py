"""How long loyalty's pure rules take for one fan over a large catalogue.

The rules run on every page view, so they must stay linear in quests + rewards. Timed here
on their own (no Django, no I/O): every quest's status, the board, the path to the next
tier, and the wallet, for the stand-in's catalogue at two sizes ten times apart, so the
ratio of the two times shows the growth (10 is linear).
"""

from __future__ import annotations

import datetime as dt
import gc
import statistics
import time
from collections.abc import Iterable
from dataclasses import dataclass

from benchmarks.dataset import Dataset
from benchmarks.naive import _held, _quest_rule, _reward_rule
from loyalty import rules


@dataclass(frozen=True)
class RulesTiming:
    """Milliseconds of the rules for one catalogue size (median and best of the repeats).

    The best is what the code costs; the median adds whatever else the machine was doing.
    """

    quests: int
    rewards: int
    median_ms: float
    best_ms: float


def _inputs(
    quests: int, rewards: int, fan_id: int
) -> tuple[rules.Catalogue, rules.FanStanding, list[rules.RewardRule], list[rules.HeldReward]]:
    data = Dataset(quests=quests, rewards=rewards)
    catalogue = rules.Catalogue(
        tiers=tuple(
            rules.TierRule(
                tier_id=t["point_tier_uid"], name=t["tier_name"], min_points=t["min_points"]
            )
            for t in data.tiers()
        ),
        quests=tuple(_quest_rule(quest) for quest in data.quest_list()),
    )
    fan = rules.FanStanding.of(
        total_points=data.points_of(fan_id),
        completed=data.completed_of(fan_id),
        tags=data.fan(fan_id)["tags"],
    )
    reward_rules = [_reward_rule(reward) for reward in data.reward_list()]
    held = [_held(copy, index) for index, copy in enumerate(data.fan_rewards(fan_id))]
    return catalogue, fan, reward_rules, held


def _evaluate(
    catalogue: rules.Catalogue,
    fan: rules.FanStanding,
    reward_rules: list[rules.RewardRule],
    held: list[rules.HeldReward],
    now: dt.datetime,
) -> None:
    cards = rules.quest_cards(catalogue.quests, fan=fan, catalogue=catalogue, now=now)
    rules.quest_board(cards, catalogue=catalogue, now=now)
    progress = rules.tier_progress(points=fan.total_points, tiers=catalogue.tiers)
    rules.quests_toward_next_tier(cards, progress=progress, limit=3)
    rules.reward_wallet(reward_rules, held, fan=fan, catalogue=catalogue, now=now)


def time_rules(*, quest_counts: Iterable[int], repeats: int = 7) -> list[RulesTiming]:
    """Time the rules for each quest count (rewards a tenth of it), ``repeats`` times each.

    The sizes are interleaved, so load from elsewhere on the machine hits them alike; the
    garbage collector stays on (it is part of the cost) but starts each run from a clean
    slate.
    """
    counts = list(quest_counts)
    times: dict[int, list[float]] = {quests: [] for quests in counts}
    now = dt.datetime.now(dt.UTC)
    for repeat in range(repeats):
        for quests in counts:
            # A fresh catalogue each time: its look-up tables are built lazily, once per
            # page in the portal, so building them belongs in the timing.
            inputs = _inputs(quests, max(quests // 10, 1), fan_id=100_002 + repeat)
            gc.collect()
            started = time.perf_counter()
            _evaluate(*inputs, now=now)
            times[quests].append((time.perf_counter() - started) * 1000)
    return [
        RulesTiming(
            quests,
            max(quests // 10, 1),
            median_ms=statistics.median(times[quests]),
            best_ms=min(times[quests]),
        )
        for quests in counts
    ]
