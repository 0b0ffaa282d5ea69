"""A typed, resilient client for the Tradable Bits API. Pure Python: never imports Django.

Typical use::

    client = TbitsClient(base_url="https://nest.tradablebits.com", api_key=KEY,
                         api_secret=SECRET)
    quests = client.quests(business_id)

See docs/endpoints.md for every call, its path and the wire conventions.

Where things are, one job per module: ``endpoints`` (the table of calls), ``requestor``
(sending one call: headers, retries, cooldown, breaker, error mapping, logging),
``services/`` (the calls, one module per API area), ``models/`` (typed answers, one
module per area), ``client`` (construction and lifecycle of ``TbitsClient``, which is
every service at once), ``transport`` (connection pool, retry policy, cooldown and
breaker state), ``errors``, ``redaction``, ``concurrency`` and ``tally`` (requests
sent per unit of work).
"""

from __future__ import annotations

from .client import DEFAULT_TIMEOUT, DEFAULT_USER_AGENT, ConnectChannel, TbitsClient
from .concurrency import Result, run_concurrently
from .endpoints import ENDPOINTS, Endpoint, HttpMethod, Provenance, render_markdown
from .errors import (
    BadRequest,
    CircuitOpen,
    ConfigurationError,
    InvalidResponse,
    NotFound,
    RateLimited,
    ServerError,
    SessionExpired,
    TbitsError,
    TransportError,
    Unauthorized,
    error_for_status,
)
from .models import (
    AccountStatus,
    AtvenuDeliveryMethod,
    Business,
    Completions,
    ConnectOutcome,
    ConnectResult,
    DisplayNameCheck,
    Fan,
    FanActivity,
    FanPoint,
    FanPointAward,
    FanRegistration,
    FanReward,
    FanTier,
    Idol,
    IdolEvent,
    LeaderboardRow,
    Performance,
    PointType,
    Quest,
    QuestCompletion,
    QuestRewardType,
    QuestType,
    RequirementType,
    RestrictionType,
    Reward,
    RewardType,
    RewardUpdate,
    SelectionModel,
    Session,
    Tier,
)
from .redaction import REDACTED, Redactor
from .services import ConnectOrigin, DeviceNetwork
from .tally import CallTally, counting_calls
from .transport import BreakerState, CacheLike, CircuitBreaker, MemoryCache, parse_retry_after

__all__ = [
    "DEFAULT_TIMEOUT",
    "DEFAULT_USER_AGENT",
    "ENDPOINTS",
    "REDACTED",
    "AccountStatus",
    "AtvenuDeliveryMethod",
    "BadRequest",
    "BreakerState",
    "Business",
    "CacheLike",
    "CallTally",
    "CircuitBreaker",
    "CircuitOpen",
    "Completions",
    "ConfigurationError",
    "ConnectChannel",
    "ConnectOrigin",
    "ConnectOutcome",
    "ConnectResult",
    "DeviceNetwork",
    "DisplayNameCheck",
    "Endpoint",
    "Fan",
    "FanActivity",
    "FanPoint",
    "FanPointAward",
    "FanRegistration",
    "FanReward",
    "FanTier",
    "HttpMethod",
    "Idol",
    "IdolEvent",
    "InvalidResponse",
    "LeaderboardRow",
    "MemoryCache",
    "NotFound",
    "Performance",
    "PointType",
    "Provenance",
    "Quest",
    "QuestCompletion",
    "QuestRewardType",
    "QuestType",
    "RateLimited",
    "Redactor",
    "RequirementType",
    "RestrictionType",
    "Result",
    "Reward",
    "RewardType",
    "RewardUpdate",
    "SelectionModel",
    "ServerError",
    "Session",
    "SessionExpired",
    "TbitsClient",
    "TbitsError",
    "Tier",
    "TransportError",
    "Unauthorized",
    "counting_calls",
    "error_for_status",
    "parse_retry_after",
    "render_markdown",
    "run_concurrently",
]
