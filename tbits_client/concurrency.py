"""Run several independent API calls at once and collect each one's value or error.

A portal page typically needs four or five fan-specific answers; fetched one after another
their latencies add up, fetched together the page waits for the slowest only. Each call's
failure is kept apart, so a page can still show the quests when the rewards call failed.
"""

from __future__ import annotations

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
    """Run each zero-argument callable in a thread; return ``name -> Result`` for all.

    Waits for every call (each is bounded by the client's own timeouts). With one call, or
    none, no thread is used. ``executor`` lets a client share one pool between pages.
    """
    if len(calls) <= 1:
        return {name: _capture(call) for name, call in calls.items()}
    if executor is None:
        with ThreadPoolExecutor(
            max_workers=min(max_workers, len(calls)), thread_name_prefix="tbits"
        ) as pool:
            futures = {name: pool.submit(_capture, call) for name, call in calls.items()}
    else:
        futures = {name: executor.submit(_capture, call) for name, call in calls.items()}
        wait(futures.values())
    return {name: future.result() for name, future in futures.items()}
