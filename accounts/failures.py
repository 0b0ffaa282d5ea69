"""The one place where an error of the API, of our limits or of a flow becomes what a fan sees.

Whatever met the error (a view, a flow, the middleware), the fan gets one of four answers:

* the fan's API session expired -> the fan's session ends and they log in again, coming
  back to ``next`` (:func:`error_page`, reached through the middleware);
* rate limited, by the API or by our own limits -> 429 with ``Retry-After``; no worker
  ever sleeps waiting for it;
* the API down, failing, answering nonsense or its circuit open -> 503, with
  ``Retry-After`` when the circuit knows when it will let a request through;
* a refusal the fan can fix (a :class:`~accounts.flows.errors.FlowError`) -> the form
  again with the adapter's message.

Two ways out, one classification (:func:`classify`):

* :func:`error_page` renders the 429 or 503 page (or the login redirect) for a page that has
  nothing to keep; :class:`~accounts.middleware.TbitsMiddleware` calls it from
  ``process_exception``, so ordinary views never catch API errors at all.
* :func:`form_failure` is for a view that saves what the fan typed (registration, the
  profile, a code request): a friendly error page would be truthful but throw away the
  names typed on a phone at a venue. The view catches :data:`FORM_FAILURES` around its one
  call that saves and returns ``form_failure(...)``: the same form, the fan's input, the
  message, and the status and headers of the error page, so that nothing, a monitoring
  probe or a test included, can mistake it for success. An expired session is raised again
  for the middleware: there is nothing to keep when the fan must log in anyway.
"""

from __future__ import annotations

import enum
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from accounts.adapter import get_adapter
from accounts.fan import end_fan_session, tell_session_ended
from accounts.flows.errors import FlowError
from accounts.forms import AccessibleForm
from accounts.logs import loggable_path
from accounts.ratelimit import CounterUnavailable, RateLimitExceeded
from tbits_client import CircuitOpen, RateLimited, SessionExpired, TbitsError

logger = logging.getLogger(__name__)

#: What a form view catches around the call that saves: refusals, rate limits, outages.
FORM_FAILURES = (FlowError, TbitsError, RateLimitExceeded, CounterUnavailable)
#: When neither the API nor our limit says how long to wait.
DEFAULT_RETRY_AFTER = 60


class FailureKind(enum.StrEnum):
    """The four things a fan can be told when something did not happen."""

    SESSION_EXPIRED = "session_expired"
    RATE_LIMITED = "rate_limited"
    UNAVAILABLE = "unavailable"
    REFUSED = "refused"


@dataclass(frozen=True)
class Failure:
    """What one error means for the fan: its kind, the HTTP status and when to retry."""

    kind: FailureKind
    status: int
    retry_after: int | None = None
    #: The adapter message of a refusal (a ``FlowError``'s key).
    refusal_key: str | None = None


@dataclass(frozen=True)
class Wording:
    """The adapter keys a form shows when it could not save: for an outage, a rate limit."""

    unavailable: str
    rate_limited: str

    def message(self, failure: Failure) -> str:
        """The adapter's message for ``failure`` shown on the form."""
        adapter = get_adapter()
        if failure.kind is FailureKind.REFUSED:
            return adapter.error_message(str(failure.refusal_key))
        if failure.kind is FailureKind.RATE_LIMITED:
            return adapter.error_message(self.rate_limited, seconds=failure.retry_after)
        return adapter.error_message(self.unavailable)


#: Registration, the profile, the password, a wristband: "nothing was saved".
NOT_SAVED = Wording(unavailable="not_saved", rate_limited="not_saved_rate_limited")
#: The login form's code request: "no code was sent".
CODE_NOT_SENT = Wording(
    unavailable="code_not_sent_unavailable", rate_limited="code_not_sent_rate_limited"
)


def classify(error: Exception) -> Failure | None:
    """What ``error`` means for the fan; ``None`` for an error that is not ours to answer."""
    if isinstance(error, SessionExpired):
        return Failure(FailureKind.SESSION_EXPIRED, status=302)
    if isinstance(error, RateLimited | RateLimitExceeded):
        seconds = max(1, int(error.retry_after or DEFAULT_RETRY_AFTER))
        return Failure(FailureKind.RATE_LIMITED, status=429, retry_after=seconds)
    if isinstance(error, CounterUnavailable):
        # The rate-limit counters are down: refused as an outage (503), not as the fan's
        # excess (429), which it is not.
        return Failure(FailureKind.UNAVAILABLE, status=503, retry_after=error.retry_after)
    if isinstance(error, FlowError):
        return Failure(FailureKind.REFUSED, status=200, refusal_key=error.key)
    if isinstance(error, TbitsError):
        # Down, timeout, 5xx, malformed answer, misconfigured key: none is the fan's doing.
        # An open circuit knows when it will let a request through again; say so.
        circuit_retry = error.retry_after if isinstance(error, CircuitOpen) else None
        retry_after = int(circuit_retry) if circuit_retry else None
        return Failure(FailureKind.UNAVAILABLE, status=503, retry_after=retry_after)
    return None


# -- a page with nothing to keep --------------------------------------------------------


