"""Reads: what a portal page needs from the API, fetched once and mapped to rule inputs.

Business-wide data (the business and its branding, point type, tiers, quests, rewards,
performances, leaderboard) goes through the shared stale-while-revalidate cache. A fan's
own data (balance, completions, rewards, tags) is fetched concurrently in one round trip
and kept briefly per fan. Everything a page asks for during one request is memoised on the
request, so nothing is fetched twice for one page.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import zoneinfo
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from accounts.api import business_id as configured_business_id
from accounts.api import get_client
from loyalty import rules
from loyalty.app_settings import loyalty_settings
from loyalty.cache import (
    Cached,
    cache_key,
    cached_personal,
    cached_shared,
    forget,
    is_cached,
    is_fresh,
)
from tbits_client import (
    Business,
    Fan,
    FanPoint,
    FanReward,
    LeaderboardRow,
    Performance,
    Quest,
    Result,
    Reward,
    RewardType,
    TbitsClient,
    TbitsError,
    Tier,
)

logger = logging.getLogger(__name__)

# Leaderboard rows asked for to find the fan's own rank: the API cannot be asked for one
# fan's rank, and 500 rows is one response of a few tens of kB.
LEADERBOARD_SCAN = 500
# The points history page: the last 90 days, at most 50 entries (newest first).
HISTORY_DAYS = 90
HISTORY_SIZE = 50

#: The Django session key holding the business the fan picked (when there are several).
BUSINESS_SESSION_KEY = "tbits_loyalty.business_id"

_MEMO_ATTRIBUTE = "_tbits_loyalty_memo"
_PREFETCHED = "prefetched"


# --- Snapshots ------------------------------------------------------------------------


@dataclass(frozen=True)
class BusinessSnapshot:
    """Everything business-wide a page needs, cached as one value."""

    business: Business
    point_uid: str | None
    point_name: str | None
    tiers: tuple[Tier, ...]
    quests: tuple[Quest, ...]
    rewards: tuple[Reward, ...]
    performances: tuple[Performance, ...]

    @property
    def uses_tags(self) -> bool:
        """Whether any quest is tag-restricted (only then is the fan record worth a call)."""
        return _uses_tags(self.quests)


@dataclass(frozen=True)
class FanSnapshot:
    """A fan's own data for one business.

    ``rewards`` is None when the page did not ask for them: only pages that show the
    rewards a fan holds fetch them (see :func:`portal_state`).
    """

    points: int
    completed: frozenset[int]
    rewards: tuple[FanReward, ...] | None
    tags: frozenset[str]


# --- The business ---------------------------------------------------------------------


def _memo(request: HttpRequest) -> dict[str, Any]:
    memo = getattr(request, _MEMO_ATTRIBUTE, None)
    if memo is None:
        memo = {}
        setattr(request, _MEMO_ATTRIBUTE, memo)
    return memo


def _memoised(request: HttpRequest, name: str, compute: Callable[[], Any]) -> Any:
    memo = _memo(request)
    if name not in memo:
        memo[name] = compute()
    return memo[name]


def _prefetched(request: HttpRequest) -> dict[str, Result[Any]]:
    """Answers :func:`_prefetch_cold` fetched for this request and no loader used yet."""
    return _memo(request).setdefault(_PREFETCHED, {})


def _run(
    calls: dict[str, Callable[[], Any]], prefetched: dict[str, Result[Any]]
) -> dict[str, Result[Any]]:
    """Each call's result: the prefetched answer (used once) if any, else fetched now."""
    ready = {name: prefetched.pop(name) for name in list(calls) if name in prefetched}
    missing = {name: call for name, call in calls.items() if name not in ready}
    return {**ready, **get_client().run_concurrently(missing)}


