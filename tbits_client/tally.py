"""How many requests the API was sent on behalf of one unit of work (a web request).

A web layer wraps the work in :func:`counting_calls` and reads the tally afterwards, e.g.
for its one log line per request; calls made outside any tally cost nothing. The tally
lives in a context variable, so concurrent web requests each count their own calls, and
:func:`tbits_client.run_concurrently` runs its calls in a copy of the caller's context so
the calls it hands to worker threads are counted too.
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["CallTally", "counting_calls", "note_requests"]


class CallTally:
    """Requests sent (every retry attempt is one) and how long they took, in milliseconds."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests = 0
        self.milliseconds = 0

    def add(self, requests: int, milliseconds: int) -> None:
        """Count ``requests`` more sent requests; worker threads add at once."""
        with self._lock:
            self.requests += requests
            self.milliseconds += milliseconds


_current: contextvars.ContextVar[CallTally | None] = contextvars.ContextVar(
    "tbits_call_tally", default=None
)


@contextmanager
def counting_calls() -> Iterator[CallTally]:
    """Count every request the client sends inside the ``with`` block (nested ones too)."""
    tally = CallTally()
    token = _current.set(tally)
    try:
        yield tally
    finally:
        _current.reset(token)


def note_requests(requests: int, milliseconds: int) -> None:
    """Add to the current tally, if any (the requestor calls this once per call)."""
    tally = _current.get()
    if tally is not None and requests > 0:
        tally.add(requests, milliseconds)
