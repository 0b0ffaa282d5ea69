"""The logged-in fan's own reads: balance, completions, tags, rewards held, history.

Each is kept briefly per fan (:func:`loyalty.cache.cached_personal`): a fan expects to see
their own progress, so it is not served stale unless the API fails. Whatever of it a page
lacks is fetched at once, in one round trip (:mod:`loyalty.selectors.batch`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from accounts.api import get_client
from accounts.fan import fan_first_name, remember_first_name
from loyalty import mapping, rules
from loyalty.app_settings import loyalty_settings
from loyalty.cache import Cached, cache_key, cached_personal, expire, is_fresh
from loyalty.selectors.batch import Answers, Calls, Source, answers
from loyalty.selectors.business import (
    BusinessSnapshot,
    business_is_read,
    business_snapshot,
    event_timezone,
    selected_business_id,
)
from loyalty.selectors.memo import memoised, request_memo
from tbits_client import Fan, FanPoint, FanReward

# The points history page: the last 90 days, at most 50 entries (newest first).
HISTORY_DAYS = 90
HISTORY_SIZE = 50


@dataclass(frozen=True)
class FanSnapshot:
    """A fan's own data for one business.

    ``rewards`` is None when the page did not ask for them: only pages that show the
    rewards a fan holds fetch them (see :func:`loyalty.selectors.portal_state`).
    """

    points: int
    completed: frozenset[int]
    rewards: tuple[FanReward, ...] | None
    tags: frozenset[str]


def held_reward(fan_reward: FanReward, *, key: str = "") -> rules.HeldReward:
    """A reward the fan holds as the rules see it, its bare times in the event's zone."""
    return mapping.held_reward(fan_reward, zone=event_timezone(), key=key)


# --- Cache keys and calls -------------------------------------------------------------------


def _fan_key(business_id: str, fan_id: object) -> str:
    return cache_key("fan", business_id, fan_id)


def _fan_rewards_key(business_id: str, fan_id: object) -> str:
    return cache_key("fan-rewards", business_id, fan_id)


def fan_tags_key(fan_id: object) -> str:
    """The cache key of a fan's CRM tags (account-wide: the fan record is not per business)."""
    return cache_key("fan-tags", fan_id)


# Prefixed: these share one batch with the catalogue's calls.


def _fan_calls(business_id: str, fan_id: Any) -> Calls:
    client = get_client()
    return {
        "fan:completions": partial(client.completions, business_id, fan_id),
        "fan:points": partial(client.fan_points, fan_id),
    }


def _fan_rewards_calls(business_id: str, fan_id: Any) -> Calls:
    return {"fan:rewards": partial(get_client().fan_rewards, business_id, fan_id)}


def _fan_tags_calls(fan_id: Any) -> Calls:
    return {"fan:record": partial(get_client().fan, fan_id)}


def _may_use_tags(request: HttpRequest, found: Answers) -> bool:
    """Whether a quest may be tag-restricted, as far as is known without waiting for a call.

    Unknown (the catalogue is neither cached nor answered yet) counts as yes: a cold page
    asks for the fan record with everything else, one call that may go unused, rather than
    wait for the quests and then spend a second round trip on it.
    """
    if business_is_read(request):
        return business_snapshot(request).value.uses_tags
    quests = found.peek("quests")
    return quests is None or mapping.uses_tags(quests)


def fan_sources(request: HttpRequest, *, with_rewards: bool) -> list[Source]:
    """What :func:`fan_snapshot` reads, for :meth:`Answers.prefetch`."""
    fan_id = request.fan.fan_id  # type: ignore[attr-defined]
    business_id = selected_business_id(request)
    ttl = int(loyalty_settings.FAN_CACHE_TTL)
    tags_ttl = int(loyalty_settings.FAN_TAGS_CACHE_TTL)
    sources = [
        Source(
            ready=lambda: is_fresh(_fan_key(business_id, fan_id), ttl=ttl),
            calls=lambda _: _fan_calls(business_id, fan_id),
        ),
        Source(
            ready=lambda: is_fresh(fan_tags_key(fan_id), ttl=tags_ttl),
            calls=lambda found: _fan_tags_calls(fan_id) if _may_use_tags(request, found) else {},
        ),
        # The fan record once per login, for the greeting (see fan_snapshot): in the same
        # round trip as the rest, never a call of its own.
        Source(
            ready=lambda: fan_first_name(request) is not None,
            calls=lambda _: _fan_tags_calls(fan_id),
        ),
    ]
    if with_rewards:
        sources.append(
            Source(
                ready=lambda: is_fresh(_fan_rewards_key(business_id, fan_id), ttl=ttl),
                calls=lambda _: _fan_rewards_calls(business_id, fan_id),
            )
        )
    return sources


# --- The fan's snapshot -----------------------------------------------------------------------


