"""The JSON shapes the sandbox answers, field names as the provider's docs print them."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from django.db.models import Sum
from django.http import HttpRequest
from django.urls import reverse

from tbits_sandbox import models as m


def iso(value: date | datetime | None) -> str | None:
    """ISO 8601 text, or None."""
    return value.isoformat() if value is not None else None


def uid(value: uuid.UUID | None) -> str | None:
    """A UUID as text, or None."""
    return str(value) if value is not None else None


def media_url(request: HttpRequest, media_uid: uuid.UUID | str | None) -> str | None:
    """Absolute URL of a media asset, as the API's ``image_url`` fields are."""
    if not media_uid:
        return None
    return request.build_absolute_uri(reverse("tbits_sandbox:fb_media", args=[str(media_uid)]))


def session(record: m.FanSession) -> dict[str, Any]:
    """The session object of Sessions/Connect and GET /sessions/{uid}."""
    return {
        "session_uid": str(record.session_uid),
        "fan_id": record.fan_id,
        "account_id": record.account_id,
        "business_id": record.business_id,
        "props": record.props,
        "expiration_timestamp": iso(record.expiration_timestamp),
    }


def fan(record: m.Fan, request: HttpRequest) -> dict[str, Any]:
    """A fan record, as the session and CRM calls answer it (tags included)."""
    name = " ".join(part for part in (record.first_name, record.last_name) if part)
    return {
        "fan_id": record.fan_id,
        "account_id": record.account_id,
        "name": name,
        "first_name": record.first_name,
        "last_name": record.last_name,
        "display_name": record.display_name,
        "email": record.email or None,
        "phone": record.phone or None,
        "province": record.province,
        "city": record.city,
        "country_code": record.country_code,
        "postal_code": record.postal_code,
        "latitude": None,
        "longitude": None,
        "metro_area": None,
        "ip_address": record.ip_address,
        "birth_date": iso(record.birth_date),
        "gender": None,
        "rating": None,
        "is_subscribed": record.is_subscribed,
        "is_phone_subscribed": record.is_phone_subscribed,
        "has_password": bool(record.password_hash),
        "fields": record.fields,
        "props": record.props,
        "tags": list(record.tags),
        "image_url": None,
        "creation_timestamp": iso(record.creation_timestamp),
        "last_update_timestamp": iso(record.last_update_timestamp),
    }


def point_type(record: m.PointTypeRecord) -> dict[str, Any]:
    """A point type."""
    return {
        "point_uid": str(record.point_uid),
        "point_name": record.point_name,
        "account_id": record.account_id,
        "creation_timestamp": iso(record.creation_timestamp),
    }


def tier(record: m.Tier) -> dict[str, Any]:
    """A point tier."""
    return {
        "point_tier_uid": str(record.point_tier_uid),
        "point_uid": str(record.point_type_id),
        "tier_name": record.tier_name,
        "min_points": record.min_points,
        "creation_timestamp": iso(record.creation_timestamp),
    }


def business(record: m.Business, request: HttpRequest) -> dict[str, Any]:
    """A business (team) with its branding and the point type of its portal."""
    account = record.account
    media_map = {key: str(value) for key, value in record.media_map.items()}
    return {
        "business_id": record.business_id,
        "account_id": record.account_id,
        "business_name": record.business_name,
        "point_uid": uid(record.point_type_id),
        "point_name": record.point_type.point_name if record.point_type else None,
        "style_props": record.style_props,
        "media_map": media_map,
        "media_urls": {key: media_url(request, value) for key, value in media_map.items()},
        "locale_props": record.locale_props,
        "scheduler_props": {},
        "legal_rules": record.legal_rules,
        "legal_terms": account.legal_terms,
        "legal_privacy": account.legal_privacy,
    }


def performance(record: m.Performance) -> dict[str, Any]:
    """A performance (event)."""
    return {
        "performance_uid": str(record.performance_uid),
        "account_id": record.account_id,
        "business_id": record.business_id,
        "performance_name": record.performance_name,
        "performance_date": iso(record.performance_date),
        "venue_name": record.venue_name,
        "display_venue_name": record.venue_name,
        "city": record.city,
        "province": record.province,
        "country_code": record.country_code,
        "artist_name": record.artist_name,
        "status": record.status,
        "label_name": record.label_name,
        "creation_timestamp": iso(record.creation_timestamp),
    }


