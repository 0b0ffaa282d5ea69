"""Real sockets: timeouts, refused connections, redirects and concurrent use."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tbits_client import (
    InvalidResponse,
    Result,
    ServerError,
    TbitsClient,
    TransportError,
    run_concurrently,
)

from .conftest import API_SECRET, LocalApi, Recorded


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A server that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
                held.append(connection)
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join(timeout=2)
    for connection in held:
        connection.close()
    listener.close()


def test_read_timeout_raises_transport_error_quickly(silent_server: int) -> None:
    client = TbitsClient(
        base_url=f"http://127.0.0.1:{silent_server}/",
        api_key="k",
        timeout=(1.0, 0.3),
        max_retries=0,
    )
    started = time.monotonic()
    with pytest.raises(TransportError, match=r"read timeout after 0.3s"):
        client.businesses()
    assert time.monotonic() - started < 2.0


def test_read_timeouts_are_retried_within_the_budget(silent_server: int) -> None:
    client = TbitsClient(
        base_url=f"http://127.0.0.1:{silent_server}/",
        api_key="k",
        timeout=(1.0, 0.2),
        max_retries=2,
        retry_budget_seconds=5,
    )
    started = time.monotonic()
    with pytest.raises(TransportError):
        client.businesses()
    elapsed = time.monotonic() - started
    assert 0.6 <= elapsed < 3.0  # three attempts of 0.2 s plus short backoffs


def test_default_timeouts_are_connect_3_read_10() -> None:
    client = TbitsClient(base_url="https://api.test", api_key="k")
    assert client.timeout == (3.0, 10.0)


def test_connection_refused_is_a_transport_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = TbitsClient(base_url=f"http://127.0.0.1:{port}/", api_key="k", max_retries=0)
    with pytest.raises(TransportError, match="connection failed") as caught:
        client.businesses()
    assert caught.value.http_status is None
    assert caught.value.endpoint == "businesses"


def test_redirects_are_not_followed(local_api: LocalApi) -> None:
    followed: list[str] = []
    local_api.route(
        "GET", "/sandbox/api/v1/businesses", lambda r: (302, {"Location": "/sandbox/elsewhere"}, {})
    )
    local_api.route("GET", "/sandbox/elsewhere", lambda r: (followed.append("yes") or 200, {}, []))  # type: ignore[func-returns-value]
    client = TbitsClient(base_url=local_api.base_url, api_key="k")
    with pytest.raises(InvalidResponse):
        client.businesses()
    assert followed == []


def test_secret_header_is_sent_on_the_wire_only_where_needed(local_api: LocalApi) -> None:
    local_api.json("GET", "/sandbox/api/v1/businesses", [])
    local_api.json("GET", "/sandbox/api/v1/crm/points", [])
    client = TbitsClient(base_url=local_api.base_url, api_key="k", api_secret=API_SECRET)
    client.businesses()
    client.point_types()
    public, private = local_api.requests
    assert public.headers["api-key"] == "k" and "api-secret" not in public.headers
    assert private.headers["api-secret"] == API_SECRET
    assert "tbits-portal-client" in public.headers["user-agent"]


def test_run_concurrently_overlaps_calls_and_separates_errors(local_api: LocalApi) -> None:
    for name in ("a", "b", "c"):
        local_api.json("GET", f"/sandbox/api/v1/crm/fans/{name}", {"fan_id": ord(name)}, delay=0.4)
    local_api.json("GET", "/sandbox/api/v1/crm/fans/d", {"error": "down"}, status=503, delay=0.4)
    client = TbitsClient(
        base_url=local_api.base_url, api_key="k", api_secret=API_SECRET, max_retries=0
    )
    started = time.monotonic()
    results = client.run_concurrently({name: (lambda n=name: client.fan(n)) for name in "abcd"})
    elapsed = time.monotonic() - started
    assert elapsed < 1.2, "the four 0.4 s calls did not overlap"
    assert [results[n].unwrap().fan_id for n in "abc"] == [97, 98, 99]
    assert results["d"].ok is False
    assert isinstance(results["d"].error, ServerError)
    with pytest.raises(ServerError):
        results["d"].unwrap()


def test_run_concurrently_with_zero_or_one_call_needs_no_thread() -> None:
    assert run_concurrently({}) == {}
    caller = threading.current_thread()
    result = run_concurrently({"one": lambda: threading.current_thread()})
    assert result == {"one": Result(value=caller)}


def test_nested_run_concurrently_does_not_deadlock_the_shared_pool(local_api: LocalApi) -> None:
    local_api.json("GET", "/sandbox/api/v1/businesses", [])
    client = TbitsClient(base_url=local_api.base_url, api_key="k", pool_maxsize=1)

    def inner() -> Any:
        nested = client.run_concurrently({"x": client.businesses, "y": client.businesses})
        return [nested[key].unwrap() for key in ("x", "y")]

    done: list[Any] = []
    worker = threading.Thread(
        target=lambda: done.append(client.run_concurrently({"p": inner, "q": inner})),
        daemon=True,
    )
    worker.start()
    worker.join(timeout=10)
    assert done, "nested run_concurrently deadlocked"
    assert done[0]["p"].unwrap() == [[], []]


def test_one_client_shared_by_many_threads(local_api: LocalApi) -> None:
    def echo(request: Recorded) -> tuple[int, dict[str, str], Any]:
        session_uid = request.path.split("/")[-2]
        return 200, {}, {"fan_id": int(session_uid.removeprefix("s-")), "first_name": "F"}

    for number in range(40):
        local_api.route("GET", f"/sandbox/api/v1/sessions/s-{number}/fan", echo)
    client = TbitsClient(base_url=local_api.base_url, api_key="k", pool_maxsize=4)
    errors: list[BaseException] = []
    mismatches: list[tuple[int, int]] = []
    barrier = threading.Barrier(8)

    def work(offset: int) -> None:
        barrier.wait()
        for step in range(25):
            number = (offset * 25 + step) % 40
            try:
                fan = client.get_session_fan(f"s-{number}")
            except BaseException as error:  # collected and asserted below
                errors.append(error)
                continue
            if fan.fan_id != number:
                mismatches.append((number, fan.fan_id))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == [] and mismatches == []
    assert len(local_api.requests) == 200
    # The pool reuses connections: far fewer sockets than requests (bounded by the pool,
    # plus a few a blocked thread may open and discard when the pool is momentarily full).
    assert len(local_api.connections) < 50
    client.close()


def test_run_concurrently_makes_the_last_call_in_the_callers_thread() -> None:
    """The caller would only wait: it makes one call itself, the rest go to the pool."""
    caller = threading.current_thread()
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = run_concurrently(
            {name: threading.current_thread for name in ("a", "b", "c")}, executor=pool
        )
    assert list(results) == ["a", "b", "c"]
    assert results["c"].value is caller
    assert results["a"].value is not caller and results["b"].value is not caller
