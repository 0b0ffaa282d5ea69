"""The CRM calls the portal may need: points ledger, leaderboard, fans, activities."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum

from tbits_sandbox import delivery, ledger, payloads
from tbits_sandbox.models import (
    Fan,
    FanActivity,
    FanPoint,
    FanRegistration,
    Performance,
    PointTypeRecord,
    Reward,
)
from tbits_sandbox.views.loyalty import fan_of
from tbits_sandbox.views.sessions import DISPLAY_NAME
from tbits_sandbox.vocabulary import PointType
from tbits_sandbox.wire import MAX_POINTS, ApiRequest, Secret, api_endpoint, bad_request

MAX_LIST = 1000
DEFAULT_LEADERBOARD = 10


@api_endpoint(methods=["GET"], secret=Secret.REQUIRED)
def fan_detail(api: ApiRequest, fan_id: str) -> dict[str, Any]:
    """A fan record, tags included."""
    return payloads.fan(fan_of(api, fan_id), api.http)


@api_endpoint(methods=["GET"], secret=Secret.REQUIRED)
def fan_points(api: ApiRequest, fan_id: str) -> list[dict[str, Any]]:
    """The fan's balance in each point type."""
    return payloads.fan_balances(fan_of(api, fan_id))


def _award(api: ApiRequest) -> dict[str, Any]:
    point_uid = api.uid("point_uid", required=True)
    point_type = PointTypeRecord.objects.filter(account=api.account, point_uid=point_uid).first()
    if point_type is None:
        raise bad_request("point_uid does not name a point type of this account.")
    fan_id = api.integer("fan_id", required=True)
    fan = Fan.objects.filter(account=api.account, fan_id=fan_id).first()
    if fan is None:
        raise bad_request("fan_id does not name a fan of this account.")
    count = api.integer("point_count", required=True, minimum=-MAX_POINTS, maximum=MAX_POINTS)
    kind = api.text("point_type") or PointType.POINTS
    if kind not in {item.value for item in PointType}:
        raise bad_request("point_type must be one of: points, atvenu, bestring.")
    reward_uid = api.uid("reward_uid")
    if (
        reward_uid
        and not Reward.objects.filter(business__account=api.account, reward_uid=reward_uid).exists()
    ):
        raise bad_request("reward_uid does not name a reward of this account.")
    award_key = api.text("award_key", max_length=128)
    if award_key:
        existing = FanPoint.objects.filter(
            point_type_record=point_type, fan=fan, award_key=award_key
        ).first()
        if existing is not None:
            return {**payloads.fan_point(existing), "is_duplicate": True}
    try:
        with transaction.atomic():
            record = FanPoint.objects.create(
                fan=fan,
                point_type_record=point_type,
                point_count=count or 0,
                point_type=kind,
                point_source="api",
                reward_uid=reward_uid,
                page_tab_id=api.integer("page_tab_id"),
                activity_id=api.integer("activity_id"),
                session_uid=api.uid("session_uid"),
                award_key=award_key,
                ip_address=api.text("ip_address") or None,
            )
    except IntegrityError:
        existing = FanPoint.objects.get(point_type_record=point_type, fan=fan, award_key=award_key)
        return {**payloads.fan_point(existing), "is_duplicate": True}
    delivery.process_rewards(account_id=api.account.account_id, fan_ids=[fan.fan_id])
    return {**payloads.fan_point(record), "is_duplicate": False}


@api_endpoint(methods=["GET", "POST"], secret=Secret.REQUIRED)
def fan_points_ledger(api: ApiRequest) -> Any:
    """The ledger between two dates (GET), or award points (POST, de-duplicated by award_key)."""
    if api.http.method == "POST":
        return _award(api)
    start = api.day("start_date", required=True)
    end = api.day("end_date", required=True)
    if start and end and end < start:
        raise bad_request("end_date must not be before start_date.")
    lower, upper = ledger.day_range(start=start, end=end)
    records = FanPoint.objects.select_related("fan", "point_type_record").filter(
        fan__account=api.account, creation_timestamp__gte=lower, creation_timestamp__lt=upper
    )
    point_uid = api.uid("point_uid")
    if point_uid:
        records = records.filter(point_type_record_id=point_uid)
    fan_id = api.integer("fan_id")
    if fan_id is not None:
        records = records.filter(fan_id=fan_id)
    limit = api.integer("limit", minimum=1, maximum=MAX_LIST) or MAX_LIST
    return [payloads.fan_point(item) for item in records.order_by("-creation_timestamp")[:limit]]


def _display(fan: Fan) -> str:
    if fan.display_name:
        return fan.display_name
    initial = f" {fan.last_name[:1]}." if fan.last_name else ""
    return f"{fan.first_name}{initial}".strip() or f"Fan {fan.fan_id}"


