"""Retries, Retry-After, the shared cooldown and the circuit breaker."""

from __future__ import annotations

import email.utils
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
import requests
import responses

from tbits_client import (
    BreakerState,
    CircuitBreaker,
    CircuitOpen,
    MemoryCache,
    NotFound,
    RateLimited,
    ServerError,
    TbitsClient,
    TransportError,
    parse_retry_after,
)
from tbits_client.transport import Cooldown, RetryPolicy

from .conftest import BASE_URL, FakeClock, build_client

CONNECT = BASE_URL + "api/v1/sessions/connect"
QUESTS = BASE_URL + "api/v1/ent/businesses/2002/quests"
COMPLETE = BASE_URL + "api/v1/ent/businesses/2002/quests/71/fans/501/complete"


def _fail_then(
    mocked: responses.RequestsMock,
    method: str,
    url: str,
    failures: list[Any],
    final: dict[str, Any],
) -> None:
    """Register answers consumed in order: each failure (status or exception), then final."""
    for failure in failures:
        if isinstance(failure, Exception):
            mocked.add(method, url, body=failure)
        else:
            mocked.add(method, url, json={"error": "boom"}, status=failure)
    mocked.add(method, url, **final)


# --- retries ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "failure",
    [
        500,
        502,
        503,
        504,
        requests.ConnectionError("refused"),
        requests.ReadTimeout("slow"),
        requests.ConnectTimeout("slow"),
    ],
    ids=["500", "502", "503", "504", "connection", "read-timeout", "connect-timeout"],
)
def test_gets_are_retried_after_server_and_transport_failures(
    failure: Any, mocked: responses.RequestsMock
) -> None:
    client = build_client(max_retries=2)
    _fail_then(mocked, "GET", QUESTS, [failure, failure], {"json": []})
    assert client.quests(2002) == []
    assert len(mocked.calls) == 3
    assert len(client.slept) == 2  # type: ignore[attr-defined]


def test_quest_completion_is_retried_because_the_docs_make_it_idempotent(
    mocked: responses.RequestsMock,
) -> None:
    client = build_client()
    _fail_then(mocked, "POST", COMPLETE, [503], {"json": {"activity_id": 9}})
    assert client.complete_quest(2002, 71, 501).activity_id == 9
    assert len(mocked.calls) == 2


def test_retries_stop_at_max_retries(mocked: responses.RequestsMock) -> None:
    client = build_client(max_retries=2)
    mocked.get(QUESTS, json={"error": "down"}, status=503)
    with pytest.raises(ServerError):
        client.quests(2002)
    assert len(mocked.calls) == 3


def test_max_retries_zero_means_one_attempt(mocked: responses.RequestsMock) -> None:
    client = build_client(max_retries=0)
    mocked.get(QUESTS, json={"error": "down"}, status=503)
    with pytest.raises(ServerError):
        client.quests(2002)
    assert len(mocked.calls) == 1


def test_backoff_grows_with_jitter_and_stays_bounded() -> None:
    policy = RetryPolicy(max_retries=5, base_delay=0.2, max_delay=2.0)
    for retry in range(6):
        ceiling = min(2.0, 0.2 * 2**retry)
        samples = [policy.delay(retry) for _ in range(200)]
        assert all(ceiling / 2 <= s <= ceiling for s in samples)
        assert len(set(samples)) > 1  # jitter: not all workers retry in lockstep


def test_retry_budget_bounds_total_time(mocked: responses.RequestsMock) -> None:
    # Budget 0: any backoff would end past it, so there is no retry at all.
    client = build_client(max_retries=5, retry_budget_seconds=0)
    mocked.get(QUESTS, json={"error": "down"}, status=503)
    with pytest.raises(ServerError):
        client.quests(2002)
    assert len(mocked.calls) == 1
    assert client.slept == []  # type: ignore[attr-defined]