def list_businesses(request: HttpRequest) -> Cached[tuple[Business, ...]]:
    """The account's businesses the portal may show (``BUSINESS_IDS`` narrows them)."""

    def load() -> tuple[Business, ...]:
        answer = _run({"businesses": get_client().businesses}, _prefetched(request))
        return tuple(answer["businesses"].unwrap())

    def compute() -> Cached[tuple[Business, ...]]:
        cached = cached_shared(cache_key("businesses"), load)
        allowed = loyalty_settings.BUSINESS_IDS
        if not allowed:
            return cached
        wanted = {str(item) for item in allowed}
        kept = tuple(b for b in cached.value if str(b.business_id) in wanted)
        return Cached(kept, cached.degraded)

    return _memoised(request, "businesses", compute)


def selected_business_id(request: HttpRequest) -> str:
    """The business this fan is looking at: their pick if still valid, else the configured."""
    picked = request.session.get(BUSINESS_SESSION_KEY) if hasattr(request, "session") else None
    if picked:
        return str(picked)
    return configured_business_id()


def business_snapshot(request: HttpRequest) -> Cached[BusinessSnapshot]:
    """The selected business's catalogue, through the shared cache."""
    business_id = selected_business_id(request)

    def compute() -> Cached[BusinessSnapshot]:
        businesses = list_businesses(request)
        snapshot = cached_shared(
            cache_key("business", business_id),
            lambda: _load_business(business_id, businesses.value, _prefetched(request)),
        )
        return Cached(snapshot.value, snapshot.degraded or businesses.degraded)

    return _memoised(request, "business", compute)


def _find_business(businesses: Iterable[Business], business_id: str) -> Business | None:
    return next((b for b in businesses if str(b.business_id) == str(business_id)), None)


def _catalogue_calls(client: TbitsClient, business_id: str) -> dict[str, Callable[[], Any]]:
    return {
        "quests": lambda: client.quests(business_id),
        "rewards": lambda: client.rewards(business_id),
        "performances": client.performances,
    }


def _load_business(
    business_id: str, businesses: Iterable[Business], prefetched: dict[str, Result[Any]]
) -> BusinessSnapshot:
    client = get_client()
    business = _find_business(businesses, business_id)
    if business is None:
        raise BusinessNotFound(business_id)
    point_uid, point_name = business.point_uid, business.point_name
    calls = _catalogue_calls(client, business_id)
    if point_uid:
        calls["tiers"] = lambda: client.tiers(point_uid)
    first = _run(calls, prefetched)
    if point_uid:
        tiers = tuple(first["tiers"].unwrap())
    else:
        # A business without a point type assigned: fall back to the account's first one,
        # which is what a single-currency account means. Rare, so a second round trip.
        types = client.point_types()
        if types:
            point_uid, point_name = types[0].point_uid, types[0].point_name
        tiers = tuple(client.tiers(point_uid)) if point_uid else ()
    performances = tuple(
        p
        for p in first["performances"].unwrap()
        if p.business_id is None or str(p.business_id) == str(business_id)
    )
    return BusinessSnapshot(
        business=business,
        point_uid=point_uid,
        point_name=point_name,
        tiers=tiers,
        quests=tuple(first["quests"].unwrap()),
        rewards=tuple(first["rewards"].unwrap()),
        performances=performances,
    )


class BusinessNotFound(TbitsError):
    """The configured or picked business is not one the API lists for this account."""

    def __init__(self, business_id: str) -> None:
        super().__init__(f"Business {business_id} is not listed for this account")


# --- The fan ----------------------------------------------------------------------------


def _fan_key(business_id: str, fan_id: object) -> str:
    return cache_key("fan", business_id, fan_id)


def _fan_rewards_key(business_id: str, fan_id: object) -> str:
    return cache_key("fan-rewards", business_id, fan_id)


def fan_tags_key(fan_id: object) -> str:
    """The cache key of a fan's CRM tags (account-wide: the fan record is not per business)."""
    return cache_key("fan-tags", fan_id)


