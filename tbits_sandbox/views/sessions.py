"""Account status, Sessions/Connect, the session-bound calls and idols."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db.models import Q
from django.utils import timezone

from tbits_sandbox import connect, days, payloads
from tbits_sandbox.models import Fan, FanSession, Idol, IdolEvent
from tbits_sandbox.wire import ApiError, ApiRequest, api_endpoint, bad_request, parse_uid

DISPLAY_NAME = re.compile(r"^[\w][\w .'-]{1,30}[\w.]$")


@api_endpoint(methods=["GET", "POST"])
def status(api: ApiRequest) -> dict[str, Any]:
    """Branding and legal texts shown before the login form."""
    account = api.account
    image_url = payloads.media_url(api.http, account.logo_media_id)
    return {
        "account_id": account.account_id,
        "legal_terms": account.legal_terms,
        "legal_privacy": account.legal_privacy,
        "header_text": account.header_text,
        "image_url": image_url,
        "terms_required": account.terms_acceptance_required,
    }


@api_endpoint(methods=["POST"])
def sessions_connect(api: ApiRequest) -> dict[str, Any]:
    """Every step of Sessions/Connect (see :mod:`tbits_sandbox.connect`)."""
    return connect.connect(api)


def live_session(api: ApiRequest, session_uid: str) -> FanSession:
    """The session, or 401 when it is unknown, of another account or expired."""
    try:
        key = parse_uid(session_uid, name="session_uid")
    except ApiError:
        raise ApiError(401, "Invalid or expired session.") from None
    record = (
        FanSession.objects.select_related("fan")
        .filter(session_uid=key, account=api.account)
        .first()
    )
    if record is None or record.expiration_timestamp <= timezone.now():
        raise ApiError(401, "Invalid or expired session.")
    return record


def session_fan(api: ApiRequest, session_uid: str) -> Fan:
    """The fan of a live session; a guest session has none (400)."""
    record = live_session(api, session_uid)
    if record.fan is None:
        raise bad_request("This is a guest session; it has no fan.")
    return record.fan


@api_endpoint(methods=["GET"])
def session_detail(api: ApiRequest, session_uid: str) -> dict[str, Any]:
    """GET /api/v1/sessions/{session_uid}."""
    return payloads.session(live_session(api, session_uid))


def clean_display_name(account_id: int, raw: str, *, fan: Fan | None = None) -> str:
    """A valid, free display name, or 400."""
    name = raw.strip()
    if not DISPLAY_NAME.match(name):
        raise bad_request(
            "display_name must be 3 to 32 letters, digits, spaces, dots, dashes or underscores."
        )
    taken = Fan.objects.filter(account_id=account_id, display_name__iexact=name)
    if fan is not None:
        taken = taken.exclude(pk=fan.pk)
    if taken.exists():
        raise bad_request("display_name is already taken.")
    return name


def update_fan(api: ApiRequest, fan: Fan) -> Fan:
    """Apply the documented profile fields; unknown fields are ignored, as the API does."""
    for name in ("first_name", "last_name"):
        if name in api.params:
            setattr(fan, name, api.text(name, max_length=64))
    if "display_name" in api.params:
        raw = api.text("display_name")
        fan.display_name = clean_display_name(fan.account_id, raw, fan=fan) if raw else ""
    if api.has("password"):
        fan.password_hash = make_password(connect.clean_password(api.params["password"]))
    for name in ("is_subscribed", "is_phone_subscribed"):
        if name in api.params:
            setattr(fan, name, api.boolean(name))
    if "phone" in api.params:
        phone = connect.clean_phone(api.text("phone")) if api.has("phone") else None
        if (
            phone
            and Fan.objects.filter(account_id=fan.account_id, phone=phone)
            .exclude(pk=fan.pk)
            .exists()
        ):
            raise bad_request("phone belongs to another fan.")
        fan.phone = phone or ""
    if "birth_date" in api.params:
        fan.birth_date = api.day("birth_date")
    for name in ("city", "province", "postal_code"):
        if name in api.params:
            setattr(fan, name, api.text(name, max_length=64))
    if "country_code" in api.params:
        fan.country_code = api.text("country_code", max_length=2).upper()
    tags = list(fan.tags)
    for key in api.params:
        if key.startswith("props_"):
            fan.props = {**fan.props, key.removeprefix("props_"): api.params[key]}
        elif key.startswith("field_"):
            fan.fields = {**fan.fields, key.removeprefix("field_"): api.params[key]}
        elif key.startswith("tag_"):
            tag = key.removeprefix("tag_")
            if api.boolean(key, default=True):
                if tag not in tags:
                    tags.append(tag)
            elif tag in tags:
                tags.remove(tag)
    fan.tags = tags
    fan.save()
    return fan


@api_endpoint(methods=["GET", "POST"])
def session_fan_view(api: ApiRequest, session_uid: str) -> dict[str, Any]:
    """GET or update the fan of the session; the answer is the whole fan record."""
    fan = session_fan(api, session_uid)
    if api.http.method == "POST":
        fan = update_fan(api, fan)
    return payloads.fan(fan, api.http)


@api_endpoint(methods=["GET"])
def session_points(api: ApiRequest, session_uid: str) -> list[dict[str, Any]]:
    """The fan's balance in each point type."""
    return payloads.fan_balances(session_fan(api, session_uid))