def idol(record: m.Idol, request: HttpRequest) -> dict[str, Any]:
    """An idol of the lineup."""
    return {
        "idol_uid": str(record.idol_uid),
        "account_id": record.account_id,
        "idol_name": record.idol_name,
        "idol_type": record.idol_type,
        "description": record.description,
        "media_uid": uid(record.media_id),
        "image_url": media_url(request, record.media_id),
        "link_url": record.link_url,
        "idol_labels": list(record.label_names),
        "is_explicit": False,
        "creation_timestamp": iso(record.creation_timestamp),
        "last_update_timestamp": iso(record.last_update_timestamp),
    }


def idol_event(record: m.IdolEvent, request: HttpRequest) -> dict[str, Any]:
    """A dated appearance of an idol."""
    return {
        "event_uid": str(record.event_uid),
        "account_id": record.idol.account_id,
        "idol_uid": str(record.idol_id),
        "idol_name": record.idol.idol_name,
        "start_timestamp": iso(record.start_timestamp),
        "end_timestamp": iso(record.end_timestamp),
        "venue_name": record.venue_name,
        "city": record.city,
        "province": record.province,
        "country_code": record.country_code,
        "event_url": record.event_url,
        "ticket_url": record.ticket_url,
        "label_name": record.label_name,
        "media_uid": uid(record.idol.media_id),
        "image_url": media_url(request, record.idol.media_id),
    }


def quest(record: m.Quest, request: HttpRequest) -> dict[str, Any]:
    """A quest: ``page_tab_id`` plus every creation field."""
    return {
        "page_tab_id": record.page_tab_id,
        "business_id": record.business_id,
        "point_uid": uid(record.point_type_id),
        "quest_type": record.quest_type,
        "quest_title": record.quest_title,
        "quest_description": record.quest_description,
        "button_text": record.button_text,
        "reward_type": record.reward_type or None,
        "fan_points_reward": record.fan_points_reward,
        "performance_uid": uid(record.performance_id),
        "target_page_tab_id": record.target_page_tab_id,
        "link_url": record.link_url or None,
        "scan_group_names": list(record.scan_group_names),
        "site_name": record.site_name or None,
        "access_restriction_type": record.access_restriction_type or None,
        "fan_points_required": record.fan_points_required,
        "point_tier_uid": uid(record.point_tier_id),
        "required_page_tab_ids": list(record.required_page_tab_ids),
        "tag_name": record.tag_name or None,
        "start_date": iso(record.start_date),
        "end_date": iso(record.end_date),
        "media_uid": uid(record.media_id),
        "image_url": media_url(request, record.media_id),
        "idol_uid": uid(record.idol_id),
        "is_required": record.is_required,
        "atvenu_sales_event_key": record.atvenu_sales_event_key or None,
        "atvenu_promo_key": record.atvenu_promo_key or None,
        "bestring_location_group_id": record.bestring_location_group_id or None,
        "bestring_promotion_id": record.bestring_promotion_id or None,
        "creation_timestamp": iso(record.creation_timestamp),
    }


def reward(record: m.Reward, request: HttpRequest) -> dict[str, Any]:
    """A reward: ``reward_uid`` plus every creation field.

    The prize code pool itself is not listed (the codes are what fans win); its size and
    what is left of it are.
    """
    pool_total = record.prize_codes.count()
    pool_left = record.prize_codes.filter(fan_reward__isnull=True).count()
    return {
        "reward_uid": str(record.reward_uid),
        "business_id": record.business_id,
        "reward_title": record.reward_title,
        "reward_type": record.reward_type,
        "description": record.description,
        "expiration_timestamp": iso(record.expiration_timestamp),
        "timezone": record.timezone,
        "winner_selection_model": record.winner_selection_model,
        "reward_limit": record.reward_limit,
        "delivered_count": record.delivered_count,
        "requirement_type": record.requirement_type or None,
        "point_tier_uid": uid(record.point_tier_id),
        "required_page_tab_ids": list(record.required_page_tab_ids),
        "performance_uid": uid(record.performance_id),
        "media_uid": uid(record.media_id),
        "image_url": media_url(request, record.media_id),
        "access_start_timestamp": iso(record.access_start_timestamp),
        "access_end_timestamp": iso(record.access_end_timestamp),
        "access_pass_type": record.access_pass_type or None,
        "is_limited": record.is_limited,
        "prize_code_count": pool_total,
        "prize_codes_remaining": pool_left,
        "atvenu_sales_event_key": record.atvenu_sales_event_key or None,
        "atvenu_promo_key": record.atvenu_promo_key or None,
        "atvenu_delivery_method": record.atvenu_delivery_method or None,
        "bestring_location_group_id": record.bestring_location_group_id or None,
        "bestring_promotion_id": record.bestring_promotion_id or None,
        "creation_timestamp": iso(record.creation_timestamp),
    }