def fan_snapshot(request: HttpRequest, *, with_rewards: bool = True) -> Cached[FanSnapshot]:
    """The logged-in fan's balance, completions, tags and (if asked) rewards, in one round trip.

    The rewards are cached apart from the rest: a page that shows none (the quest board)
    does not fetch them, and a page that does, right after it, fetches only them.
    """
    fan = request.fan  # type: ignore[attr-defined]
    business_id = selected_business_id(request)
    memo = _memo(request)
    if not with_rewards and "fan+rewards" in memo:
        return memo["fan+rewards"]

    def compute() -> Cached[FanSnapshot]:
        business = business_snapshot(request).value
        client = get_client()
        ttl = int(loyalty_settings.FAN_CACHE_TTL)
        tags_ttl = int(loyalty_settings.FAN_TAGS_CACHE_TTL)
        core_key = _fan_key(business_id, fan.fan_id)
        rewards_key = _fan_rewards_key(business_id, fan.fan_id)
        tags_key = fan_tags_key(fan.fan_id)
        prefetched = _prefetched(request)
        # Whatever of the three is missing goes out at once, before any is read.
        missing: dict[str, Callable[[], Any]] = {}
        if not is_fresh(core_key, ttl=ttl):
            missing.update(_fan_calls(client, business_id, fan.fan_id))
        if business.uses_tags and not is_fresh(tags_key, ttl=tags_ttl):
            missing.update(_fan_tags_calls(client, fan.fan_id))
        if with_rewards and not is_fresh(rewards_key, ttl=ttl):
            missing.update(_fan_rewards_calls(client, business_id, fan.fan_id))
        missing = {name: call for name, call in missing.items() if name not in prefetched}
        if len(missing) > 1:
            prefetched.update(client.run_concurrently(missing))
        core = cached_personal(
            core_key,
            lambda: _load_fan(business, business_id, fan.fan_id, prefetched),
            ttl=ttl,
        )
        parts = [core]
        snapshot = core.value
        if business.uses_tags:
            tags = cached_personal(
                tags_key, lambda: _load_fan_tags(fan.fan_id, prefetched), ttl=tags_ttl
            )
            parts.append(tags)
            snapshot = replace(snapshot, tags=tags.value)
        if with_rewards:
            rewards = cached_personal(
                rewards_key,
                lambda: _load_fan_rewards(business_id, fan.fan_id, prefetched),
                ttl=ttl,
            )
            parts.append(rewards)
            snapshot = replace(snapshot, rewards=rewards.value)
        else:
            snapshot = replace(snapshot, rewards=None)
        return Cached(snapshot, any(part.degraded for part in parts))

    return _memoised(request, "fan+rewards" if with_rewards else "fan", compute)


def _fan_calls(client: TbitsClient, business_id: str, fan_id: Any) -> dict[str, Callable[[], Any]]:
    # Prefixed: these share one prefetch with the catalogue's calls.
    return {
        "fan:completions": lambda: client.completions(business_id, fan_id),
        "fan:points": lambda: client.fan_points(fan_id),
    }


def _fan_rewards_calls(
    client: TbitsClient, business_id: str, fan_id: Any
) -> dict[str, Callable[[], Any]]:
    return {"fan:rewards": lambda: client.fan_rewards(business_id, fan_id)}


def _load_fan_rewards(
    business_id: str, fan_id: Any, prefetched: dict[str, Result[Any]]
) -> tuple[FanReward, ...]:
    results = _run(_fan_rewards_calls(get_client(), business_id, fan_id), prefetched)
    return tuple(results["fan:rewards"].unwrap())


def _fan_tags_calls(client: TbitsClient, fan_id: Any) -> dict[str, Callable[[], Any]]:
    return {"fan:record": lambda: client.fan(fan_id)}


def _load_fan_tags(fan_id: Any, prefetched: dict[str, Result[Any]]) -> frozenset[str]:
    """The fan's CRM tags, which only decide who sees a tag-restricted quest.

    Cached for ``FAN_TAGS_CACHE_TTL`` (the catalogue's five minutes by default), not the
    fan data's 30 seconds: tags are CRM attributes an operator sets, not progress the fan
    makes on the page, and who sees which quest already follows the catalogue's TTL. A
    new login reads them fresh (:mod:`loyalty.receivers`). One call fewer per warm page.
    """
    results = _run(_fan_tags_calls(get_client(), fan_id), prefetched)
    record: Fan = results["fan:record"].unwrap()
    return frozenset(record.tags)


