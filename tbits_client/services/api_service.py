"""The base of every API-area service, and how a creation call's answer is read."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

from ..errors import InvalidResponse
from ..requestor import Requestor

__all__ = ["ApiService", "answer_mapping", "merged_with_sent"]


class ApiService:
    """Holds the requestor its calls go through (shared with every other service)."""

    _requestor: Requestor

    def __init__(self, requestor: Requestor) -> None:
        self._requestor = requestor

    def _call(self, name: str, **options: Any) -> Any:
        """Send the endpoint row ``name``; the options are :meth:`Requestor.request`'s.

        The one door every call goes through, so a test (or a subclass) can watch which
        endpoints a page costs.
        """
        return self._requestor.request(name, **options)


def answer_mapping(answer: Any) -> Mapping[str, Any]:
    """A creation answer as a mapping ({} when the API sent nothing or just a literal)."""
    if isinstance(answer, Mapping):
        return answer
    if answer is None or isinstance(answer, bool | int | str):
        return {}
    raise InvalidResponse(f"expected a JSON object, got {type(answer).__name__}")


def merged_with_sent(sent: Mapping[str, Any], answer: Any) -> dict[str, Any]:
    """What was sent, overlaid with what the API answered (it wins on every key).

    Creation calls answer only the new id; merging gives the caller a complete model.
    """
    known = {
        key: (value.value if isinstance(value, enum.Enum) else value)
        for key, value in sent.items()
        if value is not None
    }
    return {**known, **answer_mapping(answer)}