@api_endpoint(methods=["GET"], secret=Secret.REQUIRED)
def leaderboard(api: ApiRequest) -> dict[str, Any]:
    """Fans ranked by points earned in the window (ties share a rank)."""
    name = api.text("point_name", required=True)
    start = api.day("start_date")
    end = api.day("end_date")
    if start is None and end is None:
        raise bad_request("One of start_date or end_date is required.")
    point_type = PointTypeRecord.objects.filter(account=api.account, point_name=name).first()
    if point_type is None:
        raise bad_request("point_name does not name a point type of this account.")
    limit = api.integer("limit", minimum=1, maximum=MAX_LIST) or DEFAULT_LEADERBOARD
    lower, upper = ledger.day_range(start=start, end=end)
    records = FanPoint.objects.filter(point_type_record=point_type)
    if lower:
        records = records.filter(creation_timestamp__gte=lower)
    if upper:
        records = records.filter(creation_timestamp__lt=upper)
    totals = (
        records.values("fan_id")
        .annotate(total=Sum("point_count"))
        .filter(total__gt=0)
        .order_by("-total", "fan_id")
    )
    fans = Fan.objects.in_bulk([row["fan_id"] for row in totals[:limit]])
    rows = []
    rank = 0
    previous = None
    for position, row in enumerate(totals[:limit], start=1):
        if row["total"] != previous:
            rank, previous = position, row["total"]
        fan = fans[row["fan_id"]]
        rows.append(
            {
                "rank": rank,
                "fan_id": fan.fan_id,
                "display_name": _display(fan),
                "point_name": point_type.point_name,
                "point_uid": str(point_type.point_uid),
                "fan_point_count": int(row["total"]),
            }
        )
    meta = {
        "point_name": point_type.point_name,
        "start_date": payloads.iso(start),
        "end_date": payloads.iso(end),
        "count": len(rows),
    }
    return {"meta": meta, "data": rows}


@api_endpoint(methods=["GET"], secret=Secret.REQUIRED)
def display_name(api: ApiRequest) -> dict[str, Any]:
    """A valid display name: the one asked for, or a free variant when it is taken."""
    wanted = api.text("display_name", required=True)
    if not DISPLAY_NAME.match(wanted):
        raise bad_request(
            "display_name must be 3 to 32 letters, digits, spaces, dots, dashes or underscores."
        )
    taken = Fan.objects.filter(account=api.account)
    candidate = wanted
    while taken.filter(display_name__iexact=candidate).exists():
        candidate = f"{wanted[:27]}{secrets.randbelow(10_000):04d}"
    return {"display_name": candidate, "is_available": candidate == wanted}


@api_endpoint(methods=["GET", "POST"], secret=Secret.REQUIRED)
def fan_activities(api: ApiRequest, fan_id: str) -> Any:
    """The fan's activities, or record one (without ``business_id`` it counts for no business)."""
    fan = fan_of(api, fan_id)
    if api.http.method == "POST":
        title = api.text("campaign_title", required=True, max_length=128)
        business = None
        business_id = api.integer("business_id")
        if business_id is not None:
            business = api.account.businesses.filter(business_id=business_id).first()
            if business is None:
                raise bad_request("business_id does not name a business of this account.")
        props = {key: api.params[key] for key in api.params if key.startswith("field_")}
        record = FanActivity.objects.create(
            account=api.account,
            business=business,
            fan=fan,
            campaign_title=title,
            props=props,
            ip_address=api.text("ip_address") or None,
        )
        delivery.process_rewards(account_id=api.account.account_id, fan_ids=[fan.fan_id])
        return {"fan_id": fan.fan_id, "activity_id": record.activity_id}
    records = FanActivity.objects.filter(fan=fan)
    if api.has("campaign_title"):
        records = records.filter(campaign_title=api.text("campaign_title"))
    limit = api.integer("limit", minimum=1, maximum=MAX_LIST) or MAX_LIST
    return [payloads.activity(item) for item in records[:limit]]


REGISTRATION_REQUIRED = (
    "first_name",
    "last_name",
    "event_name",
    "event_date",
    "network",
    "registration_key",
    "registration_timestamp",
)
REGISTRATION_OPTIONAL = (
    "email",
    "phone",
    "venue_name",
    "barcode",
    "lookup_id",
    "event_key",
    "ticket_key",
    "order_key",
    "country_code",
    "province",
    "city",
    "postal_code",
    "address",
    "birth_date",
)


@api_endpoint(methods=["GET", "POST"], secret=Secret.REQUIRED)
def fan_registrations(api: ApiRequest, fan_id: str) -> Any:
    """The fan's wristband/ticket registrations, or link one (idempotent per key)."""
    fan = fan_of(api, fan_id)
    if api.http.method == "POST":
        data = {
            name: api.text(name, required=True, max_length=256) for name in REGISTRATION_REQUIRED
        }
        data["event_date"] = payloads.iso(api.day("event_date", required=True))
        data.update({name: api.text(name, max_length=256) for name in REGISTRATION_OPTIONAL})
        if not (data["email"] or data["phone"]):
            # "email *" for a fan who signed up by phone reads as the fan record's own rule,
            # "Either Email or Phone is required" (docs/endpoints.md, the row's note).
            raise bad_request("email or phone is required.")
        performance = None
        performance_uid = api.uid("performance_uid")
        if performance_uid:
            performance = Performance.objects.filter(
                account=api.account, performance_uid=performance_uid
            ).first()
            if performance is None:
                raise bad_request("performance_uid does not name a performance of this account.")
        record, _ = FanRegistration.objects.get_or_create(
            fan=fan,
            registration_key=data["registration_key"],
            defaults={"data": data, "performance": performance},
        )
        return {"fan_id": fan.fan_id, "registration_key": record.registration_key}
    limit = api.integer("limit", minimum=1, maximum=MAX_LIST) or 50
    return [
        {
            **item.data,
            "account_id": api.account.account_id,
            "fan_id": fan.fan_id,
            "registration_key": item.registration_key,
            "performance_uid": payloads.uid(item.performance_id),
            "creation_timestamp": payloads.iso(item.creation_timestamp),
        }
        for item in fan.registrations.all()[:limit]
    ]


@api_endpoint(methods=["GET"], secret=Secret.REQUIRED)
def performances(api: ApiRequest) -> list[dict[str, Any]]:
    """The account's performances."""
    return [payloads.performance(item) for item in Performance.objects.filter(account=api.account)]