def _uses_tags(quests: Iterable[Quest]) -> bool:
    return any(str(quest.access_restriction_type or "") == "tag" for quest in quests)


def _load_fan(
    business: BusinessSnapshot,
    business_id: str,
    fan_id: Any,
    prefetched: dict[str, Result[Any]],
) -> FanSnapshot:
    results = _run(_fan_calls(get_client(), business_id, fan_id), prefetched)
    return FanSnapshot(
        points=balance(
            results["fan:points"].unwrap(),
            point_uid=business.point_uid,
            point_name=business.point_name,
        ),
        completed=frozenset(results["fan:completions"].unwrap().completed_ids),
        rewards=None,
        tags=frozenset(),  # filled from their own cache entry by fan_snapshot
    )


def balance(rows: Iterable[FanPoint], *, point_uid: str | None, point_name: str | None) -> int:
    """The fan's total in the business's currency: the sum of its rows.

    The API may answer balances or transactions; summing the rows of the right point type
    is correct for both. Rows that name no point type count toward it.
    """
    total = 0
    for row in rows:
        if point_uid and row.point_uid and row.point_uid != point_uid:
            continue
        if not row.point_uid and point_name and row.point_name and row.point_name != point_name:
            continue
        total += row.point_count
    return total


def forget_fan(request: HttpRequest) -> None:
    """Drop the fan's cached data (after a completion) so the next read is fresh."""
    fan = request.fan  # type: ignore[attr-defined]
    business_id = selected_business_id(request)
    forget(_fan_key(business_id, fan.fan_id))
    forget(_fan_rewards_key(business_id, fan.fan_id))
    _memo(request).pop("fan", None)
    _memo(request).pop("fan+rewards", None)


# --- Leaderboard and history ------------------------------------------------------------


def leaderboard(request: HttpRequest) -> Cached[tuple[LeaderboardRow, ...]]:
    """Ranked fans for the business's point type over ``LEADERBOARD_DAYS``, cached shared."""
    snapshot = business_snapshot(request).value
    point_name = snapshot.point_name or ""
    start = (timezone.now() - dt.timedelta(days=int(loyalty_settings.LEADERBOARD_DAYS))).date()

    def load() -> tuple[LeaderboardRow, ...]:
        rows = get_client().leaderboard(
            point_name=point_name,
            start_date=start.isoformat(),
            limit=LEADERBOARD_SCAN,
        )
        return tuple(sorted(rows, key=lambda row: (row.rank or 10**9, -row.fan_point_count)))

    # The business id determines the point name, so the name (free text) stays out of the key.
    key = cache_key("leaderboard", selected_business_id(request), start.isoformat())
    return _memoised(request, "leaderboard", lambda: cached_shared(key, load))


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
        epoch = dt.datetime.min.replace(tzinfo=dt.UTC)
        return tuple(
            sorted(rows, key=lambda row: _aware(row.creation_timestamp) or epoch, reverse=True)
        )

    key = cache_key("history", selected_business_id(request), fan.fan_id)
    return _memoised(request, "history", lambda: cached_personal(key, load, ttl=0))


# --- Mapping API models to rule inputs -----------------------------------------------


def event_timezone() -> dt.tzinfo:
    """The zone in which dates without a time are days (``EVENT_TIMEZONE`` or TIME_ZONE)."""
    name = loyalty_settings.EVENT_TIMEZONE or settings.TIME_ZONE or "UTC"
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def _aware(value: dt.datetime | None, zone: str | None = None) -> dt.datetime | None:
    if value is None or timezone.is_aware(value):
        return value
    tz: dt.tzinfo = event_timezone()
    if zone:
        with contextlib.suppress(zoneinfo.ZoneInfoNotFoundError, ValueError):
            tz = zoneinfo.ZoneInfo(zone)
    return value.replace(tzinfo=tz)


