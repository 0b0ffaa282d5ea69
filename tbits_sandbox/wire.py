"""How the sandbox reads requests and writes answers, the way the documented API does.

Parameters arrive form-encoded in the body or in the query string (both are merged, the body
winning); credentials may also come as ``Api-Key`` / ``Api-Secret`` headers. Answers are
JSON; errors are ``{"error": "<message>"}`` with 400, 401, 404 or 429.
"""

from __future__ import annotations

import functools
import hmac
import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, Concatenate, ParamSpec

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.csrf import csrf_exempt

from tbits_sandbox import documented, faults
from tbits_sandbox.models import Account

P = ParamSpec("P")

# One lock for every API call of this process. With SQLite (the demo and the test suite),
# Django shares a single connection between the live server's request threads, and two
# interleaved transactions on one connection corrupt each other. Serialising the calls here
# costs nothing at sandbox scale; correctness across processes (several workers on
# PostgreSQL) comes from constraints and conditional updates in the database, not this lock.
_API_LOCK = threading.RLock()

TRUE_VALUES = frozenset({"1", "true", "yes", "on", "t", "y"})
FALSE_VALUES = frozenset({"0", "false", "no", "off", "f", "n", ""})
MAX_POINTS = 10_000_000


class ApiError(Exception):
    """An answer other than 200, raised anywhere below a view and rendered as JSON."""

    def __init__(self, status: int, message: str, *, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.retry_after = retry_after


def bad_request(message: str) -> ApiError:
    """A 400 with the given descriptive message."""
    return ApiError(400, message)


def error_response(error: ApiError) -> JsonResponse:
    """Render an :class:`ApiError` the way the API does."""
    response = JsonResponse({"error": error.message}, status=error.status)
    if error.retry_after is not None:
        response["Retry-After"] = str(max(1, error.retry_after))
    return response


def json_answer(payload: Any) -> JsonResponse:
    """A 200 JSON answer; lists are allowed, as the API answers lists at the top level."""
    return JsonResponse(payload, safe=False, json_dumps_params={"separators": (",", ":")})


def merged_params(request: HttpRequest) -> QueryDict:
    """Query string and form body in one QueryDict (the body wins on a shared name).

    Django parses bodies only for POST, and the API also takes form bodies on DELETE.
    """
    params = request.GET.copy()
    if request.method == "POST":
        body = request.POST
    elif request.body and request.content_type == "application/x-www-form-urlencoded":
        body = QueryDict(request.body, encoding=request.encoding)
    else:
        body = QueryDict()
    for key in body:
        params.setlist(key, body.getlist(key))
    return params


@dataclass(frozen=True)
class ApiRequest:
    """The parsed parameters of one call, with typed accessors that raise 400s."""

    params: QueryDict
    account: Account
    http: HttpRequest

    def text(self, name: str, *, required: bool = False, max_length: int | None = None) -> str:
        """A stripped string parameter; empty when absent."""
        value = (self.params.get(name) or "").strip()
        if required and not value:
            raise bad_request(f"{name} is required.")
        if max_length is not None and len(value) > max_length:
            raise bad_request(f"{name} must be at most {max_length} characters.")
        return value

    def has(self, name: str) -> bool:
        """Whether the parameter was sent with a non-empty value."""
        return bool((self.params.get(name) or "").strip())

    def integer(
        self,
        name: str,
        *,
        required: bool = False,
        minimum: int | None = None,
        maximum: int | None = None,
    ) -> int | None:
        """An integer parameter, bounded; None when absent and not required."""
        raw = self.text(name, required=required)
        if not raw:
            return None
        try:
            value = int(raw)
        except ValueError:
            raise bad_request(f"{name} must be an integer.") from None
        if minimum is not None and value < minimum:
            raise bad_request(f"{name} must be at least {minimum:,}.")
        if maximum is not None and value > maximum:
            raise bad_request(f"{name} must be at most {maximum:,}.")
        return value

    def boolean(self, name: str, *, default: bool = False) -> bool:
        """A true/false/on/off/1/0 parameter."""
        raw = self.params.get(name)
        if raw is None:
            return default
        value = raw.strip().lower()
        if value in TRUE_VALUES:
            return True
        if value in FALSE_VALUES:
            return False
        raise bad_request(f"{name} must be true or false.")

    def uid(self, name: str, *, required: bool = False) -> uuid.UUID | None:
        """A UUID parameter."""
        raw = self.text(name, required=required)
        if not raw:
            return None
        return parse_uid(raw, name=name)

    def text_list(self, name: str) -> list[str]:
        """A list parameter: comma-separated, repeated keys, or ``name[]`` keys."""
        values: list[str] = []
        for key in (name, f"{name}[]"):
            for raw in self.params.getlist(key):
                values.extend(part.strip() for part in raw.replace("\n", ",").split(","))
        return [value for value in values if value]

    def bracketed_list(self, name: str) -> list[str]:
        """A list the reference names with brackets: one ``name[]`` pair per item.

        The bare name (``required_page_tab_ids=1,2``) is refused with a 400 rather than read
        one way or another: the API reference names only ``name[]`` (api-reference.txt,
        "Create quest for a performance"), and a guess could silently drop or merge values.
        Each value is one item, commas included.
        """
        if name in self.params:
            raise bad_request(f"{name} must be sent as {name}[], once per value.")
        values = (raw.strip() for raw in self.params.getlist(f"{name}[]"))
        return [value for value in values if value]

    def bracketed_int_list(self, name: str) -> list[int]:
        """A :meth:`bracketed_list` of integers."""
        result = []
        for raw in self.bracketed_list(name):
            try:
                result.append(int(raw))
            except ValueError:
                raise bad_request(f"{name} must be a list of integers.") from None
        return result

    def day(self, name: str, *, required: bool = False) -> date | None:
        """An ISO date (a datetime is accepted and cut to its date)."""
        raw = self.text(name, required=required)
        if not raw:
            return None
        parsed = parse_date(raw)
        if parsed is None:
            moment = _parse_moment(raw)
            if moment is None:
                raise bad_request(f"{name} must be an ISO date (YYYY-MM-DD).")
            parsed = moment.date()
        return parsed

    def moment(self, name: str, *, required: bool = False, tz: Any = None) -> datetime | None:
        """An ISO datetime; naive values are read in ``tz`` (default UTC)."""
        raw = self.text(name, required=required)
        if not raw:
            return None
        moment = _parse_moment(raw)
        if moment is None:
            day = parse_date(raw)
            if day is None:
                raise bad_request(f"{name} must be an ISO date-time (YYYY-MM-DDTHH:MM:SS).")
            moment = datetime(day.year, day.month, day.day)
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, tz or UTC)
        return moment

    def client_ip(self) -> str | None:
        """The fan's IP: the documented ``ip_address`` when sent, else the caller's address."""
        return self.text("ip_address") or self.http.META.get("REMOTE_ADDR") or None


