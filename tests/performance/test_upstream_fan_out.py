"""Upstream calls and round trips per page view, over real HTTP against the stand-in API.

tests/loyalty/test_upstream_calls.py already checks, with ``responses``, that a cold page
fetches each thing once and a page within the TTLs fetches nothing. These add what a
performance regression would break without changing those sets: that a cold page makes
its calls in two round trips and a warm one (the fan's data expired) in one, with only the
calls that page uses, and that the benchmark's naive reference is the documented flow.
Nothing here is timed: round trips are counted from which calls overlapped.
"""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.urls import reverse

from benchmarks.measure import FAN_CALLS_USED, PAGES, fan_data_expired
from benchmarks.standin import CallStats

BUSINESS_WIDE = {
    "businesses",
    "point_types",
    "point_tiers",
    "quests",
    "rewards",
    "performances",
}


def page_url(page: str) -> str:
    return reverse(PAGES[page])


@pytest.mark.parametrize("page", list(PAGES))
def test_cold_page_two_round_trips_warm_page_one_hot_page_none(bench, page):
    fan = bench.new_fan()
    url = page_url(page)
    bench.view(fan, url)  # the first page after login also records the visit

    caches["default"].clear()
    cold = bench.view(fan, url)
    assert cold.status == 200
    assert cold.unknown == {}
    assert set(cold.calls) == BUSINESS_WIDE | FAN_CALLS_USED[page]
    assert all(count == 1 for count in cold.calls.values()), cold.calls
    assert cold.round_trips == 2

    with fan_data_expired():
        warm = bench.view(fan, url)
    assert warm.status == 200
    # The tags (crm_fan) are kept for FAN_TAGS_CACHE_TTL, longer than the rest.
    assert set(warm.calls) == FAN_CALLS_USED[page] - {"crm_fan"}
    assert all(count == 1 for count in warm.calls.values()), warm.calls
    assert warm.round_trips == 1

    with fan_data_expired(tags=True):
        warm_with_tags = bench.view(fan, url)
    assert warm_with_tags.status == 200
    assert set(warm_with_tags.calls) == FAN_CALLS_USED[page]
    assert all(count == 1 for count in warm_with_tags.calls.values()), warm_with_tags.calls
    assert warm_with_tags.call_count <= 4
    assert warm_with_tags.round_trips == 1

    hot = bench.view(fan, url)
    assert hot.status == 200
    assert hot.call_count == 0


def test_wallet_after_quest_board_fetches_only_the_held_rewards(bench):
    fan = bench.new_fan()
    bench.view(fan, page_url("quests"))
    wallet = bench.view(fan, page_url("wallet"))
    assert wallet.calls == {"fan_rewards": 1}


@pytest.mark.urls("benchmarks.urls")
@pytest.mark.parametrize("page", list(PAGES))
def test_naive_reference_is_the_documented_flow_one_call_at_a_time(bench, page):
    sample = bench.view(bench.new_fan(), reverse("naive", args=[page]))
    assert sample.status == 200
    documented = {
        "businesses",
        "point_tiers",
        "fan_point_tier",
        "quests",
        "quest_completions",
        "fan_rewards",
    }
    expected = documented | ({"rewards"} if page == "wallet" else set())
    assert sample.calls == dict.fromkeys(expected, 1)
    assert sample.round_trips == len(expected)


def test_round_trips_count_waves_of_overlapping_calls():
    stats = CallStats(
        calls={},
        unknown={},
        rejected=0,
        connections=0,
        timeline=(
            ("businesses", 0.0, 1.0),
            ("quests", 0.01, 1.02),
            ("tiers", 1.03, 2.0),
            ("fan", 1.05, 2.1),
            ("late", 2.2, 3.0),
        ),
    )
    assert stats.round_trips == 3
    assert CallStats(calls={}, unknown={}, rejected=0, connections=0).round_trips == 0