def _day_start(day: dt.date | None) -> dt.datetime | None:
    if day is None:
        return None
    return dt.datetime.combine(day, dt.time.min, tzinfo=event_timezone())


def _day_after(day: dt.date | None) -> dt.datetime | None:
    # End dates are inclusive: a quest that ends on the 14th is open all of the 14th.
    return _day_start(day + dt.timedelta(days=1)) if day is not None else None


def tier_rule(tier: Tier) -> rules.TierRule:
    return rules.TierRule(
        tier_id=tier.point_tier_uid, name=tier.tier_name, min_points=tier.min_points
    )


def quest_rule(quest: Quest) -> rules.QuestRule:
    """A quest as the rules see it; an unknown restriction kind locks nothing but is logged."""
    restriction: rules.Restriction | None = None
    kind = str(quest.access_restriction_type or "")
    if kind:
        try:
            restriction_kind = rules.RestrictionKind(kind)
        except ValueError:
            logger.warning("Quest %s has unknown restriction %r", quest.page_tab_id, kind)
        else:
            restriction = rules.Restriction(
                kind=restriction_kind,
                points_required=quest.fan_points_required or 0,
                tier_id=quest.point_tier_uid or "",
                required_quest_ids=tuple(quest.required_page_tab_ids),
                tag=quest.tag_name or "",
            )
    return rules.QuestRule(
        quest_id=quest.page_tab_id,
        title=quest.quest_title,
        points_reward=quest.fan_points_reward or 0,
        quest_type=str(quest.quest_type),
        restriction=restriction,
        opens_at=_day_start(quest.start_date),
        closes_at=_day_after(quest.end_date),
        performance_id=quest.performance_uid or "",
    )


def performance_window(performance: Performance) -> rules.PerformanceWindow | None:
    """When a performance is on: its own start/end when given, else its whole day."""
    starts = _parse_extra_time(performance.extra.get("start_timestamp"))
    ends = _parse_extra_time(performance.extra.get("end_timestamp"))
    if starts is None:
        starts = _day_start(performance.performance_date)
    if ends is None:
        ends = _day_after(performance.performance_date)
    if starts is None or ends is None:
        return None
    return rules.PerformanceWindow(
        performance_id=performance.performance_uid,
        name=performance.performance_name or "",
        starts_at=starts,
        ends_at=ends,
    )


def _parse_extra_time(value: object) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return _aware(dt.datetime.fromisoformat(value.replace("Z", "+00:00")))
    except ValueError:
        return None


def reward_rule(reward: Reward) -> rules.RewardRule:
    """A catalogue reward as the rules see it; ``remaining`` only when the API tells."""
    requirement = {
        "point_tier": rules.RequirementKind.POINT_TIER,
        "quests": rules.RequirementKind.QUESTS,
    }.get(str(reward.requirement_type or ""), rules.RequirementKind.MANUAL)
    remaining: int | None = None
    if str(reward.winner_selection_model or "") == "first" and reward.reward_limit is not None:
        delivered = reward.extra.get("delivered_count")
        if isinstance(delivered, int):
            remaining = max(reward.reward_limit - delivered, 0)
        elif isinstance(reward.extra.get("remaining"), int):
            remaining = reward.extra["remaining"]
    return rules.RewardRule(
        reward_id=reward.reward_uid,
        title=reward.reward_title,
        reward_type=str(reward.reward_type),
        requirement=requirement,
        tier_id=reward.point_tier_uid or "",
        required_quest_ids=tuple(reward.required_page_tab_ids),
        expires_at=_aware(reward.expiration_timestamp, reward.timezone),
        remaining=remaining,
        performance_id=reward.performance_uid or "",
    )


def held_reward(fan_reward: FanReward, *, key: str = "") -> rules.HeldReward:
    return rules.HeldReward(
        key=key,
        reward_id=fan_reward.reward_uid,
        delivered_at=_aware(fan_reward.delivered_timestamp or fan_reward.creation_timestamp),
        expires_at=_aware(fan_reward.expiration_timestamp),
        valid_from=_aware(fan_reward.access_start_timestamp),
        valid_until=_aware(fan_reward.access_end_timestamp),
    )


