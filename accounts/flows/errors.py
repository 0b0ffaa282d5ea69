"""The one error a flow raises for something the fan can fix."""

from __future__ import annotations


class FlowError(Exception):
    """A step the fan can retry or correct; ``key`` names an adapter error message.

    Errors of the API that are not the fan's doing (down, rate limited, session expired)
    are not turned into this: they propagate, and :mod:`accounts.failures` says what the
    fan sees.
    """

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key