def _idols(api: ApiRequest, queryset: Any) -> list[dict[str, Any]]:
    label = api.text("label_name")
    name = api.text("idol_name").lower()
    result = []
    for item in queryset:
        if label and label not in item.label_names:
            continue
        if name and name not in item.idol_name.lower():
            continue
        result.append(payloads.idol(item, api.http))
    return result


@api_endpoint(methods=["GET"])
def idols(api: ApiRequest) -> list[dict[str, Any]]:
    """The account's idols, optionally of one label."""
    return _idols(api, Idol.objects.filter(account=api.account))


@api_endpoint(methods=["GET"])
def idol(api: ApiRequest, idol_uid: str) -> dict[str, Any]:
    """One idol of the account ("Obtain an idol for a given idol_uid"); 404 when unknown."""
    uid = parse_uid(idol_uid, name="idol_uid")
    record = Idol.objects.filter(account=api.account, idol_uid=uid).first()
    if record is None:
        raise ApiError(404, "Idol not found.")
    return payloads.idol(record, api.http)


@api_endpoint(methods=["GET"])
def idol_events(api: ApiRequest) -> list[dict[str, Any]]:
    """ "Based on the search parameters return a list of Idol Events" (api-reference.txt).

    The documented parameters, each narrowing the list when given: ``idol_uid``;
    ``venue_name`` (the venue, any case); ``q`` (words found, any case, in the idol's name,
    the venue, the city or the label); ``label_name`` (the event's or its idol's label);
    ``start_date`` / ``end_date`` (events that overlap those days). The reference gives no
    zone for the dates, so a day is read as wide as it is anywhere on Earth
    (:mod:`tbits_sandbox.days`): an event that touches the day in some zone is kept.
    """
    events = IdolEvent.objects.select_related("idol").filter(idol__account=api.account)
    idol_uid = api.uid("idol_uid")
    if idol_uid is not None:
        events = events.filter(idol_id=idol_uid)
    venue = api.text("venue_name")
    if venue:
        events = events.filter(venue_name__iexact=venue)
    for word in api.text("q").split():
        events = events.filter(
            Q(idol__idol_name__icontains=word)
            | Q(venue_name__icontains=word)
            | Q(city__icontains=word)
            | Q(label_name__icontains=word)
        )
    start_date, end_date = api.day("start_date"), api.day("end_date")
    if start_date is not None and end_date is not None and end_date < start_date:
        raise bad_request("end_date must not be before start_date.")
    if start_date is not None:
        events = events.filter(end_timestamp__gte=days.first_moment(start_date))
    if end_date is not None:
        events = events.filter(start_timestamp__lt=days.end_of(end_date))
    label = api.text("label_name")
    return [
        payloads.idol_event(event, api.http)
        for event in events
        if not label or label == event.label_name or label in event.idol.label_names
    ]


@api_endpoint(methods=["GET", "POST"])
def session_idols(api: ApiRequest, session_uid: str) -> Any:
    """The fan's liked idols, or like (action=add) / unlike (action=delete) one."""
    fan = session_fan(api, session_uid)
    if api.http.method == "GET":
        return _idols(api, fan.idols.all())
    action = api.text("action", required=True)
    if action not in {"add", "delete"}:
        raise bad_request("action must be add or delete.")
    idol_uid = api.uid("idol_uid")
    if idol_uid is not None:
        idol = Idol.objects.filter(account=api.account, idol_uid=idol_uid).first()
    elif api.has("idol_name"):
        idol = Idol.objects.filter(account=api.account, idol_name=api.text("idol_name")).first()
    else:
        raise bad_request("One of idol_uid or idol_name is required.")
    if idol is None:
        raise bad_request("No such idol on this account.")
    if action == "add":
        fan.idols.add(idol)
    else:
        fan.idols.remove(idol)
    return {"fan_id": fan.fan_id, "idol_uid": str(idol.idol_uid), "action": action}