@dataclass(frozen=True)
class _Derived:
    """What the rules need of one business snapshot, built once per snapshot object."""

    business: BusinessSnapshot  # held, so the id it is filed under cannot be reused
    zone: str
    catalogue: rules.Catalogue
    reward_rules: tuple[rules.RewardRule, ...]


#: The rules' inputs of the last few business snapshots, by identity. The cache layer hands
#: every page the same decoded snapshot while its version holds, so they are built once per
#: version instead of once per page view (a hundred quests cost ~0.5 ms).
_derived: dict[int, _Derived] = {}
_DERIVED_KEPT = 8


def _derived_of(business: BusinessSnapshot) -> _Derived:
    # Dates without a zone are read in the event time zone: a change of setting rebuilds.
    zone = loyalty_settings.EVENT_TIMEZONE or settings.TIME_ZONE or "UTC"
    entry = _derived.get(id(business))
    if entry is not None and entry.business is business and entry.zone == zone:
        return entry
    windows = (performance_window(p) for p in business.performances)
    entry = _Derived(
        business=business,
        zone=zone,
        catalogue=rules.Catalogue(
            tiers=tuple(tier_rule(tier) for tier in business.tiers),
            quests=tuple(quest_rule(quest) for quest in business.quests),
            performances=tuple(window for window in windows if window is not None),
        ),
        reward_rules=tuple(reward_rule(reward) for reward in business.rewards),
    )
    if len(_derived) >= _DERIVED_KEPT:
        _derived.clear()
    _derived[id(business)] = entry
    return entry


def catalogue_of(business: BusinessSnapshot) -> rules.Catalogue:
    """The rules' view of a business snapshot's tiers, quests and performances."""
    return _derived_of(business).catalogue


def reward_rules_of(business: BusinessSnapshot) -> tuple[rules.RewardRule, ...]:
    """The rules' view of a business snapshot's rewards."""
    return _derived_of(business).reward_rules


@dataclass(frozen=True)
class PortalState:
    """A page's view of the business and the fan, with the rules' inputs built once."""

    business: BusinessSnapshot
    fan: FanSnapshot
    now: dt.datetime
    degraded: bool

    @cached_property
    def catalogue(self) -> rules.Catalogue:
        return catalogue_of(self.business)

    @cached_property
    def standing(self) -> rules.FanStanding:
        return rules.FanStanding.of(
            total_points=self.fan.points, completed=self.fan.completed, tags=self.fan.tags
        )

    @cached_property
    def quests_by_id(self) -> Mapping[int, Quest]:
        return {quest.page_tab_id: quest for quest in self.business.quests}

    @cached_property
    def rewards_by_id(self) -> Mapping[str, Reward]:
        return {reward.reward_uid: reward for reward in self.business.rewards}

    @cached_property
    def performances_by_id(self) -> Mapping[str, Performance]:
        return {p.performance_uid: p for p in self.business.performances}

    @cached_property
    def cards(self) -> list[rules.QuestCard]:
        return rules.quest_cards(
            self.catalogue.quests, fan=self.standing, catalogue=self.catalogue, now=self.now
        )

    @cached_property
    def board(self) -> rules.QuestBoard:
        return rules.quest_board(self.cards, catalogue=self.catalogue, now=self.now)

    @cached_property
    def progress(self) -> rules.TierProgress:
        return rules.tier_progress(points=self.fan.points, tiers=self.catalogue.tiers)

    @cached_property
    def wallet(self) -> rules.Wallet:
        if self.fan.rewards is None:
            raise ValueError("The fan's rewards were not read: use portal_state(with_rewards=True)")
        return rules.reward_wallet(
            reward_rules_of(self.business),
            (held_reward(copy, key=str(i)) for i, copy in enumerate(self.fan.rewards)),
            fan=self.standing,
            catalogue=self.catalogue,
            now=self.now,
        )

    def card_for(self, quest_id: int) -> rules.QuestCard | None:
        """The card of one quest, or None when the business has no such quest."""
        return next((card for card in self.cards if card.quest.quest_id == quest_id), None)


