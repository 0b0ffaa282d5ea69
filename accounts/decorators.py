"""Keep anonymous fans out of a view: they are sent to log in, then come back."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, overload

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve

from accounts.failures import RETURN_TO_ATTRIBUTE, login_url_with_next
from accounts.fan import tell_session_ended

ViewFunction = Callable[..., HttpResponse]
#: The GET-able page a POST-only view's form lives on, from the view's own arguments.
ReturnTo = Callable[..., str]
#: On every view :func:`fan_login_required` wraps: its ``return_to``, or None.
RETURN_TO_MARK = "tbits_fan_return_to"


def _to_login(request: HttpRequest) -> HttpResponse:
    """The login redirect for a request without a fan.

    A form posted without a fan was shown to one whose session has ended since (the idle or
    absolute timeout, or the session cookie gone): say so, rather than show the login page
    as if nothing had happened, and come back to the form's page, not to the POST's URL.
    """
    if request.method not in ("GET", "HEAD"):
        tell_session_ended(request)
    return HttpResponseRedirect(login_url_with_next(request))


@overload
def fan_login_required(view: ViewFunction) -> ViewFunction: ...


@overload
def fan_login_required(
    view: None = None, *, return_to: ReturnTo
) -> Callable[[ViewFunction], ViewFunction]: ...


def fan_login_required(
    view: ViewFunction | None = None, *, return_to: ReturnTo | None = None
) -> ViewFunction | Callable[[ViewFunction], ViewFunction]:
    """Redirect to ``tbits_accounts:login?next=<this page>`` unless a fan is logged in.

    ``return_to(request, *args, **kwargs)`` names the page a POST-only view's form is on
    (e.g. the quest board at the quest's card): the ``next`` of a POST whose session has
    ended, here or when the API says so during the view (see
    :func:`accounts.failures.login_url_with_next`).
    """

    def decorate(view: ViewFunction) -> ViewFunction:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if return_to is not None and request.method not in ("GET", "HEAD"):
                setattr(request, RETURN_TO_ATTRIBUTE, return_to(request, *args, **kwargs))
            if getattr(request, "fan", None) is None:
                return _to_login(request)
            return view(request, *args, **kwargs)

        setattr(wrapper, RETURN_TO_MARK, return_to)
        return wrapper

    return decorate(view) if view is not None else decorate


class FanLoginRequiredMixin:
    """The class-based view version of :func:`fan_login_required`; put it first in bases."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if getattr(request, "fan", None) is None:
            return _to_login(request)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


def post_after_session_ended(request: HttpRequest) -> HttpResponse | None:
    """The login redirect for a form posted, without a fan, to a view that needs one; or None.

    Ending the fan's session rotates the CSRF token (:func:`accounts.fan.end_fan_session`),
    so a form shown before it ended carries a token that no longer matches, and Django's
    CSRF check would answer the fan's "Complete" with a bare 403. The session may have
    ended on this POST or on any request since the form was shown (an image of the page,
    the favicon). For a view that needs a fan nothing could happen anyway: the middleware
    answers here, before that check, with what :func:`fan_login_required` answers (the
    session-ended message, ``next`` = the form's page). Any other POST goes on as before.
    """
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    if not hasattr(match.func, RETURN_TO_MARK):
        return None
    return_to = getattr(match.func, RETURN_TO_MARK)
    if return_to is not None:
        setattr(request, RETURN_TO_ATTRIBUTE, return_to(request, *match.args, **match.kwargs))
    return _to_login(request)
