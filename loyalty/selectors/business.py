"""Business-wide reads: the businesses, the selected one's catalogue, its leaderboard.

All of it goes through the shared stale-while-revalidate cache (:mod:`loyalty.cache`): every
fan of a business sees the same, so one fetch serves them all.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from functools import cached_property, partial
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from accounts.api import business_id as configured_business_id
from accounts.api import get_client
from loyalty import links, mapping, point_type, rules
from loyalty.app_settings import configured_point_type, configured_season_start, loyalty_settings
from loyalty.cache import Cached, cache_key, cached_shared, forget, is_cached, peek_shared
from loyalty.selectors.batch import Answers, Calls, Source, answers
from loyalty.selectors.memo import memoised, request_memo
from tbits_client import (
    Business,
    LeaderboardRow,
    Performance,
    Quest,
    Reward,
    TbitsError,
    Tier,
)

#: The Django session key holding the business the fan picked (when there are several).
BUSINESS_SESSION_KEY = "tbits_loyalty.business_id"

# Leaderboard rows asked for to find the fan's own rank: the API cannot be asked for one
# fan's rank, and 500 rows is one response of a few tens of kB.
LEADERBOARD_SCAN = 500

_BUSINESSES_KEY = cache_key("businesses")

logger = logging.getLogger(__name__)


def event_timezone() -> dt.tzinfo:
    """The zone in which dates without a time are days (``EVENT_TIMEZONE`` or TIME_ZONE)."""
    return mapping.zone_named(loyalty_settings.EVENT_TIMEZONE or settings.TIME_ZONE)


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

    # What pages derive from the snapshot (the rules' inputs, look-up tables) is derived
    # once per snapshot object, not once per page: the cache layer hands every page the
    # same decoded snapshot while its version holds (a hundred quests cost ~0.5 ms to map).
    # Derived values live in the instance's ``__dict__`` (``cached_property``) and are left
    # out of its pickle (``__getstate__``), so the shared cache stores only the API's data
    # and each process derives its own, in its own ``EVENT_TIMEZONE``.

    @cached_property
    def uses_tags(self) -> bool:
        """Whether any quest is tag-restricted (only then is the fan record worth a call)."""
        return mapping.uses_tags(self.quests)

    @cached_property
    def catalogue(self) -> rules.Catalogue:
        """The rules' view of the tiers, quests and performances."""
        return mapping.catalogue(
            tiers=self.tiers,
            quests=self.quests,
            performances=self.performances,
            zone=event_timezone(),
        )

    @cached_property
    def reward_rules(self) -> tuple[rules.RewardRule, ...]:
        """The rules' view of the rewards."""
        return tuple(reward_rule(reward) for reward in self.rewards)

    @cached_property
    def quests_by_id(self) -> Mapping[int, Quest]:
        return {quest.page_tab_id: quest for quest in self.quests}

    @cached_property
    def rewards_by_id(self) -> Mapping[str, Reward]:
        return {reward.reward_uid: reward for reward in self.rewards}

    @cached_property
    def performances_by_id(self) -> Mapping[str, Performance]:
        return {p.performance_uid: p for p in self.performances}

    @cached_property
    def destination_origins(self) -> list[str]:
        """The hosts link quests send fans to: the pages' CSP ``form-action``."""
        return links.destination_origins(self.quests)

    def __getstate__(self) -> dict[str, Any]:
        return {item.name: getattr(self, item.name) for item in fields(self)}


class BusinessNotFound(TbitsError):
    """The configured or picked business is not one the API lists for this account."""

    def __init__(self, business_id: str) -> None:
        super().__init__(f"Business {business_id} is not listed for this account")


def reward_rule(reward: Reward) -> rules.RewardRule:
    """A catalogue reward as the rules see it, its bare times in the event's zone."""
    return mapping.reward_rule(reward, zone=event_timezone())


# --- The businesses -----------------------------------------------------------------------


def _businesses_calls() -> Calls:
    return {"businesses": get_client().businesses}


