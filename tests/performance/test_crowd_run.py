"""A tiny crowd end to end: gunicorn's workers share the fans' sessions and cached data.

Nothing here is timed. Three fans browse for a few seconds against the portal under the
container's gunicorn settings (two workers), each page on a new connection, so a fan's
pages land on either worker. Were the sessions or the cache per process (the in-process
bench's ``:memory:`` database and local-memory caches), a fan would be sent to log in by
the worker that had not seen it, its visit recorded again, or its data fetched again.
"""

from __future__ import annotations

from collections import Counter

from benchmarks.concurrency import Plan, run_crowd


def test_a_small_crowd_shares_sessions_and_data_across_the_workers():
    result = run_crowd(
        Plan(levels=(3, 1), seconds=(2.0, 1.5), think=(0.3, 0.6), arrival_seconds=1.0)
    )
    assert result.workers == 2
    phases = (result.arrival, *result.steady)
    assert sum(item.pages for item in phases) >= 12
    assert [item.errors for item in phases] == [0, 0, 0], [item.views for item in phases]
    assert result.tracebacks == 0
    assert result.log == {}
    calls: Counter[str] = Counter()
    for item in phases:
        assert item.unknown == {}
        calls.update(item.endpoints)
    # Once per fan in the whole run, whichever worker answered: the visit (marked in the
    # session), the fan record (first name, in the session) and the fan's data (in the
    # cache, for FAN_CACHE_TTL). The render's fan was already served before the crowd.
    assert calls["crm_fan_activity_create"] == 3
    assert calls["crm_fan"] == 3
    assert calls["crm_fan_points"] == 3
    assert calls["quest_completions"] == 3
    assert calls["quests"] == 0  # the catalogue, cached before the crowd came
    assert result.render_calls == 0
    assert len(result.render) == 24