def fan_snapshot(request: HttpRequest, *, with_rewards: bool = True) -> Cached[FanSnapshot]:
    """The logged-in fan's balance, completions, tags and (if asked) rewards, in one round trip.

    The rewards are cached apart from the rest: a page that shows none (the quest board)
    does not fetch them, and a page that does, right after it, fetches only them.
    """
    fan_id = request.fan.fan_id  # type: ignore[attr-defined]
    business_id = selected_business_id(request)
    memo = request_memo(request)
    if not with_rewards and "fan+rewards" in memo:
        return memo["fan+rewards"]

    def compute() -> Cached[FanSnapshot]:
        business = business_snapshot(request).value
        ttl = int(loyalty_settings.FAN_CACHE_TTL)
        found = answers(request)
        # Whatever of the three is missing goes out at once, before any is read.
        found.prefetch(fan_sources(request, with_rewards=with_rewards))
        core = cached_personal(
            _fan_key(business_id, fan_id),
            lambda: _load_fan(business, business_id, fan_id, found),
            ttl=ttl,
        )
        parts = [core]
        snapshot = core.value
        if business.uses_tags:
            tags = cached_personal(
                fan_tags_key(fan_id),
                lambda: _load_fan_tags(request, fan_id, found),
                ttl=int(loyalty_settings.FAN_TAGS_CACHE_TTL),
            )
            parts.append(tags)
            snapshot = replace(snapshot, tags=tags.value)
        if with_rewards:
            rewards = cached_personal(
                _fan_rewards_key(business_id, fan_id),
                lambda: _load_fan_rewards(business_id, fan_id, found),
                ttl=ttl,
            )
            parts.append(rewards)
            snapshot = replace(snapshot, rewards=rewards.value)
        else:
            snapshot = replace(snapshot, rewards=None)
        if fan_first_name(request) is None:
            _read_first_name(request, fan_id, found)
        return Cached(snapshot, any(part.degraded for part in parts))

    return memoised(request, "fan+rewards" if with_rewards else "fan", compute)


def _load_fan(
    business: BusinessSnapshot, business_id: str, fan_id: Any, found: Answers
) -> FanSnapshot:
    results = found.take(_fan_calls(business_id, fan_id))
    return FanSnapshot(
        points=mapping.balance(
            results["fan:points"].unwrap(),
            point_uid=business.point_uid,
            point_name=business.point_name,
        ),
        completed=frozenset(results["fan:completions"].unwrap().completed_ids),
        rewards=None,
        tags=frozenset(),  # filled from their own cache entry by fan_snapshot
    )


def _load_fan_rewards(business_id: str, fan_id: Any, found: Answers) -> tuple[FanReward, ...]:
    results = found.take(_fan_rewards_calls(business_id, fan_id))
    return tuple(results["fan:rewards"].unwrap())


def _read_first_name(request: HttpRequest, fan_id: Any, found: Answers) -> None:
    """Keep the fan's first name from the record fetched with this page, if it came.

    A failed read leaves it unknown (the page greets the fan without it) and the next page
    asks again; it never fails the page.
    """
    result = found.take(_fan_tags_calls(fan_id))["fan:record"]
    if result.ok:
        remember_first_name(request, result.value.first_name)


def _load_fan_tags(request: HttpRequest, fan_id: Any, found: Answers) -> frozenset[str]:
    """The fan's CRM tags, which only decide who sees a tag-restricted quest.

    Cached for ``FAN_TAGS_CACHE_TTL`` (the catalogue's five minutes by default), not the
    fan data's 30 seconds: tags are CRM attributes an operator sets, not progress the fan
    makes on the page, and who sees which quest already follows the catalogue's TTL. A
    new login reads them fresh (:mod:`loyalty.receivers`). One call fewer per warm page.
    """
    record: Fan = found.take(_fan_tags_calls(fan_id))["fan:record"].unwrap()
    remember_first_name(request, record.first_name)
    return frozenset(record.tags)


def forget_fan(request: HttpRequest) -> None:
    """Make the fan's cached data due (after a completion) so the next read is fresh.

    The last good copy stays as the fallback: when the re-read fails, the pages show it
    flagged as stale instead of answering 503 for data the portal had.
    """
    fan = request.fan  # type: ignore[attr-defined]
    business_id = selected_business_id(request)
    expire(_fan_key(business_id, fan.fan_id))
    expire(_fan_rewards_key(business_id, fan.fan_id))
    request_memo(request).pop("fan", None)
    request_memo(request).pop("fan+rewards", None)


# --- History ------------------------------------------------------------------------------------


def points_history(request: HttpRequest) -> Cached[tuple[FanPoint, ...]]:
    """The fan's point transactions over the last ``HISTORY_DAYS``, newest first.

    Fetched on every visit (a fan checks it right after earning points); the last copy is
    kept only to show, flagged, while the API fails, as the other pages do.
    """
    fan = request.fan  # type: ignore[attr-defined]
    snapshot = business_snapshot(request).value
    today = timezone.now().date()
    start = today - dt.timedelta(days=HISTORY_DAYS)

    def load() -> tuple[FanPoint, ...]:
        rows = get_client().fan_points_ledger(
            start_date=start.isoformat(),
            end_date=(today + dt.timedelta(days=1)).isoformat(),
            point_uid=snapshot.point_uid,
            fan_id=fan.fan_id,
            limit=HISTORY_SIZE,
        )
        zone = event_timezone()
        epoch = dt.datetime.min.replace(tzinfo=dt.UTC)

        def created(row: FanPoint) -> dt.datetime:
            return mapping.aware(row.creation_timestamp, zone=zone) or epoch

        return tuple(sorted(rows, key=created, reverse=True))

    key = cache_key("history", selected_business_id(request), fan.fan_id)
    return memoised(request, "history", lambda: cached_personal(key, load, ttl=0))