def list_businesses(request: HttpRequest) -> Cached[tuple[Business, ...]]:
    """The account's businesses the portal may show (``BUSINESS_IDS`` narrows them)."""

    def load() -> tuple[Business, ...]:
        return tuple(answers(request).take(_businesses_calls())["businesses"].unwrap())

    def compute() -> Cached[tuple[Business, ...]]:
        cached = cached_shared(_BUSINESSES_KEY, load)
        allowed = loyalty_settings.BUSINESS_IDS
        if not allowed:
            return cached
        wanted = {str(item) for item in allowed}
        kept = tuple(b for b in cached.value if str(b.business_id) in wanted)
        return Cached(kept, cached.degraded)

    return memoised(request, "businesses", compute)


def selected_business_id(request: HttpRequest) -> str:
    """The business this fan is looking at: their pick if still valid, else the configured."""
    picked = request.session.get(BUSINESS_SESSION_KEY) if hasattr(request, "session") else None
    if picked:
        return str(picked)
    return configured_business_id()


def _find_business(businesses: Iterable[Business], business_id: str) -> Business | None:
    return next((b for b in businesses if str(b.business_id) == str(business_id)), None)


# --- The catalogue ------------------------------------------------------------------------


def _business_key(business_id: str) -> str:
    return cache_key("business", business_id)


def _catalogue_calls(business_id: str, business: Business | None) -> Calls:
    """The catalogue's calls: all at once when the point type's uid is known beforehand.

    The uid is known from ``POINT_TYPE`` given as a uid, or the business's undocumented
    ``point_uid``; then the tiers go out with the rest. Otherwise the point types list goes
    out with the rest, and the tiers follow once it says which type (see
    :mod:`loyalty.point_type`). The list is also the only documented source of the
    point type's name, which the leaderboard call needs.
    """
    client = get_client()
    calls = {
        "quests": partial(client.quests, business_id),
        "rewards": partial(client.rewards, business_id),
        "performances": client.performances,
    }
    configured = configured_point_type(business_id)
    uid = point_type.configured_uid(configured, business)
    if uid:
        calls["tiers"] = partial(client.tiers, uid)
    named_by_business = bool(business and business.point_uid and business.point_name)
    if configured or not named_by_business:
        calls["point_types"] = client.point_types
    return calls


def _known_business(request: HttpRequest, found: Answers, business_id: str) -> Business | None:
    """The business, if the list is cached or already answered: without a call."""
    if is_cached(_BUSINESSES_KEY):
        return _find_business(list_businesses(request).value, business_id)
    return _find_business(found.peek("businesses") or (), business_id)


def business_sources(request: HttpRequest) -> list[Source]:
    """What :func:`business_snapshot` reads, for :meth:`Answers.prefetch`."""
    business_id = selected_business_id(request)
    return [
        Source(ready=lambda: is_cached(_BUSINESSES_KEY), calls=lambda _: _businesses_calls()),
        Source(
            ready=lambda: is_cached(_business_key(business_id)),
            calls=lambda found: _catalogue_calls(
                business_id, _known_business(request, found, business_id)
            ),
        ),
    ]


def business_snapshot(request: HttpRequest) -> Cached[BusinessSnapshot]:
    """The selected business's catalogue, through the shared cache."""
    business_id = selected_business_id(request)

    def compute() -> Cached[BusinessSnapshot]:
        found = answers(request)
        found.prefetch(business_sources(request))
        businesses = list_businesses(request)
        snapshot = cached_shared(
            _business_key(business_id),
            lambda: _load_business(business_id, businesses.value, found),
        )
        return Cached(snapshot.value, snapshot.degraded or businesses.degraded)

    return memoised(request, "business", compute)


def cached_business_snapshot(request: HttpRequest) -> BusinessSnapshot | None:
    """The selected business's catalogue if the shared cache has it (fresh or stale), else None.

    Never a call: for pages that only wear the club's name and colours (the login pages),
    which show them once any fan has brought the catalogue into the cache, and never make
    a visitor wait for the API to do so.
    """
    value = peek_shared(_business_key(selected_business_id(request)))
    return value if isinstance(value, BusinessSnapshot) else None


def business_is_read(request: HttpRequest) -> bool:
    """Whether this request has the catalogue at hand (read, or cached): no call to read it."""
    return "business" in request_memo(request) or is_cached(
        _business_key(selected_business_id(request))
    )


