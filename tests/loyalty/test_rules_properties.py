"""Property tests: invariants of the rules over generated quests, tiers, fans and times."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from loyalty.rules import (
    Catalogue,
    FanStanding,
    HeldReward,
    PerformanceWindow,
    QuestRule,
    QuestState,
    RequirementKind,
    Restriction,
    RestrictionKind,
    RewardRule,
    RewardStanding,
    TierRule,
    quest_board,
    quest_cards,
    quest_status,
    quests_toward_next_tier,
    reward_card,
    reward_wallet,
    tier_progress,
)
from tests.loyalty.factories import NOW

QUEST_IDS = st.integers(min_value=1, max_value=12)
TAGS = st.sampled_from(["vip", "season", "press"])
offsets = st.integers(min_value=-48, max_value=48).map(lambda hours: NOW + timedelta(hours=hours))

tiers_st = st.lists(
    st.builds(
        TierRule,
        tier_id=st.sampled_from(["t1", "t2", "t3", "t4"]),
        name=st.sampled_from(["Bronze", "Silver", "Gold"]),
        min_points=st.integers(min_value=0, max_value=5000),
    ),
    max_size=4,
    unique_by=lambda tier: tier.tier_id,
)

restrictions = st.one_of(
    st.none(),
    st.builds(
        Restriction, kind=st.just(RestrictionKind.FAN_POINTS), points_required=st.integers(0, 5000)
    ),
    st.builds(
        Restriction,
        kind=st.just(RestrictionKind.POINT_TIER),
        tier_id=st.sampled_from(["t1", "t2", "t9"]),
    ),
    st.builds(
        Restriction,
        kind=st.just(RestrictionKind.QUESTS),
        required_quest_ids=st.lists(QUEST_IDS, max_size=4).map(tuple),
    ),
    st.builds(Restriction, kind=st.just(RestrictionKind.TAG), tag=TAGS),
)

quest_st = st.builds(
    QuestRule,
    quest_id=QUEST_IDS,
    title=st.text(min_size=1, max_size=8),
    points_reward=st.integers(0, 1000),
    quest_type=st.sampled_from(["custom", "scan", "wristband", "link_url", "campaign"]),
    restriction=restrictions,
    opens_at=st.one_of(st.none(), offsets),
    closes_at=st.one_of(st.none(), offsets),
    performance_id=st.sampled_from(["", "p1", "p2", "unknown"]),
)

performance_st = st.builds(
    lambda pid, start, hours: PerformanceWindow(pid, pid, start, start + timedelta(hours=hours)),
    st.sampled_from(["p1", "p2"]),
    offsets,
    st.integers(1, 12),
)


@st.composite
def scenarios(draw):
    quests = draw(st.lists(quest_st, max_size=12, unique_by=lambda q: q.quest_id))
    performances = draw(st.lists(performance_st, max_size=2, unique_by=lambda p: p.performance_id))
    catalogue = Catalogue(
        tiers=tuple(draw(tiers_st)), quests=tuple(quests), performances=tuple(performances)
    )
    fan = FanStanding.of(
        total_points=draw(st.integers(0, 6000)),
        completed=draw(st.lists(QUEST_IDS, max_size=8)),
        tags=draw(st.lists(TAGS, max_size=2)),
    )
    return catalogue, fan, draw(offsets)


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_status_invariants(scenario):
    catalogue, fan, now = scenario
    for quest in catalogue.quests:
        status = quest_status(quest, fan=fan, catalogue=catalogue, now=now)
        if quest.quest_id in fan.completed_quest_ids:
            assert status.state is QuestState.COMPLETED
        if status.state is QuestState.COMPLETED:
            assert status.lock is None
        assert (status.state is QuestState.LOCKED) == (status.lock is not None)
        if status.state is QuestState.HIDDEN:
            assert not status.visible and not status.actionable
        if status.actionable:
            assert status.state is QuestState.ACTIVE and status.visible
        if status.lock is not None and status.lock.points_to_go:
            assert status.lock.points_to_go > 0


@settings(max_examples=300, deadline=None)
@given(scenarios(), st.integers(0, 5000), st.lists(QUEST_IDS, max_size=5))
def test_more_points_or_completions_never_lock_or_hide_an_active_quest(scenario, extra, more):
    catalogue, fan, now = scenario
    richer = FanStanding(
        total_points=fan.total_points + extra,
        completed_quest_ids=fan.completed_quest_ids | set(more),
        tags=fan.tags,
    )
    for quest in catalogue.quests:
        before = quest_status(quest, fan=fan, catalogue=catalogue, now=now)
        after = quest_status(quest, fan=richer, catalogue=catalogue, now=now)
        if before.state is QuestState.ACTIVE:
            assert after.state in (QuestState.ACTIVE, QuestState.COMPLETED)
        if before.state is QuestState.COMPLETED:
            assert after.state is QuestState.COMPLETED


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_board_shows_every_visible_quest_once_and_no_hidden_one(scenario):
    catalogue, fan, now = scenario
    cards = quest_cards(catalogue.quests, fan=fan, catalogue=catalogue, now=now)
    board = quest_board(cards, catalogue=catalogue, now=now)
    shown = [card.quest.quest_id for card in board.cards()]
    assert len(shown) == len(set(shown))
    assert set(shown) == {card.quest.quest_id for card in cards if card.status.visible}
    assert all(card.status.state is not QuestState.HIDDEN for card in board.cards())
    assert board.event_day == any(group.live for group in board.events)


@settings(max_examples=300, deadline=None)
@given(tiers_st, st.integers(-100, 8000), st.integers(0, 3000))
def test_tier_progress_invariants(tiers, points, extra):
    progress = tier_progress(points=points, tiers=tiers)
    assert 0.0 <= progress.fraction <= 1.0
    if progress.current is not None:
        assert progress.current.min_points <= points
        assert all(
            t.min_points <= progress.current.min_points for t in tiers if t.min_points <= points
        )
    if progress.next is not None:
        assert progress.next.min_points > points
        assert progress.points_to_next == progress.next.min_points - points > 0
    else:
        assert all(t.min_points <= points for t in tiers)
    later = tier_progress(points=points + extra, tiers=tiers)
    rank = lambda p: -1 if p.current is None else p.current.min_points  # noqa: E731
    assert rank(later) >= rank(progress)


@settings(max_examples=200, deadline=None)
@given(scenarios(), st.integers(0, 6))
def test_tier_path_is_actionable_ordered_and_bounded(scenario, limit):
    catalogue, fan, now = scenario
    cards = quest_cards(catalogue.quests, fan=fan, catalogue=catalogue, now=now)
    progress = tier_progress(points=fan.total_points, tiers=catalogue.tiers)
    path = quests_toward_next_tier(cards, progress=progress, limit=limit)
    assert len(path.cards) <= limit
    assert all(card.status.actionable and card.quest.points_reward > 0 for card in path.cards)
    rewards = [card.quest.points_reward for card in path.cards]
    assert rewards == sorted(rewards, reverse=True)
    if progress.points_to_next is not None:
        assert path.reaches_next == (sum(rewards) >= progress.points_to_next)


reward_st = st.builds(
    RewardRule,
    reward_id=st.sampled_from(["a", "b", "c", "d", "e"]),
    title=st.just("R"),
    requirement=st.sampled_from(list(RequirementKind)),
    tier_id=st.sampled_from(["t1", "t2", "t9"]),
    required_quest_ids=st.lists(QUEST_IDS, max_size=3).map(tuple),
    expires_at=st.one_of(st.none(), offsets),
    remaining=st.one_of(st.none(), st.integers(0, 3)),
)
held_st = st.builds(
    HeldReward,
    reward_id=st.sampled_from(["a", "b", "x"]),
    delivered_at=st.one_of(st.none(), offsets),
    expires_at=st.one_of(st.none(), offsets),
)


@settings(max_examples=300, deadline=None)
@given(
    scenarios(),
    st.lists(reward_st, max_size=5, unique_by=lambda r: r.reward_id),
    st.lists(held_st, max_size=4),
)
def test_wallet_places_each_reward_exactly_once(scenario, rewards, held):
    catalogue, fan, now = scenario
    wallet = reward_wallet(rewards, held, fan=fan, catalogue=catalogue, now=now)
    groups = [
        wallet.held,
        wallet.expired,
        wallet.on_its_way,
        wallet.working_toward,
        wallet.unavailable,
        wallet.manual,
    ]
    placed = [card for group in groups for card in group]
    held_ids = {copy.reward_id for copy in held}
    assert len(placed) == len(held) + sum(1 for r in rewards if r.reward_id not in held_ids)
    for card in wallet.held + wallet.expired:
        assert card.held is not None
    for card in wallet.working_toward:
        assert card.held is None and card.progress is not None and card.progress.fraction < 1.0
        assert card.standing is RewardStanding.WORKING_TOWARD
    for card in wallet.on_its_way:
        assert card.progress is not None and card.progress.fraction >= 1.0


@settings(max_examples=300, deadline=None)
@given(
    scenarios(),
    st.lists(reward_st, max_size=5, unique_by=lambda r: r.reward_id),
    st.lists(held_st, max_size=4),
)
def test_wallet_judges_each_reward_as_it_would_alone(scenario, rewards, held):
    # The wallet works out the fan's progress toward each tier once for all its rewards.
    catalogue, fan, now = scenario
    wallet = reward_wallet(rewards, held, fan=fan, catalogue=catalogue, now=now)
    held_ids = {copy.reward_id for copy in held}
    judged = {
        card.reward_id: card
        for group in (wallet.on_its_way, wallet.working_toward, wallet.unavailable, wallet.manual)
        for card in group
    }
    for reward in rewards:
        if reward.reward_id not in held_ids:
            alone = reward_card(reward, held=None, fan=fan, catalogue=catalogue, now=now)
            assert judged[reward.reward_id] == alone