def test_retry_budget_counts_time_already_spent(
    mocked: responses.RequestsMock, clock: FakeClock
) -> None:
    client = build_client(max_retries=5, retry_budget_seconds=1.0)
    client._requestor.monotonic = clock

    def slow_failure(request: Any) -> tuple[int, dict[str, str], str]:
        clock.advance(0.45)  # each attempt takes 0.45 s
        return 503, {}, '{"error": "down"}'

    mocked.add_callback("GET", QUESTS, callback=slow_failure)
    with pytest.raises(ServerError):
        client.quests(2002)
    # 0.45 s, then (0.45 + backoff <= 1.0) one retry, then 0.9 s + backoff > 1.0: stop.
    assert len(mocked.calls) == 2


NEVER_RETRIED: list[tuple[str, str, str, Callable[[TbitsClient], Any]]] = [
    ("lookup", "POST", CONNECT, lambda c: c.connect_lookup(business_id=1, email="a@b.c")),
    (
        "send code",
        "POST",
        CONNECT,
        lambda c: c.connect_send_code(business_id=1, channel="email", email="a@b.c"),
    ),
    (
        "submit code",
        "POST",
        CONNECT,
        lambda c: c.connect_submit_code(
            business_id=1, request_uid="r-1", verification_code="12345", email="a@b.c"
        ),
    ),
    (
        "register",
        "POST",
        CONNECT,
        lambda c: c.connect_register(business_id=1, email="a@b.c", first_name="A", last_name="B"),
    ),
    (
        "password",
        "POST",
        CONNECT,
        lambda c: c.connect_password(business_id=1, email="a@b.c", password="pw-123456"),
    ),
    (
        "oauth exchange (a GET)",
        "GET",
        BASE_URL + "crm/access_token",
        lambda c: c.exchange_oauth_code(code="code-1234", account_id=1, redirect_url="https://x/"),
    ),
    (
        "award points",
        "POST",
        BASE_URL + "api/v1/crm/fan_points",
        lambda c: c.award_fan_points(point_uid="p", fan_id=1, point_count=5),
    ),
    (
        "create quest",
        "POST",
        QUESTS,
        lambda c: c.create_quest(2002, quest_type="custom", quest_title="t"),
    ),
    (
        "assign reward",
        "POST",
        BASE_URL + "api/v1/ent/businesses/2002/fans/501/rewards",
        lambda c: c.assign_reward(2002, 501, reward_uid="r"),
    ),
    (
        "update fan",
        "POST",
        BASE_URL + "api/v1/sessions/s-1234/fan",
        lambda c: c.update_session_fan("s-1234", first_name="A"),
    ),
    ("delete quest", "DELETE", QUESTS + "/7", lambda c: c.delete_quest(2002, 7)),
]


@pytest.mark.parametrize(
    ("label", "method", "url", "call"), NEVER_RETRIED, ids=[row[0] for row in NEVER_RETRIED]
)
@pytest.mark.parametrize("failure", [503, "timeout"])
def test_calls_with_side_effects_are_never_retried(
    label: str,
    method: str,
    url: str,
    call: Callable[[TbitsClient], Any],
    failure: Any,
    mocked: responses.RequestsMock,
) -> None:
    client = build_client(max_retries=5)
    if failure == "timeout":
        mocked.add(method, url, body=requests.ReadTimeout("slow"))
        expected: type[Exception] = TransportError
    else:
        mocked.add(method, url, json={"error": "boom"}, status=failure)
        expected = ServerError
    with pytest.raises(expected):
        call(client)
    assert len(mocked.calls) == 1
    assert client.slept == []  # type: ignore[attr-defined]


def test_client_errors_are_not_retried(mocked: responses.RequestsMock) -> None:
    client = build_client(max_retries=5)
    mocked.get(QUESTS, json={"error": "no"}, status=404)
    with pytest.raises(NotFound):
        client.quests(2002)
    assert len(mocked.calls) == 1


# --- 429, Retry-After, cooldown -----------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("120", 120),
        (" 5 ", 5),
        ("0", 0),
        (None, None),
        ("", None),
        ("soon", None),
        ("-3", None),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0),  # in the past
    ],
)
def test_parse_retry_after(header: str | None, expected: int | None) -> None:
    assert parse_retry_after(header) == expected