def _load_business(
    business_id: str, businesses: Iterable[Business], found: Answers
) -> BusinessSnapshot:
    business = _find_business(businesses, business_id)
    if business is None:
        raise BusinessNotFound(business_id)
    configured = configured_point_type(business_id)
    results = found.take(_catalogue_calls(business_id, business))
    quests = tuple(results["quests"].unwrap())
    listed = tuple(results["point_types"].unwrap()) if "point_types" in results else ()
    choice = point_type.choose_point_type(
        configured=configured,
        point_types=listed,
        business=business,
        quests=quests,
    )
    if not choice.chosen:
        # Logged, not raised: the board, tiers and rewards still show; only the balance
        # and the leaderboard need the currency. tbits_check says what to configure.
        logger.warning(
            "No point type for business %s (%s): set TBITS['POINT_TYPE'].",
            business_id,
            choice.source,
        )
    tiers: tuple[Tier, ...] = ()
    sent_early = point_type.configured_uid(configured, business)
    if "tiers" in results and sent_early == choice.point_uid:
        tiers = tuple(results["tiers"].unwrap())
    elif choice.point_uid:
        tiers = tuple(get_client().tiers(choice.point_uid))  # a second round trip
    performances = tuple(
        p
        for p in results["performances"].unwrap()
        if p.business_id is None or str(p.business_id) == str(business_id)
    )
    return BusinessSnapshot(
        business=business,
        point_uid=choice.point_uid,
        point_name=choice.point_name,
        tiers=tiers,
        quests=quests,
        rewards=tuple(results["rewards"].unwrap()),
        performances=performances,
    )


# --- The leaderboard ----------------------------------------------------------------------


def default_leaderboard_start() -> dt.date:
    """The first day of the season when no start date is set: ``LEADERBOARD_DAYS`` ago."""
    return (timezone.now() - dt.timedelta(days=int(loyalty_settings.LEADERBOARD_DAYS))).date()


def leaderboard(
    request: HttpRequest, *, start: dt.date | None = None
) -> Cached[tuple[LeaderboardRow, ...]]:
    """Ranked fans for the business's point type since ``start``, cached shared.

    ``start`` is the documented call's ``start_date``; by default ``LEADERBOARD_DAYS`` ago.
    """
    snapshot = business_snapshot(request).value
    point_name = snapshot.point_name or ""
    since = start if start is not None else default_leaderboard_start()

    def load() -> tuple[LeaderboardRow, ...]:
        rows = get_client().leaderboard(
            point_name=point_name,
            start_date=since.isoformat(),
            limit=LEADERBOARD_SCAN,
        )
        return tuple(sorted(rows, key=lambda row: (row.rank or 10**9, -row.fan_point_count)))

    key = _leaderboard_key(selected_business_id(request), since)
    return memoised(request, f"leaderboard:{since.isoformat()}", lambda: cached_shared(key, load))


def _leaderboard_key(business_id: str, start: dt.date) -> str:
    # The business id determines the point name, so the name (free text) stays out of the key.
    return cache_key("leaderboard", business_id, start.isoformat())


# --- After a change upstream --------------------------------------------------------------


def forget_catalogue(business_id: str | int) -> None:
    """Drop the business-wide data of ``business_id`` so every process reads it afresh.

    For ``tbits_setup``: after an apply, fans must not see the old quests, or a recreated
    point type's old uid (every balance 0), until ``CACHE_TTL`` runs out. The entries go
    from the shared cache, so every process that shares it fetches on its next page (its
    decoded copy no longer matches a version there); a process-local cache cannot be
    reached from the command (``tbits_accounts.W005``).
    """
    business = str(business_id)
    today = timezone.now().date()
    starts = {
        rules.period_start(
            period,
            today=today,
            season_start=configured_season_start(),
            season_days=int(loyalty_settings.LEADERBOARD_DAYS),
        )
        for period in rules.LeaderboardPeriod
    }
    keys = [_leaderboard_key(business, start) for start in starts | {default_leaderboard_start()}]
    for key in (_BUSINESSES_KEY, _business_key(business), *keys):
        forget(key)