def _parse_moment(raw: str) -> datetime | None:
    try:
        return parse_datetime(raw.replace(" ", "T", 1) if "T" not in raw else raw)
    except ValueError:
        return None


def parse_uid(raw: str, *, name: str) -> uuid.UUID:
    """A UUID or a 400 naming the parameter."""
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        raise bad_request(f"{name} is not a valid identifier.") from None


def credentials(request: HttpRequest, params: QueryDict) -> tuple[str, str]:
    """The api_key and api_secret sent, from the headers or the parameters."""
    key = request.headers.get("Api-Key") or params.get("api_key") or ""
    secret = request.headers.get("Api-Secret") or params.get("api_secret") or ""
    return key.strip(), secret.strip()


class Secret(StrEnum):
    """Whether a call needs the api_secret; a secret that is sent is always checked."""

    REQUIRED = "required"
    OPTIONAL = "optional"


def authenticate(request: HttpRequest, params: QueryDict, *, secret: Secret) -> Account:
    """The account the api_key names, checking the secret as the endpoint requires."""
    key, sent_secret = credentials(request, params)
    if not key:
        raise ApiError(401, "api_key is required.")
    account = Account.objects.filter(api_key=key).first()
    if account is None:
        raise ApiError(401, "Invalid api_key.")
    if secret == Secret.REQUIRED and not sent_secret:
        raise ApiError(401, "api_secret is required for this call.")
    if sent_secret and not hmac.compare_digest(sent_secret.encode(), account.api_secret.encode()):
        raise ApiError(401, "Invalid api_secret.")
    return account


ApiView = Callable[Concatenate[ApiRequest, P], Any]


def api_endpoint(
    *, methods: Iterable[str], secret: Secret = Secret.OPTIONAL
) -> Callable[[ApiView[P]], Callable[..., HttpResponse]]:
    """Turn a function of an :class:`ApiRequest` into a Django view of the emulated API.

    The wrapper applies injected faults, checks the method and credentials, serialises the
    call (see ``_API_LOCK``) and renders the returned payload or the raised ApiError.
    A view may return an HttpResponse itself (redirects, images). In the documented-only
    mode (:func:`documented_only`) a payload is cut to the fields ``documented.TABLE`` gives
    for the route and method, here and nowhere else. The view carries ``api_methods`` so
    that a test can list every call the table must cover.
    """
    allowed = frozenset(method.upper() for method in methods)

    def decorate(view: ApiView[P]) -> Callable[..., HttpResponse]:
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            injected = faults.apply(request)
            if injected is not None:
                return injected
            if request.method not in allowed:
                response = error_response(
                    ApiError(405, f"Method {request.method} is not allowed here.")
                )
                response["Allow"] = ", ".join(sorted(allowed))
                return response
            try:
                with _API_LOCK:
                    params = merged_params(request)
                    account = authenticate(request, params, secret=secret)
                    result = view(ApiRequest(params, account, request), *args, **kwargs)
            except ApiError as error:
                return error_response(error)
            if isinstance(result, HttpResponse):
                return result
            if documented_only():
                url_name = request.resolver_match.url_name if request.resolver_match else None
                result = documented.documented_answer(url_name, request.method or "", result)
            return json_answer(result)

        wrapper.api_methods = allowed  # type: ignore[attr-defined]
        return wrapper

    return decorate


def documented_only() -> bool:
    """Whether answers carry only the documented fields (read per call, so tests can switch)."""
    return bool(getattr(settings, "TBITS_SANDBOX_DOCUMENTED_ONLY", False))


def serialise_lock() -> threading.RLock:
    """The lock API calls hold, for other writers in this process (the OAuth pages)."""
    return _API_LOCK
