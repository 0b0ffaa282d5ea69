"""Run several independent API calls at once and collect each one's value or error.

A portal page typically needs four or five fan-specific answers; fetched one after another
their latencies add up, fetched together the page waits for the slowest only. Each call's
failure is kept apart, so a page can still show the quests when the rewards call failed.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Mapping
from concurrent.futures import Executor, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

__all__ = ["Result", "run_concurrently"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Result(Generic[T]):
    """One call's outcome: a value, or the exception it raised."""

    value: T | None = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def unwrap(self) -> T:
        """The value, or re-raise the call's error (so the web layer handles it as usual)."""
        if self.error is not None:
            raise self.error
        return self.value  # type: ignore[return-value]


def _capture(call: Callable[[], Any]) -> Result[Any]:
    try:
        return Result(value=call())
    except Exception as error:  # handed back to the caller, never swallowed
        return Result(error=error)


def run_concurrently(
    calls: Mapping[str, Callable[[], Any]],
    *,
    executor: Executor | None = None,
    max_workers: int = 8,
) -> dict[str, Result[Any]]:
    """Run the zero-argument callables at once; return ``name -> Result`` for all, in order.

    Waits for every call (each is bounded by the client's own timeouts). The caller's
    thread would only wait, so it makes the last call itself: n calls take n - 1 thread
    handoffs, and one call, or none, takes no thread at all. ``executor`` lets a client
    share one pool between pages.
    """
    if len(calls) <= 1:
        return {name: _capture(call) for name, call in calls.items()}
    *others, (last_name, last_call) = calls.items()
    pool = executor or ThreadPoolExecutor(
        max_workers=min(max_workers, len(others)), thread_name_prefix="tbits"
    )
    try:
        # Each call in a copy of the caller's context: what it holds (the web request's
        # call tally, see tbits_client.tally) follows the call into the worker thread.
        futures = {
            name: pool.submit(contextvars.copy_context().run, _capture, call)
            for name, call in others
        }
        mine = _capture(last_call)
        wait(futures.values())
    finally:
        if executor is None:
            pool.shutdown()
    results = {name: future.result() for name, future in futures.items()}
    results[last_name] = mine
    return {name: results[name] for name in calls}