def fan_reward(record: m.FanReward, request: HttpRequest) -> dict[str, Any]:
    """A reward delivered to a fan, with what the fan needs to use it."""
    item = record.reward
    return {
        "fan_reward_uid": str(record.fan_reward_uid),
        "reward_uid": str(item.reward_uid),
        "business_id": item.business_id,
        "reward_title": item.reward_title,
        "reward_type": item.reward_type,
        "description": item.description,
        "fan_id": record.fan_id,
        "status": record.status,
        "delivery_source": record.delivery_source,
        "creation_timestamp": iso(record.creation_timestamp),
        "delivered_timestamp": iso(record.creation_timestamp),
        "last_update_timestamp": iso(record.creation_timestamp),
        "expiration_timestamp": iso(item.expiration_timestamp),
        "timezone": item.timezone,
        "prize_code": record.prize_code or None,
        "pass_code": record.pass_code or None,
        "access_start_timestamp": iso(item.access_start_timestamp),
        "access_end_timestamp": iso(item.access_end_timestamp),
        "access_pass_type": item.access_pass_type or None,
        "performance_uid": uid(item.performance_id),
        "atvenu_delivery_method": item.atvenu_delivery_method or None,
        "media_uid": uid(item.media_id),
        "image_url": media_url(request, item.media_id),
    }


def fan_point(record: m.FanPoint) -> dict[str, Any]:
    """One point transaction, with every field of the documented ledger."""
    return {
        "fan_point_uid": str(record.fan_point_uid),
        "fan_id": record.fan_id,
        "point_uid": str(record.point_type_record_id),
        "point_name": record.point_type_record.point_name,
        "display_name": record.fan.display_name,
        "creation_timestamp": iso(record.creation_timestamp),
        "point_count": record.point_count,
        "page_tab_id": record.page_tab_id,
        "ip_address": record.ip_address,
        "point_source": record.point_source,
        "session_uid": uid(record.session_uid),
        "award_signature": record.award_key or None,
        "activity_id": record.activity_id,
        "point_type": record.point_type,
        "props": record.props,
        "performance_uid": uid(record.performance_uid),
        "reward_uid": uid(record.reward_uid),
    }


def activity(record: m.FanActivity) -> dict[str, Any]:
    """A fan activity."""
    return {
        "activity_id": record.activity_id,
        "account_id": record.account_id,
        "business_id": record.business_id,
        "fan_id": record.fan_id,
        "page_tab_id": record.page_tab_id,
        "campaign_title": record.campaign_title,
        "props": record.props,
        "creation_date": iso(record.creation_timestamp.date()),
        "creation_timestamp": iso(record.creation_timestamp),
    }


def fan_balances(record: m.Fan) -> list[dict[str, Any]]:
    """The fan's balance in each point type of the account (sum of transactions)."""
    totals = dict(
        m.FanPoint.objects.filter(fan=record)
        .values_list("point_type_record_id")
        .annotate(total=Sum("point_count"))
        .values_list("point_type_record_id", "total")
    )
    return [
        {
            "fan_id": record.fan_id,
            "point_uid": str(kind.point_uid),
            "point_name": kind.point_name,
            "point_count": int(totals.get(kind.point_uid, 0) or 0),
        }
        for kind in m.PointTypeRecord.objects.filter(account_id=record.account_id).order_by(
            "point_name"
        )
    ]
