"""After ``tbits_setup`` applies a change, the portal's next page shows it: no CACHE_TTL wait.

The catalogue (quests, rewards, tiers, point type) is cached business-wide for
``CACHE_TTL`` seconds; the command drops it from the shared cache after an apply, so every
process reads the new catalogue on its next page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.fan_login import log_in_demo_fan
from tests.operators.conftest import Run

NEW_QUEST = "Sing the club anthem"
ONE_NEW_QUEST = f"""
[point_type]
point_name = "Fan Points"

[[quests]]
quest_title = "{NEW_QUEST}"
quest_type = "link_url"
quest_description = "Learn the words before the derby."
button_text = "Sing along"
fan_points_reward = 10
link_url = "https://example.com/anthem"
"""


@pytest.fixture(autouse=True)
def _refresh_inline(monkeypatch: Any) -> None:
    # No background refresh thread may outlive the test (it would call the live sandbox).
    monkeypatch.setattr("loyalty.cache.REFRESH_IN_BACKGROUND", False)


def test_the_next_page_after_an_apply_shows_the_change(
    live_sandbox: Any,
    client: Any,
    settings: Any,
    run_command: Callable[..., Run],
    write_file: Callable[[str], str],
) -> None:
    settings.TBITS = {**settings.TBITS, "CACHE_TTL": 3600}  # an hour's wait without the drop
    log_in_demo_fan(client, live_sandbox)
    before = client.get("/portal/quests/")
    assert before.status_code == 200
    assert NEW_QUEST not in before.content.decode()

    applied = run_command("tbits_setup", write_file(ONE_NEW_QUEST))

    assert applied.ok, applied.stderr + str(applied.error)
    assert "Applied 1 change(s)." in applied.stdout
    assert NEW_QUEST in client.get("/portal/quests/").content.decode()


def test_a_plan_leaves_the_cache_alone(
    live_sandbox: Any,
    client: Any,
    run_command: Callable[..., Run],
    write_file: Callable[[str], str],
    monkeypatch: Any,
) -> None:
    dropped: list[object] = []
    monkeypatch.setattr("loyalty.management.commands.tbits_setup.forget_catalogue", dropped.append)
    planned = run_command("tbits_setup", write_file(ONE_NEW_QUEST), "--plan")
    assert planned.ok, planned.error
    assert dropped == []
    assert "Dropped" not in planned.stdout


def test_an_apply_stopped_half_way_still_drops_what_it_changed(
    live_sandbox: Any,
    run_command: Callable[..., Run],
    write_file: Callable[[str], str],
    monkeypatch: Any,
) -> None:
    dropped: list[object] = []
    monkeypatch.setattr("loyalty.management.commands.tbits_setup.forget_catalogue", dropped.append)
    unknown_image = "0f0e2a4c-1111-4a4a-9999-123456789abc"
    broken = ONE_NEW_QUEST + f'media_uid = "{unknown_image}"\n'
    failed = run_command("tbits_setup", write_file(broken))
    assert failed.error is not None and "Stopped after" in failed.error
    assert dropped == [int(live_sandbox.business_id)]


def test_another_process_does_not_serve_its_own_copy_once_dropped() -> None:
    """What makes it every container: their decoded copies are checked against the cache."""
    from loyalty import cache
    from loyalty.selectors.business import forget_catalogue

    key = cache.cache_key("business", "2002")
    cache._store(key, cache._Entry("the old catalogue", fetched_at=0.0))
    copy_in_another_process = cache._decoded[key]
    forget_catalogue(2002)
    cache._decoded[key] = copy_in_another_process  # dropped here; the other still holds it
    assert not cache.is_cached(key)