def _prefetch_cold(request: HttpRequest, *, with_rewards: bool) -> None:
    """On a cold cache, make every call whose inputs are known at once: two round trips.

    Taken one dependency at a time, a cold page costs three (the business list, then the
    catalogue, then the fan's data), yet only the tiers need the business (its point type)
    and only the fan record needs the catalogue (whether any quest is tag-restricted). The
    answers wait in the request memo for the loaders, which use them instead of calling; a
    failed call fails the loader that needs it, exactly as without the prefetch.
    """
    business_id = selected_business_id(request)
    if "business" in _memo(request) or is_cached(cache_key("business", business_id)):
        return
    client = get_client()
    fan_id = request.fan.fan_id  # type: ignore[attr-defined]
    first = _catalogue_calls(client, business_id)
    if is_cached(cache_key("businesses")):
        known = _find_business(list_businesses(request).value, business_id)
        known_point_uid = known.point_uid if known is not None else None
        if known_point_uid:
            first["tiers"] = lambda: client.tiers(known_point_uid)
    else:
        first["businesses"] = client.businesses
    ttl = int(loyalty_settings.FAN_CACHE_TTL)
    fan_cold = not is_fresh(_fan_key(business_id, fan_id), ttl=ttl)
    if fan_cold:
        first.update(_fan_calls(client, business_id, fan_id))
    if with_rewards and not is_fresh(_fan_rewards_key(business_id, fan_id), ttl=ttl):
        first.update(_fan_rewards_calls(client, business_id, fan_id))
    results = client.run_concurrently(first)
    second: dict[str, Callable[[], Any]] = {}
    listed = results.get("businesses")
    business = _find_business(listed.value or (), business_id) if listed and listed.ok else None
    if business is not None and business.point_uid:
        point_uid = business.point_uid
        second["tiers"] = lambda: client.tiers(point_uid)
    if (
        results["quests"].ok
        and _uses_tags(results["quests"].value or ())
        and not is_fresh(fan_tags_key(fan_id), ttl=int(loyalty_settings.FAN_TAGS_CACHE_TTL))
    ):
        second.update(_fan_tags_calls(client, fan_id))
    results.update(client.run_concurrently(second))
    _prefetched(request).update(results)


def portal_state(request: HttpRequest, *, with_rewards: bool = True) -> PortalState:
    """Business and fan data for this request, fetched at most once.

    ``with_rewards=False`` leaves out the rewards the fan holds (``state.fan.rewards`` is
    None, ``state.wallet`` unavailable): for pages that show none, which then make no call
    they do not use.
    """
    memo = _memo(request)
    if not with_rewards and "state+rewards" in memo:
        return memo["state+rewards"]

    def compute() -> PortalState:
        _prefetch_cold(request, with_rewards=with_rewards)
        business = business_snapshot(request)
        fan = fan_snapshot(request, with_rewards=with_rewards)
        return PortalState(
            business=business.value,
            fan=fan.value,
            now=timezone.now(),
            degraded=business.degraded or fan.degraded,
        )

    return _memoised(request, "state+rewards" if with_rewards else "state", compute)


def reset_request_memo(request: HttpRequest) -> None:
    """Forget what this request fetched (after a write changed it)."""
    _memo(request).clear()


__all__ = [
    "BUSINESS_SESSION_KEY",
    "BusinessNotFound",
    "BusinessSnapshot",
    "FanSnapshot",
    "PortalState",
    "RewardType",
    "balance",
    "business_snapshot",
    "fan_snapshot",
    "forget_fan",
    "held_reward",
    "leaderboard",
    "list_businesses",
    "performance_window",
    "points_history",
    "portal_state",
    "quest_rule",
    "reset_request_memo",
    "reward_rule",
    "selected_business_id",
    "tier_rule",
]
