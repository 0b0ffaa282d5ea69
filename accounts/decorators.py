"""Keep anonymous fans out of a view: they are sent to log in, then come back."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from accounts.failures import login_url_with_next

ViewFunction = Callable[..., HttpResponse]


def fan_login_required(view: ViewFunction) -> ViewFunction:
    """Redirect to ``tbits_accounts:login?next=<this page>`` unless a fan is logged in."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if getattr(request, "fan", None) is None:
            return HttpResponseRedirect(login_url_with_next(request))
        return view(request, *args, **kwargs)

    return wrapper


class FanLoginRequiredMixin:
    """The class-based view version of :func:`fan_login_required`; put it first in bases."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if getattr(request, "fan", None) is None:
            return HttpResponseRedirect(login_url_with_next(request))
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