def test_parse_retry_after_http_date_in_the_future() -> None:
    now = time.time()
    header = email.utils.formatdate(now + 90, usegmt=True)
    assert 88 <= (parse_retry_after(header, now=now) or 0) <= 91


def test_429_raises_at_once_without_sleeping_or_retrying(
    mocked: responses.RequestsMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = build_client(max_retries=5)

    def no_sleep(seconds: float) -> None:
        raise AssertionError(f"slept {seconds}s in the caller's thread")

    monkeypatch.setattr(time, "sleep", no_sleep)
    client._requestor.sleep = no_sleep
    mocked.get(
        QUESTS, json={"error": "Too many requests"}, status=429, headers={"Retry-After": "3600"}
    )
    started = time.monotonic()
    with pytest.raises(RateLimited) as caught:
        client.quests(2002)
    assert time.monotonic() - started < 1
    assert caught.value.retry_after == 3600
    assert caught.value.from_cooldown is False
    assert caught.value.message == "Too many requests"
    assert len(mocked.calls) == 1


def test_cooldown_makes_next_calls_to_that_endpoint_fail_fast(
    mocked: responses.RequestsMock,
) -> None:
    client = build_client()
    mocked.get(QUESTS, json={"error": "slow down"}, status=429, headers={"Retry-After": "30"})
    mocked.get(BASE_URL + "api/v1/businesses", json=[])
    with pytest.raises(RateLimited):
        client.quests(2002)
    with pytest.raises(RateLimited) as caught:
        client.quests(2002)
    assert caught.value.from_cooldown is True
    assert 29 <= (caught.value.retry_after or 0) <= 30
    assert caught.value.endpoint == "quests"
    assert len(mocked.calls) == 1  # the second call never left the process
    # Other endpoints are not affected.
    assert client.businesses() == []


def test_cooldown_passes(mocked: responses.RequestsMock, clock: FakeClock) -> None:
    client = build_client()
    client.cooldown.clock = clock
    mocked.get(QUESTS, json={"error": "slow down"}, status=429, headers={"Retry-After": "2"})
    with pytest.raises(RateLimited):
        client.quests(2002)
    clock.advance(3)
    mocked.replace("GET", QUESTS, json=[])
    assert client.quests(2002) == []
    assert len(mocked.calls) == 2


def test_cooldown_without_retry_after_uses_a_short_default(
    mocked: responses.RequestsMock,
) -> None:
    client = build_client()
    mocked.get(QUESTS, json={"error": "slow down"}, status=429)
    with pytest.raises(RateLimited) as first:
        client.quests(2002)
    assert first.value.retry_after is None
    with pytest.raises(RateLimited) as second:
        client.quests(2002)
    assert second.value.from_cooldown
    assert 1 <= (second.value.retry_after or 0) <= 5


def test_cooldown_is_capped() -> None:
    cooldown = Cooldown(MemoryCache(), max_seconds=3600)
    assert cooldown.start("x", 10**9) == 3600


def test_cooldown_is_shared_through_the_cache_between_clients(
    mocked: responses.RequestsMock,
) -> None:
    shared = MemoryCache()
    first, second = build_client(cooldown_cache=shared), build_client(cooldown_cache=shared)
    other_account = build_client(cooldown_cache=shared, api_key="another-key-456")
    mocked.get(QUESTS, json={"error": "slow down"}, status=429, headers={"Retry-After": "60"})
    with pytest.raises(RateLimited):
        first.quests(2002)
    with pytest.raises(RateLimited) as caught:
        second.quests(2002)
    assert caught.value.from_cooldown
    assert len(mocked.calls) == 1
    # A different account on the same cache has its own budget with the provider.
    with pytest.raises(RateLimited) as fresh:
        other_account.quests(2002)
    assert not fresh.value.from_cooldown
    assert len(mocked.calls) == 2


def test_connect_cooldown_is_per_fan_ip(mocked: responses.RequestsMock) -> None:
    client = build_client()
    mocked.post(
        CONNECT, json={"error": "Too many attempts"}, status=429, headers={"Retry-After": "60"}
    )
    with pytest.raises(RateLimited):
        client.connect_lookup(business_id=1, email="a@b.c", ip_address="198.51.100.1")
    with pytest.raises(RateLimited) as same_ip:
        client.connect_lookup(business_id=1, email="z@b.c", ip_address="198.51.100.1")
    assert same_ip.value.from_cooldown
    mocked.replace("POST", CONNECT, json={"status": "register"})
    # Another fan, another IP: not blocked by the first fan's throttling.
    assert client.connect_lookup(business_id=1, email="y@b.c", ip_address="198.51.100.2")
    assert len(mocked.calls) == 2


# --- circuit breaker ---------------------------------------------------------------------


def _breaker_key(client: TbitsClient, endpoint: str) -> str:
    from tbits_client import ENDPOINTS

    return client._requestor.state_key(ENDPOINTS[endpoint])


def _breaker_client(**breaker: Any) -> tuple[TbitsClient, CircuitBreaker]:
    options: dict[str, Any] = {"failure_threshold": 3, "recovery_seconds": 30.0}
    options.update(breaker)
    circuit = CircuitBreaker(**options)
    return build_client(max_retries=0, circuit_breaker=circuit), circuit


def test_breaker_opens_after_repeated_failures_and_fails_fast(
    mocked: responses.RequestsMock,
) -> None:
    client, circuit = _breaker_client()
    mocked.get(QUESTS, json={"error": "down"}, status=503)
    mocked.get(BASE_URL + "api/v1/businesses", json=[])
    for _ in range(3):
        with pytest.raises(ServerError):
            client.quests(2002)
    with pytest.raises(CircuitOpen) as caught:
        client.quests(2002)
    assert len(mocked.calls) == 3
    assert 29 <= (caught.value.retry_after or 0) <= 30
    assert isinstance(caught.value, TransportError)
    # One failing endpoint does not take down the others (login keeps working).
    assert client.businesses() == []
    assert circuit.state(_breaker_key(client, "quests")) is BreakerState.OPEN


def test_breaker_counts_transport_failures_but_not_client_errors(
    mocked: responses.RequestsMock,
) -> None:
    client, _ = _breaker_client()
    mocked.get(QUESTS, json={"error": "nope"}, status=404)
    for _ in range(5):
        with pytest.raises(NotFound):
            client.quests(2002)
    mocked.replace("GET", QUESTS, body=requests.ConnectionError("refused"))
    for _ in range(3):
        with pytest.raises(TransportError) as caught:
            client.quests(2002)
        assert not isinstance(caught.value, CircuitOpen)
    with pytest.raises(CircuitOpen):
        client.quests(2002)


def test_success_resets_the_failure_count(mocked: responses.RequestsMock) -> None:
    client, _ = _breaker_client()
    mocked.get(QUESTS, json=[])
    for _ in range(4):
        mocked.replace("GET", QUESTS, json={"error": "down"}, status=503)
        for _ in range(2):
            with pytest.raises(ServerError):
                client.quests(2002)
        mocked.replace("GET", QUESTS, json=[])
        assert client.quests(2002) == []


def test_half_open_probe_success_closes_the_breaker(
    mocked: responses.RequestsMock, clock: FakeClock
) -> None:
    client, circuit = _breaker_client(clock=clock)
    mocked.get(QUESTS, json={"error": "down"}, status=503)
    for _ in range(3):
        with pytest.raises(ServerError):
            client.quests(2002)
    key = _breaker_key(client, "quests")
    clock.advance(31)
    assert circuit.state(key) is BreakerState.HALF_OPEN
    mocked.replace("GET", QUESTS, json=[])
    assert client.quests(2002) == []  # the probe
    assert circuit.state(key) is BreakerState.CLOSED
    assert client.quests(2002) == []
    assert len(mocked.calls) == 5


def test_half_open_probe_failure_reopens(mocked: responses.RequestsMock, clock: FakeClock) -> None:
    client, circuit = _breaker_client(clock=clock)
    mocked.get(QUESTS, json={"error": "down"}, status=503)
    for _ in range(3):
        with pytest.raises(ServerError):
            client.quests(2002)
    clock.advance(31)
    with pytest.raises(ServerError):
        client.quests(2002)  # the probe, failing
    with pytest.raises(CircuitOpen):
        client.quests(2002)
    assert circuit.state(_breaker_key(client, "quests")) is BreakerState.OPEN
    assert len(mocked.calls) == 4


def test_only_one_probe_at_a_time(clock: FakeClock) -> None:
    circuit = CircuitBreaker(
        failure_threshold=1, recovery_seconds=30.0, cache=MemoryCache(clock=clock), clock=clock
    )
    circuit.record_failure("k")
    clock.advance(31)  # the recovery period is over: the next caller is the probe
    decisions = []
    barrier = threading.Barrier(8)

    def ask() -> None:
        barrier.wait()
        decisions.append(circuit.check("k"))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(1 for d in decisions if d.allowed and d.probe) == 1
    assert sum(1 for d in decisions if not d.allowed) == 7


def test_breaker_opens_at_exactly_the_threshold_when_workers_fail_at_once() -> None:
    """Failures are counted atomically: 16 threads failing at once get 16 distinct numbers.

    A read-then-write count loses increments here (the test fails with it), and a lost
    increment is a breaker that opens late.
    """
    shared = MemoryCache()
    breaker = CircuitBreaker(failure_threshold=5, recovery_seconds=30.0, cache=shared)
    barrier = threading.Barrier(16)
    counted: list[int] = []

    def fail() -> None:
        barrier.wait()
        counted.append(breaker._count_failure("tbits:breaker:k:failures"))

    threads = [threading.Thread(target=fail) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Every failure got its own number: none was lost to a read-modify-write race.
    assert sorted(counted) == list(range(1, 17))


def test_breaker_opens_after_threshold_failures_and_the_count_restarts_after_the_window(
    clock: FakeClock,
) -> None:
    breaker = CircuitBreaker(
        failure_threshold=3, window_seconds=60.0, cache=MemoryCache(clock=clock), clock=clock
    )
    breaker.record_failure("k")
    breaker.record_failure("k")
    clock.advance(61)  # the window of the first two failures ends
    breaker.record_failure("k")
    assert breaker.state("k") is BreakerState.CLOSED
    breaker.record_failure("k")
    breaker.record_failure("k")
    assert breaker.state("k") is BreakerState.OPEN


def test_breaker_state_is_shared_through_its_cache(mocked: responses.RequestsMock) -> None:
    shared = MemoryCache()
    first = build_client(
        max_retries=0, circuit_breaker=CircuitBreaker(failure_threshold=2, cache=shared)
    )
    second = build_client(
        max_retries=0, circuit_breaker=CircuitBreaker(failure_threshold=2, cache=shared)
    )
    mocked.get(QUESTS, json={"error": "down"}, status=503)
    for _ in range(2):
        with pytest.raises(ServerError):
            first.quests(2002)
    with pytest.raises(CircuitOpen):
        second.quests(2002)


@pytest.mark.parametrize(
    "options",
    [{"failure_threshold": 0}, {"recovery_seconds": 0}, {"window_seconds": -1}],
)
def test_breaker_settings_are_validated(options: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        CircuitBreaker(**options)


def test_memory_cache_expires_and_add_is_first_writer_wins(clock: FakeClock) -> None:
    cache = MemoryCache(clock=clock)
    assert cache.add("k", 1, timeout=30)
    assert not cache.add("k", 2, timeout=30)
    assert cache.get("k") == 1
    clock.advance(31)
    assert cache.get("k", "gone") == "gone"
    cache.set("p", "v")
    assert cache.delete("p") and cache.get("p") is None