def error_page(request: HttpRequest, error: Exception) -> HttpResponse | None:
    """The login redirect, 429 page or 503 page for ``error``; ``None`` if not an API error.

    A refusal (``FlowError``) is the view's to show on its form: one that escapes is a bug,
    and is left to Django like any other exception.
    """
    failure = classify(error)
    if failure is None or failure.kind is FailureKind.REFUSED:
        return None
    if failure.kind is FailureKind.SESSION_EXPIRED:
        target = login_url_with_next(request)
        # Only the fan's part of the session ends: see accounts.fan.end_fan_session.
        end_fan_session(request)
        tell_session_ended(request)
        return HttpResponseRedirect(target)
    if failure.kind is FailureKind.RATE_LIMITED:
        seconds = int(failure.retry_after or DEFAULT_RETRY_AFTER)
        context = {
            "retry_after": seconds,
            # Past a minute and a half, "3 minutes" reads better than "170 seconds".
            "retry_minutes": math.ceil(seconds / 60) if seconds > 90 else None,
            "retry_url": _retry_url(request),
        }
        template = "tbits_accounts/errors/429.html"
    else:
        context = {"retry_url": _retry_url(request)}
        template = "tbits_accounts/errors/503.html"
    response = TemplateResponse(request, template, context, status=failure.status)
    _finish(request, response, failure, error)
    # The failing URL may be the OAuth callback, whose query holds a code: never leak it.
    response["Referrer-Policy"] = "no-referrer"
    return response.render()


#: Set by :func:`accounts.decorators.fan_login_required` on a request whose view declares
#: the page its form lives on (``return_to``): where a POST sends the fan back to.
RETURN_TO_ATTRIBUTE = "tbits_return_to"


def login_url_with_next(request: HttpRequest) -> str:
    """The login URL carrying, as ``next``, a page the browser can GET after logging in.

    A GET comes back to itself. A POST cannot: several POST-only actions (complete a quest,
    change the password) have no page of their own, and after the login the browser GETs
    ``next``, which would answer a bare 405. So a POST comes back to the page its form was
    on: the one its view declares (``fan_login_required(return_to=...)``: the quest board at
    the quest's card), else the page it was submitted from (a same-site ``Referer``), else
    nowhere in particular (the login's usual landing page).
    """
    if request.method in ("GET", "HEAD"):
        target: str | None = request.get_full_path()
    else:
        target = getattr(request, RETURN_TO_ATTRIBUTE, None) or _referring_page(request)
    login = reverse("tbits_accounts:login")
    return f"{login}?{urlencode({'next': target})}" if target else login


def _referring_page(request: HttpRequest) -> str | None:
    """The same-site page a form was submitted from (path and query), when the browser says."""
    referer = request.META.get("HTTP_REFERER")
    if referer and get_adapter().is_safe_url(request, referer):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return None


def _retry_url(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name == "tbits_accounts:oauth_callback":
        # Its one-time value is spent: "try again" means signing in again.
        return reverse("tbits_accounts:login")
    # Retrying a GET repeats it; a failed POST is retried by showing its form again, from
    # the page the fan submitted it on: several POST-only actions (complete a quest, change
    # the password) have no page of their own, and a link to one would answer 405.
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    return _referring_page(request) or request.path


# -- a form that keeps what the fan typed -----------------------------------------------


def form_failure(
    request: HttpRequest,
    error: Exception,
    *,
    form: forms.Form,
    render: Callable[[], HttpResponse],
    field: str | None = None,
    wording: Wording = NOT_SAVED,
) -> HttpResponse:
    """The form page again, with the fan's input and why ``error`` kept it from saving.

    ``render`` draws the page around ``form``; ``field`` is where the message goes (the
    whole form when ``None``). A refusal answers 200, like any form with an error; a rate
    limit or an outage answers 429 or 503 with ``Retry-After`` when known. An expired
    session, and anything that is not an API error, is raised again.
    """
    failure = classify(error)
    if failure is None or failure.kind is FailureKind.SESSION_EXPIRED:
        raise error
    message = wording.message(failure)
    if isinstance(form, AccessibleForm):
        # Focus and ARIA move to the new error, as for one found by validation.
        form.add_flow_error(message, field=field)
    else:
        form.add_error(field, message)
    response = render()
    if failure.kind is FailureKind.REFUSED:
        return response
    response.status_code = failure.status
    _finish(request, response, failure, error)
    return response


def _finish(
    request: HttpRequest, response: HttpResponse, failure: Failure, error: Exception
) -> None:
    """What every 429 and 503 answer shares: ``Retry-After``, no-store, a saved session,
    and for a 503 the one log line."""
    if failure.kind is FailureKind.UNAVAILABLE:
        _log_unavailable(request, response, error)
    session = getattr(request, "session", None)
    if failure.status >= 500 and session is not None and session.modified and session.session_key:
        # Django skips saving the session of a 5xx answer; what the flow learned before the
        # failure (a code attempt counted, an answer that never came) must still count, or
        # timeouts would hand out free guesses.
        session.save()
    if failure.retry_after is not None:
        response["Retry-After"] = str(failure.retry_after)
    response["Cache-Control"] = "no-store"


def _log_unavailable(request: HttpRequest, response: HttpResponse, error: Exception) -> None:
    """One WARNING line naming the page, the call and its status; no traceback.

    Expected (the API is down, slow or answering nonsense), so a flood of failing requests
    must not flood the site's log, nor its error reports. Django would also log every 5xx
    answer on ``django.request`` at ERROR, which a site's default ``LOGGING`` mails to its
    ``ADMINS`` (a report per fan's page) and error trackers record as a crash; this line
    says all of it, so the answer is marked as logged (the attribute Django's
    ``log_response`` checks, on Django 5.2 and 6).
    """
    logger.warning(
        "API unavailable for %s: %s %s",
        loggable_path(request),
        getattr(error, "endpoint", None) or type(error).__name__,
        getattr(error, "http_status", None) or "no answer",
    )
    response._has_been_logged = True  # type: ignore[attr-defined]
