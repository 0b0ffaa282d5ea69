"""API calls made together: each cached value declares its calls once, a page batches them.

A page reads a few cached values (the business list, the catalogue, the fan's balance and
completions, tags, rewards held). Each is a :class:`Source`: whether reading it would call
the API (``ready``), and the calls it is built from (``calls``), given what is already
known. Some calls need another's answer first: the tiers need the business's point type
(from the business list), the fan record is worth a call only if a quest is tag-restricted
(from the quests). :meth:`Answers.prefetch` issues, for every source not ready, every call
whose inputs are known, all at once; then again with what those answers taught, until no
call is left. A cold page is thus two round trips, a warm one one. The answers wait on the
request for the loaders, which take them through the same declarations
(:meth:`Answers.take`) instead of calling; a failed call fails the loader that needs it,
exactly as without the prefetch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from accounts.api import get_client
from loyalty.selectors.memo import memoised
from tbits_client import Result

#: API calls by name: names are unique across the sources of one page.
Calls = Mapping[str, Callable[[], Any]]


@dataclass(frozen=True)
class Source:
    """A cached value a page reads, and the API calls it is built from."""

    #: Whether the value is cached, so reading it will not call the API.
    ready: Callable[[], bool]
    #: The calls whose inputs are known, given the answers so far (more may follow later).
    calls: Callable[[Answers], Calls]


class Answers:
    """The API answers fetched ahead for one request, each waiting for its loader."""

    def __init__(self) -> None:
        self._waiting: dict[str, Result[Any]] = {}

    def peek(self, name: str) -> Any | None:
        """The value of a waiting answer, or None (not fetched, or failed): an input."""
        result = self._waiting.get(name)
        return result.value if result is not None and result.ok else None

    def take(self, calls: Calls) -> dict[str, Result[Any]]:
        """Each call's answer: the one fetched ahead (used once), the others fetched now.

        Used once, so a value read again after a write (``forget_fan``) is fetched again.
        """
        ready = {name: self._waiting.pop(name) for name in list(calls) if name in self._waiting}
        missing = {name: call for name, call in calls.items() if name not in ready}
        fetched = get_client().run_concurrently(missing) if missing else {}
        return {**ready, **fetched}

    def prefetch(self, sources: Iterable[Source]) -> None:
        """Fetch, in as few round trips as their dependencies allow, every call not ready."""
        pending = list(sources)
        while True:
            pending = [source for source in pending if not source.ready()]
            wave: dict[str, Callable[[], Any]] = {}
            for source in pending:
                for name, call in source.calls(self).items():
                    if name not in self._waiting:
                        wave.setdefault(name, call)
            if not wave:
                return
            self._waiting.update(get_client().run_concurrently(wave))


def answers(request: HttpRequest) -> Answers:
    """This request's answers (kept in the request memo, so a reset drops them too)."""
    return memoised(request, "answers", Answers)
