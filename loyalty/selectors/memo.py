"""The per-request memo: whatever a page reads is read once per request.

A page asks for the business, the fan's data and their combination from several places
(the view, the context processor's template tags, a service); the first ask computes it,
the others get the same object. It lives on the request, so it ends with it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest

T = TypeVar("T")

_MEMO_ATTRIBUTE = "_tbits_loyalty_memo"


def request_memo(request: HttpRequest) -> dict[str, Any]:
    """This request's memo (created on first use)."""
    memo = getattr(request, _MEMO_ATTRIBUTE, None)
    if memo is None:
        memo = {}
        setattr(request, _MEMO_ATTRIBUTE, memo)
    return memo


def memoised(request: HttpRequest, name: str, compute: Callable[[], T]) -> T:
    """``compute()``'s value, computed on the first ask of this request only."""
    memo = request_memo(request)
    if name not in memo:
        memo[name] = compute()
    return memo[name]


def reset_request_memo(request: HttpRequest) -> None:
    """Forget what this request read (after a write changed it)."""
    request_memo(request).clear()
