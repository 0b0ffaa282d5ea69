"""Models of a fan's CRM record: the fan, display names, activities, registrations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .parsing import ApiModel, PayloadReader

__all__ = ["DisplayNameCheck", "Fan", "FanActivity", "FanRegistration"]


@dataclass(frozen=True, slots=True)
class Fan(ApiModel):
    """A fan record (from a session or from the CRM)."""

    fan_id: int
    account_id: int | None = None
    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    display_name: str | None = None
    email: str | None = None
    phone: str | None = None
    city: str | None = None
    province: str | None = None
    country_code: str | None = None
    postal_code: str | None = None
    birth_date: dt.date | None = None
    gender: str | None = None
    image_url: str | None = None
    is_subscribed: bool | None = None
    is_phone_subscribed: bool | None = None
    tags: tuple[str, ...] = ()
    fields: dict[str, Any] = field(default_factory=dict)
    creation_timestamp: dt.datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DisplayNameCheck:
    """A usable display name: the one asked for, or the API's modified version of it."""

    requested: str
    display_name: str
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_available(self) -> bool:
        """True when the name asked for can be used unchanged."""
        return self.requested == self.display_name

    @classmethod
    def from_api(cls, payload: Any, *, requested: str) -> DisplayNameCheck:
        if isinstance(payload, str):
            return cls(requested=requested, display_name=payload)
        f = PayloadReader("DisplayNameCheck", payload)
        return cls(
            requested=requested,
            display_name=f.str("display_name", required=True),
            extra=f.extra(),
        )


@dataclass(frozen=True, slots=True)
class FanActivity(ApiModel):
    """A record that a fan interacted with the portal (needed for automatic rewards)."""

    fan_id: int | None = None
    activity_id: int | None = None
    account_id: int | None = None
    campaign_title: str | None = None
    creation_date: dt.date | None = None
    props: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class FanRegistration(ApiModel):
    """A wristband or ticket registration of a fan."""

    registration_key: str
    fan_id: int | None = None
    event_name: str | None = None
    event_date: dt.date | None = None
    event_key: str | None = None
    barcode: str | None = None
    ticket_key: str | None = None
    venue_name: str | None = None
    performance_uid: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
