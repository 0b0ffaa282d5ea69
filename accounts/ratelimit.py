"""Abuse limits per action, per client IP and per email/phone, counted in the Django cache.

Limits are written as in django-allauth: ``"30/m/ip,5/10m/key"`` means at most 30 per
minute from one IP address and at most 5 per 10 minutes for one key (the email or phone
the fan typed). Periods are ``s``, ``m``, ``h`` or ``d`` with an optional multiplier.

The counters live in the Django cache so every worker process shares them; production
needs a shared cache such as Redis (a per-process ``LocMemCache`` lets each worker count on
its own, and ``DummyCache`` disables limits altogether: ``manage.py check`` warns).

Why the defaults (``accounts.app_settings.DEFAULT_RATE_LIMITS``) look as they do: the
provider's verification code has only 5 digits, 100,000 values. The flow allows 3 tries
per code and ``code_request`` allows 20 codes a day per address, so an attacker gets at
most 60 guesses a day at one account: a 0.06 % chance per day. Per-IP limits are generous
because fans at a venue share a few carrier NAT addresses; the per-address limits are the
ones that protect accounts.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from accounts.app_settings import app_settings

_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
#: How long a fan is asked to wait when the counters cannot be reached.
COUNTER_RETRY_AFTER = 30

logger = logging.getLogger(__name__)


class RateScope(StrEnum):
    """What a limit counts per."""

    IP = "ip"
    KEY = "key"


class RateAction(StrEnum):
    """The actions that have limits; keys of ``TBITS["RATE_LIMITS"]``."""

    CODE_REQUEST = "code_request"
    CODE_SUBMIT = "code_submit"
    PASSWORD_LOGIN = "password_login"
    REGISTER = "register"
    OAUTH_CALLBACK = "oauth_callback"


@dataclass(frozen=True)
class Rate:
    """One parsed limit: ``amount`` events per ``period`` seconds, per ``scope``."""

    amount: int
    period: int
    scope: RateScope


class RateLimitExceeded(Exception):
    """Raised when an action is over a limit; carries when it may be tried again."""

    def __init__(self, *, action: str, retry_after: int) -> None:
        super().__init__(f"rate limit exceeded for {action}")
        self.action = action
        self.retry_after = retry_after


class CounterUnavailable(Exception):
    """The shared cache could not count an attempt, so the action is refused (fails closed).

    Not a :class:`RateLimitExceeded`: the fan is over no limit, and the 429 page would
    tell them so. The form says the service is not available right now (a 503), keeps what
    was typed, and works again as soon as the cache answers.
    """

    def __init__(self, *, action: str) -> None:
        super().__init__(f"attempts at {action} cannot be counted")
        self.action = action
        self.retry_after = COUNTER_RETRY_AFTER


def parse_rates(spec: str) -> list[Rate]:
    """Parse ``"20/m/ip,3/5m/key"``; raises ``ValueError`` naming the bad part."""
    rates: list[Rate] = []
    for part in (p.strip() for p in (spec or "").split(",")):
        if not part:
            continue
        pieces = part.split("/")
        if len(pieces) != 3:
            raise ValueError(f"expected amount/period/scope, got {part!r}")
        amount_text, period_text, scope_text = pieces
        if not amount_text.isdigit() or int(amount_text) < 1:
            raise ValueError(f"amount must be a positive integer in {part!r}")
        unit = period_text[-1:]
        multiplier_text = period_text[:-1] or "1"
        if unit not in _UNIT_SECONDS or not multiplier_text.isdigit():
            raise ValueError(f"period must look like m, 5m, h or d in {part!r}")
        try:
            scope = RateScope(scope_text)
        except ValueError:
            raise ValueError(f"scope must be ip or key in {part!r}") from None
        period = int(multiplier_text) * _UNIT_SECONDS[unit]
        if period < 1:
            raise ValueError(f"period must be positive in {part!r}")
        rates.append(Rate(amount=int(amount_text), period=period, scope=scope))
    return rates


def _digest(value: str) -> str:
    # Emails and phone numbers do not belong in cache keys in clear (cache dumps, monitors).
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]


def _counter_key(flow_id: str) -> str:
    # A digest of the request id: the id itself names a login step and must not sit in a
    # key that a cache monitor (or a log of one) could print.
    return f"tbits_accounts:code_tries:{_digest(flow_id)}"


def count_code_try(flow_id: str, *, ttl: int) -> int:
    """Count one try at the code of ``flow_id``; how many tries it has had, this one included.

    ``add`` then ``incr`` in the shared cache, both atomic there, so parallel guesses in
    any number of threads and processes each get their own number: of twelve guesses sent
    at once, exactly three see 1, 2 and 3. A per-session count (read, add one, save) let
    every parallel request read the same number.
    """
    cache = app_settings.cache()
    key = _counter_key(flow_id)
    try:
        return _count(cache, key, timeout=ttl)
    except Exception as error:  # the cache is unreachable: no try goes uncounted
        logger.warning("code try not counted: %s", type(error).__name__)
        raise CounterUnavailable(action="code_try") from error


def code_tries(flow_id: str) -> int:
    """How many tries the code of ``flow_id`` has had so far (0 when none, or forgotten).

    Only what the code page shows: 0 when the cache cannot be read, since the next try is
    refused anyway (:func:`count_code_try` fails closed).
    """
    try:
        return int(app_settings.cache().get(_counter_key(flow_id), 0) or 0)
    except Exception as error:
        logger.warning("code tries not read: %s", type(error).__name__)
        return 0


def consume(*, action: str, ip: str | None, key: str | None = None) -> None:
    """Count one attempt at ``action``; raise :class:`RateLimitExceeded` when over a limit.

    Every configured rate is checked and counted, so an attacker over the per-key limit is
    still counted per IP. Fixed windows keep this to one atomic ``incr`` per rate. Raises
    :class:`CounterUnavailable` when the cache cannot count: an uncounted attempt would be
    a free one (sending codes costs texts; guessing them is the attack).
    """
    spec = app_settings.RATE_LIMITS.get(action, "")
    rates = parse_rates(spec)
    if not rates:
        return
    cache = app_settings.cache()
    now = time.time()
    retry_after = 0
    for rate in rates:
        subject = ip if rate.scope is RateScope.IP else key
        if not subject:
            continue
        window = int(now // rate.period)
        cache_key = (
            f"tbits_accounts:rl:{action}:{rate.scope}:{rate.period}:{_digest(subject)}:{window}"
        )
        try:
            count = _count(cache, cache_key, timeout=rate.period + 1)
        except Exception as error:  # the cache is unreachable: refuse, never wave through
            logger.warning("rate limit of %s not counted: %s", action, type(error).__name__)
            raise CounterUnavailable(action=action) from error
        if count > rate.amount:
            window_end = (window + 1) * rate.period
            retry_after = max(retry_after, math.ceil(window_end - now))
    if retry_after:
        raise RateLimitExceeded(action=action, retry_after=max(retry_after, 1))


def _count(cache: Any, key: str, *, timeout: int) -> int:
    # add() is a no-op when the key exists, so concurrent first hits do not reset it.
    cache.add(key, 0, timeout=timeout)
    try:
        return int(cache.incr(key))
    except ValueError:
        # The key expired between add() and incr(): this is the first hit of a window.
        cache.set(key, 1, timeout=timeout)
        return 1
