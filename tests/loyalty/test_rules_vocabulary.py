"""The quest kinds and restriction kinds: API values mapped once, one rule per kind."""

from __future__ import annotations

import pytest

from loyalty.rules import (
    CAMPAIGN_QUEST_KINDS,
    EVENT_QUEST_KINDS,
    QUEST_KINDS,
    QuestAction,
    QuestKind,
    QuestRule,
    RestrictionKind,
    kinds_doing,
    quest_kind,
    restriction_kind,
)


def test_every_kind_has_exactly_one_rule() -> None:
    assert set(QUEST_KINDS) == set(QuestKind)


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("custom", QuestKind.CUSTOM),
        ("link_url", QuestKind.LINK_URL),
        ("scan", QuestKind.SCAN),
        (QuestKind.WRISTBAND, QuestKind.WRISTBAND),
        ("trivia", None),  # a kind the provider may add: known to nobody here yet
        ("", None),
        (None, None),
    ],
)
def test_api_quest_types_map_to_kinds(value: object, kind: QuestKind | None) -> None:
    assert quest_kind(value) is kind


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("fan_points", RestrictionKind.FAN_POINTS),
        ("point_tier", RestrictionKind.POINT_TIER),
        ("quests", RestrictionKind.QUESTS),
        ("tag", RestrictionKind.TAG),
        ("", None),
        (None, None),
        ("age", None),
    ],
)
def test_api_restrictions_map_to_kinds(value: object, kind: RestrictionKind | None) -> None:
    assert restriction_kind(value) is kind


def test_a_quest_rule_knows_its_kind_and_keeps_an_unknown_type() -> None:
    assert QuestRule(1, "A").kind is QuestKind.CUSTOM
    unknown = QuestRule(2, "B", quest_type="trivia")
    assert unknown.kind is None
    assert unknown.quest_type == "trivia"


def test_each_view_completes_only_its_own_kinds() -> None:
    assert kinds_doing(QuestAction.COMPLETE) == {QuestKind.CUSTOM}
    assert kinds_doing(QuestAction.VISIT) == {QuestKind.LINK_URL}
    assert kinds_doing(QuestAction.SCAN) == {QuestKind.SCAN}
    assert kinds_doing(QuestAction.WRISTBAND) == {QuestKind.WRISTBAND}
    assert kinds_doing(QuestAction.OPEN) == CAMPAIGN_QUEST_KINDS
    assert kinds_doing(QuestAction.NONE) == frozenset()


def test_campaign_quests_complete_in_the_campaign_and_the_rest_here() -> None:
    assert {QuestKind.CAMPAIGN, QuestKind.QUICKPICKS} == CAMPAIGN_QUEST_KINDS
    for kind, rule in QUEST_KINDS.items():
        assert rule.completed_here is (kind not in CAMPAIGN_QUEST_KINDS)
        # A kind the portal completes has its page; one completed elsewhere has none.
        assert bool(rule.url_name) is rule.completed_here


def test_venue_kinds_need_an_event() -> None:
    assert {QuestKind.SCAN, QuestKind.WRISTBAND} == EVENT_QUEST_KINDS


def test_buttons_are_for_kinds_the_fan_taps_and_a_scan_has_none() -> None:
    for kind, rule in QUEST_KINDS.items():
        assert bool(rule.button_text) is (kind is not QuestKind.SCAN)
    assert QuestAction.COMPLETE.posts and QuestAction.VISIT.posts
    assert not any(action.posts for action in (QuestAction.OPEN, QuestAction.WRISTBAND))
